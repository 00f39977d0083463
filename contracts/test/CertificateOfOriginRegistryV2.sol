// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {CertificateOfOriginRegistry} from "../documents/CertificateOfOriginRegistry.sol";

/// @title CertificateOfOriginRegistryV2
/// @notice Test harness: a new implementation to check that an upgrade keeps every record.
/// @custom:oz-upgrades-from CertificateOfOriginRegistry
/// @custom:oz-upgrades-unsafe-allow missing-initializer
contract CertificateOfOriginRegistryV2 is CertificateOfOriginRegistry {
    function upgradeMarker() external pure returns (uint256) {
        return 2;
    }
}
