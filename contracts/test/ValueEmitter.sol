// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ChildEmitter} from "./ChildEmitter.sol";

/// @title ValueEmitter
/// @notice Test-only contract for the embedded indexer: emits events carrying every ABI value kind so that
/// the WASM host's encoding of each kind can be checked, and offers view functions for `ethereum.call`.
contract ValueEmitter {
    /// @notice A flat tuple.
    struct Pair {
        uint256 a;
        string b;
    }

    /// @notice A tuple holding a tuple and an array.
    struct Nested {
        Pair inner;
        bool[] flags;
        int32 x;
    }

    /// @notice Thrown by `boom`, so that a call reverts.
    error Boom(uint256 code);

    uint256 private _counter;

    /// @notice Every scalar kind.
    event ScalarsEmitted(
        address indexed sender,
        bool flag,
        bytes4 b4,
        bytes32 b32,
        bytes data,
        int8 i8,
        uint8 u8,
        int256 i256,
        uint256 u256,
        string text
    );

    /// @notice Dynamic and fixed arrays.
    event ArraysEmitted(uint256[] nums, address[] addrs, int16[3] fixedInts, string[] strs, bytes[2] pairOfBytes);

    /// @notice Tuples, nested tuples and arrays of tuples.
    event TuplesEmitted(Pair pair, Nested nested, Pair[] pairs);

    /// @notice Indexed dynamic values, which arrive as their topic hash.
    event IndexedEmitted(string indexed topicText, uint256[] indexed topicNums, uint256 plain);

    /// @notice Asks the mapping to run operation `op` with the numeric argument `n` and the text `text`.
    event OpRequested(uint256 indexed op, int256 n, string text);

    /// @notice A child emitter was deployed; the mapping starts indexing it from a template.
    event ChildSpawned(address child, string label);

    /// @notice Emits `ScalarsEmitted`.
    function emitScalars(
        bool flag,
        bytes4 b4,
        bytes32 b32,
        bytes calldata data,
        int8 i8,
        uint8 u8,
        int256 i256,
        uint256 u256,
        string calldata text
    ) external {
        emit ScalarsEmitted(msg.sender, flag, b4, b32, data, i8, u8, i256, u256, text);
    }

    /// @notice Emits `ArraysEmitted`.
    function emitArrays(
        uint256[] calldata nums,
        address[] calldata addrs,
        int16[3] calldata fixedInts,
        string[] calldata strs,
        bytes[2] calldata pairOfBytes
    ) external {
        emit ArraysEmitted(nums, addrs, fixedInts, strs, pairOfBytes);
    }

    /// @notice Emits `TuplesEmitted`.
    function emitTuples(Pair calldata pair, Nested calldata nested, Pair[] calldata pairs) external {
        emit TuplesEmitted(pair, nested, pairs);
    }

    /// @notice Emits `IndexedEmitted`.
    function emitIndexed(string calldata topicText, uint256[] calldata topicNums, uint256 plain) external {
        emit IndexedEmitted(topicText, topicNums, plain);
    }

    /// @notice Emits `OpRequested`, bumping the counter that `counter` returns.
    function requestOp(uint256 op, int256 n, string calldata text) external {
        ++_counter;
        emit OpRequested(op, n, text);
    }

    /// @notice Deploys a child emitter and announces it.
    function spawn(string calldata label) external returns (address child) {
        child = address(new ChildEmitter());
        emit ChildSpawned(child, label);
    }

    /// @notice The number of `requestOp` calls so far, with a label and the caller's tuple echoed.
    function counter(string calldata label) external view returns (uint256 count, string memory echoed) {
        return (_counter, label);
    }

    /// @notice Always reverts, so that `try_` calls return a reverted result.
    function boom() external pure returns (uint256) {
        revert Boom(7);
    }
}
