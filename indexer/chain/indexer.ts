/**
 * Ingestion from a JSON-RPC node: eth_getLogs over adaptive block ranges filtered by the data sources'
 * addresses and topic0s, triggers in (block, log index) order, templates instantiated at the end of the
 * creating block and run over that block again (graph-node's `process_dynamic_data_sources`), reorg
 * detection by block hash with rollback through the store, resume from the store's head.
 */
import { AbiCoder, getAddress, getBytes, toBeHex, type ParamType } from "ethers";
import type { DataSourceSpec, EventHandlerSpec, Manifest, MappingSpec } from "../manifest";
import type { BlockPtr, BlockWriter, EntityData, EntityStore, StoredDataSource, SubgraphFailure } from "../store/types";
import { DeterministicError, NonDeterministicError } from "../wasm/errors";
import type { EventParam, RpcBlock, RpcLog, RpcReceipt, RpcTransaction } from "../wasm/ethereum";
import { fromEthers, isDynamicIndexed } from "../wasm/ethvalue";
import { CreatedDataSource, DataSourceInfo, LogLevel, RpcFunction, runEventHandler } from "../wasm/host";
import { RpcError, RpcTransportError, sleep } from "./rpc";

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
  /** Blocks behind the chain head to stay (default 0). */
  confirmations?: number;
  /** Largest eth_getLogs range (default 2000); halved on errors, doubled again on success. */
  maxBlockRange?: number;
  /** Wait between polls once caught up (default 1000 ms). */
  pollIntervalMs?: number;
  /** Backoff for non-deterministic handler failures (default 500 ms doubling to 30 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  log?(level: LogLevel, message: string): void;
  onProgress?(p: Progress): void;
}

/** Indexing stopped on a deterministic handler failure (graph-node: the subgraph failed). */
export class SubgraphFailedError extends Error {
  constructor(readonly failure: SubgraphFailure) {
    super(failure.message);
  }
}

interface ActiveSource {
  spec: MappingSpec;
  address: string | null;
  startBlock: number;
  endBlock: number | null;
  info: DataSourceInfo;
}

const coder = AbiCoder.defaultAbiCoder();
const hexNum = (n: number): string => toBeHex(n);
const MAX_REORG_CHECKS = 1000;
/** Blocks with triggers fetched ahead of the one being processed. */
const BLOCKS_AHEAD = 3;

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
/** Hex as bytes for the ABI decoder (ethers' own hex parsing is slow); ethers judges anything malformed. */
const abiBytes = (hex: string): Uint8Array | string => (HEX.test(hex) ? Buffer.from(hex.slice(2), "hex") : hex);

/** The inputs of each handler's event split by where they live in a log. */
const splitInputs = new WeakMap<EventHandlerSpec, { indexed: number; plain: ParamType[] }>();

/** Decodes a log for a handler's ABI event; null when it doesn't fit (graph-node skips the handler). */
export function decodeEventParams(handler: EventHandlerSpec, log: RpcLog): EventParam[] | null {
  const inputs = handler.fragment.inputs;
  let split = splitInputs.get(handler);
  if (!split) {
    split = { indexed: inputs.filter((p) => p.indexed).length, plain: inputs.filter((p) => !p.indexed) };
    splitInputs.set(handler, split);
  }
  if (log.topics.length !== split.indexed + 1) return null;
  try {
    const decoded = coder.decode(split.plain, abiBytes(log.data));
    let t = 1;
    let d = 0;
    return inputs.map((p) => {
      if (p.indexed) {
        const topic = log.topics[t++];
        if (isDynamicIndexed(p)) return { name: p.name, value: { kind: "fixedBytes", value: getBytes(topic) } };
        return { name: p.name, value: fromEthers(p, coder.decode([p], abiBytes(topic))[0]) };
      }
      return { name: p.name, value: fromEthers(p, decoded[d++]) };
    });
  } catch {
    return null;
  }
}

