/**
 * Indexing throughput of the embedded runtime against a local node, with the real TradeTrace subgraph: N registry
 * events (default 50,000; the mix is in bench/lib/registry-plan.ts) on a `hardhat node`, the time of raw
 * eth_getLogs over the range against full indexing into a fresh SQLite store file (events/s, their ratio,
 * blocks/s, JSON-RPC calls, peak RSS). Writes bench/results/index-throughput.json.
 *
 * Run: npm run bench:index [-- --events 50000] [--max-range 2000]
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { format } from "prettier";
import { runIndexBench } from "./lib/index-bench";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer`);
  return n;
}

async function main(): Promise<void> {
  const result = await runIndexBench({
    events: flag("events", 50_000),
    maxRange: flag("max-range", 2_000),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  mkdirSync(join(__dirname, "results"), { recursive: true });
  // formatted as the repository's prettier check expects
  writeFileSync(
    join(__dirname, "results", "index-throughput.json"),
    await format(JSON.stringify(result), { parser: "json" }),
  );
  const kinds = Object.entries(result.emitted)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  console.log(
    `events: ${result.params.events} (${kinds})\n` +
      `blocks: ${result.params.blocks} (${result.params.blocksWithEvents} with events)\n` +
      `raw eth_getLogs: ${result.getLogs.eventsPerSec} events/s (median of ${result.getLogs.runsMs.length}: ${result.getLogs.medianMs} ms, ${result.getLogs.calls} calls)\n` +
      `full indexing:   ${result.indexing.eventsPerSec} events/s (${result.indexing.ms} ms, ${result.indexing.blocksPerSec} blocks/s)\n` +
      `ratio indexing/getLogs: ${result.ratio}\n` +
      `rpc calls: ${JSON.stringify(result.indexing.rpcCalls)}\n` +
      `peak RSS: ${result.rssMB.peakDuringIndexing} MB during indexing (before ${result.rssMB.beforeIndexing} MB, process max ${result.rssMB.processMax} MB)\n` +
      `entities: ${JSON.stringify(result.entities)}\n` +
      `machine: ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryMB} MB, node ${result.machine.node}`,
  );
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
