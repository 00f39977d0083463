/**
 * Timeseries and `@aggregation` types, validated with graph-node's rules (its `validate_aggregations`):
 * a timeseries is an immutable entity with `id: Int8!` and `timestamp: Timestamp`; an aggregation names a
 * timeseries `source`, non-empty `intervals` out of hour/day, an Int8 id and a Timestamp `timestamp`, at least
 * one `@aggregate(fn:, arg:, cumulative:)` field, and dimensions that the source has with the same type.
 */
import { Kind, type ConstDirectiveNode, type ConstValueNode, type ObjectTypeDefinitionNode } from "graphql";
import {
  AGGREGATE_FNS,
  INTERVAL_SECONDS,
  SchemaError,
  type AggregateFn,
  type AggregateModel,
  type AggregationInterval,
  type AggregationModel,
  type EntityModel,
  type FieldModel,
} from "./model";

const NUMERIC = ["Int", "Int8", "BigInt", "BigDecimal"];
/** graph-node's widening order for an aggregate's `arg`: the field may be wider than the source, never narrower. */
const WIDTH: Record<string, number> = { Int: 0, Int8: 1, BigInt: 2, BigDecimal: 3 };

function baseName(f: FieldModel): string {
  return f.type.kind === "scalar" ? f.type.scalar : f.type.kind === "enum" ? f.type.name : f.type.target;
}

function isScalar(f: FieldModel, ...names: string[]): boolean {
  return f.type.kind === "scalar" && names.includes(f.type.scalar);
}

/** Checks a `timestamp` field as graph-node does (`Type {0} has a timestamp field of type …`). */
function checkTimestamp(kind: string, owner: string, fields: Map<string, FieldModel>): void {
  const ts = fields.get("timestamp");
  if (!ts) throw new SchemaError(`${kind} ${owner} is missing a \`timestamp\` field`);
  if (!isScalar(ts, "Timestamp") || ts.list) {
    throw new SchemaError(
      `Type ${owner} has a \`timestamp\` field of type ${baseName(ts)}, but it must be of type Timestamp`,
    );
  }
}

/** A timeseries entity: immutable, `id: Int8!`, a Timestamp `timestamp`. */
export function checkTimeseries(e: EntityModel, immutableArg: boolean | undefined): void {
  if (immutableArg === false) throw new SchemaError(`Timeseries ${e.name} is marked as mutable, it must be immutable`);
  if (e.idKind !== "Int8") throw new SchemaError(`Timeseries ${e.name} must have an \`id\` of type Int8!`);
  checkTimestamp("Timeseries", e.name, e.fieldsByName);
}

function directiveArg(d: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return d.arguments?.find((a) => a.name.value === name)?.value;
}

function intervalsOf(name: string, d: ConstDirectiveNode): AggregationInterval[] {
  const v = directiveArg(d, "intervals");
  if (!v) throw new SchemaError(`Aggregation ${name} is missing an \`intervals\` argument`);
  const wrong = () =>
    new SchemaError(
      `Aggregation ${name} has an invalid argument for \`intervals\`: it must be a non-empty list of strings`,
    );
  if (v.kind !== Kind.LIST || v.values.length === 0) throw wrong();
  const out: AggregationInterval[] = [];
  for (const x of v.values) {
    if (x.kind !== Kind.STRING) throw wrong();
    if (!(x.value in INTERVAL_SECONDS)) {
      throw new SchemaError(`Aggregation ${name}: the interval ${x.value} is not supported (only hour and day)`);
    }
    if (!out.includes(x.value as AggregationInterval)) out.push(x.value as AggregationInterval);
  }
  // Rolled up smallest first, as graph-node does.
  return out.sort((a, b) => INTERVAL_SECONDS[a] - INTERVAL_SECONDS[b]);
}

function sourceOf(name: string, d: ConstDirectiveNode, entities: Map<string, EntityModel>): EntityModel {
  const v = directiveArg(d, "source");
  if (!v) throw new SchemaError(`Aggregation ${name} is missing the \`source\` argument`);
  if (v.kind !== Kind.STRING) {
    throw new SchemaError(
      `Aggregation ${name} has an invalid argument for \`source\`: it must be the name of a timeseries`,
    );
  }
  const source = entities.get(v.value);
  if (!source) throw new SchemaError(`Aggregation ${name} uses ${v.value} as the source, but there is no such type`);
  if (!source.timeseries) {
    throw new SchemaError(`Aggregation ${name} uses ${v.value} as the source, but that type is not a timeseries`);
  }
  return source;
}

