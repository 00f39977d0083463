/**
 * The history rules end to end: the real registries on a `hardhat node` see twelve weeks of filings and the
 * planted cases of test/subgraph/history-scenario.ts; the subgraph is built and indexed by the embedded runtime,
 * and the flags are read back through the QueryEngine: each rule fires on its case only, with its statistic in
 * the explanation. The tonnage aggregations of the same chain are checked against buckets computed by hand.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ChainIndexer } from "../../indexer/runner/chain-indexer";
import { httpRpc } from "../../indexer/chain/rpc";
import { QueryEngine } from "../../indexer/graphql/engine";
import { loadManifest } from "../../indexer/manifest";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import { buildSubgraph, renderManifest } from "../../scripts/subgraph/render-manifest";
import { freePort, startHardhatNode, type HardhatNode } from "../helpers/hardhat-node";
import { runScenarioScript } from "../helpers/scenario-script";
import type { HistoryScenarioResult } from "./history-scenario";

const ROOT = path.resolve(__dirname, "..", "..");
const SUBGRAPH = path.join(ROOT, "subgraph");
const WEEK = 604_800;
const DAY = 86_400;
const HOUR = 3_600;
/** A Timestamp as the GraphQL API returns it: microseconds since the epoch, as a string. */
const us = (seconds: number): string => (BigInt(seconds) * 1_000_000n).toString();
const start = (seconds: number, interval: number): number => Math.floor(seconds / interval) * interval;
const HISTORY_RULES = ["VOLUME_SURGE", "NEW_LANE", "HEAT_DISPERSION", "ROUTE_CHANGE"];

interface FlagRow {
  rule: string;
  cause: string;
  severity: number;
  active: boolean;
  explanation: string;
  lineIndex: number | null;
  party: string | null;
  shipment: { id: string };
}

