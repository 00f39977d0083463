/**
 * What every block writer checks the same way, with graph-node's messages: the entity type of a write, the
 * fields a `set` may name, the derived field `loadRelated` follows, and whether a stored reference names an id.
 */
import type { EntityModel, FieldModel, SchemaModel } from "../schema/model";
import { canonicalIdText, idToString } from "./encoding";
import { EntityValidationError, type EntityData, type StoreValue } from "./types";

/** Throws graph-node's validation error for a write of entity `id` of type `e`. */
export function invalidWrite(e: Pick<EntityModel, "name">, id: string, msg: string): never {
  throw new EntityValidationError(`Entity ${e.name}[${id}]: ${msg}`);
}

/** The entity type a write names; an interface or an unknown type is refused. */
export function entityOf(schema: SchemaModel, entityType: string, id: string): EntityModel {
  const e = schema.entities.get(entityType);
  if (!e) {
    const what = schema.interfaces.has(entityType)
      ? "is an interface, not an entity type"
      : "is not an entity type of the schema";
    invalidWrite({ name: entityType }, id, `\`${entityType}\` ${what}`);
  }
  return e;
}

/** Refuses fields the type does not have and derived fields, which are never stored. */
export function checkSettable(e: EntityModel, id: string, data: EntityData): void {
  // Every save passes here: it makes no array or closure unless it fails.
  let derived: string | undefined;
  for (const k of data.keys()) {
    const f = e.fieldsByName.get(k);
    if (f === undefined) {
      const unknown = [...data.keys()].filter((x) => !e.fieldsByName.has(x));
      invalidWrite(
        e,
        id,
        `Attempted to set undefined fields [${unknown.join(", ")}] for the entity type \`${e.name}\``,
      );
    }
    if (f.derivedFrom !== undefined) derived ??= k;
  }
  if (derived !== undefined) {
    invalidWrite(e, id, `field \`${derived}\` is derived and cannot be set`);
  }
}

/** The `@derivedFrom` field `loadRelated` follows, and the entity types whose rows it reads. */
export function derivedLookup(
  schema: SchemaModel,
  e: EntityModel,
  id: string,
  field: string,
): { backRef: string; targets: string[] } {
  const f: FieldModel | undefined = e.fieldsByName.get(field);
  if (!f) invalidWrite(e, id, `unknown field \`${field}\``);
  if (f.derivedFrom === undefined || f.type.kind !== "ref") {
    invalidWrite(e, id, `field \`${field}\` is not derived`);
  }
  const target = f.type.target;
  const targets = schema.entities.has(target) ? [target] : (schema.interfaces.get(target)?.implementations ?? []);
  return { backRef: f.derivedFrom, targets };
}

/** Whether a reference value names the canonical id `key` (directly or as a list element). */
export function references(v: StoreValue | undefined, key: string): boolean {
  if (!v || v.kind === "Null") return false;
  if (v.kind === "Array") return v.value.some((x) => references(x, key));
  try {
    const kind = v.kind === "Bytes" ? "Bytes" : v.kind === "Int8" ? "Int8" : "String";
    return canonicalIdText(kind, idToString(v)) === key;
  } catch {
    return false;
  }
}

/** Orders canonical ids as the store sorts them: Int8 ids by value, the others as text. */
export function compareIds(e: EntityModel, a: string, b: string): number {
  if (e.idKind === "Int8") {
    const d = BigInt(a) - BigInt(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
