/**
 * The indexing benchmark's code path at a small N: the store it builds must hold exactly the entities the emitted
 * events make, so that the benchmark cannot time an indexer that indexes nothing. No timing is asserted.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { INDEXER_NODE_FLAGS, runIndexBench, type IndexBenchResult } from "../../bench/lib/index-bench";
import { expectedEntities, planEvents, totalEvents } from "../../bench/lib/registry-plan";
import { encodeBigInt } from "../../indexer/store/encoding";
import { OPEN_BLOCK, SqliteStore } from "../../indexer/store/sqlite";
import { loadSubgraphSchema } from "../../indexer/schema/parse";

const EVENTS = 300;

describe("bench:index at a small N", function () {
  this.timeout(600_000);
  let dir: string;
  let storeFile: string;
  let result: IndexBenchResult;
  let store: SqliteStore;

  const count = (entity: string, where = "TRUE"): number =>
    Number(
      (
        store.db
          .prepare(
            `SELECT count(*) AS n FROM ${store.layout.table(entity).quoted} WHERE block_to = ${OPEN_BLOCK} AND ${where}`,
          )
          .get() as { n: bigint }
      ).n,
    );

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tt-bench-test-"));
    storeFile = path.join(dir, "store.db");
    result = await runIndexBench({ events: EVENTS, storeFile, getLogsRuns: 1 });
    store = new SqliteStore(
      storeFile,
      loadSubgraphSchema(path.resolve(__dirname, "..", "..", "subgraph", "schema.graphql")),
      {
        readonly: true,
      },
    );
  });

  after(function () {
    store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("emits exactly N events of every kind of the plan", function () {
    const plan = planEvents(EVENTS);
    const shipments = plan.rounds * plan.shipmentsPerRound;
    expect(totalEvents(result.emitted)).to.equal(EVENTS);
    expect(result.emitted).to.deep.equal({
      TrustedIssuerSet: 1,
      ActorOnboarded: 5,
      MillTestReportIssued: plan.rounds * plan.mtrsPerRound + plan.extraMtrs,
      CertificateOfOriginIssued: shipments,
      ShipmentFiled: shipments,
      KilogramsAllocated: shipments,
      MillTestReportLinked: shipments,
      CertificateOfOriginLinked: shipments,
      ShipmentStatusChanged: shipments,
    });
    expect(shipments).to.be.greaterThan(0);
    expect(result.params.events).to.equal(EVENTS);
  });

  it("builds a store holding exactly the entities the emitted events make", function () {
    const expected = expectedEntities(result.emitted);
    const actual: Record<string, number> = {};
    for (const name of Object.keys(expected)) actual[name] = count(name);
    expect(actual).to.deep.equal(expected);
    expect(expected.MillTestReport).to.be.greaterThan(200);
    // every entity type of the schema is accounted for
    expect([...store.layout.tables.keys()].sort()).to.deep.equal(Object.keys(expected).sort());
  });

  it("indexes the state the events lead to, not just rows", function () {
    const shipments = result.emitted.ShipmentFiled;
    expect(count("Shipment", `"status" = 'DEPARTED'`)).to.equal(shipments);
    expect(count("RiskFlag", `"rule" = 'MISSING_MTR' AND "active" = 0`)).to.equal(shipments);
    expect(count("MillTestReport", `"consumedKg" = X'${encodeBigInt(12_000n).toString("hex")}'`)).to.equal(shipments);
    expect(store.head()?.number).to.equal(result.params.head);
  });

  it("reports the figures the README quotes", function () {
    expect(result.getLogs.eventsPerSec).to.be.greaterThan(0);
    expect(result.indexing.eventsPerSec).to.be.greaterThan(0);
    expect(result.indexing.rpcCalls.eth_getLogs).to.be.at.least(1);
    expect(result.rssMB.peakDuringIndexing).to.be.at.least(result.rssMB.beforeIndexing);
    expect(result.rssMB.processMax).to.be.at.least(result.rssMB.peakDuringIndexing);
    // measured in the indexer's own process, not in the benchmark's that emitted and fetched every log
    expect(result.rssMB.process).to.match(/indexer's own process/);
  });

  it("starts the indexer with the node flags npm run indexer uses", function () {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.indexer).to.equal(`node ${INDEXER_NODE_FLAGS.join(" ")} scripts/run.cjs indexer/cli.ts`);
    expect(result.rssMB.process).to.include(`node ${INDEXER_NODE_FLAGS.join(" ")} scripts/run.cjs`);
    expect(result.machine.cores).to.be.greaterThan(0);
    expect(result.entities).to.deep.equal(expectedEntities(result.emitted));
  });
});
