// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IDocumentRegistry} from "../interfaces/IDocumentRegistry.sol";

/// @title MockDocumentRegistry
/// @notice Test harness: tests write records directly; the mass balance (allocate / deallocate, ALLOCATOR_ROLE)
/// behaves as the real registries must. Never deployed outside tests.
contract MockDocumentRegistry is AccessControl, IDocumentRegistry {
    bytes32 public constant ALLOCATOR_ROLE = keccak256("ALLOCATOR_ROLE");

    mapping(bytes32 recordId => Record) private _records;
    mapping(bytes32 recordId => mapping(bytes32 consumer => uint256 kg)) private _allocations;
    mapping(bytes32 recordId => mapping(address party => bool)) private _allocators;

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Writes a record as a registry would have stored it at issue; keeps what was consumed so far.
    function setRecord(bytes32 recordId, uint64 expiresAt, Status status, uint96 totalKg) external {
        Record storage r = _records[recordId];
        r.issuer = msg.sender;
        r.issuedAt = uint64(block.timestamp);
        r.expiresAt = expiresAt;
        r.status = status;
        r.totalKg = totalKg;
    }

    /// @notice Approves `party` for `recordId` (or withdraws it), as the record's holder would.
    function setAllocator(bytes32 recordId, address party, bool approved) external {
        _allocators[recordId][party] = approved;
        emit AllocatorApproved(recordId, _records[recordId].issuer, party, approved);
    }

    /// @inheritdoc IDocumentRegistry
    function isApprovedAllocator(bytes32 recordId, address party) external view returns (bool) {
        address holder = _records[recordId].issuer;
        return holder != address(0) && (party == holder || _allocators[recordId][party]);
    }

    /// @inheritdoc IDocumentRegistry
    function allocate(bytes32 recordId, bytes32 consumer, uint96 kg) external onlyRole(ALLOCATOR_ROLE) {
        Record storage r = _existing(recordId);
        if (!_usable(r)) revert RecordNotUsable(recordId, r.status, r.expiresAt);
        if (kg == 0) revert ZeroWeight();
        uint256 remaining = r.totalKg - r.consumedKg;
        if (kg > remaining) revert InsufficientKilograms(recordId, kg, remaining);
        r.consumedKg += kg;
        _allocations[recordId][consumer] += kg;
        emit KilogramsAllocated(recordId, consumer, kg, remaining - kg);
    }

    /// @inheritdoc IDocumentRegistry
    function deallocate(bytes32 recordId, bytes32 consumer, uint96 kg) external onlyRole(ALLOCATOR_ROLE) {
        Record storage r = _existing(recordId);
        if (kg == 0) revert ZeroWeight();
        uint256 held = _allocations[recordId][consumer];
        if (kg > held) revert DeallocationExceedsAllocation(recordId, consumer, kg, held);
        _allocations[recordId][consumer] = held - kg;
        r.consumedKg -= kg;
        emit KilogramsReleased(recordId, consumer, kg, r.totalKg - r.consumedKg);
    }

    /// @inheritdoc IDocumentRegistry
    function recordOf(bytes32 recordId) external view returns (Record memory) {
        return _records[recordId];
    }

    /// @inheritdoc IDocumentRegistry
    function isUsable(bytes32 recordId) external view returns (bool) {
        return _usable(_records[recordId]);
    }

    /// @inheritdoc IDocumentRegistry
    function remainingKg(bytes32 recordId) external view returns (uint256) {
        Record storage r = _records[recordId];
        return r.totalKg - r.consumedKg;
    }

    /// @inheritdoc IDocumentRegistry
    function allocatedKg(bytes32 recordId, bytes32 consumer) external view returns (uint256) {
        return _allocations[recordId][consumer];
    }

    function _existing(bytes32 recordId) private view returns (Record storage r) {
        r = _records[recordId];
        if (r.status == Status.None) revert RecordNotFound(recordId);
    }

    function _usable(Record storage r) private view returns (bool) {
        return r.status == Status.Active && (r.expiresAt == 0 || block.timestamp <= r.expiresAt);
    }
}
