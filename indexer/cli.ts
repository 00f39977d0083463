/**
 * The embedded runtime's command line:
 *
 *   ts-node indexer/cli.ts --rpc URL --subgraph DIR --db FILE [--name NAME] [--port 8000]
 *                          [--confirmations N] [--max-range N] [--rpc-timeout MS] [--once] [--verbose]
 *                          (--api-keys FILE | --jwks URL|FILE --issuer ISS --audience AUD | --open) …
 *
 * Loads the built subgraph (DIR/build), indexes from the JSON-RPC node into the store with progress on
 * stderr, and serves GraphQL at /subgraphs/name/NAME from worker threads, to callers with a bearer token
 * (see graphql/access/). `--once` stops when caught up (no server).
 */
import { ACCESS_USAGE, applyAccessFlag, checkAccessOptions } from "./graphql/access/flags";
import { AccessPolicy, type AccessOptions } from "./graphql/access/policy";
import { QueryWorkerPool } from "./graphql/pool";
import { GraphQLServer } from "./graphql/server";
import { loadSubgraphSchema } from "./schema/parse";
import { SqliteStore } from "./store/sqlite";
import type { BlockPtr, EntityStore } from "./store/types";
import { ChainIndexer, SubgraphFailedError, type Progress } from "./runner/chain-indexer";
import { httpRpc, httpRpcBatch, withRetry, type RetryOptions } from "./chain/rpc";
import { loadManifest, type Manifest } from "./manifest";
import type { RpcFunction } from "./chain/types";
import type { LogLevel } from "./wasm/host";
import { messageOf } from "../lib/errors";

export interface CliOptions {
  rpc: string;
  subgraph: string;
  db: string;
  name: string;
  port: number;
  confirmations: number;
  maxRange: number;
  /** Abandon (and retry) a JSON-RPC request after this many milliseconds. */
  rpcTimeoutMs: number;
  once: boolean;
  verbose: boolean;
  /** Who may query the server (not checked with `--once`, which serves nothing). */
  access: AccessOptions;
}

export interface RunningServer {
  url: string;
  /** What to print about who may query. */
  notice?: string;
  stop(): Promise<void>;
}

/** What the CLI needs from the outside; tests inject an in-memory store. */
export interface CliDeps<S extends EntityStore = EntityStore> {
  openStore(dbFile: string, manifest: Manifest): S;
  /** Starts the GraphQL server over the store; null to run without one. */
  startServer(store: S, manifest: Manifest, opts: CliOptions): Promise<RunningServer | null>;
  stderr(line: string): void;
  /** Overrides the HTTP JSON-RPC client (tests). */
  rpc?: RpcFunction;
  /** Stops `run` mode (default: SIGINT/SIGTERM). */
  signal?: AbortSignal;
  progressIntervalMs?: number;
  retryDelayMs?: number;
}

export class UsageError extends Error {}

export const USAGE =
  "usage: cli --rpc URL --subgraph DIR --db FILE [--name NAME] [--port 8000] [--confirmations N] " +
  `[--max-range N] [--rpc-timeout MS] [--once] [--verbose] ${ACCESS_USAGE}`;

export function parseArgs(argv: string[]): CliOptions {
  const opts: Partial<CliOptions> = {
    port: 8000,
    confirmations: 0,
    maxRange: 2000,
    rpcTimeoutMs: 30_000,
    once: false,
    verbose: false,
    access: {},
  };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0) throw new UsageError(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (applyAccessFlag(a, value, opts.access!)) continue;
    switch (a) {
      case "--rpc":
        opts.rpc = value();
        break;
      case "--subgraph":
        opts.subgraph = value();
        break;
      case "--db":
        opts.db = value();
        break;
      case "--name":
        opts.name = value();
        break;
      case "--port":
        opts.port = num(a, value());
        break;
      case "--confirmations":
        opts.confirmations = num(a, value());
        break;
      case "--max-range":
        opts.maxRange = Math.max(1, num(a, value()));
        break;
      case "--rpc-timeout":
        opts.rpcTimeoutMs = Math.max(1, num(a, value()));
        break;
      case "--once":
        opts.once = true;
        break;
      case "--verbose":
        opts.verbose = true;
        break;
      default:
        throw new UsageError(`unknown argument ${a}`);
    }
  }
  for (const req of ["rpc", "subgraph", "db"] as const) if (!opts[req]) throw new UsageError(`--${req} is required`);
  opts.name ??= "tradetrace";
  if (!opts.once) {
    try {
      checkAccessOptions(opts.access!);
    } catch (e) {
      throw new UsageError(messageOf(e));
    }
  }
  return opts as CliOptions;
}

/** `block 120/500 (380 behind) | 35.2 blocks/s | 4.1 events/s` */
export function formatProgress(p: Progress, blocksPerSec: number, eventsPerSec: number): string {
  const behind = Math.max(0, p.target - p.head);
  return (
    `block ${p.head}/${p.chainHead} (${behind} behind) | ${blocksPerSec.toFixed(1)} blocks/s | ` +
    `${eventsPerSec.toFixed(1)} events/s`
  );
}

