/**
 * graph-node's query API over a SqliteStore: the generated schema, resolvers that run one SQL query per
 * level (sibling lookups are batched), time travel, limits on `first`/`skip`, depth and time.
 */
import {
  GraphQLEnumType,
  GraphQLError,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLScalarType,
  Kind,
  buildSchema,
  execute,
  parse,
  specifiedRules,
  validate,
  type ASTVisitor,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from "graphql";
import type { AggregationInterval, AggregationModel, FieldModel } from "../schema/model";
import { aggregationKey, type ColumnLayout } from "../store/layout";
import { aggregationField } from "./aggregation-sdl";
import { withCurrentBuckets } from "./current-bucket";
import {
  bigDecimalToString,
  decodeBigDecimal,
  decodeBigInt,
  hexToBytes,
  bytesToHex,
  idToSql,
  parseBigDecimal,
} from "../store/encoding";
import type { SqliteStore } from "../store/sqlite";
import { DEFAULT_FIRST, MAX_FIRST, MAX_SKIP, buildSdl, queryNames } from "./sdl";
import { MAX_FILTER_NESTING, SqlBuilder, Sources, atBlock, splitFilterKey, type SqlValue, type Source } from "./sql";
import { messageOf } from "../../lib/errors";

export interface QueryEngineOptions {
  /** Deepest selection nesting accepted (graph-node's GRAPH_GRAPHQL_MAX_DEPTH). */
  maxDepth?: number;
  /** Most fields one operation may select, counting each use of a fragment and each alias. */
  maxFields?: number;
  /**
   * Time after which a query is abandoned: checked between SQL statements and, through `tt_live()`, inside the
   * correlated subqueries of child filters while a statement runs.
   */
  timeoutMs?: number;
  /** Levels of `field_` child filters one filter may nest (graph-node allows one). */
  maxFilterNesting?: number;
  /** Most entity rows one query may load. */
  maxRows?: number;
  /** Called after each SQL statement (diagnostics, benchmarks). */
  trace?: (sql: string, params: Record<number, SqlValue>, ms: number, rows: number) => void;
}

export interface GraphQLRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

type Row = Record<string, unknown>;
type Statement = ReturnType<SqliteStore["db"]["prepare"]>;

/** How many prepared statements an engine keeps. */
const STATEMENT_CACHE = 256;
/** How many parsed and validated query documents an engine keeps. */
const DOCUMENT_CACHE = 64;

/** What resolvers pass around: a stored row of a type, seen at a block. */
interface Node {
  type: string;
  block: number;
  row: Row;
  /** Rows from an interface union carry only the interface's columns. */
  partial: boolean;
}

/** Queues lookups made while one level executes and answers them with one query. */
class Batch<V> {
  private readonly keys = new Map<string, ((v: V) => void)[]>();
  private readonly failures: ((e: unknown) => void)[] = [];
  private scheduled = false;

  constructor(private readonly run: (keys: string[]) => Map<string, V>) {}

  load(key: string): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const waiting = this.keys.get(key);
      if (waiting) waiting.push(resolve);
      else this.keys.set(key, [resolve]);
      this.failures.push(reject);
      if (!this.scheduled) {
        this.scheduled = true;
        // A macrotask: every sibling resolver of this level has queued its key by then.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const keys = new Map(this.keys);
    const failures = [...this.failures];
    this.keys.clear();
    this.failures.length = 0;
    this.scheduled = false;
    try {
      const results = this.run([...keys.keys()]);
      for (const [k, resolvers] of keys) for (const r of resolvers) r(results.get(k) as V);
    } catch (e) {
      for (const f of failures) f(e);
    }
  }
}

class Context {
  readonly started = Date.now();
  rows = 0;
  private readonly batches = new Map<string, Batch<unknown>>();

  constructor(
    readonly engine: QueryEngine,
    /** The head when the query started; queries without `block` read at it, so all levels agree. */
    readonly head: number,
    /** The query reads one snapshot of the store (a read transaction), so the head's rows are the current ones. */
    readonly snapshot: boolean,
  ) {}

  /** Whether reading at `block` means reading the current versions (see `atBlock`). */
  isCurrent(block: number): boolean {
    return this.snapshot && block === this.head;
  }

  batch<V>(key: string, run: (keys: string[]) => Map<string, V>): Batch<V> {
    let b = this.batches.get(key) as Batch<V> | undefined;
    if (!b) {
      b = new Batch<V>(run);
      this.batches.set(key, b as Batch<unknown>);
    }
    return b;
  }

  /** Runs a SELECT with the guards. */
  all(sql: string, params: Record<number, SqlValue>): Row[] {
    if (Date.now() - this.started > this.engine.timeoutMs) {
      throw new GraphQLError(`query timed out after ${this.engine.timeoutMs} ms`);
    }
    const t = this.engine.trace ? performance.now() : 0;
    running.deadline = this.started + this.engine.timeoutMs;
    running.timeoutMs = this.engine.timeoutMs;
    let rows: Row[];
    try {
      rows = this.engine.statement(sql).all(params) as Row[];
    } finally {
      running.deadline = Infinity;
    }
    this.engine.trace?.(sql, params, performance.now() - t, rows.length);
    this.rows += rows.length;
    if (this.rows > this.engine.maxRows) {
      throw new GraphQLError(`query loads more than ${this.engine.maxRows} entities; narrow it down`);
    }
    for (const r of rows) bytesAsHex(r);
    return rows;
  }
}

/** Resolvers see Bytes as the 0x hex text ids and answers use; the store keeps them as BLOBs. */
function bytesAsHex(row: Row): void {
  for (const k in row) {
    const v = row[k];
    if (v instanceof Uint8Array) row[k] = bytesToHex(v);
  }
}

/** The SELECT list of rows of `src` aliased `a`: the given columns, or every one. */
function selectList(src: Source, cols: string[] | null): string {
  return cols === null ? "a.*" : cols.map((c) => `a.${src.columns.get(c)!.quoted}`).join(", ");
}

function jsonKey(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** A scalar's output value from its column. */
function outValue(c: ColumnLayout, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null;
  if (c.list) return JSON.parse(raw as string);
  switch (c.kind) {
    case "BigInt":
      return decodeBigInt(raw as string).toString();
    case "BigDecimal":
      return bigDecimalToString(decodeBigDecimal(raw as string));
    case "Int":
      return Number(raw);
    case "Int8":
    case "Timestamp":
      return String(raw);
    case "Boolean":
      return Number(raw) !== 0;
    default:
      return raw;
  }
}

function intScalar(name: string, min: bigint, max: bigint) {
  const parse = (v: unknown): bigint => {
    let out: bigint;
    if (typeof v === "number" && Number.isInteger(v)) out = BigInt(v);
    else if (typeof v === "string" && /^-?\d+$/.test(v)) out = BigInt(v);
    else throw new GraphQLError(`${name} must be an integer or a string of decimal digits, got ${JSON.stringify(v)}`);
    if (out < min || out > max) throw new GraphQLError(`${name} value ${v} is out of range`);
    return out;
  };
  return {
    serialize: (v: unknown) => String(v),
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind === Kind.INT || ast.kind === Kind.STRING) return parse(ast.value);
      throw new GraphQLError(`${name} must be an integer or a string`);
    },
  };
}

