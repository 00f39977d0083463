// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITradeTraceErrors} from "./ITradeTraceErrors.sol";

/// @title IActorRegistry
/// @notice Which trade parties are legitimate. An actor is an address (EOA or ERC-1271 contract wallet) that
/// holds a verifiable actor credential: an EIP-712 statement signed by an issuer that CBP trusts for every
/// business role the credential grants (see `BusinessRoles`). Anyone may submit a credential; the registry keeps
/// one current credential per actor, and a newer credential replaces it (renewal, new roles, a new DID).
/// @dev Expiry is judged at the time of use, so `isActive` is always current.
interface IActorRegistry is ITradeTraceErrors {
    /// @notice An actor credential as signed by its issuer (EIP-712 type `ActorCredential`).
    /// @param subject The actor's address.
    /// @param did The actor's decentralised identifier, e.g. `did:web:mill.example.com`.
    /// @param roles The business roles granted (bit set of `BusinessRoles`).
    /// @param country Where the actor is established (ISO 3166-1 alpha-2).
    /// @param legalNameHash keccak256 of the actor's legal name (the name itself stays off chain).
    /// @param identifiersHash keccak256 of the actor's identifiers (e.g. CBP importer number, GLN, LEI).
    /// @param validFrom First second (unix) at which the credential is valid.
    /// @param validUntil Last second (unix) at which the credential is valid.
    /// @param credentialId Unique id chosen by the issuer; a credential id can be used only once.
    struct ActorCredential {
        address subject;
        string did;
        uint32 roles;
        bytes2 country;
        bytes32 legalNameHash;
        bytes32 identifiersHash;
        uint64 validFrom;
        uint64 validUntil;
        bytes32 credentialId;
    }

    /// @notice The actor's current standing as the registry stores it.
    struct Actor {
        bytes32 credentialId;
        address issuer;
        uint32 roles;
        bytes2 country;
        uint64 validFrom;
        uint64 validUntil;
        uint64 onboardedAt;
        bool suspended;
    }

    /// @notice A P-256 key with which an actor signs VC-JOSE (ES256) credentials: the public key of a
    /// JsonWebKey2020 verification method of the actor's DID document.
    /// @param actor The actor that registered it (zero: no such key).
    /// @param registeredAt Block time of registration.
    /// @param retiredAt Block time of retirement, 0 while current. A retired key stays readable.
    /// @param x The public key's x coordinate.
    /// @param y The public key's y coordinate.
    /// @param didHash keccak256 of the DID the key id is under (the actor's DID when it was registered).
    struct AssertionKey {
        address actor;
        uint40 registeredAt;
        uint40 retiredAt;
        bytes32 x;
        bytes32 y;
        bytes32 didHash;
    }

    /// @notice The state of a credential id.
    enum CredentialStatus {
        Unknown,
        Current,
        Replaced,
        Revoked
    }

