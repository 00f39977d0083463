/**
 * `npm start`: the whole of TradeTrace on one machine.
 *
 *   npm start [-- --rpc URL] [--port 8000] [--db .tradetrace/devnet.db] [--once] [--open]
 *
 * Starts a Hardhat devnet on a free loopback port (or uses `--rpc`, which must be a Hardhat node: the season
 * moves its clock), compiles if needed, deploys the registries (deployments/localhost.json), plays an import
 * season (scripts/season/play.ts), renders and builds the subgraph for that deployment, indexes it with the
 * embedded runtime into a fresh SQLite file, prints the targeting report on stdout, then serves GraphQL with
 * GraphiQL at http://127.0.0.1:PORT/subgraphs/name/tradetrace, still indexing new blocks, until Ctrl-C.
 * `--once` exits after the report: 0 when every planted fraud is flagged and no clean shipment is, 1 otherwise.
 * Progress goes to stderr. The server asks for a bearer token: a fresh local API key, whose hash goes to
 * .tradetrace/api-keys.json and the key itself to .tradetrace/analyst.token (0600), which `npm run query` reads;
 * `--open` serves without authentication instead, and says so.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ChainIndexer, type Progress } from "../indexer/chain/indexer";
import { httpRpc } from "../indexer/chain/rpc";
import { AccessPolicy } from "../indexer/graphql/access/policy";
import { QueryEngine } from "../indexer/graphql/engine";
import { QueryWorkerPool } from "../indexer/graphql/pool";
import { GraphQLServer } from "../indexer/graphql/server";
import { loadManifest } from "../indexer/manifest";
import { loadSubgraphSchema } from "../indexer/schema/parse";
import { SqliteStore } from "../indexer/store/sqlite";
import { issueLocalToken } from "./lib/analyst-token";
import { freePort, startHardhatNode, type HardhatNode } from "./lib/hardhat-node";
import type { SeasonResult } from "./season/plan";
import { targetingReport, type RunQuery, type Verdict } from "./season/report";
import { buildSubgraph, renderManifest } from "./subgraph/render-manifest";

const ROOT = path.resolve(__dirname, "..");
const SUBGRAPH = path.join(ROOT, "subgraph");
const HARDHAT = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
export const SUBGRAPH_NAME = "tradetrace";

export interface StartOptions {
  rpc?: string;
  port: number;
  db: string;
  once: boolean;
  /** Where deployments/<network>.json goes (default deployments/). */
  deploymentsDir: string;
  /** Serve GraphQL without authentication (`--open`). */
  open: boolean;
  /** Where the local API key's hash and token go (default .tradetrace/). */
  stateDir: string;
}

export interface StartOutcome {
  code: number;
  report: string;
  verdict?: Verdict;
  season?: SeasonResult;
}

export interface StartDeps {
  stdout(text: string): void;
  stderr(line: string): void;
  /** Ends serving mode (default: SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

const USAGE = "usage: npm start [-- --rpc URL] [--port 8000] [--db FILE] [--once] [--open]";

export function parseStartArgs(argv: string[]): StartOptions {
  const opts: StartOptions = {
    port: 8000,
    db: path.join(ROOT, ".tradetrace", "devnet.db"),
    once: false,
    deploymentsDir: path.join(ROOT, "deployments"),
    open: false,
    stateDir: path.join(ROOT, ".tradetrace"),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--rpc") opts.rpc = value();
    else if (a === "--port") {
      opts.port = Number(value());
      if (!Number.isInteger(opts.port) || opts.port < 0) throw new Error(`--port needs a port number\n${USAGE}`);
    } else if (a === "--db") opts.db = path.resolve(value());
    else if (a === "--deployments") opts.deploymentsDir = path.resolve(value());
    else if (a === "--once") opts.once = true;
    else if (a === "--open") opts.open = true;
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return opts;
}

/** Runs `node hardhat.js args` in the repository with its output forwarded to stderr, line by line. */
function hardhat(args: string[], env: NodeJS.ProcessEnv, stderr: (line: string) => void): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [HARDHAT, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    const forward = (chunk: Buffer): void => {
      const lines = (tail + chunk.toString()).split("\n");
      tail = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) stderr(line);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.once("error", fail);
    child.once("exit", (code) => {
      if (tail.trim()) stderr(tail);
      if (code === 0) ok();
      else fail(new Error(`hardhat ${args.join(" ")} exited with ${code}`));
    });
  });
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: "true",
    HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
    GRAPH_SKIP_NEW_VERSION_CHECK: "true",
  };
  delete env.HARDHAT_NETWORK;
  return env;
}

