import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { measureGas } from "../../bench/lib/gas";

/**
 * The gas regression gate: the gas of every registry operation, measured on the real registries
 * (`measureGas`, the benchmark's own scenario), against the figures committed in `gas-snapshots.json`. A change
 * beyond the tolerance fails and names the operation; a deliberate change is recorded by rewriting the file with
 * `npm run gas:snapshot` (GAS_SNAPSHOT=update), so that the new figures show up in review.
 */
const SNAPSHOT_FILE = path.join(__dirname, "gas-snapshots.json");
/**
 * ±1 %: the figures are deterministic except for calldata bytes (4 gas per zero byte, 16 per other) that depend on
 * random keys, signatures and block timestamps, a few hundred gas at most. Anything real the code changes moves
 * more: one storage slot written is 2,900 to 22,100 gas, at least 2 % of the cheapest operation measured here.
 */
const TOLERANCE = 0.01;
/** Items per batch: per-item figures depend on it, so it is part of the snapshot. */
const BATCH_SIZE = 5;
const UPDATE_HINT = "if the change is deliberate, record it with `npm run gas:snapshot` and commit the file";

interface Snapshot {
  batchSize: number;
  tolerance: string;
  update: string;
  gas: Record<string, number>;
}

/** The differences beyond `tolerance` between the committed figures and the measured ones, one line each. */
export function snapshotDifferences(
  committed: Record<string, number>,
  measured: Record<string, number>,
  tolerance: number,
): string[] {
  const problems: string[] = [];
  for (const [key, gas] of Object.entries(measured)) {
    const old = committed[key];
    if (old === undefined) {
      problems.push(`${key}: ${gas} gas, not in the snapshot`);
      continue;
    }
    const change = (gas - old) / old;
    if (Math.abs(change) > tolerance) {
      const direction = change > 0 ? "rose" : "fell";
      const percent = `${change > 0 ? "+" : ""}${(change * 100).toFixed(2)} %`;
      problems.push(`${key}: gas ${direction} from ${old} to ${gas} (${percent})`);
    }
  }
  for (const key of Object.keys(committed)) {
    if (!(key in measured)) problems.push(`${key}: in the snapshot, no longer measured`);
  }
  return problems;
}

describe("gas snapshots: registry operations against test/contracts/gas-snapshots.json @no-coverage", function () {
  let measured: Record<string, number>;

  before(async function () {
    // Coverage instruments the contracts, which costs gas: only the uninstrumented run judges it.
    if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
    const report = await measureGas({ batchSize: BATCH_SIZE });
    measured = Object.fromEntries(
      report.rows.filter((row) => row.system === "TradeTrace").map((row) => [row.key, row.gas]),
    );
    if (process.env.GAS_SNAPSHOT === "update") {
      const snapshot: Snapshot = {
        batchSize: BATCH_SIZE,
        tolerance: `±${TOLERANCE * 100} % (test/contracts/gas-snapshots.test.ts)`,
        update: "npm run gas:snapshot",
        gas: measured,
      };
      fs.writeFileSync(SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, 2)}\n`);
    }
  });

  it("covers the main operations of every registry", function () {
    for (const key of [
      "onboard.subject",
      "onboard.relayed",
      "mtr.issue",
      "mtr.issueBySig",
      "mtr.anchorSigned",
      "mtr.issueBatch.perItem",
      "mtr.issueBatchBySig.perItem",
      "mtr.derive",
      "mtr.supersede",
      "mtr.revoke",
      "mtr.approveAllocator",
      "coo.issue",
      "shipment.file",
      "shipment.fileBySig",
      "shipment.amend",
      "shipment.linkMtr",
      "shipment.unlinkMtr",
      "shipment.linkCoo",
      "shipment.released",
    ]) {
      expect(measured, key).to.have.property(key);
    }
  });

  it("keeps every operation within the tolerance of its committed figure", function () {
    const snapshot = JSON.parse(fs.readFileSync(SNAPSHOT_FILE, "utf8")) as Snapshot;
    expect(snapshot.batchSize, "the snapshot's batch size").to.equal(BATCH_SIZE);
    const problems = snapshotDifferences(snapshot.gas, measured, TOLERANCE);
    expect(problems, `beyond ±${TOLERANCE * 100} %:\n  ${problems.join("\n  ")}\n${UPDATE_HINT}`).to.deep.equal([]);
  });

  describe("snapshotDifferences", function () {
    it("passes figures within the tolerance and names each one beyond it, with old and new gas", function () {
      const committed = { a: 100_000, b: 100_000, c: 100_000, gone: 1 };
      const problems = snapshotDifferences(committed, { a: 100_900, b: 101_200, c: 98_000, fresh: 5 }, TOLERANCE);
      expect(problems).to.deep.equal([
        "b: gas rose from 100000 to 101200 (+1.20 %)",
        "c: gas fell from 100000 to 98000 (-2.00 %)",
        "fresh: 5 gas, not in the snapshot",
        "gone: in the snapshot, no longer measured",
      ]);
    });
  });
});
