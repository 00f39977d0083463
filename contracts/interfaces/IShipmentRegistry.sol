// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITradeTraceErrors} from "./ITradeTraceErrors.sol";

/// @title IShipmentRegistry
/// @notice Pre-arrival shipment filings for steel imports and their customs lifecycle. The importer, or a customs
/// broker it authorised, files a shipment (directly or by EIP-712 delegation); the trade parties link certificates
/// of origin and mill test reports (the latter take kilograms from the report's mass balance); the carrier reports
/// departure and arrival; CBP places holds, orders examinations, requests information and releases or refuses.
/// @dev Only hashes, statuses, parties and link balances are stored; every submitted field travels in events so an
/// indexer never needs `eth_call`. Nothing the trade submitted is ever deleted: amendments are new versions and the
/// hash of every version stays readable.
interface IShipmentRegistry is ITradeTraceErrors {
    /// @notice The customs lifecycle: Filed -> Departed -> Arrived -> Released | Refused.
    enum Status {
        None,
        Filed,
        Departed,
        Arrived,
        Released,
        Refused
    }

    /// @notice The state of a CBP watch entry.
    enum WatchStatus {
        None,
        Active,
        Retired
    }

    /// @notice The parties of a shipment (EIP-712 type `Parties`). None may be the zero address.
    struct Parties {
        address importer;
        address exporter;
        address manufacturer;
        address carrier;
    }

    /// @notice One declared line (EIP-712 type `Line`).
    /// @param hts The 10-digit HTSUS number, e.g. 7304.19.1020 as 7304191020.
    /// @param declaredKg Declared net weight in kilograms (positive).
    /// @param declaredValueCents Declared value in US cents.
    /// @param originCountry Declared country of origin (ISO 3166-1 alpha-2).
    struct Line {
        uint64 hts;
        uint96 declaredKg;
        uint64 declaredValueCents;
        bytes2 originCountry;
    }

    /// @notice Everything the trade declares for a shipment (EIP-712 type `ShipmentFiling`); each amendment
    /// submits a complete new filing.
    /// @param parties Importer, exporter, manufacturer and carrier.
    /// @param lines The declared lines (1 to `MAX_LINES`).
    /// @param exportCountry Country of export (ISO 3166-1 alpha-2).
    /// @param transshipmentCountries Countries the cargo passes through on the way (may be empty).
    /// @param portOfLading Port of lading (UN/LOCODE).
    /// @param portOfEntry U.S. port of entry (UN/LOCODE).
    /// @param estimatedArrival Estimated arrival at the port of entry (unix seconds).
    /// @param billOfLading Bill of lading number (non-empty).
    /// @param entryNumber CBP entry number (may be empty until assigned).
    /// @param workflowInstanceId The join key shared with the traceability credentials of this shipment.
    struct ShipmentFiling {
        Parties parties;
        Line[] lines;
        bytes2 exportCountry;
        bytes2[] transshipmentCountries;
        bytes5 portOfLading;
        bytes5 portOfEntry;
        uint64 estimatedArrival;
        string billOfLading;
        string entryNumber;
        bytes32 workflowInstanceId;
    }

    /// @notice What the registry stores about a shipment.
    /// @param importer The importer (fixed for the life of the shipment).
    /// @param status See `Status`.
    /// @param version The current version: 1 at filing, incremented by each amendment.
    /// @param lineCount Number of lines in the current version.
    /// @param activeHolds Number of CBP holds in force; release needs zero.
    /// @param filer Who filed: the importer itself or its customs broker.
    /// @param exporter Exporter of the current version.
    /// @param manufacturer Manufacturer of the current version.
    /// @param carrier Carrier of the current version.
    struct ShipmentRecord {
        address importer;
        Status status;
        uint32 version;
        uint16 lineCount;
        uint16 activeHolds;
        address filer;
        address exporter;
        address manufacturer;
        address carrier;
    }

