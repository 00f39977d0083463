/**
 * The indexing-throughput benchmark (bench/index-throughput.ts; its test is test/bench/index-throughput.test.ts):
 * starts a `hardhat node` on 127.0.0.1, deploys the real registries and emits N registry events
 * (bench/lib/emit-registry-events.ts), builds the real subgraph for that deployment, then times
 *   1. raw eth_getLogs over the range with the indexer's own filter and ranges (fetching the triggers, nothing else),
 *   2. full indexing into a fresh SQLite store file through the CLI's path (ChainIndexer, withRetry(httpRpc)) in a
 *      process of its own (./index-run.ts), which samples its RSS while indexing,
 * and checks that the store holds exactly the expected entities.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { httpRpc } from "../../indexer/chain/rpc";
import { freePort, startHardhatNode } from "../../scripts/lib/hardhat-node";
import { buildSubgraph, renderManifest } from "../../scripts/subgraph/render-manifest";
import { expectedEntities, totalEvents, type EmittedEvents } from "./registry-plan";
import { runChildEntry } from "./child-entry";
import { benchManifest, type IndexRunOptions, type IndexRunResult } from "./index-run";
import { machine, type Machine } from "./machine";

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
  /**
   * The indexing process's RSS: when the sync began, its peak during it, the process's maximum, and where the
   * peak sat: V8's heap (used of total), memory outside it (Buffers, ArrayBuffers), the rest (native: SQLite's
   * cache and mapped file pages, code). `process` says which process that is.
   */
  rssMB: { process: string } & IndexRunResult["rssMB"];
  /** Current entities per type in the store after indexing. */
  entities: Record<string, number>;
}

const rate = (n: number, ms: number): number => Math.round((n / ms) * 1000 * 10) / 10;

/**
 * Node's flags for the indexer, as `npm run indexer` starts it (package.json): a 64 MB young generation instead of
 * 16 MB, so that a block's entities die young instead of being copied and promoted (scavenges took a sixth of
 * a catch-up's CPU time; two thirds of that go).
 */
export const INDEXER_NODE_FLAGS = ["--max-semi-space-size=64"];

/** Where the indexing figures come from (the result says so). */
const INDEXER_PROCESS =
  `the indexer's own process (node ${INDEXER_NODE_FLAGS.join(" ")} scripts/run.cjs bench/lib/index-run.ts: ` +
  "indexer/cli.ts's path, as npm run indexer starts it), not the benchmark's";

/** Runs ./index-run.ts in a child process as `npm run indexer` runs the CLI; its stderr is logged. */
async function indexInChild(opts: IndexRunOptions, log: (m: string) => void): Promise<IndexRunResult> {
  const args = ["--rpc", opts.rpc, "--deployments", opts.deploymentsDir, "--db", opts.db];
  args.push("--max-range", String(opts.maxRange));
  const stdout = await runChildEntry({
    what: "the indexing process",
    entry: path.join("bench", "lib", "index-run.ts"),
    args,
    nodeFlags: INDEXER_NODE_FLAGS,
    log: (text) => log(text.trimEnd()),
  });
  return JSON.parse(stdout) as IndexRunResult;
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
    const manifest = benchManifest(tmp);
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
    logs = [];
    const getLogsMedian = [...runsMs].sort((a, b) => a - b)[Math.floor(runs / 2)];

    // 2. full indexing into a fresh store file, in a process of its own as `indexer/cli.ts` runs it
    const storeFile = opts.storeFile ?? path.join(tmp, "store.db");
    const run = await indexInChild({ rpc: node.url, deploymentsDir: tmp, db: storeFile, maxRange }, log);
    if (run.failure) throw new Error(`the subgraph failed ${run.failure}`);
    if (run.eventsProcessed !== events) {
      throw new Error(`indexed ${run.eventsProcessed} events, ${events} were emitted`);
    }
    const expected = expectedEntities(emitted);
    if (JSON.stringify(run.entities) !== JSON.stringify(expected)) {
      throw new Error(`the store holds ${JSON.stringify(run.entities)}, expected ${JSON.stringify(expected)}`);
    }
    const indexMs = run.ms;

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
        blocksPerSec: rate(run.blocksProcessed, indexMs),
        rpcCalls: run.rpcCalls,
      },
      ratio: Math.round((indexRate / getLogsRate) * 10_000) / 10_000,
      rssMB: { process: INDEXER_PROCESS, ...run.rssMB },
      entities: run.entities,
    };
  } finally {
    await node.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
