/**
 * The query side of a store (graph-node's `QueryStore`): what the GraphQL engine (`indexer/graphql/engine.ts`)
 * asks of stored entities, in the engine's terms and never in SQL. One request is one level of a GraphQL
 * query: a root collection, a batch of lookups by id, the @derivedFrom fields of a batch of parents, the
 * entities a batch of reference lists names, or an aggregation's buckets. Every read sees the store at one
 * block (time travel): the versions whose block range holds it.
 *
 * Semantics are graph-node's, and every implementation must give the same answers (the shared behaviour spec
 * `test/indexer/store/query-store.spec.ts` runs each one):
 * - `where` is a `<Type>_filter` object as the GraphQL layer received it: plain field filters with graph-node's
 *   operator suffixes (`_not`, `_gt`, `_lt`, `_gte`, `_lte`, `_in`, `_not_in`, `_contains`, `_starts_with`,
 *   `_ends_with`, their `_not_` and `_nocase` forms), `and`/`or` lists, `_change_block: {number_gte}` and child
 *   filters `field_: {…}` (one level deep unless `maxFilterNesting` allows more). Values are parsed scalars
 *   (BigInt/Int8/Timestamp as bigint, BigDecimal as BigDecimalValue, Bytes as lowercase 0x hex). A comparison
 *   with null matches nothing; `_not`/`_not_in`/`_not_*` never match a null field.
 * - `orderBy` is a stored scalar field or a child field `parent__field`; ties are broken by id in the same
 *   direction; nullable columns and child fields sort their nulls last in both directions; no `orderBy` is `id`.
 * - Rows carry the requested stored fields (`columns`, `id` always; null: every stored field) as GraphQL output
 *   values: BigInt, BigDecimal, Int8 and Timestamp as decimal strings, Int as number, Boolean as boolean, Bytes
 *   as 0x hex, references as id strings, lists as arrays. Rows of an interface carry `__typename` and the
 *   interface's fields.
 * - Bad filters and orders throw GraphQLErrors with the same messages in every implementation.
 *
 * Aggregations (`buckets`) are answered by the SQLite store only: the memory store does not roll up
 * timeseries (it throws a clear error).
 */
import type { AggregationInterval, SchemaModel } from "../schema/model";
import type { BlockPtr } from "./types";

/**
 * Levels of child filters (`field_: {…}`) one filter may nest. graph-node refuses a child filter inside another
 * (`ChildFilterNestingNotSupportedError`); each level is a correlated subquery, so deeper nesting multiplies
 * the work by the rows of every level.
 */
export const MAX_FILTER_NESTING = 1;

/** A stored entity version as the query sees it (see the module comment for the value forms). */
/** graph-node's filter operator suffixes, longest first, so that `_not_in` is not read as `_in`. */
const FILTER_SUFFIXES = [
  "_not_starts_with_nocase",
  "_not_ends_with_nocase",
  "_not_contains_nocase",
  "_starts_with_nocase",
  "_ends_with_nocase",
  "_contains_nocase",
  "_not_starts_with",
  "_not_ends_with",
  "_not_contains",
  "_starts_with",
  "_ends_with",
  "_contains",
  "_not_in",
  "_not",
  "_gte",
  "_lte",
  "_gt",
  "_lt",
  "_in",
];

/** The field and the operator suffix of a plain filter key (`weightKg_gte` → weightKg, `_gte`); no field if none. */
export function splitFilterName(fields: { has(name: string): boolean }, key: string): { field?: string; op: string } {
  if (fields.has(key)) return { field: key, op: "" };
  for (const o of FILTER_SUFFIXES) {
    if (key.endsWith(o) && fields.has(key.slice(0, -o.length))) return { field: key.slice(0, -o.length), op: o };
  }
  return { op: "" };
}

export type QueryRow = Record<string, unknown>;

export type OrderDirection = "asc" | "desc";

