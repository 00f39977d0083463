// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IActorRegistry} from "../interfaces/IActorRegistry.sol";

/// @title JwsPayload
/// @notice Reads the issuer DID of a VC-JOSE payload (JSON) on chain, without ambiguity: the top-level `issuer`
/// member (a string, or an object whose `id` member is a string), else the JWT claim `iss` (VC 1.1 JWTs).
/// @dev One pass over the whole object that tracks strings, escapes and nesting, so a key inside a string value or
/// in a nested object is never taken for a top-level one. Refused as `UnsupportedJson(offset)`: no object, bytes
/// after the object, a duplicated or escaped member name at the level read, an escaped or unterminated DID string.
/// A valid JSON text that passes yields the same issuer as any JSON parser.
library JwsPayload {
    bytes32 private constant ISSUER = keccak256("issuer");
    bytes32 private constant ISS = keccak256("iss");
    bytes32 private constant ID = keccak256("id");
    uint256 private constant IN_STRING = 1;
    uint256 private constant ESCAPED = 2;
    uint256 private constant EXPECT_KEY = 4;
    uint256 private constant STOP_KEY = 0;
    uint256 private constant STOP_CLOSED = 1;
    uint256 private constant STOP_END = 2;

    /// @notice The issuer DID of `payload`, as a slice of it. Reverts `CredentialIssuerNotFound` if none.
    function issuerDid(bytes calldata payload) internal pure returns (bytes calldata) {
        uint256 start = _skipSpace(payload, 0);
        (uint256 issuerAt, uint256 issAt, uint256 end) = _scanObject(payload, start, ISSUER, ISS);
        if (_skipSpace(payload, end + 1) != payload.length) revert IActorRegistry.UnsupportedJson(end + 1);
        if (issuerAt != 0) {
            uint8 first = _at(payload, issuerAt);
            if (first == 0x22) return _stringAt(payload, issuerAt);
            if (first == 0x7b) {
                (uint256 idAt, , ) = _scanObject(payload, issuerAt, ID, bytes32(0));
                if (idAt != 0 && _at(payload, idAt) == 0x22) return _stringAt(payload, idAt);
            }
        } else if (issAt != 0 && _at(payload, issAt) == 0x22) {
            return _stringAt(payload, issAt);
        }
        revert IActorRegistry.CredentialIssuerNotFound();
    }

    /// @dev Scans the object opening at `start` up to its closing brace (`end`), and returns where the values of
    /// its members named by the hashes `keyA` and `keyB` start (0 if absent).
    function _scanObject(
        bytes calldata json,
        uint256 start,
        bytes32 keyA,
        bytes32 keyB
    ) private pure returns (uint256 aAt, uint256 bAt, uint256 end) {
        uint256 length = json.length;
        if (start >= length || _at(json, start) != 0x7b) revert IActorRegistry.UnsupportedJson(start);
        uint256 depth = 1;
        uint256 state = EXPECT_KEY;
        uint256 i = start + 1;
        while (true) {
            uint256 stop;
            (i, depth, state, stop) = _lex(json, i, depth, state);
            if (stop == STOP_CLOSED) return (aAt, bAt, i);
            if (stop == STOP_END) revert IActorRegistry.UnsupportedJson(length);
            uint256 valueAt;
            (aAt, bAt, valueAt) = _takeMember(json, i, keyA, keyB, aAt, bAt);
            (i, state) = (valueAt, 0);
        }
    }

    /// @dev The lexer's hot loop, from `i` with nesting `depth` and `state` (bits IN_STRING, ESCAPED, EXPECT_KEY:
    /// a member name may come next at depth 1). Stops at a member name's opening quote at depth 1 (`STOP_KEY`),
    /// at the brace closing the object (`STOP_CLOSED`) or at the end of the input (`STOP_END`), and returns where.
    /// In assembly: a Solidity loop cost about 260 gas per byte, this one a fraction of it.
    function _lex(
        bytes calldata json,
        uint256 i,
        uint256 depth,
        uint256 state
    ) private pure returns (uint256 at, uint256, uint256, uint256 outcome) {
        assembly ("memory-safe") {
            let end := add(json.offset, json.length)
            let ptr := add(json.offset, i)
            outcome := STOP_END
            for {} lt(ptr, end) {
                ptr := add(ptr, 1)
            } {
                let c := byte(0, calldataload(ptr))
                switch and(state, IN_STRING)
                case 0 {
                    if eq(c, 0x22) {
                        if and(eq(depth, 1), eq(state, EXPECT_KEY)) {
                            outcome := STOP_KEY
                            break
                        }
                        state := IN_STRING
                    }
                    // An opening brace or bracket nests one level deeper, a closing one one level out.
                    depth := sub(add(depth, or(eq(c, 0x7b), eq(c, 0x5b))), or(eq(c, 0x7d), eq(c, 0x5d)))
                    if iszero(depth) {
                        outcome := STOP_CLOSED
                        break
                    }
                    // A comma at depth 1 ends a member: a member name may follow.
                    state := or(state, mul(and(eq(c, 0x2c), eq(depth, 1)), EXPECT_KEY))
                }
                default {
                    // In a string, plain bytes (most of a credential) go by in a tight loop; then a backslash
                    // escapes the next byte, a quote ends the string. A byte read past the end ends in STOP_END.
                    switch and(state, ESCAPED)
                    case 0 {
                        for {} and(lt(ptr, end), iszero(or(eq(c, 0x22), eq(c, 0x5c)))) {} {
                            ptr := add(ptr, 1)
                            c := byte(0, calldataload(ptr))
                        }
                        state := add(mul(eq(c, 0x5c), ESCAPED), mul(iszero(eq(c, 0x22)), IN_STRING))
                    }
                    default {
                        state := IN_STRING
                    }
                }
            }
            at := sub(ptr, json.offset)
        }
        return (at, depth, state, outcome);
    }

    /// @dev Reads the member whose name opens at `quote`; records its value's start in `aAt` or `bAt` if its name
    /// is `keyA` or `keyB` (a second occurrence is refused: parsers disagree on which one counts).
    function _takeMember(
        bytes calldata json,
        uint256 quote,
        bytes32 keyA,
        bytes32 keyB,
        uint256 aAt,
        uint256 bAt
    ) private pure returns (uint256, uint256, uint256 valueAt) {
        bytes32 name;
        (name, valueAt) = _member(json, quote);
        if (name == keyA) {
            if (aAt != 0) revert IActorRegistry.UnsupportedJson(quote);
            aAt = valueAt;
        } else if (name == keyB) {
            if (bAt != 0) revert IActorRegistry.UnsupportedJson(quote);
            bAt = valueAt;
        }
        return (aAt, bAt, valueAt);
    }

    /// @dev The hash of the member name whose opening quote is at `quote`, and where its value starts.
    function _member(bytes calldata json, uint256 quote) private pure returns (bytes32 name, uint256 valueAt) {
        uint256 close = _closingQuote(json, quote);
        name = keccak256(json[quote + 1:close]);
        uint256 colon = _skipSpace(json, close + 1);
        if (colon >= json.length || _at(json, colon) != 0x3a) revert IActorRegistry.UnsupportedJson(colon);
        valueAt = _skipSpace(json, colon + 1);
        if (valueAt >= json.length) revert IActorRegistry.UnsupportedJson(valueAt);
    }

    /// @dev The content of the string opening at `quote` (no escapes allowed: a DID never needs one).
    function _stringAt(bytes calldata json, uint256 quote) private pure returns (bytes calldata) {
        return json[quote + 1:_closingQuote(json, quote)];
    }

    /// @dev The index of the quote closing the string that opens at `quote`; escapes are refused.
    function _closingQuote(bytes calldata json, uint256 quote) private pure returns (uint256 i) {
        uint256 length = json.length;
        for (i = quote + 1; i < length; ++i) {
            uint8 c = _at(json, i);
            if (c == 0x22) return i;
            if (c == 0x5c) revert IActorRegistry.UnsupportedJson(i);
        }
        revert IActorRegistry.UnsupportedJson(length);
    }

    /// @dev The first index at or after `i` that is not JSON whitespace (or the length).
    function _skipSpace(bytes calldata json, uint256 i) private pure returns (uint256) {
        uint256 length = json.length;
        while (i < length) {
            uint8 c = _at(json, i);
            if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
            ++i;
        }
        return i;
    }

    /// @dev The byte at `i` (the callers keep `i` in range).
    function _at(bytes calldata json, uint256 i) private pure returns (uint8 c) {
        assembly {
            c := byte(0, calldataload(add(json.offset, i)))
        }
    }
}