const SCALARS: Record<string, Partial<GraphQLScalarType>> = {
  BigInt: intScalar("BigInt", -(2n ** 435_412n), 2n ** 435_412n),
  Int8: intScalar("Int8", -(2n ** 63n), 2n ** 63n - 1n),
  Timestamp: intScalar("Timestamp", -(2n ** 63n), 2n ** 63n - 1n),
  BigDecimal: {
    serialize: (v: unknown) => String(v),
    parseValue: (v: unknown) => {
      if (typeof v !== "string" && typeof v !== "number") throw new GraphQLError(`BigDecimal must be a string`);
      try {
        return parseBigDecimal(String(v));
      } catch (e) {
        throw new GraphQLError(messageOf(e));
      }
    },
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING && ast.kind !== Kind.INT && ast.kind !== Kind.FLOAT) {
        throw new GraphQLError(`BigDecimal must be a string`);
      }
      try {
        return parseBigDecimal(ast.value);
      } catch (e) {
        throw new GraphQLError(messageOf(e));
      }
    },
  },
  Bytes: {
    serialize: (v: unknown) => String(v),
    parseValue: (v: unknown) => {
      try {
        return bytesToHex(hexToBytes(String(v)));
      } catch {
        throw new GraphQLError(`Bytes must be 0x-prefixed hex, got ${JSON.stringify(v)}`);
      }
    },
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(`Bytes must be a hex string`);
      try {
        return bytesToHex(hexToBytes(ast.value));
      } catch {
        throw new GraphQLError(`Bytes must be 0x-prefixed hex, got "${ast.value}"`);
      }
    },
  },
};

