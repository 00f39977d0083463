/**
 * The subgraph runner (graph-node's `SubgraphRunner`): takes the blocks the block stream hands over
 * (../chain/block-stream.ts), runs each log's handler on the WASM host in (block, log index, data source)
 * order, instantiates templates at the end of the creating block and runs them over that block again
 * (graph-node's `process_dynamic_data_sources`), and turns handler failures into a failed subgraph, a
 * retried block (non-deterministic) or, with `nonFatalErrors`, a recorded error.
 */
import { blockLogs, blockPtr, type BlockConsumer, type BlockWithLogs } from "../chain/block-stream";
import { RpcTransportError } from "../chain/rpc";
import type { LogFilter, RpcBlock, RpcFunction, RpcLog, RpcReceipt, RpcTransaction } from "../chain/types";
import type { Manifest } from "../manifest";
import type { BlockWriter, EntityStore, StoredDataSource, SubgraphFailure } from "../store/types";
import { NonDeterministicError } from "../wasm/errors";
import { runEventHandler, type CreatedDataSource, type LogLevel } from "../wasm/host";
import { decodeEventParams } from "./event-params";
import { SourceFactory, handlerFor, logFilterOf, sourcesFor, type ActiveSource } from "./sources";

/** Indexing stopped on a deterministic handler failure (graph-node: the subgraph failed). */
export class SubgraphFailedError extends Error {
  constructor(readonly failure: SubgraphFailure) {
    super(failure.message);
  }
}

export interface RunnerOptions {
  manifest: Manifest;
  store: EntityStore;
  /** For receipts, the logs of new data sources, and the handlers' `ethereum.call`. */
  rpc: RpcFunction;
  log?(level: LogLevel, message: string): void;
}

/** What the handlers of one block share. */
interface BlockContext {
  block: RpcBlock;
  n: number;
  txs: Map<string, RpcTransaction>;
  receipts: Map<string, RpcReceipt>;
  rpcCache: Map<string, unknown>;
  writer: BlockWriter;
}

export class SubgraphRunner implements BlockConsumer {
  private readonly factory: SourceFactory;
  private sources: ActiveSource[] = [];
  private readonly nonFatal: boolean;
  /** Handlers run to completion so far. */
  eventsProcessed = 0;

  constructor(private readonly opts: RunnerOptions) {
    this.factory = new SourceFactory(opts.manifest);
    this.nonFatal = opts.manifest.features.includes("nonFatalErrors");
    this.reverted();
  }

  /** Where indexing starts in an empty store. */
  firstBlock(): number {
    return this.factory.firstBlock();
  }

  logFilter(from: number, to: number): LogFilter | null {
    return logFilterOf(sourcesFor(this.sources, from, to));
  }

  /** Reloads the data sources from the store (after a revert, the later dynamic ones are gone). */
  reverted(): void {
    this.sources = this.factory.all(this.opts.store.dataSources());
  }

  private log(level: LogLevel, message: string): void {
    this.opts.log?.(level, message);
  }

  /**
   * The one place a block reaches the store: its handlers' entity changes, its new data sources and its
   * non-fatal errors are committed with its pointer in one transaction, or not at all. Returns whether data
   * sources were created (the log filter changes from the next block on).
   */
  async processBlock({ block, transactions, logs }: BlockWithLogs): Promise<boolean> {
    const writer = this.opts.store.beginBlock(blockPtr(block));
    const before = this.sources.length;
    try {
      await this.runBlock(block, transactions, logs, writer);
      writer.commit();
    } catch (e) {
      writer.discard();
      this.sources.splice(before);
      throw e;
    }
    return this.sources.length > before;
  }

