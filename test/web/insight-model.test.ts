/**
 * The insight pages' data shaping without a browser: the lineage graph from an answer, the utilisation series,
 * saved-query forms (variables from the files of subgraph/queries/, typed values checked per type) and answers
 * as table rows.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { lineGraph, reportGraph } from "../../web/src/analyst/insight/lineage-graph";
import type { LineLineage, LineageReport } from "../../web/src/analyst/insight/lineage-queries";
import { utilisationSeries } from "../../web/src/analyst/insight/chart-series";
import { answerTables, describeQuery, parseVariables, savedQueries } from "../../web/src/analyst/insight/saved-queries";
import { laneHref, lineageHref } from "../../web/src/lib/links";

const QUERIES = path.join(__dirname, "..", "..", "subgraph", "queries");

function report(id: string, over: Partial<LineageReport> = {}): LineageReport {
  return {
    id,
    certificateNumber: `MTR-${id}`,
    heatNumber: `H-${id}`,
    derived: false,
    productStandard: "API 5L",
    grade: "X52",
    totalKg: "100000",
    remainingKg: "0",
    status: "ACTIVE",
    countryOfMeltAndPour: "KR",
    meltAndPourCountries: ["KR"],
    issuer: { id: "0xmill", did: "did:web:mill.example" },
    heat: null,
    inputs: [],
    ...over,
  };
}

describe("insight pages: data shaping", function () {
  describe("lineage graph", function () {
    const slab = report("slab", { heat: { id: "0xheat", heatNumber: "H1", countryOfMeltAndPour: "KR" } });
    const coil = report("coil", { derived: true, totalKg: "80000", inputs: [{ kg: "80000", input: slab }] });
    const pipe = report("pipe", { derived: true, totalKg: "78000", inputs: [{ kg: "78000", input: coil }] });
    const line = (origin: string, allocations: { kg: string; millTestReport: LineageReport }[]) =>
      ({
        id: "0xline",
        lineIndex: 0,
        hts: "7304191020",
        declaredKg: "30000",
        allocatedKg: "30000",
        originCountry: origin,
        current: true,
        shipment: { id: "0xs", billOfLading: "BOL-1" },
        allocations,
      }) satisfies NonNullable<LineLineage["shipmentLine"]>;

    it("runs heat → slab → coil → pipe → line with the kilograms taken at each step", function () {
      const g = lineGraph(line("KR", [{ kg: "30000", millTestReport: pipe }]));
      expect(g.nodes.map((n) => `${n.kind}:${n.title}`)).to.have.members([
        "report:MTR-pipe",
        "report:MTR-coil",
        "report:MTR-slab",
        "heat:heat H1",
        "line:BOL-1 line 1",
      ]);
      const edge = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to)?.kg;
      expect(edge("heat:0xheat", "report:slab")).to.equal(100000n);
      expect(edge("report:slab", "report:coil")).to.equal(80000n);
      expect(edge("report:coil", "report:pipe")).to.equal(78000n);
      expect(edge("report:pipe", "line:0xline")).to.equal(30000n);
      const lineNode = g.nodes.find((n) => n.kind === "line")!;
      expect(lineNode.kg).to.equal(30000n);
      expect(lineNode.meltCountries).to.deep.equal(["KR"]);
      expect(lineNode.warning).to.equal(undefined);
    });

    it("warns when the declared origin is not a melt country, or nothing is allocated", function () {
      expect(
        lineGraph(line("VN", [{ kg: "30000", millTestReport: pipe }])).nodes.find((n) => n.kind === "line")!.warning,
      ).to.equal("declared origin VN is not a country of melt and pour (KR)");
      expect(lineGraph(line("KR", [])).nodes[0].warning).to.equal("no mill test report allocated");
    });

    it("draws a report reached twice once", function () {
      const two = report("two", {
        derived: true,
        inputs: [
          { kg: "1", input: slab },
          { kg: "2", input: slab },
        ],
      });
      const g = reportGraph(two);
      expect(g.nodes.filter((n) => n.id === "report:slab")).to.have.length(1);
      expect(g.edges.filter((e) => e.from === "report:slab").map((e) => e.kg)).to.deep.equal([1n, 2n]);
    });

    it("links lines, reports and numbers", function () {
      expect(lineageHref({ lineId: "0xAB" })).to.equal("#/lineage/line/0xab");
      expect(lineageHref({ reportId: "0xCD" })).to.equal("#/lineage/report/0xcd");
      expect(lineageHref({ number: "MTR 1/2" })).to.equal("#/lineage/number/MTR%201%2F2");
      expect(laneHref("0xab>0xcd>CN")).to.equal("#/lane/0xab%3E0xcd%3ECN");
    });
  });

  describe("chart series", function () {
    it("puts each report's utilisation in its tenth", function () {
      const r = (issuedAt: number, bps: number) => ({
        id: String(issuedAt),
        certificateNumber: "",
        issuedAt: String(issuedAt),
        utilizationBps: bps,
        totalKg: "1",
        consumedKg: "0",
        status: "ACTIVE",
      });
      const s = utilisationSeries({ millTestReports: [r(3, 10000), r(1, 0), r(2, 9500), r(4, 999)] });
      expect(s.issuedAt).to.deep.equal([1, 2, 3, 4]);
      expect(s.percent).to.deep.equal([0, 95, 100, 9.99]);
      expect(s.deciles).to.deep.equal([2, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    });
  });

  describe("saved queries", function () {
    const files = Object.fromEntries(
      readdirSync(QUERIES)
        .filter((f) => f.endsWith(".graphql"))
        .map((f) => [`../queries/${f}`, readFileSync(path.join(QUERIES, f), "utf8")]),
    );

    it("describes every file of subgraph/queries/ with its variables", function () {
      const all = savedQueries(files);
      expect(all.map((q) => q.name)).to.deep.equal(
        Object.keys(files)
          .map((f) => f.slice(11, -8))
          .sort(),
      );
      const arrivals = all.find((q) => q.name === "high-risk-arrivals")!;
      expect(arrivals.operation).to.equal("HighRiskArrivals");
      expect(arrivals.variables).to.deep.equal([
        { name: "now", type: "BigInt!", base: "BigInt", required: true, list: false },
      ]);
      expect(arrivals.description).to.match(/^High-risk shipments arriving in the next 72 hours/);
      expect(all.find((q) => q.name === "party-shipments")!.variables[0].base).to.equal("Bytes");
    });

    it("refuses a file without an operation", function () {
      expect(() => describeQuery("bad", "fragment F on Shipment { id }")).to.throw("bad.graphql holds no operation");
    });

    it("checks typed values against their GraphQL types and says which is wrong", function () {
      const q = describeQuery(
        "t",
        "query T($now: BigInt!, $party: Bytes!, $n: Int, $ok: Boolean, $ids: [ID!], $s: String) { _meta { deployment } }",
      );
      expect(parseVariables(q.variables, { now: "12", party: "0xAB", n: "3", ok: "true", ids: "a, b" })).to.deep.equal({
        values: { now: "12", party: "0xab", n: 3, ok: true, ids: ["a", "b"] },
        errors: {},
      });
      expect(
        parseVariables(q.variables, { now: "1.5", party: "0xABC", n: "9999999999", ok: "yes" }).errors,
      ).to.deep.equal({
        now: '"1.5" is not a whole number',
        party: '"0xABC" is not hex bytes starting with 0x (e.g. an address)',
        n: '"9999999999" is not a 32-bit whole number',
        ok: '"yes" is not true or false',
      });
      expect(parseVariables(q.variables, {}).errors).to.deep.equal({
        now: "now is required",
        party: "party is required",
      });
    });

    it("turns an answer into one table per root field with nested values flattened", function () {
      const tables = answerTables({
        shipments: [
          { id: "0x1", importer: { id: "0xa" }, activeRules: ["A", "B"], flags: [{ rule: "A", severity: 40 }] },
          { id: "0x2", importer: null, activeRules: [], flags: [] },
        ],
        millTestReport: null,
      });
      expect(tables[0].columns).to.deep.equal(["id", "importer.id", "activeRules", "flags"]);
      expect(tables[0].rows[0]).to.deep.equal({
        id: "0x1",
        "importer.id": "0xa",
        activeRules: "A; B",
        flags: "rule=A severity=40",
      });
      expect(tables[0].rows[1]).to.deep.equal({ id: "0x2", importer: null, activeRules: "", flags: "" });
      expect(tables[1]).to.deep.equal({ field: "millTestReport", columns: [], rows: [] });
    });
  });
});
