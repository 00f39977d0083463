// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ActorRegistryV2} from "../../../contracts/test/ActorRegistryV2.sol";
import {CertificateOfOriginRegistryV2} from "../../../contracts/test/CertificateOfOriginRegistryV2.sol";
import {MillTestReportRegistryV2} from "../../../contracts/test/MillTestReportRegistryV2.sol";
import {ShipmentRegistryV2} from "../../../contracts/test/ShipmentRegistryV2.sol";
import {RegistryBase} from "../../../contracts/common/RegistryBase.sol";
import {IActorRegistry} from "../../../contracts/interfaces/IActorRegistry.sol";
import {IDocumentRegistry} from "../../../contracts/interfaces/IDocumentRegistry.sol";
import {IMillTestReportRegistry} from "../../../contracts/interfaces/IMillTestReportRegistry.sol";
import {IShipmentRegistry} from "../../../contracts/interfaces/IShipmentRegistry.sol";
import {BusinessRoles} from "../../../contracts/libraries/BusinessRoles.sol";
import {TradeTraceSystem} from "../utils/TradeTraceSystem.sol";

/// @title TradeTraceHandler
/// @notice The single target of the invariant runs: each public function is one random action by a random caller
/// (active, suspended, expired, revoked, wrong role, outsider, governance, CBP) against the real registries. It
/// decides before each call whether the caller is allowed by the rules, and afterwards records in ghost counters
/// every success that should not have happened, so the invariants only have to read them.
contract TradeTraceHandler is TradeTraceSystem {
    uint256 internal constant LINES = 2;
    uint256 internal constant MAX_RECORDS = 32;
    uint256 internal constant MAX_SHIPMENTS = 8;
    /// @dev An issuer CBP trusts for LABORATORY only: it must never take an actor's other roles away (A1).
    uint256 internal constant LAB_ISSUER_KEY = 0x1AB;

    // ------------------------------------------------------------ ghost state

    bytes32[] public records;
    bytes32[] public shipmentIds;
    mapping(bytes32 recordId => uint256 kg) public derivedKg;
    mapping(bytes32 recordId => uint256 kg) public carriedKg;
    /// @notice The content hash each record anchors (its id is bound to it and to the issuer: finding A5).
    mapping(bytes32 recordId => bytes32 contentHash) public contentHashOf;
    mapping(bytes32 shipmentId => IShipmentRegistry.Status) public lastStatus;

    uint256 public time = START_TIME;
    uint256 public successes;
    uint256 public unauthorizedSuccesses;
    uint256 public illegalTransitions;
    uint256 public releasesWithHolds;
    uint256 public replaySuccesses;
    uint256 public replaysNotStoppedByNonce;
    uint256 public replaysTried;
    uint256 public pausedCalls;
    uint256 public pausedSuccesses;
    uint256 public pausedDigestChanges;
    uint256 public upgrades;
    uint256 public upgradeDigestChanges;
    /// @dev Actors a LABORATORY-only issuer deactivated, without their consent, while their own issuer trusted them.
    uint256 public lockouts;
    bool public paused;

    IActorRegistry.ActorCredential[] internal _usedCredentials;
    bytes[] internal _usedCredentialSigs;

    struct SignedIssue {
        IMillTestReportRegistry.MillTestReport report;
        address signer;
        uint256 deadline;
        bytes signature;
    }
    SignedIssue[] internal _usedIssues;

    bytes32 private _digestBefore;
    uint256 private _idCount;

    constructor() {
        _deploySystem();
        vm.prank(gov);
        actors.setTrustedIssuer(vm.addr(LAB_ISSUER_KEY), BusinessRoles.LABORATORY);
    }

    // ------------------------------------------------------------ documents

    function issue(uint256 callerSeed, uint256 kg, uint256 meltSeed, uint256 expirySeed) external {
        callerSeed = _mix(callerSeed);
        kg = _mix(kg);
        meltSeed = _mix(meltSeed);
        expirySeed = _mix(expirySeed);
        _begin();
        address caller = _biased(callerSeed, 0);
        bool allowed = actors.isActive(caller, BusinessRoles.MILL);
        uint64 expiresAt = expirySeed % 4 == 0 ? uint64(time + bound(expirySeed, 1 days, 60 days)) : 0;
        IMillTestReportRegistry.MillTestReport memory r = _report(
            _freshId(),
            uint96(bound(kg, 0, 50_000)),
            _melt(meltSeed),
            expiresAt
        );
        if (records.length < MAX_RECORDS) {
            vm.prank(caller);
            try mtr.issue(r) returns (bytes32 id) {
                _changed(allowed);
                _remember(id, r.contentHash);
            } catch {}
        }
        _end();
    }

    function derive(
        uint256 callerSeed,
        uint256 in0,
        uint256 in1,
        uint256 kg0,
        uint256 kg1,
        uint256 totalSeed
    ) external {
        callerSeed = _mix(callerSeed);
        in0 = _mix(in0);
        in1 = _mix(in1);
        kg0 = _mix(kg0);
        kg1 = _mix(kg1);
        totalSeed = _mix(totalSeed);
        _begin();
        if (records.length != 0 && records.length < MAX_RECORDS) {
            address caller = _biased(callerSeed, 2);
            uint256 count = in1 % 3 == 0 ? 2 : 1;
            IMillTestReportRegistry.LineageInput[] memory inputs = new IMillTestReportRegistry.LineageInput[](count);
            inputs[0] = _input(in0, kg0);
            if (count == 2) inputs[1] = _input(in1, kg1);
            // R1: the processor holds every input or its holder approved it.
            bool allowed =
                actors.isActive(caller, BusinessRoles.PROCESSOR) &&
                    mtr.isApprovedAllocator(inputs[0].recordId, caller) &&
                    (count == 1 || mtr.isApprovedAllocator(inputs[1].recordId, caller));
            uint256 inputKg = uint256(inputs[0].kg) + (count == 2 ? inputs[1].kg : 0);
            bytes2[] memory melt = mtr.meltAndPourCountriesOf(inputs[0].recordId);
            IMillTestReportRegistry.MillTestReport memory product = _report(
                _freshId(),
                uint96(bound(totalSeed, 0, inputKg + 10)),
                melt.length == 0 ? bytes2("DE") : melt[0],
                0
            );
            vm.prank(caller);
            try mtr.derive(product, inputs) returns (bytes32 id) {
                _changed(allowed);
                for (uint256 i; i < count; ++i) derivedKg[inputs[i].recordId] += inputs[i].kg;
                _remember(id, product.contentHash);
            } catch {}
        }
        _end();
    }

    function supersede(uint256 callerSeed, uint256 recordSeed, uint256 kg) external {
        callerSeed = _mix(callerSeed);
        recordSeed = _mix(recordSeed);
        kg = _mix(kg);
        _begin();
        if (records.length != 0 && records.length < MAX_RECORDS) {
            bytes32 old = records[recordSeed % records.length];
            IDocumentRegistry.Record memory rec = mtr.recordOf(old);
            // The issuer most of the time, so that corrections happen.
            address caller = callerSeed % 3 == 0 ? _caller(callerSeed) : rec.issuer;
            bool derived = mtr.isDerived(old);
            bool allowed =
                caller == rec.issuer && actors.isActive(caller, derived ? BusinessRoles.PROCESSOR : BusinessRoles.MILL);
            bytes2[] memory melt = mtr.meltAndPourCountriesOf(old);
            IMillTestReportRegistry.MillTestReport memory correction = _report(
                _freshId(),
                uint96(bound(kg, 0, uint256(rec.totalKg) + 100)),
                melt.length == 0 ? bytes2("DE") : melt[0],
                0
            );
            vm.prank(caller);
            try mtr.supersede(old, correction) returns (bytes32 id) {
                _changed(allowed);
                carriedKg[id] = rec.consumedKg;
                _remember(id, correction.contentHash);
            } catch {}
        }
        _end();
    }

    function revoke(uint256 callerSeed, uint256 recordSeed) external {
        callerSeed = _mix(callerSeed);
        recordSeed = _mix(recordSeed);
        _begin();
        if (records.length != 0) {
            bytes32 id = records[recordSeed % records.length];
            address recordIssuer = mtr.recordOf(id).issuer;
            address caller = callerSeed % 4 == 0 ? recordIssuer : _caller(callerSeed);
            // The issuer only while in good standing for the role it issued under (finding A4); CBP always.
            uint32 role = mtr.isDerived(id) ? BusinessRoles.PROCESSOR : BusinessRoles.MILL;
            bool allowed = caller == gov || (caller == recordIssuer && actors.isActive(recordIssuer, role));
            vm.prank(caller);
            try mtr.revoke(id, "FRAUD") {
                _changed(allowed);
            } catch {}
        }
        _end();
    }

    /// @dev Someone anchors the content hash of an existing record, as if squatting or front-running it (A5): it
    /// may, as its own record, only if it is an active MILL that has not anchored that hash yet.
    function squat(uint256 callerSeed, uint256 recordSeed, uint256 kg) external {
        callerSeed = _mix(callerSeed);
        recordSeed = _mix(recordSeed);
        kg = _mix(kg);
        _begin();
        if (records.length != 0 && records.length < MAX_RECORDS) {
            bytes32 contentHash = contentHashOf[records[recordSeed % records.length]];
            address caller = _biased(callerSeed, 0);
            bool allowed =
                actors.isActive(caller, BusinessRoles.MILL) &&
                    mtr.recordOf(mtr.recordIdOf(caller, contentHash)).status == IDocumentRegistry.Status.None;
            IMillTestReportRegistry.MillTestReport memory r = _report(
                contentHash,
                uint96(bound(kg, 1, 50_000)),
                _melt(kg),
                0
            );
            r.certificateNumber = string(abi.encode(_freshId()));
            vm.prank(caller);
            try mtr.issue(r) returns (bytes32 id) {
                _changed(allowed);
                _remember(id, contentHash);
            } catch {}
        }
        _end();
    }

    /// @dev A record's holder (or, sometimes, anyone else) approves or withdraws a processor (to derive from it), an
    /// importer, a broker or a random party as allocator of the record (R1).
    function approveAllocator(uint256 callerSeed, uint256 recordSeed, uint256 partySeed, bool approved) external {
        callerSeed = _mix(callerSeed);
        recordSeed = _mix(recordSeed);
        partySeed = _mix(partySeed);
        _begin();
        if (records.length != 0) {
            bytes32 id = records[recordSeed % records.length];
            address holder = mtr.recordOf(id).issuer;
            address caller = callerSeed % 4 == 0 ? _caller(callerSeed) : holder;
            address party = partySeed % 2 == 0 ? people[2 + ((partySeed >> 1) % 5)] : _caller(partySeed);
            vm.prank(caller);
            try mtr.approveAllocator(id, party, approved) {
                _changed(caller == holder);
            } catch {}
        }
        _end();
    }

    // ------------------------------------------------------------ signatures

    /// @dev A mill (or a rogue key posing as one) signs an issue that a random relayer submits.
    function issueBySig(uint256 relayerSeed, uint256 signerSeed, uint256 kg, bool wrongKey) external {
        relayerSeed = _mix(relayerSeed);
        signerSeed = _mix(signerSeed);
        kg = _mix(kg);
        _begin();
        if (records.length < MAX_RECORDS) {
            address signer = _biased(signerSeed, 0);
            uint256 key = wrongKey ? ROGUE_KEY : keyOf[signer];
            bool allowed = !wrongKey && key != 0 && actors.isActive(signer, BusinessRoles.MILL);
            if (key != 0) {
                IMillTestReportRegistry.MillTestReport memory r = _report(
                    _freshId(),
                    uint96(bound(kg, 1, 50_000)),
                    _melt(kg),
                    0
                );
                uint256 deadline = time + 1 hours;
                bytes memory sig = _sign(key, _issueDigest(r, mtr.nonces(signer), deadline));
                vm.prank(_caller(relayerSeed));
                try mtr.issueBySig(r, signer, deadline, sig) returns (bytes32 id) {
                    _changed(allowed);
                    _remember(id, r.contentHash);
                    _usedIssues.push(SignedIssue(r, signer, deadline, sig));
                } catch {}
            }
        }
        _end();
    }

    function replayIssue(uint256 index, uint256 relayerSeed) external {
        index = _mix(index);
        relayerSeed = _mix(relayerSeed);
        _begin();
        if (_usedIssues.length != 0) {
            SignedIssue memory s = _usedIssues[index % _usedIssues.length];
            ++replaysTried;
            vm.prank(_caller(relayerSeed));
            try mtr.issueBySig(s.report, s.signer, s.deadline, s.signature) {
                ++replaySuccesses;
                _changed(false);
            } catch (bytes memory reason) {
                bytes4 selector = bytes4(reason);
                // The used nonce (or the passed deadline) stops it, not merely the duplicate content hash.
                if (
                    !paused &&
                    selector != RegistryBase.InvalidSignature.selector &&
                    selector != RegistryBase.SignatureExpired.selector
                ) ++replaysNotStoppedByNonce;
            }
        }
        _end();
    }

    /// @dev A credential (signed by the trusted issuer, or by a rogue key) submitted by anyone.
    function onboard(uint256 relayerSeed, uint256 subjectSeed, uint256 validDays, bool rogue) external {
        relayerSeed = _mix(relayerSeed);
        subjectSeed = _mix(subjectSeed);
        validDays = _mix(validDays);
        _begin();
        // Half the time re-credential someone who lost their standing (revoked or expired), else anyone.
        address subject = subjectSeed % 2 == 0 ? _firstInactive(subjectSeed) : people[subjectSeed % people.length];
        (IActorRegistry.ActorCredential memory c, bytes memory sig) = _credential(
            subject,
            rogue ? ROGUE_KEY : ISSUER_KEY,
            uint64(bound(validDays, 1, 400))
        );
        address claimedIssuer = rogue && validDays % 2 == 0 ? vm.addr(ROGUE_KEY) : issuer;
        vm.prank(_caller(relayerSeed));
        try actors.onboard(c, claimedIssuer, sig) {
            _changed(!rogue);
            _usedCredentials.push(c);
            _usedCredentialSigs.push(sig);
        } catch {}
        _end();
    }

    /// @dev The LABORATORY-only issuer credentials a cast member as a laboratory, sometimes valid from far ahead
    /// (A1). Allowed only within `MAX_VALID_FROM_LEAD`, and only if the subject holds no other role in force or
    /// submits the credential itself; it must never deactivate an actor its own issuer still trusts.
    function onboardByLabIssuer(uint256 callerSeed, uint256 subjectSeed, uint256 leadSeed) external {
        callerSeed = _mix(callerSeed);
        subjectSeed = _mix(subjectSeed);
        leadSeed = _mix(leadSeed);
        _begin();
        address subject = people[subjectSeed % people.length];
        address caller = callerSeed % 4 == 0 ? subject : _caller(callerSeed);
        uint64 validFrom = leadSeed % 8 == 0 ? type(uint64).max - 1 : uint64(time + bound(leadSeed, 0, 40 days));
        (IActorRegistry.ActorCredential memory c, bytes memory sig) = _labCredential(subject, validFrom);
        uint32 held = _heldRoles(subject);
        bool wasActive = rolesOf[subject] != 0 && actors.isActive(subject, rolesOf[subject]);
        bool allowed =
            validFrom <= time + actors.MAX_VALID_FROM_LEAD() &&
                (caller == subject || held & BusinessRoles.LABORATORY == held);
        vm.prank(caller);
        try actors.onboard(c, vm.addr(LAB_ISSUER_KEY), sig) {
            _changed(allowed);
            bool ownIssuerTrusts = actors.trustedRolesOf(issuer) & rolesOf[subject] == rolesOf[subject];
            if (wasActive && ownIssuerTrusts && caller != subject && !actors.isActive(subject, rolesOf[subject])) {
                ++lockouts;
            }
        } catch {}
        _end();
    }

    function replayCredential(uint256 index, uint256 relayerSeed) external {
        index = _mix(index);
        relayerSeed = _mix(relayerSeed);
        _begin();
        if (_usedCredentials.length != 0) {
            uint256 i = index % _usedCredentials.length;
            ++replaysTried;
            vm.prank(_caller(relayerSeed));
            try actors.onboard(_usedCredentials[i], issuer, _usedCredentialSigs[i]) {
                ++replaySuccesses;
                _changed(false);
            } catch {}
        }
        _end();
    }

    // ------------------------------------------------------------ actors

    /// @dev CBP's repair of an actor's record (A1): governance holds `CBP_ROLE`, nobody else may.
    function clearCredential(uint256 callerSeed, uint256 actorSeed) external {
        callerSeed = _mix(callerSeed);
        actorSeed = _mix(actorSeed);
        _begin();
        // Rare, like the other removals, so that the cast doesn't die out.
        if ((actorSeed >> 128) % 4 != 0) return _end();
        address caller = callerSeed % 2 == 0 ? gov : _caller(callerSeed);
        vm.prank(caller);
        try actors.clearCredential(people[actorSeed % people.length], "REPAIR") {
            _changed(caller == gov);
        } catch {}
        _end();
    }

    function suspend(uint256 callerSeed, uint256 actorSeed) external {
        callerSeed = _mix(callerSeed);
        actorSeed = _mix(actorSeed);
        _begin();
        // Rarer than the other actions, so that the cast doesn't die out in a long sequence.
        if ((actorSeed >> 128) % 3 != 0) return _end();
        address caller = callerSeed % 2 == 0 ? gov : _caller(callerSeed);
        vm.prank(caller);
        try actors.suspend(people[actorSeed % people.length], "CASE") {
            _changed(caller == gov);
        } catch {}
        _end();
    }

    function reinstate(uint256 callerSeed, uint256 actorSeed) external {
        callerSeed = _mix(callerSeed);
        actorSeed = _mix(actorSeed);
        _begin();
        address caller = callerSeed % 2 == 0 ? gov : _caller(callerSeed);
        vm.prank(caller);
        try actors.reinstate(people[actorSeed % people.length], "CLEARED") {
            _changed(caller == gov);
        } catch {}
        _end();
    }

    function revokeCredential(uint256 callerSeed, uint256 actorSeed) external {
        callerSeed = _mix(callerSeed);
        actorSeed = _mix(actorSeed);
        _begin();
        // Rarer than the other actions, so that the cast doesn't die out in a long sequence.
        if ((actorSeed >> 128) % 3 != 0) return _end();
        address subject = people[actorSeed % people.length];
        IActorRegistry.Actor memory a = actors.actorOf(subject);
        address caller = callerSeed % 3 == 0 ? issuer : (callerSeed % 3 == 1 ? gov : _caller(callerSeed));
        bool allowed = caller == a.issuer || caller == gov;
        vm.prank(caller);
        try actors.revokeCredential(a.credentialId, "REVOKED") {
            _changed(allowed);
        } catch {}
        _end();
    }

    /// @dev Governance (or an unauthorised caller) narrows, removes or restores the issuer's trust (R2): every
    /// actor it credentialed loses the dropped roles at once, which the permission checks observe via `isActive`.
    function retrustIssuer(uint256 callerSeed, uint256 rolesSeed) external {
        callerSeed = _mix(callerSeed);
        rolesSeed = _mix(rolesSeed);
        _begin();
        // Rarely a removal or a narrowing (by anyone; only governance succeeds), else governance restores the full
        // set: a distrusted issuer stalls the whole cast, so it must not last long.
        uint256 pick = rolesSeed % 8;
        address caller = pick >= 2 || callerSeed % 2 == 0 ? gov : _caller(callerSeed);
        vm.prank(caller);
        if (pick == 0) {
            try actors.removeTrustedIssuer(issuer) {
                _changed(caller == gov);
            } catch {}
        } else {
            // Mostly the full set back, so that the cast doesn't die out; sometimes one role dropped.
            uint32 roles = pick == 1 ? BusinessRoles.ALL & ~uint32(1 << ((rolesSeed >> 8) % 8)) : BusinessRoles.ALL;
            try actors.setTrustedIssuer(issuer, roles) {
                _changed(caller == gov);
            } catch {}
        }
        _end();
    }

    function advanceTime(uint256 seconds_) external {
        time += bound(seconds_, 1 hours, 20 days);
        vm.warp(time);
    }

    // ------------------------------------------------------------ shipments

    function fileShipment(uint256 callerSeed, uint256 importerSeed, uint256 manufacturerSeed) external {
        callerSeed = _mix(callerSeed);
        importerSeed = _mix(importerSeed);
        manufacturerSeed = _mix(manufacturerSeed);
        _begin();
        if (shipmentIds.length < MAX_SHIPMENTS) {
            address importer = importerSeed % 5 == 0 ? _caller(importerSeed) : people[4 + (importerSeed % 2)];
            address caller = callerSeed % 3 == 0 ? importer : (callerSeed % 3 == 1 ? people[6] : _caller(callerSeed));
            bool allowed =
                actors.isActive(importer, BusinessRoles.IMPORTER) &&
                    (caller == importer ||
                        (actors.isActive(caller, BusinessRoles.CUSTOMS_BROKER) &&
                            shipments.isBrokerAuthorized(importer, caller)));
            bytes32 filingReference = _freshId();
            bytes32 id = shipments.shipmentIdOf(importer, filingReference);
            // A third of the filings name the never-onboarded outsider as manufacturer (allowed, but it gets no
            // link rights).
            address manufacturer = manufacturerSeed % 3 == 2 ? people[9] : people[manufacturerSeed % 2];
            IShipmentRegistry.ShipmentFiling memory f = _filing(importer, manufacturer);
            vm.prank(caller);
            try shipments.fileShipment(filingReference, f) {
                _changed(allowed);
                shipmentIds.push(id);
            } catch {}
        }
        _end();
    }

    function linkReport(
        uint256 callerSeed,
        uint256 shipmentSeed,
        uint256 recordSeed,
        uint256 line,
        uint256 kg
    ) external {
        callerSeed = _mix(callerSeed);
        shipmentSeed = _mix(shipmentSeed);
        recordSeed = _mix(recordSeed);
        line = _mix(line);
        kg = _mix(kg);
        _begin();
        if (shipmentIds.length != 0 && records.length != 0) {
            bytes32 shipmentId = shipmentIds[shipmentSeed % shipmentIds.length];
            address caller = callerSeed % 2 == 0 ? shipments.shipmentOf(shipmentId).importer : _caller(callerSeed);
            bytes32 recordId = records[recordSeed % records.length];
            // R1: the report's holder approved the caller or the importer.
            bool allowed =
                _isParty(shipmentId, caller) &&
                    (mtr.isApprovedAllocator(recordId, caller) ||
                        mtr.isApprovedAllocator(recordId, shipments.shipmentOf(shipmentId).importer));
            vm.prank(caller);
            try shipments.linkMillTestReport(shipmentId, recordId, line % (LINES + 1), uint96(bound(kg, 0, 20_000))) {
                _changed(allowed);
            } catch {}
        }
        _end();
    }

    function unlinkReport(uint256 callerSeed, uint256 shipmentSeed, uint256 recordSeed, uint256 line) external {
        callerSeed = _mix(callerSeed);
        shipmentSeed = _mix(shipmentSeed);
        recordSeed = _mix(recordSeed);
        line = _mix(line);
        _begin();
        if (shipmentIds.length != 0 && records.length != 0) {
            bytes32 shipmentId = shipmentIds[shipmentSeed % shipmentIds.length];
            address caller = callerSeed % 2 == 0 ? shipments.shipmentOf(shipmentId).importer : _caller(callerSeed);
            bool allowed = _isParty(shipmentId, caller);
            bytes32 recordId = records[recordSeed % records.length];
            uint256 kg = shipments.linkedKg(shipmentId, recordId, line % LINES);
            vm.prank(caller);
            try shipments.unlinkMillTestReport(shipmentId, recordId, line % LINES) {
                _changed(allowed);
                // R5: the live end of the record's corrections had carried these kilograms over; they go back.
                bytes32 end = _liveCorrection(recordId);
                if (end != bytes32(0)) carriedKg[end] -= kg;
            } catch {}
        }
        _end();
    }

    /// @dev One lifecycle step: 0 depart, 1 arrive, 2 release, 3 refuse, 4 place hold, 5 lift hold.
    function step(uint256 callerSeed, uint256 shipmentSeed, uint8 action, uint256 reasonSeed) external {
        callerSeed = _mix(callerSeed);
        shipmentSeed = _mix(shipmentSeed);
        reasonSeed = _mix(reasonSeed);
        _begin();
        if (shipmentIds.length != 0) {
            bytes32 id = shipmentIds[shipmentSeed % shipmentIds.length];
            IShipmentRegistry.ShipmentRecord memory s = shipments.shipmentOf(id);
            uint256 pick = callerSeed % 4;
            address caller = pick == 0 ? s.carrier : (pick == 1 ? cbp : _caller(callerSeed));
            bool activeCarrier = caller == s.carrier && actors.isActive(caller, BusinessRoles.CARRIER);
            bytes32 reason = bytes32(1 + (reasonSeed % 3));
            action %= 6;
            bool ok;
            vm.prank(caller);
            if (action == 0) {
                try shipments.markDeparted(id, reason, 0) {
                    ok = true;
                } catch {}
                if (ok) _changed(activeCarrier);
            } else if (action == 1) {
                try shipments.markArrived(id, reason, 0) {
                    ok = true;
                } catch {}
                if (ok) _changed(activeCarrier || caller == cbp);
            } else if (action == 2) {
                try shipments.release(id, reason, 0) {
                    ok = true;
                } catch {}
                if (ok) {
                    _changed(caller == cbp);
                    if (s.activeHolds != 0) ++releasesWithHolds;
                }
            } else if (action == 3) {
                try shipments.refuse(id, reason, 0) {
                    ok = true;
                } catch {}
                if (ok) _changed(caller == cbp);
            } else if (action == 4) {
                try shipments.placeHold(id, reason, 0) {
                    ok = true;
                } catch {}
                if (ok) _changed(caller == cbp);
            } else {
                try shipments.liftHold(id, reason, 0) {
                    ok = true;
                } catch {}
                // Not after release or refusal (R7).
                bool open =
                    s.status != IShipmentRegistry.Status.Released && s.status != IShipmentRegistry.Status.Refused;
                if (ok) _changed(caller == cbp && open);
            }
        }
        _end();
    }

    // ------------------------------------------------------------ governance

    function togglePause(uint256 callerSeed) external {
        callerSeed = _mix(callerSeed);
        vm.warp(time);
        address caller = callerSeed % 2 == 0 ? gov : _caller(callerSeed);
        if (caller != gov) {
            vm.prank(caller);
            try shipments.pause() {
                ++unauthorizedSuccesses;
            } catch {}
            return;
        }
        // Pauses are short: pausing is rarer than unpausing, so most of a run exercises the live registries.
        if (!paused && (callerSeed >> 8) % 4 != 0) return;
        vm.startPrank(gov);
        if (paused) {
            actors.unpause();
            mtr.unpause();
            coo.unpause();
            shipments.unpause();
        } else {
            actors.pause();
            mtr.pause();
            coo.pause();
            shipments.pause();
        }
        vm.stopPrank();
        paused = !paused;
    }

    /// @dev Upgrades all four proxies to the V2 harnesses once, mid-sequence, and compares every view before/after.
    function upgrade(uint256 callerSeed) external {
        callerSeed = _mix(callerSeed);
        vm.warp(time);
        if (upgrades != 0 || successes < 5) return;
        address caller = _caller(callerSeed);
        if (caller != gov) {
            address impl = address(new MillTestReportRegistryV2());
            vm.prank(caller);
            try UUPSUpgradeable(address(mtr)).upgradeToAndCall(impl, "") {
                ++unauthorizedSuccesses;
            } catch {}
        }
        bytes32 before = stateDigest();
        vm.startPrank(gov);
        UUPSUpgradeable(address(actors)).upgradeToAndCall(
            address(new ActorRegistryV2()),
            abi.encodeCall(ActorRegistryV2.initializeV2, ())
        );
        UUPSUpgradeable(address(mtr)).upgradeToAndCall(address(new MillTestReportRegistryV2()), "");
        UUPSUpgradeable(address(coo)).upgradeToAndCall(address(new CertificateOfOriginRegistryV2()), "");
        UUPSUpgradeable(address(shipments)).upgradeToAndCall(address(new ShipmentRegistryV2()), "");
        vm.stopPrank();
        ++upgrades;
        if (stateDigest() != before) ++upgradeDigestChanges;
        // The new code is really in place.
        assertEq(MillTestReportRegistryV2(address(mtr)).upgradeMarker(), 2, "mtr v2");
        assertEq(ShipmentRegistryV2(address(shipments)).implementationVersion(), 2, "shipments v2");
        assertEq(ActorRegistryV2(address(actors)).upgradedAt(), time, "actors v2");
    }

    // ------------------------------------------------------------ views for the invariants

    function recordCount() external view returns (uint256) {
        return records.length;
    }

    function shipmentCount() external view returns (uint256) {
        return shipmentIds.length;
    }

    function registries() external view returns (address, address, address, address) {
        return (address(actors), address(mtr), address(coo), address(shipments));
    }

    /// @notice Kilograms that shipments hold from `recordId`, summed over every shipment line.
    function shipmentAllocations(bytes32 recordId) external view returns (uint256 sum) {
        for (uint256 s; s < shipmentIds.length; ++s) {
            for (uint256 line; line < LINES; ++line) {
                uint256 allocated = mtr.allocatedKg(recordId, shipments.consumerOf(shipmentIds[s], line));
                // The shipment's own view of the link agrees with the report registry's.
                assertEq(allocated, shipments.linkedKg(shipmentIds[s], recordId, line), "link view");
                sum += allocated;
            }
        }
    }

    /// @notice A hash of everything the registries expose about the tracked records, shipments and actors.
    function stateDigest() public view returns (bytes32 d) {
        for (uint256 i; i < records.length; ++i) {
            d = keccak256(abi.encode(d, mtr.recordOf(records[i]), mtr.meltAndPourCountriesOf(records[i])));
        }
        for (uint256 i; i < shipmentIds.length; ++i) {
            bytes32 id = shipmentIds[i];
            IShipmentRegistry.ShipmentRecord memory s = shipments.shipmentOf(id);
            d = keccak256(abi.encode(d, s, shipments.versionHashOf(id, s.version)));
            for (uint256 line; line < LINES; ++line) d = keccak256(abi.encode(d, shipments.linkCountOf(id, line)));
            for (uint256 r; r < 3; ++r) d = keccak256(abi.encode(d, shipments.isHoldActive(id, bytes32(r + 1))));
        }
        for (uint256 i; i < people.length; ++i) {
            address a = people[i];
            d = keccak256(abi.encode(d, actors.actorOf(a), mtr.nonces(a), shipments.isBrokerAuthorized(people[4], a)));
        }
        d = keccak256(abi.encode(d, actors.trustedRolesOf(issuer)));
    }

    // ------------------------------------------------------------ internals

    function _begin() private {
        vm.warp(time);
        if (paused) {
            ++pausedCalls;
            _digestBefore = stateDigest();
        }
    }

    function _end() private {
        if (paused && stateDigest() != _digestBefore) ++pausedDigestChanges;
        _observeShipments();
    }

    function _changed(bool allowed) private {
        ++successes;
        if (!allowed) ++unauthorizedSuccesses;
        if (paused) ++pausedSuccesses;
    }

    /// @dev Checks every shipment's status against the last observed one: only legal edges (or no change).
    function _observeShipments() private {
        for (uint256 i; i < shipmentIds.length; ++i) {
            bytes32 id = shipmentIds[i];
            IShipmentRegistry.Status prev = lastStatus[id];
            IShipmentRegistry.Status cur = shipments.shipmentOf(id).status;
            if (cur != prev && !_legal(prev, cur)) ++illegalTransitions;
            lastStatus[id] = cur;
        }
    }

    function _legal(IShipmentRegistry.Status from, IShipmentRegistry.Status to) private pure returns (bool) {
        if (from == IShipmentRegistry.Status.None) return to == IShipmentRegistry.Status.Filed;
        if (from == IShipmentRegistry.Status.Filed) return to == IShipmentRegistry.Status.Departed;
        if (from == IShipmentRegistry.Status.Departed) return to == IShipmentRegistry.Status.Arrived;
        if (from == IShipmentRegistry.Status.Arrived) {
            return to == IShipmentRegistry.Status.Released || to == IShipmentRegistry.Status.Refused;
        }
        return false; // released and refused are final
    }

    /// @dev The roles `subject` holds now: those of its current credential, if unrevoked and unexpired, that its
    /// issuer is still trusted for. Only an issuer trusted for all of them may replace that credential (A1).
    function _heldRoles(address subject) private view returns (uint32) {
        IActorRegistry.Actor memory a = actors.actorOf(subject);
        if (actors.credentialStatus(a.credentialId) != IActorRegistry.CredentialStatus.Current) return 0;
        if (time > a.validUntil) return 0;
        return a.roles & actors.trustedRolesOf(a.issuer);
    }

    function _labCredential(
        address subject,
        uint64 validFrom
    ) private returns (IActorRegistry.ActorCredential memory c, bytes memory sig) {
        (c, ) = _credential(subject, LAB_ISSUER_KEY, 0);
        c.roles = BusinessRoles.LABORATORY;
        c.validFrom = validFrom;
        c.validUntil = validFrom > type(uint64).max - 1 days ? type(uint64).max : validFrom + 1 days;
        sig = _sign(LAB_ISSUER_KEY, actors.credentialDigest(c));
    }

    function _firstInactive(uint256 seed) private view returns (address) {
        for (uint256 i; i < people.length; ++i) {
            address a = people[i];
            if (rolesOf[a] != 0 && !actors.isActive(a, rolesOf[a])) return a;
        }
        return people[seed % people.length];
    }

    /// @dev The last correction of `recordId`'s chain within `MAX_CORRECTION_HOPS`, or zero if it has none or the
    /// chain is longer (then the registry gives nothing back).
    function _liveCorrection(bytes32 recordId) private view returns (bytes32) {
        bytes32 next = mtr.recordOf(recordId).successor;
        for (uint256 hops = 1; next != bytes32(0) && hops <= mtr.MAX_CORRECTION_HOPS(); ++hops) {
            bytes32 after_ = mtr.recordOf(next).successor;
            if (after_ == bytes32(0)) return next;
            next = after_;
        }
        return bytes32(0);
    }

    /// @dev The importer while active, the filer while it may still file for it (A2); a named exporter or
    /// manufacturer only while active in its role (R4).
    function _isParty(bytes32 shipmentId, address caller) private view returns (bool) {
        IShipmentRegistry.ShipmentRecord memory s = shipments.shipmentOf(shipmentId);
        if (caller == s.importer || caller == s.filer) {
            return
                actors.isActive(s.importer, BusinessRoles.IMPORTER) &&
                (caller == s.importer ||
                    (actors.isActive(caller, BusinessRoles.CUSTOMS_BROKER) &&
                        shipments.isBrokerAuthorized(s.importer, caller)));
        }
        if (caller == s.exporter && actors.isActive(caller, BusinessRoles.EXPORTER)) return true;
        return
            caller == s.manufacturer &&
            (actors.isActive(caller, BusinessRoles.MILL) || actors.isActive(caller, BusinessRoles.PROCESSOR));
    }

    /// @dev Spreads a fuzzed seed uniformly: forge favours edge and dictionary values (0, 1, max, addresses seen in
    /// state), which through `%` would pick the same caller, record or shipment most of the time.
    function _mix(uint256 seed) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed)));
    }

    /// @dev Half the time one of the two cast members from `first` (the role the action needs), else anyone.
    function _biased(uint256 seed, uint256 first) private view returns (address) {
        return seed % 2 == 0 ? people[first + ((seed >> 1) % 2)] : _caller(seed >> 1);
    }

    /// @dev Any cast member, governance, CBP or the credential issuer.
    function _caller(uint256 seed) private view returns (address) {
        uint256 i = seed % (people.length + 3);
        if (i < people.length) return people[i];
        if (i == people.length) return gov;
        if (i == people.length + 1) return cbp;
        return issuer;
    }

    function _input(uint256 seed, uint256 kg) private view returns (IMillTestReportRegistry.LineageInput memory) {
        bytes32 id = records[seed % records.length];
        // Mostly within what is left, sometimes a little more, to hit InsufficientKilograms.
        uint256 left = mtr.remainingKg(id);
        return IMillTestReportRegistry.LineageInput(id, uint96(bound(kg, 0, left + 5)));
    }

    function _melt(uint256 seed) private pure returns (bytes2) {
        bytes2[6] memory countries = [bytes2("DE"), "KR", "US", "CN", "VN", "JP"];
        return countries[seed % 6];
    }

    function _remember(bytes32 id, bytes32 contentHash) private {
        records.push(id);
        contentHashOf[id] = contentHash;
    }

    function _freshId() private returns (bytes32) {
        return keccak256(abi.encode("id", ++_idCount));
    }

    function _filing(
        address importer,
        address manufacturer
    ) private view returns (IShipmentRegistry.ShipmentFiling memory f) {
        f.parties = IShipmentRegistry.Parties(importer, people[8], manufacturer, people[7]);
        f.lines = new IShipmentRegistry.Line[](LINES);
        f.lines[0] = IShipmentRegistry.Line(7304191020, 20_000, 1_000_000, "DE");
        f.lines[1] = IShipmentRegistry.Line(7208510030, 10_000, 500_000, "DE");
        f.exportCountry = "DE";
        f.portOfLading = "DEHAM";
        f.portOfEntry = "USHOU";
        f.estimatedArrival = uint64(time + 10 days);
        f.billOfLading = "BL-1";
        f.workflowInstanceId = keccak256("workflow");
    }
}