export async function start(opts: StartOptions, deps: StartDeps): Promise<StartOutcome> {
  const began = Date.now();
  const secs = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
  const phase = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const t = Date.now();
    deps.stderr(`▶ ${name}…`);
    const result = await work();
    deps.stderr(`✔ ${name} (${secs(t)})`);
    return result;
  };
  const env = childEnv();
  let node: HardhatNode | undefined;
  let store: SqliteStore | undefined;
  let server: GraphQLServer | undefined;
  let pool: QueryWorkerPool | undefined;
  try {
    await phase("compiling the contracts (hardhat compile)", () => hardhat(["compile"], env, deps.stderr));
    let rpc = opts.rpc;
    if (!rpc) {
      const port = await freePort();
      node = await phase(`starting a hardhat node on 127.0.0.1:${port}`, () => startHardhatNode(port));
      rpc = node.url;
    }
    deps.stderr(`  devnet: ${rpc}`);

    fs.mkdirSync(path.dirname(opts.db), { recursive: true });
    const seasonFile = path.join(path.dirname(opts.db), "season.json");
    await phase("deploying the registries and playing the season", () =>
      hardhat(
        ["run", "--no-compile", "--network", "localhost", "scripts/season/play.ts"],
        {
          ...env,
          LOCALHOST_RPC_URL: rpc,
          TRADETRACE_DEPLOYMENTS_DIR: opts.deploymentsDir,
          TRADETRACE_REDEPLOY: "1",
          SEASON_OUT: seasonFile,
        },
        deps.stderr,
      ),
    );
    const season = JSON.parse(fs.readFileSync(seasonFile, "utf8")) as SeasonResult;

    await phase("rendering and building the subgraph (graph codegen + graph build)", () => {
      renderManifest({ network: "localhost", deploymentsDir: opts.deploymentsDir });
      buildSubgraph(SUBGRAPH);
    });

    for (const f of [opts.db, `${opts.db}-wal`, `${opts.db}-shm`]) fs.rmSync(f, { force: true });
    const manifest = loadManifest(SUBGRAPH);
    store = new SqliteStore(opts.db, loadSubgraphSchema(manifest.schemaFile));
    let lastPrinted = 0;
    let lastHead = -1;
    const progress = (p: Progress, force = false): void => {
      if (p.head === lastHead || (!force && Date.now() - lastPrinted < 1000)) return;
      lastPrinted = Date.now();
      lastHead = p.head;
      const rate = p.elapsedMs > 0 ? (p.eventsProcessed * 1000) / p.elapsedMs : 0;
      deps.stderr(
        `  indexed block ${p.head}/${p.chainHead} | ${p.eventsProcessed} events | ${rate.toFixed(0)} events/s`,
      );
    };
    const indexer = new ChainIndexer({ manifest, store, rpc: httpRpc(rpc), onProgress: (p) => progress(p) });
    await phase(`indexing into ${path.relative(process.cwd(), opts.db) || opts.db}`, async () =>
      progress(await indexer.syncOnce(), true),
    );

    const engine = new QueryEngine(store);
    const run: RunQuery = async (query, variables) => {
      const result = await engine.execute({ query, variables });
      if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join("; "));
      return result.data as Record<string, unknown>;
    };
    const { text, verdict } = await targetingReport(run, season);
    deps.stdout(`${text}\n`);
    const code = verdict.ok ? 0 : 1;
    deps.stderr(`whole run: ${secs(began)}`);
    if (opts.once) return { code, report: text, verdict, season };

    const access = opts.open
      ? new AccessPolicy({ open: true })
      : new AccessPolicy({ apiKeysFile: issueLocalToken(opts.stateDir).keysFile });
    pool = await QueryWorkerPool.start({ db: opts.db, schema: manifest.schemaFile });
    server = new GraphQLServer({ subgraphs: { [SUBGRAPH_NAME]: pool }, port: opts.port, access });
    const { url } = await server.start();
    deps.stderr(`GraphQL + GraphiQL: ${url}/subgraphs/name/${SUBGRAPH_NAME}   (Ctrl-C to stop)`);
    deps.stderr(access.describe());
    if (!opts.open) {
      const tokenFile = path.join(opts.stateDir, "analyst.token");
      deps.stderr(`  your token: ${path.relative(process.cwd(), tokenFile) || tokenFile} (npm run query sends it)`);
      deps.stderr(
        `  GraphiQL: put {"Authorization": "Bearer <token>"} in its Headers tab, or open the URL + #token=<token>`,
      );
    }
    deps.stderr(`saved queries: npm run query -- <name> [--var name=value] [--json]`);
    try {
      await indexer.run(deps.signal);
    } catch (e) {
      // Ctrl-C reaches the node too: a failed request after the stop signal is the shutdown, not an error.
      if (!deps.signal?.aborted) throw e;
    }
    return { code, report: text, verdict, season };
  } finally {
    await server?.stop();
    await pool?.close();
    store?.close();
    await node?.stop();
  }
}

export async function main(argv: string[]): Promise<number> {
  let opts: StartOptions;
  try {
    opts = parseStartArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const controller = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      process.stderr.write(`\n${sig}: stopping the server and the node\n`);
      controller.abort();
    });
  }
  const outcome = await start(opts, {
    stdout: (text) => process.stdout.write(text),
    stderr: (line) => process.stderr.write(`${line}\n`),
    signal: controller.signal,
  });
  return outcome.code;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
