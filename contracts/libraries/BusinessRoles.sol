// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title BusinessRoles
/// @notice The trade roles an actor can hold, as bits of a `uint32` role set.
library BusinessRoles {
    uint32 internal constant MILL = 1 << 0;
    uint32 internal constant PROCESSOR = 1 << 1;
    uint32 internal constant EXPORTER = 1 << 2;
    uint32 internal constant IMPORTER = 1 << 3;
    uint32 internal constant CUSTOMS_BROKER = 1 << 4;
    uint32 internal constant CARRIER = 1 << 5;
    /// @dev A certifier of origin, such as a chamber of commerce.
    uint32 internal constant CERTIFIER = 1 << 6;
    uint32 internal constant LABORATORY = 1 << 7;
    /// @dev Every defined role; any other bit is invalid.
    uint32 internal constant ALL = (1 << 8) - 1;

    /// @notice Whether `roles` is a non-empty set of defined roles.
    function isValidSet(uint32 roles) internal pure returns (bool) {
        return roles != 0 && roles & ~ALL == 0;
    }

    /// @notice Whether `role` is exactly one defined role.
    function isSingle(uint32 role) internal pure returns (bool) {
        return role != 0 && role & ~ALL == 0 && role & (role - 1) == 0;
    }
}