function normalizeAddress(param: string): string {
  const hex = param.startsWith("0x") ? param : `0x${param}`;
  return getAddress(hex).toLowerCase();
}

export class ChainIndexer {
  private sources: ActiveSource[] = [];
  private range: number;
  private readonly maxRange: number;
  private readonly confirmations: number;
  private readonly templateNames: Set<string>;
  private readonly nonFatal: boolean;
  private blocksProcessed = 0;
  private eventsProcessed = 0;
  private readonly started = Date.now();

  constructor(private readonly opts: IndexerOptions) {
    this.maxRange = opts.maxBlockRange ?? 2000;
    this.range = this.maxRange;
    this.confirmations = opts.confirmations ?? 0;
    this.templateNames = new Set(opts.manifest.templates.map((t) => t.name));
    this.nonFatal = opts.manifest.features.includes("nonFatalErrors");
    this.loadSources();
  }

  /** Static data sources in manifest order, then the stored dynamic ones in creation order. */
  private loadSources(): void {
    this.sources = this.opts.manifest.dataSources.map((ds) => this.activeFromSpec(ds));
    for (const d of this.opts.store.dataSources()) this.sources.push(this.activeFromTemplate(d));
  }

  private activeFromSpec(ds: DataSourceSpec): ActiveSource {
    return {
      spec: ds,
      address: ds.address,
      startBlock: ds.startBlock,
      endBlock: ds.endBlock,
      info: this.info(ds, ds.address, ds.context),
    };
  }

  private activeFromTemplate(d: StoredDataSource): ActiveSource {
    const spec = this.opts.manifest.templates.find((t) => t.name === d.template);
    if (!spec) throw new DeterministicError(`no template named \`${d.template}\``);
    const address = normalizeAddress(d.params[0] ?? "");
    return { spec, address, startBlock: d.createdAt, endBlock: null, info: this.info(spec, address, d.context) };
  }

  private info(spec: MappingSpec, address: string | null, context: EntityData | null): DataSourceInfo {
    return {
      name: spec.name,
      address: address ? getBytes(address) : null,
      network: spec.network,
      context,
      abis: spec.abis,
      templates: this.templateNames,
    };
  }

  private log(level: LogLevel, message: string): void {
    this.opts.log?.(level, message);
  }

  private firstBlock(): number {
    const starts = this.opts.manifest.dataSources.map((d) => d.startBlock);
    return starts.length ? Math.min(...starts) : 0;
  }

  private async header(n: number): Promise<RpcBlock | null> {
    return (await this.opts.rpc("eth_getBlockByNumber", [hexNum(n), false])) as RpcBlock | null;
  }

  /**
   * Compares the store's head with the chain; on a mismatch walks back to the newest committed block
   * that is still on the chain and reverts the store to it. Returns whether it reverted.
   */
  async checkReorg(): Promise<boolean> {
    const head = this.opts.store.head();
    if (!head) return false;
    const onChain = await this.header(head.number);
    if (onChain && onChain.hash.toLowerCase() === head.hash.toLowerCase()) return false;
    if (!onChain && (await this.nodeBehind(head.number))) return false;
    let ancestor = this.firstBlock() - 1;
    let checks = 0;
    for (let n = head.number - 1; n >= 0 && checks < MAX_REORG_CHECKS; n--) {
      const ptr = this.opts.store.blockAt(n);
      if (!ptr) continue;
      checks++;
      const b = await this.header(n);
      if (b && b.hash.toLowerCase() === ptr.hash.toLowerCase()) {
        ancestor = n;
        break;
      }
    }
    this.log(
      "warning",
      `reorg: block ${head.number} (${head.hash}) is no longer on the chain; reverting to ${ancestor}`,
    );
    this.opts.store.revertTo(ancestor);
    this.opts.store.setFailure(null);
    this.loadSources();
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
      const ptr = this.opts.store.blockAt(n);
      if (!ptr) continue;
      const b = await this.header(n);
      if (!b || b.hash.toLowerCase() !== ptr.hash.toLowerCase()) return false;
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
    const failure = this.opts.store.failure();
    if (!failure) return;
    const onChain = await this.header(failure.block.number);
    if (onChain && onChain.hash.toLowerCase() === failure.block.hash.toLowerCase()) return;
    this.log("info", `block ${failure.block.number} of the recorded failure is no longer on the chain; retrying`);
    this.opts.store.setFailure(null);
  }

