/**
 * Issue 10's indexer fault suite. A season of real TradeTrace registry activity (scripts/season/play.ts) is played
 * once on a `hardhat node` with a pinned genesis and recorded, so that other nodes rebuild the identical chain
 * (test/helpers/trade-chain.ts). Then, each time comparing the final store's digest (every entity version) and
 * data sources with a clean run's over the same chain:
 *   a. the node is SIGKILLed during catch-up and restarted, rebuilding the chain block by block, while the
 *      indexer keeps running: it must wait for it, never revert or skip what it had;
 *   b. the CLI catches up through a fault proxy (test/helpers/fault-proxy.ts) injecting errors of every kind;
 *   c. reorgs of every depth 1..10 (evm_snapshot / evm_revert, then a longer branch of other transactions),
 *      followed through the proxy;
 *   d. the CLI is SIGKILLed at seeded random points while faults are injected, then restarted to completion.
 * The short version runs in `npm test`; `npm run test:faults` (FAULT_SUITE=full) runs more runs, kills and
 * faults. FAULT_SEED seeds everything (printed). A summary table of the figures is printed at the end.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ChainIndexer } from "../../indexer/runner/chain-indexer";
import { httpRpc, withRetry } from "../../indexer/chain/rpc";
import { loadManifest, type Manifest } from "../../indexer/manifest";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import type { LogLevel } from "../../indexer/wasm/host";
import { buildSubgraph, renderManifest } from "../../scripts/subgraph/render-manifest";
import { FAULT_KINDS, FaultProxy, type FaultKind } from "../helpers/fault-proxy";
import { freePort, startHardhatNode, type HardhatNode } from "../helpers/hardhat-node";
import { headOf, openReader, runCli, sleep } from "../helpers/indexer-child";
import { plain } from "../helpers/memory-store";
import { Prng } from "../helpers/prng";
import {
  FIXED_GENESIS_CONFIG,
  blockHash,
  buildSubgraphFor,
  mineBranch,
  replayChain,
  seasonChain,
  rpcCall,
  type RecordedBlock,
} from "../helpers/trade-chain";

const FULL = process.env.FAULT_SUITE === "full";
const SEED = Number(process.env.FAULT_SEED ?? 0xfa17);
const SUBGRAPH = path.resolve(__dirname, "..", "..", "subgraph");
/** The indexer's JSON-RPC timeout in these runs; stalls last longer. */
const RPC_TIMEOUT_MS = 400;
const STALL_MS = 1500;
const MAX_DEPTH = 10;

interface Snapshot {
  digest: string;
  dataSources: unknown;
  head: number;
  hash: string;
}

/** What the suite did, printed as a table at the end. */
const figures = {
  runs: 0,
  injected: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
  requests: 0,
  served: 0,
  reorgs: new Map<number, number>(),
  indexerKills: 0,
  nodeKills: 0,
  nodeBehindWaits: 0,
  errors: 0,
  digestsCompared: 0,
  digestsEqual: 0,
};

function count(proxy: FaultProxy): void {
  for (const k of FAULT_KINDS) figures.injected[k] += proxy.injected[k];
  figures.requests += proxy.requests;
  figures.served += proxy.served;
}

