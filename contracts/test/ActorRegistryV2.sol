// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ActorRegistry} from "../identity/ActorRegistry.sol";

/// @title ActorRegistryV2
/// @notice Test harness, never deployed: a second implementation to exercise UUPS upgrades of `ActorRegistry`.
/// @dev It is initialized by the inherited `initialize` when deployed fresh, and by `initializeV2` on upgrade. The
/// upgrades plugin (upgrades-core 1.46) still reports "Missing initializer": while it works out which parent
/// initializers call which, it removes entries from the list it is iterating and so never sees that
/// `ActorRegistry.initialize` calls `__RegistryBase_init`. Hence the allowance below.
/// @custom:oz-upgrades-from contracts/identity/ActorRegistry.sol:ActorRegistry
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract ActorRegistryV2 is ActorRegistry {
    /// @custom:storage-location erc7201:tradetrace.storage.ActorRegistryV2
    struct ActorRegistryV2Storage {
        uint256 upgradedAt;
    }

    // keccak256(abi.encode(uint256(keccak256("tradetrace.storage.ActorRegistryV2")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant V2_STORAGE_LOCATION = 0xd6f40f28ee960ae394e864f532617b0323d22ec4e805de35997412df8d4e4600;

    /// @notice Runs once, in the upgrade transaction.
    function initializeV2() external reinitializer(2) {
        _v2Storage().upgradedAt = block.timestamp;
    }

    /// @notice The implementation version.
    function version() external pure returns (string memory) {
        return "2";
    }

    /// @notice When `initializeV2` ran.
    function upgradedAt() external view returns (uint256) {
        return _v2Storage().upgradedAt;
    }

    function _v2Storage() private pure returns (ActorRegistryV2Storage storage $) {
        assembly {
            $.slot := V2_STORAGE_LOCATION
        }
    }
}
