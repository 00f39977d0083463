/**
 * The load harness of `npm run test:load` (bench/lib/load.ts) over a small store of the real subgraph schema: it
 * counts requests, answers and latencies per saved query, reports saved queries that return nothing and bad
 * queries that do not fail as expected, and samples the server's memory. The full run over a season's store is
 * in test/e2e/start.test.ts.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runLoad } from "../../bench/lib/load";
import { parseLoadArgs, report } from "../../bench/load";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import type { SeasonResult } from "../../scripts/season/plan";
import { fillStore, fillerId } from "../helpers/schema-filler";

const SCHEMA = path.resolve(__dirname, "..", "..", "subgraph", "schema.graphql");

describe("bench/lib/load (the load test's harness)", function () {
  this.timeout(60_000);
  let dir: string;
  let db: string;
  /** Variables that find rows in the filler store, except an importer that owns nothing. */
  const season = {
    now: 5000,
    importer: "0x00000000000000000000000000000000000000aa",
    pipeReport: fillerId("Bytes", "MillTestReport", 3),
    shipments: [],
  } as unknown as SeasonResult;

  before(function () {
    dir = mkdtempSync(path.join(tmpdir(), "tt-load-"));
    db = path.join(dir, "store.db");
    const store = new SqliteStore(db, loadSubgraphSchema(SCHEMA));
    fillStore(store, 30, 2);
    store.close();
  });
  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs clients for the given time and reports every figure; a bad query failing otherwise is unexpected", async function () {
    const result = await runLoad({
      db,
      schema: SCHEMA,
      season,
      clients: 4,
      seconds: 3,
      badEvery: 5,
      badQueries: [
        { name: "depth", query: "{ shipments(first: 5000) { id } }", error: /`first` argument/ },
        { name: "wrong-expectation", query: "{ nope }", error: /something else/ },
      ],
    });
    expect(result.seconds).to.be.within(2.9, 4);
    expect(result.requests).to.be.above(10);
    expect(result.queries.map((q) => q.name)).to.include.members(["pipe-lineage", "party-shipments"]);
    for (const q of result.queries) {
      expect(q.requests, q.name).to.be.above(0);
      expect(q.p50).to.be.at.most(q.p95);
      expect(q.p95).to.be.at.most(q.p99);
      expect(q.p99).to.be.at.most(q.max);
    }
    // Half of the bad queries meet their expectation, half do not.
    expect(result.expectedErrors).to.be.above(0);
    expect(result.unexpectedErrors).to.be.within(result.expectedErrors - 1, result.expectedErrors + 1);
    expect(result.unexpectedSamples[0]).to.match(/^wrong-expectation: expected \/something else\//);
    // The importer owns no shipment in the filler store (whether its random rows meet the other queries' filters
    // depends on the schema's shape, so only this one is certain).
    expect(result.emptyQueries).to.include("party-shipments");
    expect(result.queries.map((q) => q.name)).to.include.members(result.emptyQueries);
    expect(result.memory.rssSamplesMB.length).to.be.at.least(2);
    expect(result.memory.rssStartMB).to.be.above(10);
    expect(result.memory.heapAfterGcMB.end).to.be.above(1);
    const text = report(result);
    expect(text).to.match(/4 clients for [\d.]+ s: \d+ requests served/);
    expect(text).to.include(`saved queries that returned nothing: ${result.emptyQueries.join(", ")}`);
  });

  it("parses its flags", function () {
    expect(parseLoadArgs([])).to.deep.include({
      seconds: 60,
      clients: 50,
      maxRssGrowthMB: 32,
      maxHeapGrowthMB: 16,
      rebuild: false,
    });
    expect(parseLoadArgs(["--seconds", "5", "--clients", "10", "--db", "x.db"])).to.deep.include({
      seconds: 5,
      clients: 10,
      db: path.resolve("x.db"),
    });
    expect(() => parseLoadArgs(["--seconds", "-1"])).to.throw(/--seconds needs a positive number/);
    expect(() => parseLoadArgs(["--bogus"])).to.throw(/unknown argument --bogus/);
  });
});
