import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import {
  DocStatus,
  Status,
  deployShipmentRegistry,
  filingHash,
  id,
  sampleFiling,
  shipmentIdOf,
  type Filing,
} from "../../helpers/shipments";
import { Prng } from "../../helpers/prng";
import { messageOf } from "../../../lib/errors";

/**
 * Random sequences of filing, amending, linking, unlinking, holds and transitions, checked step by step against
 * a TypeScript model: every call succeeds exactly when the model says so (or fails with the error the model
 * names), no mill test report ever hands out more than it certifies, and no shipment ever takes an illegal step.
 */

const SEED = Number(process.env.PROPERTY_SEED ?? 20261127);
const OPERATIONS = Number(process.env.PROPERTY_OPS ?? 1200);
const ZERO = ethers.ZeroHash;

const LEGAL_EDGES = new Set([
  `${Status.Filed}>${Status.Departed}`,
  `${Status.Departed}>${Status.Arrived}`,
  `${Status.Arrived}>${Status.Released}`,
  `${Status.Arrived}>${Status.Refused}`,
]);

interface ModelShipment {
  status: number;
  filer: string;
  lineCount: number;
  version: number;
  hashes: string[];
  holds: Set<string>;
  /** `${recordId}:${line}` -> kg */
  links: Map<string, number>;
  /** Declared kilograms per line of the current version. */
  declared: number[];
}

/** The most kilograms a line declaring `declared` may carry in links (ShipmentRegistry.LINK_TOLERANCE_BPS). */
const linkLimit = (declared: number): number => declared + Math.floor((declared * 100) / 10_000);
/** Kilograms linked to `line` of `s`. */
const linkedOn = (s: ModelShipment, line: number): number =>
  [...s.links].filter(([k]) => Number(k.split(":")[1]) === line).reduce((sum, [, kg]) => sum + kg, 0);

interface ModelRecord {
  total: number;
  consumed: number;
  usable: boolean;
}

type Expectation = { ok: true } | { ok: false; error: string; on: "registry" | "mtr" };
const OK: Expectation = { ok: true };
const fail = (error: string, on: "registry" | "mtr" = "registry"): Expectation => ({ ok: false, error, on });

