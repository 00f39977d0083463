/**
 * matchstick-compatible test runner: compiles a subgraph's `tests/**\/*.test.ts` with the AssemblyScript
 * compiler matchstick would use (`<libsFolder>/assemblyscript`) and runs each file on the embedded
 * graph-node host plus matchstick's host functions. See ./README.md.
 */
import { existsSync, readFileSync } from "fs";
import { globSync } from "glob";
import { dirname, join, posix, resolve } from "path";
import { parse as parseYaml } from "yaml";
import { schemaInfo, type SchemaInfo } from "../wasm/schema-info";
import { compileTest } from "./compile";
import { requiredFields, type RequiredFields } from "./store";
import { runTestModule, type FileResult, type ModuleOptions, type TestResult } from "./runtime";
import { messageOf } from "../../lib/errors";

export type { FileResult, TestResult } from "./runtime";

export interface RunOptions {
  /** Test files, relative to the subgraph directory (default `<testsFolder>/**\/*.test.ts`, see matchstick.yaml). */
  tests?: string;
  /** An AssemblyScript package folder or its `bin/asc` (default: `<libsFolder>/assemblyscript`, see `chooseAsc`). */
  asc?: string;
  /** Called with each output line as soon as it is known. */
  onLine?: (line: string) => void;
}

export interface MatchstickReport {
  files: FileResult[];
  passed: number;
  failed: number;
  /** Files that could not be compiled, linked or started. */
  fileErrors: number;
  /** Everything printed, the summary line `N passed, N failed` included. */
  lines: string[];
}

interface ManifestYaml {
  schema?: { file?: string };
  dataSources?: { mapping?: { apiVersion?: string } }[];
  templates?: { name?: string }[];
}

/** matchstick.yaml (all optional): where the tests, the libraries and the manifest are. */
export interface MatchstickConfig {
  testsFolder: string;
  libsFolder: string;
  manifestPath: string;
}

export function readConfig(dir: string): MatchstickConfig {
  const config: MatchstickConfig = {
    testsFolder: "./tests",
    libsFolder: "./node_modules",
    manifestPath: "./subgraph.yaml",
  };
  const file = join(dir, "matchstick.yaml");
  if (!existsSync(file)) return config;
  const yaml = (parseYaml(readFileSync(file, "utf8")) as Record<string, unknown> | null) ?? {};
  for (const key of Object.keys(config) as (keyof MatchstickConfig)[]) {
    if (typeof yaml[key] === "string") config[key] = yaml[key];
  }
  return config;
}

/** What the tests need from the (source, not built) manifest: schema, templates, apiVersion. */
function subgraphOptions(dir: string, manifestPath: string): ModuleOptions {
  const manifestFile = resolve(dir, manifestPath);
  const manifest: ManifestYaml = existsSync(manifestFile)
    ? ((parseYaml(readFileSync(manifestFile, "utf8")) as ManifestYaml | null) ?? {})
    : {};
  let schema: SchemaInfo | undefined;
  let required: RequiredFields | undefined;
  const schemaFile = resolve(dirname(manifestFile), manifest.schema?.file ?? "schema.graphql");
  if (existsSync(schemaFile)) {
    const sdl = readFileSync(schemaFile, "utf8");
    schema = schemaInfo(sdl);
    required = requiredFields(sdl);
  }
  return {
    apiVersion: manifest.dataSources?.[0]?.mapping?.apiVersion ?? "0.0.9",
    schema,
    required,
    templates: new Set((manifest.templates ?? []).map((t) => t.name ?? "").filter((n) => n !== "")),
    baseDir: dir,
  };
}

function testLines(t: TestResult, indent: string): string[] {
  const mark = t.passed ? "✔" : "✘";
  const out = [`${indent}${mark} ${t.name}${t.shouldFail ? " (shouldFail)" : ""} - ${t.ms.toFixed(1)}ms`];
  for (const l of t.logs) out.push(`${indent}    ${l}`);
  if (!t.passed && t.error) for (const l of t.error.split("\n")) out.push(`${indent}    ${l}`);
  return out;
}

/** Compiles and runs the tests of the subgraph in `dir`. */
export function runMatchstick(dir: string, opts: RunOptions = {}): MatchstickReport {
  const root = resolve(dir);
  const report: MatchstickReport = { files: [], passed: 0, failed: 0, fileErrors: 0, lines: [] };
  const emit = (line: string): void => {
    report.lines.push(line);
    opts.onLine?.(line);
  };
  const config = readConfig(root);
  const pattern = opts.tests ?? posix.join(config.testsFolder, "**", "*.test.ts");
  const files = globSync(pattern, { cwd: root, nodir: true, posix: true }).sort();
  if (files.length === 0) emit(`no test files match ${pattern} in ${root}`);
  const moduleOptions = subgraphOptions(root, config.manifestPath);
  for (const file of files) {
    emit(file);
    let result: FileResult;
    try {
      result = runTestModule(
        file,
        compileTest(root, file, { libsFolder: config.libsFolder, asc: opts.asc }),
        moduleOptions,
      );
    } catch (e) {
      result = { file, tests: [], error: messageOf(e) };
    }
    report.files.push(result);
    if (result.error) {
      report.fileErrors++;
      for (const l of `could not run ${file}: ${result.error}`.split("\n")) emit(`  ${l}`);
      continue;
    }
    let path: string[] = [];
    for (const t of result.tests) {
      const common = path.findIndex((p, i) => t.path[i] !== p);
      const keep = common === -1 ? Math.min(path.length, t.path.length) : common;
      for (let i = keep; i < t.path.length; i++) emit(`${"  ".repeat(i + 1)}${t.path[i]}`);
      path = t.path;
      for (const l of testLines(t, "  ".repeat(t.path.length + 1))) emit(l);
      if (t.passed) report.passed++;
      else report.failed++;
    }
  }
  emit("");
  emit(`${report.passed} passed, ${report.failed} failed`);
  if (report.fileErrors > 0) emit(`${report.fileErrors} test file(s) could not run`);
  return report;
}
