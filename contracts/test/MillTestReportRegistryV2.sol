// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {MillTestReportRegistry} from "../documents/MillTestReportRegistry.sol";

/// @title MillTestReportRegistryV2
/// @notice Test harness: a new implementation to check that an upgrade keeps every record.
/// @custom:oz-upgrades-from MillTestReportRegistry
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract MillTestReportRegistryV2 is MillTestReportRegistry {
    function upgradeMarker() external pure returns (uint256) {
        return 2;
    }
}