describe("ShipmentRegistry: property (random sequences against a model)", function () {
  it(`runs ${OPERATIONS} random operations (seed ${SEED}) without over-allocating or an illegal state`, async function () {
    const f = await loadFixture(deployShipmentRegistry);
    const { registry, mtr, importer, broker, exporter, manufacturer, carrier, cbp, outsider } = f;
    const rng = new Prng(SEED);

    const records = new Map<string, ModelRecord>();
    for (const [i, total] of [5_000, 8_000, 12_000, 3_000, 20_000].entries()) {
      const recordId = id(`prop-mtr-${i}`);
      await mtr.setRecord(recordId, 0, DocStatus.Active, total);
      await mtr.setAllocator(recordId, importer.address, true);
      records.set(recordId, { total, consumed: 0, usable: true });
    }
    const recordIds = [...records.keys()];
    const shipments = new Map<string, ModelShipment>();
    const references = new Map<string, string>(); // shipment id -> filing reference
    const counts: Record<string, number> = {};
    let successes = 0;

    const filingWith = (lineCount: number, variant: number): Filing => {
      const base = sampleFiling(f.parties);
      const line = (base.lines as Filing["lines"])[0];
      const lines = Array.from({ length: lineCount }, (_, i) => ({ ...line, declaredKg: BigInt(1_000 + i + variant) }));
      return { ...base, lines, billOfLading: `BOL-${variant}` };
    };

    const outcomes = new Map<string, number>();
    async function check(expectation: Expectation, send: () => Promise<ContractTransactionResponse>) {
      const outcome = expectation.ok ? "ok" : expectation.error;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (expectation.ok) {
        await (await send()).wait();
        successes++;
      } else {
        const target = expectation.on === "mtr" ? mtr : registry;
        await expect(send()).to.be.revertedWithCustomError(target, expectation.error);
      }
    }

    /** Mostly a shipment for which `prefer` holds (so that runs go deep), sometimes any, rarely an unknown id. */
    function anyShipment(prefer: (s: ModelShipment) => boolean = () => true): [string, ModelShipment | undefined] {
      if (shipments.size === 0 || rng.chance(0.03)) return [id(`ghost-${rng.int(0, 9)}`), undefined];
      const preferred = [...shipments.keys()].filter((k) => prefer(shipments.get(k)!));
      const key = preferred.length > 0 && rng.chance(0.8) ? rng.pick(preferred) : rng.pick([...shipments.keys()]);
      return [key, shipments.get(key)];
    }

    const isParty = (s: ModelShipment, who: HardhatEthersSigner) =>
      [importer.address, s.filer, exporter.address, manufacturer.address].includes(who.address);
    const open = (s: ModelShipment) => s.status === Status.Filed || s.status === Status.Departed;
    const closed = (s: ModelShipment) => s.status === Status.Released || s.status === Status.Refused;

    for (let step = 0; step < OPERATIONS; step++) {
      const op = rng.weighted({
        file: 12,
        amend: 10,
        link: 30,
        unlink: 14,
        transition: 18,
        hold: 12,
        revoke: 2,
      });
      counts[op] = (counts[op] ?? 0) + 1;

      try {
        if (op === "file") {
          const reuse = shipments.size > 0 && rng.chance(0.05);
          const reference = reuse ? references.get(rng.pick([...shipments.keys()]))! : id(`prop-${step}`);
          const shipmentId = shipmentIdOf(importer.address, reference);
          const filer = rng.pick([importer, importer, broker, broker, outsider]);
          const filing = filingWith(rng.int(1, 4), step);
          let e: Expectation = OK;
          if (reuse) e = fail("ShipmentAlreadyFiled");
          else if (filer === outsider) e = fail("ActorNotActive");
          await check(e, () => registry.connect(filer).fileShipment(reference, filing));
          if (e.ok) {
            references.set(shipmentId, reference);
            shipments.set(shipmentId, {
              declared: (filing.lines as Filing["lines"]).map((l) => Number(l.declaredKg)),
              status: Status.Filed,
              filer: filer.address,
              lineCount: (filing.lines as unknown[]).length,
              version: 1,
              hashes: [filingHash(filing)],
              holds: new Set(),
              links: new Map(),
            });
          }
        } else if (op === "amend") {
          const [shipmentId, s] = anyShipment(open);
          const caller = rng.pick([importer, broker, exporter]);
          const filing = filingWith(rng.int(1, 4), step);
          const newCount = (filing.lines as unknown[]).length;
          let e: Expectation = OK;
          if (!s) e = fail("ShipmentNotFound");
          else if (!open(s)) e = fail("TradeDataFrozen");
          else if (caller.address !== s.filer && caller !== importer) e = fail("NotAmender");
          else if ([...s.links.keys()].some((k) => Number(k.split(":")[1]) >= newCount)) e = fail("LineHasLinks");
          else if ((filing.lines as Filing["lines"]).some((l, i) => linkedOn(s, i) > linkLimit(Number(l.declaredKg))))
            e = fail("LinkedKgExceedDeclared");
          await check(e, () => registry.connect(caller).amendShipment(shipmentId, filing));
          if (e.ok && s) {
            s.declared = (filing.lines as Filing["lines"]).map((l) => Number(l.declaredKg));
            s.version++;
            s.lineCount = newCount;
            s.hashes.push(filingHash(filing));
          }
        } else if (op === "link") {
          const [shipmentId, s] = anyShipment((x) => !closed(x));
          const caller = rng.pick([importer, importer, exporter, manufacturer, carrier]);
          const recordId = rng.chance(0.03) ? id("prop-unknown") : rng.pick(recordIds);
          const line = s && rng.chance(0.85) ? rng.int(0, s.lineCount - 1) : rng.int(0, 4);
          const kg = rng.chance(0.02) ? 0 : rng.int(1, 900); // lines declare about 1,000 kg (A3)
          const r = records.get(recordId);
          const key = `${recordId}:${line}`;
          let e: Expectation = OK;
          if (!s) e = fail("ShipmentNotFound");
          else if (closed(s)) e = fail("ShipmentClosed");
          else if (!isParty(s, caller)) e = fail("NotShipmentParty");
          else if (line >= s.lineCount) e = fail("LineOutOfRange");
          else if (kg === 0) e = fail("ZeroKilograms");
          else if (!r || !r.usable) e = fail("DocumentNotUsable");
          else if (s.links.has(key)) e = fail("DocumentAlreadyLinked");
          else if (linkedOn(s, line) + kg > linkLimit(s.declared[line])) e = fail("LinkedKgExceedDeclared");
          else if (r.consumed + kg > r.total) e = fail("InsufficientKilograms", "mtr");
          await check(e, () => registry.connect(caller).linkMillTestReport(shipmentId, recordId, line, kg));
          if (e.ok && s && r) {
            s.links.set(key, kg);
            r.consumed += kg;
          }
        } else if (op === "unlink") {
          const [shipmentId, s] = anyShipment((x) => open(x) && x.links.size > 0);
          const caller = rng.pick([importer, broker, exporter, manufacturer, carrier]);
          let recordId = rng.pick(recordIds);
          let line = rng.int(0, 3);
          if (s && s.links.size > 0 && rng.chance(0.8)) {
            const [r0, l0] = rng.pick([...s.links.keys()]).split(":");
            recordId = r0;
            line = Number(l0);
          }
          const key = `${recordId}:${line}`;
          let e: Expectation = OK;
          if (!s) e = fail("ShipmentNotFound");
          else if (!open(s)) e = fail("TradeDataFrozen");
          else if (!isParty(s, caller)) e = fail("NotShipmentParty");
          else if (!s.links.has(key)) e = fail("DocumentNotLinked");
          await check(e, () => registry.connect(caller).unlinkMillTestReport(shipmentId, recordId, line));
          if (e.ok && s) {
            records.get(recordId)!.consumed -= s.links.get(key)!;
            s.links.delete(key);
          }
        } else if (op === "transition") {
          const [shipmentId, s] = anyShipment((x) => !closed(x));
          const action = rng.pick(["depart", "arrive", "release", "refuse"] as const);
          const to = {
            depart: Status.Departed,
            arrive: Status.Arrived,
            release: Status.Released,
            refuse: Status.Refused,
          }[action];
          let e: Expectation = OK;
          if (!s) e = fail("ShipmentNotFound");
          else if (action === "release" && s.status === Status.Arrived && s.holds.size > 0) e = fail("ShipmentOnHold");
          else if (!LEGAL_EDGES.has(`${s.status}>${to}`)) e = fail("IllegalTransition");
          const byCarrier = action === "depart" || (action === "arrive" && rng.chance(0.5));
          await check(e, () => {
            const r = registry.connect(byCarrier ? carrier : cbp);
            if (action === "depart") return r.markDeparted(shipmentId, ZERO, ZERO);
            if (action === "arrive") return r.markArrived(shipmentId, ZERO, ZERO);
            if (action === "release") return r.release(shipmentId, ZERO, ZERO);
            return r.refuse(shipmentId, id("REFUSED"), ZERO);
          });
          if (e.ok && s) s.status = to;
        } else if (op === "hold") {
          const [shipmentId, s] = anyShipment((x) => x.status === Status.Arrived);
          const reason = rng.pick([id("HOLD_A"), id("HOLD_B")]);
          const place = rng.chance(0.55);
          let e: Expectation = OK;
          if (!s) e = fail("ShipmentNotFound");
          else if (closed(s))
            e = fail("ShipmentClosed"); // neither placed nor lifted after closure (R7)
          else if (place && s.holds.has(reason)) e = fail("HoldAlreadyActive");
          else if (!place && !s.holds.has(reason)) e = fail("HoldNotActive");
          await check(e, () =>
            place
              ? registry.connect(cbp).placeHold(shipmentId, reason, ZERO)
              : registry.connect(cbp).liftHold(shipmentId, reason, ZERO),
          );
          if (e.ok && s) {
            if (place) s.holds.add(reason);
            else s.holds.delete(reason);
          }
        } else {
          // A mill revokes a report: it can't be linked any more, but unlinking still gives kilograms back.
          const recordId = rng.pick(recordIds);
          const r = records.get(recordId)!;
          r.usable = !r.usable && rng.chance(0.5);
          await mtr.setRecord(recordId, 0, r.usable ? DocStatus.Active : DocStatus.Revoked, r.total);
        }

        // Invariants after every step: the mass balance of every report.
        if (step % 25 === 0 || op === "link" || op === "unlink") {
          for (const [recordId, r] of records) {
            const remaining = await mtr.remainingKg(recordId);
            expect(remaining).to.equal(BigInt(r.total - r.consumed));
            expect(r.consumed).to.be.at.most(r.total);
          }
        }
      } catch (error) {
        throw new Error(`step ${step} (${op}) with seed ${SEED}: ${messageOf(error)}`);
      }
    }

    // Final sweep: every shipment matches the model, every link and version hash is where the model says.
    for (const [shipmentId, s] of shipments) {
      const onChain = await registry.shipmentOf(shipmentId);
      expect(onChain.status).to.equal(s.status);
      expect(onChain.version).to.equal(BigInt(s.version));
      expect(onChain.lineCount).to.equal(BigInt(s.lineCount));
      expect(onChain.activeHolds).to.equal(BigInt(s.holds.size));
      for (let v = 0; v < s.hashes.length; v++) {
        expect(await registry.versionHashOf(shipmentId, v + 1)).to.equal(s.hashes[v]);
      }
      for (const [key, kg] of s.links) {
        const [recordId, line] = key.split(":");
        expect(await registry.linkedKg(shipmentId, recordId, Number(line))).to.equal(BigInt(kg));
        expect(await mtr.allocatedKg(recordId, await registry.consumerOf(shipmentId, Number(line)))).to.equal(
          BigInt(kg),
        );
      }
    }
    for (const [recordId, r] of records) {
      const onChain = await mtr.recordOf(recordId);
      expect(onChain.consumedKg).to.be.at.most(onChain.totalKg);
      expect(onChain.consumedKg).to.equal(BigInt(r.consumed));
    }

    // Every status change ever emitted follows a legal edge from the shipment's previous status.
    const events = await registry.queryFilter(registry.filters.ShipmentStatusChanged());
    const last = new Map<string, number>();
    for (const ev of events) {
      const from = Number(ev.args.from);
      const to = Number(ev.args.to);
      expect(LEGAL_EDGES.has(`${from}>${to}`), `illegal edge ${from}>${to}`).to.equal(true);
      expect(from).to.equal(last.get(ev.args.shipmentId) ?? Status.Filed);
      last.set(ev.args.shipmentId, to);
    }
    for (const [shipmentId, s] of shipments) expect(last.get(shipmentId) ?? Status.Filed).to.equal(s.status);

    // The run must reach the interesting outcomes, or it proves little.
    for (const outcome of [
      "ok",
      "InsufficientKilograms",
      "DocumentAlreadyLinked",
      "DocumentNotUsable",
      "LineHasLinks",
      "ShipmentOnHold",
      "IllegalTransition",
      "TradeDataFrozen",
      "ShipmentClosed",
      "NotShipmentParty",
      "NotAmender",
    ]) {
      expect(outcomes.get(outcome) ?? 0, `outcome ${outcome} never happened`).to.be.greaterThan(0);
    }
    if (process.env.PROPERTY_VERBOSE) console.log(Object.fromEntries(outcomes), counts);
    expect(successes).to.be.greaterThan(OPERATIONS / 4);
    expect(events.length).to.be.greaterThan(20);
    for (const op of ["file", "amend", "link", "unlink", "transition", "hold"])
      expect(counts[op]).to.be.greaterThan(10);
  });
});