    /// @notice A CBP watch entry: steel melted and poured in `meltCountry` under HTS numbers starting with
    /// `htsPrefix` (the first `prefixLength` digits of the 10-digit number) deserves attention.
    /// @param meltCountry Country of melt and pour (ISO 3166-1 alpha-2).
    /// @param htsPrefix The leading digits as a number, e.g. 7304 for prefix "7304" with `prefixLength` 4.
    /// @param prefixLength How many leading digits `htsPrefix` stands for (2 to 10).
    /// @param reasonCode Why (e.g. keccak256("ADCVD") or keccak256("EAPA")).
    /// @param caseReference The case, e.g. an AD/CVD order "A-580-870" or an EAPA case number.
    struct WatchEntry {
        bytes2 meltCountry;
        uint64 htsPrefix;
        uint8 prefixLength;
        bytes32 reasonCode;
        string caseReference;
    }

    /// @notice `importer` authorised (or stopped authorising) `broker` to file and amend shipments for it.
    /// @param importer The importer.
    /// @param broker The customs broker.
    /// @param authorized True to authorise, false to stop authorising.
    event BrokerAuthorizationSet(address indexed importer, address indexed broker, bool authorized);

    /// @notice Shipment `shipmentId` = keccak256(abi.encode(importer, filingReference)) was filed (version 1) by
    /// `filer`; `submittedBy` sent the transaction (the filer itself, or a relayer for a delegated filing).
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param importer The importer.
    /// @param filer The importer or its customs broker that filed (the signer, for a delegated filing).
    /// @param filingReference The importer's own reference for the filing (non-zero, unique per importer).
    /// @param versionHash The EIP-712 struct hash of this version's filing.
    /// @param filing The complete filing (`ShipmentFiling`).
    /// @param submittedBy The account that sent the transaction (the actor itself, or a relayer).
    event ShipmentFiled(
        bytes32 indexed shipmentId,
        address indexed importer,
        address indexed filer,
        bytes32 filingReference,
        bytes32 versionHash,
        ShipmentFiling filing,
        address submittedBy
    );

    /// @notice Shipment `shipmentId` was amended by `amendedBy` to `version`, which replaces every field of the
    /// previous version (whose hash is `previousVersionHash`) with `filing`.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param version The version number (1 at filing).
    /// @param amendedBy The filer or importer that amended (the signer, for a delegated amendment).
    /// @param versionHash The EIP-712 struct hash of this version's filing.
    /// @param previousVersionHash The EIP-712 struct hash of the version replaced.
    /// @param filing The complete filing (`ShipmentFiling`).
    /// @param submittedBy The account that sent the transaction (the actor itself, or a relayer).
    event ShipmentAmended(
        bytes32 indexed shipmentId,
        uint32 indexed version,
        address indexed amendedBy,
        bytes32 versionHash,
        bytes32 previousVersionHash,
        ShipmentFiling filing,
        address submittedBy
    );

    /// @notice Certificate of origin `recordId` was linked to the shipment by `by`.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param recordId The record's id.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    event CertificateOfOriginLinked(bytes32 indexed shipmentId, bytes32 indexed recordId, address indexed by);

    /// @notice Certificate of origin `recordId` was unlinked from the shipment by `by`.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param recordId The record's id.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    event CertificateOfOriginUnlinked(bytes32 indexed shipmentId, bytes32 indexed recordId, address indexed by);

    /// @notice Mill test report `recordId` was linked to line `lineIndex` by `by`, taking `kg` from its balance
    /// for `consumer` = keccak256(abi.encode(shipmentId, lineIndex)).
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param recordId The record's id.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param lineIndex The line's position in the shipment's current version.
    /// @param kg Kilograms.
    /// @param consumer The consumer key (a shipment line: `consumerOf(shipmentId, lineIndex)`).
    event MillTestReportLinked(
        bytes32 indexed shipmentId,
        bytes32 indexed recordId,
        address indexed by,
        uint256 lineIndex,
        uint96 kg,
        bytes32 consumer
    );

