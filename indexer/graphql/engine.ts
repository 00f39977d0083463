/**
 * graph-node's query API over a QueryStore: the generated schema, resolvers that make one store request per
 * level (sibling lookups are batched), time travel, limits on `first`/`skip`, depth and time. The store
 * answers in its own terms (SQL for SQLite, `indexer/store/sqlite-query-store.ts`); nothing here knows them.
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
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from "graphql";
import { isStored, type AggregationInterval, type AggregationModel, type FieldModel } from "../schema/model";
import { aggregationField } from "./aggregation-sdl";
import { leanExecute } from "./lean-execute";
import { hexToBytes, bytesToHex, parseBigDecimal } from "../store/encoding";
import {
  MAX_FILTER_NESTING,
  isQueryStore,
  type QueryGuard,
  type QueryRow,
  type QueryStore,
  type Queryable,
} from "../store/query-store";
import { DEFAULT_FIRST, MAX_FIRST, MAX_SKIP, buildSdl, queryNames } from "./sdl";
import { messageOf } from "../../lib/errors";

export interface QueryEngineOptions {
  /** Deepest selection nesting accepted (graph-node's GRAPH_GRAPHQL_MAX_DEPTH). */
  maxDepth?: number;
  /** Most fields one operation may select, counting each use of a fragment and each alias. */
  maxFields?: number;
  /**
   * Time after which a query is abandoned: checked between store reads and, where the store can (SQLite's
   * `tt_live()`), inside a running one.
   */
  timeoutMs?: number;
  /** Levels of `field_` child filters one filter may nest (graph-node allows one). */
  maxFilterNesting?: number;
  /** Most entity rows one query may load. */
  maxRows?: number;
  /** Called after each store read with its text (SQL for SQLite), for diagnostics and benchmarks. */
  trace?: QueryGuard["trace"];
  /**
   * What executes a validated query: `lean` (`lean-execute.ts`, the default) or graphql-js's own `execute`,
   * which answers the same and is kept to check that it does.
   */
  executor?: "lean" | "graphql-js";
}

export interface GraphQLRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** How many parsed and validated query documents an engine keeps. */
const DOCUMENT_CACHE = 64;

/** What resolvers pass around: a stored row of a type, seen at a block. */
interface Node {
  type: string;
  block: number;
  row: QueryRow;
  /** Rows from an interface union carry only the interface's columns. */
  partial: boolean;
  /**
   * The nodes one store read returned with this one. A field resolved on one of them is read for all of them
   * in one store request, so a list of n rows costs one request per field, not n.
   */
  siblings: Node[];
}

/** What `Context.known` answers for a key its read has not answered yet. */
const UNREAD = Symbol("unread");

/** A group read that failed: every field that needed it fails with the same error. */
class Failed {
  constructor(readonly error: unknown) {}
}

/**
 * One query's state: what its group reads found, and the guard the store checks its reads against. Reads are
 * synchronous (the store is), so resolvers answer without promises: a promise per entity would cost more than
 * reading it.
 */
class Context implements QueryGuard {
  readonly started = Date.now();
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly maxFilterNesting: number;
  readonly trace: QueryGuard["trace"];
  rows = 0;
  /** Group reads by what they read (type, block, columns, arguments), then by key: the value, or undefined. */
  private readonly reads = new Map<string, Map<string, unknown>>();

  constructor(
    readonly engine: QueryEngine,
    /** The head when the query started; queries without `block` read at it, so all levels agree. */
    readonly head: number,
  ) {
    this.timeoutMs = engine.timeoutMs;
    this.deadline = this.started + engine.timeoutMs;
    this.maxFilterNesting = engine.maxFilterNesting;
    this.trace = engine.trace;
  }

