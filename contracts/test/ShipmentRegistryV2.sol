// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ShipmentRegistry} from "../shipments/ShipmentRegistry.sol";

/// @title ShipmentRegistryV2
/// @notice Test harness: a later implementation used to show that an upgrade keeps every shipment.
/// @custom:oz-upgrades-from contracts/shipments/ShipmentRegistry.sol:ShipmentRegistry
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract ShipmentRegistryV2 is ShipmentRegistry {
    /// @notice Tells the upgraded implementation apart from the first.
    function implementationVersion() external pure returns (uint256) {
        return 2;
    }
}
