// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IActorRegistry} from "../../contracts/interfaces/IActorRegistry.sol";
import {ITradeTraceErrors} from "../../contracts/interfaces/ITradeTraceErrors.sol";
import {IMillTestReportRegistry} from "../../contracts/interfaces/IMillTestReportRegistry.sol";
import {IShipmentRegistry} from "../../contracts/interfaces/IShipmentRegistry.sol";
import {BusinessRoles} from "../../contracts/libraries/BusinessRoles.sol";
import {TradeTraceSystem} from "./utils/TradeTraceSystem.sol";

/// @title Findings
/// @notice Residual risks of SECURITY.md as running scenarios against the real registries. R1, R2, R3, R4, R5 and R7
/// are fixed, as is the review finding A1, and their tests show that the fix holds.
contract Findings is TradeTraceSystem {
    function setUp() public {
        _deploySystem();
    }

    /// @notice R1 (fixed): an importer with no business relation to a mill can no longer drain the mill's
    /// certificate through its own shipment; the buyer the mill approved links it in full.
    function test_R1_strangerCantConsumeAForeignCertificate() public {
        address mill = people[0];
        address squatter = people[5]; // importer 1, never dealt with this mill
        vm.prank(mill);
        bytes32 report = mtr.issue(_report(keccak256("heat"), 10_000, "DE", 0));

        bytes32 squat = _file(squatter, "squat");
        vm.expectRevert(
            abi.encodeWithSelector(IShipmentRegistry.AllocationNotApproved.selector, report, squatter, squatter)
        );
        vm.prank(squatter);
        shipments.linkMillTestReport(squat, report, 0, 10_000);
        assertEq(mtr.remainingKg(report), 10_000, "nothing taken by a stranger");

        address buyer = people[4];
        vm.prank(mill);
        mtr.approveAllocator(report, buyer, true);
        bytes32 real = _file(buyer, "real");
        vm.prank(buyer);
        shipments.linkMillTestReport(real, report, 0, 10_000);
        assertEq(mtr.remainingKg(report), 0, "the approved buyer took it all");
    }

    /// @notice R1 (fixed for lineage too): a processor the mill never sold the heat to can no longer consume the
    /// mill's certificate by deriving a product from it; the processor the mill approved can, and the approval
    /// does not pass to that processor's product.
    function test_R1_strangerCantDeriveFromAForeignCertificate() public {
        address mill = people[0];
        address stranger = people[3]; // a processor that never dealt with this mill
        address buyer = people[2];
        vm.prank(mill);
        bytes32 report = mtr.issue(_report(keccak256("heat"), 10_000, "DE", 0));
        IMillTestReportRegistry.LineageInput[] memory inputs = new IMillTestReportRegistry.LineageInput[](1);
        inputs[0] = IMillTestReportRegistry.LineageInput(report, 10_000);

        vm.expectRevert(abi.encodeWithSelector(IMillTestReportRegistry.InputNotApproved.selector, report, stranger));
        vm.prank(stranger);
        mtr.derive(_report(keccak256("squat"), 10_000, "DE", 0), inputs);
        assertEq(mtr.remainingKg(report), 10_000, "nothing taken by a stranger");

        vm.prank(mill);
        mtr.approveAllocator(report, buyer, true);
        vm.prank(buyer);
        bytes32 slab = mtr.derive(_report(keccak256("slab"), 10_000, "DE", 0), inputs);
        assertEq(mtr.remainingKg(report), 0, "the approved processor took it all");

        inputs[0] = IMillTestReportRegistry.LineageInput(slab, 10_000);
        vm.expectRevert(abi.encodeWithSelector(IMillTestReportRegistry.InputNotApproved.selector, slab, stranger));
        vm.prank(stranger);
        mtr.derive(_report(keccak256("coil"), 10_000, "DE", 0), inputs);
    }

    /// @notice R2 (fixed): distrusting an issuer deactivates every actor it credentialed at once, narrowing its roles
    /// deactivates them for the dropped roles, and a credential from another trusted issuer restores the actor.
    function test_R2_removingAnIssuerDeactivatesItsActors() public {
        address mill = people[0];
        address importer = people[4];
        vm.prank(gov);
        actors.setTrustedIssuer(issuer, BusinessRoles.ALL & ~BusinessRoles.IMPORTER);
        assertTrue(actors.isActive(mill, BusinessRoles.MILL), "kept role");
        assertTrue(!actors.isActive(importer, BusinessRoles.IMPORTER), "dropped role");

        vm.prank(gov);
        actors.removeTrustedIssuer(issuer);
        assertTrue(!actors.isActive(mill, BusinessRoles.MILL), "inactive once the issuer is distrusted");
        vm.expectRevert(abi.encodeWithSelector(ITradeTraceErrors.ActorNotActive.selector, mill, BusinessRoles.MILL));
        vm.prank(mill);
        mtr.issue(_report(keccak256("heat"), 10_000, "DE", 0));

        uint256 otherKey = 0x0712;
        address other = vm.addr(otherKey);
        vm.prank(gov);
        actors.setTrustedIssuer(other, BusinessRoles.MILL);
        (IActorRegistry.ActorCredential memory fresh, bytes memory sig) = _credential(mill, otherKey, 0);
        actors.onboard(fresh, other, sig);
        assertTrue(actors.isActive(mill, BusinessRoles.MILL), "re-credentialed by another issuer");
    }

    /// @notice R3 (fixed): the issuer deny-lists a credential it signed but never submitted, so it can't undo a
    /// revocation later.
    function test_R3_unsubmittedCredentialCanBeRevokedInAdvance() public {
        address mill = people[0];
        vm.warp(block.timestamp + 1);
        (IActorRegistry.ActorCredential memory spare, bytes memory spareSig) = _credential(mill, ISSUER_KEY, 0);
        vm.prank(issuer);
        actors.revokeCredential(spare.credentialId, "CANCEL");

        bytes32 current = actors.actorOf(mill).credentialId;
        vm.prank(issuer);
        actors.revokeCredential(current, "FRAUD");
        assertTrue(!actors.isActive(mill, BusinessRoles.MILL), "revoked");

        vm.expectRevert(
            abi.encodeWithSelector(IActorRegistry.CredentialRevokedBeforeSubmission.selector, spare.credentialId)
        );
        actors.onboard(spare, issuer, spareSig); // anyone holding it
        assertTrue(!actors.isActive(mill, BusinessRoles.MILL), "still revoked");
    }

    /// @notice R3 (fixed): a relayer that withheld an older credential can't submit it after a newer one.
    function test_R3_olderCredentialCantReplaceANewerOne() public {
        address mill = people[0];
        (IActorRegistry.ActorCredential memory older, bytes memory olderSig) = _credential(mill, ISSUER_KEY, 0);
        vm.warp(block.timestamp + 1 days);
        (IActorRegistry.ActorCredential memory newer, bytes memory newerSig) = _credential(mill, ISSUER_KEY, 0);
        actors.onboard(newer, issuer, newerSig);
        vm.expectRevert(
            abi.encodeWithSelector(
                IActorRegistry.CredentialOlderThanCurrent.selector,
                older.credentialId,
                older.validFrom,
                newer.validFrom
            )
        );
        actors.onboard(older, issuer, olderSig);
        assertEq(actors.actorOf(mill).credentialId, newer.credentialId, "the newer credential stays");
    }

    /// @notice A1 (fixed): the reviewer's sequence. An issuer trusted for LABORATORY only can't replace an active
    /// mill's credential, nor with a far-future `validFrom`; a future-dated credential from an issuer trusted for MILL,
    /// once CBP revokes it, no longer bars the real issuer's credential; and CBP can clear a bad record outright.
    function test_A1_anIssuerCantLockAnActorOut() public {
        address mill = people[0];
        uint256 labKey = 0x1AB;
        address lab = vm.addr(labKey);
        vm.prank(gov);
        actors.setTrustedIssuer(lab, BusinessRoles.LABORATORY);

        (IActorRegistry.ActorCredential memory far, bytes memory farSig) = _labCredential(
            mill,
            labKey,
            type(uint64).max - 1
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IActorRegistry.ValidFromTooFarAhead.selector,
                far.validFrom,
                uint64(block.timestamp + actors.MAX_VALID_FROM_LEAD())
            )
        );
        actors.onboard(far, lab, farSig); // by anyone
        (IActorRegistry.ActorCredential memory now_, bytes memory nowSig) = _labCredential(
            mill,
            labKey,
            uint64(block.timestamp)
        );
        vm.expectRevert(
            abi.encodeWithSelector(IActorRegistry.IssuerNotTrustedForHeldRoles.selector, mill, lab, BusinessRoles.MILL)
        );
        actors.onboard(now_, lab, nowSig);
        assertTrue(actors.isActive(mill, BusinessRoles.MILL), "the mill keeps its role");

        // Trusted for MILL, the rogue can replace; CBP revokes its credential and distrusts it.
        vm.prank(gov);
        actors.setTrustedIssuer(lab, BusinessRoles.MILL | BusinessRoles.LABORATORY);
        (IActorRegistry.ActorCredential memory bad, bytes memory badSig) = _credential(mill, labKey, 0);
        bad.validFrom = uint64(block.timestamp + 20 days);
        bad.validUntil = bad.validFrom + 1 days;
        badSig = _sign(labKey, actors.credentialDigest(bad));
        actors.onboard(bad, lab, badSig);
        assertTrue(!actors.isActive(mill, BusinessRoles.MILL), "inactive until the rogue validFrom");
        vm.startPrank(gov);
        actors.revokeCredential(bad.credentialId, "ROGUE");
        actors.removeTrustedIssuer(lab);
        vm.stopPrank();
        vm.warp(block.timestamp + 1);
        (IActorRegistry.ActorCredential memory fresh, bytes memory freshSig) = _credential(mill, ISSUER_KEY, 0);
        actors.onboard(fresh, issuer, freshSig);
        assertTrue(actors.isActive(mill, BusinessRoles.MILL), "the real issuer's credential onboards the mill");

        // The repair: CBP clears the record; a credential valid from before the cleared one onboards.
        vm.prank(gov);
        actors.clearCredential(mill, "REPAIR");
        assertTrue(!actors.isActive(mill, BusinessRoles.MILL), "cleared");
        (IActorRegistry.ActorCredential memory earlier, bytes memory earlierSig) = _credential(mill, ISSUER_KEY, 0);
        earlier.validFrom = fresh.validFrom - 1 days;
        earlierSig = _sign(ISSUER_KEY, actors.credentialDigest(earlier));
        actors.onboard(earlier, issuer, earlierSig);
        assertTrue(actors.isActive(mill, BusinessRoles.MILL), "re-onboarded after the repair");
    }

    /// @notice R5 (fixed): kilograms a shipment gives back after a correction return to the correction, which had
    /// carried them over as consumed, so none are stranded on the superseded record.
    function test_R5_releasedKilogramsReturnToTheCorrection() public {
        address mill = people[0];
        address importer = people[4];
        vm.prank(mill);
        bytes32 original = mtr.issue(_report(keccak256("heat"), 10_000, "DE", 0));
        vm.prank(mill);
        mtr.approveAllocator(original, importer, true);
        bytes32 s = _file(importer, "s");
        vm.prank(importer);
        shipments.linkMillTestReport(s, original, 0, 4_000);

        vm.prank(mill);
        bytes32 correction = mtr.supersede(original, _report(keccak256("heat v2"), 10_000, "DE", 0));
        assertEq(mtr.remainingKg(correction), 6_000, "the correction carries the 4,000 kg over");
        vm.prank(importer);
        shipments.unlinkMillTestReport(s, original, 0);

        assertEq(mtr.recordOf(original).consumedKg, 0, "released from the superseded record");
        assertTrue(!mtr.isUsable(original), "which stays unusable");
        assertEq(mtr.remainingKg(correction), 10_000, "and returned to the correction");
        vm.prank(mill);
        mtr.approveAllocator(correction, importer, true);
        vm.prank(importer);
        shipments.linkMillTestReport(s, correction, 0, 10_000);
    }

    /// @notice R4 (fixed): a manufacturer named in a filing but never onboarded gets no link rights; the filing
    /// itself stays allowed.
    function test_R4_unverifiedManufacturerCantLink() public {
        address importer = people[4];
        address outsider = people[9];
        vm.prank(people[0]);
        bytes32 report = mtr.issue(_report(keccak256("heat"), 10_000, "DE", 0));
        IShipmentRegistry.ShipmentFiling memory f = _filing(importer);
        f.parties.manufacturer = outsider;
        vm.prank(importer);
        shipments.fileShipment(keccak256("s"), f);
        bytes32 s = shipments.shipmentIdOf(importer, keccak256("s"));
        vm.expectRevert(
            abi.encodeWithSelector(
                ITradeTraceErrors.ActorNotActive.selector,
                outsider,
                BusinessRoles.MILL | BusinessRoles.PROCESSOR
            )
        );
        vm.prank(outsider);
        shipments.linkMillTestReport(s, report, 0, 1_000);
        assertEq(mtr.remainingKg(report), 10_000, "nothing allocated");
    }

    /// @notice R7 (fixed): a hold in force at refusal stays recorded; it can't be lifted afterwards.
    function test_R7_holdCantBeLiftedAfterClosure() public {
        address importer = people[4];
        bytes32 id = _file(importer, "s");
        vm.prank(people[7]);
        shipments.markDeparted(id, 0, 0);
        vm.startPrank(cbp);
        shipments.markArrived(id, 0, 0);
        shipments.placeHold(id, "HOLD", 0);
        shipments.refuse(id, "REFUSED", 0);
        vm.expectRevert(
            abi.encodeWithSelector(IShipmentRegistry.ShipmentClosed.selector, id, IShipmentRegistry.Status.Refused)
        );
        shipments.liftHold(id, "HOLD", 0);
        vm.stopPrank();
        assertEq(shipments.shipmentOf(id).activeHolds, 1, "holds at closure");
    }

    function _labCredential(
        address subject,
        uint256 key,
        uint64 validFrom
    ) private returns (IActorRegistry.ActorCredential memory c, bytes memory sig) {
        (c, ) = _credential(subject, key, 0);
        c.roles = BusinessRoles.LABORATORY;
        c.validFrom = validFrom;
        c.validUntil = validFrom + 1;
        sig = _sign(key, actors.credentialDigest(c));
    }

    /// @dev Files the standard filing for `importer` under the reference keccak256(`label`) and returns the shipment id.
    function _file(address importer, string memory label) private returns (bytes32) {
        vm.prank(importer);
        shipments.fileShipment(keccak256(bytes(label)), _filing(importer));
        return shipments.shipmentIdOf(importer, keccak256(bytes(label)));
    }

    function _filing(address importer) private view returns (IShipmentRegistry.ShipmentFiling memory f) {
        f.parties = IShipmentRegistry.Parties(importer, people[8], people[0], people[7]);
        f.lines = new IShipmentRegistry.Line[](1);
        f.lines[0] = IShipmentRegistry.Line(7304191020, 10_000, 1_000_000, "DE");
        f.exportCountry = "DE";
        f.portOfLading = "DEHAM";
        f.portOfEntry = "USHOU";
        f.estimatedArrival = uint64(block.timestamp + 10 days);
        f.billOfLading = "BL-1";
    }
}