/** What one query may spend; stores check it before each read (and, where they can, inside long ones). */
export interface QueryGuard {
  /** Throws once the query has run out of time. */
  check(): void;
  /** The time (Date.now() scale) at which a running read must stop. */
  readonly deadline: number;
  readonly timeoutMs: number;
  /** Counts rows loaded; throws once a query loads more than it may. */
  loaded(rows: number): void;
  /** Levels of child filters (`field_: {…}`) one filter may nest (graph-node allows one). */
  readonly maxFilterNesting: number;
  /** Called after each read with the store's text of it (SQL for SQLite), for diagnostics and benchmarks. */
  trace?: (text: string, params: Record<number, unknown>, ms: number, rows: number) => void;
}

/** Filtering, ordering and columns shared by the requests. */
export interface Selection {
  /** An entity type or an interface. */
  type: string;
  block: number;
  where?: Record<string, unknown> | null;
  orderBy?: string | null;
  orderDirection?: string | null;
  /** Stored fields to read (`id` is always read); null: every stored field. */
  columns: string[] | null;
}

export interface Page {
  first: number;
  skip: number;
}

/** A root collection: `shipments(where:…, orderBy:…, first:…, skip:…)`. */
export type CollectionRequest = Selection & Page;

/** Lookups by id (`shipment(id:…)` and single references), batched. Bad ids find nothing. */
export interface ByIdRequest {
  type: string;
  block: number;
  ids: string[];
  columns: string[] | null;
}

/**
 * A @derivedFrom field of a batch of parents: entities of `type` whose field `backRef` holds each parent's id
 * (or lists it), filtered, ordered and paged per parent.
 */
export type DerivedRequest = Selection &
  Page & {
    /** The field of `type` pointing back at the parents. */
    backRef: string;
    /** The parents' type (its id kind). */
    parentType: string;
    parentIds: string[];
  };

/** The entities a batch of stored reference lists name: filtered and ordered, the caller pages each list. */
export type ReferencedRequest = Selection & { ids: string[] };

/** An aggregation's buckets of one interval; `current: include` adds the buckets not rolled up yet. */
export type BucketsRequest = Page & {
  aggregation: string;
  interval: AggregationInterval;
  current: boolean;
  block: number;
  where?: Record<string, unknown> | null;
  orderBy?: string | null;
  orderDirection?: string | null;
};

export interface QueryStore {
  readonly schema: SchemaModel;

  /**
   * Runs one query's reads against one consistent state of the store, however the indexer commits meanwhile
   * (where the store can: a read-only connection of its own holds a read transaction).
   */
  snapshot<T>(run: () => Promise<T>): Promise<T>;

  /** The last committed block, or null for an empty store. */
  head(): BlockPtr | null;
  blockAt(number: number): BlockPtr | null;
  blockByHash(hash: string): BlockPtr | null;
  deployment(): string;
  /** The subgraph has failed, or a non-fatal error was recorded at or below `block`. */
  hasIndexingErrors(block: number): boolean;

  /** The id as the store keeps it (Bytes lowercase, Int8 in decimal), or null if it is not a valid id of `type`. */
  canonicalId(type: string, id: string): string | null;

  collection(guard: QueryGuard, req: CollectionRequest): QueryRow[];
  byIds(guard: QueryGuard, req: ByIdRequest): QueryRow[];
  /** Rows per parent id (canonical form); parents without matches are absent. */
  derived(guard: QueryGuard, req: DerivedRequest): Map<string, QueryRow[]>;
  referenced(guard: QueryGuard, req: ReferencedRequest): QueryRow[];
  buckets(guard: QueryGuard, req: BucketsRequest): QueryRow[];
}

/** Something that serves queries through a QueryStore (an EntityStore that can also be queried). */
export interface Queryable {
  queryStore(): QueryStore;
}

export function isQueryStore(x: QueryStore | Queryable): x is QueryStore {
  return typeof (x as QueryStore).collection === "function";
}
