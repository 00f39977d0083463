// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ITradeTraceErrors} from "../../contracts/interfaces/ITradeTraceErrors.sol";
import {IDocumentRegistry} from "../../contracts/interfaces/IDocumentRegistry.sol";
import {IMillTestReportRegistry} from "../../contracts/interfaces/IMillTestReportRegistry.sol";
import {BusinessRoles} from "../../contracts/libraries/BusinessRoles.sol";
import {TradeTraceSystem} from "./utils/TradeTraceSystem.sol";

/// @title DocumentFindings
/// @notice The document-registry findings of SECURITY.md (A4, A5, both fixed) as fuzzed scenarios against the real
/// registries: the fix must hold for any content hash, weight and attacker.
contract DocumentFindings is TradeTraceSystem {
    function setUp() public {
        _deploySystem();
    }

    /// @notice A4 (fixed): once CBP suspends a mill, its (possibly stolen) key can't revoke the mill's genuine
    /// reports; CBP still can.
    function testFuzz_A4_suspendedMillCantRevoke(bytes32 contentHash, uint96 kg, bytes32 reason) public {
        vm.assume(contentHash != bytes32(0));
        address mill = people[0];
        vm.prank(mill);
        bytes32 id = mtr.issue(_report(contentHash, uint96(bound(kg, 1, type(uint96).max)), "DE", 0));
        vm.prank(gov);
        actors.suspend(mill, "STOLEN_KEY");

        vm.expectRevert(abi.encodeWithSelector(ITradeTraceErrors.ActorNotActive.selector, mill, BusinessRoles.MILL));
        vm.prank(mill);
        mtr.revoke(id, reason);
        assertTrue(mtr.isUsable(id), "the genuine report stays usable");

        vm.prank(gov);
        mtr.revoke(id, reason);
        assertTrue(mtr.recordOf(id).status == IDocumentRegistry.Status.Revoked, "CBP revokes");
    }

    /// @notice A5 (fixed): whoever anchors a mill's content hash first (another mill directly, or a processor
    /// through `derive`), the mill's relayed `issueBySig` still succeeds, under the mill's own record id.
    function testFuzz_A5_squattedHashStillIssuesForItsIssuer(
        bytes32 contentHash,
        uint96 kg,
        bool byDerive,
        address relayer
    ) public {
        vm.assume(contentHash != bytes32(0) && contentHash != keccak256("input"));
        address mill = people[0];
        IMillTestReportRegistry.MillTestReport memory genuine = _report(
            contentHash,
            uint96(bound(kg, 1, 1e9)),
            "DE",
            0
        );
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature = _sign(keyOf[mill], _issueDigest(genuine, mtr.nonces(mill), deadline));

        // The attacker saw the pending payload and anchors the same hash first, with its own weight and country.
        IMillTestReportRegistry.MillTestReport memory squat = _report(contentHash, 1_000, "CN", 0);
        squat.certificateNumber = "SQUAT";
        address attacker;
        if (byDerive) {
            attacker = people[2]; // a processor
            vm.prank(people[1]);
            bytes32 input = mtr.issue(_report(keccak256("input"), 1_000, "CN", 0));
            IMillTestReportRegistry.LineageInput[] memory inputs = new IMillTestReportRegistry.LineageInput[](1);
            inputs[0] = IMillTestReportRegistry.LineageInput(input, 1_000);
            vm.prank(people[1]); // the input's mill sold the heat to the attacker (R1)
            mtr.approveAllocator(input, attacker, true);
            vm.prank(attacker);
            mtr.derive(squat, inputs);
        } else {
            attacker = people[1]; // another mill
            vm.prank(attacker);
            mtr.issue(squat);
        }

        vm.prank(relayer);
        bytes32 id = mtr.issueBySig(genuine, mill, deadline, signature);
        assertEq(id, keccak256(abi.encode(mill, contentHash)), "the mill's own record id");
        assertTrue(id != mtr.recordIdOf(attacker, contentHash), "not the attacker's");
        IDocumentRegistry.Record memory record = mtr.recordOf(id);
        assertTrue(record.issuer == mill, "issued by the mill");
        assertEq(uint256(record.totalKg), uint256(genuine.totalKg), "with the mill's weight");
        assertTrue(mtr.meltAndPourCountriesOf(id)[0] == bytes2("DE"), "and the mill's melt country");
    }
}
