/**
 * `graph codegen` + `graph build` of a rendered subgraph directory, skipped when nothing it reads has changed.
 *
 * The build takes 20 to 80 s on a 2-core machine and its inputs rarely change between two `npm start` runs: the
 * rendered manifest (template + the addresses and start blocks of the deployment), the schema, the mappings and
 * the ABIs. A SHA-256 of those files and of the graph-cli version is written to build/.inputs-sha256 after a
 * successful build; the next build with the same digest does nothing. The stamp is removed before building, so an
 * interrupted build is never taken for a finished one.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const GRAPH = path.join(ROOT, "node_modules", ".bin", "graph");
const STAMP = path.join("build", ".inputs-sha256");

/** Every file of `dir` and its subfolders, sorted, so that the digest does not depend on listing order. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** The digest of what `graph codegen` and `graph build` read in `subgraphDir`. */
export function subgraphInputsDigest(subgraphDir: string): string {
  const hash = createHash("sha256");
  const graphCli = path.join(ROOT, "node_modules", "@graphprotocol", "graph-cli", "package.json");
  hash.update(JSON.parse(fs.readFileSync(graphCli, "utf8")).version as string);
  const files = [
    path.join(subgraphDir, "subgraph.yaml"),
    path.join(subgraphDir, "schema.graphql"),
    ...filesUnder(path.join(subgraphDir, "src")),
    ...filesUnder(path.join(subgraphDir, "abis")),
  ];
  for (const file of files) hash.update(`\n${path.relative(subgraphDir, file)}\n`).update(fs.readFileSync(file));
  return hash.digest("hex");
}

/** True when build/ holds a finished build of exactly the current inputs. */
export function subgraphBuildIsCurrent(subgraphDir: string): boolean {
  const stamp = path.join(subgraphDir, STAMP);
  return fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === subgraphInputsDigest(subgraphDir);
}

/** Runs one graph-cli command in `cwd` without blocking the event loop; rejects with the tool's output. */
function graph(command: string, cwd: string, signal?: AbortSignal): Promise<void> {
  return new Promise((ok, fail) => {
    const env = { ...process.env, GRAPH_SKIP_NEW_VERSION_CHECK: "true" };
    const child = spawn(GRAPH, [command], { cwd, env, signal, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", fail);
    child.once("exit", (code) =>
      code === 0 ? ok() : fail(new Error(`graph ${command} failed (exit ${code}):\n${output}`)),
    );
  });
}

/**
 * Builds the rendered subgraph in `subgraphDir` unless build/ is current. Resolves to "skipped" or "built";
 * `step` hears which graph-cli command starts; `signal` kills a running graph-cli command.
 */
export async function buildSubgraphIfChanged(
  subgraphDir: string,
  step: (command: string) => void = () => {},
  signal?: AbortSignal,
): Promise<"skipped" | "built"> {
  const digest = subgraphInputsDigest(subgraphDir);
  const stamp = path.join(subgraphDir, STAMP);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === digest) return "skipped";
  fs.rmSync(stamp, { force: true });
  for (const command of ["codegen", "build"]) {
    step(command);
    await graph(command, subgraphDir, signal);
  }
  // An input edited during the build may or may not be in it: then leave no stamp, and the next run builds again.
  if (subgraphInputsDigest(subgraphDir) === digest) fs.writeFileSync(stamp, digest);
  return "built";
}
