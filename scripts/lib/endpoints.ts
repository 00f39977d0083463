/**
 * `.tradetrace/endpoints.json`: where the running `npm start` serves, so that `npm run query` (and any other tool)
 * finds it without being told the port. `npm start` writes it once it serves and removes it when it stops; a file
 * left by a killed run names a dead process id and is ignored.
 */
import fs from "node:fs";
import path from "node:path";

export const STATE_DIR = path.resolve(__dirname, "..", "..", ".tradetrace");
export const ENDPOINTS_FILE = path.join(STATE_DIR, "endpoints.json");

export interface Endpoints {
  /** The devnet's JSON-RPC URL. */
  rpc: string;
  /** The subgraph's GraphQL URL (GraphiQL in a browser). */
  graphql: string;
  /** The trace-interop node (W3C Traceability Interoperability API), when it runs. */
  interop?: { url: string; did: string; tokenEndpoint: string };
  /** When the serving process started, ISO 8601. */
  startedAt: string;
  /** The serving process: the endpoints are live while it is. */
  pid: number;
}

export function writeEndpoints(endpoints: Endpoints, file = ENDPOINTS_FILE): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(endpoints, null, 2)}\n`);
}

/** Removes the file if it still describes process `pid` (a newer run may have replaced it). */
export function removeEndpoints(pid: number, file = ENDPOINTS_FILE): void {
  try {
    if ((JSON.parse(fs.readFileSync(file, "utf8")) as Endpoints).pid === pid) fs.rmSync(file, { force: true });
  } catch {
    // already gone or unreadable: nothing of ours to remove
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The endpoints of a running `npm start`, or why there are none (a sentence for the user). */
export function liveEndpoints(file = ENDPOINTS_FILE): Endpoints | { missing: string } {
  let endpoints: Endpoints;
  try {
    endpoints = JSON.parse(fs.readFileSync(file, "utf8")) as Endpoints;
  } catch {
    return { missing: `no ${path.relative(process.cwd(), file) || file}: \`npm start\` is not serving` };
  }
  if (typeof endpoints.graphql !== "string" || !Number.isInteger(endpoints.pid)) {
    return { missing: `${file} is not an endpoints file` };
  }
  if (!isAlive(endpoints.pid)) {
    return { missing: `the \`npm start\` of ${endpoints.startedAt} (pid ${endpoints.pid}) is no longer running` };
  }
  return endpoints;
}