    /// @notice Governance trusted `issuer` for the role set `roles` (replacing any earlier set). Actors whose current
    /// credential it signed are active only for the roles in both their credential and `roles` (see `isActive`).
    /// @param issuer The issuer (the credential or record signer).
    /// @param roles A role set (see `BusinessRoles`).
    /// @param previousRoles The role set trusted before (0 if none).
    /// @param by The account that acted (its address, or the signer of a delegated call).
    event TrustedIssuerSet(address indexed issuer, uint32 roles, uint32 previousRoles, address indexed by);
    /// @notice Governance removed `issuer` from the trusted issuers. Actors whose current credential it signed are
    /// inactive from now on (see `isActive`) until another trusted issuer credentials them.
    /// @param issuer The issuer (the credential or record signer).
    /// @param previousRoles The role set trusted before (0 if none).
    /// @param by The account that acted (its address, or the signer of a delegated call).
    event TrustedIssuerRemoved(address indexed issuer, uint32 previousRoles, address indexed by);
    /// @notice `subject` was onboarded, or its credential replaced, with every field of the credential.
    /// @param subject The actor the credential is about.
    /// @param credentialId The credential's id.
    /// @param issuer The issuer (the credential or record signer).
    /// @param did The actor's DID.
    /// @param roles A role set (see `BusinessRoles`).
    /// @param country Where the actor is established (ISO 3166-1 alpha-2).
    /// @param legalNameHash keccak256 of the actor's legal name.
    /// @param identifiersHash keccak256 of the actor's identifiers.
    /// @param validFrom First second the credential is valid.
    /// @param validUntil Last second the credential is valid.
    /// @param previousCredentialId The credential replaced (0 for a first onboarding).
    /// @param submittedBy The account that sent the transaction (the actor itself, or a relayer).
    event ActorOnboarded(
        address indexed subject,
        bytes32 indexed credentialId,
        address indexed issuer,
        string did,
        uint32 roles,
        bytes2 country,
        bytes32 legalNameHash,
        bytes32 identifiersHash,
        uint64 validFrom,
        uint64 validUntil,
        bytes32 previousCredentialId,
        address submittedBy
    );
    /// @notice Credential `credentialId` of `subject` was revoked by `by` (its issuer or CBP).
    /// @param credentialId The credential's id.
    /// @param subject The actor the credential is about.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param reason A reason code (free bytes32).
    event CredentialRevoked(bytes32 indexed credentialId, address indexed subject, address indexed by, bytes32 reason);
    /// @notice `by` (a trusted issuer or CBP) revoked `credentialId` before anyone submitted it: the id is
    /// deny-listed and `onboard` refuses it from now on.
    /// @param credentialId The credential's id.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param reason A reason code (free bytes32).
    event UnsubmittedCredentialRevoked(bytes32 indexed credentialId, address indexed by, bytes32 reason);
    /// @notice CBP suspended `actor`; it is inactive for every role until reinstated.
    /// @param actor The actor.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param reason A reason code (free bytes32).
    event ActorSuspended(address indexed actor, address indexed by, bytes32 reason);
    /// @notice CBP reinstated a suspended `actor`.
    /// @param actor The actor.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param reason A reason code (free bytes32).
    event ActorReinstated(address indexed actor, address indexed by, bytes32 reason);
    /// @notice CBP (`by`) cleared `actor`'s record of its credential `credentialId` (revoked, if it was still
    /// current): the actor holds no roles until a new credential onboards it, which neither the cleared credential's
    /// `validFrom` nor its roles can bar. `onboardedAt` and a suspension are kept.
    /// @param actor The actor.
    /// @param credentialId The credential's id.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param reason A reason code (free bytes32).
    event ActorCredentialCleared(
        address indexed actor,
        bytes32 indexed credentialId,
        address indexed by,
        bytes32 reason
    );

    /// @notice `actor` registered the P-256 key `keyId` (a DID URL under its DID; `keyIdHash` = keccak256 of it).
    /// @param actor The actor.
    /// @param keyIdHash keccak256 of the key id.
    /// @param keyId The key's DID URL.
    /// @param x The public key's x coordinate.
    /// @param y The public key's y coordinate.
    /// @param submittedBy The account that sent the transaction (the actor itself, or a relayer).
    event AssertionKeyRegistered(
        address indexed actor,
        bytes32 indexed keyIdHash,
        string keyId,
        bytes32 x,
        bytes32 y,
        address submittedBy
    );
    /// @notice Key `keyIdHash` of `actor` was retired by `by` (the actor or CBP): it anchors nothing new.
    /// @param actor The actor.
    /// @param keyIdHash keccak256 of the key id.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    event AssertionKeyRetired(address indexed actor, bytes32 indexed keyIdHash, address indexed by);

    /// @notice The role set is empty or has undefined bits.
    error InvalidRoles(uint32 roles);
    /// @notice The validity window is empty or already over.
    error InvalidValidity(uint64 validFrom, uint64 validUntil);
    /// @notice `validFrom` is after `latestAllowed` (block time plus `MAX_VALID_FROM_LEAD`): a far-future start,
    /// e.g. a time in milliseconds, would make the actor inactive for that long.
    error ValidFromTooFarAhead(uint64 validFrom, uint64 latestAllowed);
    /// @notice `issuer` is not trusted for every role `subject` holds now (`heldRoles`: the roles of its current,
    /// unrevoked and unexpired credential that its issuer is still trusted for), so it may replace that credential
    /// only if `subject` submits the new one itself.
    error IssuerNotTrustedForHeldRoles(address subject, address issuer, uint32 heldRoles);
    /// @notice The DID is empty.
    error EmptyDid();
    /// @notice The subject is the zero address.
    error InvalidSubject(address subject);
    /// @notice `issuer` is not trusted for every role in `roles`.
    error IssuerNotTrusted(address issuer, uint32 roles);
    /// @notice The credential id is zero (zero means "no credential").
    error EmptyCredentialId();
    /// @notice `credentialId` was already used.
    error CredentialAlreadyUsed(bytes32 credentialId);
    /// @notice `credentialId` was revoked before it was submitted (deny-listed).
    error CredentialRevokedBeforeSubmission(bytes32 credentialId);
    /// @notice Credential `credentialId` starts at `validFrom`, before the subject's current credential
    /// (`currentValidFrom`; for a revoked one, its `validFrom` or its revocation time, whichever is earlier): an
    /// older credential may not replace a newer one, nor undo a revocation.
    error CredentialOlderThanCurrent(bytes32 credentialId, uint64 validFrom, uint64 currentValidFrom);
    /// @notice `credentialId` is not the current credential of any actor.
    error CredentialNotCurrent(bytes32 credentialId);
    /// @notice `caller` may not revoke `credentialId` (only its issuer or CBP may).
    error NotCredentialIssuer(bytes32 credentialId, address caller);
    /// @notice `actor` has no credential.
    error UnknownActor(address actor);
    /// @notice `actor` is already suspended.
    error ActorAlreadySuspended(address actor);
    /// @notice `actor` is not suspended.
    error ActorNotSuspended(address actor);
    /// @notice `actor`'s record holds no credential (CBP already cleared it).
    error NoCredentialToClear(address actor);

