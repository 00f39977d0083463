/**
 * The entity store over SQLite: entity versions keyed by block range as graph-node keeps them, so that
 * queries can travel in time and a reorg can be rolled back. Each block's changes and its block pointer
 * are committed in one transaction.
 *
 * Usage (the WASM host):
 *   const store = SqliteStore.open("data/tradetrace.sqlite", "subgraph/schema.graphql", { deployment });
 *   const w = store.beginBlock({ number, hash, parentHash, timestamp }); // number > head
 *   w.set("Shipment", id, data); ...; w.commit();   // or w.discard() when the block fails
 *   if (store.blockAt(n)?.hash !== chainHashAt(n)) store.revertTo(n - 1); // reorg
 * Ids are strings: as is for ID/String ids, 0x hex for Bytes ids, decimal for Int8 ids.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { loadSubgraphSchema, parseSubgraphSchema } from "../schema/parse";
import type { EntityModel, FieldModel, SchemaModel } from "../schema/model";
import {
  canonicalIdText,
  fieldFromSql,
  fieldToSql,
  idFromSql,
  idToSql,
  idToString,
  storeKindOf,
  taggedFromJson,
  taggedToJson,
  toSql,
  type ElementKind,
  type SqlValue,
} from "./encoding";
import { type ColumnLayout, type IndexSet, Layout, OPEN_BLOCK, SAME_AS_NEXT, type TableLayout } from "./layout";
import { dataPoint } from "./timeseries";
import { rollUpSqlite } from "./sqlite-rollup";
import { listJson } from "./list-encoding";
import { registerListFunctions } from "./list-sql";
import { applyLayout, clearElements, fillAllElements } from "./sqlite-schema";
import { addElements, dropElements, enterElements } from "./sqlite-elements";
import { RowCache } from "./row-cache";
import { checkSettable, compareIds, derivedLookup, entityOf, invalidWrite, references } from "./write-checks";
import {
  type BlockPtr,
  type BlockWriter,
  type EntityData,
  type EntityStore,
  type StoreValue,
  type StoredDataSource,
  type SubgraphFailure,
} from "./types";
import { messageOf } from "../../lib/errors";
import type { Queryable, QueryStore } from "./query-store";
import { SqliteQueryStore } from "./sqlite-query-store";

export { OPEN_BLOCK } from "./layout";

export interface SqliteStoreOptions {
  /** graph-node's deployment id (an IPFS hash there); shown by `_meta { deployment }`. */
  deployment?: string;
  /**
   * Open an existing store file for queries only (e.g. a query server in another process while the
   * indexer writes; WAL lets both run). Writing through a read-only store fails.
   */
  readonly?: boolean;
}

type Row = Record<string, unknown>;

const META_SCHEMA = "schema_sha256";
/** Set while the query-only indexes are left out (deferQueryIndexes), so that reopening does not build them. */
const META_QUERY_INDEXES_DEFERRED = "query_indexes_deferred";
/**
 * Page size of a new store file. Entity rows are wide (a shipment version is about 1 KB): 8 KB pages waste
 * less at their ends than SQLite's 4 KB, and the file came out 3 % smaller in the 20,000-shipment season.
 */
const PAGE_SIZE = 8192;
/** Largest part of a store file read through a memory map. */
const MMAP_BYTES = 1 << 30;
/**
 * Current rows the block writers keep looked up (SqliteStore.rowCache), per generation: at most twice this many,
 * about 10 MB of the benchmark's rows.
 */
const ROW_CACHE_GENERATION = 5_000;
/** Page cache per connection, in KiB. */
const CACHE_KIB = 64 * 1024;
/** Bumped whenever the table layout changes; an older store must be re-indexed. */
const LAYOUT_VERSION = "6";

/** An entity store in one SQLite file (or `:memory:`). */
export class SqliteStore implements EntityStore, Queryable {
  readonly db: Database.Database;
  readonly layout: Layout;
  private writer: SqliteBlockWriter | null = null;
  private query: SqliteQueryStore | null = null;
  /** Whether a write batch (`beginBatch`) holds the connection's transaction. */
  private batchOpen = false;
  /** The index set this connection last saw or chose (elementsHeld), read from the file once. */
  private heldIndexes: IndexSet | undefined;
  private readonly stmtCache = new Map<string, Database.Statement>();
  /**
   * Current rows (or their absence) block writers looked up, by `type\0id`, kept across blocks: most blocks read
   * the same few accounts, actors and lanes. A committed block puts the rows it wrote in their place; a failed
   * commit takes them out, a revert everything; nothing else writes entity rows.
   */
  private readonly rowCache = new RowCache<Row | null>(ROW_CACHE_GENERATION);

