/**
 * Which fields a store indexes. graph-node indexes every attribute of every version, which makes the store
 * several times larger than its data and every write update dozens of indexes. A subgraph may instead declare
 * the fields its queries filter and order on, in `indexes.json` beside `schema.graphql`:
 *
 *   { "Shipment": { "order": ["riskScore"], "filter": ["billOfLading", "parties"] } }
 *
 * A declared field is indexed over current versions only (what queries at the head read): an `order` field
 * by (field, id), which serves `orderBy: field` without sorting, a `filter` field by the field alone (smaller:
 * a 72-byte id is not repeated in it). Queries at an older block and filters on other fields still answer,
 * through a scan. `"a+b"` indexes filter field a with b after it: a query filtering on both (a range on a, a
 * test on b) reads b from the index and fetches only the rows that pass; b may be the ORDER BY field, whose own
 * filter (`riskScore_gte`) then bounds the rows too. A list ending with an order field (`"a+b"`, b an order
 * field) also holds the id last, so that an equality on a walks ORDER BY b, id; a range on a gains nothing
 * from it, so such an index lists the order field before a filter field. An order field indexed with filter
 * fields (`"rank+status"`: (rank, id, status)) lets a walk in rank order test status on the index entries and
 * fetch only the rows that pass. Ids and the fields `@derivedFrom` reads are always indexed over every version, so that
 * lookups and navigation at any block stay indexed. Without the file every field is indexed over every
 * version, as graph-node does.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { SchemaError, type SchemaModel } from "./model";

/** How a declared field is used: ordered on (and maybe filtered), or filtered only. */
export type IndexUse = "order" | "filter";

/** A declared field: how queries use it, and the fields its index holds after it (`"a+b"`, filter only). */
export interface IndexSpec {
  use: IndexUse;
  with: readonly string[];
}

/** Declared fields by entity type. */
export type IndexPlan = ReadonlyMap<string, ReadonlyMap<string, IndexSpec>>;

/** The file a subgraph declares its indexes in, beside its schema. */
export const INDEX_PLAN_FILE = "indexes.json";

/**
 * The plan file of a schema file: beside it, or, for the copy `graph build` makes (`<subgraph>/build/schema.graphql`,
 * which the runtime loads), beside the source schema in `<subgraph>`; null when there is none.
 */
export function indexPlanFile(schemaPath: string): string | null {
  const dir = dirname(schemaPath);
  const candidates = [join(dir, INDEX_PLAN_FILE)];
  if (basename(dir) === "build") candidates.push(join(dirname(dir), INDEX_PLAN_FILE));
  return candidates.find((f) => existsSync(f)) ?? null;
}

/** Reads the index plan of a schema file (see indexPlanFile); null when the subgraph declares none. */
export function loadIndexPlan(schemaPath: string, schema: SchemaModel): IndexPlan | null {
  const file = indexPlanFile(schemaPath);
  if (file === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new SchemaError(`${file} is not JSON: ${(e as Error).message}`);
  }
  return parseIndexPlan(json, schema, file);
}

/** Checks a plan against the schema: every entity and field must exist and be stored. */
export function parseIndexPlan(json: unknown, schema: SchemaModel, where = INDEX_PLAN_FILE): IndexPlan {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new SchemaError(`${where}: expected an object of entity type → field names`);
  }
  const plan = new Map<string, Map<string, IndexSpec>>();
  for (const [type, uses] of Object.entries(json as Record<string, unknown>)) {
    if (type.startsWith("$")) continue; // "$comment" and the like
    const entity = schema.entities.get(type);
    if (!entity) throw new SchemaError(`${where}: \`${type}\` is not an entity type of the schema`);
    if (typeof uses !== "object" || uses === null || Array.isArray(uses)) {
      throw new SchemaError(`${where}: \`${type}\` must be an object with "order" and/or "filter" field lists`);
    }
    const fields = new Map<string, IndexSpec>();
    for (const [use, names] of Object.entries(uses as Record<string, unknown>)) {
      if (use !== "order" && use !== "filter") {
        throw new SchemaError(`${where}: \`${type}\` has \`${use}\`; only "order" and "filter" are known`);
      }
      if (!Array.isArray(names) || names.some((f) => typeof f !== "string")) {
        throw new SchemaError(`${where}: \`${type}.${use}\` must list field names`);
      }
      for (const entry of names as string[]) {
        const [name, ...rest] = entry.split("+");
        for (const part of [name, ...rest]) {
          const field = entity.fieldsByName.get(part);
          if (!field) throw new SchemaError(`${where}: \`${type}\` has no field \`${part}\``);
          if (field.derivedFrom !== undefined) {
            throw new SchemaError(
              `${where}: \`${type}.${part}\` is derived, not stored: index \`${field.derivedFrom}\``,
            );
          }
          if ((use === "order" || rest.length > 0) && field.list) {
            throw new SchemaError(`${where}: \`${type}.${part}\` is a list: filter only, on its own`);
          }
        }
        if (fields.has(name)) throw new SchemaError(`${where}: \`${type}.${name}\` is declared twice`);
        fields.set(name, { use, with: rest });
      }
    }
    plan.set(type, fields);
  }
  return plan;
}
