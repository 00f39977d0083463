/**
 * Which fields a store indexes. graph-node indexes every attribute of every version, which makes the store
 * several times larger than its data and every write update dozens of indexes. A subgraph may instead declare
 * the fields its queries filter and order on, in `indexes.json` beside `schema.graphql`:
 *
 *   { "Shipment": ["riskScore", "billOfLading", "parties"], "RiskFlag": ["rule", "active"] }
 *
 * A declared field is indexed over current versions only (what queries at the head read); queries at an older
 * block and filters on other fields still answer, through a scan. Ids and the fields `@derivedFrom` reads
 * are always indexed over every version, so that lookups and navigation at any block stay indexed.
 * Without the file every field is indexed over every version, as graph-node does.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SchemaError, type SchemaModel } from "./model";

/** Declared fields by entity type. */
export type IndexPlan = ReadonlyMap<string, ReadonlySet<string>>;

/** The file a subgraph declares its indexes in, beside its schema. */
export const INDEX_PLAN_FILE = "indexes.json";

/** Reads the index plan beside a schema file; null when the subgraph declares none. */
export function loadIndexPlan(schemaPath: string, schema: SchemaModel): IndexPlan | null {
  const file = join(dirname(schemaPath), INDEX_PLAN_FILE);
  if (!existsSync(file)) return null;
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
  const plan = new Map<string, Set<string>>();
  for (const [type, fields] of Object.entries(json as Record<string, unknown>)) {
    if (type.startsWith("$")) continue; // "$comment" and the like
    const entity = schema.entities.get(type);
    if (!entity) throw new SchemaError(`${where}: \`${type}\` is not an entity type of the schema`);
    if (!Array.isArray(fields) || fields.some((f) => typeof f !== "string")) {
      throw new SchemaError(`${where}: \`${type}\` must list field names`);
    }
    for (const name of fields as string[]) {
      const field = entity.fieldsByName.get(name);
      if (!field) throw new SchemaError(`${where}: \`${type}\` has no field \`${name}\``);
      if (field.derivedFrom !== undefined) {
        throw new SchemaError(`${where}: \`${type}.${name}\` is derived, not stored: index \`${field.derivedFrom}\``);
      }
    }
    plan.set(type, new Set(fields as string[]));
  }
  return plan;
}
