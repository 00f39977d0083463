// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDocumentLifecycle} from "./IDocumentLifecycle.sol";

/// @title IMillTestReportRegistry
/// @notice Mill test reports (W3C traceability `MillTestReportCredential`) anchored on chain, with lineage: a mill
/// (MILL role) certifies a heat; a processor (PROCESSOR role) turns input reports into a derived product
/// (heat -> slab -> coil -> pipe) that consumes kilograms from each input and inherits their countries of melt and
/// pour. No record ever hands out more kilograms than it certifies, to products or to shipments.
interface IMillTestReportRegistry is IDocumentLifecycle {
    /// @notice The fields of a mill test report. This is also the EIP-712 type `MillTestReport`.
    /// @param contentHash SHA-256 of the RFC 8785 canonical credential JSON; with the issuer it makes the record id
    /// (`recordIdOf`).
    /// @param certificateNumber The issuer's certificate number (unique per issuer, non-empty).
    /// @param heatNumber The heat identification (non-empty); a derived product names its own or its inputs' heat.
    /// @param productStandard The product standard, e.g. "API 5L" (credential `productSpecification.standard`).
    /// @param grade The material grade, e.g. "X52" (credential `productSpecification.grade`).
    /// @param countryOfMeltAndPour ISO 3166-1 alpha-2. For a derived product it must be one of the inherited
    /// countries of its inputs.
    /// @param countryOfManufacture ISO 3166-1 alpha-2.
    /// @param chemistry Chemical composition in ppm of mass, packed as documented in `SteelCodec`.
    /// @param mechanics Yield and tensile strength (0.01 MPa), elongation and reduction of area (0.01 %), Charpy
    /// energy (0.01 J) and hardness, packed as documented in `SteelCodec`.
    /// @param totalKg Weight certified, in kilograms (non-zero).
    /// @param expiresAt Last valid second, or 0 for no expiry.
    /// @param uri Where the full credential can be fetched (carried in the event only).
    struct MillTestReport {
        bytes32 contentHash;
        string certificateNumber;
        string heatNumber;
        string productStandard;
        string grade;
        bytes2 countryOfMeltAndPour;
        bytes2 countryOfManufacture;
        uint256[2] chemistry;
        uint256 mechanics;
        uint96 totalKg;
        uint64 expiresAt;
        string uri;
    }

    /// @notice One input of a derived product: `kg` taken from record `recordId` (a record id, not a content hash).
    /// EIP-712 type `LineageInput`.
    struct LineageInput {
        bytes32 recordId;
        uint96 kg;
    }

    /// @notice `issuer` issued report `recordId` (= `recordIdOf(issuer, contentHash)`) with every field of `report`;
    /// `supersedes` is the record this one corrects (0 if none); `derived` is true for a processor's derived product
    /// (see `ProductDerived`). `contentHash` is indexed so that a credential file finds its records.
    /// @param recordId The record's id.
    /// @param contentHash SHA-256 of the RFC 8785 canonical credential JSON (or of one record of it).
    /// @param issuer The issuer (the credential or record signer).
    /// @param report The mill test report's fields.
    /// @param supersedes The record this one corrects (0 if none).
    /// @param derived True for a processor's derived product.
    event MillTestReportIssued(
        bytes32 indexed recordId,
        bytes32 indexed contentHash,
        address indexed issuer,
        MillTestReport report,
        bytes32 supersedes,
        bool derived
    );

    /// @notice `processor` derived product `productId` from `inputs`; after it, input `i` had `inputRemainingKg[i]`
    /// kilograms left. The product inherited `meltAndPourCountries` (the deduplicated union of its inputs').
    /// @param productId The derived product's record id.
    /// @param processor The processor (PROCESSOR role) that derives, and signs for a delegated derivation.
    /// @param inputs The input records and the kilograms taken from each.
    /// @param inputRemainingKg Kilograms left in each input after the derivation, in the order of `inputs`.
    /// @param meltAndPourCountries The countries of melt and pour the product inherited.
    event ProductDerived(
        bytes32 indexed productId,
        address indexed processor,
        LineageInput[] inputs,
        uint256[] inputRemainingKg,
        bytes2[] meltAndPourCountries
    );

    /// @notice The heat number of report `contentHash` is empty.
    error EmptyHeatNumber(bytes32 contentHash);
    /// @notice Derived product `productId` lists no input.
    error NoInputs(bytes32 productId);
    /// @notice A derived product (or its correction) would certify `totalKg`, more than the `inputKg` it consumed.
    error WeightExceedsInputs(uint256 totalKg, uint256 inputKg);
    /// @notice A derived product declares `declared` as country of melt and pour, which is none of its inputs'.
    error MeltCountryNotInherited(bytes2 declared, bytes2[] inherited);
    /// @notice The inputs have more than four distinct countries of melt and pour; `country` did not fit.
    error TooManyMeltCountries(bytes2 country);
    /// @notice `processor` may not derive from input `recordId`: it neither holds the record nor was approved by
    /// its holder (`approveAllocator`, finding R1).
    /// @param recordId The input record.
    /// @param processor The processor that would consume it.
    error InputNotApproved(bytes32 recordId, address processor);

    /// @notice Issues `report` as `msg.sender`, an active MILL.
    /// @return recordId `recordIdOf(msg.sender, report.contentHash)`.
    /// @param report The mill test report's fields.
    function issue(MillTestReport calldata report) external returns (bytes32 recordId);

