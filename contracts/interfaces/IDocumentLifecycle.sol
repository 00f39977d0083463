// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IActorRegistry} from "./IActorRegistry.sol";
import {IDocumentRegistry} from "./IDocumentRegistry.sol";
import {ITradeTraceErrors} from "./ITradeTraceErrors.sol";

/// @title IDocumentLifecycle
/// @notice The lifecycle that every TradeTrace document registry adds to `IDocumentRegistry`: record ids bound to
/// their issuer, revocation, supersession by a corrected record, certificate-number uniqueness per issuer, and
/// delegated (EIP-712) issuing. Only an issuer in good standing (active in the actor registry for the role that lets
/// it issue that kind of record) may revoke or correct its records; CBP may always revoke.
/// @dev Issuing functions are typed per document and live in the concrete registry interfaces. Delegated calls take
/// the signer (`issuer`), a `deadline` and a signature over an EIP-712 struct that binds `nonces(issuer)`, so any
/// relayer may submit it exactly once. Signatures are checked with `SignatureChecker` (ERC-1271 wallets work).
interface IDocumentLifecycle is IDocumentRegistry, ITradeTraceErrors {
    /// @notice A VC-JOSE credential (compact JWS, ES256) as its issuer signed it, handed over by any relayer.
    /// @param protectedHeader The JWS protected header, base64url-encoded exactly as signed.
    /// @param payload The JWS payload bytes (the credential JSON, or VC 1.1 JWT claims).
    /// @param r The ES256 signature's r.
    /// @param s The ES256 signature's s.
    /// @param keyIdHash keccak256 of the signing key's id (the DID URL in the header's `kid`), registered in the
    /// actor registry by the issuer.
    /// @param recordIndex Which record of the credential this is (inspection i of a mill test report; 0 else).
    /// @param workflowInstance keccak256 of the presentation's `workflow.instance` (the shipment filing's
    /// `workflowInstanceId`), or 0; the presenter's claim, not signed by the issuer.
    struct SignedCredential {
        bytes protectedHeader;
        bytes payload;
        bytes32 r;
        bytes32 s;
        bytes32 keyIdHash;
        uint32 recordIndex;
        bytes32 workflowInstance;
    }

    /// @notice Record `recordId` of `issuer` was anchored from the signed credential `payload` (record
    /// `recordIndex` of it), verified with key `keyIdHash`; `payloadHash` is its SHA-256. The record's fields were
    /// supplied by the relayer: an indexer re-derives them from `payload` and flags any difference.
    /// @param recordId The record's id.
    /// @param keyIdHash keccak256 of the key id.
    /// @param workflowInstance keccak256 of the presentation's workflow instance, or 0.
    /// @param issuer The issuer (the credential or record signer).
    /// @param payloadHash SHA-256 of the payload.
    /// @param recordIndex Which record of the credential this is.
    /// @param protectedHeader The JWS protected header, base64url-encoded as signed.
    /// @param payload The JWS payload bytes as signed.
    event SignedCredentialAnchored(
        bytes32 indexed recordId,
        bytes32 indexed keyIdHash,
        bytes32 indexed workflowInstance,
        address issuer,
        bytes32 payloadHash,
        uint32 recordIndex,
        bytes protectedHeader,
        bytes payload
    );

    /// @notice `recordId` (issued by `issuer`) was revoked by `by` (its issuer or CBP) for `reason`.
    /// @param recordId The record's id.
    /// @param issuer The issuer (the credential or record signer).
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param reason A reason code (free bytes32).
    event RecordRevoked(bytes32 indexed recordId, address indexed issuer, address indexed by, bytes32 reason);
    /// @notice `recordId` was replaced by the corrected record `successorId`; the old record stays, superseded.
    /// @param recordId The record's id.
    /// @param successorId The correction's record id.
    /// @param issuer The issuer (the credential or record signer).
    event RecordSuperseded(bytes32 indexed recordId, bytes32 indexed successorId, address indexed issuer);

