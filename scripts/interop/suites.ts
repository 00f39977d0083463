/**
 * `npm run test:interop`: the W3C CCG Traceability Interoperability suites (Postman collections) against a fresh
 * node. It starts the node on 127.0.0.1 over HTTPS with a fresh data directory, registers a test client, and runs
 * with newman's Node API every collection in the shared fixtures' `trace-interop` folder (when it exists) and in
 * every folder named by TRACE_INTEROP_SUITES (colon-separated), with the suites' variables set for the node. It
 * prints `N passed, N failed` over all assertions (a request that fails counts as a failed assertion) and exits
 * non-zero on any failure.
 *
 * Every request stays on 127.0.0.1. The conformance suite's "Clear Cache" items send `HEAD www.example.com` (a
 * placeholder: their work is in the pre-request script); newman's HTTP stack honours HTTP_PROXY with NO_PROXY, so
 * for the run those variables point non-loopback hosts at a local stub that answers 200 and forwards nothing.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { PASSWORD_ENV } from "../../interop/server/keys";
import { createInteropNode, type InteropNode } from "../../interop/server/node";
import { addClient, SCOPES } from "../../interop/server/oauth";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * The suites of the shared fixtures (tests only): under TRADETRACE_SHARED_FIXTURES, else beside the repository, else
 * beside the folder of worktrees — where test/helpers/credentials.ts looks too.
 */
export function sharedSuitesDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const roots = [path.resolve(ROOT, "..", "shared", "fixtures"), path.resolve(ROOT, "..", "..", "shared", "fixtures")];
  if (env.TRADETRACE_SHARED_FIXTURES) roots.unshift(env.TRADETRACE_SHARED_FIXTURES);
  return roots.map((root) => path.join(root, "trace-interop")).find((dir) => existsSync(dir));
}

/** Postman collections under `dir`: JSON files whose `info.schema` names the collection format. */
export function findCollections(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) found.push(...findCollections(file));
    else if (name.endsWith(".json")) {
      try {
        const schema = (JSON.parse(readFileSync(file, "utf8")) as { info?: { schema?: unknown } }).info?.schema;
        if (typeof schema === "string" && /collection/i.test(schema)) found.push(file);
      } catch {
        // not JSON: not a collection
      }
    }
  }
  return found;
}

export interface SuiteFailure {
  collection: string;
  item: string;
  assertion: string;
  message: string;
}

export interface SuiteResult {
  collections: string[];
  passed: number;
  failed: number;
  requests: number;
  failures: SuiteFailure[];
}

interface NewmanFailure {
  error: { name?: string; message: string; test?: string };
  source?: { name?: string };
}
interface NewmanSummary {
  run: {
    stats: { assertions: { total: number; failed: number }; requests: { total: number } };
    failures: NewmanFailure[];
  };
}
type NewmanRun = (options: object, callback: (error: Error | null, summary: NewmanSummary) => void) => void;

/** The variables every suite reads, unprefixed and with the multi-party prefixes. */
export function suiteVariables(
  node: InteropNode,
  client: { clientId: string; clientSecret: string },
): Record<string, string> {
  const base: Record<string, string> = {
    API_BASE_URL: node.url,
    ORGANIZATION_DID_WEB: node.did,
    CLIENT_ID: client.clientId,
    CLIENT_SECRET: client.clientSecret,
    TOKEN_AUDIENCE: node.audience,
    TOKEN_ENDPOINT: node.tokenEndpoint,
  };
  const all = { ...base };
  for (const prefix of ["ISSUER_", "HOLDER_", "VERIFIER_"]) {
    for (const [key, value] of Object.entries(base)) all[`${prefix}${key}`] = value;
  }
  return all;
}

/** A stand-in for every non-loopback host: answers 200 with an empty body, forwards nothing. */
function startStubProxy(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { "content-length": 0 });
    res.end();
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"];

async function withStubProxy<T>(work: () => Promise<T>): Promise<T> {
  const proxy = await startStubProxy();
  const saved = PROXY_VARIABLES.map((name) => [name, process.env[name]] as const);
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    HTTP_PROXY: url,
    http_proxy: url,
    NO_PROXY: "localhost,127.0.0.1",
    no_proxy: "localhost,127.0.0.1",
  });
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await new Promise((resolve) => proxy.close(resolve));
  }
}

function runCollection(file: string, variables: Record<string, string>): Promise<NewmanSummary> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- newman ships no types; loaded only here
  const newman = require("newman") as { run: NewmanRun };
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection: JSON.parse(readFileSync(file, "utf8")) as object,
        environment: { values: Object.entries(variables).map(([key, value]) => ({ key, value, enabled: true })) },
        insecure: true,
        reporters: [],
        timeoutRequest: 30_000,
      },
      (error, summary) => (error ? reject(error) : resolve(summary)),
    );
  });
}

/** Runs every collection of `folders` against a fresh node and counts the assertions. */
export async function runSuites(
  folders: string[],
  log: (line: string) => void = () => undefined,
): Promise<SuiteResult> {
  const collections = folders.flatMap((dir) => findCollections(dir));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "interop-node-"));
  const node = await createInteropNode({
    dataDir,
    port: 0,
    env: { [PASSWORD_ENV]: randomBytes(18).toString("base64url") },
    log,
  });
  const result: SuiteResult = { collections, passed: 0, failed: 0, requests: 0, failures: [] };
  try {
    const client = addClient(node.clientsFile, "trace-interop suites", SCOPES);
    const variables = suiteVariables(node, client);
    await withStubProxy(async () => {
      for (const file of collections) {
        const { run } = await runCollection(file, variables);
        const name = path.relative(path.dirname(path.dirname(file)), file);
        const requestFailures = run.failures.filter(
          (f) => f.error.name !== "AssertionError" && f.error.test === undefined,
        );
        result.passed += run.stats.assertions.total - run.stats.assertions.failed;
        result.failed += run.stats.assertions.failed + requestFailures.length;
        result.requests += run.stats.requests.total;
        for (const f of run.failures) {
          result.failures.push({
            collection: name,
            item: f.source?.name ?? "?",
            assertion: f.error.test ?? f.error.name ?? "error",
            message: f.error.message,
          });
        }
        log(
          `${name}: ${run.stats.assertions.total - run.stats.assertions.failed}/${run.stats.assertions.total} assertions, ${run.stats.requests.total} requests`,
        );
      }
    });
  } finally {
    await node.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

/** The folders to run: the shared suites (when present) and TRACE_INTEROP_SUITES. */
export function suiteFolders(env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (env.TRACE_INTEROP_SUITES ?? "").split(":").filter((dir) => dir !== "");
  const shared = sharedSuitesDir(env);
  return [...(shared === undefined ? [] : [shared]), ...extra.map((dir) => path.resolve(dir))];
}

if (require.main === module) {
  void runSuites(suiteFolders(), (line) => process.stdout.write(`${line}\n`)).then(
    (result) => {
      for (const f of result.failures)
        process.stdout.write(`FAIL ${f.collection} › ${f.item} › ${f.assertion}: ${f.message}\n`);
      if (result.collections.length === 0) process.stdout.write("no collections found\n");
      process.stdout.write(`${result.passed} passed, ${result.failed} failed\n`);
      process.exitCode = result.failed === 0 && result.collections.length > 0 ? 0 : 1;
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
