// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {RegistryBase} from "../common/RegistryBase.sol";
import {IShipmentRegistry} from "../interfaces/IShipmentRegistry.sol";
import {IActorRegistry} from "../interfaces/IActorRegistry.sol";
import {IDocumentRegistry} from "../interfaces/IDocumentRegistry.sol";
import {BusinessRoles} from "../libraries/BusinessRoles.sol";
import {TradeCodes} from "../libraries/TradeCodes.sol";

/// @title ShipmentRegistry
/// @notice Pre-arrival shipment filings, their documents (with mass balance) and their customs lifecycle.
/// @dev Stores parties, status, per-version hashes and link balances; the full filing travels in events.
contract ShipmentRegistry is RegistryBase, IShipmentRegistry {
    /// @notice The most lines a filing may carry (an ACE entry allows 999).
    uint256 public constant MAX_LINES = 999;

    /// @notice How far, in basis points of a line's declared kilograms, the mill test report kilograms linked to
    /// the line may exceed the declaration (scale differences between mill and port). 100 = 1 %.
    uint256 public constant LINK_TOLERANCE_BPS = 100;

    /// @dev `_writeLines`: the init code before the runtime code, and the bytes of one line (uint64 + uint96).
    uint256 private constant LINES_PREFIX = 10;
    uint256 private constant LINE_BYTES = 20;

    bytes32 private constant PARTIES_TYPEHASH = keccak256(
        "Parties(address importer,address exporter,address manufacturer,address carrier)"
    );
    bytes32 private constant LINE_TYPEHASH = keccak256(
        "Line(uint64 hts,uint96 declaredKg,uint64 declaredValueCents,bytes2 originCountry)"
    );
    bytes private constant FILING_TYPE =
        "ShipmentFiling(Parties parties,Line[] lines,bytes2 exportCountry,bytes2[] transshipmentCountries,"
        "bytes5 portOfLading,bytes5 portOfEntry,uint64 estimatedArrival,string billOfLading,string entryNumber,"
        "bytes32 workflowInstanceId)";
    /// @dev EIP-712 appends the referenced types in alphabetical order: Line, Parties (then ShipmentFiling).
    bytes private constant REFERENCED_TYPES =
        "Line(uint64 hts,uint96 declaredKg,uint64 declaredValueCents,bytes2 originCountry)"
        "Parties(address importer,address exporter,address manufacturer,address carrier)";
    bytes32 private constant FILING_TYPEHASH = keccak256(abi.encodePacked(FILING_TYPE, REFERENCED_TYPES));
    bytes32 private constant FILE_SHIPMENT_TYPEHASH = keccak256(
        abi.encodePacked(
            "FileShipment(bytes32 filingReference,ShipmentFiling filing,address filer,uint256 nonce,",
            "uint256 deadline)",
            REFERENCED_TYPES,
            FILING_TYPE
        )
    );
    bytes32 private constant AMEND_SHIPMENT_TYPEHASH = keccak256(
        abi.encodePacked(
            "AmendShipment(bytes32 shipmentId,ShipmentFiling filing,address amender,uint256 nonce,",
            "uint256 deadline)",
            REFERENCED_TYPES,
            FILING_TYPE
        )
    );

    /// @custom:storage-location erc7201:tradetrace.storage.ShipmentRegistry
    struct ShipmentRegistryStorage {
        IActorRegistry actors;
        IDocumentRegistry certificatesOfOrigin;
        IDocumentRegistry millTestReports;
        mapping(bytes32 shipmentId => ShipmentRecord) shipments;
        mapping(bytes32 shipmentId => mapping(uint256 version => bytes32 structHash)) versionHashes;
        mapping(address importer => mapping(address broker => bool)) brokers;
        mapping(bytes32 shipmentId => mapping(bytes32 reasonCode => bool)) holds;
        mapping(bytes32 shipmentId => mapping(bytes32 recordId => bool)) certificateLinks;
        /// @dev Keyed by keccak256(recordId, lineIndex); the kilograms are what unlinking gives back.
        mapping(bytes32 shipmentId => mapping(bytes32 linkKey => uint96 kg)) reportLinks;
        /// @dev Guards amendments against dropping a line that still holds allocations.
        mapping(bytes32 shipmentId => mapping(uint256 lineIndex => uint256 count)) lineLinkCounts;
        mapping(bytes32 entryId => WatchStatus) watchEntries;
        /// @dev The current version's lines as a data contract (`_writeLines`): what links are checked against.
        mapping(bytes32 shipmentId => address) lineTerms;
        /// @dev Kilograms of all mill test reports linked to a line (A3).
        mapping(bytes32 shipmentId => mapping(uint256 lineIndex => uint96 kg)) lineLinkedKg;
    }

    // keccak256(abi.encode(uint256(keccak256("tradetrace.storage.ShipmentRegistry")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0x6337053672364096ebbec469e48ae1731e79bf5c8ea5113eb2bad8a1863c1300;

    function _storage() private pure returns (ShipmentRegistryStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }

    /// @notice Sets up governance and the registries this one consults.
    /// @param admin Receives DEFAULT_ADMIN_ROLE, UPGRADER_ROLE and PAUSER_ROLE (CBP governance).
    /// @param actors_ Judges whether importers, brokers and carriers are active.
    /// @param certificatesOfOrigin_ Certificates of origin that may be linked.
    /// @param millTestReports_ Mill test reports that may be linked; must grant this registry ALLOCATOR_ROLE.
    function initialize(
        address admin,
        IActorRegistry actors_,
        IDocumentRegistry certificatesOfOrigin_,
        IDocumentRegistry millTestReports_
    ) external initializer {
        if (
            address(actors_) == address(0) ||
            address(certificatesOfOrigin_) == address(0) ||
            address(millTestReports_) == address(0)
        ) revert ZeroAddress();
        __RegistryBase_init(admin, "TradeTrace ShipmentRegistry", "1");
        ShipmentRegistryStorage storage $ = _storage();
        $.actors = actors_;
        $.certificatesOfOrigin = certificatesOfOrigin_;
        $.millTestReports = millTestReports_;
    }

    // ---------------------------------------------------------------- filing

    /// @inheritdoc IShipmentRegistry
    function setBrokerAuthorization(address broker, bool authorized) external whenNotPaused {
        if (broker == address(0)) revert ZeroAddress();
        if (broker == msg.sender) revert SelfAuthorization(msg.sender);
        _storage().brokers[msg.sender][broker] = authorized;
        emit BrokerAuthorizationSet(msg.sender, broker, authorized);
    }

    /// @inheritdoc IShipmentRegistry
    function fileShipment(bytes32 filingReference, ShipmentFiling calldata filing) external whenNotPaused {
        _file(filingReference, filing, msg.sender);
    }

    /// @inheritdoc IShipmentRegistry
    function fileShipmentBySig(
        bytes32 filingReference,
        ShipmentFiling calldata filing,
        address filer,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(FILE_SHIPMENT_TYPEHASH, filingReference, _hashFiling(filing), filer, _useNonce(filer), deadline)
        );
        _requireValidSignature(filer, structHash, deadline, signature);
        _file(filingReference, filing, filer);
    }

    /// @inheritdoc IShipmentRegistry
    function amendShipment(bytes32 shipmentId, ShipmentFiling calldata filing) external whenNotPaused {
        _amend(shipmentId, filing, msg.sender);
    }

    /// @inheritdoc IShipmentRegistry
    function amendShipmentBySig(
        bytes32 shipmentId,
        ShipmentFiling calldata filing,
        address amender,
        uint256 deadline,
        bytes calldata signature
    ) external whenNotPaused {
        bytes32 structHash = keccak256(
            abi.encode(AMEND_SHIPMENT_TYPEHASH, shipmentId, _hashFiling(filing), amender, _useNonce(amender), deadline)
        );
        _requireValidSignature(amender, structHash, deadline, signature);
        _amend(shipmentId, filing, amender);
    }

    /// @dev The id is namespaced by importer (A6): nobody can take the id of another importer's pending filing.
    function _file(bytes32 filingReference, ShipmentFiling calldata filing, address filer) private {
        if (filingReference == bytes32(0)) revert InvalidFilingReference(filingReference);
        bytes32 shipmentId = _shipmentId(filing.parties.importer, filingReference);
        ShipmentRegistryStorage storage $ = _storage();
        ShipmentRecord storage s = $.shipments[shipmentId];
        if (s.status != Status.None) revert ShipmentAlreadyFiled(shipmentId);
        _validate(filing);
        _requireMayFileFor(filing.parties.importer, filer);

        bytes32 versionHash = _hashFiling(filing);
        s.importer = filing.parties.importer;
        s.status = Status.Filed;
        s.version = 1;
        s.filer = filer;
        _storeVersion(shipmentId, s, filing);
        $.versionHashes[shipmentId][1] = versionHash;
        emit ShipmentFiled(
            shipmentId,
            filing.parties.importer,
            filer,
            filingReference,
            versionHash,
            filing,
            msg.sender
        );
    }

    function _amend(bytes32 shipmentId, ShipmentFiling calldata filing, address amender) private {
        ShipmentRegistryStorage storage $ = _storage();
        ShipmentRecord storage s = _existing(shipmentId);
        if (s.status != Status.Filed && s.status != Status.Departed) revert TradeDataFrozen(shipmentId, s.status);
        if (amender != s.filer && amender != s.importer) revert NotAmender(shipmentId, amender);
        if (filing.parties.importer != s.importer) {
            revert ImporterImmutable(shipmentId, s.importer, filing.parties.importer);
        }
        _validate(filing);
        _requireMayFileFor(s.importer, amender);
        // A line can only be dropped once its mill test reports are unlinked (their kilograms given back).
        for (uint256 i = filing.lines.length; i < s.lineCount; ++i) {
            if ($.lineLinkCounts[shipmentId][i] != 0) revert LineHasLinks(shipmentId, i);
        }

        uint32 version = s.version + 1;
        bytes32 previousHash = $.versionHashes[shipmentId][s.version];
        bytes32 versionHash = _hashFiling(filing);
        s.version = version;
        _storeVersion(shipmentId, s, filing);
        $.versionHashes[shipmentId][version] = versionHash;
        emit ShipmentAmended(shipmentId, version, amender, versionHash, previousHash, filing, msg.sender);
    }

    function _storeVersion(bytes32 shipmentId, ShipmentRecord storage s, ShipmentFiling calldata filing) private {
        s.lineCount = uint16(filing.lines.length);
        s.exporter = filing.parties.exporter;
        s.manufacturer = filing.parties.manufacturer;
        s.carrier = filing.parties.carrier;
        ShipmentRegistryStorage storage $ = _storage();
        address previous = $.lineTerms[shipmentId];
        if (previous != address(0)) _requireLinksKept(shipmentId, previous, filing.lines);
        $.lineTerms[shipmentId] = _writeLines(filing.lines);
    }

    /// @dev A linked line keeps what its links certify (A3): its HTS number, and room for its kilograms.
    function _requireLinksKept(bytes32 shipmentId, address previous, Line[] calldata lines) private view {
        mapping(uint256 => uint96) storage linkedByLine = _storage().lineLinkedKg[shipmentId];
        for (uint256 i; i < lines.length; ++i) {
            uint96 linked = linkedByLine[i];
            if (linked == 0) continue;
            (uint64 hts, ) = _readLine(previous, i);
            if (lines[i].hts != hts) revert LinkedLineHtsChanged(shipmentId, i, hts, lines[i].hts);
            uint256 limit = _linkLimit(lines[i].declaredKg);
            if (linked > limit) revert LinkedKgExceedDeclared(shipmentId, i, linked, limit);
        }
    }

    /// @dev Stores the lines' HTS numbers and declared kilograms (20 bytes a line) as the code of a new contract:
    /// about a fifth of the gas of a storage slot per line, so a 999-line filing still fits a transaction. The
    /// code starts with STOP, so calling the contract does nothing.
    function _writeLines(Line[] calldata lines) private returns (address blob) {
        uint256 n = lines.length;
        bytes memory code = new bytes(LINES_PREFIX + 1 + n * LINE_BYTES);
        uint256 runtimeLength = 1 + n * LINE_BYTES;
        assembly {
            // PUSH2 runtimeLength, DUP1, PUSH1 0x0a, RETURNDATASIZE, CODECOPY, RETURNDATASIZE, RETURN, then STOP.
            mstore(add(code, 32), or(shl(248, 0x61), shl(232, runtimeLength)))
            mstore(add(code, 35), shl(192, 0x80600a3d393df300))
        }
        for (uint256 i; i < n; ++i) {
            uint256 packed = (uint256(lines[i].hts) << 96) | lines[i].declaredKg;
            uint256 offset = 32 + LINES_PREFIX + 1 + i * LINE_BYTES;
            assembly {
                mstore(add(code, offset), shl(96, packed))
            }
        }
        assembly {
            blob := create(0, add(code, 32), mload(code))
        }
        if (blob == address(0)) revert LinesNotStored(n);
    }

    /// @dev Line `index` as `_writeLines` stored it.
    function _readLine(address blob, uint256 index) private view returns (uint64 hts, uint96 declaredKg) {
        uint256 word;
        uint256 offset = 1 + index * LINE_BYTES;
        assembly {
            let ptr := mload(0x40)
            mstore(ptr, 0)
            extcodecopy(blob, ptr, offset, 20)
            word := mload(ptr)
        }
        hts = uint64(word >> 192);
        declaredKg = uint96(word >> 96);
    }

    /// @dev The most kilograms the links of a line declaring `declaredKg` may carry.
    function _linkLimit(uint96 declaredKg) private pure returns (uint256) {
        return uint256(declaredKg) + (uint256(declaredKg) * LINK_TOLERANCE_BPS) / 10_000;
    }

    function _shipmentId(address importer, bytes32 filingReference) private pure returns (bytes32) {
        return keccak256(abi.encode(importer, filingReference));
    }

    /// @dev The importer files for itself; a broker files only while active and authorised by an active importer.
    function _requireMayFileFor(address importer, address filer) private view {
        IActorRegistry actors = _storage().actors;
        if (filer != importer) {
            if (!actors.isActive(filer, BusinessRoles.CUSTOMS_BROKER)) {
                revert ActorNotActive(filer, BusinessRoles.CUSTOMS_BROKER);
            }
            if (!_storage().brokers[importer][filer]) revert BrokerNotAuthorized(importer, filer);
        }
        if (!actors.isActive(importer, BusinessRoles.IMPORTER)) revert ActorNotActive(importer, BusinessRoles.IMPORTER);
    }

    function _validate(ShipmentFiling calldata filing) private pure {
        Parties calldata p = filing.parties;
        if (p.importer == address(0)) revert MissingParty(0);
        if (p.exporter == address(0)) revert MissingParty(1);
        if (p.manufacturer == address(0)) revert MissingParty(2);
        if (p.carrier == address(0)) revert MissingParty(3);

        uint256 n = filing.lines.length;
        if (n == 0 || n > MAX_LINES) revert InvalidLineCount(n);
        for (uint256 i; i < n; ++i) {
            Line calldata line = filing.lines[i];
            if (!TradeCodes.isHts(line.hts)) revert InvalidHts(i, line.hts);
            if (line.declaredKg == 0) revert ZeroDeclaredWeight(i);
            _requireCountry(line.originCountry);
        }

        _requireCountry(filing.exportCountry);
        for (uint256 i; i < filing.transshipmentCountries.length; ++i) {
            _requireCountry(filing.transshipmentCountries[i]);
        }
        if (!TradeCodes.isLocode(filing.portOfLading)) revert InvalidPort(filing.portOfLading);
        if (!TradeCodes.isLocode(filing.portOfEntry)) revert InvalidPort(filing.portOfEntry);
        if (filing.estimatedArrival == 0) revert InvalidEstimatedArrival(0);
        if (bytes(filing.billOfLading).length == 0) revert EmptyBillOfLading();
    }

    function _requireCountry(bytes2 country) private pure {
        if (!TradeCodes.isCountry(country)) revert InvalidCountry(country);
    }

    // ---------------------------------------------------------------- documents

    /// @inheritdoc IShipmentRegistry
    function linkCertificateOfOrigin(bytes32 shipmentId, bytes32 recordId) external whenNotPaused {
        ShipmentRegistryStorage storage $ = _storage();
        _requireOpenForLinks(shipmentId);
        if (!$.certificatesOfOrigin.isUsable(recordId)) {
            revert DocumentNotUsable(address($.certificatesOfOrigin), recordId);
        }
        if ($.certificateLinks[shipmentId][recordId]) revert DocumentAlreadyLinked(shipmentId, recordId, 0);
        $.certificateLinks[shipmentId][recordId] = true;
        emit CertificateOfOriginLinked(shipmentId, recordId, msg.sender);
    }

    /// @inheritdoc IShipmentRegistry
    function unlinkCertificateOfOrigin(bytes32 shipmentId, bytes32 recordId) external whenNotPaused {
        ShipmentRegistryStorage storage $ = _storage();
        _requireOpenForUnlinks(shipmentId);
        if (!$.certificateLinks[shipmentId][recordId]) revert DocumentNotLinked(shipmentId, recordId, 0);
        $.certificateLinks[shipmentId][recordId] = false;
        emit CertificateOfOriginUnlinked(shipmentId, recordId, msg.sender);
    }

    /// @inheritdoc IShipmentRegistry
    function linkMillTestReport(
        bytes32 shipmentId,
        bytes32 recordId,
        uint256 lineIndex,
        uint96 kg
    ) external whenNotPaused {
        ShipmentRegistryStorage storage $ = _storage();
        ShipmentRecord storage s = _requireOpenForLinks(shipmentId);
        if (lineIndex >= s.lineCount) revert LineOutOfRange(shipmentId, lineIndex, s.lineCount);
        if (kg == 0) revert ZeroKilograms();
        IDocumentRegistry reports = $.millTestReports;
        if (!reports.isUsable(recordId)) revert DocumentNotUsable(address(reports), recordId);
        _requireApprovedAllocator(reports, recordId, s.importer);
        bytes32 key = _linkKey(recordId, lineIndex);
        if ($.reportLinks[shipmentId][key] != 0) revert DocumentAlreadyLinked(shipmentId, recordId, lineIndex);

        $.reportLinks[shipmentId][key] = kg;
        ++$.lineLinkCounts[shipmentId][lineIndex];
        _addLinkedKg(shipmentId, lineIndex, kg);
        bytes32 consumer = _consumer(shipmentId, lineIndex);
        // The report registry enforces the mass balance and reverts with InsufficientKilograms.
        reports.allocate(recordId, consumer, kg);
        emit MillTestReportLinked(shipmentId, recordId, msg.sender, lineIndex, kg, consumer);
    }

    /// @inheritdoc IShipmentRegistry
    function unlinkMillTestReport(bytes32 shipmentId, bytes32 recordId, uint256 lineIndex) external whenNotPaused {
        ShipmentRegistryStorage storage $ = _storage();
        _requireOpenForUnlinks(shipmentId);
        bytes32 key = _linkKey(recordId, lineIndex);
        uint96 kg = $.reportLinks[shipmentId][key];
        if (kg == 0) revert DocumentNotLinked(shipmentId, recordId, lineIndex);

        delete $.reportLinks[shipmentId][key];
        --$.lineLinkCounts[shipmentId][lineIndex];
        $.lineLinkedKg[shipmentId][lineIndex] -= kg;
        bytes32 consumer = _consumer(shipmentId, lineIndex);
        $.millTestReports.deallocate(recordId, consumer, kg);
        emit MillTestReportUnlinked(shipmentId, recordId, msg.sender, lineIndex, kg, consumer);
    }

    /// @dev The report's holder must have approved the linking party or the shipment's importer (R1): the mass
    /// balance stops over-use, this stops a stranger from taking a foreign mill's kilograms.
    function _requireApprovedAllocator(IDocumentRegistry reports, bytes32 recordId, address importer) private view {
        if (reports.isApprovedAllocator(recordId, msg.sender)) return;
        if (importer != msg.sender && reports.isApprovedAllocator(recordId, importer)) return;
        revert AllocationNotApproved(recordId, msg.sender, importer);
    }

    /// @dev The links of a line never carry more than its declaration allows (A3).
    function _addLinkedKg(bytes32 shipmentId, uint256 lineIndex, uint96 kg) private {
        ShipmentRegistryStorage storage $ = _storage();
        (, uint96 declaredKg) = _readLine($.lineTerms[shipmentId], lineIndex);
        uint256 linked = uint256($.lineLinkedKg[shipmentId][lineIndex]) + kg;
        uint256 limit = _linkLimit(declaredKg);
        if (linked > limit) revert LinkedKgExceedDeclared(shipmentId, lineIndex, linked, limit);
        $.lineLinkedKg[shipmentId][lineIndex] = uint96(linked);
    }

    /// @dev Links are open to the shipment's parties until release or refusal (answers to requests for
    /// information may come after arrival).
    function _requireOpenForLinks(bytes32 shipmentId) private view returns (ShipmentRecord storage s) {
        s = _existing(shipmentId);
        if (s.status == Status.Released || s.status == Status.Refused) revert ShipmentClosed(shipmentId, s.status);
        _requireParty(shipmentId, s);
    }

    /// @dev Unlinking changes what was declared for the cargo, so it stops at arrival.
    function _requireOpenForUnlinks(bytes32 shipmentId) private view {
        ShipmentRecord storage s = _existing(shipmentId);
        if (s.status != Status.Filed && s.status != Status.Departed) revert TradeDataFrozen(shipmentId, s.status);
        _requireParty(shipmentId, s);
    }

    /// @dev The importer and the filer keep the standing an amendment needs (A2): an active importer, and a filer
    /// broker still active and authorised by it. A named exporter or manufacturer was not checked at filing
    /// (naming an unverified party stays allowed, the subgraph flags it), so it acts only while active in its role.
    function _requireParty(bytes32 shipmentId, ShipmentRecord storage s) private view {
        address c = msg.sender;
        if (c == s.importer || c == s.filer) {
            _requireMayFileFor(s.importer, c);
            return;
        }
        uint32 named;
        if (c == s.exporter) {
            if (_isActive(c, BusinessRoles.EXPORTER)) return;
            named = BusinessRoles.EXPORTER;
        }
        if (c == s.manufacturer) {
            if (_isActive(c, BusinessRoles.MILL) || _isActive(c, BusinessRoles.PROCESSOR)) return;
            named |= BusinessRoles.MILL | BusinessRoles.PROCESSOR;
        }
        if (named == 0) revert NotShipmentParty(shipmentId, c);
        revert ActorNotActive(c, named);
    }

    function _isActive(address actor, uint32 role) private view returns (bool) {
        return _storage().actors.isActive(actor, role);
    }

    function _linkKey(bytes32 recordId, uint256 lineIndex) private pure returns (bytes32) {
        return keccak256(abi.encode(recordId, lineIndex));
    }

    function _consumer(bytes32 shipmentId, uint256 lineIndex) private pure returns (bytes32) {
        return keccak256(abi.encode(shipmentId, lineIndex));
    }

    // ---------------------------------------------------------------- lifecycle

    /// @inheritdoc IShipmentRegistry
    function markDeparted(bytes32 shipmentId, bytes32 reasonCode, bytes32 noteHash) external whenNotPaused {
        ShipmentRecord storage s = _existing(shipmentId);
        _requireCarrier(shipmentId, s);
        _transition(shipmentId, s, Status.Filed, Status.Departed, reasonCode, noteHash);
    }

    /// @inheritdoc IShipmentRegistry
    function markArrived(bytes32 shipmentId, bytes32 reasonCode, bytes32 noteHash) external whenNotPaused {
        ShipmentRecord storage s = _existing(shipmentId);
        if (!hasRole(CBP_ROLE, msg.sender)) _requireCarrier(shipmentId, s);
        _transition(shipmentId, s, Status.Departed, Status.Arrived, reasonCode, noteHash);
    }

    /// @inheritdoc IShipmentRegistry
    function release(
        bytes32 shipmentId,
        bytes32 reasonCode,
        bytes32 noteHash
    ) external whenNotPaused onlyRole(CBP_ROLE) {
        ShipmentRecord storage s = _existing(shipmentId);
        if (s.status == Status.Arrived && s.activeHolds != 0) revert ShipmentOnHold(shipmentId, s.activeHolds);
        _transition(shipmentId, s, Status.Arrived, Status.Released, reasonCode, noteHash);
    }

    /// @inheritdoc IShipmentRegistry
    function refuse(
        bytes32 shipmentId,
        bytes32 reasonCode,
        bytes32 noteHash
    ) external whenNotPaused onlyRole(CBP_ROLE) {
        if (reasonCode == bytes32(0)) revert ReasonCodeRequired();
        ShipmentRecord storage s = _existing(shipmentId);
        _transition(shipmentId, s, Status.Arrived, Status.Refused, reasonCode, noteHash);
    }

    function _transition(
        bytes32 shipmentId,
        ShipmentRecord storage s,
        Status from,
        Status to,
        bytes32 reasonCode,
        bytes32 noteHash
    ) private {
        if (s.status != from) revert IllegalTransition(shipmentId, s.status, to);
        s.status = to;
        emit ShipmentStatusChanged(shipmentId, from, to, msg.sender, reasonCode, noteHash);
    }

    function _requireCarrier(bytes32 shipmentId, ShipmentRecord storage s) private view {
        if (msg.sender != s.carrier) revert NotCarrier(shipmentId, msg.sender);
        if (!_storage().actors.isActive(msg.sender, BusinessRoles.CARRIER)) {
            revert ActorNotActive(msg.sender, BusinessRoles.CARRIER);
        }
    }

    // ---------------------------------------------------------------- CBP actions

    /// @inheritdoc IShipmentRegistry
    function placeHold(
        bytes32 shipmentId,
        bytes32 reasonCode,
        bytes32 noteHash
    ) external whenNotPaused onlyRole(CBP_ROLE) {
        ShipmentRecord storage s = _openForCbp(shipmentId, reasonCode);
        mapping(bytes32 => bool) storage holds = _storage().holds[shipmentId];
        if (holds[reasonCode]) revert HoldAlreadyActive(shipmentId, reasonCode);
        holds[reasonCode] = true;
        uint16 active = ++s.activeHolds;
        emit HoldPlaced(shipmentId, reasonCode, msg.sender, noteHash, active);
    }

    /// @inheritdoc IShipmentRegistry
    function liftHold(
        bytes32 shipmentId,
        bytes32 reasonCode,
        bytes32 noteHash
    ) external whenNotPaused onlyRole(CBP_ROLE) {
        // Closed shipments keep the holds they had at closure.
        ShipmentRecord storage s = _openForCbp(shipmentId, reasonCode);
        mapping(bytes32 => bool) storage holds = _storage().holds[shipmentId];
        if (!holds[reasonCode]) revert HoldNotActive(shipmentId, reasonCode);
        holds[reasonCode] = false;
        uint16 active = --s.activeHolds;
        emit HoldLifted(shipmentId, reasonCode, msg.sender, noteHash, active);
    }

    /// @inheritdoc IShipmentRegistry
    function orderExamination(
        bytes32 shipmentId,
        bytes32 reasonCode,
        bytes32 noteHash
    ) external whenNotPaused onlyRole(CBP_ROLE) {
        ShipmentRecord storage s = _openForCbp(shipmentId, reasonCode);
        emit ExaminationOrdered(shipmentId, reasonCode, msg.sender, noteHash, s.status);
    }

    /// @inheritdoc IShipmentRegistry
    function requestInformation(
        bytes32 shipmentId,
        bytes32 reasonCode,
        bytes32 noteHash
    ) external whenNotPaused onlyRole(CBP_ROLE) {
        ShipmentRecord storage s = _openForCbp(shipmentId, reasonCode);
        emit InformationRequested(shipmentId, reasonCode, msg.sender, noteHash, s.status);
    }

    function _openForCbp(bytes32 shipmentId, bytes32 reasonCode) private view returns (ShipmentRecord storage s) {
        if (reasonCode == bytes32(0)) revert ReasonCodeRequired();
        s = _existing(shipmentId);
        if (s.status == Status.Released || s.status == Status.Refused) revert ShipmentClosed(shipmentId, s.status);
    }

    /// @inheritdoc IShipmentRegistry
    function publishWatchEntry(bytes32 entryId, WatchEntry calldata entry) external whenNotPaused onlyRole(CBP_ROLE) {
        if (entryId == bytes32(0)) revert InvalidWatchEntryId(entryId);
        mapping(bytes32 => WatchStatus) storage entries = _storage().watchEntries;
        if (entries[entryId] != WatchStatus.None) revert WatchEntryExists(entryId);
        _requireCountry(entry.meltCountry);
        _requireHtsPrefix(entry.htsPrefix, entry.prefixLength);
        if (entry.reasonCode == bytes32(0)) revert ReasonCodeRequired();
        if (bytes(entry.caseReference).length == 0) revert EmptyCaseReference();

        entries[entryId] = WatchStatus.Active;
        emit WatchEntryPublished(
            entryId,
            entry.meltCountry,
            msg.sender,
            entry.htsPrefix,
            entry.prefixLength,
            entry.reasonCode,
            entry.caseReference
        );
    }

    /// @inheritdoc IShipmentRegistry
    function retireWatchEntry(bytes32 entryId, bytes32 reasonCode) external whenNotPaused onlyRole(CBP_ROLE) {
        if (reasonCode == bytes32(0)) revert ReasonCodeRequired();
        mapping(bytes32 => WatchStatus) storage entries = _storage().watchEntries;
        if (entries[entryId] != WatchStatus.Active) revert WatchEntryNotActive(entryId);
        entries[entryId] = WatchStatus.Retired;
        emit WatchEntryRetired(entryId, msg.sender, reasonCode);
    }

    /// @dev A prefix of `length` digits of a 10-digit HTS number whose chapter (first two digits) is not 00.
    function _requireHtsPrefix(uint64 prefix, uint8 length) private pure {
        if (length < 2 || length > 10 || prefix < 10 ** (length - 2) || prefix >= 10 ** length) {
            revert InvalidHtsPrefix(prefix, length);
        }
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IShipmentRegistry
    function shipmentOf(bytes32 shipmentId) external view returns (ShipmentRecord memory) {
        return _storage().shipments[shipmentId];
    }

    /// @inheritdoc IShipmentRegistry
    function versionHashOf(bytes32 shipmentId, uint32 version) external view returns (bytes32) {
        return _storage().versionHashes[shipmentId][version];
    }

    /// @inheritdoc IShipmentRegistry
    function hashFiling(ShipmentFiling calldata filing) external pure returns (bytes32) {
        return _hashFiling(filing);
    }

    /// @inheritdoc IShipmentRegistry
    function isBrokerAuthorized(address importer, address broker) external view returns (bool) {
        return _storage().brokers[importer][broker];
    }

    /// @inheritdoc IShipmentRegistry
    function isHoldActive(bytes32 shipmentId, bytes32 reasonCode) external view returns (bool) {
        return _storage().holds[shipmentId][reasonCode];
    }

    /// @inheritdoc IShipmentRegistry
    function isCertificateOfOriginLinked(bytes32 shipmentId, bytes32 recordId) external view returns (bool) {
        return _storage().certificateLinks[shipmentId][recordId];
    }

    /// @inheritdoc IShipmentRegistry
    function linkedKg(bytes32 shipmentId, bytes32 recordId, uint256 lineIndex) external view returns (uint96) {
        return _storage().reportLinks[shipmentId][_linkKey(recordId, lineIndex)];
    }

    /// @inheritdoc IShipmentRegistry
    function linkCountOf(bytes32 shipmentId, uint256 lineIndex) external view returns (uint256) {
        return _storage().lineLinkCounts[shipmentId][lineIndex];
    }

    /// @inheritdoc IShipmentRegistry
    function watchEntryStatus(bytes32 entryId) external view returns (WatchStatus) {
        return _storage().watchEntries[entryId];
    }

    /// @inheritdoc IShipmentRegistry
    function lineLinkedKg(bytes32 shipmentId, uint256 lineIndex) external view returns (uint256) {
        return _storage().lineLinkedKg[shipmentId][lineIndex];
    }

    /// @inheritdoc IShipmentRegistry
    function shipmentIdOf(address importer, bytes32 filingReference) external pure returns (bytes32) {
        return _shipmentId(importer, filingReference);
    }

    /// @inheritdoc IShipmentRegistry
    function consumerOf(bytes32 shipmentId, uint256 lineIndex) external pure returns (bytes32) {
        return _consumer(shipmentId, lineIndex);
    }

    /// @inheritdoc IShipmentRegistry
    function actorRegistry() external view returns (address) {
        return address(_storage().actors);
    }

    /// @inheritdoc IShipmentRegistry
    function certificateOfOriginRegistry() external view returns (address) {
        return address(_storage().certificatesOfOrigin);
    }

    /// @inheritdoc IShipmentRegistry
    function millTestReportRegistry() external view returns (address) {
        return address(_storage().millTestReports);
    }

    function _existing(bytes32 shipmentId) private view returns (ShipmentRecord storage s) {
        s = _storage().shipments[shipmentId];
        if (s.status == Status.None) revert ShipmentNotFound(shipmentId);
    }

    // ---------------------------------------------------------------- EIP-712 hashing

    function _hashFiling(ShipmentFiling calldata f) private pure returns (bytes32) {
        // Two static-only encodings concatenate to the same bytes as one, and keep the stack shallow.
        return
            keccak256(
                bytes.concat(
                    abi.encode(
                        FILING_TYPEHASH,
                        _hashParties(f.parties),
                        _hashLines(f.lines),
                        f.exportCountry,
                        keccak256(abi.encodePacked(f.transshipmentCountries)),
                        f.portOfLading
                    ),
                    abi.encode(
                        f.portOfEntry,
                        f.estimatedArrival,
                        keccak256(bytes(f.billOfLading)),
                        keccak256(bytes(f.entryNumber)),
                        f.workflowInstanceId
                    )
                )
            );
    }

    function _hashParties(Parties calldata p) private pure returns (bytes32) {
        return keccak256(abi.encode(PARTIES_TYPEHASH, p.importer, p.exporter, p.manufacturer, p.carrier));
    }

    function _hashLines(Line[] calldata lines) private pure returns (bytes32) {
        bytes32[] memory hashes = new bytes32[](lines.length);
        for (uint256 i; i < lines.length; ++i) {
            Line calldata line = lines[i];
            hashes[i] = keccak256(
                abi.encode(LINE_TYPEHASH, line.hts, line.declaredKg, line.declaredValueCents, line.originCountry)
            );
        }
        return keccak256(abi.encodePacked(hashes));
    }
}
