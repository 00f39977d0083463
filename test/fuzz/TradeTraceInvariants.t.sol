// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IDocumentRegistry} from "../../contracts/interfaces/IDocumentRegistry.sol";
import {IShipmentRegistry} from "../../contracts/interfaces/IShipmentRegistry.sol";
import {MillTestReportRegistry} from "../../contracts/documents/MillTestReportRegistry.sol";
import {ShipmentRegistry} from "../../contracts/shipments/ShipmentRegistry.sol";
import {InvariantBase, Log} from "./utils/FuzzBase.sol";
import {TradeTraceHandler} from "./handlers/TradeTraceHandler.sol";

/// @title TradeTraceInvariants
/// @notice Stateful invariants over random sequences of handler actions against the real registries behind proxies.
/// Forge runs each `invariant_*` as its own campaign (profile `invariant.runs` sequences of `invariant.depth` calls)
/// and checks it after every call.
contract TradeTraceInvariants is InvariantBase {
    TradeTraceHandler internal handler;
    MillTestReportRegistry internal mtr;
    ShipmentRegistry internal shipments;

    function setUp() public {
        handler = new TradeTraceHandler();
        (, address mtr_, , address shipments_) = handler.registries();
        mtr = MillTestReportRegistry(mtr_);
        shipments = ShipmentRegistry(shipments_);
        targetContract(address(handler));
    }

    /// @notice Mass balance: no record hands out more than it certifies, and what it handed out is exactly what
    /// shipment lines hold plus what derived products took plus what a correction carried over (less what shipments
    /// released from its predecessors since, which comes back to the live correction: R5).
    function invariant_massBalance() public view {
        uint256 n = handler.recordCount();
        for (uint256 i; i < n; ++i) {
            bytes32 id = handler.records(i);
            IDocumentRegistry.Record memory r = mtr.recordOf(id);
            assertTrue(r.consumedKg <= r.totalKg, "consumed > total");
            assertEq(mtr.remainingKg(id), uint256(r.totalKg) - r.consumedKg, "remainingKg");
            assertEq(
                r.consumedKg,
                handler.shipmentAllocations(id) + handler.derivedKg(id) + handler.carriedKg(id),
                "consumed != allocations + derivations + carried"
            );
        }
    }

    /// @notice Every record's id is its issuer's: `recordIdOf(issuer, contentHash)`, so no one holds a record under
    /// an id that another issuer's credential yields (finding A5).
    function invariant_recordIdsBoundToIssuers() public view {
        uint256 n = handler.recordCount();
        for (uint256 i; i < n; ++i) {
            bytes32 id = handler.records(i);
            assertEq(mtr.recordIdOf(mtr.recordOf(id).issuer, handler.contentHashOf(id)), id, "record id not bound");
        }
    }

    /// @notice Every successful state change came from a caller the rules allow (active actor of the right role,
    /// the record's issuer, a shipment party, CBP or governance as the function requires).
    function invariant_onlyAllowedCallersChangeState() public view {
        assertEq(handler.unauthorizedSuccesses(), 0, "a state change by a caller the rules do not allow");
    }

    /// @notice Shipment statuses only move along filed -> departed -> arrived -> released | refused.
    function invariant_shipmentStateMachine() public view {
        assertEq(handler.illegalTransitions(), 0, "illegal status transition");
        uint256 n = handler.shipmentCount();
        for (uint256 i; i < n; ++i) {
            bytes32 id = handler.shipmentIds(i);
            IShipmentRegistry.ShipmentRecord memory s = shipments.shipmentOf(id);
            assertTrue(s.status == handler.lastStatus(id), "status changed outside the handler's view");
            assertTrue(s.version >= 1 && s.lineCount >= 1, "filed shipment without version or lines");
        }
    }

    /// @notice A shipment is never released while a CBP hold is active, and holds never come back after release.
    function invariant_releasedNeverWithActiveHolds() public view {
        assertEq(handler.releasesWithHolds(), 0, "released with active holds");
        uint256 n = handler.shipmentCount();
        for (uint256 i; i < n; ++i) {
            IShipmentRegistry.ShipmentRecord memory s = shipments.shipmentOf(handler.shipmentIds(i));
            if (s.status == IShipmentRegistry.Status.Released) assertEq(s.activeHolds, 0, "released with holds");
        }
    }

    /// @notice A signed payload (actor credential, delegated MTR issue) that succeeded once never succeeds again,
    /// and a replayed delegated issue is stopped by its used nonce (or its deadline), not only by the duplicate id.
    function invariant_noSignatureReplay() public view {
        assertEq(handler.replaySuccesses(), 0, "a signature was replayed");
        assertEq(handler.replaysNotStoppedByNonce(), 0, "a replay was not stopped by the nonce");
    }

    /// @notice While paused, no handler call succeeds and the state digest does not move.
    function invariant_pauseStopsEveryStateChange() public view {
        assertEq(handler.pausedSuccesses(), 0, "a call succeeded while paused");
        assertEq(handler.pausedDigestChanges(), 0, "state changed while paused");
    }

    /// @notice A1: an issuer trusted for LABORATORY only never deactivates an actor whose own issuer still trusts it
    /// (unless the actor submitted the credential itself).
    function invariant_narrowIssuerCantLockActorsOut() public view {
        assertEq(handler.lockouts(), 0, "a narrowly trusted issuer deactivated an actor");
    }

    /// @notice Upgrading every proxy to its V2 harness mid-sequence leaves every view unchanged.
    function invariant_upgradeKeepsState() public view {
        assertEq(handler.upgradeDigestChanges(), 0, "an upgrade changed state");
    }

    /// @notice After each run: how much the run exercised (shown with `-vv`), so a silent handler is noticed.
    function afterInvariant() public view {
        Log.log("successful state changes", handler.successes());
        Log.log("records", handler.recordCount());
        Log.log("shipments", handler.shipmentCount());
        Log.log("replays tried", handler.replaysTried());
        Log.log("calls while paused", handler.pausedCalls());
        Log.log("upgrades", handler.upgrades());
    }
}
