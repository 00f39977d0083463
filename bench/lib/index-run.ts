/**
 * The indexing half of bench:index (./index-bench.ts), in a process of its own, as a user runs the indexer: the
 * path of `indexer/cli.ts --once` (the built subgraph, a SqliteStore file, ChainIndexer over withRetry(httpRpc)),
 * with the data sources pointed at the benchmark's deployment. Its own process so that the peak RSS measured is
 * the indexer's, not that of the benchmark process, which has parsed every log three times over for the raw
 * eth_getLogs timing.
 *
 *   node scripts/run.cjs bench/lib/index-run.ts --rpc URL --deployments DIR --db FILE --max-range N
 *
 * Prints one line of JSON (IndexRunResult) on stdout; warnings and errors of the indexer go to stderr.
 */
import fs from "node:fs";
import path from "node:path";
import { ChainIndexer } from "../../indexer/runner/chain-indexer";
import { httpRpc, httpRpcBatch, withRetry } from "../../indexer/chain/rpc";
import { loadManifest, type Manifest } from "../../indexer/manifest";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { OPEN_BLOCK, SqliteStore } from "../../indexer/store/sqlite";
import type { RpcBatchFunction, RpcFunction } from "../../indexer/chain/types";
import { readDeployment } from "../../scripts/lib/deployments";
import { mb } from "./stats";

const SUBGRAPH = path.resolve(__dirname, "..", "..", "subgraph");

export interface IndexRunOptions {
  rpc: string;
  deploymentsDir: string;
  db: string;
  maxRange: number;
}

export interface IndexRunResult {
  ms: number;
  blocksProcessed: number;
  eventsProcessed: number;
  /** JSON-RPC calls by method (those in batches counted too), and "(HTTP batches)": the batches that carried some. */
  rpcCalls: Record<string, number>;
  /** This process's RSS (MB) when the sync began, its peak during the sync and where that peak sat. */
  rssMB: {
    beforeIndexing: number;
    peakDuringIndexing: number;
    processMax: number;
    atPeak: { heapUsed: number; heapTotal: number; external: number; other: number };
  };
  /** Current entities per type in the store after indexing. */
  entities: Record<string, number>;
  /** The subgraph's failure, if it failed. */
  failure: string | null;
}

/** Current (open) versions per entity type. */
export function entityCounts(store: SqliteStore): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, t] of [...store.layout.tables].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const r = store.db.prepare(`SELECT count(*) AS n FROM ${t.quoted} WHERE block_to = ${OPEN_BLOCK}`).get() as {
      n: bigint;
    };
    out[name] = Number(r.n);
  }
  return out;
}

export function parseRunArgs(argv: string[]): IndexRunOptions {
  const value = (name: string): string => {
    const i = argv.indexOf(`--${name}`);
    const v = i < 0 ? undefined : argv[i + 1];
    if (v === undefined) throw new Error(`--${name} is required`);
    return v;
  };
  const maxRange = Number(value("max-range"));
  if (!Number.isInteger(maxRange) || maxRange <= 0) throw new Error("--max-range needs a positive integer");
  return { rpc: value("rpc"), deploymentsDir: value("deployments"), db: value("db"), maxRange };
}

/** The built subgraph (subgraph/build), its data sources pointed at the localhost deployment in `deploymentsDir`. */
export function benchManifest(deploymentsDir: string): Manifest {
  const manifest = loadManifest(SUBGRAPH);
  // The build may be for another deployment: point it at this one.
  const deployment = readDeployment(deploymentsDir, "localhost");
  if (!deployment) throw new Error(`no localhost deployment in ${deploymentsDir}`);
  for (const ds of manifest.dataSources) {
    const c = deployment.contracts[ds.name];
    if (!c) throw new Error(`no deployment for data source ${ds.name}`);
    ds.address = c.address.toLowerCase();
    ds.startBlock = c.blockNumber;
  }
  return manifest;
}

/** Indexes the deployment's events into a fresh store file and reports the figures. */
export async function indexRun(opts: IndexRunOptions): Promise<IndexRunResult> {
  const manifest = benchManifest(opts.deploymentsDir);
  for (const f of [opts.db, `${opts.db}-wal`, `${opts.db}-shm`]) fs.rmSync(f, { force: true });
  const store = new SqliteStore(opts.db, loadSubgraphSchema(manifest.schemaFile));
  const raw = httpRpc(opts.rpc);
  const calls = new Map<string, number>();
  const counting: RpcFunction = (method, params) => {
    calls.set(method, (calls.get(method) ?? 0) + 1);
    return raw(method, params);
  };
  const rawBatch = httpRpcBatch(opts.rpc);
  const countingBatch: RpcBatchFunction = (requests) => {
    calls.set("(HTTP batches)", (calls.get("(HTTP batches)") ?? 0) + 1);
    for (const r of requests) calls.set(r.method, (calls.get(r.method) ?? 0) + 1);
    return rawBatch(requests);
  };
  const rpc = withRetry(counting, { initialDelayMs: 500 });
  const rpcBatch = withRetry(countingBatch, { initialDelayMs: 500 });

  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let atPeak = process.memoryUsage();
  const sample = (): void => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) [peakRss, atPeak] = [m.rss, m];
  };
  const sampler = setInterval(sample, 25);
  const t = performance.now();
  let progress;
  try {
    progress = await new ChainIndexer({
      manifest,
      store,
      rpc,
      rpcBatch,
      maxBlockRange: opts.maxRange,
      log: (level, message) => {
        if (level !== "debug" && level !== "info") process.stderr.write(`${level}: ${message}\n`);
      },
    }).syncOnce();
  } finally {
    clearInterval(sampler);
  }
  const ms = performance.now() - t;
  sample();
  const entities = entityCounts(store);
  const failure = store.failure();
  store.close();
  return {
    ms,
    blocksProcessed: progress.blocksProcessed,
    eventsProcessed: progress.eventsProcessed,
    rpcCalls: Object.fromEntries([...calls].sort()),
    rssMB: {
      beforeIndexing: mb(rssBefore),
      peakDuringIndexing: mb(peakRss),
      processMax: mb(process.resourceUsage().maxRSS * 1024),
      atPeak: {
        heapUsed: mb(atPeak.heapUsed),
        heapTotal: mb(atPeak.heapTotal),
        external: mb(atPeak.external),
        other: mb(atPeak.rss - atPeak.heapTotal - atPeak.external),
      },
    },
    entities,
    failure: failure && `at block ${failure.block.number}: ${failure.message}`,
  };
}

if (require.main === module) {
  indexRun(parseRunArgs(process.argv.slice(2))).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