/**
 * Rejects operations nested deeper than `maxDepth` selection sets or selecting more than `maxFields` fields once
 * fragments are expanded. Each fragment is measured once: a fragment spread twice in each of n nested fragments
 * selects 2^n fields and must cost n steps to check, not 2^n.
 */
function sizeLimit(maxDepth: number, maxFields: number) {
  return (ctx: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of ctx.getDocument().definitions)
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    const measured = new Map<string, { depth: number; fields: number }>();
    const measure = (set: SelectionSetNode | undefined, visiting: Set<string>): { depth: number; fields: number } => {
      let depth = 0;
      let fields = 0;
      for (const s of set?.selections ?? []) {
        let inner: { depth: number; fields: number };
        if (s.kind === Kind.FIELD) {
          const sub = measure(s.selectionSet, visiting);
          inner = { depth: s.selectionSet ? 1 + sub.depth : 1, fields: 1 + sub.fields };
        } else if (s.kind === Kind.INLINE_FRAGMENT) {
          inner = measure(s.selectionSet, visiting);
        } else {
          const name = s.name.value;
          const known = measured.get(name);
          const f = fragments.get(name);
          if (known) inner = known;
          else if (!f || visiting.has(name))
            inner = { depth: 0, fields: 0 }; // reported by the spec's rules
          else {
            visiting.add(name);
            inner = measure(f.selectionSet, visiting);
            visiting.delete(name);
            measured.set(name, inner);
          }
        }
        depth = Math.max(depth, inner.depth);
        // Saturates: the count only has to tell "over the limit".
        fields = Math.min(fields + inner.fields, Number.MAX_SAFE_INTEGER);
      }
      return { depth, fields };
    };
    return {
      OperationDefinition(node) {
        const { depth, fields } = measure(node.selectionSet, new Set());
        if (depth > maxDepth)
          ctx.reportError(
            new GraphQLError(`query is nested ${depth} levels deep; at most ${maxDepth} are allowed`, {
              nodes: [node],
            }),
          );
        if (fields > maxFields)
          ctx.reportError(
            new GraphQLError(
              `query selects ${fields} fields with its fragments expanded; at most ${maxFields} are allowed`,
              { nodes: [node] },
            ),
          );
      },
    };
  };
}

type CollectionArgs = {
  first?: number;
  skip?: number;
  orderBy?: string | null;
  orderDirection?: string | null;
  where?: Record<string, unknown> | null;
};

function checkPaging(args: CollectionArgs): { first: number; skip: number } {
  const first = args.first ?? DEFAULT_FIRST;
  const skip = args.skip ?? 0;
  if (first < 0 || first > MAX_FIRST) {
    throw new GraphQLError(`The \`first\` argument must be between 0 and ${MAX_FIRST}, but is ${first}`);
  }
  if (skip < 0 || skip > MAX_SKIP) {
    throw new GraphQLError(`The \`skip\` argument must be between 0 and ${MAX_SKIP}, but is ${skip}`);
  }
  return { first, skip };
}

export class QueryEngine {
  readonly sdl: string;
  readonly schema: GraphQLSchema;
  readonly sources: Sources;
  readonly maxDepth: number;
  readonly maxFields: number;
  readonly timeoutMs: number;
  readonly maxRows: number;
  readonly maxFilterNesting: number;
  readonly trace: QueryEngineOptions["trace"];
  /** Recently used statements by SQL text (saved queries repeat the same statements); least recent first. */
  private readonly statements = new Map<string, Statement>();
  /** Recently executed query texts, parsed and validated (valid ones only); least recent first. */
  private readonly documents = new Map<string, DocumentNode>();

  constructor(
    readonly store: SqliteStore,
    options: QueryEngineOptions = {},
  ) {
    this.maxDepth = options.maxDepth ?? 24;
    this.maxFields = options.maxFields ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRows = options.maxRows ?? 250_000;
    this.maxFilterNesting = options.maxFilterNesting ?? MAX_FILTER_NESTING;
    this.trace = options.trace;
    this.sources = new Sources(store.schema, store.layout);
    this.sdl = buildSdl(store.schema);
    this.schema = buildSchema(this.sdl);
    registerSqlFunctions(store);
    this.attach();
  }

  /** A prepared statement for `sql`, from a small cache of the most recently used ones. */
  statement(sql: string): Statement {
    let st = this.statements.get(sql);
    if (st) this.statements.delete(sql);
    else {
      st = this.store.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, st);
    return st;
  }

