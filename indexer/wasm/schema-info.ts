/**
 * What the host needs to know about the GraphQL schema: each entity type's id type, its fields, and where
 * its @derivedFrom fields point (for store.loadRelated over the handler's own writes). Validation of values
 * is the store's job.
 */
import { Kind, parse, type TypeNode } from "graphql";

export type IdType = "String" | "Bytes" | "Int8";

export interface EntityTypeInfo {
  idType: IdType;
  fields: Set<string>;
  /** field name → the entity type and field it is derived from. */
  derived: Map<string, { entityType: string; field: string }>;
}

export type SchemaInfo = Map<string, EntityTypeInfo>;

function namedType(t: TypeNode): string {
  return t.kind === Kind.NAMED_TYPE ? t.name.value : namedType(t.type);
}

export function schemaInfo(sdl: string): SchemaInfo {
  const info: SchemaInfo = new Map();
  for (const def of parse(sdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    if (!def.directives?.some((d) => d.name.value === "entity")) continue;
    const entry: EntityTypeInfo = { idType: "String", fields: new Set(), derived: new Map() };
    for (const f of def.fields ?? []) {
      entry.fields.add(f.name.value);
      if (f.name.value === "id") {
        const t = namedType(f.type);
        entry.idType = t === "Bytes" ? "Bytes" : t === "Int8" ? "Int8" : "String";
      }
      const d = f.directives?.find((x) => x.name.value === "derivedFrom");
      const arg = d?.arguments?.find((a) => a.name.value === "field");
      if (arg && arg.value.kind === Kind.STRING) {
        entry.derived.set(f.name.value, { entityType: namedType(f.type), field: arg.value.value });
      }
    }
    info.set(def.name.value, entry);
  }
  return info;
}
