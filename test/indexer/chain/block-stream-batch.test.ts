import { expect } from "chai";
import { BlockStream, blockPtr, type BlockConsumer, type BlockWithLogs } from "../../../indexer/chain/block-stream";
import type { LogFilter, RpcFunction } from "../../../indexer/chain/types";
import { fakeLog, hash, hex } from "../../helpers/fake-chain";
import { MemoryStore } from "../../helpers/memory-store";

/** A chain of `head` blocks whose blocks in `withLogs` carry one log each, answered over JSON-RPC. */
function fakeChain(head: number, withLogs: number[]): RpcFunction {
  const block = (n: number, full: boolean) => ({
    number: hex(n),
    hash: hash(n),
    parentHash: hash(n - 1),
    timestamp: hex(1_700_000_000 + n),
    transactions: full ? [] : undefined,
  });
  return async (method, params) => {
    if (method === "eth_blockNumber") return hex(head);
    if (method === "eth_getBlockByNumber") {
      const n = Number(params[0]);
      return n <= head ? block(n, params[1] === true) : null;
    }
    if (method === "eth_getLogs") {
      const f = params[0] as { fromBlock: string; toBlock: string };
      return withLogs.filter((n) => n >= Number(f.fromBlock) && n <= Number(f.toBlock)).map(fakeLog);
    }
    throw new Error(`unexpected ${method}`);
  };
}

/** A memory store that journals its batches and block commits. */
class JournalStore extends MemoryStore {
  journal: string[] = [];
  open = false;
  beginBatch(): void {
    if (this.open) return;
    this.open = true;
    this.journal.push("begin");
  }
  endBatch(): void {
    if (!this.open) return;
    this.open = false;
    this.journal.push("end");
  }
}

/** Commits each block it is given; fails once at `failAt`. */
function consumer(store: JournalStore, failAt: number | null): BlockConsumer {
  return {
    logFilter: (): LogFilter => ({ topics: [[hash(0xabc)]] }),
    reverted: () => undefined,
    async processBlock({ block }: BlockWithLogs): Promise<boolean> {
      const n = Number(block.number);
      if (n === failAt) {
        failAt = null;
        throw new Error(`handler failed at ${n}`);
      }
      store.beginBlock(blockPtr(block)).commit();
      store.journal.push(`block ${n}`);
      return false;
    },
  };
}

describe("indexer/chain block stream: write batches", () => {
  it("commits a range's blocks with logs in one batch, its last block after it", async () => {
    const store = new JournalStore();
    const stream = new BlockStream({ store, rpc: fakeChain(6, [2, 3, 5]), firstBlock: 1 }, consumer(store, null));
    await stream.sync();
    expect(store.journal).to.deep.equal(["begin", "block 2", "block 3", "block 5", "end", "block 6"]);
    expect(store.head()?.number).to.equal(6);
  });

  it("ends the batch when a block fails, keeping the blocks before it, and resumes after it", async () => {
    const store = new JournalStore();
    const stream = new BlockStream({ store, rpc: fakeChain(6, [2, 3, 5]), firstBlock: 1 }, consumer(store, 3));
    let failure: unknown;
    await stream.sync().catch((e: unknown) => (failure = e));
    expect((failure as Error).message).to.equal("handler failed at 3");
    expect(store.open).to.equal(false);
    expect(store.journal).to.deep.equal(["begin", "block 2", "end"]);
    expect(store.head()?.number).to.equal(2);
    await stream.sync();
    expect(store.journal.slice(3)).to.deep.equal(["begin", "block 3", "block 5", "end", "block 6"]);
  });

  it("closes a batch once it has been open writeBatchMs, so other readers see progress", async () => {
    const store = new JournalStore();
    const stream = new BlockStream(
      { store, rpc: fakeChain(4, [1, 2, 3]), firstBlock: 1, writeBatchMs: 0 },
      consumer(store, null),
    );
    await stream.sync();
    expect(store.journal).to.deep.equal([
      "begin",
      "block 1",
      "end",
      "begin",
      "block 2",
      "end",
      "begin",
      "block 3",
      "end",
      "block 4",
    ]);
  });
});

describe("indexer/chain block stream: eth_getLogs ranges", () => {
  /** The spans of the eth_getLogs ranges a sync asks for. */
  async function spans(head: number, withLogs: number[], opts: { maxBlockRange?: number; targetLogs?: number }) {
    const chain = fakeChain(head, withLogs);
    const asked: number[] = [];
    const rpc: RpcFunction = (method, params) => {
      if (method === "eth_getLogs") {
        const f = params[0] as { fromBlock: string; toBlock: string };
        asked.push(Number(f.toBlock) - Number(f.fromBlock) + 1);
      }
      return chain(method, params);
    };
    const store = new JournalStore();
    await new BlockStream({ store, rpc, firstBlock: 1, ...opts }, consumer(store, null)).sync();
    expect(store.head()?.number).to.equal(head);
    return asked;
  }

  it("starts small and doubles the range up to the maximum over a sparse chain", async () => {
    expect(await spans(1000, [5, 900], { maxBlockRange: 300 })).to.deep.equal([100, 200, 300, 300, 100]);
  });

  it("sizes the next range from the density of the last answer, so that answers hold about the target", async () => {
    const every = Array.from({ length: 60 }, (_, i) => i + 1);
    // 10 logs in the first 10 blocks: 4 blocks hold the target; then doubling is capped by it again
    expect(await spans(60, every, { maxBlockRange: 10, targetLogs: 4 })).to.deep.equal([
      10, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2,
    ]);
  });
});