  /** Executes a request; never throws, every failure is a GraphQL error. */
  async execute(req: GraphQLRequest): Promise<ExecutionResult> {
    try {
      if (typeof req.query !== "string" || req.query.trim() === "") {
        return { errors: [new GraphQLError("the request has no `query` string")] };
      }
      if (
        req.variables !== undefined &&
        req.variables !== null &&
        (typeof req.variables !== "object" || Array.isArray(req.variables))
      ) {
        return { errors: [new GraphQLError("`variables` must be an object")] };
      }
      if (req.operationName !== undefined && req.operationName !== null && typeof req.operationName !== "string") {
        return { errors: [new GraphQLError("`operationName` must be a string")] };
      }
      let document = this.documents.get(req.query);
      if (document) this.documents.delete(req.query);
      else {
        try {
          document = parse(req.query, { maxTokens: 20_000 });
        } catch (e) {
          return { errors: [e instanceof GraphQLError ? e : new GraphQLError(String(e))] };
        }
        const errors = validate(this.schema, document, [...specifiedRules, sizeLimit(this.maxDepth, this.maxFields)]);
        if (errors.length > 0) return { errors };
        if (this.documents.size >= DOCUMENT_CACHE) this.documents.delete(this.documents.keys().next().value!);
      }
      this.documents.set(req.query, document);
      const result = await this.inSnapshot((snapshot) => {
        const head = this.store.head();
        return execute({
          schema: this.schema,
          document,
          variableValues: (req.variables ?? undefined) as Record<string, unknown> | undefined,
          operationName: (req.operationName ?? undefined) as string | undefined,
          contextValue: new Context(this, head ? head.number : -1, snapshot),
        });
      });
      if (result.errors && result.errors.length > 1) {
        // A failed batched lookup fails every sibling field with the same error; report it once.
        const seen = new Set<string>();
        const errors = result.errors.filter((e) => !seen.has(e.message) && seen.add(e.message));
        return { ...result, errors };
      }
      return result;
    } catch (e) {
      return { errors: [new GraphQLError(`internal error: ${messageOf(e)}`)] };
    }
  }

  /**
   * Runs a query in one read transaction when the connection is a read-only one of its own (a query worker's):
   * every statement then sees the same snapshot, however the indexer commits meanwhile. A connection the
   * indexer also writes on can't hold a transaction across a query's awaits, so it reads without one.
   */
  private async inSnapshot<T>(run: (snapshot: boolean) => Promise<T> | T): Promise<T> {
    const db = this.store.db;
    if (!db.readonly || db.inTransaction) return run(db.inTransaction && db.readonly);
    db.exec("BEGIN");
    try {
      return await run(true);
    } finally {
      db.exec("COMMIT");
    }
  }

  /** The block number a `block: Block_height` argument selects. */
  private blockNumber(
    ctx: Context,
    arg: { number?: number | null; hash?: string | null; number_gte?: number | null } | null | undefined,
  ): number {
    if (!arg) return ctx.head;
    if (arg.hash !== undefined && arg.hash !== null) {
      const b = this.store.blockByHash(arg.hash);
      if (!b) throw new GraphQLError(`no block with hash ${arg.hash} has been indexed`);
      return b.number;
    }
    if (arg.number !== undefined && arg.number !== null) {
      if (arg.number < 0) throw new GraphQLError(`block number must not be negative`);
      if (arg.number > ctx.head) {
        throw new GraphQLError(
          `subgraph has only indexed up to block number ${ctx.head} and data for block number ${arg.number} is therefore not yet available`,
        );
      }
      return arg.number;
    }
    if (arg.number_gte !== undefined && arg.number_gte !== null) {
      if (arg.number_gte > ctx.head) {
        throw new GraphQLError(
          `subgraph has only indexed up to block number ${ctx.head} and data for block number ${arg.number_gte} is therefore not yet available`,
        );
      }
      return ctx.head;
    }
    return ctx.head;
  }

  /** A row as resolvers see it; `cols` are the columns it was read with (null: all of them). */
  private node(src: Source, block: number, row: Row, cols: string[] | null = null): Node {
    return {
      type: src.concrete ? src.name : (row.__typename as string),
      block,
      row,
      partial: !src.concrete || cols !== null,
    };
  }