  /** Sources that may have triggers in [from, to]. */
  private sourcesFor(from: number, to: number, among = this.sources): ActiveSource[] {
    return among.filter((s) => s.startBlock <= to && (s.endBlock === null || s.endBlock >= from));
  }

  private logFilter(sources: ActiveSource[]): { address?: string[]; topics: string[][] } | null {
    if (sources.length === 0) return null;
    const topics = [...new Set(sources.flatMap((s) => s.spec.handlers.map((h) => h.topic0)))];
    if (topics.length === 0) return null;
    const filter: { address?: string[]; topics: string[][] } = { topics: [topics] };
    if (sources.every((s) => s.address)) filter.address = [...new Set(sources.map((s) => s.address!))];
    return filter;
  }

  /** eth_getLogs with the range halved on errors; returns the logs and the range end actually covered. */
  private async fetchLogs(from: number, to: number, sources: ActiveSource[]): Promise<{ logs: RpcLog[]; to: number }> {
    const filter = this.logFilter(this.sourcesFor(from, to, sources));
    if (!filter) return { logs: [], to };
    for (;;) {
      try {
        const logs = (await this.opts.rpc("eth_getLogs", [
          { ...filter, fromBlock: hexNum(from), toBlock: hexNum(to) },
        ])) as RpcLog[];
        if (logs.length < 1000) this.range = Math.min(this.maxRange, this.range * 2);
        return { logs: logs.filter((l) => !l.removed), to };
      } catch (e) {
        if (!(e instanceof RpcError) || to <= from) throw e;
        this.range = Math.max(1, Math.floor((to - from + 1) / 2));
        to = from + this.range - 1;
        this.log("debug", `eth_getLogs failed (${e.message}); retrying with ${this.range} blocks`);
      }
    }
  }

  /** Indexes up to the current target; returns the chain head seen. Throws SubgraphFailedError. */
  async syncOnce(signal?: AbortSignal): Promise<Progress> {
    const initialDelay = this.opts.retryDelayMs ?? 500;
    let delay = initialDelay;
    for (;;) {
      const before = this.opts.store.head()?.number;
      try {
        return await this.syncAttempt(signal);
      } catch (e) {
        // RPC error answers outside handlers (e.g. a node still syncing) are worth retrying too.
        if (!(e instanceof NonDeterministicError || e instanceof RpcError || e instanceof RpcTransportError)) throw e;
        // Sporadic errors between stretches of progress should not add up to a long backoff.
        if (this.opts.store.head()?.number !== before) delay = initialDelay;
        this.log("error", `${e.message}; retrying in ${delay} ms`);
        await sleep(delay, signal);
        delay = Math.min(this.opts.maxRetryDelayMs ?? 30_000, delay * 2);
      }
    }
  }

