/**
 * The GraphQL schema graph-node serves for a subgraph, generated from the schema model: per entity (and
 * interface) type a single-entity field and a collection field, `<T>_filter` inputs with the filter
 * suffixes, `<T>_orderBy` enums, `Block_height` time travel and `_meta`.
 */
import type { EntityModel, FieldModel, InterfaceModel, SchemaModel } from "../schema/model";
import { aggregationSdl } from "./aggregation-sdl";

export const MAX_FIRST = 1000;
export const MAX_SKIP = 5000;
export const DEFAULT_FIRST = 100;

const IRREGULAR: Record<string, string> = {
  person: "people",
  child: "children",
  man: "men",
  woman: "women",
  mouse: "mice",
  goose: "geese",
  foot: "feet",
  tooth: "teeth",
  datum: "data",
  criterion: "criteria",
  analysis: "analyses",
};
const UNCOUNTABLE = new Set(["series", "species", "sheep", "fish", "deer", "equipment", "information", "news", "data"]);

/** English plural of a camelCase name (its last word), as graph-node's inflector does for common words. */
export function pluralize(name: string): string {
  const m = /([A-Z]?[a-z0-9]*)$/.exec(name);
  const last = m ? m[1] : name;
  const head = name.slice(0, name.length - last.length);
  const lower = last.toLowerCase();
  const keepCase = (p: string) => (last[0] && last[0] !== lower[0] ? p[0].toUpperCase() + p.slice(1) : p);
  if (UNCOUNTABLE.has(lower)) return name;
  if (IRREGULAR[lower]) return head + keepCase(IRREGULAR[lower]);
  if (/(s|x|z|ch|sh)$/.test(lower)) return name + "es";
  if (/[^aeiou]y$/.test(lower)) return name.slice(0, -1) + "ies";
  return name + "s";
}

/** Words of a type name: `CertificateOfOrigin` → Certificate, Of, Origin; `CBPHold` → CBP, Hold. */
function words(name: string): string[] {
  return name.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[A-Z]+/g) ?? [name];
}

/** camelCase as graph-node's inflector writes root field names: first word lower case, others capitalised. */
export function camelCase(name: string): string {
  return words(name)
    .map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
    .join("");
}

export interface QueryNames {
  single: string;
  collection: string;
}

/** graph-node's root field names for a type; `_collection` when the plural equals the singular. */
export function queryNames(typeName: string): QueryNames {
  const single = camelCase(typeName);
  let collection = camelCase(pluralize(typeName));
  if (collection === single) collection = single + "_collection";
  return { single, collection };
}

type Owner = EntityModel | InterfaceModel;

/** The GraphQL scalar/enum/object name of a field's element type. */
function elementTypeName(f: FieldModel): string {
  return f.type.kind === "scalar" ? f.type.scalar : f.type.kind === "enum" ? f.type.name : f.type.target;
}

function outputType(f: FieldModel): string {
  const base = elementTypeName(f);
  if (!f.list) return base + (f.nonNull ? "!" : "");
  return `[${base}${f.elementNonNull ? "!" : ""}]${f.nonNull ? "!" : ""}`;
}

function collectionArgs(target: string): string {
  return (
    `skip: Int = 0, first: Int = ${DEFAULT_FIRST}, orderBy: ${target}_orderBy, ` +
    `orderDirection: OrderDirection, where: ${target}_filter`
  );
}

/**
 * The scalar name used in filters for a field. As in graph-node, references filter by their target's id
 * as a String (String and Bytes ids) or an Int (Int8 ids, so only up to 2^31 - 1 there).
 */
export function filterScalar(schema: SchemaModel, f: FieldModel): string {
  if (f.type.kind === "ref") {
    const t = schema.entities.get(f.type.target) ?? schema.interfaces.get(f.type.target)!;
    return t.idKind === "Int8" ? "Int" : "String";
  }
  return elementTypeName(f);
}

const CMP = ["", "_not", "_gt", "_lt", "_gte", "_lte"];
const STR = [
  "_contains",
  "_contains_nocase",
  "_not_contains",
  "_not_contains_nocase",
  "_starts_with",
  "_starts_with_nocase",
  "_not_starts_with",
  "_not_starts_with_nocase",
  "_ends_with",
  "_ends_with_nocase",
  "_not_ends_with",
  "_not_ends_with_nocase",
];
const LIST_OPS = ["", "_not", "_contains", "_contains_nocase", "_not_contains", "_not_contains_nocase"];