    /// @notice Issues `report` on behalf of `issuer` (an active MILL), who signed EIP-712
    /// `IssueMillTestReport(MillTestReport report,uint256 nonce,uint256 deadline)`. Anyone may relay.
    /// @param report The mill test report's fields.
    /// @param issuer The issuer (the credential or record signer).
    /// @param deadline Last second the signature is valid.
    /// @param signature The signer's EIP-712 signature (ECDSA, or ERC-1271 for contract wallets).
    /// @return recordId The new record's id.
    function issueBySig(
        MillTestReport calldata report,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 recordId);

    /// @notice Anchors `report` for the issuer of the VC-JOSE `credential` (the actor whose registered P-256 key
    /// signed it, named by the payload as issuer, an active MILL). Anyone may relay; `report.contentHash` must be
    /// `signedContentHash(sha256(payload), credential.recordIndex)`. Emits `MillTestReportIssued` and
    /// `SignedCredentialAnchored`.
    /// @param credential The signed credential as its issuer signed it.
    /// @param report The record mapped from the credential's inspection `credential.recordIndex`.
    /// @return recordId `recordIdOf(issuer, report.contentHash)`.
    function anchorSigned(
        SignedCredential calldata credential,
        MillTestReport calldata report
    ) external returns (bytes32 recordId);

    /// @notice Issues several reports as `msg.sender`; all or nothing.
    /// @param reports The mill test reports, at least one.
    /// @return recordIds The new records' ids, in the order given.
    function issueBatch(MillTestReport[] calldata reports) external returns (bytes32[] memory recordIds);

    /// @notice Issues several reports for `issuer` with one EIP-712 signature over
    /// `IssueMillTestReportBatch(MillTestReport[] reports,uint256 nonce,uint256 deadline)`.
    /// @param reports The mill test reports, at least one.
    /// @param issuer The issuer (the credential or record signer).
    /// @param deadline Last second the signature is valid.
    /// @param signature The signer's EIP-712 signature (ECDSA, or ERC-1271 for contract wallets).
    /// @return recordIds The new records' ids, in the order given.
    function issueBatchBySig(
        MillTestReport[] calldata reports,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32[] memory recordIds);

    /// @notice Registers `product`, derived by `msg.sender` (an active PROCESSOR) from `inputs`. Each input must be
    /// usable, held by the processor or approved for it by its holder (`isApprovedAllocator`, else
    /// `InputNotApproved`), and have `kg` left; `product.totalKg` may not exceed the kilograms consumed. The product
    /// inherits the inputs' countries of melt and pour (at most four distinct); the processor holds it.
    /// @param product The derived product's fields.
    /// @param inputs The input records and the kilograms taken from each.
    /// @return productId The derived product's record id.
    function derive(
        MillTestReport calldata product,
        LineageInput[] calldata inputs
    ) external returns (bytes32 productId);

    /// @notice `derive` on behalf of `processor`, who signed EIP-712
    /// `DeriveProduct(MillTestReport product,LineageInput[] inputs,uint256 nonce,uint256 deadline)`. The inputs must
    /// be approved for the processor; the relayer's approvals count for nothing.
    /// @param product The derived product's fields.
    /// @param inputs The input records and the kilograms taken from each.
    /// @param processor The processor (PROCESSOR role) that derives, and signs for a delegated derivation.
    /// @param deadline Last second the signature is valid.
    /// @param signature The signer's EIP-712 signature (ECDSA, or ERC-1271 for contract wallets).
    /// @return productId The derived product's record id.
    function deriveBySig(
        MillTestReport calldata product,
        LineageInput[] calldata inputs,
        address processor,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 productId);

    /// @notice Replaces active record `recordId` by `correction`. Only its issuer, while still an active MILL (for a
    /// derived product: PROCESSOR); the correction may keep the certificate number. It carries over the kilograms
    /// already consumed, so a correction never frees tonnage; a derived product's correction keeps the inherited
    /// countries and may not certify more than the original.
    /// @param recordId The record's id.
    /// @param correction The corrected record's fields.
    /// @return newId The correction's record id.
    function supersede(bytes32 recordId, MillTestReport calldata correction) external returns (bytes32 newId);

    /// @notice `supersede` on behalf of `issuer`, who signed EIP-712
    /// `SupersedeMillTestReport(bytes32 recordId,MillTestReport correction,uint256 nonce,uint256 deadline)`.
    /// @param recordId The record's id.
    /// @param correction The corrected record's fields.
    /// @param issuer The issuer (the credential or record signer).
    /// @param deadline Last second the signature is valid.
    /// @param signature The signer's EIP-712 signature (ECDSA, or ERC-1271 for contract wallets).
    /// @return newId The correction's record id.
    function supersedeBySig(
        bytes32 recordId,
        MillTestReport calldata correction,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 newId);

    /// @notice The countries of melt and pour of `recordId` (one for a mill's report, the inherited set for a
    /// derived product; empty if unknown).
    /// @param recordId The record's id.
    /// @return The countries (ISO 3166-1 alpha-2).
    function meltAndPourCountriesOf(bytes32 recordId) external view returns (bytes2[] memory);

    /// @notice Whether `recordId` is a processor's derived product.
    /// @param recordId The record's id.
    /// @return Whether the record is a derived product.
    function isDerived(bytes32 recordId) external view returns (bool);
}
