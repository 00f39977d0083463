/**
 * Indexes a subgraph from a JSON-RPC node: the block stream (../chain/block-stream.ts, ingestion) feeding the
 * subgraph runner (./runner.ts, mappings on the WASM host), with backoff for failures that may go away
 * (a node error, a handler's RPC request, a reorg in progress) and progress reports.
 */
import { BlockStream, UnstableChainError } from "../chain/block-stream";
import { RpcError, RpcTransportError, sleep } from "../chain/rpc";
import type { RpcBatchFunction, RpcFunction } from "../chain/types";
import type { Manifest } from "../manifest";
import type { EntityStore } from "../store/types";
import { NonDeterministicError } from "../wasm/errors";
import type { LogLevel } from "../wasm/host";
import { SubgraphRunner } from "./runner";

export { SubgraphFailedError } from "./runner";

export interface Progress {
  /** The last block committed. */
  head: number;
  chainHead: number;
  /** The highest block that may be indexed (chain head minus confirmations). */
  target: number;
  blocksProcessed: number;
  eventsProcessed: number;
  elapsedMs: number;
}

export interface IndexerOptions {
  manifest: Manifest;
  store: EntityStore;
  /** Should already retry transport failures (see `withRetry`). */
  rpc: RpcFunction;
  /** JSON-RPC batches for the blocks a range needs (see BlockStreamOptions.rpcBatch); should retry too. */
  rpcBatch?: RpcBatchFunction;
  /** Blocks behind the chain head to stay (default 0). */
  confirmations?: number;
  /** Largest eth_getLogs range (default 2000); halved on errors, doubled again on success. */
  maxBlockRange?: number;
  /** Longest the store's write batch stays open while catching up (see BlockStream; default 10 s). */
  writeBatchMs?: number;
  /**
   * Blocks still to index beyond which the store leaves its query-only indexes out until it has caught up,
   * then builds them at once (EntityStore.deferQueryIndexes; default 10,000, a day and a half of Ethereum).
   */
  backfillBlocks?: number;
  /** Wait between polls once caught up (default 1000 ms). */
  pollIntervalMs?: number;
  /** Backoff for non-deterministic handler failures (default 500 ms doubling to 30 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  log?(level: LogLevel, message: string): void;
  onProgress?(p: Progress): void;
}

/** See IndexerOptions.backfillBlocks. */
const BACKFILL_BLOCKS = 10_000;

/** Failures worth retrying: RPC error answers outside handlers (e.g. a node still syncing) included. */
const retryable = (e: unknown): e is Error =>
  e instanceof NonDeterministicError ||
  e instanceof RpcError ||
  e instanceof RpcTransportError ||
  e instanceof UnstableChainError;

export class ChainIndexer {
  private readonly runner: SubgraphRunner;
  private readonly stream: BlockStream;
  private readonly started = Date.now();

  constructor(private readonly opts: IndexerOptions) {
    this.runner = new SubgraphRunner({ manifest: opts.manifest, store: opts.store, rpc: opts.rpc, log: opts.log });
    this.stream = new BlockStream(
      {
        store: opts.store,
        rpc: opts.rpc,
        rpcBatch: opts.rpcBatch,
        firstBlock: this.runner.firstBlock(),
        confirmations: opts.confirmations,
        maxBlockRange: opts.maxBlockRange,
        writeBatchMs: opts.writeBatchMs,
        log: opts.log,
        onRange: (end, chainHead, target) => {
          if (target - end > (opts.backfillBlocks ?? BACKFILL_BLOCKS)) opts.store.deferQueryIndexes?.();
          opts.onProgress?.(this.progress(end, chainHead, target));
        },
      },
      this.runner,
    );
  }

  /** Reverts the store to the newest block still on the chain, if its head left it; returns whether it did. */
  checkReorg(): Promise<boolean> {
    return this.stream.checkReorg();
  }

  /** Indexes up to the current target; returns the chain head seen. Throws SubgraphFailedError. */
  async syncOnce(signal?: AbortSignal): Promise<Progress> {
    const initialDelay = this.opts.retryDelayMs ?? 500;
    let delay = initialDelay;
    for (;;) {
      const before = this.opts.store.head()?.number;
      try {
        const { chainHead, target } = await this.stream.sync(signal);
        this.buildQueryIndexes();
        return this.progress(this.opts.store.head()?.number ?? -1, chainHead, target);
      } catch (e) {
        if (!retryable(e)) throw e;
        // Sporadic errors between stretches of progress should not add up to a long backoff.
        if (this.opts.store.head()?.number !== before) delay = initialDelay;
        this.opts.log?.("error", `${e.message}; retrying in ${delay} ms`);
        await sleep(delay, signal);
        delay = Math.min(this.opts.maxRetryDelayMs ?? 30_000, delay * 2);
      }
    }
  }

  /** Polls forever (until aborted or a deterministic failure). */
  async run(signal?: AbortSignal): Promise<void> {
    while (!signal?.aborted) {
      await this.syncOnce(signal);
      try {
        await sleep(this.opts.pollIntervalMs ?? 1000, signal);
      } catch {
        break;
      }
    }
  }

  /** Caught up: builds the indexes left out while catching up, if they were. */
  private buildQueryIndexes(): void {
    const started = Date.now();
    if (this.opts.store.buildQueryIndexes?.()) {
      this.opts.log?.("info", `caught up; built the query indexes left out meanwhile in ${Date.now() - started} ms`);
    }
  }

  private progress(head: number, chainHead: number, target: number): Progress {
    return {
      head,
      chainHead,
      target,
      blocksProcessed: this.stream.blocksProcessed,
      eventsProcessed: this.runner.eventsProcessed,
      elapsedMs: Date.now() - this.started,
    };
  }
}