/** Every filter suffix a field gets, with its GraphQL input type. */
export function filterSuffixes(schema: SchemaModel, f: FieldModel): [string, string][] {
  const s = filterScalar(schema, f);
  if (f.derivedFrom !== undefined) return [];
  if (f.list) return LIST_OPS.map((op) => [op, `[${s}!]`]);
  const scalarOps = (ops: string[]): [string, string][] => ops.map((op) => [op, s]);
  const inOps: [string, string][] = [
    ["_in", `[${s}!]`],
    ["_not_in", `[${s}!]`],
  ];
  if (f.type.kind === "enum" || s === "Boolean") return [...scalarOps(["", "_not"]), ...inOps];
  if (s === "String") return [...scalarOps(CMP), ...inOps, ...scalarOps(STR)];
  if (s === "Bytes") return [...scalarOps(CMP), ...inOps, ...scalarOps(["_contains", "_not_contains"])];
  return [...scalarOps(CMP), ...inOps];
}

/**
 * Values of `<T>_orderBy`, as graph-node lists them: every field, and `ref__sub` for the scalar fields of a
 * referenced entity. Ordering by a list or a derived field is rejected when a query asks for it.
 */
export function orderByValues(schema: SchemaModel, owner: { fields: FieldModel[] }): string[] {
  const out: string[] = [];
  for (const f of owner.fields) {
    out.push(f.name);
    if (f.type.kind === "ref" && !f.list) {
      const target = schema.entities.get(f.type.target) ?? schema.interfaces.get(f.type.target)!;
      for (const g of target.fields) {
        if (g.list || g.type.kind === "ref") continue;
        out.push(`${f.name}__${g.name}`);
      }
    }
  }
  return out;
}

export function objectFields(owner: { fields: FieldModel[] }): string {
  return owner.fields
    .map((f) => {
      if (f.list && f.type.kind === "ref") return `  ${f.name}(${collectionArgs(f.type.target)}): ${outputType(f)}`;
      return `  ${f.name}: ${outputType(f)}`;
    })
    .join("\n");
}

function filterInput(schema: SchemaModel, owner: Owner): string {
  const lines: string[] = [];
  for (const f of owner.fields) {
    for (const [op, type] of filterSuffixes(schema, f)) lines.push(`  ${f.name}${op}: ${type}`);
    if (f.type.kind === "ref") lines.push(`  ${f.name}_: ${f.type.target}_filter`);
  }
  lines.push(`  _change_block: BlockChangedFilter`);
  lines.push(`  and: [${owner.name}_filter]`);
  lines.push(`  or: [${owner.name}_filter]`);
  return `input ${owner.name}_filter {\n${lines.join("\n")}\n}`;
}

/** The SDL of the query API. */
export function buildSdl(schema: SchemaModel): string {
  const parts: string[] = [
    `scalar BigInt`,
    `scalar BigDecimal`,
    `scalar Bytes`,
    `scalar Int8`,
    `scalar Timestamp`,
    `enum OrderDirection {\n  asc\n  desc\n}`,
    `enum _SubgraphErrorPolicy_ {\n  allow\n  deny\n}`,
    `input Block_height {\n  hash: Bytes\n  number: Int\n  number_gte: Int\n}`,
    `input BlockChangedFilter {\n  number_gte: Int!\n}`,
    `type _Block_ {\n  hash: Bytes\n  number: Int!\n  timestamp: Int\n  parentHash: Bytes\n}`,
    `type _Meta_ {\n  block: _Block_!\n  deployment: String!\n  hasIndexingErrors: Boolean!\n}`,
  ];
  for (const e of schema.enums.values()) parts.push(`enum ${e.name} {\n${e.values.map((v) => "  " + v).join("\n")}\n}`);
  const owners: Owner[] = [...schema.interfaces.values(), ...schema.entities.values()];
  for (const i of schema.interfaces.values()) parts.push(`interface ${i.name} {\n${objectFields(i)}\n}`);
  for (const e of schema.entities.values()) {
    const impl = e.interfaces.length > 0 ? ` implements ${e.interfaces.join(" & ")}` : "";
    parts.push(`type ${e.name}${impl} {\n${objectFields(e)}\n}`);
  }
  const query: string[] = [];
  for (const o of owners) {
    parts.push(filterInput(schema, o));
    const values = orderByValues(schema, o);
    parts.push(`enum ${o.name}_orderBy {\n${values.map((v) => "  " + v).join("\n")}\n}`);
    const n = queryNames(o.name);
    const common = `block: Block_height, subgraphError: _SubgraphErrorPolicy_! = deny`;
    query.push(`  ${n.single}(id: ID!, ${common}): ${o.name}`);
    query.push(`  ${n.collection}(${collectionArgs(o.name)}, ${common}): [${o.name}!]!`);
  }
  if (schema.aggregations.size > 0) {
    const agg = aggregationSdl(schema);
    parts.push(...agg.types);
    query.push(...agg.queryFields);
  }
  query.push(`  _meta(block: Block_height): _Meta_`);
  parts.push(`type Query {\n${query.join("\n")}\n}`);
  return parts.join("\n\n") + "\n";
}