describe("subgraph history rules on the real registries, indexed by the embedded runtime @no-coverage", function () {
  this.timeout(600_000);
  let node: HardhatNode | undefined;
  let dir: string;
  let s: HistoryScenarioResult;
  let store: SqliteStore | undefined;
  let engine: QueryEngine;
  let flags: FlagRow[];

  const address = (name: string): string => s.addresses[name].toLowerCase();
  const shipmentName = (id: string): string => Object.keys(s.shipments).find((k) => s.shipments[k] === id) ?? id;
  const flagOf = (rule: string): FlagRow => {
    const found = flags.filter((f) => f.rule === rule);
    expect(found, rule).to.have.length(1);
    return found[0];
  };

  async function query(text: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>> {
    const result = await engine.execute({ query: text, variables });
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    return result.data as Record<string, unknown>;
  }

  before(async function () {
    node = await startHardhatNode(await freePort());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-history-"));
    s = await runScenarioScript<HistoryScenarioResult>("test/subgraph/history-scenario.ts", node.url, dir);
    renderManifest({ network: "localhost", deploymentsDir: dir });
    buildSubgraph();
    const manifest = loadManifest(SUBGRAPH);
    store = new SqliteStore(":memory:", loadSubgraphSchema(manifest.schemaFile));
    const progress = await new ChainIndexer({ manifest, store, rpc: httpRpc(node.url) }).syncOnce();
    expect(progress.head).to.be.at.least(s.steps.close);
    engine = new QueryEngine(store);
    const data = await query(
      `query ($rules: [RiskRule!]!) {
        riskFlags(where: { rule_in: $rules }, orderBy: raisedAtBlock, first: 100) {
          rule cause severity active explanation lineIndex party shipment { id }
        }
      }`,
      { rules: HISTORY_RULES },
    );
    flags = data.riskFlags as FlagRow[];
  });

  after(async function () {
    store?.close();
    await node?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("flags exactly the four planted cases, nothing on the look-alikes", function () {
    const raised = flags.map((f) => [shipmentName(f.shipment.id), f.rule, f.active]);
    expect(raised).to.have.deep.members([
      ["surge", "VOLUME_SURGE", true],
      ["rerouted", "ROUTE_CHANGE", true],
      ["newLane", "NEW_LANE", true],
      ["heat4", "HEAT_DISPERSION", true],
    ]);
  });

  it("VOLUME_SURGE states the week's kilograms against the 12 weeks before", function () {
    const flag = flagOf("VOLUME_SURGE");
    const week = Math.floor(s.stepTimes["surge:file"] / WEEK);
    expect(Math.floor(s.stepTimes["steady0:file"] / WEEK)).to.equal(week - 12);
    expect(flag.cause).to.equal(`week:${week}`);
    expect(flag.severity).to.equal(20);
    expect(flag.party).to.equal(address("steady"));
    expect(flag.explanation).to.equal(
      `exporter ${address("steady")} declared 30000 kg in week ${week} (this shipment's 30000 kg included); ` +
        `weeks ${week - 12}-${week - 1} average 10000.0 kg a week with σ 0.0 kg: above the threshold ` +
        "mean + 3σ = 10000.0 kg and at least 2 × mean = 20000.0 kg",
    );
  });

  it("ROUTE_CHANGE and NEW_LANE name the exporter's history and their threshold", function () {
    const route = flagOf("ROUTE_CHANGE");
    expect([route.cause, route.severity, route.party]).to.deep.equal(["route", 20, address("router")]);
    expect(route.explanation).to.equal(
      `exporter ${address("router")} shipped its 12 earlier shipments direct (threshold 4); ` +
        "this one, exported from KR, routes through SG",
    );
    const lane = flagOf("NEW_LANE");
    const key = `${address("router")}>${address("importer2")}>KR`;
    expect([lane.cause, lane.severity, lane.lineIndex]).to.deep.equal([`lane:${key}`, 10, 0]);
    expect(lane.explanation).to.equal(
      `line 0 opens lane ${key} (importer ${address("importer2")}, origin KR): new for an exporter with ` +
        "13 earlier shipments (threshold 4) on 1 other lanes",
    );
  });

  it("HEAT_DISPERSION fires on the link of the fourth importer of heat H-1", async function () {
    const flag = flagOf("HEAT_DISPERSION");
    const heatId = address("mill") + Buffer.from("H-1").toString("hex");
    expect([flag.cause, flag.severity, flag.lineIndex]).to.deep.equal([`heat:${heatId}`, 20, 0]);
    expect(flag.explanation).to.equal(
      `heat H-1 of mill ${address("mill")} reached 4 distinct importers with importer ${address("importer4")} ` +
        "(threshold 4); the mill has 0 other linked heats, fewer than the 5 its own baseline needs",
    );
    const data = await query(`{ heatDispersions(orderBy: importers) { heat { heatNumber } importers } }`);
    expect(data.heatDispersions).to.deep.equal([
      { heat: { heatNumber: "H-2" }, importers: 3 },
      { heat: { heatNumber: "H-1" }, importers: 4 },
    ]);
  });

  describe("tonnage aggregations", function () {
    it("gives the steady exporter one daily bucket per filing: 12 of 10,000 kg, then the surge day's 30,000 kg", async function () {
      const data = await query(
        `query ($exporter: String!) {
          exporterTonnages(interval: "day", where: { exporter: $exporter }, orderBy: timestamp, orderDirection: asc) {
            timestamp exporter { id } kg lines maxLineKg
          }
        }`,
        { exporter: address("steady") },
      );
      const filings = [...Array.from({ length: 12 }, (_, w) => `steady${w}:file`), "surge:file"];
      expect(data.exporterTonnages).to.deep.equal(
        filings.map((step) => {
          const kg = step === "surge:file" ? "30000" : "10000";
          const timestamp = us(start(s.stepTimes[step], DAY));
          return { timestamp, exporter: { id: address("steady") }, kg, lines: "1", maxLineKg: kg };
        }),
      );
    });

    it("sums week 0's lines per melt country and the surge hour's lines per port", async function () {
      const day0 = start(s.stepTimes["steady0:file"], DAY);
      const melt = await query(
        `query ($from: Timestamp!) {
          meltCountryTonnages(interval: "day", where: { meltCountry: "KR", timestamp_gte: $from }, first: 1,
            orderBy: timestamp, orderDirection: asc) { timestamp kg lines maxLineKg }
        }`,
        { from: us(day0) },
      );
      expect(melt.meltCountryTonnages).to.deep.equal([
        { timestamp: us(day0), kg: "20000", lines: "3", maxLineKg: "10000" },
      ]);
      // week 12's hour: surge 30,000 + rerouted 2,000 + newLane 2,000 + plainDirect 5,000 + five 2,000 kg heat filings
      const hour = start(s.stepTimes["surge:file"], HOUR);
      expect(start(s.stepTimes["heat3b:file"], HOUR)).to.equal(hour);
      const port = await query(
        `query ($at: Timestamp!) {
          portTonnages(interval: "hour", where: { port: "USHOU", timestamp: $at }) { timestamp kg lines maxLineKg }
        }`,
        { at: us(hour) },
      );
      expect(port.portTonnages).to.deep.equal([{ timestamp: us(hour), kg: "49000", lines: "9", maxLineKg: "30000" }]);
    });

    it("sums certified tonnage per mill and melt country", async function () {
      const day = us(start(s.stepTimes["issue:H-1"], DAY));
      const data = await query(
        `query ($mill: String!) {
          millTonnages(interval: "day", where: { mill: $mill }) { timestamp kg lines maxLineKg }
          certifiedMeltCountryTonnages(interval: "day", where: { meltCountry: "KR" }) { timestamp kg lines }
        }`,
        { mill: address("mill") },
      );
      expect(data.millTonnages).to.deep.equal([{ timestamp: day, kg: "200000", lines: "2", maxLineKg: "100000" }]);
      expect(data.certifiedMeltCountryTonnages).to.deep.equal([{ timestamp: day, kg: "200000", lines: "2" }]);
    });
  });
});
