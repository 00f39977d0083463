/**
 * A subgraph schema as the store and the query API need it: entity types with typed fields, enums,
 * references and derived fields. Built from `schema.graphql` by `parseSubgraphSchema`.
 */
import type { IndexPlan } from "./index-plan";

/** The scalar types graph-node stores. `ID` is kept apart from `String` only for the GraphQL side. */
export type ScalarKind = "ID" | "String" | "Bytes" | "BigInt" | "BigDecimal" | "Int" | "Int8" | "Boolean" | "Timestamp";

export const SCALAR_KINDS: readonly ScalarKind[] = [
  "ID",
  "String",
  "Bytes",
  "BigInt",
  "BigDecimal",
  "Int",
  "Int8",
  "Boolean",
  "Timestamp",
];

/** The kinds an entity id may have, with how the id is kept in the store. */
export type IdKind = "String" | "Bytes" | "Int8";

export type FieldType =
  | { kind: "scalar"; scalar: ScalarKind }
  | { kind: "enum"; name: string }
  /** A reference to an entity (or interface) type; its value is the target's id. */
  | { kind: "ref"; target: string };

export interface FieldModel {
  name: string;
  /** The element type for lists. */
  type: FieldType;
  /** `T!` (for lists: the list itself is non-null). */
  nonNull: boolean;
  list: boolean;
  /** `[T!]`: list elements may not be null. */
  elementNonNull: boolean;
  /** `@derivedFrom(field:)`: never stored, resolved by reverse lookup. */
  derivedFrom?: string;
}

export interface EntityModel {
  name: string;
  immutable: boolean;
  /** `timeseries: true` entities are treated as immutable entities. */
  timeseries: boolean;
  idKind: IdKind;
  /** Every field in schema order, `id` included. */
  fields: FieldModel[];
  fieldsByName: Map<string, FieldModel>;
  /** Interfaces this type implements. */
  interfaces: string[];
}

export interface InterfaceModel {
  name: string;
  fields: FieldModel[];
  fieldsByName: Map<string, FieldModel>;
  idKind: IdKind;
  implementations: string[];
}

export interface EnumModel {
  name: string;
  values: string[];
}

/** graph-node's aggregation intervals, smallest first, with their length in seconds. */
export const INTERVAL_SECONDS = { hour: 3600, day: 86400 } as const;
export type AggregationInterval = keyof typeof INTERVAL_SECONDS;

/** graph-node's aggregate functions (`@aggregate(fn:)`); `count` is the only one without `arg`. */
export type AggregateFn = "sum" | "count" | "min" | "max" | "first" | "last";
export const AGGREGATE_FNS: readonly AggregateFn[] = ["sum", "count", "min", "max", "first", "last"];

/** An `@aggregate` field of an aggregation. */
export interface AggregateModel {
  field: FieldModel;
  fn: AggregateFn;
  /** The source field it aggregates (absent for `count`). */
  arg?: string;
  /** Aggregates over the whole series up to the bucket's end instead of the bucket alone. */
  cumulative: boolean;
}

/**
 * A `@aggregation(intervals:, source:)` type: one bucket per interval and combination of dimension values,
 * rolled up from the `source` timeseries. Its `id` (Int8) and `timestamp` (the bucket start) are set by the
 * store; the other non-aggregate fields are the dimensions.
 */
export interface AggregationModel {
  name: string;
  source: string;
  intervals: AggregationInterval[];
  /** `id`, `timestamp`, the dimensions and the aggregates, in schema order. */
  fields: FieldModel[];
  fieldsByName: Map<string, FieldModel>;
  dimensions: FieldModel[];
  aggregates: AggregateModel[];
}

export interface SchemaModel {
  entities: Map<string, EntityModel>;
  /** `@aggregation` types by name (not entities: mappings cannot write or load them). */
  aggregations: Map<string, AggregationModel>;
  interfaces: Map<string, InterfaceModel>;
  enums: Map<string, EnumModel>;
  /** The source SDL, kept so that a store can tell whether it was built from the same schema. */
  source: string;
  /** The fields the subgraph declares for indexing (`indexes.json`); null: index every field. */
  indexes: IndexPlan | null;
}

/** Thrown for schema features the embedded runtime does not support, or a schema graph-node would reject. */
export class SchemaError extends Error {}

/** Column names the store reserves for itself. */
export const RESERVED_FIELD_NAMES: readonly string[] = ["vid", "block_from", "block_to", "same_as_next"];

/** An entity or an interface: anything a reference may point at. */
export function targetIdKind(schema: SchemaModel, target: string): IdKind {
  const e = schema.entities.get(target) ?? schema.interfaces.get(target);
  if (!e) throw new SchemaError(`unknown type \`${target}\``);
  return e.idKind;
}

/** Whether the field is stored in its own column (everything but derived fields). */
export function isStored(field: FieldModel): boolean {
  return field.derivedFrom === undefined;
}
