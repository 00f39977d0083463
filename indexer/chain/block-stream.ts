/**
 * Ingestion from a JSON-RPC node (graph-node's block stream): eth_getLogs over adaptive block ranges with the
 * filter its consumer asks for, the blocks with logs fetched a few ahead, handed over in order with their
 * logs, then the range's last block so that the head moves on; reorg detection by block hash with rollback
 * through the store, resume from the store's head. What a block's logs mean is the consumer's business
 * (../runner/runner.ts): this file knows nothing of mappings or WASM.
 */
import { toBeHex } from "ethers";
import type { BlockPtr, EntityStore } from "../store/types";
import { RpcBatchRefusedError, RpcError } from "./rpc";
import type { FullBlock, LogFilter, RpcBatchFunction, RpcBlock, RpcFunction, RpcLog, RpcTransaction } from "./types";

/** A block as the stream hands it over: its header, its transactions and its matching logs in log order. */
export interface BlockWithLogs {
  block: RpcBlock;
  /** Empty for a block without logs (only its pointer is committed). */
  transactions: RpcTransaction[];
  logs: RpcLog[];
}

/** What the stream feeds: it decides which logs matter and commits each block it is given. */
export interface BlockConsumer {
  /** The eth_getLogs filter for blocks [from, to], or null when nothing there can matter. */
  logFilter(from: number, to: number): LogFilter | null;
  /** Processes and commits the block; true when the log filter changes from the next block on. */
  processBlock(block: BlockWithLogs): Promise<boolean>;
  /** The store was reverted to an ancestor block (a reorg): forget what was derived from later blocks. */
  reverted(): void;
}

export interface BlockStreamOptions {
  store: EntityStore;
  /** Should already retry transport failures (see `withRetry`). */
  rpc: RpcFunction;
  /**
   * JSON-RPC batches (`httpRpcBatch`; should already retry transport failures, see `withRetry`): the blocks a
   * range needs are fetched BATCH_BLOCKS to a request. Without it (or when the node refuses batches), one by one.
   */
  rpcBatch?: RpcBatchFunction;
  /** Where indexing starts in an empty store. */
  firstBlock: number;
  /** Blocks behind the chain head to stay (default 0). */
  confirmations?: number;
  /** Largest eth_getLogs range (default 2000); halved on errors, doubled again on success. */
  maxBlockRange?: number;
  /** Logs an eth_getLogs answer should hold about (default TARGET_LOGS): the range adapts to the density. */
  targetLogs?: number;
  /** Longest a write batch of the store stays open (default BATCH_MS; 0: a batch per block). */
  writeBatchMs?: number;
  log?(level: "warning" | "info" | "debug", message: string): void;
  /** After each range: the last block committed, the chain head and the target seen in this sync. */
  onRange?(end: number, chainHead: number, target: number): void;
}

/** The node's blocks and logs kept disagreeing (a reorg in progress): worth retrying later. */
export class UnstableChainError extends Error {}

export interface SyncResult {
  chainHead: number;
  /** The highest block that may be indexed (chain head minus confirmations). */
  target: number;
}

const hexNum = (n: number): string => toBeHex(n);
const MAX_REORG_CHECKS = 1000;
/** Blocks with logs fetched ahead of the one being processed, without batches. */
const BLOCKS_AHEAD = 3;
/**
 * Full blocks per JSON-RPC batch, and batches fetched beyond the one being processed: a request per block cost the
 * node (hardhat) its per-request overhead 475 times at 50,000 events, and the indexer as many HTTP round trips.
 */
const BATCH_BLOCKS = 8;
const BATCHES_AHEAD = 1;
/**
 * The next range's logs (and its first blocks) are fetched while a range is processed only when it ends at least
 * this many blocks below the chain head: far from the head, where a backfill spends its time, a reorg that the
 * hash checks could miss in the longer window between a range's logs and its blocks is not to be expected;
 * near it, ranges are fetched when they are needed, as before.
 */
const PREFETCH_DEPTH = 64;
/**
 * About how many logs one eth_getLogs answer should hold (graph-node's target triggers per range): the next range
 * is sized from the density the last answer showed, so that a dense stretch of chain is not fetched, parsed and
 * held as one answer of hundreds of MB (50,000 registry events are ~100 MB of JSON).
 */