    /// @notice `keyId` is not `<the DID of actor>#<fragment>` (or `actor` has no DID on record).
    error KeyIdNotUnderActorDid(address actor, string keyId);
    /// @notice `(x, y)` is not a point of the P-256 curve.
    error InvalidAssertionKey(bytes32 x, bytes32 y);
    /// @notice Key id `keyIdHash` is already registered (key ids are never reused, so old signatures stay bound).
    error AssertionKeyExists(bytes32 keyIdHash);
    /// @notice No key is registered under `keyIdHash`.
    error UnknownAssertionKey(bytes32 keyIdHash);
    /// @notice Key `keyIdHash` was retired at `retiredAt`.
    error AssertionKeyNotCurrent(bytes32 keyIdHash, uint64 retiredAt);
    /// @notice Key `keyIdHash` is under a DID that its actor no longer holds.
    error AssertionKeyOfFormerDid(bytes32 keyIdHash);
    /// @notice `caller` may not retire key `keyIdHash` (only its actor or CBP may).
    error NotKeyHolder(bytes32 keyIdHash, address caller);
    /// @notice `actor` is suspended.
    error ActorIsSuspended(address actor);
    /// @notice The ES256 signature does not verify with key `keyIdHash` (tampered header or payload, wrong key).
    error InvalidAssertionSignature(bytes32 keyIdHash);
    /// @notice The credential names `credentialIssuer` as its issuer, which is not the DID of `actor`, the
    /// holder of the signing key.
    error CredentialIssuerMismatch(address actor, string credentialIssuer);
    /// @notice The payload has no top-level `issuer` (string, or object with a string `id`) nor `iss` string.
    error CredentialIssuerNotFound();
    /// @notice The payload is not a JSON object that can be read unambiguously (see `JwsPayload`) at `offset`.
    error UnsupportedJson(uint256 offset);

    /// @notice Trusts `issuer` for `roles`, replacing any earlier role set. Governance only.
    /// @param issuer The issuer (the credential or record signer).
    /// @param roles A role set (see `BusinessRoles`).
    function setTrustedIssuer(address issuer, uint32 roles) external;

    /// @notice Removes `issuer` from the trusted issuers. Governance only.
    /// @param issuer The issuer (the credential or record signer).
    function removeTrustedIssuer(address issuer) external;

    /// @notice Onboards `credential.subject` (or replaces its credential). Anyone may submit. Refused: a `validFrom`
    /// more than `MAX_VALID_FROM_LEAD` after the block time; a `validFrom` before that of the subject's current
    /// credential (for a revoked one: before its `validFrom` or revocation time, whichever is earlier), so that a
    /// withheld older credential can't replace a newer one or undo a revocation; and a replacement by an issuer not
    /// trusted for every role the subject holds now, unless the subject submits it itself (its consent).
    /// @param credential The credential as signed.
    /// @param issuer The signer; must be trusted for every role the credential grants.
    /// @param signature EIP-712 signature by `issuer` (ECDSA, or ERC-1271 for contract wallets).
    function onboard(ActorCredential calldata credential, address issuer, bytes calldata signature) external;

    /// @notice Revokes a current credential (its issuer or CBP, `CBP_ROLE`, only), or deny-lists a credential id
    /// never submitted (any trusted issuer or CBP), which `onboard` then refuses.
    /// @param credentialId The credential's id.
    /// @param reason A reason code (free bytes32).
    function revokeCredential(bytes32 credentialId, bytes32 reason) external;

    /// @notice Suspends `actor` for every role. CBP (`CBP_ROLE`) only.
    /// @param actor The actor.
    /// @param reason A reason code (free bytes32).
    function suspend(address actor, bytes32 reason) external;

    /// @notice Lifts a suspension. CBP (`CBP_ROLE`) only.
    /// @param actor The actor.
    /// @param reason A reason code (free bytes32).
    function reinstate(address actor, bytes32 reason) external;