    /// @notice Mill test report `recordId` was unlinked from line `lineIndex` by `by`, returning `kg` to it.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param recordId The record's id.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param lineIndex The line's position in the shipment's current version.
    /// @param kg Kilograms.
    /// @param consumer The consumer key (a shipment line: `consumerOf(shipmentId, lineIndex)`).
    event MillTestReportUnlinked(
        bytes32 indexed shipmentId,
        bytes32 indexed recordId,
        address indexed by,
        uint256 lineIndex,
        uint96 kg,
        bytes32 consumer
    );

    /// @notice The shipment moved from `from` to `to`, by `by` (carrier or CBP officer).
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param from The status before.
    /// @param to The status after.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param noteHash Hash of an off-chain note (0 if none).
    event ShipmentStatusChanged(
        bytes32 indexed shipmentId,
        Status from,
        Status to,
        address indexed by,
        bytes32 reasonCode,
        bytes32 noteHash
    );

    /// @notice CBP placed a hold for `reasonCode`; `activeHolds` holds are now in force.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param noteHash Hash of an off-chain note (0 if none).
    /// @param activeHolds How many holds are in force after this change.
    event HoldPlaced(
        bytes32 indexed shipmentId,
        bytes32 indexed reasonCode,
        address indexed by,
        bytes32 noteHash,
        uint16 activeHolds
    );

    /// @notice CBP lifted the hold for `reasonCode`; `activeHolds` holds remain in force.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param noteHash Hash of an off-chain note (0 if none).
    /// @param activeHolds How many holds are in force after this change.
    event HoldLifted(
        bytes32 indexed shipmentId,
        bytes32 indexed reasonCode,
        address indexed by,
        bytes32 noteHash,
        uint16 activeHolds
    );

    /// @notice CBP ordered an examination of the shipment.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param noteHash Hash of an off-chain note (0 if none).
    /// @param status The shipment's status at the time.
    event ExaminationOrdered(
        bytes32 indexed shipmentId,
        bytes32 indexed reasonCode,
        address indexed by,
        bytes32 noteHash,
        Status status
    );

    /// @notice CBP requested information about the shipment (a request for information, CBP Form 28).
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param noteHash Hash of an off-chain note (0 if none).
    /// @param status The shipment's status at the time.
    event InformationRequested(
        bytes32 indexed shipmentId,
        bytes32 indexed reasonCode,
        address indexed by,
        bytes32 noteHash,
        Status status
    );

    /// @notice CBP published watch entry `entryId`.
    /// @param entryId The watch entry's id.
    /// @param meltCountry Country of melt and pour (ISO 3166-1 alpha-2).
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param htsPrefix The leading HTS digits as a number.
    /// @param prefixLength How many leading digits `htsPrefix` stands for.
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param caseReference The case, e.g. an AD/CVD order or an EAPA case number.
    event WatchEntryPublished(
        bytes32 indexed entryId,
        bytes2 indexed meltCountry,
        address indexed by,
        uint64 htsPrefix,
        uint8 prefixLength,
        bytes32 reasonCode,
        string caseReference
    );

    /// @notice CBP retired watch entry `entryId` for `reasonCode`; it stays readable as retired.
    /// @param entryId The watch entry's id.
    /// @param by The account that acted (its address, or the signer of a delegated call).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    event WatchEntryRetired(bytes32 indexed entryId, address indexed by, bytes32 reasonCode);

