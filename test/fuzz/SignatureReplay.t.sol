// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {RegistryBase} from "../../contracts/common/RegistryBase.sol";
import {IActorRegistry} from "../../contracts/interfaces/IActorRegistry.sol";
import {IMillTestReportRegistry} from "../../contracts/interfaces/IMillTestReportRegistry.sol";
import {TradeTraceSystem} from "./utils/TradeTraceSystem.sol";

/// @title SignatureReplayFuzz
/// @notice Stateless fuzz tests (profile `fuzz.runs`): a payload signed with `vm.sign` succeeds once, from any
/// relayer, and its replay fails, from any relayer and at any later time before or after the deadline.
contract SignatureReplayFuzz is TradeTraceSystem {
    function setUp() public {
        _deploySystem();
    }

    function testFuzz_credentialCannotBeReplayed(
        uint256 subjectSeed,
        uint64 validDays,
        address relayer,
        address replayer,
        uint32 laterSeconds
    ) public {
        address subject = people[subjectSeed % people.length];
        (IActorRegistry.ActorCredential memory c, bytes memory sig) = _credential(
            subject,
            ISSUER_KEY,
            uint64(bound(validDays, 1, 3650))
        );
        vm.prank(relayer);
        actors.onboard(c, issuer, sig);
        assertEq(actors.actorOf(subject).credentialId, c.credentialId, "onboarded");
        assertTrue(actors.isActive(subject, c.roles), "active");

        vm.warp(block.timestamp + bound(laterSeconds, 0, 30 days));
        // Shape checks run first, so after expiry the replay meets InvalidValidity; before it, the used id.
        if (block.timestamp > c.validUntil) {
            vm.expectRevert(abi.encodeWithSelector(IActorRegistry.InvalidValidity.selector, c.validFrom, c.validUntil));
        } else {
            vm.expectRevert(abi.encodeWithSelector(IActorRegistry.CredentialAlreadyUsed.selector, c.credentialId));
        }
        vm.prank(replayer);
        actors.onboard(c, issuer, sig);
    }

    function testFuzz_delegatedIssueCannotBeReplayed(
        uint256 millSeed,
        uint96 kg,
        address relayer,
        address replayer,
        uint32 laterSeconds
    ) public {
        address mill = people[millSeed % 2];
        IMillTestReportRegistry.MillTestReport memory r = _report(keccak256(abi.encode(kg)), kg, "DE", 0);
        r.totalKg = uint96(bound(kg, 1, type(uint96).max));
        uint256 deadline = block.timestamp + 1 days;
        uint256 nonce = mtr.nonces(mill);
        bytes memory sig = _sign(keyOf[mill], _issueDigest(r, nonce, deadline));
        vm.prank(relayer);
        bytes32 id = mtr.issueBySig(r, mill, deadline, sig);
        assertEq(id, keccak256(abi.encode(mill, r.contentHash)), "issued under the signer's record id");
        assertEq(mtr.recordIdOf(mill, r.contentHash), id, "recordIdOf");
        assertTrue(mtr.recordOf(id).issuer == mill, "issuer is the signer, not the relayer");
        assertEq(mtr.nonces(mill), nonce + 1, "nonce used");

        // Even with the record revoked (so a duplicate id is not what stops it), the used nonce does.
        vm.prank(mill);
        mtr.revoke(id, "TEST");
        uint256 later = bound(laterSeconds, 0, 2 days);
        vm.warp(block.timestamp + later);
        if (block.timestamp > deadline) {
            vm.expectRevert(abi.encodeWithSelector(RegistryBase.SignatureExpired.selector, deadline, block.timestamp));
        } else {
            vm.expectRevert(abi.encodeWithSelector(RegistryBase.InvalidSignature.selector, mill));
        }
        vm.prank(replayer);
        mtr.issueBySig(r, mill, deadline, sig);
    }
}
