import { expect } from "chai";
import { BlockStream, UnstableChainError, blockPtr, type BlockConsumer } from "../../../indexer/chain/block-stream";
import { RpcBatchRefusedError, RpcError } from "../../../indexer/chain/rpc";
import type { LogFilter, RpcBatchFunction, RpcFunction } from "../../../indexer/chain/types";
import { fakeLog, hash, hex } from "../../helpers/fake-chain";
import { MemoryStore } from "../../helpers/memory-store";

/** A chain of `head` blocks, one log in each block of `withLogs`; `calls` journals what is asked. */
function fakeChain(head: number, withLogs: number[]) {
  const calls: string[] = [];
  const block = (n: number) =>
    n <= head
      ? { number: hex(n), hash: hash(n), parentHash: hash(n - 1), timestamp: hex(1_700_000_000 + n), transactions: [] }
      : null;
  const rpc: RpcFunction = async (method, params) => {
    if (method === "eth_blockNumber") return hex(head);
    if (method === "eth_getBlockByNumber") {
      if (params[1] === true) calls.push(`block ${Number(params[0])}`);
      return block(Number(params[0]));
    }
    if (method === "eth_getLogs") {
      const f = params[0] as { fromBlock: string; toBlock: string };
      calls.push(`logs ${Number(f.fromBlock)}-${Number(f.toBlock)}`);
      return withLogs.filter((n) => n >= Number(f.fromBlock) && n <= Number(f.toBlock)).map(fakeLog);
    }
    throw new Error(`unexpected ${method}`);
  };
  /** Batches of eth_getBlockByNumber; `entry` may change an answer (null: no such block) or throw. */
  const batch =
    (entry: (n: number) => unknown = block): RpcBatchFunction =>
    async (requests) => {
      calls.push(`batch ${requests.map((r) => Number(r.params[0])).join(",")}`);
      return requests.map((r) => entry(Number(r.params[0])));
    };
  return { rpc, batch, calls };
}

/** Commits each block it is given, journalling them; `creates` makes the filter change after that block. */
function consumer(
  store: MemoryStore,
  committed: number[],
  creates: number | null = null,
  journal: string[] = [],
): BlockConsumer {
  return {
    logFilter: (): LogFilter => ({ topics: [[hash(0xabc)]] }),
    reverted: () => undefined,
    async processBlock({ block, logs }): Promise<boolean> {
      store.beginBlock(blockPtr(block)).commit();
      const n = Number(block.number);
      if (logs.length > 0) committed.push(n);
      journal.push(`commit ${n}`);
      return n === creates;
    },
  };
}