    /// @notice The filing reference is zero.
    error InvalidFilingReference(bytes32 filingReference);
    /// @notice A shipment with this id was already filed (the importer reused a filing reference).
    error ShipmentAlreadyFiled(bytes32 shipmentId);
    /// @notice No shipment has this id.
    error ShipmentNotFound(bytes32 shipmentId);
    /// @notice `broker` is not authorised by `importer`.
    error BrokerNotAuthorized(address importer, address broker);
    /// @notice An importer can't authorise itself as its broker.
    error SelfAuthorization(address importer);
    /// @notice Party number `partyIndex` (0 importer, 1 exporter, 2 manufacturer, 3 carrier) is the zero address.
    error MissingParty(uint256 partyIndex);
    /// @notice The filing has no lines or more than `MAX_LINES`.
    error InvalidLineCount(uint256 count);
    /// @notice Line `lineIndex` declares zero kilograms.
    error ZeroDeclaredWeight(uint256 lineIndex);
    /// @notice A port is not a UN/LOCODE.
    error InvalidPort(bytes5 port);
    /// @notice The estimated arrival is zero.
    error InvalidEstimatedArrival(uint64 estimatedArrival);
    /// @notice The bill of lading number is empty.
    error EmptyBillOfLading();
    /// @notice `caller` is neither the filer nor the importer of the shipment.
    error NotAmender(bytes32 shipmentId, address caller);
    /// @notice An amendment tried to change the importer.
    error ImporterImmutable(bytes32 shipmentId, address importer, address requested);
    /// @notice An amendment would drop line `lineIndex`, which still has mill test reports linked.
    error LineHasLinks(bytes32 shipmentId, uint256 lineIndex);
    /// @notice The shipment has arrived (or closed): its trade data can no longer be amended or unlinked.
    error TradeDataFrozen(bytes32 shipmentId, Status status);
    /// @notice The shipment was released or refused: nothing can be added to it.
    error ShipmentClosed(bytes32 shipmentId, Status status);
    /// @notice `caller` is not the importer, filer, exporter or manufacturer of the shipment.
    error NotShipmentParty(bytes32 shipmentId, address caller);
    /// @notice `caller` is not the shipment's carrier (nor CBP, where CBP may act).
    error NotCarrier(bytes32 shipmentId, address caller);
    /// @notice The line index is beyond the shipment's current lines.
    error LineOutOfRange(bytes32 shipmentId, uint256 lineIndex, uint256 lineCount);
    /// @notice A linked weight of zero kilograms.
    error ZeroKilograms();
    /// @notice The document is not usable (unknown, revoked, superseded or expired) in `registry`.
    error DocumentNotUsable(address registry, bytes32 recordId);
    /// @notice The document is already linked (to this line, for a mill test report; `lineIndex` is 0 for a
    /// certificate of origin).
    error DocumentAlreadyLinked(bytes32 shipmentId, bytes32 recordId, uint256 lineIndex);
    /// @notice The document is not linked (to this line, for a mill test report; `lineIndex` is 0 for a
    /// certificate of origin).
    error DocumentNotLinked(bytes32 shipmentId, bytes32 recordId, uint256 lineIndex);
    /// @notice The transition from `current` to `requested` is not allowed.
    error IllegalTransition(bytes32 shipmentId, Status current, Status requested);
    /// @notice Release is impossible while holds are in force.
    error ShipmentOnHold(bytes32 shipmentId, uint16 activeHolds);
    /// @notice A hold for this reason code is already in force.
    error HoldAlreadyActive(bytes32 shipmentId, bytes32 reasonCode);
    /// @notice No hold for this reason code is in force.
    error HoldNotActive(bytes32 shipmentId, bytes32 reasonCode);
    /// @notice CBP actions (holds, examinations, requests, refusals, watch entries) need a non-zero reason code.
    error ReasonCodeRequired();
    /// @notice The watch entry id is zero.
    error InvalidWatchEntryId(bytes32 entryId);
    /// @notice A watch entry with this id exists already (active or retired).
    error WatchEntryExists(bytes32 entryId);
    /// @notice The watch entry is not active.
    error WatchEntryNotActive(bytes32 entryId);
    /// @notice The HTS prefix has not `prefixLength` digits, or the length is outside 2 to 10.
    error InvalidHtsPrefix(uint64 htsPrefix, uint8 prefixLength);
    /// @notice The case reference is empty.
    error EmptyCaseReference();
    /// @notice Neither the linking `caller` nor the shipment's `importer` holds mill test report `recordId` or is
    /// approved by its holder (`approveAllocator` on the report registry).
    error AllocationNotApproved(bytes32 recordId, address caller, address importer);
    /// @notice The mill test reports linked to line `lineIndex` would carry `linkedKg`, more than the `limitKg`
    /// its declared kilograms allow (declared plus `LINK_TOLERANCE_BPS`).
    error LinkedKgExceedDeclared(bytes32 shipmentId, uint256 lineIndex, uint256 linkedKg, uint256 limitKg);
    /// @notice The `lineCount` lines could not be stored (the data contract was not created).
    error LinesNotStored(uint256 lineCount);
    /// @notice An amendment would change the HTS number of line `lineIndex`, which has mill test reports linked.
    error LinkedLineHtsChanged(bytes32 shipmentId, uint256 lineIndex, uint64 linkedHts, uint64 amendedHts);