  /**
   * `key`'s answer from the read `what` if that read has answered it (throwing its failure), else `UNREAD`:
   * the common case, a row whose sibling's field already read it, costs no closures.
   */
  known(what: string, key: string): unknown {
    const v = this.reads.get(what)?.get(key);
    if (v === undefined) return this.reads.get(what)?.has(key) ? undefined : UNREAD;
    if (v instanceof Failed) throw v.error;
    return v;
  }

  /**
   * `key`'s answer from the read `what`. On a miss, the keys `group` lists that are not known yet are read with
   * it in one request; keys the read does not answer are remembered as undefined, a failure as that failure.
   */
  read<V>(
    what: string,
    key: string,
    group: () => Iterable<string>,
    run: (keys: string[]) => Map<string, V>,
  ): V | undefined {
    let known = this.reads.get(what);
    if (!known) this.reads.set(what, (known = new Map()));
    if (!known.has(key)) {
      const keys = new Set([key]);
      for (const k of group()) if (!known.has(k)) keys.add(k);
      try {
        const found = run([...keys]);
        for (const k of keys) known.set(k, found.get(k));
      } catch (e) {
        const failed = new Failed(e);
        for (const k of keys) known.set(k, failed);
      }
    }
    const v = known.get(key);
    if (v instanceof Failed) throw v.error;
    return v as V | undefined;
  }

  check(): void {
    if (Date.now() - this.started > this.timeoutMs) {
      throw new GraphQLError(`query timed out after ${this.timeoutMs} ms`);
    }
  }

  loaded(rows: number): void {
    this.rows += rows;
    if (this.rows > this.engine.maxRows) {
      throw new GraphQLError(`query loads more than ${this.engine.maxRows} entities; narrow it down`);
    }
  }
}

/** The `Context` read of rows of `src` by id at `block` with the columns `cols`. */
function byIdRead(src: TypeView, block: number, cols: string[] | null): string {
  return `id|${src.name}|${block}|${cols?.join(",") ?? "*"}`;
}

