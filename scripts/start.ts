/**
 * `npm start`: the whole of TradeTrace on one machine.
 *
 *   npm start [-- --rpc URL] [--port 8000] [--db .tradetrace/devnet.db] [--once] [--open]
 *
 * Starts a Hardhat devnet on a free loopback port (or uses `--rpc`, which must be a Hardhat node: the season
 * moves its clock) while it compiles if needed, deploys the registries (deployments/localhost.json), plays an import
 * season (scripts/season/play.ts) while the subgraph builds for the addresses a fresh devnet gives, indexes it with
 * the embedded runtime into a fresh SQLite file, prints the targeting report on stdout, then serves GraphQL with
 * GraphiQL at http://127.0.0.1:PORT/subgraphs/name/tradetrace, still indexing new blocks, until Ctrl-C; the URLs go
 * to .tradetrace/endpoints.json for `npm run query`. `--once` exits after the report: 0 when every planted fraud is
 * flagged and no clean shipment is, 1 otherwise. Progress goes to stderr.
 * The server asks for a bearer token: a fresh local API key, whose hash goes to .tradetrace/api-keys.json and the
 * key itself to .tradetrace/analyst.token (0600), which `npm run query` reads; `--open` serves without
 * authentication instead, and says so.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ChainIndexer, type Progress } from "../indexer/runner/chain-indexer";
import { httpRpc } from "../indexer/chain/rpc";
import { AccessPolicy } from "../indexer/graphql/access/policy";
import { QueryEngine } from "../indexer/graphql/engine";
import { QueryWorkerPool } from "../indexer/graphql/pool";
import { GraphQLServer } from "../indexer/graphql/server";
import { loadManifest } from "../indexer/manifest";
import { loadSubgraphSchema } from "../indexer/schema/parse";
import { SqliteStore } from "../indexer/store/sqlite";
import { buildWebIfStale } from "../web/server/build";
import { configRoute } from "../web/server/config";
import { publicLookupRoute } from "../web/server/public-lookup";
import { registryAddresses } from "../web/server/registries";
import { RELAY_PATH, relayRoute } from "../web/server/relayer";
import { DEVNET_RELAYER_INDEX, devnetRelayerWallet, relayerWalletFromEnv } from "../web/server/relayer-key";
import { SiweAuth } from "../web/server/siwe";
import { staticRoutes } from "../web/server/static";
import type { HttpRoute } from "../indexer/graphql/http-route";
import { issueLocalToken } from "./lib/analyst-token";
import { readDeployment, type DeploymentFile } from "./lib/deployments";
import { removeEndpoints, writeEndpoints, ENDPOINTS_FILE } from "./lib/endpoints";
import { freePort, startHardhatNode, type HardhatNode } from "./lib/hardhat-node";
import type { SeasonResult } from "./season/plan";
import { targetingReport, type RunQuery, type Verdict } from "./season/report";
import { buildSubgraphIfChanged } from "./subgraph/build";
import { startDemoInteropNode } from "./interop/demo";
import {
  DEVNET_INTEROP_RELAYER_INDEX,
  connectAnchoring,
  devnetInteropRelayerWallet,
  interopRelayerFromEnv,
  type ChainAnchoring,
} from "./interop/chain";
import type { InteropNode } from "../interop/server/node";
import { renderManifest } from "./subgraph/render-manifest";
import { messageOf } from "../lib/errors";

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
  /** Called once the server answers (serving mode only): the browser tests start from here. */
  onServing?(serving: Serving): void;
}

/** What a serving run offers, once it does. */
export interface Serving {
  /** The server's base URL (the web app is at `/`). */
  url: string;
  /** The subgraph's query URL. */
  graphql: string;
  /** The devnet's JSON-RPC URL. */
  rpc: string;
  /** The local analyst's token (undefined with --open). */
  token?: string;
  season: SeasonResult;
}

const USAGE =
  "usage: npm start [-- --rpc URL] [--port 8000] [--db FILE] [--deployments DIR] [--once] [--open] [--help]";
export const START_HELP = `${USAGE}

Starts a devnet (hardhat node on a free 127.0.0.1 port), compiles the contracts if needed, deploys the registries,
plays an import season, builds and indexes the subgraph, prints the targeting report, then serves GraphQL.

  --rpc URL          use this Hardhat node instead of starting one (the season moves its clock)
  --port N           GraphQL port (default 8000; 0 picks a free one)
  --db FILE          the SQLite store (default .tradetrace/devnet.db, replaced at each run)
  --deployments DIR  where localhost.json goes (default deployments/; replaced at each run)
  --once             exit after the report: 0 if every planted fraud and no clean shipment is flagged
  --open             serve GraphQL without authentication (a warning says so); by default a local API key is
                     made and its token written to .tradetrace/analyst.token, which npm run query sends
  --help             this text

While serving, the URLs are in .tradetrace/endpoints.json: \`npm run query -- <name>\` finds the server there.`;

