/**
 * The QueryStore over a SqliteStore: each request becomes one SQL statement per chunk of ids (built by
 * `sql.ts`), prepared on the store's connection and kept in a small cache; `tt_live()` stops a running
 * statement at the query's deadline.
 */
import { GraphQLError } from "graphql";
import { CURRENT_VERSION, aggregationKey, currentOnly, type ColumnLayout } from "./layout";
import { withCurrentBuckets } from "./current-bucket";
import { bigDecimalToString, bytesToHex, decodeBigDecimal, decodeBigIntHex, idFromSql, idToSql } from "./encoding";
import type {
  ByIdRequest,
  BucketsRequest,
  CollectionRequest,
  DerivedRequest,
  QueryGuard,
  QueryRow,
  QueryStore,
  ReferencedRequest,
} from "./query-store";
import { listJson } from "./list-encoding";
import { SqlBuilder, Sources, atBlock, fromAt, listEach, splitFilterKey, type SqlValue, type Source } from "./sql";
import type { SqliteStore } from "./sqlite";
import type { BlockPtr } from "./types";

type Row = Record<string, unknown>;
type Statement = ReturnType<SqliteStore["db"]["prepare"]>;

/** How many prepared statements a store keeps. */
const STATEMENT_CACHE = 256;

/**
 * The SELECT list of rows of `src` aliased `a`: the given columns, or every one (and an interface's
 * `__typename`). Bytes and BigInt columns are read as hex text: a Buffer per value costs more to make and to
 * collect than decoding the text an answer needs anyway.
 */
function selectList(src: Source, cols: string[] | null): string {
  const terms = (cols ?? [...src.columns.keys()]).map((name) => selectTerm(src.columns.get(name)!));
  if (cols === null && !src.concrete) terms.unshift("a.__typename");
  return terms.join(", ");
}

