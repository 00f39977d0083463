// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title IDocumentRegistry
/// @notice What every document registry (certificates of origin, mill test reports) offers: records anchored by
/// the SHA-256 of their RFC 8785 canonical credential JSON, a status, an optional expiry, and a mass balance:
/// a record certifies `totalKg` and can never hand out more than that, to derived products or to shipments.
/// @dev A record id binds the credential's content hash to its issuer: `keccak256(abi.encode(issuer, contentHash))`
/// (see `IDocumentLifecycle.recordIdOf`), so that only the issuer a credential names can anchor it.
interface IDocumentRegistry {
    /// @notice The life of a record. Revoked and superseded records stay readable forever.
    enum Status {
        None,
        Active,
        Revoked,
        Superseded
    }

    /// @notice The part of a record that contract logic needs; every other field travels in events.
    /// @param issuer The actor that issued (signed) the record.
    /// @param issuedAt Block time of issue.
    /// @param expiresAt Last valid second, or 0 for no expiry.
    /// @param status See `Status`.
    /// @param totalKg Kilograms the record certifies (0 for documents without weight, e.g. certificates of origin).
    /// @param consumedKg Kilograms handed out so far to derived products and shipments.
    /// @param successor For a superseded record, the id of its correction.
    struct Record {
        address issuer;
        uint64 issuedAt;
        uint64 expiresAt;
        Status status;
        uint96 totalKg;
        uint96 consumedKg;
        bytes32 successor;
    }

    /// @notice `consumer` (a shipment line or an allocation key) took `kg` from `recordId`.
    /// @param recordId The record's id.
    /// @param consumer The consumer key (a shipment line: `consumerOf(shipmentId, lineIndex)`).
    /// @param kg Kilograms.
    /// @param remainingKg Kilograms the record has left after this change.
    event KilogramsAllocated(bytes32 indexed recordId, bytes32 indexed consumer, uint256 kg, uint256 remainingKg);
    /// @notice `consumer` gave `kg` back to `recordId` (`deallocate`; the event keeps its name, indexers know it).
    /// @param recordId The record's id.
    /// @param consumer The consumer key (a shipment line: `consumerOf(shipmentId, lineIndex)`).
    /// @param kg Kilograms.
    /// @param remainingKg Kilograms the record has left after this change.
    event KilogramsReleased(bytes32 indexed recordId, bytes32 indexed consumer, uint256 kg, uint256 remainingKg);
    /// @notice `kg` released from the superseded `recordId` went on to `correctionId`, the live end of its chain of
    /// corrections, which had carried them over as consumed; `remainingKg` is the correction's balance after.
    /// @param recordId The record's id.
    /// @param correctionId The live end of the superseded record's chain of corrections.
    /// @param kg Kilograms.
    /// @param remainingKg Kilograms the record has left after this change.
    event KilogramsReturnedToCorrection(
        bytes32 indexed recordId,
        bytes32 indexed correctionId,
        uint256 kg,
        uint256 remainingKg
    );

    /// @notice The holder (issuer) of `recordId` approved `party` to allocate its kilograms to shipments, or
    /// withdrew that approval (`approved` false). Links made before a withdrawal stay.
    /// @param recordId The record's id.
    /// @param holder The record's holder (its issuer).
    /// @param party The party approved (or no longer approved).
    /// @param approved True if approved, false if the approval was withdrawn.
    event AllocatorApproved(bytes32 indexed recordId, address indexed holder, address indexed party, bool approved);

    /// @notice No record has id `recordId`.
    error RecordNotFound(bytes32 recordId);
    /// @notice The record is revoked, superseded or expired.
    error RecordNotUsable(bytes32 recordId, Status status, uint64 expiresAt);
    /// @notice Taking `requestedKg` would exceed what the record certifies.
    error InsufficientKilograms(bytes32 recordId, uint256 requestedKg, uint256 remainingKg);
    /// @notice `consumer` has fewer than `requestedKg` allocated from the record.
    error DeallocationExceedsAllocation(bytes32 recordId, bytes32 consumer, uint256 requestedKg, uint256 allocatedKg);
    /// @notice A weight of zero kilograms was given where a positive weight is required.
    error ZeroWeight();

    /// @notice Takes `kg` from `recordId` for `consumer`. Only contracts holding ALLOCATOR_ROLE (the shipment
    /// registry). The record must be usable (active, unexpired).
    /// @param recordId The record's id.
    /// @param consumer The consumer key (a shipment line: `consumerOf(shipmentId, lineIndex)`).
    /// @param kg Kilograms.
    function allocate(bytes32 recordId, bytes32 consumer, uint96 kg) external;

    /// @notice Gives back `kg` that `consumer` had taken from `recordId`. ALLOCATOR_ROLE only. Allowed whatever
    /// the record's status, so that unlinking always returns kilograms. If `recordId` was superseded, its
    /// corrections carried the kilograms over as consumed: they go back to the last correction of the chain too
    /// (followed for at most `MAX_CORRECTION_HOPS` corrections; beyond that they stay counted as consumed).
    /// @param recordId The record's id.
    /// @param consumer The consumer key (a shipment line: `consumerOf(shipmentId, lineIndex)`).
    /// @param kg Kilograms.
    function deallocate(bytes32 recordId, bytes32 consumer, uint96 kg) external;

    /// @notice The stored record (all zero if unknown).
    /// @param recordId The record's id.
    /// @return The record.
    function recordOf(bytes32 recordId) external view returns (Record memory);

    /// @notice True if the record exists, is active and has not expired at the current block time.
    /// @param recordId The record's id.
    /// @return Whether the record can be allocated or linked now.
    function isUsable(bytes32 recordId) external view returns (bool);

    /// @notice Kilograms still available from the record.
    /// @param recordId The record's id.
    /// @return The kilograms left.
    function remainingKg(bytes32 recordId) external view returns (uint256);

    /// @notice Kilograms that `consumer` holds from `recordId`.
    /// @param recordId The record's id.
    /// @param consumer The consumer key (a shipment line: `consumerOf(shipmentId, lineIndex)`).
    /// @return The kilograms held.
    function allocatedKg(bytes32 recordId, bytes32 consumer) external view returns (uint256);

    /// @notice Whether `party` may allocate `recordId`'s kilograms to shipments or derive products from it: it is
    /// the record's holder (its issuer: the mill, or the processor of a derived product) or the holder approved it
    /// (`AllocatorApproved`).
    /// @param recordId The record.
    /// @param party The party that links the record, the importer of the shipment it is linked to, or a processor.
    /// @return True if `party` holds the record or is approved by its holder.
    function isApprovedAllocator(bytes32 recordId, address party) external view returns (bool);
}