    /// @notice Repairs `actor`'s record: revokes its credential if still current and forgets it, so that a new
    /// credential from any trusted issuer can onboard the actor whatever the cleared credential's `validFrom` and
    /// roles. Keeps `onboardedAt` and a suspension. CBP (`CBP_ROLE`) only.
    /// @param actor An onboarded actor whose record holds a credential.
    /// @param reason Reason code, emitted in `ActorCredentialCleared` (and `CredentialRevoked`).
    function clearCredential(address actor, bytes32 reason) external;

    /// @notice True only if `actor` has an unexpired, unrevoked credential granting every role in `role`, whose
    /// issuer is still trusted for every role in `role`, and is not suspended, judged at the current block time.
    /// @param actor The actor.
    /// @param role A role, or a set of roles that must all be held (see `BusinessRoles`).
    /// @return Whether the actor is active for every role in `role`.
    function isActive(address actor, uint32 role) external view returns (bool);

    /// @notice The actor's current record (all zero for an unknown address).
    /// @param actor The actor.
    /// @return The actor's record.
    function actorOf(address actor) external view returns (Actor memory);

    /// @notice The role set for which `issuer` is trusted (0 if none).
    /// @param issuer The issuer (the credential or record signer).
    /// @return The trusted role set.
    function trustedRolesOf(address issuer) external view returns (uint32);

    /// @notice The status of `credentialId`.
    /// @param credentialId The credential's id.
    /// @return The credential's status.
    function credentialStatus(bytes32 credentialId) external view returns (CredentialStatus);

    /// @notice The EIP-712 digest that `issuer` signs for `credential`.
    /// @param credential The credential as signed.
    /// @return The EIP-712 digest.
    function credentialDigest(ActorCredential calldata credential) external view returns (bytes32);

    /// @notice Registers a P-256 key of `msg.sender`, an onboarded actor that is not suspended.
    /// @param keyId The DID URL of the key's verification method: `<the actor's DID>#<fragment>`, never used before.
    /// @param x The public key's x coordinate (a P-256 point with `y`).
    /// @param y The public key's y coordinate.
    function registerAssertionKey(string calldata keyId, bytes32 x, bytes32 y) external;

    /// @notice `registerAssertionKey` on behalf of `actor`, who signed EIP-712
    /// `RegisterAssertionKey(string keyId,bytes32 x,bytes32 y,uint256 nonce,uint256 deadline)`. Anyone may relay.
    /// @param keyId As in `registerAssertionKey`.
    /// @param x The public key's x coordinate.
    /// @param y The public key's y coordinate.
    /// @param actor The actor that signed.
    /// @param deadline Last second the signature is valid.
    /// @param signature The actor's EIP-712 signature (ERC-1271 wallets work).
    function registerAssertionKeyBySig(
        string calldata keyId,
        bytes32 x,
        bytes32 y,
        address actor,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Retires key `keyIdHash`: it anchors nothing new, and stays readable. Its actor or CBP only.
    /// @param keyIdHash keccak256 of the key id.
    function retireAssertionKey(bytes32 keyIdHash) external;

    /// @notice `retireAssertionKey` on behalf of `actor`, who signed EIP-712
    /// `RetireAssertionKey(bytes32 keyIdHash,uint256 nonce,uint256 deadline)`. Anyone may relay.
    /// @param keyIdHash keccak256 of the key id.
    /// @param actor The key's actor, who signed.
    /// @param deadline Last second the signature is valid.
    /// @param signature The actor's EIP-712 signature.
    function retireAssertionKeyBySig(
        bytes32 keyIdHash,
        address actor,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The key registered under `keyIdHash` (all zero if none), retired or not.
    /// @param keyIdHash keccak256 of the key id.
    /// @return key The key.
    function assertionKeyOf(bytes32 keyIdHash) external view returns (AssertionKey memory key);

    /// @notice keccak256 of `actor`'s DID as of its current credential (0 if unknown or onboarded before keys).
    /// @param actor The actor.
    /// @return didHash The DID's hash.
    function didHashOf(address actor) external view returns (bytes32 didHash);

    /// @notice Checks a compact JWS (ES256) signed with a current key of an actor, and that the payload's issuer
    /// (top-level `issuer`, or `iss`) is that actor's DID. Reverts with the reason otherwise.
    /// @param keyIdHash keccak256 of the key id (the header's `kid`).
    /// @param protectedHeader The protected header, base64url-encoded exactly as signed.
    /// @param payload The payload bytes (the contract base64url-encodes them into the signing input).
    /// @param r The signature's r.
    /// @param s The signature's s (a high s is accepted: JOSE signers don't normalise it).
    /// @return actor The key's actor, the credential's issuer.
    /// @return payloadHash SHA-256 of `payload`.
    function verifyJws(
        bytes32 keyIdHash,
        bytes calldata protectedHeader,
        bytes calldata payload,
        bytes32 r,
        bytes32 s
    ) external view returns (address actor, bytes32 payloadHash);
}