const TARGET_LOGS = 5_000;
/** The first range: nothing is known of the chain's density yet; a sparse chain doubles it to the maximum. */
const FIRST_RANGE = 100;
/**
 * Longest a write batch stays open (see `EntityStore.beginBatch`): committing each block on its own wrote the
 * same index pages out again and again (35-40% of indexing time at 100 events a block; at 50,000 events a
 * 1 s batch still spent 106 s where one batch per range spent 76 s). graph-node batches up to 300 s while a
 * subgraph syncs (GRAPH_STORE_WRITE_BATCH_DURATION); other connections (the query worker) see a batch's
 * blocks when it ends. A batch never outlives its eth_getLogs range, so near the chain head, where a range
 * is a block or two, blocks are committed about one by one as before.
 */
const BATCH_MS = 10_000;
export { BATCH_MS as WRITE_BATCH_MS };

/** The store's pointer for a block. */
export function blockPtr(b: RpcBlock): BlockPtr {
  return {
    number: Number(b.number),
    hash: b.hash.toLowerCase(),
    parentHash: b.parentHash.toLowerCase(),
    timestamp: Number(b.timestamp),
  };
}

/** The logs of one block that match `filter`, in log order (for data sources created in that block). */
export async function blockLogs(rpc: RpcFunction, filter: LogFilter | null, blockHash: string): Promise<RpcLog[]> {
  const logs = filter ? ((await rpc("eth_getLogs", [{ ...filter, blockHash }])) as RpcLog[]) : [];
  return logs.sort((a, b) => Number(a.logIndex) - Number(b.logIndex));
}

const sameHash = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** A range's logs by block, its blocks fetched a few ahead of the one being processed. */
interface FetchedRange {
  from: number;
  /** The range end actually covered. */
  to: number;
  /** The blocks with logs, ascending. */
  numbers: number[];
  /** Their logs in log order; each block's are let go once it is processed (a range can be large). */
  logs: Map<number, RpcLog[]>;
  /** The block `numbers[i]`; fetches those after it ahead. */
  block(i: number): Promise<FullBlock | null>;
}

/** What a round of `blocksWithLogs` covered: up to `end`, earlier than the range's end when the filter changed. */
type Round = { end: number; filterChanged: boolean } | "stale";

export class BlockStream {
  private range: number;
  private readonly maxRange: number;
  private readonly confirmations: number;
  /** Blocks covered so far, counting those without logs. */
  blocksProcessed = 0;
  /** When the current write batch began. */
  private batchStarted = 0;
  /** The node answered a batch with one error: blocks are fetched one by one from then on. */
  private batchRefused = false;

  constructor(
    private readonly opts: BlockStreamOptions,
    private readonly consumer: BlockConsumer,
  ) {
    this.maxRange = opts.maxBlockRange ?? 2000;
    this.range = Math.min(this.maxRange, FIRST_RANGE);
    this.confirmations = opts.confirmations ?? 0;
  }

  private get store(): EntityStore {
    return this.opts.store;
  }

  private log(level: "warning" | "info" | "debug", message: string): void {
    this.opts.log?.(level, message);
  }

  private async header(n: number): Promise<RpcBlock | null> {
    return (await this.opts.rpc("eth_getBlockByNumber", [hexNum(n), false])) as RpcBlock | null;
  }

  /** Block `n` with its transactions. */
  private async fullBlock(n: number): Promise<FullBlock | null> {
    return (await this.opts.rpc("eth_getBlockByNumber", [hexNum(n), true])) as FullBlock | null;
  }

  /**
   * Compares the store's head with the chain; on a mismatch walks back to the newest committed block
   * that is still on the chain and reverts the store to it. Returns whether it reverted.
   */
  async checkReorg(): Promise<boolean> {
    const head = this.store.head();
    if (!head) return false;
    const onChain = await this.header(head.number);
    if (onChain && sameHash(onChain.hash, head.hash)) return false;
    if (!onChain && (await this.nodeBehind(head.number))) return false;
    let ancestor = this.opts.firstBlock - 1;
    let checks = 0;
    for (let n = head.number - 1; n >= 0 && checks < MAX_REORG_CHECKS; n--) {
      const ptr = this.store.blockAt(n);
      if (!ptr) continue;
      checks++;
      const b = await this.header(n);
      if (b && sameHash(b.hash, ptr.hash)) {
        ancestor = n;
        break;
      }
    }
    this.log(
      "warning",
      `reorg: block ${head.number} (${head.hash}) is no longer on the chain; reverting to ${ancestor}`,
    );
    this.store.revertTo(ancestor);
    this.store.setFailure(null);
    this.consumer.reverted();
    return true;
  }

