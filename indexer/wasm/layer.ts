/**
 * A handler's own entity writes, buffered over the block's writer: reads see them, and they reach the
 * block only when the handler succeeds (graph-node's per-handler cache layer).
 */
import type { BlockWriter, EntityData } from "../store/types";
import type { SchemaInfo } from "./schema-info";
import { idText, refersTo } from "./entity-refs";

export type EntityOp =
  { op: "set"; entityType: string; id: string; data: EntityData } | { op: "remove"; entityType: string; id: string };

export type EntityReader = Pick<BlockWriter, "get" | "getInBlock" | "loadRelated">;

const keyOf = (entityType: string, id: string): string => `${entityType}\u0000${id}`;

/**
 * An entity this handler wrote. `complete`: `data` is the whole entity (null: removed). Otherwise `data` holds only
 * the fields saved so far, to be merged over the block's version when the entity is read: a handler that saves a
 * new entity without loading it (most saves) need not look it up in the store, which does so again anyway.
 */
interface Written {
  entityType: string;
  id: string;
  data: EntityData | null;
  complete: boolean;
}

export class HandlerLayer {
  readonly ops: EntityOp[] = [];
  private readonly overlay = new Map<string, Written>();
  /** The block's versions read by this handler (the block does not change while it runs). */
  private readonly read = new Map<string, EntityData | null>();

  constructor(
    private readonly base: EntityReader,
    private readonly schema?: SchemaInfo,
  ) {}

  get(entityType: string, id: string): EntityData | null {
    const key = keyOf(entityType, id);
    const o = this.overlay.get(key);
    if (o) return this.whole(o, key) ? new Map(o.data!) : null;
    return this.baseGet(entityType, id, key);
  }

  getInBlock(entityType: string, id: string): EntityData | null {
    const key = keyOf(entityType, id);
    const o = this.overlay.get(key);
    if (o) return this.whole(o, key) ? new Map(o.data!) : null;
    return this.base.getInBlock(entityType, id);
  }

  /** A merge into the current version, as graph-node's store.set. */
  set(entityType: string, id: string, data: EntityData): void {
    const key = keyOf(entityType, id);
    const o = this.overlay.get(key);
    const merged = new Map(o?.data ?? []);
    for (const [k, v] of data) merged.set(k, v);
    // over a removal the entity is whole already: what was saved since
    this.overlay.set(key, { entityType, id, data: merged, complete: o ? o.complete : false });
    this.ops.push({ op: "set", entityType, id, data });
  }

  remove(entityType: string, id: string): void {
    this.overlay.set(keyOf(entityType, id), { entityType, id, data: null, complete: true });
    this.ops.push({ op: "remove", entityType, id });
  }

  /** The store's answer, corrected by this handler's writes to the derived-from type. */
  loadRelated(entityType: string, id: string, field: string): EntityData[] {
    const found = this.base.loadRelated(entityType, id, field);
    const derived = this.schema?.get(entityType)?.derived.get(field);
    if (!derived) return found;
    const byId = new Map<string, EntityData>();
    for (const e of found) byId.set(idText(e.get("id")) ?? "", e);
    for (const [key, o] of this.overlay) {
      if (o.entityType !== derived.entityType) continue;
      if (this.whole(o, key) && refersTo(o.data!.get(derived.field), id)) byId.set(o.id, new Map(o.data!));
      else byId.delete(o.id);
    }
    return [...byId.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  }

  /** The block's version, read once per handler; a copy. */
  private baseGet(entityType: string, id: string, key: string): EntityData | null {
    let d = this.read.get(key);
    if (d === undefined) {
      d = this.base.get(entityType, id);
      this.read.set(key, d);
    }
    return d && new Map(d);
  }

  /** Makes `o` whole (its saved fields over the block's version); whether the entity exists. */
  private whole(o: Written, key: string): boolean {
    if (!o.complete) {
      const merged = this.baseGet(o.entityType, o.id, key) ?? new Map();
      for (const [k, v] of o.data!) merged.set(k, v);
      [o.data, o.complete] = [merged, true];
    }
    return o.data !== null;
  }

  /** Replays the writes onto the block (where the store validates them). */
  applyTo(writer: Pick<BlockWriter, "set" | "remove">): void {
    for (const op of this.ops) {
      if (op.op === "set") writer.set(op.entityType, op.id, op.data);
      else writer.remove(op.entityType, op.id);
    }
  }
}