    /// @notice The issuer already anchored this content hash, as record `recordId`.
    error DuplicateRecord(bytes32 recordId);
    /// @notice `issuer` already used `certificateNumber`, for record `existingId`.
    error DuplicateCertificateNumber(address issuer, string certificateNumber, bytes32 existingId);
    /// @notice The certificate number of record `contentHash` is empty.
    error EmptyCertificateNumber(bytes32 contentHash);
    /// @notice The content hash of certificate `certificateNumber` is zero.
    error ZeroContentHash(string certificateNumber);
    /// @notice `expiresAt` is not in the future, or beyond the stored range (2^40 - 1). Use 0 for no expiry.
    error InvalidExpiry(uint64 expiresAt, uint256 blockTimestamp);
    /// @notice `caller` is not the issuer of `recordId` (and, for revocation, not CBP either).
    error NotRecordIssuer(bytes32 recordId, address caller);
    /// @notice `recordId` is no longer active (revoked or superseded).
    error RecordNotActive(bytes32 recordId, Status status);
    /// @notice A batch was empty.
    error EmptyBatch();
    /// @notice A correction would certify `totalKg`, less than the `consumedKg` already handed out by `recordId`.
    error CorrectionBelowConsumed(bytes32 recordId, uint256 totalKg, uint256 consumedKg);

    /// @notice A signed credential's record must carry `expected` (`signedContentHash` of its payload and record
    /// index) as content hash, not `given`.
    error ContentHashNotSigned(bytes32 expected, bytes32 given);

    /// @notice Revokes an active record. Its issuer while in good standing (a suspended issuer, or one whose
    /// credential was revoked or expired, may not: its key may be stolen), or CBP (CBP_ROLE) at any time.
    /// The record stays readable. Kilograms already handed out stay handed out; the record can no longer be used for
    /// new allocations.
    /// @param recordId The record to revoke.
    /// @param reason A reason code (free bytes32, e.g. a short ASCII code) carried in the event.
    function revoke(bytes32 recordId, bytes32 reason) external;

    /// @notice The holder (issuer) of `recordId` approves `party` (or withdraws the approval) to allocate the
    /// record's kilograms to shipments and, for a mill test report, to derived products: the shipment registry links
    /// a mill test report only for a linking party or importer that holds the record or is approved by its holder,
    /// and a processor derives only from records it holds or is approved for. Emits `AllocatorApproved`. Approvals
    /// belong to one record: a correction (`supersede`) starts with none.
    /// @param recordId An existing record issued by the caller.
    /// @param party The party approved (non-zero).
    /// @param approved True to approve, false to withdraw.
    function approveAllocator(bytes32 recordId, address party, bool approved) external;

    /// @notice `approveAllocator` on behalf of `holder`, who signed EIP-712 `ApproveAllocator(bytes32 recordId,
    /// address party,bool approved,uint256 nonce,uint256 deadline)` with its next nonce. Anyone may relay.
    /// @param recordId An existing record issued by `holder`.
    /// @param party The party approved (non-zero).
    /// @param approved True to approve, false to withdraw.
    /// @param holder The record's issuer, who signed.
    /// @param deadline Last second the signature is valid.
    /// @param signature The holder's EIP-712 signature (ERC-1271 wallets work).
    function approveAllocatorBySig(
        bytes32 recordId,
        address party,
        bool approved,
        address holder,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The record id that `issuer` currently holds under `certificateNumber` (0 if none).
    /// After a correction that kept the certificate number this is the newest record.
    /// @param issuer The issuer (the credential or record signer).
    /// @param certificateNumber The issuer's certificate number.
    /// @return The record id, or 0.
    function recordIdOfCertificate(address issuer, string calldata certificateNumber) external view returns (bytes32);

    /// @notice The id under which `issuer` anchors (or anchored) the credential whose content hash is
    /// `contentHash`: `keccak256(abi.encode(issuer, contentHash))`. Whoever else anchors the same hash gets another
    /// id, so nobody can squat or front-run an issuer's credential.
    /// @param issuer The signer recorded as issuer (the mill, the processor of a derived product, the certifier or
    /// self-certifying exporter of a certificate of origin).
    /// @param contentHash SHA-256 of the RFC 8785 canonical credential JSON (or of one record of it).
    /// @return recordId The record id.
    function recordIdOf(address issuer, bytes32 contentHash) external pure returns (bytes32 recordId);

    /// @notice The actor registry that decides who may issue.
    /// @return The actor registry's address.
    function actorRegistry() external view returns (IActorRegistry);

    /// @notice The content hash of record `recordIndex` of a signed credential whose payload hashes to
    /// `payloadHash`: `sha256(abi.encodePacked(payloadHash, recordIndex))`. Signed records are anchored under it.
    /// @param payloadHash SHA-256 of the JWS payload bytes.
    /// @param recordIndex The record's index in the credential.
    /// @return contentHash The content hash.
    function signedContentHash(bytes32 payloadHash, uint32 recordIndex) external pure returns (bytes32 contentHash);
}
