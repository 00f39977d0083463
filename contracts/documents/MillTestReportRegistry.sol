// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {DocumentRegistry} from "./DocumentRegistry.sol";
import {IActorRegistry} from "../interfaces/IActorRegistry.sol";
import {IMillTestReportRegistry} from "../interfaces/IMillTestReportRegistry.sol";
import {BusinessRoles} from "../libraries/BusinessRoles.sol";
import {SteelCodec} from "../libraries/SteelCodec.sol";
import {TradeCodes} from "../libraries/TradeCodes.sol";

/// @title MillTestReportRegistry
/// @notice Mill test reports issued by mills, and products derived from them by processors, with a mass balance
/// that no record can overdraw and countries of melt and pour that follow the steel through every step.
/// @dev A report takes three fresh slots: its head, its balance (total, consumed, up to four melt countries) and
/// its certificate-number key. Chemistry and mechanics travel packed (`SteelCodec`) in calldata and the event.
contract MillTestReportRegistry is DocumentRegistry, IMillTestReportRegistry {
    /// @dev At most four `bytes2` countries fit the `bytes8` kept in a record's balance slot.
    uint256 private constant MAX_MELT_COUNTRIES = 4;

    /// @dev The EIP-712 type `MillTestReport`, the one home of its field list: every type that embeds a report
    /// appends it (EIP-712 lists referenced types after the primary one, alphabetically: LineageInput first).
    bytes private constant REPORT_TYPE =
        "MillTestReport(bytes32 contentHash,string certificateNumber,string heatNumber,string productStandard,"
        "string grade,bytes2 countryOfMeltAndPour,bytes2 countryOfManufacture,uint256[2] chemistry,"
        "uint256 mechanics,uint96 totalKg,uint64 expiresAt,string uri)";
    bytes private constant INPUT_TYPE = "LineageInput(bytes32 recordId,uint96 kg)";

    // The type hashes are immutables: a constant hashing another constant is hashed again at each use (some 200 gas
    // per report hashed, 500 more per signature check); an immutable is hashed once, at deployment, and sits in the
    // code like a constant. Every implementation computes the same values, so upgrades are safe.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable REPORT_TYPEHASH = keccak256(REPORT_TYPE);
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable INPUT_TYPEHASH = keccak256(INPUT_TYPE);
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable ISSUE_TYPEHASH = keccak256(
        abi.encodePacked("IssueMillTestReport(MillTestReport report,uint256 nonce,uint256 deadline)", REPORT_TYPE)
    );
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable ISSUE_BATCH_TYPEHASH = keccak256(
        abi.encodePacked(
            "IssueMillTestReportBatch(MillTestReport[] reports,uint256 nonce,uint256 deadline)",
            REPORT_TYPE
        )
    );
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable DERIVE_TYPEHASH = keccak256(
        abi.encodePacked(
            "DeriveProduct(MillTestReport product,LineageInput[] inputs,uint256 nonce,uint256 deadline)",
            INPUT_TYPE,
            REPORT_TYPE
        )
    );
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    bytes32 private immutable SUPERSEDE_TYPEHASH = keccak256(
        abi.encodePacked(
            "SupersedeMillTestReport(bytes32 recordId,MillTestReport correction,uint256 nonce,uint256 deadline)",
            REPORT_TYPE
        )
    );

    /// @notice Sets the governance admin (CBP) and the actor registry that decides who may issue.
    function initialize(address admin, IActorRegistry registry) external initializer {
        __DocumentRegistry_init(admin, registry, "TradeTrace MillTestReportRegistry", "1");
    }

    // ---------------------------------------------------------------- mill reports

    /// @inheritdoc IMillTestReportRegistry
    function issue(MillTestReport calldata report) external whenNotPaused returns (bytes32) {
        _requireActive(msg.sender, BusinessRoles.MILL);
        return _issueMill(msg.sender, report);
    }

    /// @inheritdoc IMillTestReportRegistry
    function issueBySig(
        MillTestReport calldata report,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (bytes32) {
        _verifyDelegation(issuer, ISSUE_TYPEHASH, _hashReport(report), deadline, signature);
        _requireActive(issuer, BusinessRoles.MILL);
        return _issueMill(issuer, report);
    }

    /// @inheritdoc IMillTestReportRegistry
    function anchorSigned(
        SignedCredential calldata credential,
        MillTestReport calldata report
    ) external whenNotPaused returns (bytes32 recordId) {
        (address issuer, bytes32 payloadHash) = _verifySigned(credential, report.contentHash);
        _requireActive(issuer, BusinessRoles.MILL);
        recordId = _issueMill(issuer, report);
        _emitSignedAnchor(recordId, issuer, credential, payloadHash);
    }

    /// @inheritdoc IMillTestReportRegistry
    function issueBatch(MillTestReport[] calldata reports) external whenNotPaused returns (bytes32[] memory) {
        return _issueBatch(msg.sender, reports);
    }

    /// @inheritdoc IMillTestReportRegistry
    function issueBatchBySig(
        MillTestReport[] calldata reports,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (bytes32[] memory) {
        uint256 count = reports.length;
        bytes32[] memory hashes = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            hashes[i] = _hashReport(reports[i]);
        }
        _verifyDelegation(issuer, ISSUE_BATCH_TYPEHASH, keccak256(abi.encodePacked(hashes)), deadline, signature);
        return _issueBatch(issuer, reports);
    }

    // ---------------------------------------------------------------- lineage

    /// @inheritdoc IMillTestReportRegistry
    function derive(
        MillTestReport calldata product,
        LineageInput[] calldata inputs
    ) external whenNotPaused returns (bytes32) {
        return _derive(msg.sender, product, inputs);
    }

    /// @inheritdoc IMillTestReportRegistry
    function deriveBySig(
        MillTestReport calldata product,
        LineageInput[] calldata inputs,
        address processor,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (bytes32) {
        _verifyDelegation(processor, DERIVE_TYPEHASH, _hashReport(product), _hashInputs(inputs), deadline, signature);
        return _derive(processor, product, inputs);
    }

    // ---------------------------------------------------------------- corrections

    /// @inheritdoc IMillTestReportRegistry
    function supersede(bytes32 recordId, MillTestReport calldata correction) external whenNotPaused returns (bytes32) {
        return _supersede(msg.sender, recordId, correction);
    }

    /// @inheritdoc IMillTestReportRegistry
    function supersedeBySig(
        bytes32 recordId,
        MillTestReport calldata correction,
        address issuer,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused returns (bytes32) {
        _verifyDelegation(issuer, SUPERSEDE_TYPEHASH, recordId, _hashReport(correction), deadline, signature);
        return _supersede(issuer, recordId, correction);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IMillTestReportRegistry
    function meltAndPourCountriesOf(bytes32 recordId) external view returns (bytes2[] memory) {
        return _unpackCountries(_balanceOf(recordId).meltCountries);
    }

    /// @inheritdoc IMillTestReportRegistry
    function isDerived(bytes32 recordId) external view returns (bool) {
        return _headOf(recordId).flags & FLAG_DERIVED != 0;
    }

    // ---------------------------------------------------------------- internals

    function _issueBatch(address issuer, MillTestReport[] calldata reports) private returns (bytes32[] memory ids) {
        uint256 count = reports.length;
        if (count == 0) revert EmptyBatch();
        // One role check for the whole batch: the issuer is the same for every item.
        _requireActive(issuer, BusinessRoles.MILL);
        ids = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            ids[i] = _issueMill(issuer, reports[i]);
        }
    }

    /// @dev A mill's own report: its country of melt and pour is the one it declares.
    function _issueMill(address issuer, MillTestReport calldata report) private returns (bytes32) {
        return _store(issuer, report, 0, bytes8(report.countryOfMeltAndPour), 0, bytes32(0));
    }

    function _derive(
        address processor,
        MillTestReport calldata product,
        LineageInput[] calldata inputs
    ) private returns (bytes32 productId) {
        _requireActive(processor, BusinessRoles.PROCESSOR);
        uint256 count = inputs.length;
        if (count == 0) revert NoInputs(product.contentHash);
        uint256[] memory remaining = new uint256[](count);
        uint256 inputKg;
        bytes8 melt;
        for (uint256 i; i < count; ++i) {
            bytes32 inputId = inputs[i].recordId;
            uint96 kg = inputs[i].kg;
            if (kg == 0) revert ZeroWeight();
            _requireUsable(inputId);
            // R1: lineage passes material on only where the holder sold it (approved the processor).
            if (!_isApprovedAllocator(inputId, processor)) revert InputNotApproved(inputId, processor);
            remaining[i] = _consume(inputId, kg);
            inputKg += kg;
            melt = _mergeCountries(melt, _balanceOf(inputId).meltCountries);
        }
        if (product.totalKg > inputKg) revert WeightExceedsInputs(product.totalKg, inputKg);
        productId = _store(processor, product, 0, melt, FLAG_DERIVED, bytes32(0));
        emit ProductDerived(productId, processor, inputs, remaining, _unpackCountries(melt));
    }

    function _supersede(
        address issuer,
        bytes32 recordId,
        MillTestReport calldata correction
    ) private returns (bytes32 newId) {
        (Head memory head, Balance memory balance) = _loadForSupersede(recordId, issuer);
        bytes8 melt;
        if (head.flags & FLAG_DERIVED != 0) {
            // The inputs are already consumed: keep their countries and never certify more than they gave.
            if (correction.totalKg > balance.totalKg) revert WeightExceedsInputs(correction.totalKg, balance.totalKg);
            melt = balance.meltCountries;
        } else {
            melt = bytes8(correction.countryOfMeltAndPour);
        }
        newId = _store(issuer, correction, balance.consumedKg, melt, head.flags, recordId);
        _markSuperseded(recordId, newId, issuer);
    }

    /// @dev Validates the report against `melt` (the countries it may declare), stores it and emits its event.
    function _store(
        address issuer,
        MillTestReport calldata report,
        uint96 consumedKg,
        bytes8 melt,
        uint8 flags,
        bytes32 predecessor
    ) private returns (bytes32 id) {
        _validate(report, melt);
        id = _register(
            Draft({
                contentHash: report.contentHash,
                issuer: issuer,
                expiresAt: report.expiresAt,
                totalKg: report.totalKg,
                consumedKg: consumedKg,
                meltCountries: melt,
                flags: flags,
                predecessor: predecessor
            }),
            report.certificateNumber
        );
        emit MillTestReportIssued(id, report.contentHash, issuer, report, predecessor, flags & FLAG_DERIVED != 0);
    }

    /// @dev A mill's report stays the mill's to manage while it is an active MILL; a derived product the
    /// processor's while it is an active PROCESSOR.
    function _requireStanding(address issuer, uint8 flags) internal view override {
        _requireActive(issuer, flags & FLAG_DERIVED != 0 ? BusinessRoles.PROCESSOR : BusinessRoles.MILL);
    }

    function _validate(MillTestReport calldata report, bytes8 melt) private pure {
        if (report.totalKg == 0) revert ZeroWeight();
        if (bytes(report.heatNumber).length == 0) revert EmptyHeatNumber(report.contentHash);
        bytes2 meltCountry = report.countryOfMeltAndPour;
        if (!TradeCodes.isCountry(meltCountry)) revert InvalidCountry(meltCountry);
        if (!TradeCodes.isCountry(report.countryOfManufacture)) revert InvalidCountry(report.countryOfManufacture);
        if (!_containsCountry(melt, meltCountry)) revert MeltCountryNotInherited(meltCountry, _unpackCountries(melt));
        SteelCodec.validateChemistry(report.chemistry);
        SteelCodec.validateMechanics(report.mechanics);
    }

    /// @dev The union of two packed country sets, deduplicated, in first-seen order.
    function _mergeCountries(bytes8 set, bytes8 more) private pure returns (bytes8) {
        for (uint256 i; i < MAX_MELT_COUNTRIES; ++i) {
            bytes2 country = bytes2(more << (16 * i));
            if (country == bytes2(0)) break;
            if (_containsCountry(set, country)) continue;
            uint256 used = _countCountries(set);
            if (used == MAX_MELT_COUNTRIES) revert TooManyMeltCountries(country);
            set |= bytes8(country) >> (16 * used);
        }
        return set;
    }

    function _containsCountry(bytes8 set, bytes2 country) private pure returns (bool) {
        for (uint256 i; i < MAX_MELT_COUNTRIES; ++i) {
            if (bytes2(set << (16 * i)) == country) return true;
        }
        return false;
    }

    function _countCountries(bytes8 set) private pure returns (uint256 count) {
        while (count < MAX_MELT_COUNTRIES && bytes2(set << (16 * count)) != bytes2(0)) ++count;
    }

    function _unpackCountries(bytes8 set) private pure returns (bytes2[] memory countries) {
        uint256 count = _countCountries(set);
        countries = new bytes2[](count);
        for (uint256 i; i < count; ++i) {
            countries[i] = bytes2(set << (16 * i));
        }
    }

    /// @dev EIP-712 `hashStruct` of a report (split in two encodes to stay within the stack). `view`: it reads the
    /// type hash, an immutable.
    function _hashReport(MillTestReport calldata r) private view returns (bytes32) {
        return
            keccak256(
                bytes.concat(
                    abi.encode(
                        REPORT_TYPEHASH,
                        r.contentHash,
                        keccak256(bytes(r.certificateNumber)),
                        keccak256(bytes(r.heatNumber)),
                        keccak256(bytes(r.productStandard)),
                        keccak256(bytes(r.grade)),
                        r.countryOfMeltAndPour
                    ),
                    abi.encode(
                        r.countryOfManufacture,
                        keccak256(abi.encodePacked(r.chemistry)),
                        r.mechanics,
                        r.totalKg,
                        r.expiresAt,
                        keccak256(bytes(r.uri))
                    )
                )
            );
    }

    function _hashInputs(LineageInput[] calldata inputs) private view returns (bytes32) {
        uint256 count = inputs.length;
        bytes32[] memory hashes = new bytes32[](count);
        for (uint256 i; i < count; ++i) {
            hashes[i] = keccak256(abi.encode(INPUT_TYPEHASH, inputs[i].recordId, inputs[i].kg));
        }
        return keccak256(abi.encodePacked(hashes));
    }
}
