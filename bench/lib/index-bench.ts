/**
 * The indexing-throughput benchmark (bench/index-throughput.ts; its test is test/bench/index-throughput.test.ts):
 * starts a `hardhat node` on 127.0.0.1, deploys the real registries and emits N registry events
 * (bench/lib/emit-registry-events.ts), builds the real subgraph for that deployment, then times
 *   1. raw eth_getLogs over the range with the indexer's own filter and ranges (fetching the triggers, nothing else),
 *   2. full indexing into a fresh SQLite store file through the CLI's path (ChainIndexer, withRetry(httpRpc)),
 * sampling RSS during indexing, and checks that the store holds exactly the expected entities.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ChainIndexer } from "../../indexer/runner/chain-indexer";
import { httpRpc, withRetry } from "../../indexer/chain/rpc";
import { loadManifest } from "../../indexer/manifest";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { OPEN_BLOCK, SqliteStore } from "../../indexer/store/sqlite";
import type { RpcFunction } from "../../indexer/chain/types";
import { readDeployment } from "../../scripts/lib/deployments";
import { freePort, startHardhatNode } from "../../scripts/lib/hardhat-node";
import { buildSubgraph, renderManifest } from "../../scripts/subgraph/render-manifest";
import { expectedEntities, totalEvents, type EmittedEvents } from "./registry-plan";
import { machine, type Machine } from "./machine";
import { mb } from "./stats";

const ROOT = path.resolve(__dirname, "..", "..");
const SUBGRAPH = path.join(ROOT, "subgraph");

export interface IndexBenchOptions {
  events: number;
  /** The indexer's eth_getLogs range (its default, 2000). */
  maxRange?: number;
  /** Timed eth_getLogs passes; the median counts (default 3). */
  getLogsRuns?: number;
  /** Keep the store file here instead of a temporary directory. */
  storeFile?: string;
  /** Run `graph codegen && graph build` even when subgraph/build is newer than the subgraph's sources. */
  rebuild?: boolean;
  log?(message: string): void;
}

export interface IndexBenchResult {
  date: string;
  machine: Machine;
  params: {
    events: number;
    blocks: number;
    blocksWithEvents: number;
    maxRange: number;
    startBlock: number;
    head: number;
  };
  emitted: EmittedEvents;
  emitMs: number;
  getLogs: { runsMs: number[]; medianMs: number; eventsPerSec: number; calls: number };
  indexing: {
    ms: number;
    eventsPerSec: number;
    blocksPerSec: number;
    /** JSON-RPC calls by method, and the HTTP requests that carried them. */
    rpcCalls: Record<string, number>;
  };
  /** Indexing events/s over raw eth_getLogs events/s. */
  ratio: number;
  rssMB: {
    beforeIndexing: number;
    peakDuringIndexing: number;
    processMax: number;
    /** Where the peak sat: V8's heap (used of total), memory outside it (Buffers, ArrayBuffers), the rest (native: SQLite's cache and mapped file pages, code). */
    atPeak: { heapUsed: number; heapTotal: number; external: number; other: number };
  };
  /** Current entities per type in the store after indexing. */
  entities: Record<string, number>;
}

const rate = (n: number, ms: number): number => Math.round((n / ms) * 1000 * 10) / 10;

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

/** Whether subgraph/build is newer than every source of the subgraph (addresses are set after loading). */
function buildIsFresh(): boolean {
  const built = path.join(SUBGRAPH, "build", "subgraph.yaml");
  if (!fs.existsSync(built)) return false;
  const sources = [
    path.join(SUBGRAPH, "schema.graphql"),
    path.join(SUBGRAPH, "subgraph.template.yaml"),
    // every file below src/, its folders (src/rules/) included
    ...fs
      .readdirSync(path.join(SUBGRAPH, "src"), { recursive: true, encoding: "utf8" })
      .map((f) => path.join(SUBGRAPH, "src", f)),
  ];
  const builtAt = fs.statSync(built).mtimeMs;
  return sources.every((f) => fs.statSync(f).mtimeMs < builtAt);
}

async function emit(
  url: string,
  events: number,
  dir: string,
): Promise<{ startBlock: number; head: number; emitted: EmittedEvents }> {
  const out = path.join(dir, "emitted.json");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCALHOST_RPC_URL: url,
    TRADETRACE_DEPLOYMENTS_DIR: dir,
    BENCH_EVENTS: String(events),
    BENCH_OUT: out,
    HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
  };
  delete env.HARDHAT_NETWORK;
  const bootstrap = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
  const args = [bootstrap, "run", "--no-compile", "--network", "localhost", "bench/lib/emit-registry-events.ts"];
  await promisify(execFile)(process.execPath, args, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(fs.readFileSync(out, "utf8")) as { startBlock: number; head: number; emitted: EmittedEvents };
}

