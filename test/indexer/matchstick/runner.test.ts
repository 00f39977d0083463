import { expect } from "chai";
import { spawnSync } from "child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { readConfig, runMatchstick, type MatchstickReport, type TestResult } from "../../../indexer/matchstick";
import { buildSubgraph } from "../../helpers/subgraph-build";

const ROOT = resolve(__dirname, "..", "..", "..");
const SUMMARY = /^\d+ passed, \d+ failed$/;

function byName(report: MatchstickReport, file: string): Map<string, TestResult> {
  const f = report.files.find((x) => x.file === file);
  expect(f, file).to.not.equal(undefined);
  expect(f!.error).to.equal(null);
  return new Map(f!.tests.map((t) => [t.name, t]));
}

describe("matchstick runner", function () {
  let dir: string;
  let report: MatchstickReport;

  before(function () {
    dir = buildSubgraph("matchstick-demo");
    report = runMatchstick(dir);
  });

  it("runs every test file under tests/ in order", function () {
    expect(report.files.map((f) => f.file)).to.deep.equal([
      "tests/failing.test.ts",
      "tests/features.test.ts",
      "tests/pinger.test.ts",
    ]);
    expect(report.fileErrors).to.equal(0);
  });

  it("passes the passing tests, with their describe path, hooks, mocks and assertions", function () {
    const tests = byName(report, "tests/pinger.test.ts");
    expect([...tests.keys()]).to.deep.equal([
      "stores the pinger with the mocked contract total",
      "counts a second ping of the same sender",
      "a reverted call leaves total null",
      "hooks ran in order",
      "a handler that throws makes the test fail as expected",
      "network and context are mocked",
      "a top-level test outside describe",
    ]);
    for (const t of tests.values()) expect(t.passed, `${t.name}: ${t.error}`).to.equal(true);
    expect(tests.get("counts a second ping of the same sender")!.path).to.deep.equal(["handlePinged"]);
    expect(tests.get("network and context are mocked")!.path).to.deep.equal(["dataSourceMock"]);
    expect(tests.get("a top-level test outside describe")!.path).to.deep.equal([]);
    expect(tests.get("a handler that throws makes the test fail as expected")!.shouldFail).to.equal(true);
  });

  it("runs nested describes with hooks in order, templates, mocked files and the in-block store", function () {
    const tests = byName(report, "tests/features.test.ts");
    expect([...tests.values()].map((t) => [t.path.join("/"), t.name, t.passed])).to.deep.equal([
      ["outer/inner", "outer beforeEach runs before inner beforeEach", true],
      ["outer/inner", "inner afterEach ran before outer afterEach", true],
      ["templates", "the seventh ping creates a Watched data source", true],
      ["files", "ipfs.cat answers a mocked file, readFile reads one", true],
      ["store", "save replaces the stored entity", true],
      ["store", "removing a missing entity fails", true],
      ["in-block store", "mockInBlockStore is seen by loadInBlock only, until clearInBlockStore", true],
    ]);
  });

  it("captures logStore output with the test", function () {
    const logs = byName(report, "tests/pinger.test.ts").get("stores the pinger with the mocked contract total")!.logs;
    const dump = JSON.parse(logs.join("\n")) as Record<string, Record<string, Record<string, unknown>>>;
    expect(dump.Pinger["0x00000000000000000000000000000000000a11ce"]).to.include({ total: "77", pings: "1" });
  });

  it("reports each failing test as failed, with the reason", function () {
    const tests = byName(report, "tests/failing.test.ts");
    const failed = [...tests.values()].filter((t) => !t.passed).map((t) => t.name);
    expect(failed).to.deep.equal([
      "fieldEquals on a missing entity fails",
      "fieldEquals with a wrong value fails",
      "saving an entity without a required field fails",
      "a contract call without a mock fails",
      "stringEquals with a custom message fails",
      "a mock whose arguments disagree with its signature fails",
      "shouldFail that does not fail is a failure",
    ]);
    expect(tests.get("passes between failures")!.passed).to.equal(true);
    expect(tests.get("fieldEquals with a wrong value fails")!.error).to.include("expected '2' but it is '1'");
    expect(tests.get("saving an entity without a required field fails")!.error).to.include(
      "Missing value for non-nullable field 'lastN' for an entity of type 'Pinger'.",
    );
    expect(tests.get("a contract call without a mock fails")!.error).to.include("Could not find a mocked function");
    expect(tests.get("stringEquals with a custom message fails")!.error).to.include("custom failure message");
    expect(tests.get("a mock whose arguments disagree with its signature fails")!.error).to.include(
      "total expected 1 arguments, but received 0",
    );
    expect(tests.get("shouldFail that does not fail is a failure")!.error).to.include("expected to fail");
  });

  it("counts the results and prints the summary alone on its line", function () {
    expect(report.passed).to.equal(15);
    expect(report.failed).to.equal(7);
    const summaries = report.lines.filter((l) => SUMMARY.test(l));
    expect(summaries).to.deep.equal(["15 passed, 7 failed"]);
    expect(report.lines).to.include("    ✔ hooks ran in order - " + lineMs(report, "hooks ran in order"));
  });

  it("fails a module that imports an unknown matchstick function at load, naming it", function () {
    const r = runMatchstick(dir, { tests: "tests-unknown/*.test.ts" });
    expect(r.fileErrors).to.equal(1);
    expect(r.files[0].tests).to.deep.equal([]);
    expect(r.files[0].error).to.match(/unknown import: `[^`]*::mockBalance` has not been defined/);
    expect(r.lines).to.include("0 passed, 0 failed");
  });

  it("reads testsFolder, libsFolder and manifestPath from matchstick.yaml", function () {
    const copy = mkdtempSync(join(tmpdir(), "matchstick-config-"));
    try {
      cpSync(dir, copy, { recursive: true, filter: (src) => !src.includes(`${dir}/build`) });
      expect(readConfig(copy)).to.deep.equal({
        testsFolder: "./tests",
        libsFolder: "./node_modules",
        manifestPath: "./subgraph.yaml",
      });
      writeFileSync(join(copy, "matchstick.yaml"), "testsFolder: ./tests-unknown\nmanifestPath: ./subgraph.yaml\n");
      expect(readConfig(copy).testsFolder).to.equal("./tests-unknown");
      const r = runMatchstick(copy);
      expect(r.files.map((f) => f.file)).to.deep.equal(["tests-unknown/unknown-import.test.ts"]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("the CLI exits 0 when every test passes and 1 when one fails", function () {
    const cli = (tests: string) =>
      spawnSync(
        process.execPath,
        [
          resolve(ROOT, "node_modules", "ts-node", "dist", "bin.js"),
          "--transpile-only",
          "indexer/matchstick/cli.ts",
          dir,
          "--tests",
          tests,
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
    const ok = cli("tests/pinger.test.ts");
    expect(ok.status, ok.stderr).to.equal(0);
    expect(ok.stdout.split("\n")).to.include("7 passed, 0 failed");
    const bad = cli("tests/failing.test.ts");
    expect(bad.status, bad.stderr).to.equal(1);
    expect(bad.stdout.split("\n")).to.include("1 passed, 7 failed");
  });
});

function lineMs(report: MatchstickReport, name: string): string {
  const t = report.files.flatMap((f) => f.tests).find((x) => x.name === name)!;
  return `${t.ms.toFixed(1)}ms`;
}
