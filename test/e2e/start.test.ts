/**
 * `npm start` end to end: the main job runs in-process with `--once` (its own child `hardhat node`, season,
 * subgraph build and indexing into a temporary SQLite file), and the assertions read its verdict, its report and
 * `npm run query` against the store it leaves (directly, and through a GraphQL server over it).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { ethers } from "ethers";
import hre from "hardhat";
import { AccessPolicy } from "../../indexer/graphql/access/policy";
import { QueryEngine } from "../../indexer/graphql/engine";
import { findToken, issueLocalToken } from "../../scripts/lib/analyst-token";
import { GraphQLServer } from "../../indexer/graphql/server";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import { parseStartArgs, start, type StartOutcome } from "../../scripts/start";
import { runLoad } from "../../bench/lib/load";
import { recordIdOf } from "../../scripts/lib/record-id";
import { judge, type RunQuery } from "../../scripts/season/report";
import type { SeasonResult } from "../../scripts/season/plan";

const ROOT = path.resolve(__dirname, "..", "..");

async function npmQuery(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "query", "--", ...args], { cwd: ROOT });
  return stdout;
}

describe("npm start -- --once", function () {
  this.timeout(400_000);
  let dir: string;
  let outcome: StartOutcome;
  let printed = "";
  const progress: string[] = [];

  before(async function () {
    // The job runs its own node with uninstrumented contracts: nothing to measure under `npm run coverage`.
    if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-start-"));
    outcome = await start(
      { ...parseStartArgs(["--once", "--db", path.join(dir, "devnet.db")]), deploymentsDir: dir },
      { stdout: (text) => (printed += text), stderr: (line) => progress.push(line) },
    );
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("flags each planted fraud with exactly its rules and no clean shipment, and exits 0", function () {
    const active = Object.fromEntries(outcome.verdict!.planted.map((p) => [p.key, [...p.active].sort()]));
    expect(active).to.deep.equal({
      "FRAUD-melt": ["MELT_POUR_MISMATCH"],
      "FRAUD-nomtr": ["MISSING_MTR"],
      "FRAUD-reuse": ["MISSING_MTR"],
      "FRAUD-revoked": ["DOCUMENT_REVOKED"],
      "FRAUD-late": ["LATE_FILING"],
      "FRAUD-route": ["NEW_LANE", "ROUTE_CHANGE", "TRANSSHIPMENT", "WATCHLIST"],
      "FRAUD-party": ["UNVERIFIED_PARTY"],
      "H08-MXT": ["HEAT_DISPERSION"],
      "H10-BST": ["NEW_LANE"],
      "H13-BST": ["VOLUME_SURGE"],
      "H13-HST": ["ROUTE_CHANGE"],
    });
    const season = outcome.season!;
    expect(season.shipments.length).to.be.at.least(24);
    // 18 clean shipments in the season's week, 56 in the fourteen weeks of history before it.
    expect(season.shipments.filter((s) => !s.planted)).to.have.length(18 + 56);
    expect(outcome.verdict!.cleanFlagged).to.deep.equal([]);
    expect(outcome.verdict!.flagged.map((f) => f.key)).to.have.members(Object.keys(active));
    expect(outcome.code).to.equal(0);
    expect(printed).to.include("planted frauds flagged: 11/11; clean shipments flagged: 0; look-alikes flagged: 0/5");
  });

  it("keeps each look-alike of the history rules quiet, and explains each history flag with its statistic", function () {
    const quiet = outcome.verdict!.lookAlikes.map((l) => [l.key, l.resembles, l.quiet]);
    expect(quiet).to.have.deep.members([
      ["H03-MAR", "HEAT_DISPERSION", true],
      ["H06-MAR", "HEAT_DISPERSION", true],
      ["H13-IZM", "VOLUME_SURGE", true],
      ["H13-HPH", "ROUTE_CHANGE", true],
      ["H13-CHE", "NEW_LANE", true],
    ]);
    expect(printed).to.match(/H13-IZM\s+VOLUME_SURGE\s+.*seasonal rise to 64 t.*\s+yes\n/);
    const explanation = (key: string, rule: string): string =>
      outcome.verdict!.flagged.find((f) => f.key === key)!.flags.find((f) => f.rule === rule)!.explanation;
    expect(explanation("H13-BST", "VOLUME_SURGE")).to.match(
      /declared 96000 kg in week \d+ .* average 20000\.0 kg a week with σ 2000\.0 kg: above the threshold mean \+ 3σ = 26000\.0 kg/,
    );
    expect(explanation("H08-MXT", "HEAT_DISPERSION")).to.match(
      /reached 4 distinct importers .*the mill's 5 other linked heats average 1\.0 importers with σ 0\.0, threshold mean \+ 3σ = 1\.0/,
    );
    expect(explanation("H10-BST", "NEW_LANE")).to.match(
      /new for an exporter with 10 earlier shipments \(threshold 4\)/,
    );
    expect(explanation("H13-HST", "ROUTE_CHANGE")).to.match(
      /shipped its 5 earlier shipments direct .* routes through NL/,
    );
  });

  it("reports the reused certificate as rejected on chain with the custom error and its arguments", function () {
    // The record id binds the report's content hash to its issuer, the German mill (A5).
    const mill = outcome.season!.actors.find((a) => a.name === "Salzgitter Flachstahl")!;
    const reportId = recordIdOf(mill.address, ethers.sha256(ethers.toUtf8Bytes("mtr:DE-9")));
    expect(outcome.verdict!.rejections).to.deep.equal([
      {
        shipment: "FRAUD-reuse",
        action: "linkMillTestReport(MTR-2026-DE-9, line 0, 20000 kg)",
        error: "InsufficientKilograms",
        args: [reportId, "20000", "2000"],
      },
    ]);
    expect(printed).to.include(`InsufficientKilograms(${reportId}, 20000, 2000)`);
  });

  it("prints every saved query as a table, and shows progress of each long step on stderr", function () {
    for (const name of fs.readdirSync(path.join(ROOT, "subgraph", "queries"))) {
      expect(printed).to.include(`== ${name.replace(/\.graphql$/, "")}`);
    }
    // The watch rules (35 + 30) and, since the history rules, a new lane (10) and a route change (20).
    expect(printed).to.match(/FRAUD-route\s+\S+\s+DEPARTED\s.*95\s+NEW_LANE ROUTE_CHANGE WATCHLIST TRANSSHIPMENT/);
    expect(printed).to.match(/FRAUD-melt\s+0\s+TR\s+IN\s+40/);
    const joined = progress.join("\n");
    for (const step of [
      "compiling",
      "starting a hardhat node",
      "history week 14/14: 60 shipments filed",
      "filed 25/25 shipments",
      "graph build",
      "indexed block",
    ]) {
      expect(joined).to.include(step);
    }
  });

  it("npm run query prints a saved query from the store file, as a table or as JSON, and from an endpoint", async function () {
    const db = path.join(dir, "devnet.db");
    const table = await npmQuery(["mtrs-near-limit", "--db", db]);
    expect(table).to.match(/MTR-2026-DE-9\s+DE4409\s+no\s+40000\s+38000\s+2000\s+95\.0 %/);
    const json = JSON.parse(await npmQuery(["mtrs-near-limit", "--db", db, "--json"])) as {
      millTestReports: { certificateNumber: string; utilizationBps: number }[];
    };
    expect(json.millTestReports.map((r) => [r.certificateNumber, r.utilizationBps])).to.deep.equal([
      ["MTR-2026-DE-9", 9500],
    ]);
    const store = new SqliteStore(db, loadSubgraphSchema(path.join(ROOT, "subgraph", "schema.graphql")));
    const access = new AccessPolicy({ apiKeysFile: issueLocalToken(dir).keysFile });
    const token = findToken(undefined, dir)!;
    const server = new GraphQLServer({ subgraphs: { tradetrace: new QueryEngine(store) }, port: 0, access });
    try {
      const { url } = await server.start();
      const season = outcome.season!;
      const out = await npmQuery([
        "pipe-lineage",
        "--endpoint",
        `${url}/subgraphs/name/tradetrace`,
        "--token",
        token,
        "--var",
        `id=${season.pipeReport}`,
      ]);
      expect(out).to.match(/product\s+MTR-2026-KR-PIPE-1\s+KR4406\s+yes\s+KR/);
      expect(out).to.match(/← input\s+MTR-2026-KR-6\s+KR4406\s+no\s+80000/);
    } finally {
      await server.stop();
      store.close();
    }
  });

  it("serves 10 concurrent clients for 5 s over the season's store, every answer as expected (test:load, short)", async function () {
    const result = await runLoad({
      db: path.join(dir, "devnet.db"),
      schema: path.join(ROOT, "subgraph", "schema.graphql"),
      season: outcome.season!,
      clients: 10,
      seconds: 5,
    });
    expect(result.unexpectedSamples).to.deep.equal([]);
    expect(result.unexpectedErrors).to.equal(0);
    expect(result.emptyQueries).to.deep.equal([]);
    for (const q of result.queries) expect(q.requests, q.name).to.be.above(0);
    expect(result.expectedErrors).to.be.above(0);
    expect(result.memory.rssSamplesMB.length).to.be.at.least(4);
    expect(result.memory.rssMaxMB).to.be.above(0);
  });
});

describe("the targeting verdict", function () {
  const season = {
    shipments: [
      { key: "C", id: "0xc", planted: null },
      { key: "F", id: "0xf", planted: { fraud: "late", expectedRules: ["LATE_FILING"] } },
    ],
    rejections: [],
  } as unknown as SeasonResult;
  const answer =
    (rows: { id: string; activeRules: string[] }[]): RunQuery =>
    async () => ({ shipments: rows.map((r) => ({ ...r, billOfLading: "B", riskScore: "10", flags: [] })) });

  it("fails when a planted fraud lacks its rule, or a clean shipment is flagged", async function () {
    expect((await judge(answer([{ id: "0xf", activeRules: ["LATE_FILING"] }]), season)).ok).to.equal(true);
    const missed = await judge(answer([{ id: "0xf", activeRules: ["NEW_PARTY"] }]), season);
    expect(missed.ok).to.equal(false);
    expect(missed.planted[0].flagged).to.equal(false);
    const noisy = await judge(
      answer([
        { id: "0xf", activeRules: ["LATE_FILING"] },
        { id: "0xc", activeRules: ["NEW_PARTY"] },
      ]),
      season,
    );
    expect(noisy.ok).to.equal(false);
    expect(noisy.cleanFlagged.map((c) => c.key)).to.deep.equal(["C"]);
  });

  it("counts a look-alike as clean: quiet when unflagged, and a flag on it fails the verdict", async function () {
    const withLookAlike = {
      ...season,
      shipments: [...season.shipments, { key: "L", id: "0x1", description: "d", planted: null, lookAlike: "NEW_LANE" }],
    } as unknown as SeasonResult;
    const quiet = await judge(answer([{ id: "0xf", activeRules: ["LATE_FILING"] }]), withLookAlike);
    expect(quiet.ok).to.equal(true);
    expect(quiet.lookAlikes).to.deep.equal([
      { key: "L", resembles: "NEW_LANE", description: "d", active: [], quiet: true },
    ]);
    const loud = await judge(
      answer([
        { id: "0xf", activeRules: ["LATE_FILING"] },
        { id: "0x1", activeRules: ["NEW_LANE"] },
      ]),
      withLookAlike,
    );
    expect(loud.ok).to.equal(false);
    expect(loud.lookAlikes[0].quiet).to.equal(false);
    expect(loud.cleanFlagged.map((c) => c.key)).to.deep.equal(["L"]);
  });

  it("rejects unknown arguments", function () {
    expect(() => parseStartArgs(["--bogus"])).to.throw(/unknown argument --bogus/);
    expect(parseStartArgs(["--port", "9000", "--once"])).to.deep.include({ port: 9000, once: true });
  });
});