/** The `@aggregate` directive of one field, checked against the source timeseries. */
function aggregateOf(agg: string, field: FieldModel, d: ConstDirectiveNode, source: EntityModel): AggregateModel {
  const where = `Field ${field.name} in aggregation ${agg}`;
  const fnValue = directiveArg(d, "fn");
  if (!fnValue) throw new SchemaError(`${where} is missing the \`fn\` argument`);
  const fnName = fnValue.kind === Kind.STRING || fnValue.kind === Kind.ENUM ? fnValue.value : "";
  if (!(AGGREGATE_FNS as readonly string[]).includes(fnName)) {
    throw new SchemaError(`${where} uses the unknown aggregation function \`${fnName || fnValue.kind}\``);
  }
  const fn = fnName as AggregateFn;
  const firstLast = fn === "first" || fn === "last";
  if (field.list) throw new SchemaError(`${where} is a list; aggregates must be single values`);
  if (!isScalar(field, ...NUMERIC)) {
    const allowed = firstLast && (isScalar(field, "Bytes", "String") || field.type.kind === "ref");
    if (!allowed) {
      throw new SchemaError(
        firstLast
          ? `${where}: first/last aggregates must be numeric, Bytes, String or an entity reference`
          : `${where} has type ${baseName(field)}, but aggregates must be numeric (Int, Int8, BigInt, BigDecimal)`,
      );
    }
  }
  const cumulativeValue = directiveArg(d, "cumulative");
  if (cumulativeValue && cumulativeValue.kind !== Kind.BOOLEAN) {
    throw new SchemaError(`${where} has an invalid value for \`cumulative\`. It needs to be a boolean`);
  }
  const cumulative = cumulativeValue?.kind === Kind.BOOLEAN && cumulativeValue.value;
  const argValue = directiveArg(d, "arg");
  if (!argValue) {
    if (fn !== "count")
      throw new SchemaError(`${where} is missing the \`arg\` argument since the function ${fn} requires it`);
    if (!isScalar(field, ...NUMERIC)) throw new SchemaError(`${where}: count must be numeric`);
    return { field, fn, cumulative };
  }
  if (argValue.kind !== Kind.STRING)
    throw new SchemaError(`${where} has an invalid argument for \`arg\`: it must be a string`);
  const arg = argValue.value;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg)) {
    throw new SchemaError(
      `${where}: \`arg\` expressions (${arg}) are not supported by this runtime; name a source field`,
    );
  }
  const src = source.fieldsByName.get(arg);
  if (!src) throw new SchemaError(`${where} has \`arg\` ${arg} but the source type does not have such a field`);
  if (isScalar(src, ...NUMERIC) && !src.list) {
    if (isScalar(field, ...NUMERIC) && WIDTH[baseName(src)] > WIDTH[baseName(field)]) {
      throw new SchemaError(
        `${where} has \`arg\` ${arg} of type ${baseName(field)} but it is of the wider type ${baseName(src)} in the source`,
      );
    }
    if (!isScalar(field, ...NUMERIC)) throw new SchemaError(`${where} must be numeric like its \`arg\` ${arg}`);
  } else {
    const sameKind = !src.list && firstLast && baseName(src) === baseName(field);
    if (!sameKind)
      throw new SchemaError(`${where} has arg \`${arg}\` but that is not a numeric field in ${source.name}`);
  }
  return { field, fn, arg, cumulative };
}

/**
 * Builds an aggregation from its type node and the already parsed fields (with the `@aggregate`
 * directives left for this function). `entities` must hold every entity type of the schema.
 */
export function parseAggregation(
  node: ObjectTypeDefinitionNode,
  fields: FieldModel[],
  entities: Map<string, EntityModel>,
): AggregationModel {
  const name = node.name.value;
  const directive = node.directives!.find((d) => d.name.value === "aggregation")!;
  const fieldsByName = new Map(fields.map((f) => [f.name, f]));
  const id = fieldsByName.get("id");
  if (!id) throw new SchemaError(`type \`${name}\` has no \`id\` field`);
  if (!isScalar(id, "Int8") || !id.nonNull || id.list) {
    throw new SchemaError(
      `The type of the \`id\` field for aggregation ${name} must be Int8!, the same as in the source`,
    );
  }
  checkTimestamp("Aggregation", name, fieldsByName);
  const source = sourceOf(name, directive, entities);
  const intervals = intervalsOf(name, directive);
  const dimensions: FieldModel[] = [];
  const aggregates: AggregateModel[] = [];
  for (const fieldNode of node.fields ?? []) {
    const field = fieldsByName.get(fieldNode.name.value)!;
    if (field.derivedFrom !== undefined) {
      throw new SchemaError(
        `Aggregation ${name} has a derived field ${field.name} but fields in aggregations can not be derived`,
      );
    }
    if (field.name === "id" || field.name === "timestamp") continue;
    const d = fieldNode.directives?.find((x) => x.name.value === "aggregate");
    if (d) {
      aggregates.push(aggregateOf(name, field, d, source));
      continue;
    }
    const src = source.fieldsByName.get(field.name);
    if (!src)
      throw new SchemaError(
        `Aggregation ${name} uses ${source.name} as the source, but that does not have a field ${field.name}`,
      );
    if (baseName(src) !== baseName(field) || src.list !== field.list) {
      throw new SchemaError(
        `Field ${field.name} in aggregation ${name} has type ${baseName(field)} but its type in the source is ${baseName(src)}`,
      );
    }
    dimensions.push(field);
  }
  if (aggregates.length === 0) throw new SchemaError(`Aggregation ${name} has no @aggregate fields`);
  return { name, source: source.name, intervals, fields, fieldsByName, dimensions, aggregates };
}