function jsonKey(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
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

/** What the engine knows of a type rows come from: its fields, and whether rows are of it (not an interface). */
interface TypeView {
  name: string;
  concrete: boolean;
  fields: Map<string, FieldModel>;
}

export class QueryEngine {
  readonly sdl: string;
  readonly schema: GraphQLSchema;
  readonly store: QueryStore;
  readonly maxDepth: number;
  readonly maxFields: number;
  readonly timeoutMs: number;
  readonly maxRows: number;
  readonly maxFilterNesting: number;
  readonly trace: QueryEngineOptions["trace"];
  readonly executor: NonNullable<QueryEngineOptions["executor"]>;
  private readonly types = new Map<string, TypeView>();
  /** Recently executed query texts, parsed and validated (valid ones only); least recent first. */
  private readonly documents = new Map<string, DocumentNode>();
  /** Each field's projection, by the field nodes graphql-js resolves it for, then by the type read. */
  private readonly projections = new WeakMap<readonly FieldNode[], Map<string, string[] | null>>();

  /** Serves `store`'s query side; an EntityStore that is Queryable (SqliteStore, MemoryStore) may be given. */
  constructor(store: QueryStore | Queryable, options: QueryEngineOptions = {}) {
    this.store = isQueryStore(store) ? store : store.queryStore();
    this.maxDepth = options.maxDepth ?? 24;
    this.maxFields = options.maxFields ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxRows = options.maxRows ?? 250_000;
    this.maxFilterNesting = options.maxFilterNesting ?? MAX_FILTER_NESTING;
    this.trace = options.trace;
    this.executor = options.executor ?? "lean";
    const schema = this.store.schema;
    for (const e of schema.entities.values())
      this.types.set(e.name, { name: e.name, concrete: true, fields: e.fieldsByName });
    for (const i of schema.interfaces.values())
      this.types.set(i.name, { name: i.name, concrete: false, fields: i.fieldsByName });
    for (const a of schema.aggregations.values())
      this.types.set(a.name, { name: a.name, concrete: true, fields: a.fieldsByName });
    this.sdl = buildSdl(schema);
    this.schema = buildSchema(this.sdl);
    this.attach();
  }

  private type(name: string): TypeView {
    const t = this.types.get(name);
    if (!t) throw new Error(`unknown type ${name}`);
    return t;
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
      const result = await this.store.snapshot(() => {
        const head = this.store.head();
        const args = {
          schema: this.schema,
          document,
          variableValues: (req.variables ?? undefined) as Record<string, unknown> | undefined,
          operationName: (req.operationName ?? undefined) as string | undefined,
          contextValue: new Context(this, head ? head.number : -1),
        };
        return Promise.resolve((this.executor === "lean" && leanExecute(args)) || execute(args));
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

  /** Rows as resolvers see them, siblings of one another; `cols` are the columns read (null: all of them). */
  private nodes(src: TypeView, block: number, rows: QueryRow[], cols: string[] | null = null): Node[] {
    const siblings: Node[] = [];
    for (const row of rows) {
      const type = src.concrete ? src.name : (row.__typename as string);
      siblings.push({ type, block, row, partial: !src.concrete || cols !== null, siblings });
    }
    return siblings;
  }

  /**
   * The stored columns a selection reads from rows of a concrete `src` (`id` always), so that a query that
   * asks for `shipment { id }` does not read and decode every column of every shipment row; null (every
   * column) for interfaces or when the selection cannot be read with certainty. A field whose column was
   * not read is filled in by `full` (rows read with a projection are marked partial).
   */
  private projection(src: TypeView, info: GraphQLResolveInfo | undefined): string[] | null {
    if (!info || !src.concrete) return null;
    // graphql-js hands every item of a list the same field nodes: work the projection out once per list.
    let byType = this.projections.get(info.fieldNodes);
    if (!byType) this.projections.set(info.fieldNodes, (byType = new Map()));
    let cols = byType.get(src.name);
    if (cols === undefined) byType.set(src.name, (cols = this.projectionOf(src, info)));
    return cols;
  }

  private projectionOf(src: TypeView, info: GraphQLResolveInfo): string[] | null {
    const names = new Set<string>(["id"]);
    const visit = (set: SelectionSetNode | undefined): boolean => {
      if (!set) return true;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const name = sel.name.value;
          if (name === "__typename") continue;
          const field = src.fields.get(name);
          if (!field) return false;
          if (isStored(field)) names.add(name);
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

  /**
   * The row of `src` at `block` with `id`, read together with the ids `group` lists (the same reference on
   * the sibling rows) unless already read. Ids are in the store's canonical text form, as every id and
   * reference a row holds is (the store renders them).
   */
  private byId(
    ctx: Context,
    src: TypeView,
    block: number,
    id: string,
    cols: string[] | null,
    group: () => Iterable<string>,
  ): Node | null {
    const found = ctx.read(byIdRead(src, block, cols), id, group, (ids) => {
      const rows = this.store.byIds(ctx, { type: src.name, block, ids, columns: cols });
      return new Map(this.nodes(src, block, rows, cols).map((n) => [String(n.row.id), n]));
    });
    return found ?? null;
  }

  /** A root collection query. */
  private collection(ctx: Context, src: TypeView, block: number, args: CollectionArgs, cols: string[] | null): Node[] {
    const { first, skip } = checkPaging(args);
    return this.nodes(
      src,
      block,
      this.store.collection(ctx, { ...args, type: src.name, block, first, skip, columns: cols }),
      cols,
    );
  }

  /** The sibling rows of `node`'s own type that hold field `name` (a row read partially may lack it). */
  private *peers(node: Node, name: string): Iterable<Node> {
    for (const n of node.siblings) if (n.type === node.type && name in n.row) yield n;
  }

  /** Entities whose back-reference field points at each parent (a @derivedFrom field), paged per parent. */
  private derived(
    ctx: Context,
    parent: Node,
    f: FieldModel,
    args: CollectionArgs,
    info: GraphQLResolveInfo | undefined,
  ): Node[] {
    if (f.type.kind !== "ref") throw new Error("not a reference");
    const src = this.type(f.type.target);
    const { first, skip } = f.list ? checkPaging(args) : { first: 1, skip: 0 };
    const cols = this.projection(src, info);
    const what = `derived|${parent.type}.${f.name}|${parent.block}|${jsonKey([args, first, skip, cols])}`;
    const found = ctx.read(
      what,
      String(parent.row.id),
      () => [...this.peers(parent, "id")].map((n) => String(n.row.id)),
      (parents) => {
        const rows = this.store.derived(ctx, {
          ...args,
          type: src.name,
          block: parent.block,
          first,
          skip,
          columns: cols,
          backRef: f.derivedFrom!,
          parentType: parent.type,
          parentIds: parents,
        });
        const all = this.nodes(src, parent.block, [...rows.values()].flat(), cols);
        const out = new Map<string, Node[]>();
        let at = 0;
        for (const [p, mine] of rows) out.set(p, all.slice(at, (at += mine.length)));
        return out;
      },
    );
    return found ?? [];
  }

  /** A stored list of references, filtered, ordered and paged. */
  private referenced(
    ctx: Context,
    parent: Node,
    f: FieldModel,
    refs: (string | null)[],
    args: CollectionArgs,
    info: GraphQLResolveInfo | undefined,
  ): Node[] {
    if (f.type.kind !== "ref") throw new Error("not a reference");
    const src = this.type(f.type.target);
    const { first, skip } = checkPaging(args);
    const cols = this.projection(src, info);
    const what = `list|${parent.type}.${f.name}|${parent.block}|${jsonKey([args, cols])}`;
    const found = ctx.read(
      what,
      JSON.stringify(refs),
      () => {
        const lists: string[] = [];
        for (const n of this.peers(parent, f.name))
          if (Array.isArray(n.row[f.name])) lists.push(JSON.stringify(n.row[f.name]));
        return lists;
      },
      (lists) => {
        const all = new Set<string>();
        for (const l of lists) for (const id of JSON.parse(l) as (string | null)[]) if (id !== null) all.add(id);
        const ids = [...all].filter((i) => this.store.canonicalId(src.name, i) !== null);
        if (ids.length > 30_000) throw new GraphQLError(`list field \`${f.name}\` holds too many references to query`);
        const rows = this.nodes(
          src,
          parent.block,
          this.store.referenced(ctx, { ...args, type: src.name, block: parent.block, ids, columns: cols }),
          cols,
        );
        const out = new Map<string, Node[]>();
        for (const l of lists) {
          const mine = new Set(
            (JSON.parse(l) as (string | null)[]).map((i) => (i === null ? "" : this.store.canonicalId(src.name, i))),
          );
          out.set(l, rows.filter((r) => mine.has(String(r.row.id))).slice(skip, skip + first));
        }
        return out;
      },
    );
    return found ?? [];
  }

  /** Fills in a row from an interface union (or read with a projection) with the concrete type's full row. */
  private full(ctx: Context, node: Node): Node {
    if (!node.partial) return node;
    const partial = (): Iterable<string> => {
      const ids: string[] = [];
      for (const n of node.siblings) if (n.type === node.type && n.partial) ids.push(String(n.row.id));
      return ids;
    };
    const full = this.byId(ctx, this.type(node.type), node.block, String(node.row.id), null, partial);
    if (!full) throw new GraphQLError(`${node.type} ${String(node.row.id)} vanished`);
    node.row = full.row;
    node.partial = false;
    return node;
  }

  /**
   * A field's resolver, one kind per kind of field: scalars and enums are read off the row, references are
   * looked up (batched with the siblings' ones), derived fields read by back-reference. A row read with a
   * projection that lacks a stored field is filled in first.
   */
  private fieldResolver(f: FieldModel): GraphQLFieldResolver<Node, Context> {
    if (f.derivedFrom !== undefined) {
      return (node, args: CollectionArgs, ctx, info) => {
        const found = this.derived(ctx, node, f, args, info);
        return f.list ? found : (found[0] ?? null);
      };
    }
    const name = f.name;
    if (f.type.kind !== "ref") {
      return (node, _args, ctx) => {
        const value = (node.partial && !(name in node.row) ? this.full(ctx, node) : node).row[name];
        return value ?? null;
      };
    }
    if (f.list) {
      return (parent, args: CollectionArgs, ctx, info) => {
        const node = parent.partial && !(name in parent.row) ? this.full(ctx, parent) : parent;
        const value = node.row[name];
        if (value === null || value === undefined) return null;
        return this.referenced(ctx, node, f, value as (string | null)[], args, info);
      };
    }
    return this.referenceResolver(f, f.type.target);
  }

  /** A single reference's resolver: the row it names, read with the same reference of every sibling row. */
  private referenceResolver(f: FieldModel, targetName: string): GraphQLFieldResolver<Node, Context> {
    const name = f.name;
    let target: TypeView | undefined;
    // The read's key for the last block and projection seen: every row of a list shares them.
    let last: { block: number; cols: string[] | null; what: string } | undefined;
    return (parent, _args, ctx, info) => {
      const node = parent.partial && !(name in parent.row) ? this.full(ctx, parent) : parent;
      const value = node.row[name];
      if (value === null || value === undefined) return null;
      target ??= this.type(targetName);
      const cols = this.projection(target, info);
      if (last?.block !== node.block || last.cols !== cols) {
        last = { block: node.block, cols, what: byIdRead(target, node.block, cols) };
      }
      const found = ctx.known(last.what, value as string);
      if (found !== UNREAD) return found ?? null;
      const refs = (): Iterable<string> => {
        const ids: string[] = [];
        for (const n of this.peers(node, name)) if (typeof n.row[name] === "string") ids.push(n.row[name] as string);
        return ids;
      };
      return this.byId(ctx, target, node.block, value as string, cols, refs);
    };
  }

  /**
   * An aggregation's field resolvers (its bucket tables share one column layout) and its collection field:
   * `interval` picks the bucket table; without `orderBy` the newest buckets come first (timestamp, then id,
   * descending), as graph-node answers.
   */
  private attachAggregation(agg: AggregationModel): void {
    const t = this.schema.getType(agg.name) as GraphQLObjectType;
    const fields = t.getFields();
    for (const f of agg.fields)
      fields[f.name].resolve = this.fieldResolver(f) as GraphQLFieldResolver<unknown, unknown>;
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
      const order = args.orderBy
        ? args
        : { ...args, orderBy: "timestamp", orderDirection: args.orderDirection ?? "desc" };
      const { first, skip } = checkPaging(order);
      const src = this.type(agg.name);
      return this.nodes(
        src,
        block,
        this.store.buckets(ctx, {
          ...order,
          aggregation: agg.name,
          interval: args.interval,
          current: args.current === "include",
          block,
          first,
          skip,
        }),
      );
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
        fields[f.name].resolve = this.fieldResolver(f) as GraphQLFieldResolver<unknown, unknown>;
    }
    for (const i of schema.interfaces.values()) {
      (this.schema.getType(i.name) as GraphQLInterfaceType).resolveType = (n: unknown) => (n as Node).type;
    }
    const query = this.schema.getQueryType()!.getFields();
    const owners = [...schema.interfaces.keys(), ...schema.entities.keys()];
    for (const name of owners) {
      const n = queryNames(name);
      const src = this.type(name);
      query[n.single].resolve = ((
        _root: unknown,
        args: { id: string; block?: never },
        ctx: Context,
        info: GraphQLResolveInfo,
      ) => {
        const block = this.blockNumber(ctx, args.block);
        const id = this.store.canonicalId(name, args.id);
        if (id === null) return null;
        return this.byId(ctx, src, block, id, this.projection(src, info), () => []);
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