export async function runIndexBench(opts: IndexBenchOptions): Promise<IndexBenchResult> {
  const log = opts.log ?? (() => undefined);
  const maxRange = opts.maxRange ?? 2000;
  const runs = opts.getLogsRuns ?? 3;
  const node = await startHardhatNode(await freePort());
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tt-index-bench-"));
  try {
    let t = Date.now();
    const { startBlock, head, emitted } = await emit(node.url, opts.events, tmp);
    const emitMs = Date.now() - t;
    log(
      `emitted ${totalEvents(emitted)} events in blocks ${startBlock}..${head} (${emitMs} ms): ${JSON.stringify(emitted)}`,
    );

    if (opts.rebuild || !buildIsFresh()) {
      renderManifest({ network: "localhost", deploymentsDir: tmp });
      buildSubgraph();
    }
    const manifest = loadManifest(SUBGRAPH);
    // The build may be for another deployment: point it at this one.
    const deployment = readDeployment(tmp, "localhost")!;
    for (const ds of manifest.dataSources) {
      const c = deployment.contracts[ds.name];
      if (!c) throw new Error(`no deployment for data source ${ds.name}`);
      ds.address = c.address.toLowerCase();
      ds.startBlock = c.blockNumber;
    }
    const first = Math.min(...manifest.dataSources.map((d) => d.startBlock));

    // 1. raw eth_getLogs: the indexer's filter (every address, every handler topic) in its ranges
    const raw = httpRpc(node.url);
    const filter = {
      address: manifest.dataSources.map((d) => d.address!),
      topics: [[...new Set(manifest.dataSources.flatMap((d) => d.handlers.map((h) => h.topic0)))]],
    };
    const runsMs: number[] = [];
    let logs: { blockNumber: string }[] = [];
    let getLogsCalls = 0;
    for (let run = 0; run < runs; run++) {
      logs = [];
      getLogsCalls = 0;
      t = performance.now();
      for (let from = first; from <= head; from += maxRange) {
        const to = Math.min(head, from + maxRange - 1);
        const got = (await raw("eth_getLogs", [
          { ...filter, fromBlock: "0x" + from.toString(16), toBlock: "0x" + to.toString(16) },
        ])) as { blockNumber: string }[];
        getLogsCalls++;
        logs.push(...got);
      }
      runsMs.push(performance.now() - t);
    }
    const events = totalEvents(emitted);
    if (logs.length !== events) throw new Error(`eth_getLogs returned ${logs.length} logs, ${events} were emitted`);
    const blocksWithEvents = new Set(logs.map((l) => l.blockNumber)).size;
    logs = []; // not the indexer's memory: let it go before RSS is sampled
    const getLogsMedian = [...runsMs].sort((a, b) => a - b)[Math.floor(runs / 2)];

    // 2. full indexing into a fresh store file, as `indexer/cli.ts` does it
    const storeFile = opts.storeFile ?? path.join(tmp, "store.db");
    for (const f of [storeFile, `${storeFile}-wal`, `${storeFile}-shm`]) fs.rmSync(f, { force: true });
    const store = new SqliteStore(storeFile, loadSubgraphSchema(manifest.schemaFile));
    const calls = new Map<string, number>();
    const counting: RpcFunction = (method, params) => {
      calls.set(method, (calls.get(method) ?? 0) + 1);
      return raw(method, params);
    };
    const rpc = withRetry(counting, { initialDelayMs: 500 });
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let atPeak = process.memoryUsage();
    const sample = (): void => {
      const m = process.memoryUsage();
      if (m.rss > peakRss) [peakRss, atPeak] = [m.rss, m];
    };
    const sampler = setInterval(sample, 25);
    t = performance.now();
    let progress;
    try {
      progress = await new ChainIndexer({
        manifest,
        store,
        rpc,
        maxBlockRange: maxRange,
        log: (level, message) => {
          if (level !== "debug" && level !== "info") log(`${level}: ${message}`);
        },
      }).syncOnce();
    } finally {
      clearInterval(sampler);
    }
    const indexMs = performance.now() - t;
    sample();
    const entities = entityCounts(store);
    const failure = store.failure();
    store.close();
    if (failure) throw new Error(`the subgraph failed at block ${failure.block.number}: ${failure.message}`);
    if (progress.eventsProcessed !== events) {
      throw new Error(`indexed ${progress.eventsProcessed} events, ${events} were emitted`);
    }
    const expected = expectedEntities(emitted);
    if (JSON.stringify(entities) !== JSON.stringify(expected)) {
      throw new Error(`the store holds ${JSON.stringify(entities)}, expected ${JSON.stringify(expected)}`);
    }

    const getLogsRate = rate(events, getLogsMedian);
    const indexRate = rate(events, indexMs);
    return {
      date: new Date().toISOString(),
      machine: machine(),
      params: { events, blocks: head - first + 1, blocksWithEvents, maxRange, startBlock: first, head },
      emitted,
      emitMs,
      getLogs: {
        runsMs: runsMs.map((x) => Math.round(x)),
        medianMs: Math.round(getLogsMedian),
        eventsPerSec: getLogsRate,
        calls: getLogsCalls,
      },
      indexing: {
        ms: Math.round(indexMs),
        eventsPerSec: indexRate,
        blocksPerSec: rate(progress.blocksProcessed, indexMs),
        rpcCalls: Object.fromEntries([...calls].sort()),
      },
      ratio: Math.round((indexRate / getLogsRate) * 10_000) / 10_000,
      rssMB: {
        beforeIndexing: mb(rssBefore),
        peakDuringIndexing: mb(peakRss),
        atPeak: {
          heapUsed: mb(atPeak.heapUsed),
          heapTotal: mb(atPeak.heapTotal),
          external: mb(atPeak.external),
          other: mb(atPeak.rss - atPeak.heapTotal - atPeak.external),
        },
        processMax: mb(process.resourceUsage().maxRSS * 1024),
      },
      entities,
    };
  } finally {
    await node.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