  /** Opens (creating if needed) a store for a schema model. The schema must match the one it was created with. */
  constructor(
    path: string,
    readonly schema: SchemaModel,
    options: SqliteStoreOptions = {},
  ) {
    this.layout = new Layout(schema);
    const readonly = options.readonly === true;
    this.db = new Database(path, { readonly, fileMustExist: readonly });
    try {
      this.init(path, options);
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  private init(path: string, options: SqliteStoreOptions): void {
    this.db.defaultSafeIntegers(true);
    registerListFunctions(this.db);
    this.db.pragma("busy_timeout = 5000");
    // Entity rows are wide and an index yields versions in random table order: read through a memory map
    // and a larger page cache than SQLite's 2 MB default (setPageCache) instead of a read() call per page.
    this.db.pragma(`mmap_size = ${MMAP_BYTES}`);
    const schemaHash = createHash("sha256").update(this.schema.source).digest("hex");
    const checkSchema = () => {
      const existing = this.getMeta(META_SCHEMA);
      if (existing !== null && existing !== schemaHash) {
        throw new Error(`store at ${path} was created for a different schema; remove it to re-index`);
      }
      return existing;
    };
    // Only a writable file without tables takes a page size (and before WAL mode); an existing store keeps its own.
    const empty = !this.db.prepare(`SELECT 1 FROM sqlite_master LIMIT 1`).get();
    if (!options.readonly && empty) this.db.pragma(`page_size = ${PAGE_SIZE}`);
    this.setPageCache();
    if (options.readonly) {
      const hasMeta = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).get();
      if (!hasMeta || checkSchema() === null) throw new Error(`store at ${path} has not been initialised`);
      return;
    }
    if (path !== ":memory:") this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL, parent_hash TEXT, timestamp INTEGER)`,
      );
      // Dynamic data sources and handler errors live beside the entities and roll back with them.
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS data_sources (seq INTEGER PRIMARY KEY, template TEXT NOT NULL, params TEXT NOT NULL, context TEXT, created_at INTEGER NOT NULL)`,
      );
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS indexing_errors (seq INTEGER PRIMARY KEY, fatal INTEGER NOT NULL, message TEXT NOT NULL, handler TEXT, block_number INTEGER NOT NULL, block_hash TEXT NOT NULL, parent_hash TEXT, timestamp INTEGER)`,
      );
      if (checkSchema() === null) {
        this.setMeta(META_SCHEMA, schemaHash);
        this.setMeta("layout", LAYOUT_VERSION);
      }
      if (this.getMeta("layout") !== LAYOUT_VERSION) {
        throw new Error(`store at ${path} has an older table layout; remove it to re-index`);
      }
      applyLayout(this.db, this.layout, this.indexSet);
      if (options.deployment !== undefined && options.deployment !== this.getMeta("deployment")) {
        this.setMeta("deployment", options.deployment);
      } else if (this.getMeta("deployment") === null) {
        this.setMeta("deployment", "embedded-" + schemaHash.slice(0, 16));
      }
    })();
  }

  /**
   * Gives the connection a page cache of CACHE_KIB, as a number of pages of the file's own size. SQLite works out
   * how many pages a size in KiB makes when the pragma runs, with the page size of that moment: set before a new
   * file took its 8 KB pages, the cache kept as many pages as 64 MiB of 4 KB ones, twice the memory (SQLite's
   * allocations peaked at 136 MB in the first 2,000 blocks of the 100,000-shipment build, counted by heaptrack).
   */
  private setPageCache(): void {
    const pageSize = Number(this.db.pragma("page_size", { simple: true }));
    this.db.pragma(`cache_size = ${Math.floor((CACHE_KIB * 1024) / pageSize)}`);
  }

  /** Opens a store for the subgraph schema file at `schemaPath`. */
  static open(dbPath: string, schemaPath: string, options: SqliteStoreOptions = {}): SqliteStore {
    return new SqliteStore(dbPath, loadSubgraphSchema(schemaPath), options);
  }

  /** Opens a store from schema text. */
  static fromSdl(dbPath: string, sdl: string, options: SqliteStoreOptions = {}): SqliteStore {
    return new SqliteStore(dbPath, parseSubgraphSchema(sdl), options);
  }

  /** A cached prepared statement. */
  stmt(sql: string): Database.Statement {
    let s = this.stmtCache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmtCache.set(sql, s);
    }
    return s;
  }

  getMeta(key: string): string | null {
    const r = this.stmt(`SELECT value FROM meta WHERE key = ?`).get(key) as { value: string } | undefined;
    return r ? r.value : null;
  }

  private setMeta(key: string, value: string | null): void {
    if (value === null) this.stmt(`DELETE FROM meta WHERE key = ?`).run(key);
    else
      this.stmt(
        `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      ).run(key, value);
  }

  deployment(): string {
    return this.getMeta("deployment") ?? "";
  }

  /** Whether the query-only indexes are left out (see deferQueryIndexes). */
  get queryIndexesDeferred(): boolean {
    return this.indexSet !== "all";
  }

  /** The indexes the store keeps now, as its file says: all, or the set deferQueryIndexes kept. */
  get indexSet(): IndexSet {
    const kept = this.getMeta(META_QUERY_INDEXES_DEFERRED);
    return kept === null ? "all" : kept === "writes" ? "writes" : "handlers";
  }

  /**
   * Whether this connection's writes keep the element tables (sqlite-elements.ts) up to date: they are
   * query-only too, so while the query indexes wait they are left empty and filled by buildQueryIndexes.
   */
  get elementsHeld(): boolean {
    return (this.heldIndexes ??= this.indexSet) === "all";
  }

  /**
   * Drops the indexes only queries read (the index plan's filter and order fields; none without a plan) while
   * the store catches up on a long range of blocks, as Ponder and Envio do during a backfill: each version
   * written then updates only the indexes in `keep`, and the others are built at once, compactly, by
   * buildQueryIndexes. `keep` is `handlers` (ids and back-references) for an indexer whose handlers may load
   * derived fields, `writes` (ids only) for a bulk load that never reads them. Queries meanwhile give the
   * same answers, more slowly. Remembered across reopening.
   */
  deferQueryIndexes(keep: Exclude<IndexSet, "all"> = "handlers"): void {
    if (this.indexSet === keep) return;
    this.outsideBatch(() => {
      this.setMeta(META_QUERY_INDEXES_DEFERRED, keep);
      applyLayout(this.db, this.layout, keep);
      clearElements(this.db, this.layout);
    });
    this.heldIndexes = keep;
  }

  /** Builds the indexes deferQueryIndexes dropped (nothing if none were); returns whether it built any. */
  buildQueryIndexes(): boolean {
    if (!this.queryIndexesDeferred) return false;
    // Building reads every table once: through the memory map, each page read would stay in the process's
    // resident memory (a 1 GB store's file added 1 GB to the peak); read into the page cache instead.
    const mmap = this.db.pragma("mmap_size", { simple: true }) as number | bigint;
    this.db.pragma("mmap_size = 0");
    try {
      this.withoutBatch(() => {
        // Rewrites the file first (outside any transaction, as VACUUM must be), so that the indexes built next
        // take the pages it frees: the versions closed while catching up leave the space of the columns they no
        // longer hold inside their pages, which rows appended later never reuse (a fifth of a 100,000-shipment
        // store), and the indexes kept got their entries in random order (they filled about 84 % of their pages).
        this.db.exec("VACUUM");
        // The rewrite went through the write-ahead log, which would otherwise keep its size on disk.
        this.db.pragma("wal_checkpoint(TRUNCATE)");
        this.db.transaction(() => {
          applyLayout(this.db, this.layout, "all");
          fillAllElements(this.db, this.layout);
          this.setMeta(META_QUERY_INDEXES_DEFERRED, null);
        })();
      });
    } finally {
      this.db.pragma(`mmap_size = ${String(mmap)}`);
    }
    this.heldIndexes = "all";
    return true;
  }

  /** Runs `change` in a transaction of its own, committing an open write batch first (it holds whole blocks). */
  private outsideBatch(change: () => void): void {
    this.withoutBatch(() => this.db.transaction(change)());
  }

  /** Runs `work` with an open write batch committed first and a new one begun after (a batch holds whole blocks). */
  private withoutBatch(work: () => void): void {
    const batch = this.batchOpen;
    this.endBatch();
    work();
    if (batch) this.beginBatch();
  }

  /** @inheritdoc */
  setFailure(failure: SubgraphFailure | null): void {
    this.db.transaction(() => {
      this.stmt(`DELETE FROM indexing_errors WHERE fatal = 1`).run();
      if (failure) this.insertError(failure, true);
    })();
  }

  /** @inheritdoc */
  failure(): SubgraphFailure | null {
    const r = this.stmt(`SELECT * FROM indexing_errors WHERE fatal = 1`).get() as Row | undefined;
    return r ? rowToFailure(r) : null;
  }

  /** Handler failures that did not stop indexing (feature `nonFatalErrors`), oldest first. */
  nonFatalErrors(): SubgraphFailure[] {
    return (this.stmt(`SELECT * FROM indexing_errors WHERE fatal = 0 ORDER BY seq`).all() as Row[]).map(rowToFailure);
  }

  /**
   * `_meta { hasIndexingErrors }` at `block`: the subgraph has failed, or a non-fatal error was recorded
   * at or below that block.
   */
  hasIndexingErrors(block: number): boolean {
    return (
      this.stmt(`SELECT 1 FROM indexing_errors WHERE fatal = 1 OR block_number <= ? LIMIT 1`).get(block) !== undefined
    );
  }

  /** @internal */
  insertError(f: SubgraphFailure, fatal: boolean): void {
    this.stmt(
      `INSERT INTO indexing_errors (fatal, message, handler, block_number, block_hash, parent_hash, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      fatal ? 1 : 0,
      f.message,
      f.handler,
      f.block.number,
      f.block.hash.toLowerCase(),
      f.block.parentHash?.toLowerCase() ?? null,
      f.block.timestamp ?? null,
    );
  }

  /** @inheritdoc */
  dataSources(): StoredDataSource[] {
    const rows = this.stmt(
      `SELECT template, params, context, created_at FROM data_sources ORDER BY seq`,
    ).all() as Row[];
    return rows.map((r) => ({
      template: r.template as string,
      params: JSON.parse(r.params as string) as string[],
      context:
        r.context === null
          ? null
          : new Map((JSON.parse(r.context as string) as [string, unknown][]).map(([k, v]) => [k, taggedFromJson(v)])),
      createdAt: Number(r.created_at),
    }));
  }

  /** @internal */
  insertDataSource(ds: StoredDataSource): void {
    const context = ds.context === null ? null : JSON.stringify([...ds.context].map(([k, v]) => [k, taggedToJson(v)]));
    this.stmt(`INSERT INTO data_sources (template, params, context, created_at) VALUES (?, ?, ?, ?)`).run(
      ds.template,
      JSON.stringify(ds.params),
      context,
      ds.createdAt,
    );
  }

  /** @inheritdoc */
  head(): BlockPtr | null {
    const n = this.getMeta("head");
    return n === null ? null : this.blockAt(Number(n));
  }

  /** @inheritdoc */
  blockAt(number: number): BlockPtr | null {
    const r = this.stmt(`SELECT number, hash, parent_hash, timestamp FROM blocks WHERE number = ?`).get(number) as
      Row | undefined;
    return r ? rowToPtr(r) : null;
  }

  /** The latest committed block at or below `number`. */
  blockAtOrBelow(number: number): BlockPtr | null {
    const r = this.stmt(
      `SELECT number, hash, parent_hash, timestamp FROM blocks WHERE number <= ? ORDER BY number DESC LIMIT 1`,
    ).get(number) as Row | undefined;
    return r ? rowToPtr(r) : null;
  }

  blockByHash(hash: string): BlockPtr | null {
    const r = this.stmt(`SELECT number, hash, parent_hash, timestamp FROM blocks WHERE hash = ?`).get(
      hash.toLowerCase(),
    ) as Row | undefined;
    return r ? rowToPtr(r) : null;
  }

  /** @inheritdoc */
  beginBlock(block: BlockPtr): BlockWriter {
    if (this.writer) throw new Error(`block ${this.writer.block.number} is still open; commit or discard it first`);
    if (!Number.isSafeInteger(block.number) || block.number < 0 || block.number >= OPEN_BLOCK) {
      throw new Error(`invalid block number ${block.number}`);
    }
    const head = this.head();
    if (head && block.number <= head.number) {
      throw new Error(`block ${block.number} is not after the head ${head.number}; revert first`);
    }
    this.writer = new SqliteBlockWriter(this, { ...block, hash: block.hash.toLowerCase() });
    return this.writer;
  }

  /** @internal called by the writer when it is done. */
  release(w: SqliteBlockWriter): void {
    if (this.writer === w) this.writer = null;
  }

  /** @inheritdoc */
  revertTo(number: number): void {
    if (this.writer) throw new Error(`cannot revert while block ${this.writer.block.number} is open`);
    this.rowCache.clear();
    this.db.transaction(() => {
      for (const [, t] of this.layout.allTables()) {
        // The versions that become current again take back the columns they left out, while the later versions
        // that hold them are still there.
        if (t.leavable.length > 0) {
          const cols = t.leavable.map((l) => l.column.quoted).join(", ");
          this.stmt(
            `UPDATE ${t.quoted} SET (${cols}) = (SELECT ${cols} FROM ${t.versions} w WHERE w.vid = ${t.quoted}.vid), ` +
              `${SAME_AS_NEXT} = NULL WHERE block_to > ? AND block_to < ${OPEN_BLOCK} AND ${SAME_AS_NEXT} IS NOT NULL`,
          ).run(number);
        }
        for (const c of t.columns) {
          if (!c.elements) continue;
          this.stmt(`DELETE FROM ${c.elements} WHERE vid IN (SELECT vid FROM ${t.quoted} WHERE block_from > ?)`).run(
            number,
          );
        }
        this.stmt(`DELETE FROM ${t.quoted} WHERE block_from > ?`).run(number);
        const lists = this.elementsHeld ? t.columns.filter((c) => c.elements) : [];
        const reopened =
          lists.length === 0
            ? []
            : (this.stmt(
                `SELECT vid, ${lists.map((c) => c.quoted).join(", ")} FROM ${t.quoted} WHERE block_to > ? AND block_to < ${OPEN_BLOCK}`,
              ).all(number) as Row[]);
        this.stmt(
          `UPDATE ${t.quoted} SET block_to = ${OPEN_BLOCK} WHERE block_to > ? AND block_to < ${OPEN_BLOCK}`,
        ).run(number);
        // Reopened versions are current again: their elements go back into the element tables.
        for (const r of reopened)
          for (const c of lists) addElements((q) => this.stmt(q), c, r[c.name], r.vid as bigint);
      }
      this.stmt(`DELETE FROM blocks WHERE number > ?`).run(number);
      this.stmt(`DELETE FROM data_sources WHERE created_at > ?`).run(number);
      // a fatal failure is past the head, so a revert clears it too (graph-node unfails on revert)
      this.stmt(`DELETE FROM indexing_errors WHERE block_number > ?`).run(number);
      const head = this.blockAtOrBelow(number);
      this.setMeta("head", head ? String(head.number) : null);
    })();
  }

  /** @inheritdoc */
  digest(): string {
    const h = createHash("sha256");
    const tables = new Map(this.layout.allTables());
    const names = [...tables.keys()].sort();
    for (const name of names) {
      const t = tables.get(name)!;
      const cols = [...t.columns].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      h.update(`T\x1f${name}\x1e`);
      const rows = this.db
        .prepare(`SELECT * FROM ${t.versions} ORDER BY "id", block_from`)
        .raw(false)
        .iterate() as IterableIterator<Row>;
      for (const r of rows) {
        let line = `V\x1f${String(r.block_from)}\x1f${String(r.block_to)}`;
        for (const c of cols) line += `\x1f${c.name}=${canonical(c.list ? listText(c, r[c.name]) : r[c.name])}`;
        h.update(line + "\x1e");
      }
    }
    return h.digest("hex");
  }

  /** The query side of this store (one per connection: it registers SQL functions and caches statements). */
  queryStore(): QueryStore {
    return (this.query ??= new SqliteQueryStore(this));
  }

  /** @inheritdoc */
  beginBatch(): void {
    if (this.batchOpen || this.db.inTransaction) return;
    this.db.exec("BEGIN"); // each block's transaction becomes a savepoint inside it (better-sqlite3)
    this.batchOpen = true;
  }

  /** @inheritdoc */
  endBatch(): void {
    if (!this.batchOpen) return;
    this.batchOpen = false;
    if (!this.db.inTransaction) return;
    try {
      this.db.exec("COMMIT");
    } catch (e) {
      this.rowCache.clear(); // the batch may be rolled back: rows read inside it may never have been
      throw e;
    }
  }

  /** @inheritdoc */
  close(): void {
    if (this.db.open) this.endBatch(); // the batch holds whole blocks only
    if (this.db.open) this.db.close();
  }

  /** The current (open) version of an entity, decoded, or null. */
  loadCurrent(entityType: string, id: string): EntityData | null {
    const t = this.layout.table(entityType);
    const key = idToSql(t.idKind, id);
    const r = this.stmt(`SELECT * FROM ${t.quoted} WHERE "id" = ? AND block_to = ${OPEN_BLOCK}`).get(key) as
      Row | undefined;
    return r ? this.decodeRow(t, r) : null;
  }

  /** The current row of an entity as stored (raw column values), or undefined. */
  currentRow(t: TableLayout, key: SqlValue): Row | undefined {
    return this.stmt(`SELECT * FROM ${t.quoted} WHERE "id" = ? AND block_to = ${OPEN_BLOCK}`).get(key) as
      Row | undefined;
  }

  /** @internal The current row of an entity for a block writer, or null: from the row cache, else the table. */
  cachedCurrentRow(entityType: string, key: string): Row | null {
    let r = this.rowCache.get(entityType, key);
    if (r === undefined) {
      const t = this.layout.table(entityType);
      r = this.currentRow(t, idToSql(t.idKind, key)) ?? null;
      this.rowCache.set(entityType, key, r);
    }
    return r;
  }

  /** @internal A block writer committed these rows: they are the entities' current rows now. */
  cacheRows(entityType: string, rows: Map<string, Row | null>): void {
    for (const [key, row] of rows) this.rowCache.set(entityType, key, row);
  }

  /** @internal A block writer (is about to have) changed these entities: their cached rows are stale. */
  forgetRows(entityType: string, keys: Iterable<string>): void {
    for (const key of keys) this.rowCache.delete(entityType, key);
  }

  /** Decodes a stored row; NULL columns are left out, as graph-node's store does. */
  decodeRow(t: TableLayout, r: Row): EntityData {
    const out: EntityData = new Map();
    for (const c of t.columns) {
      const raw = r[c.name];
      if (raw === null || raw === undefined) continue;
      out.set(c.name, fieldFromSql(c.kind, c.list, raw));
    }
    return out;
  }

  /** Stored rows of `t` whose `column` references `id` (equal, or contained for lists). */
  currentReferencing(t: TableLayout, column: string, id: SqlValue): Row[] {
    const c = t.byField.get(column)!;
    const sql = c.list
      ? `SELECT * FROM ${t.quoted} WHERE block_to = ${OPEN_BLOCK} AND tt_list_has(${c.quoted}, '${c.kind}', ?, 0)`
      : `SELECT * FROM ${t.quoted} WHERE ${c.quoted} = ? AND block_to = ${OPEN_BLOCK}`;
    // List elements compare in their JSON form (list-sql.ts): Int8 ids as decimal text, Bytes ids as 0x hex.
    const arg = !c.list
      ? id
      : typeof id === "bigint"
        ? id.toString()
        : Buffer.isBuffer(id)
          ? "0x" + id.toString("hex")
          : id;
    return this.stmt(sql).all(arg) as Row[];
  }
}

function rowToFailure(r: Row): SubgraphFailure {
  return {
    message: r.message as string,
    handler: r.handler as string | null,
    block: rowToPtr({ number: r.block_number, hash: r.block_hash, parent_hash: r.parent_hash, timestamp: r.timestamp }),
  };
}

function rowToPtr(r: Row): BlockPtr {
  const p: BlockPtr = { number: Number(r.number), hash: r.hash as string };
  if (r.parent_hash !== null) p.parentHash = r.parent_hash as string;
  if (r.timestamp !== null) p.timestamp = Number(r.timestamp);
  return p;
}

/** A list column as the JSON text lists were stored as before they became BLOBs, so that digests did not move. */
function listText(c: ColumnLayout, v: unknown): string | null {
  return Buffer.isBuffer(v) ? JSON.stringify(listJson(c.kind, v)) : null;
}

function canonical(v: unknown): string {
  if (v === null || v === undefined) return "N";
  // Bytes as the hex text they were stored as before they became BLOBs, so that digests did not move.
  if (Buffer.isBuffer(v)) return "S" + JSON.stringify("0x" + v.toString("hex"));
  if (typeof v === "bigint" || typeof v === "number") return "I" + v.toString();
  return "S" + JSON.stringify(v);
}

function sameSql(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b);
  // Same type: compared as they are, with no text made per column. An integer column reads back as a BigInt
  // where it was written as a number.
  if (typeof a === typeof b) return a === b;
  return String(a) === String(b);
}

function describe(v: StoreValue): string {
  switch (v.kind) {
    case "Null":
      return "null";
    case "Array":
      return `[${v.value.map(describe).join(", ")}]`;
    case "Bytes":
      return "0x" + Buffer.from(v.value).toString("hex");
    case "BigDecimal":
      return `${v.value.digits}e${v.value.exp}`;
    default:
      return String(v.value);
  }
}

function typeName(f: FieldModel): string {
  const base = f.type.kind === "scalar" ? f.type.scalar : f.type.kind === "enum" ? f.type.name : f.type.target;
  if (!f.list) return base + (f.nonNull ? "!" : "");
  return `[${base}${f.elementNonNull ? "!" : ""}]${f.nonNull ? "!" : ""}`;
}

/**
 * Closes a version at block `@block`, leaving out the columns whose bits `@same` sets (same as the next version's);
 * a version none are left out of stays whole (SAME_AS_NEXT NULL).
 */
function closeStatement(t: TableLayout): string {
  if (t.leavable.length === 0) return `UPDATE ${t.quoted} SET block_to = @block WHERE vid = @vid`;
  const leave = t.leavable.map(
    (l) => `${l.column.quoted} = CASE WHEN @same & ${l.bit} THEN NULL ELSE ${l.column.quoted} END`,
  );
  return `UPDATE ${t.quoted} SET block_to = @block, ${SAME_AS_NEXT} = nullif(@same, 0), ${leave.join(", ")} WHERE vid = @vid`;
}

/** The SAME_AS_NEXT bits of the leavable columns a new version leaves `unchanged` (by place in `columns`). */
function sameAsNext(t: TableLayout, unchanged: boolean[]): bigint {
  let same = 0n;
  for (const l of t.leavable) if (unchanged[l.position]) same |= l.bit;
  return same;
}

/** Why a non-null value does not fit the field, or null if it does. */
function typeProblem(schema: SchemaModel, table: TableLayout, f: FieldModel, v: StoreValue): string | null {
  const kind = table.byField.get(f.name)!.kind;
  if (!f.list) return elementProblem(schema, kind, f, v);
  if (v.kind !== "Array") return `but has type ${v.kind}`;
  for (const x of v.value) {
    if (x.kind === "Array") return "but has a nested list";
    const p = elementProblem(schema, kind, f, x);
    if (p) return p;
  }
  return null;
}

/** Why one value (a scalar, or an element of a list) does not fit field `f` stored as `kind`, or null. */
function elementProblem(schema: SchemaModel, kind: ElementKind, f: FieldModel, x: StoreValue): string | null {
  if (x.kind === "Null") return f.elementNonNull ? "but has a null element" : null;
  if (x.kind !== storeKindOf(kind)) return `but has type ${x.kind}`;
  if (x.kind === "Int" && !(Number.isInteger(x.value) && x.value >= -(2 ** 31) && x.value < 2 ** 31)) {
    return "but is not a 32-bit integer";
  }
  if ((x.kind === "Int8" || x.kind === "Timestamp") && (x.value < -(2n ** 63n) || x.value >= 2n ** 63n)) {
    return "but does not fit 64 bits";
  }
  if (f.type.kind === "enum" && x.kind === "String") {
    const en = schema.enums.get(f.type.name)!;
    if (!en.values.includes(x.value)) return `but is not one of ${en.values.join(", ")}`;
  }
  return null;
}

/** The rows a block made current, by entity type and id (null: removed). */
type WrittenRows = Map<string, Map<string, Row | null>>;

/** A version as `SELECT *` reads it back, from the values it was inserted with. */
function rowOf(cols: readonly ColumnLayout[], values: SqlValue[], vid: number | bigint, block: number): Row {
  const row: Row = { vid: BigInt(vid), block_from: BigInt(block), block_to: BigInt(OPEN_BLOCK) };
  for (let i = 0; i < cols.length; i++) row[cols[i].name] = values[i];
  return row;
}

/** A Bytes id in the text form canonicalIdText gives it. */
const CANONICAL_BYTES_ID = /^0x(?:[0-9a-f]{2})*$/;

/** Staged changes of one block. `null` marks a removal. */
class SqliteBlockWriter implements BlockWriter {
  private readonly staged = new Map<string, Map<string, EntityData | null>>();
  private readonly created: StoredDataSource[] = [];
  private readonly errors: SubgraphFailure[] = [];
  /** Ids generated for timeseries data points in this block so far. */
  private pointSeq = 0;
  private done = false;

  constructor(
    private readonly store: SqliteStore,
    readonly block: BlockPtr,
  ) {}

  private check(): void {
    if (this.done) throw new Error(`block ${this.block.number} was already committed or discarded`);
  }

  private entity(entityType: string, id: string): EntityModel {
    return entityOf(this.store.schema, entityType, id);
  }

  /** The stored current row of an entity; nothing else writes while the block is open. */
  dbRow(entityType: string, key: string): Row | null {
    return this.store.cachedCurrentRow(entityType, key);
  }

  private stagedOf(entityType: string): Map<string, EntityData | null> {
    let m = this.staged.get(entityType);
    if (!m) {
      m = new Map();
      this.staged.set(entityType, m);
    }
    return m;
  }

  private canonicalId(e: EntityModel, id: string): string {
    // Most ids are canonical already: a String id, lowercase 0x hex for a Bytes id (what the host passes).
    if (e.idKind === "String" || (e.idKind === "Bytes" && CANONICAL_BYTES_ID.test(id))) return id;
    try {
      return canonicalIdText(e.idKind, id);
    } catch (err) {
      invalidWrite(e, id, messageOf(err));
    }
  }

  /** @inheritdoc */
  get(entityType: string, id: string): EntityData | null {
    this.check();
    const e = this.entity(entityType, id);
    const key = this.canonicalId(e, id);
    const s = this.staged.get(entityType);
    if (s && s.has(key)) {
      const d = s.get(key)!;
      return d ? new Map(d) : null;
    }
    const r = this.dbRow(entityType, key);
    return r ? this.store.decodeRow(this.store.layout.table(entityType), r) : null;
  }

  /** @inheritdoc */
  getInBlock(entityType: string, id: string): EntityData | null {
    this.check();
    const e = this.entity(entityType, id);
    const d = this.staged.get(entityType)?.get(this.canonicalId(e, id));
    return d ? new Map(d) : null;
  }

  /** @inheritdoc */
  loadRelated(entityType: string, id: string, field: string): EntityData[] {
    this.check();
    const e = this.entity(entityType, id);
    const { backRef, targets } = derivedLookup(this.store.schema, e, id, field);
    const key = this.canonicalId(e, id);
    const out: { id: string; data: EntityData }[] = [];
    for (const target of targets) {
      const t = this.store.layout.table(target);
      const staged = this.staged.get(target);
      for (const r of this.store.currentReferencing(t, backRef, idToSql(e.idKind, key))) {
        const rid = idFromSql(t.idKind, r.id);
        if (staged?.has(rid)) continue; // judged by its final state below
        out.push({ id: rid, data: this.store.decodeRow(t, r) });
      }
      for (const [rid, data] of staged ?? []) {
        if (data && references(data.get(backRef), key)) out.push({ id: rid, data: new Map(data) });
      }
    }
    return out.sort((a, b) => compareIds(e, a.id, b.id)).map((x) => x.data);
  }

  /** @inheritdoc */
  set(entityType: string, id: string, data: EntityData): void {
    this.check();
    const e = this.entity(entityType, id);
    // graph-node ignores a data point's id and timestamp: every save is a new point of this block.
    if (e.timeseries) ({ id, data } = dataPoint(e, this.block, this.pointSeq++, data));
    const key = this.canonicalId(e, id);
    const given = data.get("id");
    if (given !== undefined) {
      const expected = storeKindOf(e.idKind as ElementKind);
      if (given.kind !== expected)
        invalidWrite(e, id, `the value of field \`id\` must have type ${e.idKind}! but has type ${given.kind}`);
      if (canonicalIdText(e.idKind, idToString(given)) !== key) {
        invalidWrite(e, id, `value of field \`id\` (${describe(given)}) conflicts with the ID passed to store.set()`);
      }
    }
    checkSettable(e, id, data);

    // A staged version is changed on a copy, so that a save that fails validation leaves it as it was; a
    // version decoded from its row is this call's own already (maps are most of what a bulk load allocates).
    const staged = this.stagedOf(entityType);
    let merged: EntityData;
    if (staged.has(key)) merged = new Map(staged.get(key) ?? []);
    else {
      const r = this.dbRow(entityType, key);
      if (r && e.immutable) {
        invalidWrite(
          e,
          id,
          `entity is immutable; inserting it at block ${this.block.number} is not possible as it was already inserted at block ${String(r.block_from)}`,
        );
      }
      merged = r ? this.store.decodeRow(this.store.layout.table(entityType), r) : new Map();
    }
    data.forEach((v, k) => merged.set(k, v));
    if (given === undefined) merged.set("id", idValueFor(e, key));

    const table = this.store.layout.table(entityType);
    for (const f of e.fields) {
      if (f.derivedFrom !== undefined) continue;
      const v = merged.get(f.name);
      if (v === undefined) {
        if (f.nonNull) invalidWrite(e, id, `missing value for non-nullable field \`${f.name}\``);
        continue;
      }
      if (v.kind === "Null") {
        if (f.nonNull) invalidWrite(e, id, `null value for non-nullable field \`${f.name}\``);
        continue;
      }
      const problem = typeProblem(this.store.schema, table, f, v);
      if (problem) {
        invalidWrite(
          e,
          id,
          `the value \`${describe(v)}\` for field \`${f.name}\` must have type ${typeName(f)} ${problem}`,
        );
      }
    }
    staged.set(key, merged);
  }

  /** @inheritdoc */
  remove(entityType: string, id: string): void {
    this.check();
    const e = this.entity(entityType, id);
    const key = this.canonicalId(e, id);
    const staged = this.stagedOf(entityType);
    const exists = staged.has(key) ? staged.get(key) !== null : this.dbRow(entityType, key) !== null;
    if (!exists) return;
    if (e.immutable) invalidWrite(e, id, "entity type is immutable and only allows inserts");
    staged.set(key, null);
  }

  /** @inheritdoc */
  addDataSource(ds: StoredDataSource): void {
    this.check();
    this.created.push({ ...ds, params: [...ds.params], context: ds.context && new Map(ds.context) });
  }

  /** @inheritdoc */
  addNonFatalError(failure: SubgraphFailure): void {
    this.check();
    this.errors.push(failure);
  }

  /** @inheritdoc */
  commit(): void {
    this.check();
    const store = this.store;
    let written: WrittenRows;
    try {
      written = this.write();
    } catch (e) {
      for (const [type, entries] of this.staged) store.forgetRows(type, entries.keys());
      throw e;
    }
    // The versions just written are the current rows the next blocks' writes look up first.
    for (const [type, rows] of written) store.cacheRows(type, rows);
    this.finish();
  }

  /** Writes the block's versions, roll-ups and pointer in one transaction; returns the rows now current. */
  private write(): WrittenRows {
    const store = this.store;
    const n = this.block.number;
    const written: WrittenRows = new Map();
    store.db.transaction(() => {
      for (const [type, entries] of this.staged) {
        const rows = new Map<string, Row | null>();
        written.set(type, rows);
        const t = store.layout.table(type);
        const cols = t.columns;
        const insert = store.stmt(
          `INSERT INTO ${t.quoted} (block_from, block_to, ${cols.map((c) => c.quoted).join(", ")}) VALUES (?, ${OPEN_BLOCK}, ${cols.map(() => "?").join(", ")})`,
        );
        const close = store.stmt(closeStatement(t));
        const lists = store.elementsHeld ? cols.filter((c) => c.elements) : [];
        // A closed version leaves out the columns `same` marks; its elements leave the element tables (they
        // hold current versions only).
        const closeVersion = (row: Row, same: bigint): void => {
          close.run({ block: n, vid: row.vid, same });
          for (const c of lists) dropElements((q) => store.stmt(q), c, row[c.name], row.vid as bigint);
        };
        for (const [key, data] of entries) {
          const current = this.dbRow(type, key);
          if (data === null) {
            if (current) closeVersion(current, 0n); // no version follows: it stays whole
            rows.set(key, null);
            continue;
          }
          const values: SqlValue[] = cols.map((c) => {
            const v = data.get(c.name);
            return v === undefined ? null : fieldToSql(c.kind, c.list, v);
          });
          if (current) {
            const unchanged = cols.map((c, i) => sameSql(current[c.name], values[i]));
            if (unchanged.every(Boolean)) continue; // a no-op write
            if (t.entity.immutable) {
              invalidWrite(
                t.entity,
                key,
                `entity is immutable; inserting it at block ${n} is not possible as it was already inserted at block ${String(current.block_from)}`,
              );
            }
            closeVersion(current, sameAsNext(t, unchanged));
          }
          const vid = insert.run(n, ...values).lastInsertRowid;
          rows.set(key, rowOf(cols, values, vid, n));
          for (const c of lists) {
            const v = data.get(c.name);
            if (!v || v.kind !== "Array") continue;
            const elements = v.value.filter((x) => x.kind !== "Null").map((x) => toSql(c.kind, x));
            enterElements((q) => store.stmt(q), c, elements, vid);
          }
        }
      }
      // Buckets this block closes, as graph-node rolls them up when it transacts the block; only a block that
      // writes rolls up (rollup.ts says why).
      if (this.staged.size > 0) rollUpSqlite(store, this.block);
      store
        .stmt(
          `INSERT INTO blocks (number, hash, parent_hash, timestamp) VALUES (?, ?, ?, ?) ON CONFLICT(number) DO UPDATE SET hash = excluded.hash, parent_hash = excluded.parent_hash, timestamp = excluded.timestamp`,
        )
        .run(n, this.block.hash, this.block.parentHash?.toLowerCase() ?? null, this.block.timestamp ?? null);
      for (const ds of this.created) store.insertDataSource(ds);
      for (const f of this.errors) store.insertError(f, false);
      store
        .stmt(`INSERT INTO meta (key, value) VALUES ('head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
        .run(String(n));
    })();
    return written;
  }

  /** @inheritdoc */
  discard(): void {
    if (this.done) return;
    this.finish();
  }

  private finish(): void {
    this.done = true;
    this.staged.clear();
    this.created.length = 0;
    this.errors.length = 0;
    this.store.release(this);
  }
}

function idValueFor(e: EntityModel, key: string): StoreValue {
  if (e.idKind === "String") return { kind: "String", value: key };
  if (e.idKind === "Bytes") return { kind: "Bytes", value: new Uint8Array(Buffer.from(key.slice(2), "hex")) };
  return { kind: "Int8", value: BigInt(key) };
}