  /** Runs every trigger of the block into `writer`, then those of data sources it created, breadth-first. */
  private async runBlock(
    block: RpcBlock,
    transactions: RpcTransaction[],
    logs: RpcLog[],
    writer: BlockWriter,
  ): Promise<void> {
    if (logs.length === 0) return;
    const n = Number(block.number);
    const ctx: BlockContext = {
      block,
      n,
      txs: new Map(transactions.map((t) => [t.hash.toLowerCase(), t])),
      receipts: new Map(),
      rpcCache: new Map(),
      writer,
    };
    let created = await this.runTriggers(ctx, logs, this.sources);
    // graph-node: new sources start at this block and see all of its triggers, breadth-first.
    while (created.length > 0) {
      const fresh = created.map((c) => {
        const stored: StoredDataSource = { ...c, createdAt: n };
        writer.addDataSource(stored);
        return this.factory.fromTemplate(stored);
      });
      this.sources.push(...fresh);
      const more = await blockLogs(this.opts.rpc, logFilterOf(fresh), block.hash);
      created = await this.runTriggers(ctx, more, fresh);
    }
  }

  private async runTriggers(ctx: BlockContext, logs: RpcLog[], sources: ActiveSource[]): Promise<CreatedDataSource[]> {
    const created: CreatedDataSource[] = [];
    for (const log of logs) {
      const address = log.address.toLowerCase();
      for (const s of sources) {
        const handler = handlerFor(s, log, address, ctx.n);
        if (!handler) continue;
        const params = decodeEventParams(handler, log);
        if (!params) continue;
        const tx = ctx.txs.get(log.transactionHash.toLowerCase());
        if (!tx) throw new NonDeterministicError(`transaction ${log.transactionHash} missing from block ${ctx.n}`);
        const receipt = handler.receipt ? await this.receipt(ctx, tx.hash) : null;
        const where = `data_source: ${s.spec.name}, handler: ${handler.handler}, block: ${ctx.n}`;
        try {
          const result = await runEventHandler(
            s.spec.module,
            handler.handler,
            { block: ctx.block, transaction: tx, log, receipt, params },
            s.info,
            {
              store: ctx.writer,
              schema: this.opts.manifest.schema,
              blockNumber: ctx.n,
              rpc: this.opts.rpc,
              rpcCache: ctx.rpcCache,
            },
          );
          for (const l of result.logs) this.log(l.level, `${l.message} (${where})`);
          result.layer.applyTo(ctx.writer);
          created.push(...result.created);
          this.eventsProcessed++;
        } catch (e) {
          this.handlerFailed(ctx, e, tx.hash, handler.handler, where);
        }
      }
    }
    return created;
  }

  /**
   * A handler failed: a non-deterministic failure retries the block; a deterministic one fails the subgraph,
   * or with `nonFatalErrors` drops this handler's changes and keeps the rest of the block.
   */
  private handlerFailed(ctx: BlockContext, e: unknown, txHash: string, handler: string, where: string): void {
    if (e instanceof NonDeterministicError || e instanceof RpcTransportError) {
      throw new NonDeterministicError(`block ${ctx.n}: ${(e as Error).message}`);
    }
    const message = `transaction ${txHash}: ${(e as Error).message}`.replace(/\n/g, "\t");
    const failure: SubgraphFailure = { message, handler, block: blockPtr(ctx.block) };
    if (this.nonFatal) {
      this.log("error", `handler failed (non-fatal): ${message} (${where})`);
      ctx.writer.addNonFatalError(failure);
      return;
    }
    this.log("critical", `subgraph failed: ${message} (${where})`);
    this.opts.store.setFailure(failure);
    throw new SubgraphFailedError(failure);
  }

  private async receipt(ctx: BlockContext, hash: string): Promise<RpcReceipt> {
    let r = ctx.receipts.get(hash);
    if (!r) {
      r = (await this.opts.rpc("eth_getTransactionReceipt", [hash])) as RpcReceipt;
      if (!r) throw new NonDeterministicError(`no receipt for transaction ${hash}`);
      ctx.receipts.set(hash, r);
    }
    return r;
  }
}