  private async syncAttempt(signal?: AbortSignal): Promise<Progress> {
    const chainHead = Number(await this.opts.rpc("eth_blockNumber", []));
    const target = chainHead - this.confirmations;
    await this.checkReorg();
    await this.checkFailure();
    let staleRounds = 0;
    for (;;) {
      if (signal?.aborted) break;
      const head = this.opts.store.head();
      const from = head ? head.number + 1 : this.firstBlock();
      if (from > target) break;
      const to = Math.min(target, from + this.range - 1);
      // eth_getLogs quietly stops at the node's head: make sure the node still has the whole range (it may
      // have restarted and be rebuilding its chain), or blocks it mines meanwhile would be skipped.
      if (!(await this.header(to))) break;
      const fetched = await this.fetchLogs(from, to, this.sources);
      const byBlock = new Map<number, RpcLog[]>();
      for (const l of fetched.logs) {
        const n = Number(l.blockNumber);
        if (!byBlock.has(n)) byBlock.set(n, []);
        byBlock.get(n)!.push(l);
      }
      let end = fetched.to;
      let stale = false;
      const numbers = [...byBlock.keys()].sort((a, b) => a - b);
      // The next blocks are fetched while this one is processed; a block that changed meanwhile is caught by
      // the same hash checks as ever (its logs' block hash, its parent hash).
      const ahead = new Map<number, Promise<FullBlock | null>>();
      for (let i = 0; i < numbers.length; i++) {
        for (let j = i; j < Math.min(numbers.length, i + 1 + BLOCKS_AHEAD); j++) {
          if (ahead.has(numbers[j])) continue;
          const p = this.fullBlock(numbers[j]);
          p.catch(() => undefined); // awaited below, or dropped when the round ends early
          ahead.set(numbers[j], p);
        }
        const n = numbers[i];
        const block = await ahead.get(n)!;
        ahead.delete(n);
        const logs = byBlock.get(n)!.sort((a, b) => Number(a.logIndex) - Number(b.logIndex));
        const r = await this.processBlock(n, logs, block);
        if (r === "stale") {
          stale = true;
          break;
        }
        if (r === "created") {
          end = n; // new sources change the log filter from the next block on
          break;
        }
      }
      if (stale) {
        // The node's blocks and logs disagree (a reorg in progress): re-check, and back off if it persists.
        if (++staleRounds > 3) throw new NonDeterministicError(`block data around ${from} keeps changing`);
        await this.checkReorg();
        continue;
      }
      staleRounds = 0;
      const last = this.opts.store.head();
      if (!last || last.number < end) {
        const b = await this.header(end);
        if (!b) break; // the chain got shorter under us; start over from its new head next round
        if (last && last.number === end - 1 && b.parentHash.toLowerCase() !== last.hash.toLowerCase()) {
          await this.checkReorg();
          continue;
        }
        this.opts.store.beginBlock(this.ptr(b)).commit();
      }
      this.blocksProcessed += end - from + 1;
      this.opts.onProgress?.(this.progress(end, chainHead, target));
    }
    return this.progress(this.opts.store.head()?.number ?? -1, chainHead, target);
  }

  private progress(head: number, chainHead: number, target: number): Progress {
    return {
      head,
      chainHead,
      target,
      blocksProcessed: this.blocksProcessed,
      eventsProcessed: this.eventsProcessed,
      elapsedMs: Date.now() - this.started,
    };
  }

  private ptr(b: RpcBlock): BlockPtr {
    return {
      number: Number(b.number),
      hash: b.hash.toLowerCase(),
      parentHash: b.parentHash.toLowerCase(),
      timestamp: Number(b.timestamp),
    };
  }

  /** Block `n` with its transactions. */
  private async fullBlock(n: number): Promise<FullBlock | null> {
    return (await this.opts.rpc("eth_getBlockByNumber", [hexNum(n), true])) as FullBlock | null;
  }

