// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @notice A contract "wallet" whose isValidSignature answers garbage, for tests that registries refuse it.
contract HostileERC1271Wallet {
    /// @dev 0 wrong magic value, 1 the magic value shifted right (not in the first 4 bytes), 2 a revert with data,
    ///      3 no return data, 4 a 3-byte answer.
    uint8 private immutable _mode;

    error Refused(bytes32 hash);

    constructor(uint8 mode) {
        _mode = mode;
    }

    function isValidSignature(bytes32 hash, bytes calldata) external view returns (bytes4) {
        uint8 mode = _mode;
        if (mode == 0) return 0xdeadbeef;
        if (mode == 2) revert Refused(hash);
        // solhint-disable-next-line no-inline-assembly
        assembly {
            switch mode
            case 1 {
                mstore(0, shr(32, 0x1626ba7e00000000000000000000000000000000000000000000000000000000))
                return(0, 32)
            }
            case 4 {
                mstore(0, 0x1626ba7e00000000000000000000000000000000000000000000000000000000)
                return(0, 3)
            }
            default {
                return(0, 0)
            }
        }
    }
}
