// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IActorRegistry} from "../../contracts/interfaces/IActorRegistry.sol";
import {IDocumentRegistry} from "../../contracts/interfaces/IDocumentRegistry.sol";
import {IMillTestReportRegistry} from "../../contracts/interfaces/IMillTestReportRegistry.sol";
import {IShipmentRegistry} from "../../contracts/interfaces/IShipmentRegistry.sol";
import {BusinessRoles} from "../../contracts/libraries/BusinessRoles.sol";
import {TradeTraceSystem} from "./utils/TradeTraceSystem.sol";

/// @title Findings
/// @notice Residual risks R1, R2, R3 and R5 of SECURITY.md as running scenarios against the real registries. Each
/// asserts today's behaviour; when a fix lands the test fails and should be turned into a regression test of the fix.
contract Findings is TradeTraceSystem {
    function setUp() public {
        _deploySystem();
    }

    /// @notice R1: an importer with no business relation to a mill drains the mill's certificate through its own
    /// shipment, and the genuine buyer can no longer link it.
    function test_R1_anyShipmentPartyCanConsumeAForeignCertificate() public {
        address mill = people[0];
        address squatter = people[5]; // importer 1, never dealt with this mill
        vm.prank(mill);
        bytes32 report = mtr.issue(_report(keccak256("heat"), 10_000, "DE", 0));

        vm.prank(squatter);
        shipments.fileShipment(keccak256("squat"), _filing(squatter));
        vm.prank(squatter);
        shipments.linkMillTestReport(keccak256("squat"), report, 0, 10_000);
        assertEq(mtr.remainingKg(report), 0, "drained by a stranger");

        address buyer = people[4];
        vm.prank(buyer);
        shipments.fileShipment(keccak256("real"), _filing(buyer));
        vm.expectRevert(
            abi.encodeWithSelector(IDocumentRegistry.InsufficientKilograms.selector, report, uint256(1_000), 0)
        );
        vm.prank(buyer);
        shipments.linkMillTestReport(keccak256("real"), report, 0, 1_000);
    }

    /// @notice R2: distrusting an issuer leaves every actor it onboarded active.
    function test_R2_removingAnIssuerKeepsItsActorsActive() public {
        vm.prank(gov);
        actors.removeTrustedIssuer(issuer);
        assertTrue(actors.isActive(people[0], BusinessRoles.MILL), "still active after the issuer was distrusted");
    }

    /// @notice R3: after the issuer revokes an actor's credential, another credential it had signed for the actor
    /// (never submitted) reactivates the actor; nobody could cancel it beforehand.
    function test_R3_unsubmittedCredentialUndoesARevocation() public {
        address mill = people[0];
        (IActorRegistry.ActorCredential memory spare, bytes memory spareSig) = _credential(mill, ISSUER_KEY, 0);
        vm.expectRevert(abi.encodeWithSelector(IActorRegistry.CredentialNotCurrent.selector, spare.credentialId));
        vm.prank(issuer);
        actors.revokeCredential(spare.credentialId, "CANCEL"); // no way to cancel it in advance

        bytes32 current = actors.actorOf(mill).credentialId;
        vm.prank(issuer);
        actors.revokeCredential(current, "FRAUD");
        assertTrue(!actors.isActive(mill, BusinessRoles.MILL), "revoked");

        actors.onboard(spare, issuer, spareSig); // anyone holding it
        assertTrue(actors.isActive(mill, BusinessRoles.MILL), "active again");
    }

    /// @notice R5: kilograms a shipment gives back after a correction return to the superseded record, which can
    /// never be used again, while the correction keeps counting them as consumed.
    function test_R5_correctionStrandsReleasedKilograms() public {
        address mill = people[0];
        address importer = people[4];
        vm.prank(mill);
        bytes32 original = mtr.issue(_report(keccak256("heat"), 10_000, "DE", 0));
        vm.prank(importer);
        shipments.fileShipment(keccak256("s"), _filing(importer));
        vm.prank(importer);
        shipments.linkMillTestReport(keccak256("s"), original, 0, 4_000);

        vm.prank(mill);
        bytes32 correction = mtr.supersede(original, _report(keccak256("heat v2"), 10_000, "DE", 0));
        vm.prank(importer);
        shipments.unlinkMillTestReport(keccak256("s"), original, 0);

        assertEq(mtr.recordOf(original).consumedKg, 0, "given back to the superseded record");
        assertTrue(!mtr.isUsable(original), "which is unusable");
        assertEq(mtr.remainingKg(correction), 6_000, "the correction still counts the 4,000 kg as consumed");
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