  /**
   * The stored columns a selection reads from rows of a concrete `src` (`id` always), so that a query that
   * asks for `shipment { id }` does not read and decode every column of every shipment row; null (every
   * column) for interfaces or when the selection cannot be read with certainty. A field whose column was
   * not read is filled in by `full` (rows read with a projection are marked partial).
   */
  private projection(src: Source, info: GraphQLResolveInfo | undefined): string[] | null {
    if (!info || !src.concrete) return null;
    const names = new Set<string>(["id"]);
    const visit = (set: SelectionSetNode | undefined): boolean => {
      if (!set) return true;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const name = sel.name.value;
          if (name === "__typename") continue;
          if (!src.fields.has(name)) return false;
          if (src.columns.has(name)) names.add(name);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          if (sel.typeCondition && sel.typeCondition.name.value !== src.name) return false;
          if (!visit(sel.selectionSet)) return false;
        } else {
          const fragment = info.fragments[sel.name.value];
          if (!fragment || fragment.typeCondition.name.value !== src.name) return false;
          if (!visit(fragment.selectionSet)) return false;
        }
      }
      return true;
    };
    for (const fieldNode of info.fieldNodes) if (!visit(fieldNode.selectionSet)) return null;
    return [...names];
  }

  private idSql(src: Source, id: string): SqlValue | undefined {
    try {
      return idToSql(src.idKind, id);
    } catch {
      return undefined;
    }
  }

  /** An id as rows read through `Context.all` carry it (Bytes in lowercase hex), or undefined when it is not one. */
  private idText(src: Source, id: string): string | undefined {
    const k = this.idSql(src, id);
    if (k === undefined) return undefined;
    return Buffer.isBuffer(k) ? bytesToHex(k) : String(k);
  }

  /** Rows of `src` at `block` by id (batched). */
  private byId(
    ctx: Context,
    src: Source,
    block: number,
    id: string,
    cols: string[] | null = null,
  ): Promise<Node | null> {
    return ctx
      .batch(`id|${src.name}|${block}|${cols?.join(",") ?? "*"}`, (ids) => {
        const found = new Map<string, Node>();
        const keys = ids.map((i) => this.idSql(src, i)).filter((k): k is SqlValue => k !== undefined);
        for (const part of chunks(keys, 500)) {
          const b = new SqlBuilder(this.sources, block, this.maxFilterNesting, ctx.isCurrent(block));
          const list = part.map((k) => b.param(k)).join(", ");
          const rows = ctx.all(
            `SELECT ${selectList(src, cols)} FROM ${src.sql} a WHERE a."id" IN (${list}) AND ${atBlock("a", block, ctx.isCurrent(block))}`,
            b.bindings(),
          );
          for (const r of rows) found.set(String(r.id), this.node(src, block, r, cols));
        }
        return found;
      })
      .load(this.idText(src, id) ?? id)
      .then((n) => n ?? null);
  }

  /** A root collection query. */
  private collection(ctx: Context, src: Source, block: number, args: CollectionArgs, cols: string[] | null): Node[] {
    const { first, skip } = checkPaging(args);
    const b = new SqlBuilder(this.sources, block, this.maxFilterNesting, ctx.isCurrent(block));
    for (const c of this.unselective(ctx, src, block, args, first + skip)) b.unindexed.add(c);
    const where = b.filter(src, "a", args.where);
    const o = b.order(src, "a", args.orderBy, args.orderDirection);
    const sql =
      `SELECT ${selectList(src, cols)} FROM ${src.sql} a${o.joins} WHERE ${atBlock("a", block, ctx.isCurrent(block))} AND (${where}) ` +
      `ORDER BY ${o.terms} LIMIT ${first} OFFSET ${skip}`;
    return ctx.all(sql, b.bindings()).map((r) => this.node(src, block, r, cols));
  }

  /**
   * Which filter indexes must not drive a root collection query (they are written `+a.col`). Each plain
   * top-level filter is probed through its index, counting the versions it matches up to a cap (versions,
   * not entities: an index holds every version, and each one it yields costs a table lookup):
   * - when some filter matches few versions, only the most selective one may drive: without statistics
   *   SQLite may otherwise start from a broad one (`active: true`) and test every version it holds;
   * - when every filter matches many, they are probed again with a higher cap, the ORDER BY column's own
   *   filter (e.g. `riskScore_gte` with `orderBy: riskScore`) competing too: the fewest matches drive;
   * - when every filter still matches many and the query is ordered by a column, none may drive: walking
   *   the ORDER BY index stops after `first + skip` rows, while SQLite would rather start from a filter
   *   index and sort every match.
   */
  private unselective(ctx: Context, src: Source, block: number, args: CollectionArgs, wanted: number): string[] {
    if (!src.concrete || !args.where) return [];
    const orderCol = args.orderBy && !args.orderBy.includes("__") ? src.columns.get(args.orderBy) : undefined;
    if (orderCol?.list) return [];
    const current = ctx.isCurrent(block);
    const filters: { key: string; value: unknown; name: string }[] = [];
    for (const [key, value] of Object.entries(args.where)) {
      if (value === undefined || key === "and" || key === "or" || key === "_change_block" || key.endsWith("_"))
        continue;
      const { col } = splitFilterKey(src, key);
      if (!col || col.list) continue;
      if (col.name === "id") return [];
      // Only an index this read can use may drive; probing another would scan the table.
      if (col.index !== null && (col.index !== "current" || current)) filters.push({ key, value, name: col.name });
    }
    const count = (f: { key: string; value: unknown }, cap: number): number => {
      const b = new SqlBuilder(this.sources, block, this.maxFilterNesting, current);
      const term = b.filter(src, "a", { [f.key]: f.value });
      const alive = current ? ` AND ${atBlock("a", block, true)}` : "";
      const n = ctx.all(
        `SELECT count(*) AS n FROM (SELECT 1 FROM ${src.sql} a WHERE ${term}${alive} LIMIT ${cap})`,
        b.bindings(),
      );
      ctx.rows -= 1;
      return Number(n[0].n);
    };
    const others = filters.filter((f) => f.name !== orderCol?.name);
    if (others.length === 0) return [];
    const allBut = (name: string) => filters.filter((f) => f.name !== name).map((f) => f.name);
    const cap = Math.max(2000, 20 * wanted);
    const probed = others.map((f) => ({ name: f.name, n: count(f, cap) }));
    const best = probed.reduce((x, y) => (y.n < x.n ? y : x));
    if (best.n < cap) return allBut(best.name);
    if (!orderCol || orderCol.name === "id") return [];
    const own = filters.filter((f) => f.name === orderCol.name);
    if (own.length > 0) {
      // The walk of the ORDER BY index is bounded by the column's own filter: a filter that matches fewer
      // versions than that bound is the better start.
      const high = 10 * cap;
      const bound = Math.min(...own.map((f) => count(f, high)));
      const again = others.map((f) => ({ name: f.name, n: count(f, high) }));
      const fewest = again.reduce((x, y) => (y.n < x.n ? y : x));
      if (fewest.n < bound) return allBut(fewest.name);
    }
    return others.map((f) => f.name);
  }

  /** Entities whose back-reference field points at each parent (a @derivedFrom field), paged per parent. */
  private derived(
    ctx: Context,
    parent: Node,
    f: FieldModel,
    args: CollectionArgs,
    info: GraphQLResolveInfo | undefined,
  ): Promise<Node[]> {
    if (f.type.kind !== "ref") throw new Error("not a reference");
    const src = this.sources.get(f.type.target);
    const back = src.columns.get(f.derivedFrom!)!;
    const parentSrc = this.sources.get(parent.type);
    const { first, skip } = f.list ? checkPaging(args) : { first: 1, skip: 0 };
    const cols = this.projection(src, info);
    const key = `derived|${parent.type}.${f.name}|${parent.block}|${jsonKey([args, first, skip, cols])}`;
    return ctx
      .batch(key, (parents) => {
        const out = new Map<string, Node[]>();
        for (const part of chunks(parents, 500)) {
          const b = new SqlBuilder(this.sources, parent.block, this.maxFilterNesting, ctx.isCurrent(parent.block));
          b.unindexedAll = true; // the parents' ids drive the lookup (through the back-reference's index)
          const parentExpr = back.list ? "j.value" : `a.${back.quoted}`;
          const from = back.list ? `${src.sql} a, json_each(a.${back.quoted}) j` : `${src.sql} a`;
          const ids = part.map((p) => b.param(back.list ? p : (this.idSql(parentSrc, p) ?? p))).join(", ");
          const where = b.filter(src, "a", args.where);
          const o = b.order(src, "a", args.orderBy, args.orderDirection);
          const sql =
            `SELECT * FROM (SELECT ${selectList(src, cols)}, ${parentExpr} AS __parent, ROW_NUMBER() OVER (PARTITION BY ${parentExpr} ORDER BY ${o.terms}) AS __rn ` +
            `FROM ${from}${o.joins} WHERE ${atBlock("a", parent.block, ctx.isCurrent(parent.block))} AND ${parentExpr} IN (${ids}) AND (${where})) ` +
            `WHERE __rn > ${skip} AND __rn <= ${skip + first} ORDER BY __parent, __rn`;
          for (const r of ctx.all(sql, b.bindings())) {
            const p = String(r.__parent);
            let list = out.get(p);
            if (!list) out.set(p, (list = []));
            list.push(this.node(src, parent.block, r, cols));
          }
        }
        return out;
      })
      .load(String(parent.row.id))
      .then((x) => x ?? []);
  }

  /** A stored list of references, filtered, ordered and paged. */
  private referenced(
    ctx: Context,
    parent: Node,
    f: FieldModel,
    raw: string,
    args: CollectionArgs,
    info: GraphQLResolveInfo | undefined,
  ): Promise<Node[]> {
    if (f.type.kind !== "ref") throw new Error("not a reference");
    const src = this.sources.get(f.type.target);
    const { first, skip } = checkPaging(args);
    const cols = this.projection(src, info);
    const key = `list|${parent.type}.${f.name}|${parent.block}|${jsonKey([args, cols])}`;
    return ctx
      .batch(key, (lists) => {
        const all = new Set<string>();
        for (const l of lists) for (const id of JSON.parse(l) as (string | null)[]) if (id !== null) all.add(id);
        const rows: Node[] = [];
        const ids = [...all].map((i) => this.idSql(src, i)).filter((k): k is SqlValue => k !== undefined);
        if (ids.length > 30_000) throw new GraphQLError(`list field \`${f.name}\` holds too many references to query`);
        if (ids.length > 0) {
          const b = new SqlBuilder(this.sources, parent.block, this.maxFilterNesting, ctx.isCurrent(parent.block));
          b.unindexedAll = true; // the ids drive the lookup
          const list = ids.map((k) => b.param(k)).join(", ");
          const where = b.filter(src, "a", args.where);
          const o = b.order(src, "a", args.orderBy, args.orderDirection);
          const sql = `SELECT ${selectList(src, cols)} FROM ${src.sql} a${o.joins} WHERE ${atBlock("a", parent.block, ctx.isCurrent(parent.block))} AND a."id" IN (${list}) AND (${where}) ORDER BY ${o.terms}`;
          for (const r of ctx.all(sql, b.bindings())) rows.push(this.node(src, parent.block, r, cols));
        }
        const out = new Map<string, Node[]>();
        for (const l of lists) {
          const mine = new Set(
            (JSON.parse(l) as (string | null)[]).map((i) => (i === null ? "" : (this.idText(src, i) ?? ""))),
          );
          out.set(l, rows.filter((r) => mine.has(String(r.row.id))).slice(skip, skip + first));
        }
        return out;
      })
      .load(raw);
  }

  /** Fills in a row from an interface union with the concrete type's full row. */
  private async full(ctx: Context, node: Node): Promise<Node> {
    if (!node.partial) return node;
    const full = await this.byId(ctx, this.sources.get(node.type), node.block, String(node.row.id));
    if (!full) throw new GraphQLError(`${node.type} ${String(node.row.id)} vanished`);
    node.row = full.row;
    node.partial = false;
    return node;
  }

  private fieldResolver(typeName: string, f: FieldModel): GraphQLFieldResolver<Node, Context> {
    const src = this.sources.get(typeName);
    const col = src.columns.get(f.name);
    const resolve = (node: Node, args: CollectionArgs, ctx: Context, info?: GraphQLResolveInfo): unknown => {
      if (f.derivedFrom !== undefined) {
        return this.derived(ctx, node, f, args, info).then((found) => (f.list ? found : (found[0] ?? null)));
      }
      const raw = node.row[f.name];
      if (f.type.kind !== "ref") return outValue(col!, raw);
      if (raw === null || raw === undefined) return null;
      if (f.list) return this.referenced(ctx, node, f, raw as string, args, info);
      const target = this.sources.get(f.type.target);
      const id = target.idKind === "Int8" ? String(raw) : (raw as string);
      return this.byId(ctx, target, node.block, id, this.projection(target, info));
    };
    // Synchronous for stored scalars: a promise per field would dominate the cost of large answers.
    return (parent, args: CollectionArgs, ctx, info) =>
      parent.partial && col !== undefined && !(f.name in parent.row)
        ? this.full(ctx, parent).then((node) => resolve(node, args, ctx, info))
        : resolve(parent, args, ctx, info);
  }

  /**
   * An aggregation's field resolvers (its bucket tables share one column layout) and its collection field:
   * `interval` picks the bucket table; without `orderBy` the newest buckets come first (timestamp, then id,
   * descending), as graph-node answers.
   */
  private attachAggregation(agg: AggregationModel): void {
    const t = this.schema.getType(agg.name) as GraphQLObjectType;
    const fields = t.getFields();
    const columnsOf = aggregationKey(agg.name, agg.intervals[0]);
    for (const f of agg.fields)
      fields[f.name].resolve = this.fieldResolver(columnsOf, f) as GraphQLFieldResolver<unknown, unknown>;
    const query = this.schema.getQueryType()!.getFields();
    query[aggregationField(agg.name)].resolve = ((
      _root: unknown,
      args: CollectionArgs & { interval: AggregationInterval; current?: string | null; block?: never },
      ctx: Context,
    ) => {
      if (!agg.intervals.includes(args.interval)) {
        throw new GraphQLError(
          `aggregation ${agg.name} has no \`${args.interval}\` interval (it has ${agg.intervals.join(", ")})`,
        );
      }
      const block = this.blockNumber(ctx, args.block);
      let src = this.sources.get(aggregationKey(agg.name, args.interval));
      if (args.current === "include") src = withCurrentBuckets(this.store, agg, args.interval, src, block);
      const order = args.orderBy
        ? args
        : { ...args, orderBy: "timestamp", orderDirection: args.orderDirection ?? "desc" };
      return this.collection(ctx, src, block, order, null);
    }) as GraphQLFieldResolver<unknown, unknown>;
  }

  /** Wires resolvers and scalars into the generated schema. */
  private attach(): void {
    const schema = this.store.schema;
    for (const [name, impl] of Object.entries(SCALARS))
      Object.assign(this.schema.getType(name) as GraphQLScalarType, impl);
    for (const e of schema.entities.values()) {
      const t = this.schema.getType(e.name) as GraphQLObjectType;
      const fields = t.getFields();
      for (const f of e.fields)
        fields[f.name].resolve = this.fieldResolver(e.name, f) as GraphQLFieldResolver<unknown, unknown>;
    }
    for (const i of schema.interfaces.values()) {
      (this.schema.getType(i.name) as GraphQLInterfaceType).resolveType = (n: unknown) => (n as Node).type;
    }
    const query = this.schema.getQueryType()!.getFields();
    const owners = [...schema.interfaces.keys(), ...schema.entities.keys()];
    for (const name of owners) {
      const n = queryNames(name);
      const src = this.sources.get(name);
      query[n.single].resolve = ((
        _root: unknown,
        args: { id: string; block?: never },
        ctx: Context,
        info: GraphQLResolveInfo,
      ) => {
        const block = this.blockNumber(ctx, args.block);
        if (this.idSql(src, args.id) === undefined) return null;
        return this.byId(ctx, src, block, args.id, this.projection(src, info));
      }) as GraphQLFieldResolver<unknown, unknown>;
      query[n.collection].resolve = ((
        _root: unknown,
        args: CollectionArgs & { block?: never },
        ctx: Context,
        info: GraphQLResolveInfo,
      ) =>
        this.collection(
          ctx,
          src,
          this.blockNumber(ctx, args.block),
          args,
          this.projection(src, info),
        )) as GraphQLFieldResolver<unknown, unknown>;
    }
    for (const agg of schema.aggregations.values()) this.attachAggregation(agg);
    acceptStringEnum(this.schema.getType("Aggregation_interval") as GraphQLEnumType | undefined);
    query._meta.resolve = ((_root: unknown, args: { block?: never }, ctx: Context) => {
      const number = this.blockNumber(ctx, args.block);
      const ptr = number >= 0 ? this.store.blockAt(number) : null;
      return {
        block: {
          number: Math.max(number, 0),
          hash: ptr?.hash ?? null,
          timestamp: ptr?.timestamp ?? null,
          parentHash: ptr?.parentHash ?? null,
        },
        deployment: this.store.deployment(),
        hasIndexingErrors: this.store.hasIndexingErrors(Math.max(number, 0)),
      };
    }) as GraphQLFieldResolver<unknown, unknown>;
  }
}

/**
 * graph-node takes `interval: "day"` (a string) as well as `interval: day`; graphql-js only takes the enum
 * literal, so the enum's literal parser also accepts a string naming one of its values.
 */
function acceptStringEnum(t: GraphQLEnumType | undefined): void {
  if (!t) return;
  const literal = t.parseLiteral.bind(t);
  t.parseLiteral = (node, variables) =>
    node.kind === Kind.STRING ? t.parseValue(node.value) : literal(node, variables);
}

/**
 * When the statement running on this thread must stop. Statements run synchronously, one at a time per thread,
 * so one record per module (per worker thread) is enough.
 */
const running = { deadline: Infinity, timeoutMs: 0 };

/** SQL helpers the filters use: deterministic JS functions, and `tt_live`, the in-statement deadline check. */
function registerSqlFunctions(store: SqliteStore): void {
  const db = store.db;
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