const every = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("indexer/chain block stream: batched block fetches and ranges fetched ahead", () => {
  it("fetches a range's blocks with logs 8 to a batch and commits them all in order", async () => {
    const chain = fakeChain(30, every(1, 20));
    const store = new MemoryStore();
    const committed: number[] = [];
    await new BlockStream(
      { store, rpc: chain.rpc, rpcBatch: chain.batch(), firstBlock: 1 },
      consumer(store, committed),
    ).sync();
    expect(committed).to.deep.equal(every(1, 20));
    expect(store.head()?.number).to.equal(30);
    expect(chain.calls.filter((c) => c.startsWith("batch"))).to.deep.equal([
      "batch 1,2,3,4,5,6,7,8",
      "batch 9,10,11,12,13,14,15,16",
      "batch 17,18,19,20",
    ]);
    expect(chain.calls.some((c) => c.startsWith("block "))).to.equal(false);
  });

  it("an error answer in a batch: nothing of that batch is committed, the error is the node's, a retry completes", async () => {
    const chain = fakeChain(30, every(1, 20));
    let failing = true;
    const rpcBatch = chain.batch((n) => {
      if (n === 11 && failing) throw new RpcError("header not found", -32000);
      return { number: hex(n), hash: hash(n), parentHash: hash(n - 1), timestamp: hex(n), transactions: [] };
    });
    const store = new MemoryStore();
    const committed: number[] = [];
    const stream = new BlockStream({ store, rpc: chain.rpc, rpcBatch, firstBlock: 1 }, consumer(store, committed));
    const e = await stream.sync().catch((x: unknown) => x);
    expect(e).to.be.instanceOf(RpcError);
    expect((e as Error).message).to.equal("header not found");
    expect(committed).to.deep.equal(every(1, 8)); // the batch of 9..16 holds block 11: none of it
    expect(store.head()?.number).to.equal(8);
    failing = false;
    await stream.sync();
    expect(committed).to.deep.equal(every(1, 20));
    expect(store.head()?.number).to.equal(30);
  });

  it("a block missing from a batch answer is a chain in flux: nothing from it on is committed, then a clear error", async () => {
    const chain = fakeChain(30, every(1, 20));
    const rpcBatch = chain.batch((n) =>
      n === 13 ? null : { number: hex(n), hash: hash(n), parentHash: hash(n - 1), timestamp: hex(n), transactions: [] },
    );
    const store = new MemoryStore();
    const committed: number[] = [];
    const stream = new BlockStream({ store, rpc: chain.rpc, rpcBatch, firstBlock: 1 }, consumer(store, committed));
    const e = await stream.sync().catch((x: unknown) => x);
    expect(e).to.be.instanceOf(UnstableChainError);
    expect((e as Error).message).to.equal("block data around 13 keeps changing");
    expect(committed).to.deep.equal(every(1, 12));
    expect(store.head()?.number).to.equal(12);
  });

  it("falls back to a request per block when the node refuses batches", async () => {
    const chain = fakeChain(12, [2, 5, 9]);
    const rpcBatch: RpcBatchFunction = () => Promise.reject(new RpcBatchRefusedError("batch: no"));
    const warnings: string[] = [];
    const store = new MemoryStore();
    const committed: number[] = [];
    await new BlockStream(
      { store, rpc: chain.rpc, rpcBatch, firstBlock: 1, log: (level, m) => level === "warning" && warnings.push(m) },
      consumer(store, committed),
    ).sync();
    expect(committed).to.deep.equal([2, 5, 9]);
    expect(chain.calls.filter((c) => c.startsWith("block "))).to.deep.equal(["block 2", "block 5", "block 9"]);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain("takes no JSON-RPC batches");
  });

  it("asks for the next range's logs before processing a range far below the head, not near it", async () => {
    // ranges of 10 blocks; the head is 100: ranges ending 64+ blocks below it are fetched ahead
    const chain = fakeChain(100, every(1, 100));
    const store = new MemoryStore();
    const committed: number[] = [];
    await new BlockStream(
      { store, rpc: chain.rpc, firstBlock: 1, maxBlockRange: 10 },
      consumer(store, committed, null, chain.calls),
    ).sync();
    expect(committed).to.deep.equal(every(1, 100));
    const at = (c: string): number => chain.calls.indexOf(c);
    expect(at("logs 11-20")).to.be.below(at("commit 1")); // fetched while 1..10 were processed
    expect(at("logs 21-30")).to.be.below(at("commit 11"));
    expect(at("logs 31-40")).to.be.above(at("commit 30")); // ends 60 below the head: fetched when needed
    expect(chain.calls.filter((c) => c.startsWith("logs"))).to.have.length(10); // each range asked once
  });

  it("drops a range fetched ahead when the log filter changes, and asks for it again", async () => {
    const chain = fakeChain(100, every(1, 100));
    const store = new MemoryStore();
    const committed: number[] = [];
    await new BlockStream(
      { store, rpc: chain.rpc, firstBlock: 1, maxBlockRange: 10 },
      consumer(store, committed, 10), // block 10, the range's last, creates data sources
    ).sync();
    expect(committed).to.deep.equal(every(1, 100));
    expect(chain.calls.filter((c) => c === "logs 11-20")).to.have.length(2);
  });
});
