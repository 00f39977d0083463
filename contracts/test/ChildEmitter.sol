// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title ChildEmitter
/// @notice Test-only contract indexed through a data source template.
contract ChildEmitter {
    /// @notice A ping with a number.
    event Pinged(address indexed from, uint256 n);

    /// @notice Emits `Pinged`.
    function ping(uint256 n) external {
        emit Pinged(msg.sender, n);
    }
}