    /// @notice The importer (caller) authorises, or stops authorising, `broker` to file and amend for it.
    /// @param broker The customs broker.
    /// @param authorized True to authorise, false to stop authorising.
    function setBrokerAuthorization(address broker, bool authorized) external;

    /// @notice Files a shipment with the caller as filer: the importer itself (an active importer) or an active
    /// customs broker authorised by the importer (which must be active as well). The shipment's id is
    /// `shipmentIdOf(filing.parties.importer, filingReference)`; every later call takes that id.
    /// @param filingReference The importer's own reference for the filing (non-zero, unique per importer).
    /// @param filing The filing.
    function fileShipment(bytes32 filingReference, ShipmentFiling calldata filing) external;

    /// @notice Files a shipment on behalf of `filer`, who signed EIP-712 `FileShipment(bytes32 filingReference,
    /// ShipmentFiling filing,address filer,uint256 nonce,uint256 deadline)` with its next nonce. Anyone may submit.
    /// Permission rules and id as for `fileShipment`, applied to `filer`.
    /// @param filingReference The importer's own reference for the filing (non-zero, unique per importer).
    /// @param filing The complete filing (`ShipmentFiling`).
    /// @param filer The importer or its authorised customs broker, who signed.
    /// @param deadline Last second the signature is valid.
    /// @param signature The signer's EIP-712 signature (ECDSA, or ERC-1271 for contract wallets).
    function fileShipmentBySig(
        bytes32 filingReference,
        ShipmentFiling calldata filing,
        address filer,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Replaces the shipment's data with `filing` as a new version. Before arrival only, by the filer or
    /// the importer (still active, a broker still authorised). The importer can't change; lines that have mill test
    /// reports linked can't be dropped, change HTS number, or declare less than their links allow.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param filing The complete filing (`ShipmentFiling`).
    function amendShipment(bytes32 shipmentId, ShipmentFiling calldata filing) external;

    /// @notice `amendShipment` on behalf of `amender`, who signed EIP-712 `AmendShipment(bytes32 shipmentId,
    /// ShipmentFiling filing,address amender,uint256 nonce,uint256 deadline)` with its next nonce.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param filing The complete filing (`ShipmentFiling`).
    /// @param amender The filer or importer, who signed.
    /// @param deadline Last second the signature is valid.
    /// @param signature The signer's EIP-712 signature (ECDSA, or ERC-1271 for contract wallets).
    function amendShipmentBySig(
        bytes32 shipmentId,
        ShipmentFiling calldata filing,
        address amender,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Links certificate of origin `recordId` (usable) to the shipment. A party of the shipment only, until
    /// release or refusal: the importer while active, its filer broker while active and authorised (as for
    /// amendments), a named exporter or manufacturer only while it is active in that role.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param recordId The record's id.
    function linkCertificateOfOrigin(bytes32 shipmentId, bytes32 recordId) external;

    /// @notice Unlinks certificate of origin `recordId`. A party of the shipment only (standing as for
    /// `linkCertificateOfOrigin`), before arrival.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param recordId The record's id.
    function unlinkCertificateOfOrigin(bytes32 shipmentId, bytes32 recordId) external;

    /// @notice Links mill test report `recordId` (usable) to line `lineIndex`, allocating `kg` from its remaining
    /// balance. A party of the shipment only (standing as for `linkCertificateOfOrigin`), until release or refusal;
    /// once per record and line. The caller or the importer must hold the report or be approved by its holder
    /// (`isApprovedAllocator`), and the line's links may not exceed its declared kilograms plus
    /// `LINK_TOLERANCE_BPS`.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param recordId The record's id.
    /// @param lineIndex The line's position in the shipment's current version.
    /// @param kg Kilograms.
    function linkMillTestReport(bytes32 shipmentId, bytes32 recordId, uint256 lineIndex, uint96 kg) external;

    /// @notice Unlinks mill test report `recordId` from line `lineIndex`, returning its kilograms to the record.
    /// A party of the shipment only (standing as for `linkCertificateOfOrigin`), before arrival; approval of the
    /// report is not needed to give kilograms back.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param recordId The record's id.
    /// @param lineIndex The line's position in the shipment's current version.
    function unlinkMillTestReport(bytes32 shipmentId, bytes32 recordId, uint256 lineIndex) external;

    /// @notice Filed -> Departed. The shipment's carrier only (an active carrier).
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param noteHash Hash of an off-chain note (0 if none).
    function markDeparted(bytes32 shipmentId, bytes32 reasonCode, bytes32 noteHash) external;

    /// @notice Departed -> Arrived. The shipment's carrier (an active carrier) or CBP.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param noteHash Hash of an off-chain note (0 if none).
    function markArrived(bytes32 shipmentId, bytes32 reasonCode, bytes32 noteHash) external;

    /// @notice Arrived -> Released. CBP only; impossible while a hold is in force.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param noteHash Hash of an off-chain note (0 if none).
    function release(bytes32 shipmentId, bytes32 reasonCode, bytes32 noteHash) external;

    /// @notice Arrived -> Refused. CBP only; needs a reason code.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param noteHash Hash of an off-chain note (0 if none).
    function refuse(bytes32 shipmentId, bytes32 reasonCode, bytes32 noteHash) external;

    /// @notice Places a hold for `reasonCode` (one hold per reason code). CBP only, until release or refusal.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param noteHash Hash of an off-chain note (0 if none).
    function placeHold(bytes32 shipmentId, bytes32 reasonCode, bytes32 noteHash) external;

    /// @notice Lifts the hold for `reasonCode`. CBP only, until release or refusal (a closed shipment keeps the holds
    /// it had at closure).
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param noteHash Hash of an off-chain note (0 if none).
    function liftHold(bytes32 shipmentId, bytes32 reasonCode, bytes32 noteHash) external;

    /// @notice Orders an examination. CBP only, until release or refusal.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param noteHash Hash of an off-chain note (0 if none).
    function orderExamination(bytes32 shipmentId, bytes32 reasonCode, bytes32 noteHash) external;

    /// @notice Requests information from the trade. CBP only, until release or refusal.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @param noteHash Hash of an off-chain note (0 if none).
    function requestInformation(bytes32 shipmentId, bytes32 reasonCode, bytes32 noteHash) external;

    /// @notice Publishes watch entry `entryId` (unique, non-zero). CBP only.
    /// @param entryId The watch entry's id.
    /// @param entry The watch entry.
    function publishWatchEntry(bytes32 entryId, WatchEntry calldata entry) external;

    /// @notice Retires an active watch entry. CBP only.
    /// @param entryId The watch entry's id.
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    function retireWatchEntry(bytes32 entryId, bytes32 reasonCode) external;

    /// @notice The stored record of a shipment (all zero if unknown).
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @return The shipment's record.
    function shipmentOf(bytes32 shipmentId) external view returns (ShipmentRecord memory);

    /// @notice The EIP-712 struct hash of version `version` of the shipment (zero if there is no such version).
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param version The version number (1 at filing).
    /// @return The version's struct hash, or 0.
    function versionHashOf(bytes32 shipmentId, uint32 version) external view returns (bytes32);

    /// @notice The EIP-712 struct hash of `filing`, as stored per version.
    /// @param filing The complete filing (`ShipmentFiling`).
    /// @return The struct hash.
    function hashFiling(ShipmentFiling calldata filing) external pure returns (bytes32);

    /// @notice Whether `importer` authorises `broker`.
    /// @param importer The importer.
    /// @param broker The customs broker.
    /// @return Whether the broker is authorised.
    function isBrokerAuthorized(address importer, address broker) external view returns (bool);

    /// @notice Whether a hold for `reasonCode` is in force on the shipment.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param reasonCode A reason code (free bytes32; CBP's refusals, holds, examinations, requests and watch
    /// entries need a non-zero one).
    /// @return Whether the hold is in force.
    function isHoldActive(bytes32 shipmentId, bytes32 reasonCode) external view returns (bool);

    /// @notice Whether certificate of origin `recordId` is linked to the shipment.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param recordId The record's id.
    /// @return Whether it is linked.
    function isCertificateOfOriginLinked(bytes32 shipmentId, bytes32 recordId) external view returns (bool);

    /// @notice Kilograms of mill test report `recordId` linked to line `lineIndex` (0 if not linked).
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param recordId The record's id.
    /// @param lineIndex The line's position in the shipment's current version.
    /// @return The linked kilograms.
    function linkedKg(bytes32 shipmentId, bytes32 recordId, uint256 lineIndex) external view returns (uint96);

    /// @notice Number of mill test reports linked to line `lineIndex`.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param lineIndex The line's position in the shipment's current version.
    /// @return The number of linked reports.
    function linkCountOf(bytes32 shipmentId, uint256 lineIndex) external view returns (uint256);

    /// @notice The status of watch entry `entryId`.
    /// @param entryId The watch entry's id.
    /// @return The entry's status.
    function watchEntryStatus(bytes32 entryId) external view returns (WatchStatus);

    /// @notice Kilograms of mill test reports linked to line `lineIndex`, all reports together.
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param lineIndex The line's position in the shipment's current version.
    /// @return The linked kilograms.
    function lineLinkedKg(bytes32 shipmentId, uint256 lineIndex) external view returns (uint256);

    /// @notice The id of the shipment that `importer` files under `filingReference`:
    /// keccak256(abi.encode(importer, filingReference)).
    /// @param importer The importer.
    /// @param filingReference The importer's own reference for the filing (non-zero, unique per importer).
    /// @return The shipment id.
    function shipmentIdOf(address importer, bytes32 filingReference) external pure returns (bytes32);

    /// @notice The mass-balance consumer key of line `lineIndex`: keccak256(abi.encode(shipmentId, lineIndex)).
    /// @param shipmentId The shipment's id (`shipmentIdOf(importer, filingReference)`).
    /// @param lineIndex The line's position in the shipment's current version.
    /// @return The consumer key.
    function consumerOf(bytes32 shipmentId, uint256 lineIndex) external pure returns (bytes32);

    /// @notice The actor registry consulted for importers, brokers and carriers.
    /// @return The actor registry's address.
    function actorRegistry() external view returns (address);

    /// @notice The certificate of origin registry.
    /// @return The certificate of origin registry's address.
    function certificateOfOriginRegistry() external view returns (address);

    /// @notice The mill test report registry (this registry must hold its ALLOCATOR_ROLE).
    /// @return The mill test report registry's address.
    function millTestReportRegistry() external view returns (address);
}
