// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDocumentRegistry} from "../interfaces/IDocumentRegistry.sol";

/// @title DocumentRegistryProbe
/// @notice Test harness: reads the mass balance and status of many records in one call, for the property test.
contract DocumentRegistryProbe {
    function balances(
        IDocumentRegistry registry,
        bytes32[] calldata ids
    ) external view returns (uint256[] memory total, uint256[] memory consumed, uint8[] memory status) {
        uint256 count = ids.length;
        total = new uint256[](count);
        consumed = new uint256[](count);
        status = new uint8[](count);
        for (uint256 i; i < count; ++i) {
            IDocumentRegistry.Record memory record = registry.recordOf(ids[i]);
            total[i] = record.totalKg;
            consumed[i] = record.consumedKg;
            status[i] = uint8(record.status);
        }
    }
}
