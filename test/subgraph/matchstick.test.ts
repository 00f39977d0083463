/**
 * TradeTrace's own mapping unit tests (subgraph/tests, matchstick-as) run through the repository's
 * matchstick-compatible runner, so `npm test` fails when a mapping or risk rule test fails.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import { runMatchstick, type MatchstickReport } from "../../indexer/matchstick";
import { renderManifest } from "../../scripts/subgraph/render-manifest";

const ROOT = path.resolve(__dirname, "..", "..");
const SUBGRAPH = path.join(ROOT, "subgraph");
const SUMMARY = /^\d+ passed, \d+ failed$/;
const GRAPH = path.join(ROOT, "node_modules", ".bin", "graph");

/** The test files and how many tests each holds; a test added or lost must be noticed here. */
const EXPECTED: Record<string, number> = {
  "tests/actorRegistry.test.ts": 4,
  "tests/history/heatDispersion.test.ts": 4,
  "tests/history/newLane.test.ts": 5,
  "tests/history/routeChange.test.ts": 4,
  "tests/history/volumeSurge.test.ts": 7,
  "tests/millTestReportRegistry.test.ts": 4,
  "tests/risk.test.ts": 5,
  "tests/shipmentRegistry.test.ts": 4,
  "tests/signedAnchoring.test.ts": 8,
  "tests/tonnage.test.ts": 2,
};

describe("subgraph mapping unit tests (matchstick-as)", function () {
  let report: MatchstickReport;

  before(function () {
    this.timeout(300_000);
    // The tests import generated/: render the default manifest (deployments/test.json) and generate the types.
    renderManifest({ network: "test" });
    const env = { ...process.env, GRAPH_SKIP_NEW_VERSION_CHECK: "true" };
    execFileSync(GRAPH, ["codegen"], { cwd: SUBGRAPH, env, stdio: "pipe" });
    report = runMatchstick(SUBGRAPH);
    const summary = report.lines.filter((line) => SUMMARY.test(line));
    console.log(`      matchstick: ${summary.join("; ") || "(no summary line)"}`);
  });

  it("compiles and runs every test file", function () {
    expect(report.fileErrors).to.equal(0);
    expect(report.files.map((f) => [f.file, f.error])).to.deep.equal(Object.keys(EXPECTED).map((file) => [file, null]));
  });

  it("runs the expected number of tests and every one passes", function () {
    for (const f of report.files) {
      expect(f.tests.length, f.file).to.equal(EXPECTED[f.file]);
      for (const t of f.tests) expect(t.passed, `${f.file}: ${t.name}: ${t.error}`).to.equal(true);
    }
    const total = Object.values(EXPECTED).reduce((a, b) => a + b, 0);
    expect([report.passed, report.failed]).to.deep.equal([total, 0]);
    expect(report.lines).to.include(`${total} passed, 0 failed`);
  });
});
