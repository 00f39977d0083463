/**
 * Runs one TypeScript entry of this repository in a node process of its own, as the npm scripts start one
 * (`node <flags> scripts/run.cjs <entry> <arguments>`): for a benchmark's half whose node flags or memory must
 * not be the benchmark process's (the indexer of bench:index, the store build of bench:query).
 */
import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

export interface ChildEntry {
  /** What the child is, for the error when it fails ("the build process"). */
  what: string;
  /** The entry, relative to the repository root. */
  entry: string;
  args: string[];
  nodeFlags: readonly string[];
  /** Gets the child's stderr as it comes. */
  log: (text: string) => void;
}

/** Runs the entry; resolves with what it wrote on stdout, rejects when it exits with anything but 0. */
export async function runChildEntry(c: ChildEntry): Promise<string> {
  const args = [...c.nodeFlags, path.join(ROOT, "scripts", "run.cjs"), c.entry, ...c.args];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => c.log(d.toString()));
  const code = await new Promise<number | null>((ok, fail) => {
    child.once("error", fail);
    child.once("close", ok);
  });
  if (code !== 0) throw new Error(`${c.what} exited with ${code}`);
  return stdout;
}