  /**
   * Whether a node without our head block is merely behind (restarted, still syncing, a lagging replica) rather
   * than on another branch: the newest block we committed at or below its head is still its block there, or
   * there is no such block to compare yet.
   */
  private async nodeBehind(storeHead: number): Promise<boolean> {
    const nodeHead = Number(await this.opts.rpc("eth_blockNumber", []));
    if (!Number.isInteger(nodeHead) || nodeHead >= storeHead) return false;
    for (let n = nodeHead, checks = 0; n >= 0 && checks < MAX_REORG_CHECKS; n--, checks++) {
      const ptr = this.store.blockAt(n);
      if (!ptr) continue;
      const b = await this.header(n);
      if (!b || !sameHash(b.hash, ptr.hash)) return false;
      break;
    }
    // Same block where we can compare, or nothing to compare yet (a node rebuilt from genesis): wait for it.
    this.log("info", `the node is at block ${nodeHead}, behind the store's head ${storeHead}: waiting for it`);
    return true;
  }

  /**
   * Clears a recorded failure whose block is no longer on the chain (graph-node unfails a subgraph the
   * same way); a failure at a block that is still there will simply happen again.
   */
  private async checkFailure(): Promise<void> {
    const failure = this.store.failure();
    if (!failure) return;
    const onChain = await this.header(failure.block.number);
    if (onChain && sameHash(onChain.hash, failure.block.hash)) return;
    this.log("info", `block ${failure.block.number} of the recorded failure is no longer on the chain; retrying`);
    this.store.setFailure(null);
  }

  /** eth_getLogs with the range halved on errors; returns the logs and the range end actually covered. */
  private async fetchLogs(from: number, to: number): Promise<{ logs: RpcLog[]; to: number }> {
    const filter = this.consumer.logFilter(from, to);
    if (!filter) return { logs: [], to };
    for (;;) {
      try {
        const logs = (await this.opts.rpc("eth_getLogs", [
          { ...filter, fromBlock: hexNum(from), toBlock: hexNum(to) },
        ])) as RpcLog[];
        this.range = this.nextRange(to - from + 1, logs.length);
        return { logs: logs.filter((l) => !l.removed), to };
      } catch (e) {
        if (!(e instanceof RpcError) || to <= from) throw e;
        this.range = Math.max(1, Math.floor((to - from + 1) / 2));
        to = from + this.range - 1;
        this.log("debug", `eth_getLogs failed (${e.message}); retrying with ${this.range} blocks`);
      }
    }
  }

  /** The range after an answer of `logs` logs over `span` blocks: doubled, but no denser than the target. */
  private nextRange(span: number, logs: number): number {
    const target = this.opts.targetLogs ?? TARGET_LOGS;
    const fits = logs > 0 ? Math.floor((span * target) / logs) : Infinity;
    return Math.max(1, Math.min(this.maxRange, this.range * 2, fits));
  }

  /** Hands over every block up to the current target, committed by the consumer. */
  async sync(signal?: AbortSignal): Promise<SyncResult> {
    const chainHead = Number(await this.opts.rpc("eth_blockNumber", []));
    const target = chainHead - this.confirmations;
    await this.checkReorg();
    await this.checkFailure();
    let staleRounds = 0;
    /** The next range, fetched while the current one is processed; dropped whenever the plan changes. */
    let next = null as { from: number; range: Promise<FetchedRange | null> } | null;
    for (;;) {
      if (signal?.aborted) break;
      const head = this.store.head();
      const from = head ? head.number + 1 : this.opts.firstBlock;
      if (from > target) break;
      const range: FetchedRange | null = await (next?.from === from ? next.range : this.fetchRange(from, target));
      next = null;
      if (!range) break;
      if (range.to < target && Math.min(target, range.to + this.range) <= chainHead - PREFETCH_DEPTH) {
        next = { from: range.to + 1, range: this.fetchRange(range.to + 1, target) };
        next.range.catch(() => undefined); // awaited next round, or dropped
      }
      let round: Round;
      this.beginBatch();
      try {
        round = await this.blocksWithLogs(range);
      } finally {
        this.store.endBatch?.(); // the blocks committed so far are whole: keep them, whatever happened
      }
      if (round === "stale") {
        next = null;
        // The node's blocks and logs disagree (a reorg in progress): re-check, and back off if it persists.
        if (++staleRounds > 3) throw new UnstableChainError(`block data around ${from} keeps changing`);
        await this.checkReorg();
        continue;
      }
      if (round.filterChanged) next = null; // new sources change the log filter from the next block on
      staleRounds = 0;
      const end = round.end;
      const last = this.store.head();
      if (!last || last.number < end) {
        const b = await this.header(end);
        if (!b) break; // the chain got shorter under us; start over from its new head next round
        if (last && last.number === end - 1 && !sameHash(b.parentHash, last.hash)) {
          next = null;
          await this.checkReorg();
          continue;
        }
        await this.consumer.processBlock({ block: b, transactions: [], logs: [] });
      }
      this.blocksProcessed += end - from + 1;
      this.opts.onRange?.(end, chainHead, target);
    }
    return { chainHead, target };
  }