/** `resuming after block 120 (0x…)`, or where an empty store starts. */
export function formatResume(head: BlockPtr | null): string {
  return head ? `resuming after block ${head.number} (${head.hash})` : "empty store: indexing from the start block";
}

/** Runs the command line; without `deps`, over a SQLite store file with a GraphQL server. */
export function main<S extends EntityStore>(argv: string[], deps?: CliDeps<S>): Promise<number> {
  return deps ? run(argv, deps) : run(argv, defaultDeps());
}

async function run<S extends EntityStore>(argv: string[], deps: CliDeps<S>): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    deps.stderr(`${messageOf(e)}\n${USAGE}`);
    return 2;
  }
  const manifest = loadManifest(opts.subgraph);
  const store = deps.openStore(opts.db, manifest);
  deps.stderr(formatResume(store.head()));
  const server = opts.once ? null : await deps.startServer(store, manifest, opts);
  if (server) deps.stderr(`GraphQL: ${server.url}/subgraphs/name/${opts.name}`);
  if (server?.notice) deps.stderr(server.notice);

  const retry: RetryOptions = {
    initialDelayMs: deps.retryDelayMs ?? 500,
    signal: deps.signal,
    onRetry: (e, attempt, delay) => deps.stderr(`node unreachable (${e.message}); retry ${attempt} in ${delay} ms`),
  };
  const rpc = withRetry(deps.rpc ?? httpRpc(opts.rpc, opts.rpcTimeoutMs), retry);
  // blocks in JSON-RPC batches from the node itself; an injected `rpc` (tests) is asked one request at a time
  const rpcBatch = deps.rpc ? undefined : withRetry(httpRpcBatch(opts.rpc, opts.rpcTimeoutMs), retry);
  const interval = deps.progressIntervalMs ?? 2000;
  let last = { at: Date.now(), blocks: 0, events: 0 };
  let lastPrinted = 0;
  const report = (p: Progress, force = false): void => {
    const now = Date.now();
    if (!force && now - lastPrinted < interval) return;
    const secs = Math.max(0.001, (now - last.at) / 1000);
    deps.stderr(formatProgress(p, (p.blocksProcessed - last.blocks) / secs, (p.eventsProcessed - last.events) / secs));
    last = { at: now, blocks: p.blocksProcessed, events: p.eventsProcessed };
    lastPrinted = now;
  };
  const log = (level: LogLevel, message: string): void => {
    if (level !== "debug" || opts.verbose) deps.stderr(`${level.toUpperCase()} ${message}`);
  };
  const indexer = new ChainIndexer({
    manifest,
    store,
    rpc,
    rpcBatch,
    confirmations: opts.confirmations,
    maxBlockRange: opts.maxRange,
    log,
    onProgress: (p) => report(p),
  });

  let code = 0;
  try {
    if (opts.once) {
      report(await indexer.syncOnce(deps.signal), true);
    } else {
      await indexer.run(deps.signal);
    }
  } catch (e) {
    if (e instanceof SubgraphFailedError) {
      deps.stderr(`subgraph failed at block ${e.failure.block.number}: ${e.failure.message}`);
      code = 1;
      // graph-node keeps serving the data of a failed subgraph
      if (server && deps.signal && !deps.signal.aborted) {
        await new Promise((r) => deps.signal!.addEventListener("abort", r, { once: true }));
      }
    } else if (!deps.signal?.aborted) {
      throw e;
    }
  } finally {
    await server?.stop();
    store.close();
  }
  return code;
}

/**
 * The GraphQL server over the store file, behind the access policy of `opts`. Queries run in worker threads
 * with their own read-only connections, so indexing on this thread never waits for them.
 */
export async function startQueryServer(manifest: Manifest, opts: CliOptions): Promise<RunningServer> {
  const access = new AccessPolicy(opts.access);
  const pool = await QueryWorkerPool.start({ db: opts.db, schema: manifest.schemaFile });
  const server = new GraphQLServer({ subgraphs: { [opts.name]: pool }, port: opts.port, access });
  const { url } = await server.start().catch(async (e: Error) => {
    await pool.close();
    throw e;
  });
  return { url, notice: access.describe(), stop: () => server.stop().then(() => pool.close()) };
}

/** The real store (a SQLite file) and GraphQL server; SIGINT/SIGTERM stop the run. */
export function defaultDeps(): CliDeps<SqliteStore> {
  const controller = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => controller.abort());
  return {
    openStore: (dbFile, manifest) => new SqliteStore(dbFile, loadSubgraphSchema(manifest.schemaFile)),
    startServer: (_store, manifest, opts) => startQueryServer(manifest, opts),
    stderr: (line) => process.stderr.write(line + "\n"),
    signal: controller.signal,
  };
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
