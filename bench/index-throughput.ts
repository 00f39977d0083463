/**
 * Indexing throughput of the embedded runtime against a local node: starts a `hardhat node` on
 * 127.0.0.1, emits N `OpRequested` events (the fixture subgraph's counter op: two entity writes per event)
 * in blocks of B, then times
 *   1. raw eth_getLogs over the range (the ceiling: fetching the triggers and nothing else), and
 *   2. full indexing into a fresh SQLite store file with the built `values` fixture subgraph
 *      (ChainIndexer over HTTP JSON-RPC, as the CLI runs it),
 * and prints events/s for both, their ratio and peak RSS; writes bench/results/index-throughput.json.
 *
 * Run: npx ts-node bench/index-throughput.ts [--events 5000] [--per-block 100] [--max-range 2000]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { cpus, tmpdir, totalmem } from "os";
import { join } from "path";
import { format } from "prettier";
import { ChainIndexer } from "../indexer/chain/indexer";
import { httpRpc, withRetry } from "../indexer/chain/rpc";
import { loadManifest } from "../indexer/manifest";
import { loadSubgraphSchema } from "../indexer/schema/parse";
import { SqliteStore } from "../indexer/store/sqlite";
import { ChainDriver, op } from "../test/helpers/emitter-chain";
import { freePort, startHardhatNode } from "../test/helpers/hardhat-node";
import { buildSubgraph } from "../test/helpers/subgraph-build";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer`);
  return n;
}

const EVENTS = flag("events", 5_000);
const PER_BLOCK = flag("per-block", 100);
const MAX_RANGE = flag("max-range", 2_000);
const GETLOGS_RUNS = 3;

const mb = (bytes: number): number => Math.round(bytes / 1024 / 102.4) / 10;
const rate = (n: number, ms: number): number => Math.round((n / ms) * 1000 * 10) / 10;

async function main(): Promise<void> {
  const subgraph = buildSubgraph("values");
  const node = await startHardhatNode(await freePort());
  const tmp = mkdtempSync(join(tmpdir(), "tt-index-bench-"));
  try {
    const chain = await ChainDriver.connect(node.url);
    const emitter = await chain.deploy("ValueEmitter");
    const startBlock = (await chain.blockNumber()) + 1;

    let t = Date.now();
    for (let i = 0; i < EVENTS; i += PER_BLOCK) {
      const txs = [];
      for (let j = i; j < Math.min(EVENTS, i + PER_BLOCK); j++) txs.push(op(emitter, 7, 1));
      await chain.mineBlock(txs);
    }
    const head = await chain.blockNumber();
    const emitMs = Date.now() - t;
    process.stderr.write(`emitted ${EVENTS} events in blocks ${startBlock}..${head} (${emitMs} ms)\n`);

    const manifest = loadManifest(subgraph);
    manifest.dataSources[0].address = emitter;
    manifest.dataSources[0].startBlock = startBlock;
    const topics = manifest.dataSources[0].handlers.map((h) => h.topic0);

    // 1. raw eth_getLogs, in the indexer's ranges and with its filter
    const raw = httpRpc(node.url);
    const getLogsMs: number[] = [];
    let logs = 0;
    for (let run = 0; run < GETLOGS_RUNS; run++) {
      logs = 0;
      t = performance.now();
      for (let from = startBlock; from <= head; from += MAX_RANGE) {
        const to = Math.min(head, from + MAX_RANGE - 1);
        const got = (await raw("eth_getLogs", [
          {
            address: [emitter],
            topics: [topics],
            fromBlock: "0x" + from.toString(16),
            toBlock: "0x" + to.toString(16),
          },
        ])) as unknown[];
        logs += got.length;
      }
      getLogsMs.push(performance.now() - t);
    }
    if (logs !== EVENTS) throw new Error(`eth_getLogs returned ${logs} logs, expected ${EVENTS}`);
    const getLogsMedian = [...getLogsMs].sort((a, b) => a - b)[Math.floor(GETLOGS_RUNS / 2)];

    // 2. full indexing into a fresh store file
    const store = new SqliteStore(join(tmp, "store.db"), loadSubgraphSchema(manifest.schemaFile));
    const calls = new Map<string, number>();
    const rpc = withRetry(async (method: string, params: unknown[]) => {
      calls.set(method, (calls.get(method) ?? 0) + 1);
      return raw(method, params);
    });
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const rssBefore = process.memoryUsage().rss;
    t = performance.now();
    const progress = await new ChainIndexer({ manifest, store, rpc, maxBlockRange: MAX_RANGE }).syncOnce();
    const indexMs = performance.now() - t;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const counter = (
      store.db.prepare(`SELECT "count" FROM "e_Counter" WHERE "id" = 'c' AND block_to = 2147483647`).get() as {
        count: bigint;
      }
    ).count;
    store.close();
    if (progress.eventsProcessed !== EVENTS || Number(counter) !== EVENTS) {
      throw new Error(`indexed ${progress.eventsProcessed} events, counter ${counter}; expected ${EVENTS}`);
    }

    const getLogsRate = rate(EVENTS, getLogsMedian);
    const indexRate = rate(EVENTS, indexMs);
    const result = {
      date: new Date().toISOString(),
      machine: {
        cpu: cpus()[0]?.model ?? "unknown",
        cores: cpus().length,
        memoryMB: mb(totalmem()),
        node: process.version,
      },
      params: { events: EVENTS, eventsPerBlock: PER_BLOCK, blocks: head - startBlock + 1, maxRange: MAX_RANGE },
      emitMs: Math.round(emitMs),
      getLogs: {
        runsMs: getLogsMs.map((x) => Math.round(x)),
        medianMs: Math.round(getLogsMedian),
        eventsPerSec: getLogsRate,
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
        processMax: mb(process.resourceUsage().maxRSS * 1024),
      },
    };
    mkdirSync(join(__dirname, "results"), { recursive: true });
    // formatted as the repository's prettier check expects
    writeFileSync(
      join(__dirname, "results", "index-throughput.json"),
      await format(JSON.stringify(result), { parser: "json" }),
    );
    console.log(
      `events: ${EVENTS} in ${result.params.blocks} blocks (${PER_BLOCK}/block)\n` +
        `raw eth_getLogs: ${getLogsRate} events/s (median of ${GETLOGS_RUNS}: ${result.getLogs.medianMs} ms)\n` +
        `full indexing:   ${indexRate} events/s (${result.indexing.ms} ms, ${result.indexing.blocksPerSec} blocks/s)\n` +
        `ratio indexing/getLogs: ${result.ratio}\n` +
        `peak RSS: ${result.rssMB.peakDuringIndexing} MB during indexing (process max ${result.rssMB.processMax} MB)`,
    );
  } finally {
    await node.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
