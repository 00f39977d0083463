/**
 * The query API of aggregations, as graph-node generates it: per `@aggregation` type an object type, one
 * collection field (no single-entity field) with a required `interval`, an optional `current`, and a
 * `<T>_filter` whose fields are the id, `timestamp` and the dimensions with only equality, range and `_in`
 * for numbers and timestamps, equality for everything else (references also get the `_` child filter).
 */
import type { AggregationModel, FieldModel, SchemaModel } from "../schema/model";
import { DEFAULT_FIRST, filterScalar, objectFields, orderByValues, queryNames } from "./sdl";

const RANGE_OPS = ["", "_gt", "_lt", "_gte", "_lte", "_in"];
const RANGE_SCALARS = ["BigInt", "BigDecimal", "Int", "Int8", "Timestamp"];

function filterLines(schema: SchemaModel, f: FieldModel): string[] {
  const s = filterScalar(schema, f);
  const lines =
    RANGE_SCALARS.includes(s) && f.type.kind !== "ref"
      ? RANGE_OPS.map((op) => `  ${f.name}${op}: ${op === "_in" ? `[${s}!]` : s}`)
      : [`  ${f.name}: ${s}`];
  if (f.type.kind === "ref") lines.push(`  ${f.name}_: ${f.type.target}_filter`);
  return lines;
}

function filterInput(schema: SchemaModel, agg: AggregationModel): string {
  const lines = agg.fields
    .filter((f) => !agg.aggregates.some((a) => a.field === f))
    .flatMap((f) => filterLines(schema, f));
  lines.push(`  _change_block: BlockChangedFilter`, `  and: [${agg.name}_filter]`, `  or: [${agg.name}_filter]`);
  return `input ${agg.name}_filter {\n${lines.join("\n")}\n}`;
}

/** The collection field's name for an aggregation (graph-node's plural, `_collection` if equal). */
export function aggregationField(name: string): string {
  return queryNames(name).collection;
}

/** Type definitions and root query fields for the schema's aggregations. */
export function aggregationSdl(schema: SchemaModel): { types: string[]; queryFields: string[] } {
  const types = [
    `enum Aggregation_interval {\n  hour\n  day\n}`,
    `enum Aggregation_current {\n  exclude\n  include\n}`,
  ];
  const queryFields: string[] = [];
  for (const agg of schema.aggregations.values()) {
    types.push(`type ${agg.name} {\n${objectFields(agg)}\n}`);
    types.push(filterInput(schema, agg));
    types.push(
      `enum ${agg.name}_orderBy {\n${orderByValues(schema, agg)
        .map((v) => "  " + v)
        .join("\n")}\n}`,
    );
    queryFields.push(
      `  ${aggregationField(agg.name)}(skip: Int = 0, first: Int = ${DEFAULT_FIRST}, interval: Aggregation_interval!, ` +
        `orderBy: ${agg.name}_orderBy, orderDirection: OrderDirection, current: Aggregation_current, ` +
        `where: ${agg.name}_filter, block: Block_height, subgraphError: _SubgraphErrorPolicy_! = deny): [${agg.name}!]!`,
    );
  }
  return { types, queryFields };
}
