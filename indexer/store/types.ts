/**
 * The contract between the WASM host (indexer/wasm, indexer/chain) and the entity store (indexer/store,
 * served by indexer/graphql). Values mirror graph-node's StoreValue kinds so that nothing is lost between
 * a mapping's `store.set` and a GraphQL answer.
 */

/** A decimal as graph-node keeps it: digits (as a bigint) times 10^exp, at most 34 significant digits. */
export interface BigDecimalValue {
  digits: bigint;
  exp: number;
}

export type StoreValue =
  | { kind: "String"; value: string }
  | { kind: "Int"; value: number }
  | { kind: "Int8"; value: bigint }
  | { kind: "Timestamp"; value: bigint } // microseconds since the epoch, as graph-node
  | { kind: "BigDecimal"; value: BigDecimalValue }
  | { kind: "Bool"; value: boolean }
  | { kind: "Array"; value: StoreValue[] }
  | { kind: "Null" }
  | { kind: "Bytes"; value: Uint8Array }
  | { kind: "BigInt"; value: bigint };

/** An entity's fields by name (the `id` field included). Field order is irrelevant. */
export type EntityData = Map<string, StoreValue>;

/** A block the store has processed. `hash` and `parentHash` are 0x-prefixed lowercase hex. */
export interface BlockPtr {
  number: number;
  hash: string;
  parentHash?: string;
  timestamp?: number;
}

/** Thrown when an entity breaks the schema; the message names the entity type, id and field. */
export class EntityValidationError extends Error {}

/**
 * The changes of one block. Reads see the committed store at the block's parent plus this block's own
 * writes so far. Nothing is visible to queries until `commit`, which stores the changes and the block
 * pointer atomically.
 */
export interface BlockWriter {
  readonly block: BlockPtr;
  /** Latest version of the entity as seen by this block (its own writes included), or null. */
  get(entityType: string, id: string): EntityData | null;
  /** Only entities written or updated in this block (graph-node's `get_in_block`). */
  getInBlock(entityType: string, id: string): EntityData | null;
  /** Entities of `field`'s type whose field points back at `id` (graph-ts `loadRelated`, for @derivedFrom). */
  loadRelated(entityType: string, id: string, field: string): EntityData[];
  /** Validates against the schema and stages a new version (merging with the existing one, as graph-node). */
  set(entityType: string, id: string, data: EntityData): void;
  remove(entityType: string, id: string): void;
  /** Stores every staged change and the block pointer in one transaction. */
  commit(): void;
  /** Drops every staged change (a failed handler or an aborted block). */
  discard(): void;
  /**
   * Records a data source created from a template in this block, committed with the block and removed by
   * a `revertTo` below its block (graph-node keeps these in the subgraph's store too), so that dynamic data
   * sources survive a restart.
   */
  addDataSource(ds: StoredDataSource): void;
  /**
   * Records a handler failure that did not stop indexing (manifest feature `nonFatalErrors`): the block
   * commits without that handler's changes. Committed and reverted with the block; `_meta.hasIndexingErrors`.
   */
  addNonFatalError(failure: SubgraphFailure): void;
}

/** A data source a handler created from a template (`dataSource.create`). */
export interface StoredDataSource {
  template: string;
  /** For Ethereum templates, params[0] is the contract address. */
  params: string[];
  context: EntityData | null;
  /** The block whose handler created it; it indexes from this block on. */
  createdAt: number;
}

/** A deterministic handler failure, as graph-node's SubgraphError. */
export interface SubgraphFailure {
  message: string;
  handler: string | null;
  block: BlockPtr;
}

export interface EntityStore {
  /** The last committed block, or null for an empty store. */
  head(): BlockPtr | null;
  /** The committed block pointer at `number`, for reorg detection by parent hash. */
  blockAt(number: number): BlockPtr | null;
  beginBlock(block: BlockPtr): BlockWriter;
  /** Removes every version written after `number`, reopening versions closed after it (reorg rollback). */
  revertTo(number: number): void;
  /** Dynamic data sources in creation order (see `BlockWriter.addDataSource`). */
  dataSources(): StoredDataSource[];
  /**
   * Records (or clears, with null) the deterministic failure that stopped indexing; it stays across
   * restarts, `revertTo` below its block clears it, and `_meta.hasIndexingErrors` reports it.
   */
  setFailure(failure: SubgraphFailure | null): void;
  failure(): SubgraphFailure | null;
  /**
   * Optional: the blocks committed from here to `endBatch` share one durable write (graph-node batches blocks
   * the same way while it catches up). Each block stays atomic and is seen at once by this store's own reads;
   * other connections see the batch's blocks when it ends. A crash loses only whole blocks of an open batch.
   */
  beginBatch?(): void;
  /** Makes the open batch's blocks durable and visible everywhere; nothing without one. */
  endBatch?(): void;
  /**
   * Optional: leaves out the indexes only queries read while the store catches up on a long range, and
   * builds them at once afterwards (`buildQueryIndexes` returns whether there were any to build). Queries
   * meanwhile answer the same, more slowly. See SqliteStore.deferQueryIndexes.
   */
  deferQueryIndexes?(): void;
  buildQueryIndexes?(): boolean;
  /** SHA-256 over every entity version (type, id, block range, data) in a canonical order. */
  digest(): string;
  close(): void;
}