function printFigures(): void {
  const rows: [string, string][] = [
    ["seed", `${SEED} (${FULL ? "full" : "short"} suite)`],
    ["runs (indexing runs to completion)", String(figures.runs)],
    ...FAULT_KINDS.map((k): [string, string] => [`faults injected: ${k}`, String(figures.injected[k])]),
    ["faults injected: total", String(Object.values(figures.injected).reduce((a, b) => a + b, 0))],
    [
      "reorgs survived by depth",
      [...figures.reorgs.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([d, n]) => `${d}:${n}`)
        .join(" "),
    ],
    ["requests through the proxy", String(figures.requests)],
    ["requests served faithfully", String(figures.served)],
    ["indexer SIGKILLs", String(figures.indexerKills)],
    ["node SIGKILLs (chain rebuilt)", String(figures.nodeKills)],
    ["waits for a node behind the store", String(figures.nodeBehindWaits)],
    ["errors", String(figures.errors)],
    ["digests equal", `${figures.digestsEqual}/${figures.digestsCompared}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log("\n      indexer fault suite");
  for (const [k, v] of rows) console.log(`      ${k.padEnd(width)}  ${v}`);
}

describe(`indexer faults (${FULL ? "full" : "short"} suite, FAULT_SEED=${SEED})`, function () {
  this.timeout(FULL ? 900_000 : 240_000);
  const rng = new Prng(SEED);
  let tmp: string;
  let port: number;
  let node: HardhatNode;
  /** A second node with the same chain: killed and rebuilt in (a), then reorganised in (c). */
  let other: HardhatNode;
  let otherPort: number;
  let blocks: RecordedBlock[];
  let head: number;
  let startBlock: number;
  let registry: string;
  let manifest: Manifest;
  let reference: Snapshot;

  const open = (file: string): SqliteStore => new SqliteStore(file, loadSubgraphSchema(manifest.schemaFile));
  const snapshot = (store: SqliteStore): Snapshot => {
    const h = store.head()!;
    return { digest: store.digest(), dataSources: plain(store.dataSources()), head: h.number, hash: h.hash };
  };
  const snapshotFile = (file: string): Snapshot => {
    const store = open(file);
    try {
      return snapshot(store);
    } finally {
      store.close();
    }
  };
  /** Indexes `url` cleanly (no faults) into a fresh store. */
  const cleanRun = async (url: string, name: string): Promise<Snapshot> => {
    const store = open(path.join(tmp, `${name}.db`));
    try {
      await new ChainIndexer({ manifest, store, rpc: withRetry(httpRpc(url)), maxBlockRange: 100 }).syncOnce();
      return snapshot(store);
    } finally {
      store.close();
    }
  };
  const expectSame = (got: Snapshot, want: Snapshot, what: string): void => {
    figures.digestsCompared++;
    try {
      expect(got.head, `${what}: head`).to.equal(want.head);
      expect(got.hash, `${what}: head hash`).to.equal(want.hash);
      expect(got.dataSources, `${what}: data sources`).to.deep.equal(want.dataSources);
      expect(got.digest, `${what}: digest`).to.equal(want.digest);
    } catch (e) {
      figures.errors++;
      throw e;
    }
    figures.digestsEqual++;
    figures.runs++;
  };
  const cliArgs = (url: string, db: string): string[] => [
    ...["--rpc", url, "--subgraph", SUBGRAPH, "--db", db, "--once"],
    ...["--max-range", "20", "--rpc-timeout", String(RPC_TIMEOUT_MS)],
  ];
  /**
   * Faults for CLI `--once` runs: no stale head (a lagging replica would end `--once` early, by design), and
   * eth_getLogs refusals weighted up (few requests are eth_getLogs).
   */
  const cliProxy = (seed: number, rate: number): Promise<FaultProxy> =>
    new FaultProxy({
      target: node.url,
      seed,
      rate,
      stallMs: STALL_MS,
      weights: { staleHead: 0, logsLimit: 20 },
    }).start();

  before(async function () {
    tmp = mkdtempSync(path.join(tmpdir(), "tt-faults-"));
    port = await freePort();
    otherPort = await freePort();
    [node, other] = await Promise.all([
      startHardhatNode(port, FIXED_GENESIS_CONFIG),
      startHardhatNode(otherPort, FIXED_GENESIS_CONFIG),
    ]);
    const season = await seasonChain(node.url, tmp);
    const { deployment } = season;
    startBlock = deployment.startBlock;
    registry = deployment.contracts.MillTestReportRegistry.address;
    blocks = season.blocks;
    head = blocks.length;
    await replayChain(other.url, blocks);
    buildSubgraphFor(
      tmp,
      () => renderManifest({ network: "localhost", deploymentsDir: tmp }),
      () => buildSubgraph(),
    );
    manifest = loadManifest(SUBGRAPH);
    reference = await cleanRun(node.url, "reference");
    expect(reference.head).to.equal(head);
    expect(reference.hash).to.equal(blocks[head - 1].hash);
    const how = season.replayed ? "replayed from the recording in cache/fault-suite" : "played and recorded";
    console.log(`      season: ${head} blocks (${how}), registries from block ${startBlock}, seed ${SEED}`);
  });

  after(async () => {
    printFigures();
    await node?.stop();
    await other?.kill();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("a. the node is SIGKILLed during catch-up and rebuilds the chain; the indexer waits for it", async () => {
    const store = open(path.join(tmp, "node-killed.db"));
    const logs: string[] = [];
    let lowest = -1;
    let decreased = false;
    const indexer = new ChainIndexer({
      manifest,
      store,
      rpc: withRetry(httpRpc(other.url, 1000), { initialDelayMs: 50, maxDelayMs: 400 }),
      maxBlockRange: 10,
      pollIntervalMs: 50,
      retryDelayMs: 50,
      maxRetryDelayMs: 400,
      log: (level: LogLevel, m: string) => {
        if (level !== "debug") logs.push(m);
      },
      onProgress: (p) => {
        if (p.head < lowest) decreased = true;
        lowest = p.head;
      },
    });
    const controller = new AbortController();
    const running = indexer.run(controller.signal).catch((e: unknown) => {
      if (!controller.signal.aborted) throw e;
    });
    const kills = FULL ? 3 : 1;
    try {
      for (let k = 0; k < kills; k++) {
        // The first time once the indexer is past a random point of the chain; later ones a moment after the
        // restart, while the node is still rebuilding the chain.
        const seenHead = (): number => store.head()?.number ?? -1;
        if (k === 0) {
          const at = rng.int(startBlock + 20, Math.floor(head * 0.8));
          for (let waited = 0; seenHead() < at && waited < 60_000; waited += 10) await sleep(10);
        } else {
          await sleep(rng.int(50, 500));
        }
        await other.kill();
        figures.nodeKills++;
        const committed = seenHead();
        other = await startHardhatNode(otherPort, FIXED_GENESIS_CONFIG);
        // Rebuild slowly enough for the indexer to meet a node behind its head.
        const stopAt = k + 1 < kills ? rng.int(10, Math.max(11, committed - 5)) : Infinity;
        await replayChain(other.url, blocks.slice(0, Math.min(stopAt, head)), async (n) => {
          if (n % 8 === 0) await sleep(15);
        });
        expect(store.head()!.number, "never went back while the node was behind").to.be.at.least(committed);
      }
      for (let waited = 0; (store.head()?.number ?? -1) < head && waited < 120_000; waited += 20) await sleep(20);
    } finally {
      controller.abort();
      await running;
    }
    // The chain the node ended with is the recorded one.
    expect(await blockHash(other.url, head)).to.equal(blocks[head - 1].hash);
    const waits = logs.filter((l) => l.includes("behind the store's head")).length;
    figures.nodeBehindWaits += waits;
    expect(
      logs.filter((l) => l.startsWith("reorg")),
      "no reorg: the chain is the same",
    ).to.deep.equal([]);
    expect(decreased, "the head never went back").to.equal(false);
    expect(waits, "the indexer met the node behind its head and waited").to.be.above(0);
    const got = snapshot(store);
    store.close();
    expectSame(got, reference, "node killed");
  });

  for (let r = 0; r < (FULL ? 3 : 1); r++) {
    const rate = [0.06, 0.1, 0.15][r];
    it(`b. the CLI catches up through the fault proxy (run ${r + 1}, fault rate ${rate})`, async () => {
      const proxy = await cliProxy(SEED + r, rate);
      try {
        const file = path.join(tmp, `proxy-${r}.db`);
        const cli = runCli(cliArgs(proxy.url, file));
        const exit = await cli.exited;
        if (exit.code !== 0) figures.errors++;
        expect(exit, cli.lines.slice(-30).join("\n")).to.deep.equal({ code: 0, signal: null });
        expect(proxy.totalInjected()).to.be.above(0);
        expectSame(snapshotFile(file), reference, `proxy run ${r + 1}`);
      } finally {
        await proxy.stop();
        count(proxy);
      }
    });
  }

  it(`c. follows reorgs of every depth 1..${MAX_DEPTH} through the fault proxy`, async () => {
    const proxy = await new FaultProxy({
      target: other.url,
      seed: SEED + 50,
      rate: 0.05,
      stallMs: STALL_MS,
      weights: { staleHead: 20, logsLimit: 20 },
    }).start();
    const store = open(path.join(tmp, "reorgs.db"));
    try {
      expect(await blockHash(other.url, head)).to.equal(blocks[head - 1].hash);
      const reverts: { from: number; to: number }[] = [];
      let behind = 0;
      const indexer = new ChainIndexer({
        manifest,
        store,
        rpc: withRetry(httpRpc(proxy.url, RPC_TIMEOUT_MS), { initialDelayMs: 20, maxDelayMs: 200 }),
        maxBlockRange: 20,
        retryDelayMs: 20,
        maxRetryDelayMs: 200,
        log: (_level, m) => {
          const reorg = /^reorg: block (\d+) .* reverting to (-?\d+)$/.exec(m);
          if (reorg) reverts.push({ from: Number(reorg[1]), to: Number(reorg[2]) });
          if (m.includes("behind the store's head")) behind++;
        },
      });
      const chainHead = async (): Promise<number> => Number(await rpcCall(other.url, "eth_blockNumber"));
      /** syncOnce until the store holds the node's head (a stale head from the proxy may stop a round short). */
      const follow = async (): Promise<void> => {
        const target = await chainHead();
        for (
          let round = 0;
          store.head()?.number !== target || store.head()?.hash !== (await blockHash(other.url, target));
          round++
        ) {
          if (round > 50) throw new Error(`did not reach block ${target}`);
          await indexer.syncOnce();
        }
      };
      const rounds = FULL ? 2 : 1;
      for (let round = 0; round < rounds; round++) {
        for (let depth = 1; depth <= MAX_DEPTH; depth++) {
          await follow();
          const base = store.head()!.number;
          const snap = await rpcCall(other.url, "evm_snapshot");
          await mineBranch(other.url, registry, `${round}-${depth}-old`, depth);
          await follow();
          expect(store.head()!.number).to.equal(base + depth);
          expect(await rpcCall(other.url, "evm_revert", [snap])).to.equal(true);
          if (depth % 2 === 1) {
            // The node is now behind the store: nothing to revert until it shows another block.
            const before = reverts.length;
            await indexer.syncOnce();
            expect(reverts.length, "no revert while the node is merely behind").to.equal(before);
            expect(store.head()!.number).to.equal(base + depth);
          }
          await mineBranch(other.url, registry, `${round}-${depth}-new`, depth + 1 + rng.int(0, 2));
          const before = reverts.length;
          await follow();
          const mine = reverts.slice(before);
          expect(mine.length, `one reorg of depth ${depth}`).to.equal(1);
          expect(mine[0].from - mine[0].to, "reverted exactly the abandoned blocks").to.equal(depth);
          figures.reorgs.set(depth, (figures.reorgs.get(depth) ?? 0) + 1);
        }
      }
      figures.nodeBehindWaits += behind;
      const got = snapshot(store);
      const clean = await cleanRun(other.url, "reorgs-clean");
      expect(clean.head).to.be.above(head);
      expectSame(got, clean, "after the reorgs");
    } finally {
      store.close();
      await proxy.stop();
      count(proxy);
    }
  });

  for (let r = 0; r < (FULL ? 2 : 1); r++) {
    it(`d. the CLI is SIGKILLed at random points under faults, then completes (run ${r + 1})`, async () => {
      const proxy = await cliProxy(SEED + 100 + r, 0.05);
      const file = path.join(tmp, `killed-${r}.db`);
      const kills = FULL ? 5 : 2;
      try {
        for (let k = 0; k < kills; k++) {
          const cli = runCli(cliArgs(proxy.url, file));
          let done = false;
          void cli.exited.then(() => (done = true));
          // Half the kills at a random committed head ahead, half after a random time (startup included).
          const now = headNow(file);
          const byHead = rng.chance(0.5);
          const target = rng.int(Math.max(now, startBlock) + 5, Math.max(now, startBlock) + 5 + Math.floor(head / 6));
          const deadline = Date.now() + rng.int(500, 6000);
          const reader = { db: openReader(file) };
          try {
            while (!done) {
              reader.db ??= openReader(file);
              if (byHead ? headOf(reader.db) >= target : Date.now() >= deadline) break;
              await sleep(5);
            }
          } finally {
            reader.db?.close();
          }
          if (done) break; // it finished first: nothing left to kill
          cli.kill();
          expect(await cli.exited).to.deep.equal({ code: null, signal: "SIGKILL" });
          figures.indexerKills++;
        }
        const last = runCli(cliArgs(proxy.url, file));
        const exit = await last.exited;
        if (exit.code !== 0) figures.errors++;
        expect(exit, last.lines.slice(-30).join("\n")).to.deep.equal({ code: 0, signal: null });
        expectSame(snapshotFile(file), reference, `killed run ${r + 1}`);
      } finally {
        await proxy.stop();
        count(proxy);
      }
    });
  }

  it("errors: none", () => {
    expect(figures.errors).to.equal(0);
  });
});

/** The committed head of a store file now (-1 without one). */
function headNow(file: string): number {
  const db = openReader(file);
  try {
    return headOf(db);
  } finally {
    db?.close();
  }
}
