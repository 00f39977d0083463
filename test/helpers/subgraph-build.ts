/**
 * Builds a fixture subgraph under test/fixtures/subgraphs/<name> with `graph codegen && graph build`,
 * once: the build is reused while a hash of its inputs (manifest, schema, mappings, ABIs) is unchanged.
 */
import { execFileSync } from "child_process";
import { createHash } from "crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "fs";
import { join, resolve } from "path";

export const FIXTURES = resolve(__dirname, "..", "fixtures", "subgraphs");
const GRAPH = resolve(__dirname, "..", "..", "node_modules", ".bin", "graph");

function inputFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of ["subgraph.yaml", "schema.graphql"]) out.push(join(dir, name));
  for (const sub of ["src", "abis"]) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) if (statSync(join(d, f)).isFile()) out.push(join(d, f));
  }
  return out;
}

/** Returns the fixture directory, its build/ up to date. */
export function buildSubgraph(name: string): string {
  const dir = join(FIXTURES, name);
  const hash = createHash("sha256");
  for (const f of inputFiles(dir)) hash.update(f).update(readFileSync(f));
  const digest = hash.digest("hex");
  const stamp = join(dir, "build", ".inputs-sha256");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return dir;
  const env = { ...process.env, GRAPH_SKIP_NEW_VERSION_CHECK: "true" };
  for (const cmd of ["codegen", "build"]) {
    try {
      execFileSync(GRAPH, [cmd], { cwd: dir, env, stdio: "pipe" });
    } catch (e) {
      const err = e as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`graph ${cmd} failed in ${dir}:\n${err.stdout?.toString() ?? ""}${err.stderr?.toString() ?? ""}`);
    }
  }
  writeFileSync(stamp, digest);
  return dir;
}
