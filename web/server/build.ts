/**
 * Builds the web app (`vite build` into dist/web) when the bundle is missing or older than any of its sources,
 * so that `npm start` serves the app a fresh clone or a pull needs without a separate step.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { WEB_DIST } from "./static";

const ROOT = path.resolve(__dirname, "..", "..");

/** What the bundle is made from: the app and the shared modules it imports. */
export const WEB_SOURCES = [
  "web/src",
  "web/index.html",
  "web/vite.config.mts",
  "web/build",
  // The browser-safe shared modules the pages import, and the registries' ABIs (web/src/lib/abis.ts).
  "scripts/lib/vocabulary.ts",
  "scripts/lib/revert-reasons.ts",
  "scripts/lib/shipment-eip712.ts",
  "scripts/lib/record-id.ts",
  "artifacts/contracts",
  "scripts/credentials",
  "interop/proofs",
  "interop/contexts",
  "subgraph/queries",
].map((p) => path.join(ROOT, p));

/** The newest modification time (ms) under `p`, 0 when it does not exist. */
function newest(p: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) latest = Math.max(latest, newest(path.join(p, entry)));
  return latest;
}

/** Why the bundle in `dist` must be (re)built, or null when it is current. */
export function staleReason(dist = WEB_DIST, sources = WEB_SOURCES): string | null {
  const index = path.join(dist, "index.html");
  if (!fs.existsSync(index)) return `${path.relative(ROOT, dist)} is missing`;
  const built = fs.statSync(index).mtimeMs;
  const changed = sources.find((s) => newest(s) > built);
  return changed ? `${path.relative(ROOT, changed)} changed since the last build` : null;
}

/** Runs `vite build` (offline: everything comes from node_modules); rejects with its output on failure. */
export function buildWeb(signal?: AbortSignal): Promise<void> {
  const vite = path.join(path.dirname(require.resolve("vite/package.json")), "bin", "vite.js");
  return new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      [vite, "build", "--config", path.join(ROOT, "web", "vite.config.mts"), "--logLevel", "warn"],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], signal, env: { ...process.env, NODE_ENV: "production" } },
    );
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", fail);
    child.once("exit", (code) =>
      code === 0 ? ok() : fail(new Error(`vite build exited with ${code}:\n${output.trim()}`)),
    );
  });
}

/** Builds when stale; says what it did. */
export async function buildWebIfStale(log: (line: string) => void, signal?: AbortSignal): Promise<boolean> {
  const reason = staleReason();
  if (!reason) {
    log(`  ${path.relative(process.cwd(), WEB_DIST) || WEB_DIST} is current: not rebuilt`);
    return false;
  }
  log(`  building the web app: ${reason}`);
  await buildWeb(signal);
  return true;
}
