import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../../indexer/graphql/serve";
import type { GraphQLServer } from "../../indexer/graphql/server";
import { SqliteStore } from "../../indexer/store/sqlite";
import {
  SCHEMA_PATH,
  countRows,
  endpointAuth,
  post,
  queryCases,
  timeCase,
  type QueryCase,
} from "../../bench/lib/query-cases";
import { findToken, issueLocalToken } from "../../scripts/lib/analyst-token";
import type { QueryWorkerPool } from "../../indexer/graphql/pool";
import { buildSeason, type Rec, type SeasonResult } from "../../bench/lib/query-data";
import { RISK_RULES, severityOf } from "../../scripts/lib/risk-rules";

/**
 * The query benchmark's path at a small scale: the generated season is written through the block writer,
 * served by the real GraphQL server, and every saved query returns exactly what the generator's own record
 * says it should (filters, order and limits applied to the records in plain code). No timing assertions.
 */
describe("bench/query-latency: season builder and saved queries", function () {
  this.timeout(300_000);
  const SHIPMENTS = 500;
  let dir: string;
  let season: SeasonResult;
  let server: GraphQLServer;
  let store: SqliteStore;
  let pool: QueryWorkerPool;
  let url: string;
  let cases: QueryCase[];

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "tt-query-bench-test-"));
    const db = join(dir, "store.sqlite");
    const writer = SqliteStore.open(db, SCHEMA_PATH);
    season = buildSeason(writer, { shipments: SHIPMENTS, keepEvents: true });
    writer.close();
    const { keysFile } = issueLocalToken(dir);
    endpointAuth.token = findToken(undefined, dir);
    ({ server, pool, url } = await serve({
      ...{ db, schema: SCHEMA_PATH, name: "tradetrace", port: 0, workers: 1, deadlineMs: 10_000 },
      access: { apiKeysFile: keysFile },
    }));
    store = SqliteStore.open(db, SCHEMA_PATH, { readonly: true });
    cases = queryCases(season);
  });

  after(async function () {
    await server?.stop();
    await pool?.close();
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const all = (type: string): Rec[] => [...season.world[type].values()];
  const big = (v: unknown): bigint => BigInt(v as bigint);
  const byDesc =
    (key: (r: Rec) => number | bigint) =>
    (a: Rec, b: Rec): number => {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? 1 : -1;
      return a.id! < b.id! ? 1 : -1;
    };
  const byAsc =
    (key: (r: Rec) => number | bigint) =>
    (a: Rec, b: Rec): number =>
      -byDesc(key)(a, b);
  const ask = async (name: string): Promise<Record<string, unknown>> => {
    const c = cases.find((x) => x.name === name);
    if (!c) throw new Error(`no case ${name}`);
    return post(url, c);
  };
  type Row = Record<string, unknown>;

  // The history rules' running statistics and the tonnage timeseries (#21) are not generated: the model has no
  // weeks of per-exporter history (see the rule test below). Named here so that a new type still has to be written.
  const HISTORY_TYPES = [
    ...["ShippedTonnage", "CertifiedTonnage", "HistoryFinding", "ExporterHistory", "ExporterLane"],
    ...["HeatDispersion", "HeatImporter", "MillDispersion"],
  ];

  it("writes a whole season: every entity type, several versions per shipment", function () {
    for (const type of Object.keys(season.world).filter((t) => !HISTORY_TYPES.includes(t))) {
      expect(season.versions[type] ?? 0, type).to.be.greaterThan(0);
    }
    for (const type of HISTORY_TYPES) expect(season.world, type).to.have.property(type);
    expect(season.world.Shipment.size).to.equal(SHIPMENTS);
    expect(season.versions.Shipment).to.be.greaterThan(3 * SHIPMENTS);
    const statuses = new Set(all("Shipment").map((s) => s.status));
    for (const s of ["FILED", "DEPARTED", "RELEASED"]) expect(statuses, s).to.include(s);
    const cleared = all("RiskFlag").filter((f) => f.active === false);
    expect(cleared.length, "cleared flags are kept").to.be.greaterThan(0);
    expect(store.head()!.number).to.equal(season.head);
    const count = store.db.prepare(`SELECT count(*) AS n FROM "e_Shipment" WHERE block_to = 2147483647`).get() as {
      n: bigint;
    };
    expect(Number(count.n)).to.equal(SHIPMENTS);
  });

  it("raises flags of the rule table only, with its severities, riskScore their active sum", function () {
    const flags = all("RiskFlag");
    expect(flags.filter((f) => f.severity !== severityOf(f.rule as string))).to.deep.equal([]);
    // Every rule of the table is ported to bench/lib/season/rules.ts and raised, or named here with the reason.
    const notModelled = [
      "SIGNED_FIELD_MISMATCH", // the model anchors only credentials that match
      // The history rules need weeks of filings per exporter and their running statistics; the generator's
      // shipments don't build that history (no saved query reads these flags apart from the rule filter).
      ...["VOLUME_SURGE", "NEW_LANE", "HEAT_DISPERSION", "ROUTE_CHANGE"],
    ];
    const modelled = Object.keys(RISK_RULES).filter((r) => !notModelled.includes(r));
    expect([...new Set(flags.map((f) => f.rule as string))].sort()).to.deep.equal(modelled.sort());
    const activeSum = (s: Rec): number | string => {
      const active = (s.activeFlags as string[]).map((id) => season.world.RiskFlag.get(id)!);
      return active.every((f) => f.active === true) ? active.reduce((t, f) => t + (f.severity as number), 0) : "?";
    };
    expect(all("Shipment").filter((s) => s.riskScore !== activeSum(s))).to.deep.equal([]);
  });

  it("high-risk-arrivals returns the generator's high-risk shipments in the window, with their active flags", async function () {
    const now = BigInt(season.now);
    const expected = all("Shipment")
      .filter(
        (s) =>
          (s.riskScore as number) >= 50 &&
          ["FILED", "DEPARTED"].includes(s.status as string) &&
          big(s.estimatedArrival) >= now &&
          big(s.targetingWindowOpensAt) <= now,
      )
      .sort(byDesc((s) => s.riskScore as number))
      .slice(0, 100);
    expect(expected.length).to.be.greaterThan(0);
    const got = (await ask("high-risk-arrivals")).shipments as Row[];
    expect(got.map((s) => s.id)).to.deep.equal(expected.map((s) => s.id));
    for (const [i, s] of expected.entries()) {
      expect(got[i].riskScore).to.equal(s.riskScore);
      expect(got[i].activeRules).to.deep.equal(s.activeRules);
      expect((got[i].importer as Row).id).to.equal(s.importer);
      const flags = all("RiskFlag")
        .filter((f) => f.shipment === s.id && f.active === true)
        .sort(byDesc((f) => f.severity as number));
      expect((got[i].flags as Row[]).map((f) => f.rule)).to.deep.equal(flags.map((f) => f.rule));
    }
  });

  it("melt-pour-mismatches returns the active MELT_POUR_MISMATCH flags, newest first", async function () {
    const expected = all("RiskFlag")
      .filter((f) => f.rule === "MELT_POUR_MISMATCH" && f.active === true)
      .sort(byDesc((f) => big(f.raisedAtBlock)))
      .slice(0, 100);
    expect(expected.length).to.be.greaterThan(0);
    const got = (await ask("melt-pour-mismatches")).riskFlags as Row[];
    expect(got.map((f) => f.id)).to.deep.equal(expected.map((f) => f.id));
    for (const [i, f] of expected.entries()) {
      const shipment = season.world.Shipment.get(f.shipment as string)!;
      expect((got[i].shipment as Row).id).to.equal(shipment.id);
      expect((got[i].shipment as Row).meltCountries).to.deep.equal(shipment.meltCountries);
    }
  });

  it("mtrs-near-limit returns the active reports at ≥ 90 % with their active allocations", async function () {
    const expected = all("MillTestReport")
      .filter((r) => (r.utilizationBps as number) >= 9000 && r.status === "ACTIVE")
      .sort(byDesc((r) => r.utilizationBps as number))
      .slice(0, 100);
    expect(expected.length).to.be.greaterThan(0);
    const got = (await ask("mtrs-near-limit")).millTestReports as Row[];
    expect(got.map((r) => r.id)).to.deep.equal(expected.map((r) => r.id));
    for (const [i, r] of expected.entries()) {
      expect(got[i].remainingKg).to.equal(String(r.remainingKg));
      const allocations = all("Allocation")
        .filter((a) => a.millTestReport === r.id && a.active === true)
        .sort(byAsc(() => 0));
      expect((got[i].allocations as Row[]).map((a) => (a.shipment as Row).id)).to.deep.equal(
        allocations.map((a) => a.shipment),
      );
    }
  });

  for (const variant of ["broad", "selective"]) {
    it(`party-shipments (${variant}) returns every shipment naming the party, oldest first`, async function () {
      const c = cases.find((x) => x.name === `party-shipments (${variant})`)!;
      const party = c.variables.party as string;
      const expected = all("Shipment")
        .filter((s) => (s.parties as string[]).includes(party))
        .sort(byAsc((s) => big(s.filedAt)))
        .slice(0, 1000);
      expect(expected.length).to.be.greaterThan(0);
      const got = (await post(url, c)).shipments as Row[];
      expect(got.map((s) => s.id)).to.deep.equal(expected.map((s) => s.id));
      expect(got.map((s) => s.status)).to.deep.equal(expected.map((s) => s.status));
    });
  }

  it("pipe-lineage walks the pipe's inputs three levels down to the heats", async function () {
    const c = cases.find((x) => x.name === "pipe-lineage")!;
    const edges = all("LineageEdge");
    const tree = (id: string, depth: number): unknown[] =>
      edges
        .filter((e) => e.product === id)
        .sort(byAsc(() => 0))
        .map((e) => ({ id: e.input, kg: String(e.kg), inputs: depth > 1 ? tree(e.input as string, depth - 1) : [] }));
    const shape = (inputs: Row[], depth: number): unknown[] =>
      inputs.map((x) => {
        const input = x.input as Row;
        return {
          id: input.id,
          kg: x.kg,
          inputs: depth > 1 ? shape((input.inputs as Row[]) ?? [], depth - 1) : [],
        };
      });
    const report = (await post(url, c)).millTestReport as Row;
    const pipe = season.world.MillTestReport.get(c.variables.id as string)!;
    expect(report.id).to.equal(pipe.id);
    expect((report.originHeats as Row[]).map((h) => h.id)).to.have.members(pipe.originHeats as string[]);
    const expected = tree(pipe.id as string, 3);
    expect(expected.length).to.be.greaterThan(0);
    expect(shape(report.inputs as Row[], 3)).to.deep.equal(expected);
  });

  it("revoked-after-link returns the allocations and certificate links invalidated while linked", async function () {
    const order = (type: string) =>
      all(type)
        .filter((x) => x.invalidatedWhileLinked === true)
        .sort(byAsc((x) => big(x.invalidatedWhileLinkedAt)))
        .slice(0, 1000);
    const allocations = order("Allocation");
    const links = order("CertificateLink");
    expect(allocations.length + links.length).to.be.greaterThan(0);
    const got = await ask("revoked-after-link");
    expect((got.allocations as Row[]).map((a) => a.id)).to.deep.equal(allocations.map((a) => a.id));
    expect((got.certificateLinks as Row[]).map((l) => l.id)).to.deep.equal(links.map((l) => l.id));
    for (const [i, a] of allocations.entries()) {
      expect((got.allocations as Row[])[i].active).to.equal(a.active);
      expect(((got.allocations as Row[])[i].millTestReport as Row).status).to.equal(
        season.world.MillTestReport.get(a.millTestReport as string)!.status,
      );
    }
  });

  it("times every case over HTTP and counts its rows", async function () {
    for (const c of cases) {
      const t = await timeCase(url, c, 3, 1);
      expect(t.rows, c.name).to.equal(countRows(c, await post(url, c)).rows);
      expect(t.p95, c.name).to.be.at.least(t.p50);
      expect(t.max, c.name).to.be.at.least(t.p95);
      expect(t.clientParseP50, c.name).to.be.a("number").and.at.least(0);
    }
  });

  it("still checks each timed answer, parsed after the clock stops", async function () {
    // a server whose first answer is good and whose next one is an error: only the timed loop sees the error
    let answered = 0;
    const server = createServer((_req, res) => {
      res.setHeader("Content-Type", "application/json");
      res.end(answered++ === 0 ? `{"data":{"rows":[{"id":"1"}]}}` : `{"errors":[{"message":"boom"}]}`);
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const { port } = server.address() as AddressInfo;
    try {
      let error: unknown;
      await timeCase(`http://127.0.0.1:${port}/`, { ...cases[0], name: "flaky" }, 2, 1).catch((e) => (error = e));
      expect(String(error)).to.match(/flaky: HTTP 200: .*boom/);
      expect(answered).to.equal(2);
    } finally {
      server.close();
    }
  });
});
