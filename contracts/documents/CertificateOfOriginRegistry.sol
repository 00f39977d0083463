// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {DocumentRegistry} from "./DocumentRegistry.sol";
import {IActorRegistry} from "../interfaces/IActorRegistry.sol";
import {ICertificateOfOriginRegistry} from "../interfaces/ICertificateOfOriginRegistry.sol";
import {BusinessRoles} from "../libraries/BusinessRoles.sol";
import {TradeCodes} from "../libraries/TradeCodes.sol";

/// @title CertificateOfOriginRegistry
/// @notice Certificates of origin issued by certifiers (or self-certifying exporters), anchored by content hash.
/// @dev Stores one slot per record plus the certificate-number slot; every field travels in the issued event.
contract CertificateOfOriginRegistry is DocumentRegistry, ICertificateOfOriginRegistry {
    /// @dev `Head.flags` bit: a self-certifying exporter (not a certifier) issued the record.
    uint8 private constant FLAG_SELF_CERTIFIED = 2;

    /// @dev The EIP-712 type `CertificateOfOrigin`, the one home of its field list: every type that embeds a
    /// certificate appends it (EIP-712 lists referenced types after the primary one).
    bytes private constant CERTIFICATE_TYPE =
        "CertificateOfOrigin(bytes32 contentHash,string certificateNumber,address exporter,address importer,"
        "bytes2 countryOfOrigin,uint64[] htsLines,uint64 exportDate,uint64 expiresAt,string uri)";

    // The type hashes are immutables, as in `MillTestReportRegistry`: hashed once, at deployment, not at each use.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable CERTIFICATE_TYPEHASH = keccak256(CERTIFICATE_TYPE);
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable ISSUE_TYPEHASH = keccak256(
        abi.encodePacked(
            "IssueCertificateOfOrigin(CertificateOfOrigin certificate,uint256 nonce,uint256 deadline)",
            CERTIFICATE_TYPE
        )
    );
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable ISSUE_BATCH_TYPEHASH = keccak256(
        abi.encodePacked(
            "IssueCertificateOfOriginBatch(CertificateOfOrigin[] certificates,uint256 nonce,uint256 deadline)",
            CERTIFICATE_TYPE
        )
    );
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable SUPERSEDE_TYPEHASH = keccak256(
        abi.encodePacked(
            "SupersedeCertificateOfOrigin(bytes32 recordId,CertificateOfOrigin correction,uint256 nonce,",
            "uint256 deadline)",
            CERTIFICATE_TYPE
        )
    );

    /// @notice Sets the governance admin (CBP) and the actor registry that decides who may issue.
    function initialize(address admin, IActorRegistry registry) external initializer {
        __DocumentRegistry_init(admin, registry, "TradeTrace CertificateOfOriginRegistry", "1");
    }

    /// @inheritdoc ICertificateOfOriginRegistry
    function issue(CertificateOfOrigin calldata certificate) external whenNotPaused returns (bytes32) {
        return _issue(msg.sender, certificate, bytes32(0));
    }

    /// @inheritdoc ICertificateOfOriginRegistry
    function issueBySig(
        CertificateOfOrigin calldata certificate,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (bytes32) {
        _verifyDelegation(issuer, ISSUE_TYPEHASH, _hash(certificate), deadline, signature);
        return _issue(issuer, certificate, bytes32(0));
    }

    /// @inheritdoc ICertificateOfOriginRegistry
    function anchorSigned(
        SignedCredential calldata credential,
        CertificateOfOrigin calldata certificate
    ) external whenNotPaused returns (bytes32 recordId) {
        (address issuer, bytes32 payloadHash) = _verifySigned(credential, certificate.contentHash);
        recordId = _issue(issuer, certificate, bytes32(0));
        _emitSignedAnchor(recordId, issuer, credential, payloadHash);
    }

    /// @inheritdoc ICertificateOfOriginRegistry
    function issueBatch(
        CertificateOfOrigin[] calldata certificates
    ) external whenNotPaused returns (bytes32[] memory recordIds) {
        return _issueBatch(msg.sender, certificates);
    }

    /// @inheritdoc ICertificateOfOriginRegistry
    function issueBatchBySig(
        CertificateOfOrigin[] calldata certificates,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (bytes32[] memory recordIds) {
        uint256 count = certificates.length;
        bytes32[] memory hashes = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            hashes[i] = _hash(certificates[i]);
        }
        _verifyDelegation(issuer, ISSUE_BATCH_TYPEHASH, keccak256(abi.encodePacked(hashes)), deadline, signature);
        return _issueBatch(issuer, certificates);
    }

    /// @inheritdoc ICertificateOfOriginRegistry
    function supersede(
        bytes32 recordId,
        CertificateOfOrigin calldata correction
    ) external whenNotPaused returns (bytes32) {
        return _supersede(msg.sender, recordId, correction);
    }

    /// @inheritdoc ICertificateOfOriginRegistry
    function supersedeBySig(
        bytes32 recordId,
        CertificateOfOrigin calldata correction,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (bytes32) {
        _verifyDelegation(issuer, SUPERSEDE_TYPEHASH, recordId, _hash(correction), deadline, signature);
        return _supersede(issuer, recordId, correction);
    }

    function _issueBatch(
        address issuer,
        CertificateOfOrigin[] calldata certificates
    ) private returns (bytes32[] memory recordIds) {
        uint256 count = certificates.length;
        if (count == 0) revert EmptyBatch();
        recordIds = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            recordIds[i] = _issue(issuer, certificates[i], bytes32(0));
        }
    }

    function _supersede(
        address issuer,
        bytes32 recordId,
        CertificateOfOrigin calldata correction
    ) private returns (bytes32 newId) {
        _loadForSupersede(recordId, issuer);
        newId = _issue(issuer, correction, recordId);
        _markSuperseded(recordId, newId, issuer);
    }

    /// @dev Validates, authorises, stores and announces one certificate.
    function _issue(
        address issuer,
        CertificateOfOrigin calldata certificate,
        bytes32 predecessor
    ) private returns (bytes32 id) {
        bool selfCertified = _validate(issuer, certificate);
        id = _register(
            Draft({
                contentHash: certificate.contentHash,
                issuer: issuer,
                expiresAt: certificate.expiresAt,
                totalKg: 0,
                consumedKg: 0,
                meltCountries: bytes8(0),
                flags: selfCertified ? FLAG_SELF_CERTIFIED : 0,
                predecessor: predecessor
            }),
            certificate.certificateNumber
        );
        emit CertificateOfOriginIssued(id, certificate.contentHash, issuer, certificate, predecessor);
    }

    /// @dev A certificate issued by a certifier stays the certifier's to manage while it is an active CERTIFIER; a
    /// self-certified one the exporter's while it may still self-certify (active EXPORTER, or now a CERTIFIER).
    function _requireStanding(address issuer, uint8 flags) internal view override {
        if (_isActive(issuer, BusinessRoles.CERTIFIER)) return;
        if (flags & FLAG_SELF_CERTIFIED == 0) revert ActorNotActive(issuer, BusinessRoles.CERTIFIER);
        if (!_isActive(issuer, BusinessRoles.EXPORTER)) {
            revert ActorNotActive(issuer, BusinessRoles.CERTIFIER | BusinessRoles.EXPORTER);
        }
    }

    /// @dev A certifier may certify any exporter; an exporter only itself. Returns whether the issuer self-certifies.
    function _validate(address issuer, CertificateOfOrigin calldata certificate) private view returns (bool self) {
        address exporter = certificate.exporter;
        if (exporter == address(0) || certificate.importer == address(0)) {
            revert InvalidParties(exporter, certificate.importer);
        }
        if (!_isActive(issuer, BusinessRoles.CERTIFIER)) {
            if (!_isActive(issuer, BusinessRoles.EXPORTER)) {
                revert ActorNotActive(issuer, BusinessRoles.CERTIFIER | BusinessRoles.EXPORTER);
            }
            if (exporter != issuer) revert ExporterMustBeIssuer(issuer, exporter);
            self = true;
        }
        if (!TradeCodes.isCountry(certificate.countryOfOrigin)) revert InvalidCountry(certificate.countryOfOrigin);
        uint256 lines = certificate.htsLines.length;
        if (lines == 0) revert NoHtsLines(certificate.contentHash);
        for (uint256 i; i < lines; ++i) {
            uint64 hts = certificate.htsLines[i];
            if (!TradeCodes.isHts(hts)) revert InvalidHts(i, hts);
        }
        if (certificate.exportDate == 0) revert InvalidExportDate(certificate.exportDate);
    }

    /// @dev EIP-712 `hashStruct` of a certificate (split in two encodes to stay within the stack). `view`: it reads
    /// the type hash, an immutable.
    function _hash(CertificateOfOrigin calldata c) private view returns (bytes32) {
        return
            keccak256(
                bytes.concat(
                    abi.encode(
                        CERTIFICATE_TYPEHASH,
                        c.contentHash,
                        keccak256(bytes(c.certificateNumber)),
                        c.exporter,
                        c.importer,
                        c.countryOfOrigin
                    ),
                    abi.encode(
                        keccak256(abi.encodePacked(c.htsLines)),
                        c.exportDate,
                        c.expiresAt,
                        keccak256(bytes(c.uri))
                    )
                )
            );
    }
}
