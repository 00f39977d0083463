/**
 * The mocked entity store of a test file: handler writes land here directly (there are no blocks), tests
 * inspect it with the `assert.*` host functions, and `clearStore` empties it.
 */
import { hexlify } from "ethers";
import { Kind, parse } from "graphql";
import type { EntityData, StoreValue } from "../store/types";
import * as bd from "../wasm/bigdecimal";
import { DeterministicError } from "../wasm/errors";
import { HandlerLayer, type EntityReader } from "../wasm/layer";
import type { SchemaInfo } from "../wasm/schema-info";
import { refersTo } from "../wasm/entity-refs";

const emptyReader: EntityReader = { get: () => null, getInBlock: () => null, loadRelated: () => [] };

/** A value as matchstick prints and compares it in `fieldEquals` (arrays as `[a, b]`). */
export function storeValueText(v: StoreValue): string {
  switch (v.kind) {
    case "String":
      return v.value;
    case "Int":
      return String(v.value);
    case "Int8":
    case "BigInt":
    case "Timestamp":
      return v.value.toString();
    case "BigDecimal":
      return bd.toString(v.value);
    case "Bool":
      return v.value ? "true" : "false";
    case "Bytes":
      return hexlify(v.value);
    case "Null":
      return "null";
    case "Array":
      return `[${v.value.map(storeValueText).join(", ")}]`;
  }
}

/** Plain JSON for `logStore` / `logEntity`. */
export function entityJson(data: EntityData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [...data.keys()].sort()) {
    const v = data.get(k)!;
    out[k] = v.kind === "Array" ? v.value.map(storeValueText) : v.kind === "Null" ? null : storeValueText(v);
  }
  return out;
}

/** Non-null, non-derived fields of each entity type: what matchstick requires on `store.set`. */
export type RequiredFields = Map<string, Set<string>>;

export function requiredFields(sdl: string): RequiredFields {
  const out: RequiredFields = new Map();
  for (const def of parse(sdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    if (!def.directives?.some((d) => d.name.value === "entity")) continue;
    const required = new Set<string>();
    for (const f of def.fields ?? []) {
      const derived = f.directives?.some((d) => d.name.value === "derivedFrom");
      if (f.type.kind === Kind.NON_NULL_TYPE && !derived) required.add(f.name.value);
    }
    out.set(def.name.value, required);
  }
  return out;
}

/**
 * matchstick's store: `store.set` replaces the entity (after checking its required fields), `store.remove`
 * of a missing entity fails, and `store.get_in_block` sees only what `mockInBlockStore` put there.
 */
export class MockStore extends HandlerLayer {
  private readonly entities = new Map<string, Map<string, EntityData>>();
  private readonly inBlock = new Map<string, Map<string, EntityData>>();

  constructor(
    private readonly schemaInfo?: SchemaInfo,
    private readonly required?: RequiredFields,
  ) {
    super(emptyReader, schemaInfo);
  }

  private checkRequired(entityType: string, data: EntityData): void {
    for (const field of this.required?.get(entityType) ?? []) {
      const v = data.get(field);
      if (!v) {
        throw new DeterministicError(
          `Missing value for non-nullable field '${field}' for an entity of type '${entityType}'.`,
        );
      }
      if (v.kind === "Null") {
        throw new DeterministicError(`The required field '${field}' for an entity of type '${entityType}' is null.`);
      }
    }
  }

  private static table(m: Map<string, Map<string, EntityData>>, entityType: string): Map<string, EntityData> {
    let t = m.get(entityType);
    if (!t) m.set(entityType, (t = new Map()));
    return t;
  }

  override get(entityType: string, id: string): EntityData | null {
    const e = this.entities.get(entityType)?.get(id);
    return e ? new Map(e) : null;
  }

  override getInBlock(entityType: string, id: string): EntityData | null {
    const e = this.inBlock.get(entityType)?.get(id);
    return e ? new Map(e) : null;
  }

  override set(entityType: string, id: string, data: EntityData): void {
    this.checkRequired(entityType, data);
    MockStore.table(this.entities, entityType).set(id, new Map(data));
  }

  override remove(entityType: string, id: string): void {
    if (!this.entities.get(entityType)?.delete(id)) {
      throw new DeterministicError(`(store.remove) Entity with type '${entityType}' and id '${id}' does not exist.`);
    }
  }

  override loadRelated(entityType: string, id: string, field: string): EntityData[] {
    const derived = this.schemaInfo?.get(entityType)?.derived.get(field);
    if (!derived) return [];
    const table = this.entities.get(derived.entityType) ?? new Map<string, EntityData>();
    return [...table.entries()]
      .filter(([, e]) => refersTo(e.get(derived.field), id))
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, e]) => new Map(e));
  }

  /** `mockInBlockStore`: an entity visible to `loadInBlock` only. */
  setInBlock(entityType: string, id: string, data: EntityData): void {
    this.checkRequired(entityType, data);
    MockStore.table(this.inBlock, entityType).set(id, new Map(data));
  }

  count(entityType: string): number {
    return this.entities.get(entityType)?.size ?? 0;
  }

  clear(): void {
    this.entities.clear();
    this.inBlock.clear();
  }

  clearInBlock(): void {
    this.inBlock.clear();
  }

  /** Every entity by type and id, for `logStore`. */
  dump(): Record<string, Record<string, Record<string, unknown>>> {
    const out: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const t of [...this.entities.keys()].sort()) {
      const table = this.entities.get(t)!;
      if (table.size === 0) continue;
      out[t] = {};
      for (const id of [...table.keys()].sort()) out[t][id] = entityJson(table.get(id)!);
    }
    return out;
  }
}