function selectTerm(c: ColumnLayout): string {
  const col = `a.${c.quoted}`;
  if (c.list) return col;
  if (c.kind === "Bytes") return `iif(${col} IS NULL, NULL, lower(hex(${col}))) AS ${c.quoted}`;
  if (c.kind === "BigInt") return `iif(${col} IS NULL, NULL, hex(${col})) AS ${c.quoted}`;
  return col;
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** A scalar's output value from its column. */
function outValue(c: ColumnLayout, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (c.list) return listJson(c.kind, raw as Buffer);
  switch (c.kind) {
    case "BigInt":
      return decodeBigIntHex(raw as string).toString(); // selectTerm reads it as hex
    case "BigDecimal":
      return bigDecimalToString(decodeBigDecimal(raw as string));
    case "Int":
      return Number(raw);
    case "Int8":
    case "Timestamp":
      return String(raw);
    case "Boolean":
      return Number(raw) !== 0;
    case "Bytes":
      return "0x" + (raw as string); // selectTerm reads it as hex
    default:
      return raw;
  }
}

/** How a root collection query is read: the filters whose indexes must not drive, and whether to sort. */
interface QueryPlan {
  unindexed: string[];
  sort: boolean;
}

export class SqliteQueryStore implements QueryStore {
  readonly sources: Sources;
  /** Recently used statements by SQL text (saved queries repeat the same statements); least recent first. */
  private readonly statements = new Map<string, Statement>();
  /** Planner estimates: current rows per table, and when they were counted. */
  private readonly rowCounts = new Map<string, { n: number; at: number }>();
  /** Queries inside `snapshot` and the head of the snapshot they read (null outside one). */
  private snapshots = 0;
  private snapshotHead: number | null = null;
  /** Whether the snapshot's element tables are filled (SqlBuilder.elements). */
  private snapshotElements = false;

  constructor(readonly store: SqliteStore) {
    this.sources = new Sources(store.schema, store.layout);
    registerSqlFunctions(store);
  }

  get schema() {
    return this.store.schema;
  }

  /**
   * @inheritdoc A read-only connection (a query worker's) holds a read transaction for the query, so at the
   * head it reads exactly the current versions and may say so literally (see `atBlock`), which lets SQLite use
   * the indexes over current versions. A connection the indexer also writes on can't hold a transaction across
   * a query's awaits: it reads without one, with the block-range test at every block.
   */
  async snapshot<T>(run: () => Promise<T>): Promise<T> {
    const db = this.store.db;
    if (!db.readonly) return run();
    if (this.snapshots++ === 0) {
      db.exec("BEGIN");
      this.snapshotHead = this.store.head()?.number ?? null;
      this.snapshotElements = this.store.indexSet === "all";
    }
    try {
      return await run();
    } finally {
      if (--this.snapshots === 0) {
        this.snapshotHead = null;
        db.exec("COMMIT");
      }
    }
  }

  /** Whether rows alive at `block` are the current versions of the snapshot being read. */
  private isCurrent(block: number): boolean {
    return this.snapshotHead !== null && block === this.snapshotHead;
  }

  head(): BlockPtr | null {
    return this.store.head();
  }

  blockAt(number: number): BlockPtr | null {
    return this.store.blockAt(number);
  }

  blockByHash(hash: string): BlockPtr | null {
    return this.store.blockByHash(hash);
  }

  deployment(): string {
    return this.store.deployment();
  }

  hasIndexingErrors(block: number): boolean {
    return this.store.hasIndexingErrors(block);
  }

  canonicalId(type: string, id: string): string | null {
    const k = this.idSql(this.sources.get(type), id);
    return k === undefined ? null : idFromSql(this.sources.get(type).idKind, k);
  }

  /** A prepared statement for `sql`, from a small cache of the most recently used ones. */
  private statement(sql: string): Statement {
    let st = this.statements.get(sql);
    if (st) this.statements.delete(sql);
    else {
      st = this.store.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, st);
    return st;
  }

  /** Runs a SELECT with the guards; `count: false` for probes whose rows are not entities. */
  private all(guard: QueryGuard, sql: string, params: Record<number, SqlValue>, count = true): Row[] {
    guard.check();
    const t = guard.trace ? performance.now() : 0;
    running.deadline = guard.deadline;
    running.timeoutMs = guard.timeoutMs;
    let rows: Row[];
    try {
      rows = this.statement(sql).all(params) as Row[];
    } finally {
      running.deadline = Infinity;
    }
    guard.trace?.(sql, params, performance.now() - t, rows.length);
    if (count) guard.loaded(rows.length);
    return rows;
  }

  /** A stored row in the QueryStore's output form: the columns read, decoded. */
  private out(src: Source, r: Row, cols: string[] | null): QueryRow {
    const o: QueryRow = {};
    if (!src.concrete) o.__typename = r.__typename;
    if (cols === null) for (const c of src.columns.values()) o[c.name] = outValue(c, r[c.name]);
    else for (const name of cols) o[name] = outValue(src.columns.get(name)!, r[name]);
    return o;
  }

  private idSql(src: Source, id: string): SqlValue | undefined {
    try {
      return idToSql(src.idKind, id);
    } catch {
      return undefined;
    }
  }

  private builder(guard: QueryGuard, block: number): SqlBuilder {
    const current = this.isCurrent(block);
    return new SqlBuilder(this.sources, block, guard.maxFilterNesting, current, current && this.snapshotElements);
  }

  /** @inheritdoc */
  byIds(guard: QueryGuard, req: ByIdRequest): QueryRow[] {
    const src = this.sources.get(req.type);
    const found: QueryRow[] = [];
    const keys = req.ids.map((i) => this.idSql(src, i)).filter((k): k is SqlValue => k !== undefined);
    const idOnly = src.concrete && req.columns?.length === 1 && req.columns[0] === "id";
    for (const part of chunks(keys, 500)) {
      const b = this.builder(guard, req.block);
      const list = part.map((k) => b.param(k)).join(", ");
      const current = this.isCurrent(req.block);
      const where = `a."id" IN (${list}) AND ${atBlock("a", req.block, current)}`;
      if (idOnly && this.allExist(guard, src, where, b.bindings(), part.length)) {
        for (const k of part) found.push({ id: idFromSql(src.idKind, k) });
        continue;
      }
      const rows = this.all(
        guard,
        `SELECT ${selectList(src, req.columns)} FROM ${fromAt(src, current)} a WHERE ${where}`,
        b.bindings(),
      );
      for (const r of rows) found.push(this.out(src, r, req.columns));
    }
    return found;
  }

  /**
   * Whether `keys` distinct ids all match `where`: a reference read for its id alone (`shipment { id }`) is an
   * existence check, and counting the matches costs about half of reading them back (at 1,000,000 shipments, 0.6
   * against 1.2 ms for 500 ids). When some id is missing, or one occurs twice, the caller reads the rows.
   */
  private allExist(
    guard: QueryGuard,
    src: Source,
    where: string,
    params: Record<number, SqlValue>,
    keys: number,
  ): boolean {
    // `where` reads the id and the block range only, which every stored version holds: the table answers.
    const [{ n }] = this.all(guard, `SELECT count(*) AS n FROM ${src.sql} a WHERE ${where}`, params, false);
    if (Number(n) !== keys) return false;
    guard.loaded(keys);
    return true;
  }

  /** @inheritdoc */
  collection(guard: QueryGuard, req: CollectionRequest): QueryRow[] {
    return this.collectionOf(guard, this.sources.get(req.type), req);
  }

  private collectionOf(guard: QueryGuard, src: Source, req: CollectionRequest): QueryRow[] {
    const { first, skip, block } = req;
    const b = this.builder(guard, block);
    const plan = this.plan(guard, src, req, first + skip);
    for (const c of plan.unindexed) b.unindexed.add(c);
    const where = b.filter(src, "a", req.where);
    const o = b.order(src, "a", req.orderBy, req.orderDirection, plan.sort);
    const current = this.isCurrent(block);
    const sql =
      `SELECT ${selectList(src, req.columns)} FROM ${fromAt(src, current)} a${o.joins} WHERE ${atBlock("a", block, current)} AND (${where}) ` +
      `ORDER BY ${o.terms} LIMIT ${first} OFFSET ${skip}`;
    return this.all(guard, sql, b.bindings()).map((r) => this.out(src, r, req.columns));
  }

  /** @inheritdoc */
  buckets(guard: QueryGuard, req: BucketsRequest): QueryRow[] {
    const agg = this.store.schema.aggregations.get(req.aggregation);
    if (!agg) throw new Error(`unknown aggregation ${req.aggregation}`);
    let src = this.sources.get(aggregationKey(agg.name, req.interval));
    if (req.current) src = withCurrentBuckets(this.store, agg, req.interval, src, req.block);
    return this.collectionOf(guard, src, { ...req, type: src.name, columns: null });
  }

  /**
   * Which filter indexes must not drive a root collection query (they are written `+a.col`), and whether
   * the matches of the one that drives are sorted (the ORDER BY column is then written `+a.col` too: SQLite
   * would otherwise often walk that column's index and test every row, e.g. high-risk-arrivals walking every
   * shipment by risk score for the few hundred arriving in the next three days). Each plain
   * top-level filter is probed through its index, counting the versions it matches up to a cap (versions,
   * not entities: an index holds every version, and each one it yields costs a table lookup):
   * - when some filter matches few versions, only the most selective one may drive: without statistics
   *   SQLite may otherwise start from a broad one (`active: true`) and test every version it holds;
   * - when every filter matches many, they are probed again with a higher cap, the ORDER BY column's own
   *   filter (e.g. `riskScore_gte` with `orderBy: riskScore`) bounding the walk of its index: a filter that
   *   matches fewer versions than that bound, and fewer than the higher cap, drives and its matches are
   *   sorted (a few thousand rows sort in milliseconds, while a walk in search of rare matches may read the
   *   whole index);
   * - when every filter still matches many and the query is ordered by a column, none may drive: walking
   *   the ORDER BY index stops after `first + skip` rows, while SQLite would rather start from a filter
   *   index and sort every match.
   * A list filter (`_contains`) is tested on each row's JSON whenever a plain filter or the ORDER BY walk
   * drives: reading all its element table's matches first would cost more than that.
   */
  private plan(guard: QueryGuard, src: Source, req: CollectionRequest, wanted: number): QueryPlan {
    const free: QueryPlan = { unindexed: [], sort: false };
    if (!src.concrete || !req.where) return free;
    const orderCol = req.orderBy && !req.orderBy.includes("__") ? src.columns.get(req.orderBy) : undefined;
    if (orderCol?.list) return free;
    const current = this.isCurrent(req.block);
    const filters: { key: string; value: unknown; name: string; ordered: boolean }[] = [];
    const lists: string[] = [];
    // Plain filters by column: those on the columns an index holds after its own are counted with it.
    const plain = new Map<string, Record<string, unknown>>();
    for (const [key, value] of Object.entries(req.where)) {
      if (value === undefined || key === "and" || key === "or" || key === "_change_block" || key.endsWith("_"))
        continue;
      const { col, op } = splitFilterKey(src, key);
      if (!col) continue;
      if (col.list) {
        lists.push(col.name);
        continue;
      }
      if (col.name === "id") return free;
      plain.set(col.name, { ...plain.get(col.name), [key]: value });
      // Only an index this read can use may drive; probing another would scan the table.
      if (col.index !== null && (!currentOnly(col.index) || current)) {
        // An equality on a column indexed with the ORDER BY column after it (`"a+b"`) yields its rows in order.
        const ordered = op === "" && col.indexWith[0] === orderCol?.name;
        filters.push({ key, value, name: col.name, ordered });
      }
    }
    // A filter's count includes the filters on the columns its index holds after its own (`"a+b"`): SQLite tests
    // those on the index entries, so they bound the rows a drive reads (an arrival date range and the targeting
    // window's opening: a few thousand shipments where the date range alone holds every future arrival).
    const count = (f: { key: string; value: unknown; name: string }, cap: number): number => {
      const b = this.builder(guard, req.block);
      const held = src.columns.get(f.name)!.indexWith.map((w) => plain.get(w));
      const term = b.filter(src, "a", Object.assign({}, ...held, { [f.key]: f.value }));
      // An estimate: at an older block it counts the table's stored values, which a closed version may leave out.
      const alive = current ? ` AND ${atBlock("a", req.block, true)}` : "";
      const n = this.all(
        guard,
        `SELECT count(*) AS n FROM (SELECT 1 FROM ${src.sql} a WHERE ${term}${alive} LIMIT ${cap})`,
        b.bindings(),
        false,
      );
      return Number(n[0].n);
    };
    const others = filters.filter((f) => f.name !== orderCol?.name);
    const walk = orderCol !== undefined && orderCol.name !== "id";
    if (others.length === 0) return free; // a list's element table (a party's shipments) may well drive
    // One filter drives and its matches are sorted, unless its own index walks them in order: the ORDER BY
    // column's index must not be walked instead.
    const drive = (name: string): QueryPlan => ({
      unindexed: [...filters.filter((f) => f.name !== name).map((f) => f.name), ...lists],
      sort: walk && !filters.some((f) => f.name === name && f.ordered),
    });
    // A lone filter whose index yields the rows in order drives without a probe: its walk stops at `wanted`.
    if (filters.length === 1 && filters[0].ordered && lists.length === 0) return drive(filters[0].name);
    const cap = Math.max(2000, 20 * wanted);
    const probed = others.map((f) => ({ name: f.name, n: count(f, cap) }));
    const best = probed.reduce((x, y) => (y.n < x.n ? y : x));
    if (best.n < cap) return drive(best.name);
    if (!walk) return free;
    const high = 10 * cap;
    const own = filters.filter((f) => f.name === orderCol.name);
    const bound = Math.min(high, ...own.map((f) => count(f, high)));
    const again = others.map((f) => ({ name: f.name, n: count(f, high) }));
    const fewest = again.reduce((x, y) => (y.n < x.n ? y : x));
    if (fewest.n < bound && fewest.n < this.walkLength(guard, src, orderCol, wanted, fewest.n, others, lists)) {
      return drive(fewest.name);
    }
    return { unindexed: [...others.map((f) => f.name), ...lists], sort: false };
  }

  /**
   * About how many rows a walk of the ORDER BY index reads before `wanted` rows pass every filter, if the
   * matches of the most selective filter (`matches` rows) are spread evenly and each further filter keeps a
   * tenth (no statistics say better): more than that filter's matches means driving by it and sorting wins.
   */
  private walkLength(
    guard: QueryGuard,
    src: Source,
    orderCol: ColumnLayout,
    wanted: number,
    matches: number,
    others: unknown[],
    lists: unknown[],
  ): number {
    const rows = this.currentRows(guard, src, orderCol);
    return ((wanted * rows) / Math.max(1, matches)) * 10 ** (others.length - 1 + lists.length);
  }

  /** Current rows of a table (through its ORDER BY column's index), cached for a minute: a planner estimate. */
  private currentRows(guard: QueryGuard, src: Source, orderCol: ColumnLayout): number {
    const known = this.rowCounts.get(src.name);
    if (known && Date.now() - known.at < ROW_COUNT_TTL_MS) return known.n;
    const n = this.all(
      guard,
      `SELECT count(*) AS n FROM ${src.sql} a WHERE a.${orderCol.quoted} IS NOT NULL AND a.${CURRENT_VERSION}`,
      {},
      false,
    );
    const count = Number(n[0].n);
    this.rowCounts.set(src.name, { n: count, at: Date.now() });
    return count;
  }

  /** @inheritdoc */
  derived(guard: QueryGuard, req: DerivedRequest): Map<string, QueryRow[]> {
    const src = this.sources.get(req.type);
    const back = src.columns.get(req.backRef)!;
    const parentSrc = this.sources.get(req.parentType);
    const { first, skip, block } = req;
    const out = new Map<string, QueryRow[]>();
    for (const part of chunks(req.parentIds, 500)) {
      const b = this.builder(guard, block);
      b.unindexedAll = true; // the parents' ids drive the lookup (through the back-reference's index)
      const parentExpr = back.list ? "j.value" : `a.${back.quoted}`;
      const table = fromAt(src, this.isCurrent(block));
      const from = back.list ? `${table} a, ${listEach(`a.${back.quoted}`, back.kind)} j` : `${table} a`;
      const ids = part.map((p) => b.param(back.list ? p : (this.idSql(parentSrc, p) ?? p))).join(", ");
      const where = b.filter(src, "a", req.where);
      const o = b.order(src, "a", req.orderBy, req.orderDirection);
      const sql =
        `SELECT * FROM (SELECT ${selectList(src, req.columns)}, ${parentExpr} AS __parent, ROW_NUMBER() OVER (PARTITION BY ${parentExpr} ORDER BY ${o.terms}) AS __rn ` +
        `FROM ${from}${o.joins} WHERE ${atBlock("a", block, this.isCurrent(block))} AND ${parentExpr} IN (${ids}) AND (${where})) ` +
        `WHERE __rn > ${skip} AND __rn <= ${skip + first} ORDER BY __parent, __rn`;
      for (const r of this.all(guard, sql, b.bindings())) {
        const p = r.__parent instanceof Uint8Array ? bytesToHex(r.__parent) : String(r.__parent);
        let list = out.get(p);
        if (!list) out.set(p, (list = []));
        list.push(this.out(src, r, req.columns));
      }
    }
    return out;
  }

  /** @inheritdoc */
  referenced(guard: QueryGuard, req: ReferencedRequest): QueryRow[] {
    const src = this.sources.get(req.type);
    const ids = req.ids.map((i) => this.idSql(src, i)).filter((k): k is SqlValue => k !== undefined);
    if (ids.length === 0) return [];
    const b = this.builder(guard, req.block);
    b.unindexedAll = true; // the ids drive the lookup
    const list = ids.map((k) => b.param(k)).join(", ");
    const where = b.filter(src, "a", req.where);
    const o = b.order(src, "a", req.orderBy, req.orderDirection);
    const current = this.isCurrent(req.block);
    const sql = `SELECT ${selectList(src, req.columns)} FROM ${fromAt(src, current)} a${o.joins} WHERE ${atBlock("a", req.block, current)} AND a."id" IN (${list}) AND (${where}) ORDER BY ${o.terms}`;
    return this.all(guard, sql, b.bindings()).map((r) => this.out(src, r, req.columns));
  }
}

/**
 * When the statement running on this thread must stop. Statements run synchronously, one at a time per thread,
 * so one record per module (per worker thread) is enough.
 */
const running = { deadline: Infinity, timeoutMs: 0 };
/** How long a table's counted rows serve the planner. */
const ROW_COUNT_TTL_MS = 60_000;

/** Connections whose SQL functions are registered. */
const registered = new WeakSet<object>();

/** SQL helpers the filters use: deterministic JS functions, and `tt_live`, the in-statement deadline check. */
function registerSqlFunctions(store: SqliteStore): void {
  const db = store.db;
  if (registered.has(db)) return;
  registered.add(db);
  // Called once per candidate row of a correlated subquery (not deterministic, so SQLite can't hoist it): stops
  // a runaway statement at the deadline, and gives a worker's termination a point where it takes effect.
  db.function("tt_live", { deterministic: false }, (_row: unknown) => {
    if (Date.now() > running.deadline) throw new GraphQLError(`query timed out after ${running.timeoutMs} ms`);
    return 1;
  });
  db.function(
    "tt_lower",
    { deterministic: true },
    (s: unknown) => (typeof s === "string" ? s.toLowerCase() : s) as string,
  );
}
