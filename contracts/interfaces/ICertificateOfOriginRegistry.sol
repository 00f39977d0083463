// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDocumentLifecycle} from "./IDocumentLifecycle.sol";

/// @title ICertificateOfOriginRegistry
/// @notice Certificates of origin (W3C traceability `CertificationOfOrigin`) anchored on chain. A certifier such as a
/// chamber of commerce (CERTIFIER role) issues them for any exporter; an exporter (EXPORTER role) may self-certify,
/// but only for itself. Certificates certify no weight (`totalKg` 0), so they cannot be allocated.
interface ICertificateOfOriginRegistry is IDocumentLifecycle {
    /// @notice The fields of a certificate of origin. This is also the EIP-712 type `CertificateOfOrigin`.
    /// @param contentHash SHA-256 of the RFC 8785 canonical credential JSON; with the issuer it makes the record id
    /// (`recordIdOf`).
    /// @param certificateNumber The issuer's certificate number (unique per issuer, non-empty).
    /// @param exporter The exporter's actor address.
    /// @param importer The importer's actor address.
    /// @param countryOfOrigin ISO 3166-1 alpha-2 country of origin (`manufacturingCountry` in the credential).
    /// @param htsLines The goods' 10-digit HTSUS numbers (e.g. 7304.19.1020 as 7304191020), at least one.
    /// @param exportDate Unix seconds (UTC midnight of `dateOfExport`), non-zero.
    /// @param expiresAt Last valid second, or 0 for no expiry.
    /// @param uri Where the full credential can be fetched (carried in the event only).
    struct CertificateOfOrigin {
        bytes32 contentHash;
        string certificateNumber;
        address exporter;
        address importer;
        bytes2 countryOfOrigin;
        uint64[] htsLines;
        uint64 exportDate;
        uint64 expiresAt;
        string uri;
    }

    /// @notice `issuer` issued certificate `recordId` (= `recordIdOf(issuer, contentHash)`) with every field of
    /// `certificate`; `supersedes` is the record this one corrects (0 if none). `contentHash` is indexed so that a
    /// credential file finds its records.
    /// @param recordId The record's id.
    /// @param contentHash SHA-256 of the RFC 8785 canonical credential JSON (or of one record of it).
    /// @param issuer The issuer (the credential or record signer).
    /// @param certificate The certificate of origin's fields.
    /// @param supersedes The record this one corrects (0 if none).
    event CertificateOfOriginIssued(
        bytes32 indexed recordId,
        bytes32 indexed contentHash,
        address indexed issuer,
        CertificateOfOrigin certificate,
        bytes32 supersedes
    );

    /// @notice The exporter or the importer is the zero address.
    error InvalidParties(address exporter, address importer);
    /// @notice A self-certifying exporter (not a certifier) named another exporter.
    error ExporterMustBeIssuer(address issuer, address exporter);
    /// @notice Certificate `contentHash` lists no HTS line.
    error NoHtsLines(bytes32 contentHash);
    /// @notice The export date is zero.
    error InvalidExportDate(uint64 exportDate);

    /// @notice Issues `certificate` as `msg.sender` (active CERTIFIER, or EXPORTER naming itself as exporter).
    /// @return recordId `recordIdOf(msg.sender, certificate.contentHash)`.
    /// @param certificate The certificate of origin's fields.
    function issue(CertificateOfOrigin calldata certificate) external returns (bytes32 recordId);

    /// @notice Issues `certificate` on behalf of `issuer`, who signed EIP-712
    /// `IssueCertificateOfOrigin(CertificateOfOrigin certificate,uint256 nonce,uint256 deadline)`. Anyone may relay.
    /// @param certificate The certificate of origin's fields.
    /// @param issuer The issuer (the credential or record signer).
    /// @param deadline Last second the signature is valid.
    /// @param signature The signer's EIP-712 signature (ECDSA, or ERC-1271 for contract wallets).
    /// @return recordId The new record's id.
    function issueBySig(
        CertificateOfOrigin calldata certificate,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 recordId);

    /// @notice Anchors `certificate` for the issuer of the VC-JOSE `credential` (the actor whose registered P-256
    /// key signed it, named by the payload as issuer: an active CERTIFIER, or an EXPORTER naming itself). Anyone
    /// may relay; `certificate.contentHash` must be `signedContentHash(sha256(payload), credential.recordIndex)`.
    /// Emits `CertificateOfOriginIssued` and `SignedCredentialAnchored`.
    /// @param credential The signed credential as its issuer signed it.
    /// @param certificate The record mapped from the credential.
    /// @return recordId `recordIdOf(issuer, certificate.contentHash)`.
    function anchorSigned(
        SignedCredential calldata credential,
        CertificateOfOrigin calldata certificate
    ) external returns (bytes32 recordId);

    /// @notice Issues several certificates as `msg.sender`; all or nothing.
    /// @param certificates The certificates of origin, at least one.
    /// @return recordIds The new records' ids, in the order given.
    function issueBatch(CertificateOfOrigin[] calldata certificates) external returns (bytes32[] memory recordIds);

    /// @notice Issues several certificates for `issuer` with one EIP-712 signature over
    /// `IssueCertificateOfOriginBatch(CertificateOfOrigin[] certificates,uint256 nonce,uint256 deadline)`.
    /// @param certificates The certificates of origin, at least one.
    /// @param issuer The issuer (the credential or record signer).
    /// @param deadline Last second the signature is valid.
    /// @param signature The signer's EIP-712 signature (ECDSA, or ERC-1271 for contract wallets).
    /// @return recordIds The new records' ids, in the order given.
    function issueBatchBySig(
        CertificateOfOrigin[] calldata certificates,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32[] memory recordIds);

    /// @notice Replaces active record `recordId` by `correction`. Only its issuer, while in good standing (still an
    /// active CERTIFIER if it issued as one; a self-certifying exporter: still an active EXPORTER or CERTIFIER); the
    /// correction may keep the certificate number. The old record stays, marked superseded, with `successor` set.
    /// @param recordId The record's id.
    /// @param correction The corrected record's fields.
    /// @return newId The correction's record id.
    function supersede(bytes32 recordId, CertificateOfOrigin calldata correction) external returns (bytes32 newId);

    /// @notice `supersede` on behalf of `issuer`, who signed EIP-712
    /// `SupersedeCertificateOfOrigin(bytes32 recordId,CertificateOfOrigin correction,uint256 nonce,uint256 deadline)`.
    /// @param recordId The record's id.
    /// @param correction The corrected record's fields.
    /// @param issuer The issuer (the credential or record signer).
    /// @param deadline Last second the signature is valid.
    /// @param signature The signer's EIP-712 signature (ECDSA, or ERC-1271 for contract wallets).
    /// @return newId The correction's record id.
    function supersedeBySig(
        bytes32 recordId,
        CertificateOfOrigin calldata correction,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 newId);
}
