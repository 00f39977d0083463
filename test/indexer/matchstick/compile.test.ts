/**
 * The matchstick runner's compiler choice (indexer/matchstick/compile.ts `chooseAsc`): matchstick runs
 * `<libsFolder>/assemblyscript`, so the runner must too, even when graph-cli carries another copy; `--asc` /
 * MATCHSTICK_ASC override it; a subgraph whose libsFolder has none falls back to the nearest 0.19.x.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { runMatchstick } from "../../../indexer/matchstick";
import { ASC_ENV, CompileError, chooseAsc } from "../../../indexer/matchstick/compile";

const ROOT = resolve(__dirname, "..", "..", "..");

/** A fake `assemblyscript` package of `version` at `dir` (package.json and bin/asc); returns its bin/asc. */
function fakeAsc(dir: string, version: string): string {
  mkdirSync(join(dir, "bin"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "assemblyscript", version }));
  writeFileSync(join(dir, "bin", "asc"), "#!/usr/bin/env node\n");
  return join(dir, "bin", "asc");
}

const nested = (nodeModules: string): string =>
  join(nodeModules, "@graphprotocol", "graph-cli", "node_modules", "assemblyscript");

describe("matchstick runner: compiler choice", function () {
  let tmp: string;
  let subgraph: string;
  let savedEnv: string | undefined;

  beforeEach(function () {
    tmp = mkdtempSync(join(tmpdir(), "matchstick-asc-"));
    subgraph = join(tmp, "subgraph");
    mkdirSync(subgraph);
    savedEnv = process.env[ASC_ENV];
    delete process.env[ASC_ENV];
  });

  afterEach(function () {
    if (savedEnv === undefined) delete process.env[ASC_ENV];
    else process.env[ASC_ENV] = savedEnv;
    rmSync(tmp, { recursive: true, force: true });
  });

  it("takes <libsFolder>/assemblyscript before graph-cli's nested copy, as matchstick does", function () {
    const libs = join(subgraph, "node_modules");
    const own = fakeAsc(join(libs, "assemblyscript"), "0.19.10");
    fakeAsc(nested(libs), "0.19.23");
    expect(chooseAsc(subgraph)).to.deep.equal({ asc: own, source: "libsFolder" });
  });

  it("takes the libsFolder's compiler whatever its version (matchstick does not check it)", function () {
    const own = fakeAsc(join(subgraph, "node_modules", "assemblyscript"), "0.27.1");
    expect(chooseAsc(subgraph)).to.deep.equal({ asc: own, source: "libsFolder" });
  });

  it("follows a libsFolder set in matchstick.yaml, relative to the subgraph", function () {
    const own = fakeAsc(join(tmp, "libs", "assemblyscript"), "0.19.10");
    fakeAsc(join(subgraph, "node_modules", "assemblyscript"), "0.19.23");
    expect(chooseAsc(subgraph, "../libs")).to.deep.equal({ asc: own, source: "libsFolder" });
  });

  it("without one in libsFolder, searches node_modules upwards: a folder's own copy before graph-cli's", function () {
    const parentLibs = join(tmp, "node_modules");
    const nestedAsc = fakeAsc(nested(parentLibs), "0.19.23");
    expect(chooseAsc(subgraph)).to.deep.equal({ asc: nestedAsc, source: "search" });
    const plain = fakeAsc(join(parentLibs, "assemblyscript"), "0.19.4");
    expect(chooseAsc(subgraph)).to.deep.equal({ asc: plain, source: "search" });
  });

  it("the search skips versions other than 0.19.x (graph-ts' compiler)", function () {
    const parentLibs = join(tmp, "node_modules");
    fakeAsc(join(parentLibs, "assemblyscript"), "0.27.1");
    const nestedAsc = fakeAsc(nested(parentLibs), "0.19.23");
    expect(chooseAsc(subgraph)).to.deep.equal({ asc: nestedAsc, source: "search" });
  });

  it("an override (package folder or bin/asc) wins over libsFolder", function () {
    fakeAsc(join(subgraph, "node_modules", "assemblyscript"), "0.19.10");
    const other = fakeAsc(join(tmp, "other"), "0.19.23");
    expect(chooseAsc(subgraph, "./node_modules", join(tmp, "other"))).to.deep.equal({ asc: other, source: "override" });
    expect(chooseAsc(subgraph, "./node_modules", other)).to.deep.equal({ asc: other, source: "override" });
    expect(chooseAsc(subgraph, "./node_modules", "../other")).to.deep.equal({ asc: other, source: "override" });
  });

  it("MATCHSTICK_ASC overrides when no override is passed; an explicit one beats it", function () {
    fakeAsc(join(subgraph, "node_modules", "assemblyscript"), "0.19.10");
    const fromEnv = fakeAsc(join(tmp, "env"), "0.19.23");
    const explicit = fakeAsc(join(tmp, "explicit"), "0.19.23");
    process.env[ASC_ENV] = join(tmp, "env");
    expect(chooseAsc(subgraph)).to.deep.equal({ asc: fromEnv, source: "override" });
    expect(chooseAsc(subgraph, "./node_modules", explicit)).to.deep.equal({ asc: explicit, source: "override" });
  });

  it("an override that holds no compiler is a clear error", function () {
    const missing = join(tmp, "nowhere");
    expect(() => chooseAsc(subgraph, "./node_modules", missing))
      .to.throw(CompileError)
      .with.property("message", `no AssemblyScript compiler at ${missing}: no such file or folder`);
    const empty = join(tmp, "empty");
    mkdirSync(empty);
    expect(() => chooseAsc(subgraph, "./node_modules", empty))
      .to.throw(CompileError)
      .with.property("message", `no AssemblyScript compiler at ${empty} (no ${join(empty, "bin", "asc")})`);
  });

  it("runMatchstick and the CLI pass --asc through (a missing compiler fails the file, exit code 1)", function () {
    this.timeout(60_000);
    mkdirSync(join(subgraph, "tests"));
    writeFileSync(join(subgraph, "tests", "a.test.ts"), "export function nothing(): void {}\n");
    const missing = join(tmp, "nowhere");
    const report = runMatchstick(subgraph, { asc: missing });
    expect(report.fileErrors).to.equal(1);
    expect(report.files[0].error).to.include(`no AssemblyScript compiler at ${missing}`);

    const cli = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          resolve(ROOT, "node_modules", "ts-node", "dist", "bin.js"),
          "--transpile-only",
          "indexer/matchstick/cli.ts",
          ...args,
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
    const run = cli(subgraph, "--asc", missing);
    expect(run.status, run.stderr).to.equal(1);
    expect(run.stdout).to.include(`no AssemblyScript compiler at ${missing}`);
    const bad = cli(subgraph, "--asc");
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.include("--asc needs a path");
  });
});
