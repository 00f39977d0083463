/**
 * The indexer CLI as a child process (so that it can be SIGKILLed), and reading the committed head of the store
 * file it writes: shared by the crash-restart test and the fault suite.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";

const ROOT = path.resolve(__dirname, "..", "..");
/** A progress line of the CLI: `block 120/500 (380 behind) | …` */
export const PROGRESS = /^block (\d+)\/\d+ \(\d+ behind\)/;

export interface CliRun {
  /** stderr so far, line by line. */
  lines: string[];
  kill(): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function runCli(args: string[]): CliRun {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "indexer/cli.ts", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const lines: string[] = [];
  let partial = "";
  child.stderr!.on("data", (d: Buffer) => {
    const parts = (partial + d.toString()).split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
  });
  return {
    lines,
    kill: () => child.kill("SIGKILL"),
    exited: new Promise((ok) => child.once("exit", (code, signal) => ok({ code, signal }))),
  };
}

/** The committed head of a store file another process is writing, or -1 before it has one. */
export function headOf(db: Database.Database | null): number {
  if (!db) return -1;
  try {
    const r = db.prepare(`SELECT value FROM meta WHERE key = 'head'`).get() as { value: string } | undefined;
    return r ? Number(r.value) : -1;
  } catch {
    return -1; // not initialised yet
  }
}

/** A read-only handle on a store file, once it exists. */
export function openReader(file: string): Database.Database | null {
  try {
    return new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return null;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
