// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {RegistryBase} from "../common/RegistryBase.sol";
import {IActorRegistry} from "../interfaces/IActorRegistry.sol";
import {IDocumentLifecycle} from "../interfaces/IDocumentLifecycle.sol";
import {IDocumentRegistry} from "../interfaces/IDocumentRegistry.sol";

/// @title DocumentRegistry
/// @notice The shared flow of every document registry: who may issue (directly or by EIP-712 delegation), the
/// record store keyed by issuer and content hash, certificate-number uniqueness, revocation and supersession by an
/// issuer in good standing, expiry and the mass balance (`allocate`/`deallocate` for ALLOCATOR_ROLE, consumption by
/// derived products).
/// @dev Concrete registries own the typed entry points and the per-document logic (payload validation, EIP-712
/// struct hash, typed event, which role may issue and keep managing its records: `_requireStanding`); they call the
/// internal steps below, which hold the checks and the storage once. A record takes one storage slot (`Head`), plus
/// one (`Balance`) when it certifies a weight or countries of melt and pour, plus one per issuer certificate number;
/// a successor pointer costs a slot only when a record is superseded.
abstract contract DocumentRegistry is RegistryBase, IDocumentLifecycle {
    /// @notice May allocate and deallocate kilograms (the shipment registry).
    bytes32 public constant ALLOCATOR_ROLE = keccak256("ALLOCATOR_ROLE");
    /// @notice How many corrections `deallocate` follows to find the live end of a superseded record's chain.
    uint256 public constant MAX_CORRECTION_HOPS = 16;

    bytes32 private constant APPROVE_ALLOCATOR_TYPEHASH = keccak256(
        "ApproveAllocator(bytes32 recordId,address party,bool approved,uint256 nonce,uint256 deadline)"
    );

    /// @dev `Head.flags` bit: the record is a processor's derived product.
    uint8 internal constant FLAG_DERIVED = 1;

    /// @dev One slot: 160 + 40 + 40 + 8 + 8 bits. uint40 seconds last until the year 36812.
    struct Head {
        address issuer;
        uint40 issuedAt;
        uint40 expiresAt;
        Status status;
        uint8 flags;
    }

    /// @dev One slot: 96 + 96 + 64 bits. `meltCountries` holds up to four `bytes2` codes from the high end,
    /// zero-padded (mill test reports only).
    struct Balance {
        uint96 totalKg;
        uint96 consumedKg;
        bytes8 meltCountries;
    }

    /// @dev What `_register` needs besides the certificate number.
    struct Draft {
        bytes32 contentHash;
        address issuer;
        uint64 expiresAt;
        uint96 totalKg;
        uint96 consumedKg;
        bytes8 meltCountries;
        uint8 flags;
        bytes32 predecessor;
    }

    /// @custom:storage-location erc7201:tradetrace.storage.DocumentRegistry
    struct DocumentRegistryStorage {
        IActorRegistry actorRegistry;
        mapping(bytes32 recordId => Head) heads;
        mapping(bytes32 recordId => Balance) balances;
        mapping(bytes32 recordId => bytes32 successorId) successors;
        mapping(bytes32 issuerCertificateKey => bytes32 recordId) certificates;
        mapping(bytes32 recordId => mapping(bytes32 consumer => uint96 kg)) allocations;
        /// @dev Parties the record's holder approved to allocate its kilograms to shipments (R1).
        mapping(bytes32 recordId => mapping(address party => bool)) allocators;
    }

    // keccak256(abi.encode(uint256(keccak256("tradetrace.storage.DocumentRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x531bcb4f9b157d6043ccf9bf1168090d777b5d783bc1f3a735a4d13dbd8f5200;

    // solhint-disable-next-line func-name-mixedcase
    function __DocumentRegistry_init(
        address admin,
        IActorRegistry registry,
        string memory name,
        string memory version
    ) internal onlyInitializing {
        if (address(registry) == address(0)) revert ZeroAddress();
        __RegistryBase_init(admin, name, version);
        _grantRole(CBP_ROLE, admin);
        _storage().actorRegistry = registry;
    }

    // ---------------------------------------------------------------- lifecycle

    /// @inheritdoc IDocumentLifecycle
    function revoke(bytes32 recordId, bytes32 reason) external whenNotPaused {
        Head storage head = _storage().heads[recordId];
        Status status = head.status;
        if (status == Status.None) revert RecordNotFound(recordId);
        address issuer = head.issuer;
        if (!hasRole(CBP_ROLE, msg.sender)) {
            if (msg.sender != issuer) revert NotRecordIssuer(recordId, msg.sender);
            // A suspended issuer's key may be stolen: it must not wipe out the genuine records (finding A4).
            _requireStanding(issuer, head.flags);
        }
        if (status != Status.Active) revert RecordNotActive(recordId, status);
        head.status = Status.Revoked;
        emit RecordRevoked(recordId, issuer, msg.sender, reason);
    }

    // ---------------------------------------------------------------- allocation approvals

    /// @inheritdoc IDocumentLifecycle
    function approveAllocator(bytes32 recordId, address party, bool approved) external whenNotPaused {
        _approveAllocator(msg.sender, recordId, party, approved);
    }

    /// @inheritdoc IDocumentLifecycle
    function approveAllocatorBySig(
        bytes32 recordId,
        address party,
        bool approved,
        address holder,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(APPROVE_ALLOCATOR_TYPEHASH, recordId, party, approved, _useNonce(holder), deadline)
        );
        _requireValidSignature(holder, structHash, deadline, signature);
        _approveAllocator(holder, recordId, party, approved);
    }

    /// @dev Any status: withdrawing an approval of a revoked record is still worth recording, and approving one
    /// grants nothing (links need a usable record).
    function _approveAllocator(address holder, bytes32 recordId, address party, bool approved) private {
        if (party == address(0)) revert ZeroAddress();
        DocumentRegistryStorage storage $ = _storage();
        address issuer = $.heads[recordId].issuer;
        if (issuer == address(0)) revert RecordNotFound(recordId);
        if (issuer != holder) revert NotRecordIssuer(recordId, holder);
        $.allocators[recordId][party] = approved;
        emit AllocatorApproved(recordId, holder, party, approved);
    }

    // ---------------------------------------------------------------- mass balance

    /// @inheritdoc IDocumentRegistry
    function allocate(bytes32 recordId, bytes32 consumer, uint96 kg) external onlyRole(ALLOCATOR_ROLE) whenNotPaused {
        if (kg == 0) revert ZeroWeight();
        _requireUsable(recordId);
        uint256 remaining = _consume(recordId, kg);
        _storage().allocations[recordId][consumer] += kg;
        emit KilogramsAllocated(recordId, consumer, kg, remaining);
    }

    /// @inheritdoc IDocumentRegistry
    function deallocate(bytes32 recordId, bytes32 consumer, uint96 kg) external onlyRole(ALLOCATOR_ROLE) whenNotPaused {
        if (kg == 0) revert ZeroWeight();
        DocumentRegistryStorage storage $ = _storage();
        uint96 held = $.allocations[recordId][consumer];
        if (kg > held) revert DeallocationExceedsAllocation(recordId, consumer, kg, held);
        $.allocations[recordId][consumer] = held - kg;
        Balance storage balance = $.balances[recordId];
        // Allocations are part of consumedKg, so this cannot underflow.
        uint96 consumed = balance.consumedKg - kg;
        balance.consumedKg = consumed;
        emit KilogramsReleased(recordId, consumer, kg, balance.totalKg - consumed);
        bytes32 successor = $.successors[recordId];
        if (successor != bytes32(0)) _returnToCorrection($, recordId, successor, kg);
    }

    /// @dev A correction copies its predecessor's consumed kilograms, so kilograms given back to a superseded
    /// record are still counted by the live end of its chain: give them back there, or they would be stranded.
    function _returnToCorrection(
        DocumentRegistryStorage storage $,
        bytes32 recordId,
        bytes32 correctionId,
        uint96 kg
    ) private {
        for (uint256 hops = 1; hops <= MAX_CORRECTION_HOPS; ++hops) {
            bytes32 next = $.successors[correctionId];
            if (next == bytes32(0)) {
                Balance storage balance = $.balances[correctionId];
                // The correction counts every kilogram still held against its predecessors: no underflow.
                uint96 consumed = balance.consumedKg - kg;
                balance.consumedKg = consumed;
                emit KilogramsReturnedToCorrection(recordId, correctionId, kg, balance.totalKg - consumed);
                return;
            }
            correctionId = next;
        }
        // A longer chain keeps the kilograms counted as consumed: fail safe, never over-use.
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IDocumentRegistry
    function recordOf(bytes32 recordId) external view returns (Record memory record) {
        DocumentRegistryStorage storage $ = _storage();
        Head memory head = $.heads[recordId];
        Balance memory balance = $.balances[recordId];
        record = Record({
            issuer: head.issuer,
            issuedAt: head.issuedAt,
            expiresAt: head.expiresAt,
            status: head.status,
            totalKg: balance.totalKg,
            consumedKg: balance.consumedKg,
            successor: $.successors[recordId]
        });
    }

    /// @inheritdoc IDocumentRegistry
    function isUsable(bytes32 recordId) external view returns (bool) {
        Head memory head = _storage().heads[recordId];
        return head.status == Status.Active && !_expired(head.expiresAt);
    }

    /// @inheritdoc IDocumentRegistry
    function remainingKg(bytes32 recordId) external view returns (uint256) {
        Balance memory balance = _storage().balances[recordId];
        return balance.totalKg - balance.consumedKg;
    }

    /// @inheritdoc IDocumentRegistry
    function allocatedKg(bytes32 recordId, bytes32 consumer) external view returns (uint256) {
        return _storage().allocations[recordId][consumer];
    }

    /// @inheritdoc IDocumentRegistry
    function isApprovedAllocator(bytes32 recordId, address party) external view returns (bool) {
        return _isApprovedAllocator(recordId, party);
    }

    /// @dev The one rule for who may take a record's kilograms (R1): its holder, or a party the holder approved.
    function _isApprovedAllocator(bytes32 recordId, address party) internal view returns (bool) {
        DocumentRegistryStorage storage $ = _storage();
        address holder = $.heads[recordId].issuer;
        return holder != address(0) && (party == holder || $.allocators[recordId][party]);
    }

    /// @inheritdoc IDocumentLifecycle
    function recordIdOfCertificate(address issuer, string calldata certificateNumber) external view returns (bytes32) {
        return _storage().certificates[_certificateKey(issuer, certificateNumber)];
    }

    /// @inheritdoc IDocumentLifecycle
    function actorRegistry() external view returns (IActorRegistry) {
        return _storage().actorRegistry;
    }

    /// @inheritdoc IDocumentLifecycle
    function recordIdOf(address issuer, bytes32 contentHash) external pure returns (bytes32) {
        return _recordIdOf(issuer, contentHash);
    }

    /// @inheritdoc IDocumentLifecycle
    function signedContentHash(bytes32 payloadHash, uint32 recordIndex) public pure returns (bytes32) {
        return sha256(abi.encodePacked(payloadHash, recordIndex));
    }

    // ---------------------------------------------------------------- shared steps for the concrete registries

    /// @dev Checks a signed credential (the actor registry verifies the JWS and the issuer DID) and that
    /// `contentHash`, which the relayer supplied with the record, is the one its signed payload gives. Returns the
    /// issuer (the signing key's actor) and the payload's hash.
    function _verifySigned(
        SignedCredential calldata credential,
        bytes32 contentHash
    ) internal view returns (address issuer, bytes32 payloadHash) {
        (issuer, payloadHash) = _storage().actorRegistry.verifyJws(
            credential.keyIdHash,
            credential.protectedHeader,
            credential.payload,
            credential.r,
            credential.s
        );
        bytes32 expected = signedContentHash(payloadHash, credential.recordIndex);
        if (contentHash != expected) revert ContentHashNotSigned(expected, contentHash);
    }

    /// @dev Announces that `recordId` was anchored from `credential`.
    function _emitSignedAnchor(
        bytes32 recordId,
        address issuer,
        SignedCredential calldata credential,
        bytes32 payloadHash
    ) internal {
        emit SignedCredentialAnchored(
            recordId,
            credential.keyIdHash,
            credential.workflowInstance,
            issuer,
            payloadHash,
            credential.recordIndex,
            credential.protectedHeader,
            credential.payload
        );
    }

    /// @dev Reverts unless `account` is active in the actor registry for every bit of `role`.
    function _requireActive(address account, uint32 role) internal view {
        if (!_isActive(account, role)) revert ActorNotActive(account, role);
    }

    /// @dev Reverts unless `issuer` may still manage (revoke, correct) a record it issued with `flags`: it must be
    /// active for the role that lets it issue that kind of record.
    function _requireStanding(address issuer, uint8 flags) internal view virtual;

    /// @dev Whether `account` is active for `role` in the actor registry.
    function _isActive(address account, uint32 role) internal view returns (bool) {
        return _storage().actorRegistry.isActive(account, role);
    }

    /// @dev Checks a delegated signature by `signer` over the EIP-712 struct
    /// `typeHash(bytes32 field, uint256 nonce, uint256 deadline)`, consuming the signer's nonce.
    function _verifyDelegation(
        address signer,
        bytes32 typeHash,
        bytes32 field,
        uint256 deadline,
        bytes calldata signature
    ) internal {
        bytes32 structHash = keccak256(abi.encode(typeHash, field, _useNonce(signer), deadline));
        _requireValidSignature(signer, structHash, deadline, signature);
    }

    /// @dev `_verifyDelegation` for a struct of two fields (`field1`, `field2`) before the nonce and deadline.
    function _verifyDelegation(
        address signer,
        bytes32 typeHash,
        bytes32 field1,
        bytes32 field2,
        uint256 deadline,
        bytes calldata signature
    ) internal {
        bytes32 structHash = keccak256(abi.encode(typeHash, field1, field2, _useNonce(signer), deadline));
        _requireValidSignature(signer, structHash, deadline, signature);
    }

    /// @dev Stores a new active record under `recordIdOf(draft.issuer, draft.contentHash)` and returns that id, after
    /// the checks every document shares: non-zero content hash, non-empty certificate number, sane expiry, no content
    /// hash anchored twice by the issuer, no certificate number reused by the issuer (except by the record that
    /// `draft.predecessor` supersedes), and a correction not below what was consumed.
    function _register(Draft memory draft, string calldata certificateNumber) internal returns (bytes32 id) {
        if (draft.contentHash == bytes32(0)) revert ZeroContentHash(certificateNumber);
        if (bytes(certificateNumber).length == 0) revert EmptyCertificateNumber(draft.contentHash);
        uint64 expiresAt = draft.expiresAt;
        if (expiresAt != 0 && (expiresAt <= block.timestamp || expiresAt > type(uint40).max)) {
            revert InvalidExpiry(expiresAt, block.timestamp);
        }
        if (draft.consumedKg > draft.totalKg) {
            revert CorrectionBelowConsumed(draft.predecessor, draft.totalKg, draft.consumedKg);
        }
        DocumentRegistryStorage storage $ = _storage();
        id = _recordIdOf(draft.issuer, draft.contentHash);
        if ($.heads[id].status != Status.None) revert DuplicateRecord(id);
        bytes32 key = _certificateKey(draft.issuer, certificateNumber);
        bytes32 holder = $.certificates[key];
        if (holder != bytes32(0) && holder != draft.predecessor) {
            revert DuplicateCertificateNumber(draft.issuer, certificateNumber, holder);
        }
        $.certificates[key] = id;
        $.heads[id] = Head({
            issuer: draft.issuer,
            issuedAt: uint40(block.timestamp),
            expiresAt: uint40(expiresAt),
            status: Status.Active,
            flags: draft.flags
        });
        // Documents without weight (certificates of origin) skip the second slot; every weighed document (a mill
        // test report) has a non-zero weight, so its countries of melt and pour always get stored.
        if (draft.totalKg != 0) {
            $.balances[id] = Balance({
                totalKg: draft.totalKg,
                consumedKg: draft.consumedKg,
                meltCountries: draft.meltCountries
            });
        }
    }

    /// @dev Checks that `caller` may supersede `recordId` (it is active, `caller` issued it and is still in good
    /// standing) and returns what the correction inherits.
    function _loadForSupersede(
        bytes32 recordId,
        address caller
    ) internal view returns (Head memory head, Balance memory balance) {
        DocumentRegistryStorage storage $ = _storage();
        head = $.heads[recordId];
        if (head.status == Status.None) revert RecordNotFound(recordId);
        if (head.issuer != caller) revert NotRecordIssuer(recordId, caller);
        if (head.status != Status.Active) revert RecordNotActive(recordId, head.status);
        _requireStanding(caller, head.flags);
        balance = $.balances[recordId];
    }

    /// @dev Marks `recordId` superseded by the already registered `successorId`.
    function _markSuperseded(bytes32 recordId, bytes32 successorId, address issuer) internal {
        DocumentRegistryStorage storage $ = _storage();
        $.heads[recordId].status = Status.Superseded;
        $.successors[recordId] = successorId;
        emit RecordSuperseded(recordId, successorId, issuer);
    }

    /// @dev Reverts unless `recordId` exists, is active and has not expired.
    function _requireUsable(bytes32 recordId) internal view {
        Head memory head = _storage().heads[recordId];
        if (head.status == Status.None) revert RecordNotFound(recordId);
        if (head.status != Status.Active || _expired(head.expiresAt)) {
            revert RecordNotUsable(recordId, head.status, head.expiresAt);
        }
    }

    /// @dev Takes `kg` from `recordId`'s balance and returns what is left; reverts if not enough is left.
    function _consume(bytes32 recordId, uint96 kg) internal returns (uint256 remaining) {
        Balance storage balance = _storage().balances[recordId];
        uint96 total = balance.totalKg;
        uint96 consumed = balance.consumedKg;
        remaining = total - consumed;
        if (kg > remaining) revert InsufficientKilograms(recordId, kg, remaining);
        balance.consumedKg = consumed + kg;
        remaining -= kg;
    }

    /// @dev The stored head of `recordId`.
    function _headOf(bytes32 recordId) internal view returns (Head memory) {
        return _storage().heads[recordId];
    }

    /// @dev The stored balance of `recordId`.
    function _balanceOf(bytes32 recordId) internal view returns (Balance memory) {
        return _storage().balances[recordId];
    }

    function _expired(uint40 expiresAt) private view returns (bool) {
        return expiresAt != 0 && block.timestamp > expiresAt;
    }

    function _recordIdOf(address issuer, bytes32 contentHash) private pure returns (bytes32) {
        return keccak256(abi.encode(issuer, contentHash));
    }

    function _certificateKey(address issuer, string calldata certificateNumber) private pure returns (bytes32) {
        return keccak256(abi.encodePacked(issuer, certificateNumber));
    }

    function _storage() private pure returns (DocumentRegistryStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}