/** What `--help` asks for: the usage, nothing run. */
export class HelpRequested extends Error {}

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
    else if (a === "--help" || a === "-h") throw new HelpRequested(START_HELP);
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return opts;
}

/**
 * Drops the upgrades plugin's note about a reinitializer of a test-only contract (contracts/test/, never deployed):
 * the note is two lines, a header and one line per function; it is kept when it names any other contract.
 */
export function withoutTestContractNotes(stderr: (line: string) => void): (line: string) => void {
  let heldNote: string | undefined;
  return (line) => {
    if (/^Note: Reinitializers are not included in validations/.test(line)) {
      heldNote = line;
      return;
    }
    const aboutTestContract = /^\s*contracts\/test\/.*oz-upgrades-validate-as-initializer/.test(line);
    if (heldNote !== undefined && !aboutTestContract) stderr(heldNote);
    heldNote = undefined;
    if (!aboutTestContract) stderr(line);
  };
}

/** Runs `node hardhat.js args` in the repository with its output forwarded to stderr, line by line. */
function hardhat(args: string[], env: NodeJS.ProcessEnv, stderr: (line: string) => void): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [HARDHAT, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const emit = withoutTestContractNotes(stderr);
    let tail = "";
    const forward = (chunk: Buffer): void => {
      const lines = (tail + chunk.toString()).split("\n");
      tail = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) emit(line);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.once("error", fail);
    child.once("exit", (code) => {
      if (tail.trim()) emit(tail);
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

/** Runs named steps with progress on stderr: a start line, a line every 10 s while it lasts, an end line with the time. */
function phases(stderr: (line: string) => void) {
  const secs = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;
  return async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const t = Date.now();
    stderr(`▶ ${name}…`);
    const ticker = setInterval(() => stderr(`  … ${name}: ${secs(t)}`), 10_000);
    try {
      const result = await work();
      stderr(`✔ ${name} (${secs(t)})`);
      return result;
    } finally {
      clearInterval(ticker);
    }
  };
}

/** The deployment a fresh devnet gets from the deploy script: deployments/test.json under the localhost name. */
function freshDevnetDeployment(): DeploymentFile | undefined {
  const test = readDeployment(path.join(ROOT, "deployments"), "test");
  return test && { ...test, network: "localhost" };
}

/** Says that the season's deployment replaces an earlier deployments file, and why. */
function announceReplacedDeployment(deploymentsDir: string, stderr: (line: string) => void): void {
  const file = path.join(deploymentsDir, "localhost.json");
  if (!fs.existsSync(file)) return;
  const when = fs.statSync(file).mtime.toISOString().slice(0, 16).replace("T", " ");
  stderr(
    `  replacing ${path.relative(process.cwd(), file) || file} (written ${when} UTC): this run deploys the registries ` +
      "anew for its own devnet; use --deployments DIR to keep that file",
  );
}

/** Renders the manifest for `deployment` (or the file the season wrote) and builds the subgraph unless current. */
async function renderAndBuild(
  opts: StartOptions,
  deployment: DeploymentFile | undefined,
  stderr: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  renderManifest({ network: "localhost", deploymentsDir: opts.deploymentsDir, deployment });
  const outcome = await buildSubgraphIfChanged(SUBGRAPH, (command) => stderr(`  graph ${command}…`), signal);
  if (outcome === "skipped")
    stderr("  subgraph/build is current (same manifest, schema, mappings and ABIs): not rebuilt");
}

export async function start(opts: StartOptions, deps: StartDeps): Promise<StartOutcome> {
  const began = Date.now();
  const phase = phases(deps.stderr);
  const env = childEnv();
  let node: HardhatNode | undefined;
  let store: SqliteStore | undefined;
  let server: GraphQLServer | undefined;
  let pool: QueryWorkerPool | undefined;
  let interop: InteropNode | undefined;
  let speculativeBuild: Promise<unknown> | undefined;
  let webBuild: Promise<unknown> | undefined;
  const stopBuild = new AbortController();
  try {
    // The node needs no artifacts: it starts while the contracts compile.
    const port = opts.rpc ? undefined : await freePort();
    const nodeStarted = port === undefined ? undefined : startHardhatNode(port);
    nodeStarted?.catch(() => {}); // awaited below; do not let a failure surface before then
    await phase("compiling the contracts (hardhat compile)", () => hardhat(["compile"], env, deps.stderr));
    if (nodeStarted) node = await phase(`starting a hardhat node on 127.0.0.1:${port}`, () => nodeStarted);
    const rpc = node?.url ?? opts.rpc!;
    deps.stderr(`  devnet JSON-RPC: ${rpc}`);

    // On a fresh devnet the addresses are known before deploying: build the subgraph while the season plays.
    const predicted = node ? freshDevnetDeployment() : undefined;
    if (predicted) {
      speculativeBuild = phase(
        "building the subgraph for a fresh devnet's addresses (graph codegen + graph build)",
        () => renderAndBuild(opts, predicted, deps.stderr, stopBuild.signal),
      );
      speculativeBuild.catch(() => {}); // awaited below
    }

    // The web app is only served, never needed for the report: build it (if stale) while the season plays.
    if (!opts.once) {
      webBuild = phase("building the web app (vite build into dist/web)", () =>
        buildWebIfStale(deps.stderr, stopBuild.signal),
      );
      webBuild.catch(() => {}); // awaited below
    }

    fs.mkdirSync(path.dirname(opts.db), { recursive: true });
    const seasonFile = path.join(path.dirname(opts.db), "season.json");
    announceReplacedDeployment(opts.deploymentsDir, deps.stderr);
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

    await speculativeBuild;
    speculativeBuild = undefined;
    await phase("rendering the subgraph for the deployment (graph codegen + graph build if it changed)", () =>
      renderAndBuild(opts, undefined, deps.stderr),
    );

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
    deps.stderr(`whole run: ${((Date.now() - began) / 1000).toFixed(1)} s`);
    if (opts.once) {
      const db = path.relative(process.cwd(), opts.db) || opts.db;
      deps.stderr(`done; the devnet is stopped. The store stays: npm run query -- <saved-query> --db ${db}`);
      return { code, report: text, verdict, season };
    }

    const local = opts.open ? undefined : issueLocalToken(opts.stateDir);
    const deployment = readDeployment(opts.deploymentsDir, "localhost");
    if (!deployment) throw new Error(`no deployment in ${opts.deploymentsDir}/localhost.json after the season`);
    // Trade parties sign in with their wallet (SIWE); a session reads the query API like a token does.
    const siwe = new SiweAuth({ chainId: deployment.chainId });
    const access = local
      ? new AccessPolicy({ apiKeysFile: local.keysFile, sessions: siwe })
      : new AccessPolicy({ open: true });
    const relayer = await relayerFor(node !== undefined, rpc, deployment, deps.stderr);
    await webBuild;
    webBuild = undefined;
    pool = await QueryWorkerPool.start({ db: opts.db, schema: manifest.schemaFile });
    // The verifier's public lookup is answered by the pool, so the pool starts before the routes.
    const endpoints = [...siwe.routes(), ...(relayer ? [relayer] : []), publicLookupRoute(pool)];
    const routes = await webRoutes(deployment, rpc, endpoints);
    server = new GraphQLServer({ subgraphs: { [SUBGRAPH_NAME]: pool }, port: opts.port, access, routes });
    const base = (await server.start()).url;
    const graphql = `${base}${GRAPHQL_PATH}`;
    interop = await startDemoInteropNode(
      opts.stateDir,
      deps.stderr,
      await interopAnchoringFor(node !== undefined, rpc, deployment, deps.stderr),
    );
    const interopEndpoint = { url: interop.url, did: interop.did, tokenEndpoint: interop.tokenEndpoint };
    const endpointsFile = path.join(opts.stateDir, path.basename(ENDPOINTS_FILE));
    writeEndpoints(
      { rpc, graphql, interop: interopEndpoint, startedAt: new Date(began).toISOString(), pid: process.pid },
      endpointsFile,
    );
    announceEndpoints(rpc, graphql, endpointsFile, deps.stderr, interopEndpoint);
    deps.stderr(access.describe());
    const token = local && fs.readFileSync(local.tokenFile, "utf8").trim();
    deps.stderr(`  web app             ${appUrl(base, token)}`);
    deps.onServing?.({ url: base, graphql, rpc, token, season });
    if (!opts.open) {
      const tokenFile = path.join(opts.stateDir, "analyst.token");
      deps.stderr(`  your token: ${path.relative(process.cwd(), tokenFile) || tokenFile} (npm run query sends it)`);
      deps.stderr(
        `  GraphiQL: put {"Authorization": "Bearer <token>"} in its Headers tab, or open the URL + #token=<token>`,
      );
    }
    try {
      await indexer.run(deps.signal);
    } catch (e) {
      // Ctrl-C reaches the node too: a failed request after the stop signal is the shutdown, not an error.
      if (!deps.signal?.aborted) throw e;
    }
    return { code, report: text, verdict, season };
  } finally {
    // Still building means a step failed: stop the build rather than wait a minute for it.
    if (speculativeBuild || webBuild) stopBuild.abort();
    await speculativeBuild?.catch(() => {});
    await webBuild?.catch(() => {});
    if (server) removeEndpoints(process.pid, path.join(opts.stateDir, path.basename(ENDPOINTS_FILE)));
    await server?.stop();
    await interop?.close();
    await pool?.close();
    store?.close();
    await node?.stop();
  }
}

const GRAPHQL_PATH = `/subgraphs/name/${SUBGRAPH_NAME}`;

/** The web app's endpoints on the GraphQL server's origin: its config and server endpoints, then its files at `/`. */
async function webRoutes(deployment: DeploymentFile, rpc: string, endpoints: HttpRoute[]): Promise<HttpRoute[]> {
  const relayer = endpoints.some((r) => r.prefix === RELAY_PATH);
  const config = await configRoute({ deployment, rpcUrl: rpc, graphqlPath: GRAPHQL_PATH, relayer });
  return [config, ...endpoints, ...staticRoutes()];
}

/**
 * The gasless relay: from the operator's key (TRADETRACE_RELAYER_KEY or TRADETRACE_RELAYER_KEYSTORE), else, on
 * the devnet npm start runs itself, from Hardhat's funded account #19; on another node without a key, none.
 */
async function relayerFor(
  ownDevnet: boolean,
  rpc: string,
  deployment: DeploymentFile,
  stderr: (line: string) => void,
): Promise<HttpRoute | undefined> {
  const configured = await relayerWalletFromEnv(process.env, process.cwd());
  const signer = configured ?? (ownDevnet ? devnetRelayerWallet() : undefined);
  if (!signer) {
    stderr("  gasless relay: off (set TRADETRACE_RELAYER_KEY or TRADETRACE_RELAYER_KEYSTORE to offer it)");
    return undefined;
  }
  const whose = configured ? "the configured relayer key" : `devnet account #${DEVNET_RELAYER_INDEX}`;
  stderr(`  gasless relay: on, POST /app/relay pays gas from ${signer.address} (${whose})`);
  return relayRoute({ rpcUrl: rpc, signer, registries: registryAddresses(deployment) });
}

/**
 * The trace-interop node's chain: anchoring from the operator's key (TRADETRACE_INTEROP_RELAYER_KEY or
 * TRADETRACE_INTEROP_RELAYER_KEYSTORE), else, on npm start's own devnet, from Hardhat's funded account #18 (the web
 * relayer has #19); on another node without a key, none.
 */
async function interopAnchoringFor(
  ownDevnet: boolean,
  rpc: string,
  deployment: DeploymentFile,
  stderr: (line: string) => void,
): Promise<ChainAnchoring | undefined> {
  const configured = await interopRelayerFromEnv(process.env, process.cwd());
  const relayer = configured ?? (ownDevnet ? devnetInteropRelayerWallet() : undefined);
  if (!relayer) {
    stderr("  trace-interop anchoring: off (set TRADETRACE_INTEROP_RELAYER_KEY or …_KEYSTORE to anchor)");
    return undefined;
  }
  const whose = configured ? "the configured key" : `devnet account #${DEVNET_INTEROP_RELAYER_INDEX}`;
  stderr(`  trace-interop anchoring: on, relayer ${relayer.address} (${whose})`);
  return connectAnchoring({ rpc, deployment, relayer });
}

/**
 * The web app's address; the token goes in the fragment (`#token=…`), which a browser never sends to a server
 * or its logs, and which the app moves into the tab's session storage at once.
 */
export function appUrl(base: string, token: string | undefined): string {
  return token ? `${base}/#token=${encodeURIComponent(token)}` : `${base}/`;
}

/** The last lines of a serving run: every URL, and where they are recorded. */
function announceEndpoints(
  rpc: string,
  graphql: string,
  file: string,
  stderr: (line: string) => void,
  interop?: { url: string; did: string },
): void {
  stderr("");
  stderr("TradeTrace is running (Ctrl-C stops the server and the devnet):");
  stderr(`  devnet JSON-RPC     ${rpc}`);
  stderr(`  GraphQL + GraphiQL  ${graphql}`);
  if (interop) stderr(`  trace-interop node  ${interop.url}  (${interop.did}; clients: npm run interop -- add-client)`);
  stderr(`  saved queries       npm run query -- <name>   (npm run query -- --help lists them)`);
  stderr(`  these URLs are in   ${path.relative(process.cwd(), file) || file}`);
}

export async function main(argv: string[]): Promise<number> {
  let opts: StartOptions;
  try {
    opts = parseStartArgs(argv);
  } catch (e) {
    if (e instanceof HelpRequested) {
      process.stdout.write(`${e.message}\n`);
      return 0;
    }
    process.stderr.write(`${messageOf(e)}\n`);
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