  /**
   * The logs of the next range from `from` (up to the current range size, not beyond `target`) by block, the
   * first of its blocks already requested; null when the node lacks the range's end.
   */
  private async fetchRange(from: number, target: number): Promise<FetchedRange | null> {
    const to = Math.min(target, from + this.range - 1);
    // eth_getLogs quietly stops at the node's head: make sure the node still has the whole range (it may
    // have restarted and be rebuilding its chain), or blocks it mines meanwhile would be skipped.
    if (!(await this.header(to))) return null;
    const fetched = await this.fetchLogs(from, to);
    const logs = new Map<number, RpcLog[]>();
    for (const l of fetched.logs) {
      const n = Number(l.blockNumber);
      if (!logs.has(n)) logs.set(n, []);
      logs.get(n)!.push(l);
    }
    for (const list of logs.values()) list.sort((a, b) => Number(a.logIndex) - Number(b.logIndex));
    const numbers = [...logs.keys()].sort((a, b) => a - b);
    const range = { from, to: fetched.to, numbers, logs, block: this.blocksAhead(numbers) };
    if (numbers.length > 0) range.block(0).catch(() => undefined); // awaited when processed, or dropped
    return range;
  }

  /** A fetcher of the blocks `numbers` in order, a few ahead (in batches when there are). */
  private blocksAhead(numbers: number[]): (i: number) => Promise<FullBlock | null> {
    const size = this.opts.rpcBatch && !this.batchRefused ? BATCH_BLOCKS : 1;
    const ahead = size > 1 ? BATCHES_AHEAD : BLOCKS_AHEAD;
    const groups = new Map<number, Promise<(FullBlock | null)[]>>();
    return (i) => {
      const g = Math.floor(i / size);
      groups.delete(g - 1);
      for (let k = g; k <= g + ahead && k * size < numbers.length; k++) {
        if (groups.has(k)) continue;
        const p = this.fullBlocks(numbers.slice(k * size, (k + 1) * size));
        p.catch(() => undefined); // awaited when processed, or dropped when the round ends early
        groups.set(k, p);
      }
      return groups.get(g)!.then((blocks) => blocks[i - g * size]);
    };
  }

  /** Blocks `ns` with their transactions: one batch, or a request each without batches. */
  private async fullBlocks(ns: number[]): Promise<(FullBlock | null)[]> {
    if (ns.length > 1 && this.opts.rpcBatch && !this.batchRefused) {
      try {
        const requests = ns.map((n) => ({ method: "eth_getBlockByNumber", params: [hexNum(n), true] }));
        return (await this.opts.rpcBatch(requests)) as (FullBlock | null)[];
      } catch (e) {
        if (!(e instanceof RpcBatchRefusedError)) throw e;
        this.batchRefused = true;
        this.log("warning", `the node takes no JSON-RPC batches (${e.message}); fetching blocks one by one`);
      }
    }
    return Promise.all(ns.map((n) => this.fullBlock(n)));
  }

  private beginBatch(): void {
    this.store.beginBatch?.();
    this.batchStarted = performance.now();
  }

  /**
   * Hands over the range's blocks that have logs, in order, the next ones fetched while one is processed (a block
   * that changed meanwhile is caught by the same hash checks as ever: its logs' block hash, its parent hash).
   */
  private async blocksWithLogs(range: FetchedRange): Promise<Round> {
    for (let i = 0; i < range.numbers.length; i++) {
      const n = range.numbers[i];
      const block = await range.block(i);
      const logs = range.logs.get(n)!;
      range.logs.delete(n);
      if (this.isStale(n, logs, block)) return "stale";
      if (i > 0 && performance.now() - this.batchStarted >= (this.opts.writeBatchMs ?? BATCH_MS)) {
        this.store.endBatch?.();
        this.beginBatch();
      }
      const filterChanged = await this.consumer.processBlock({
        block: block!,
        transactions: block!.transactions,
        logs,
      });
      if (filterChanged) return { end: n, filterChanged };
    }
    return { end: range.to, filterChanged: false };
  }

  /** Whether block `n` changed under us (a reorg): its logs are from another block, or its parent isn't our head. */
  private isStale(n: number, logs: RpcLog[], block: FullBlock | null): boolean {
    if (!block || logs.some((l) => !sameHash(l.blockHash, block.hash))) return true;
    const prev = this.store.head();
    return !!prev && prev.number === n - 1 && !sameHash(prev.hash, block.parentHash);
  }
}
