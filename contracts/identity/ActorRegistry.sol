// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";
import {RegistryBase} from "../common/RegistryBase.sol";
import {IActorRegistry} from "../interfaces/IActorRegistry.sol";
import {BusinessRoles} from "../libraries/BusinessRoles.sol";
import {JwsPayload} from "../libraries/JwsPayload.sol";
import {TradeCodes} from "../libraries/TradeCodes.sol";

/// @title ActorRegistry
/// @notice Which trade parties are legitimate: actors onboarded with an EIP-712 credential signed by an issuer that
/// CBP trusts for every business role the credential grants.
/// @dev Storage keeps only what `isActive`, revocation and replacement need, in three slots per actor: the DID and
/// the name and identifier hashes travel in `ActorOnboarded` only. Timestamps are stored as `uint40` (enough until
/// the year 36812); a later `validFrom`/`validUntil` is stored saturated, which changes no answer of `isActive`.
contract ActorRegistry is IActorRegistry, RegistryBase {
    /// @notice How far after the block time a credential's `validFrom` may lie (finding A1). Issuers sign renewals a
    /// few weeks ahead; a later start is a slip (a time in milliseconds) or a way to keep the actor inactive.
    uint64 public constant MAX_VALID_FROM_LEAD = 30 days;

    /// @dev EIP-712 type hash of `ActorCredential`; field order and types must match `IActorRegistry.ActorCredential`.
    bytes32 private constant ACTOR_CREDENTIAL_TYPEHASH = keccak256(
        "ActorCredential(address subject,string did,uint32 roles,bytes2 country,bytes32 legalNameHash,"
        "bytes32 identifiersHash,uint64 validFrom,uint64 validUntil,bytes32 credentialId)"
    );

    bytes32 private constant REGISTER_KEY_TYPEHASH = keccak256(
        "RegisterAssertionKey(string keyId,bytes32 x,bytes32 y,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant RETIRE_KEY_TYPEHASH = keccak256(
        "RetireAssertionKey(bytes32 keyIdHash,uint256 nonce,uint256 deadline)"
    );

    /// @dev The P-256 group order halved: a JOSE signature's high `s` is folded below it for `P256.verify`.
    uint256 private constant P256_HALF_N = P256.N >> 1;

    /// @dev An actor: slot 0 the current credential id, slot 1 everything else.
    struct ActorRecord {
        bytes32 credentialId;
        address issuer;
        uint32 roles;
        bytes2 country;
        uint40 onboardedAt;
        bool suspended;
    }

    /// @dev A credential, one slot: enough to revoke it by id and to judge its validity window.
    struct CredentialRecord {
        address subject;
        CredentialStatus status;
        uint40 validFrom;
        uint40 validUntil;
    }

    /// @custom:storage-location erc7201:tradetrace.storage.ActorRegistry
    struct ActorRegistryStorage {
        mapping(address issuer => uint32 roles) trustedRoles;
        mapping(address actor => ActorRecord) actors;
        mapping(bytes32 credentialId => CredentialRecord) credentials;
        /// @dev Revocation time of a credential revoked before its `validFrom`: the earliest `validFrom` a credential
        /// replacing it needs (A1), where a credential revoked in force needs its own `validFrom` (R3).
        mapping(bytes32 credentialId => uint40 revokedAt) revokedBeforeStart;
        /// @dev keccak256 of each actor's DID as of its current credential: assertion keys must be under it.
        mapping(address actor => bytes32 didHash) didHashes;
        mapping(bytes32 keyIdHash => AssertionKey) assertionKeys;
    }

    // keccak256(abi.encode(uint256(keccak256("tradetrace.storage.ActorRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x0b7cb8e5ac42beb9e93a2d30ab1ee904b6395fda3261ba970c058383cb072200;

    /// @dev The EIP-712 domain name and version `initialize` sets, as constants: reading them from storage cost
    /// two cold loads per signature check (OpenZeppelin's suggestion when gas matters); this offsets part of the DID
    /// hash slot `onboard` now writes.
    string private constant EIP712_NAME = "TradeTrace ActorRegistry";
    string private constant EIP712_VERSION = "1";

    /// @notice Sets up governance: `admin` (CBP) receives every role, including `CBP_ROLE`.
    /// @dev Public so that a later version inheriting it counts as initialized by it (upgrades plugin rule).
    function initialize(address admin) public initializer {
        __RegistryBase_init(admin, EIP712_NAME, EIP712_VERSION);
        _grantRole(CBP_ROLE, admin);
    }

    /// @inheritdoc IActorRegistry
    function setTrustedIssuer(address issuer, uint32 roles) external onlyRole(CBP_ROLE) whenNotPaused {
        if (issuer == address(0)) revert ZeroAddress();
        if (!BusinessRoles.isValidSet(roles)) revert InvalidRoles(roles);
        ActorRegistryStorage storage $ = _storage();
        uint32 previousRoles = $.trustedRoles[issuer];
        $.trustedRoles[issuer] = roles;
        emit TrustedIssuerSet(issuer, roles, previousRoles, msg.sender);
    }

    /// @inheritdoc IActorRegistry
    /// @dev Reverts with `IssuerNotTrusted(issuer, 0)` if `issuer` is not trusted at all.
    function removeTrustedIssuer(address issuer) external onlyRole(CBP_ROLE) whenNotPaused {
        ActorRegistryStorage storage $ = _storage();
        uint32 previousRoles = $.trustedRoles[issuer];
        if (previousRoles == 0) revert IssuerNotTrusted(issuer, 0);
        delete $.trustedRoles[issuer];
        emit TrustedIssuerRemoved(issuer, previousRoles, msg.sender);
    }

    /// @inheritdoc IActorRegistry
    /// @dev The credential id makes the signature single-use, so no nonce is needed; `validUntil` is the deadline.
    /// A suspension survives a new credential: only CBP lifts it. The replacement rules are in `_replaceCurrent`.
    function onboard(
        ActorCredential calldata credential,
        address issuer,
        bytes calldata signature
    ) external whenNotPaused {
        _validate(credential);
        ActorRegistryStorage storage $ = _storage();
        bytes32 credentialId = credential.credentialId;
        CredentialRecord storage used = $.credentials[credentialId];
        if (used.status != CredentialStatus.Unknown) {
            // A deny-listed id has no subject.
            if (used.subject == address(0)) revert CredentialRevokedBeforeSubmission(credentialId);
            revert CredentialAlreadyUsed(credentialId);
        }
        uint32 roles = credential.roles;
        // A zero issuer is never trusted: setTrustedIssuer rejects it.
        if ($.trustedRoles[issuer] & roles != roles) revert IssuerNotTrusted(issuer, roles);
        bytes32 didHash = keccak256(bytes(credential.did));
        _requireValidSignature(issuer, _hashCredential(credential, didHash), credential.validUntil, signature);

        address subject = credential.subject;
        ActorRecord storage actor = $.actors[subject];
        bytes32 previousCredentialId = actor.credentialId;
        if (previousCredentialId != 0) _replaceCurrent($, actor, credential, issuer);
        $.credentials[credentialId] = CredentialRecord({
            subject: subject,
            status: CredentialStatus.Current,
            validFrom: _toUint40(credential.validFrom),
            validUntil: _toUint40(credential.validUntil)
        });
        actor.credentialId = credentialId;
        actor.issuer = issuer;
        actor.roles = roles;
        actor.country = credential.country;
        // Kept across replacements and a CBP repair (clearCredential), which leaves no previous credential.
        if (actor.onboardedAt == 0) actor.onboardedAt = uint40(block.timestamp);
        // A first onboarding writes without reading (no DID on record); a replacement writes only a new DID.
        if (previousCredentialId == 0 || $.didHashes[subject] != didHash) $.didHashes[subject] = didHash;
        _emitOnboarded(credential, issuer, previousCredentialId);
    }

    /// @inheritdoc IActorRegistry
    /// @dev An issuer that is no longer trusted may still revoke what it issued. An unknown id can't be tied to its
    /// issuer before submission, so any currently trusted issuer may deny-list it; ids should be random.
    function revokeCredential(bytes32 credentialId, bytes32 reason) external whenNotPaused {
        ActorRegistryStorage storage $ = _storage();
        CredentialRecord storage credential = $.credentials[credentialId];
        CredentialStatus status = credential.status;
        if (status == CredentialStatus.Unknown) return _denyCredential($, credential, credentialId, reason);
        if (status != CredentialStatus.Current) revert CredentialNotCurrent(credentialId);
        address subject = credential.subject;
        if (msg.sender != $.actors[subject].issuer && !hasRole(CBP_ROLE, msg.sender)) {
            revert NotCredentialIssuer(credentialId, msg.sender);
        }
        _revoke($, credential, credentialId, subject, reason);
    }

    /// @inheritdoc IActorRegistry
    /// @dev The repair for a record that a bad credential blocks (A1): its `validFrom` no longer bars older
    /// credentials, nor its roles narrower issuers. `_knownActor` needs `onboardedAt`, so a cleared actor stays known.
    function clearCredential(address actor, bytes32 reason) external onlyRole(CBP_ROLE) whenNotPaused {
        ActorRegistryStorage storage $ = _storage();
        ActorRecord storage record = _knownActor(actor);
        bytes32 credentialId = record.credentialId;
        if (credentialId == 0) revert NoCredentialToClear(actor);
        CredentialRecord storage credential = $.credentials[credentialId];
        if (credential.status == CredentialStatus.Current) _revoke($, credential, credentialId, actor, reason);
        record.credentialId = 0;
        record.issuer = address(0);
        record.roles = 0;
        record.country = 0;
        emit ActorCredentialCleared(actor, credentialId, msg.sender, reason);
    }

    function _revoke(
        ActorRegistryStorage storage $,
        CredentialRecord storage credential,
        bytes32 credentialId,
        address subject,
        bytes32 reason
    ) private {
        credential.status = CredentialStatus.Revoked;
        // Revoked before it started: the revocation time, not the later start, bars older credentials (A1).
        if (credential.validFrom > block.timestamp) $.revokedBeforeStart[credentialId] = uint40(block.timestamp);
        emit CredentialRevoked(credentialId, subject, msg.sender, reason);
    }

    function _denyCredential(
        ActorRegistryStorage storage $,
        CredentialRecord storage credential,
        bytes32 credentialId,
        bytes32 reason
    ) private {
        if (credentialId == 0) revert EmptyCredentialId();
        if ($.trustedRoles[msg.sender] == 0 && !hasRole(CBP_ROLE, msg.sender)) {
            revert NotCredentialIssuer(credentialId, msg.sender);
        }
        // Revoked with no subject: onboard tells it apart from a used id.
        credential.status = CredentialStatus.Revoked;
        emit UnsubmittedCredentialRevoked(credentialId, msg.sender, reason);
    }

    /// @inheritdoc IActorRegistry
    function suspend(address actor, bytes32 reason) external onlyRole(CBP_ROLE) whenNotPaused {
        ActorRecord storage record = _knownActor(actor);
        if (record.suspended) revert ActorAlreadySuspended(actor);
        record.suspended = true;
        emit ActorSuspended(actor, msg.sender, reason);
    }

    /// @inheritdoc IActorRegistry
    function reinstate(address actor, bytes32 reason) external onlyRole(CBP_ROLE) whenNotPaused {
        ActorRecord storage record = _knownActor(actor);
        if (!record.suspended) revert ActorNotSuspended(actor);
        record.suspended = false;
        emit ActorReinstated(actor, msg.sender, reason);
    }

    // ---------------------------------------------------------------- assertion keys (VC-JOSE)

    /// @inheritdoc IActorRegistry
    function registerAssertionKey(string calldata keyId, bytes32 x, bytes32 y) external whenNotPaused {
        _registerKey(msg.sender, keyId, x, y);
    }

    /// @inheritdoc IActorRegistry
    function registerAssertionKeyBySig(
        string calldata keyId,
        bytes32 x,
        bytes32 y,
        address actor,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(REGISTER_KEY_TYPEHASH, keccak256(bytes(keyId)), x, y, _useNonce(actor), deadline)
        );
        _requireValidSignature(actor, structHash, deadline, signature);
        _registerKey(actor, keyId, x, y);
    }

    /// @inheritdoc IActorRegistry
    function retireAssertionKey(bytes32 keyIdHash) external whenNotPaused {
        _retireKey(msg.sender, keyIdHash);
    }

    /// @inheritdoc IActorRegistry
    function retireAssertionKeyBySig(
        bytes32 keyIdHash,
        address actor,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        bytes32 structHash = keccak256(abi.encode(RETIRE_KEY_TYPEHASH, keyIdHash, _useNonce(actor), deadline));
        _requireValidSignature(actor, structHash, deadline, signature);
        _retireKey(actor, keyIdHash);
    }

    /// @inheritdoc IActorRegistry
    function assertionKeyOf(bytes32 keyIdHash) external view returns (AssertionKey memory) {
        return _storage().assertionKeys[keyIdHash];
    }

    /// @inheritdoc IActorRegistry
    function didHashOf(address actor) external view returns (bytes32) {
        return _storage().didHashes[actor];
    }

    /// @inheritdoc IActorRegistry
    /// @dev The contract builds the signing input itself, so a relayer can only hand over the bytes as signed.
    function verifyJws(
        bytes32 keyIdHash,
        bytes calldata protectedHeader,
        bytes calldata payload,
        bytes32 r,
        bytes32 s
    ) external view returns (address actor, bytes32 payloadHash) {
        ActorRegistryStorage storage $ = _storage();
        AssertionKey memory key = $.assertionKeys[keyIdHash];
        actor = key.actor;
        if (actor == address(0)) revert UnknownAssertionKey(keyIdHash);
        if (key.retiredAt != 0) revert AssertionKeyNotCurrent(keyIdHash, key.retiredAt);
        bytes32 didHash = $.didHashes[actor];
        if (key.didHash != didHash) revert AssertionKeyOfFormerDid(keyIdHash);
        bytes32 digest = sha256(bytes.concat(protectedHeader, ".", bytes(Base64.encodeURL(payload))));
        // (r, s) and (r, n - s) are the same signature; P256.verify wants the low one.
        if (uint256(s) > P256_HALF_N) s = bytes32(P256.N - uint256(s));
        if (!P256.verify(digest, r, s, key.x, key.y)) revert InvalidAssertionSignature(keyIdHash);
        bytes calldata issuerDid = JwsPayload.issuerDid(payload);
        if (keccak256(issuerDid) != didHash) revert CredentialIssuerMismatch(actor, string(issuerDid));
        payloadHash = sha256(payload);
    }

    /// @dev The key id must be `<DID>#<fragment>` under the actor's current DID: the DID document that lists the
    /// key is the actor's, so a credential verified against it off chain names the same actor on chain.
    function _registerKey(address actor, string calldata keyId, bytes32 x, bytes32 y) private {
        ActorRegistryStorage storage $ = _storage();
        if (_knownActor(actor).suspended) revert ActorIsSuspended(actor);
        bytes32 didHash = $.didHashes[actor];
        bytes calldata id = bytes(keyId);
        uint256 hashAt = _fragmentStart(id);
        if (didHash == 0 || hashAt == 0 || hashAt + 1 >= id.length || keccak256(id[:hashAt]) != didHash) {
            revert KeyIdNotUnderActorDid(actor, keyId);
        }
        if (!P256.isValidPublicKey(x, y)) revert InvalidAssertionKey(x, y);
        bytes32 keyIdHash = keccak256(id);
        AssertionKey storage key = $.assertionKeys[keyIdHash];
        if (key.actor != address(0)) revert AssertionKeyExists(keyIdHash);
        key.actor = actor;
        key.registeredAt = uint40(block.timestamp);
        key.x = x;
        key.y = y;
        key.didHash = didHash;
        emit AssertionKeyRegistered(actor, keyIdHash, keyId, x, y, msg.sender);
    }

    function _retireKey(address caller, bytes32 keyIdHash) private {
        AssertionKey storage key = _storage().assertionKeys[keyIdHash];
        address actor = key.actor;
        if (actor == address(0)) revert UnknownAssertionKey(keyIdHash);
        if (caller != actor && !hasRole(CBP_ROLE, caller)) revert NotKeyHolder(keyIdHash, caller);
        if (key.retiredAt != 0) revert AssertionKeyNotCurrent(keyIdHash, key.retiredAt);
        key.retiredAt = uint40(block.timestamp);
        emit AssertionKeyRetired(actor, keyIdHash, caller);
    }

    /// @dev The index of the first `#` in `id` (0 if none: a DID is never empty, so 0 is no valid position).
    function _fragmentStart(bytes calldata id) private pure returns (uint256) {
        for (uint256 i; i < id.length; ++i) {
            if (id[i] == "#") return i;
        }
        return 0;
    }

    /// @inheritdoc IActorRegistry
    function isActive(address actor, uint32 role) external view returns (bool) {
        if (role == 0) return false;
        ActorRegistryStorage storage $ = _storage();
        ActorRecord storage record = $.actors[actor];
        if (record.suspended || record.roles & role != role) return false;
        // The issuer must still be trusted for the roles asked about: distrusting it (or narrowing its roles)
        // deactivates what it signed at once, and a credential from another issuer restores the actor.
        if ($.trustedRoles[record.issuer] & role != role) return false;
        CredentialRecord storage credential = $.credentials[record.credentialId];
        return
            credential.status == CredentialStatus.Current &&
            block.timestamp >= credential.validFrom &&
            block.timestamp <= credential.validUntil;
    }

    /// @inheritdoc IActorRegistry
    /// @dev `onboardedAt` is the first onboarding, kept when the credential is replaced; validity times beyond
    /// `type(uint40).max` come back saturated.
    function actorOf(address actor) external view returns (Actor memory) {
        ActorRegistryStorage storage $ = _storage();
        ActorRecord storage record = $.actors[actor];
        // An unknown actor has credential id 0, whose record is empty: every field comes out zero.
        CredentialRecord storage credential = $.credentials[record.credentialId];
        return
            Actor({
                credentialId: record.credentialId,
                issuer: record.issuer,
                roles: record.roles,
                country: record.country,
                validFrom: credential.validFrom,
                validUntil: credential.validUntil,
                onboardedAt: record.onboardedAt,
                suspended: record.suspended
            });
    }

    /// @inheritdoc IActorRegistry
    function trustedRolesOf(address issuer) external view returns (uint32) {
        return _storage().trustedRoles[issuer];
    }

    /// @inheritdoc IActorRegistry
    function credentialStatus(bytes32 credentialId) external view returns (CredentialStatus) {
        return _storage().credentials[credentialId].status;
    }

    /// @inheritdoc IActorRegistry
    function credentialDigest(ActorCredential calldata credential) external view returns (bytes32) {
        return _hashTypedDataV4(_hashCredential(credential, keccak256(bytes(credential.did))));
    }

    function _validate(ActorCredential calldata credential) private view {
        if (credential.subject == address(0)) revert InvalidSubject(credential.subject);
        if (bytes(credential.did).length == 0) revert EmptyDid();
        if (!BusinessRoles.isValidSet(credential.roles)) revert InvalidRoles(credential.roles);
        if (!TradeCodes.isCountry(credential.country)) revert InvalidCountry(credential.country);
        if (credential.validUntil <= credential.validFrom || credential.validUntil < block.timestamp) {
            revert InvalidValidity(credential.validFrom, credential.validUntil);
        }
        uint256 latestAllowed = block.timestamp + MAX_VALID_FROM_LEAD;
        if (credential.validFrom > latestAllowed) {
            revert ValidFromTooFarAhead(credential.validFrom, uint64(latestAllowed));
        }
        if (credential.credentialId == 0) revert EmptyCredentialId();
    }

    /// @dev Checks that `credential`, signed by `issuer`, may replace the subject's current credential, and marks
    /// that one Replaced (a revoked one stays Revoked). A withheld older credential must not replace a newer one nor
    /// undo a revocation (R3), but a revoked credential bars nothing valid from after its revocation (A1). While the
    /// current credential is in force, only an issuer trusted for every role it still grants may replace it, or the
    /// subject itself by submitting (A1): a narrowly trusted issuer can't strip roles it doesn't vouch for.
    function _replaceCurrent(
        ActorRegistryStorage storage $,
        ActorRecord storage actor,
        ActorCredential calldata credential,
        address issuer
    ) private {
        bytes32 currentId = actor.credentialId;
        CredentialRecord storage current = $.credentials[currentId];
        CredentialStatus status = current.status;
        uint40 notBefore = current.validFrom;
        if (status == CredentialStatus.Revoked) {
            uint40 revokedAt = $.revokedBeforeStart[currentId];
            if (revokedAt != 0) notBefore = revokedAt;
        }
        if (_toUint40(credential.validFrom) < notBefore) {
            revert CredentialOlderThanCurrent(credential.credentialId, credential.validFrom, notBefore);
        }
        if (status != CredentialStatus.Current) return;
        if (block.timestamp <= current.validUntil && msg.sender != credential.subject) {
            uint32 heldRoles = actor.roles & $.trustedRoles[actor.issuer];
            if ($.trustedRoles[issuer] & heldRoles != heldRoles) {
                revert IssuerNotTrustedForHeldRoles(credential.subject, issuer, heldRoles);
            }
        }
        current.status = CredentialStatus.Replaced;
    }

    function _emitOnboarded(ActorCredential calldata c, address issuer, bytes32 previousCredentialId) private {
        emit ActorOnboarded(
            c.subject,
            c.credentialId,
            issuer,
            c.did,
            c.roles,
            c.country,
            c.legalNameHash,
            c.identifiersHash,
            c.validFrom,
            c.validUntil,
            previousCredentialId,
            msg.sender
        );
    }

    /// @dev `didHash` is keccak256 of `c.did`, which `onboard` also stores.
    function _hashCredential(ActorCredential calldata c, bytes32 didHash) private pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    ACTOR_CREDENTIAL_TYPEHASH,
                    c.subject,
                    didHash,
                    c.roles,
                    c.country,
                    c.legalNameHash,
                    c.identifiersHash,
                    c.validFrom,
                    c.validUntil,
                    c.credentialId
                )
            );
    }

    function _EIP712Name() internal pure override returns (string memory) {
        return EIP712_NAME;
    }

    function _EIP712Version() internal pure override returns (string memory) {
        return EIP712_VERSION;
    }

    function _knownActor(address actor) private view returns (ActorRecord storage record) {
        record = _storage().actors[actor];
        if (record.onboardedAt == 0) revert UnknownActor(actor);
    }

    function _toUint40(uint64 value) private pure returns (uint40) {
        return value > type(uint40).max ? type(uint40).max : uint40(value);
    }

    function _storage() private pure returns (ActorRegistryStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }
}