  /** Runs every trigger of block `n` (fetched as `block`); "stale" when the block changed under us (reorg). */
  private async processBlock(n: number, logs: RpcLog[], block: FullBlock | null): Promise<"ok" | "created" | "stale"> {
    if (!block || logs.some((l) => l.blockHash.toLowerCase() !== block.hash.toLowerCase())) return "stale";
    const prev = this.opts.store.head();
    if (prev && prev.number === n - 1 && prev.hash.toLowerCase() !== block.parentHash.toLowerCase()) return "stale";

    const writer = this.opts.store.beginBlock(this.ptr(block));
    const ctx: BlockContext = {
      block,
      txs: new Map(block.transactions.map((t) => [t.hash.toLowerCase(), t])),
      receipts: new Map(),
      rpcCache: new Map(),
      writer,
    };
    const before = this.sources.length;
    try {
      let created = await this.runTriggers(ctx, logs, this.sources);
      // graph-node: new sources start at this block and see all of its triggers, breadth-first.
      while (created.length > 0) {
        const fresh = created.map((c) => {
          const stored: StoredDataSource = { ...c, createdAt: n };
          writer.addDataSource(stored);
          return this.activeFromTemplate(stored);
        });
        this.sources.push(...fresh);
        const filter = this.logFilter(fresh);
        const more = filter
          ? ((await this.opts.rpc("eth_getLogs", [{ ...filter, blockHash: block.hash }])) as RpcLog[])
          : [];
        more.sort((a, b) => Number(a.logIndex) - Number(b.logIndex));
        created = await this.runTriggers(ctx, more, fresh);
      }
      writer.commit();
    } catch (e) {
      writer.discard();
      this.sources.splice(before);
      throw e;
    }
    return this.sources.length > before ? "created" : "ok";
  }

  private async runTriggers(ctx: BlockContext, logs: RpcLog[], sources: ActiveSource[]): Promise<CreatedDataSource[]> {
    const created: CreatedDataSource[] = [];
    const n = Number(ctx.block.number);
    for (const log of logs) {
      const address = log.address.toLowerCase();
      for (const s of sources) {
        if (s.address && s.address !== address) continue;
        if (n < s.startBlock || (s.endBlock !== null && n > s.endBlock)) continue;
        const handler = s.spec.handlers.find(
          (h) =>
            h.topic0 === log.topics[0]?.toLowerCase() &&
            h.topicFilters.every((f, i) => !f || f.includes((log.topics[i + 1] ?? "").toLowerCase())),
        );
        if (!handler) continue;
        const params = decodeEventParams(handler, log);
        if (!params) continue;
        const tx = ctx.txs.get(log.transactionHash.toLowerCase());
        if (!tx) throw new NonDeterministicError(`transaction ${log.transactionHash} missing from block ${n}`);
        const receipt = handler.receipt ? await this.receipt(ctx, tx.hash) : null;
        const where = `data_source: ${s.spec.name}, handler: ${handler.handler}, block: ${n}`;
        try {
          const result = await runEventHandler(
            s.spec.module,
            handler.handler,
            { block: ctx.block, transaction: tx, log, receipt, params },
            s.info,
            {
              store: ctx.writer,
              schema: this.opts.manifest.schema,
              blockNumber: n,
              rpc: this.opts.rpc,
              rpcCache: ctx.rpcCache,
            },
          );
          for (const l of result.logs) this.log(l.level, `${l.message} (${where})`);
          result.layer.applyTo(ctx.writer);
          created.push(...result.created);
          this.eventsProcessed++;
        } catch (e) {
          if (e instanceof NonDeterministicError || e instanceof RpcTransportError) {
            throw new NonDeterministicError(`block ${n}: ${(e as Error).message}`);
          }
          const message = `transaction ${tx.hash}: ${(e as Error).message}`.replace(/\n/g, "\t");
          const failure: SubgraphFailure = { message, handler: handler.handler, block: this.ptr(ctx.block) };
          if (this.nonFatal) {
            // graph-node `nonFatalErrors`: drop this handler's changes, keep the rest of the block
            this.log("error", `handler failed (non-fatal): ${message} (${where})`);
            ctx.writer.addNonFatalError(failure);
            continue;
          }
          this.log("critical", `subgraph failed: ${message} (${where})`);
          this.opts.store.setFailure(failure);
          throw new SubgraphFailedError(failure);
        }
      }
    }
    return created;
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
}

type FullBlock = RpcBlock & { transactions: RpcTransaction[] };

interface BlockContext {
  block: FullBlock;
  txs: Map<string, RpcTransaction>;
  receipts: Map<string, RpcReceipt>;
  rpcCache: Map<string, unknown>;
  writer: BlockWriter;
}
