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

export class HandlerLayer {
  readonly ops: EntityOp[] = [];
  private readonly overlay = new Map<string, { entityType: string; id: string; data: EntityData | null }>();

  constructor(
    private readonly base: EntityReader,
    private readonly schema?: SchemaInfo,
  ) {}

  get(entityType: string, id: string): EntityData | null {
    const o = this.overlay.get(keyOf(entityType, id));
    if (o) return o.data && new Map(o.data);
    return this.base.get(entityType, id);
  }

  getInBlock(entityType: string, id: string): EntityData | null {
    const o = this.overlay.get(keyOf(entityType, id));
    if (o) return o.data && new Map(o.data);
    return this.base.getInBlock(entityType, id);
  }

  /** A merge into the current version, as graph-node's store.set. */
  set(entityType: string, id: string, data: EntityData): void {
    const merged = new Map(this.get(entityType, id) ?? []);
    for (const [k, v] of data) merged.set(k, v);
    this.overlay.set(keyOf(entityType, id), { entityType, id, data: merged });
    this.ops.push({ op: "set", entityType, id, data });
  }

  remove(entityType: string, id: string): void {
    this.overlay.set(keyOf(entityType, id), { entityType, id, data: null });
    this.ops.push({ op: "remove", entityType, id });
  }

  /** The store's answer, corrected by this handler's writes to the derived-from type. */
  loadRelated(entityType: string, id: string, field: string): EntityData[] {
    const found = this.base.loadRelated(entityType, id, field);
    const derived = this.schema?.get(entityType)?.derived.get(field);
    if (!derived) return found;
    const byId = new Map<string, EntityData>();
    for (const e of found) byId.set(idText(e.get("id")) ?? "", e);
    for (const o of this.overlay.values()) {
      if (o.entityType !== derived.entityType) continue;
      if (o.data && refersTo(o.data.get(derived.field), id)) byId.set(o.id, new Map(o.data));
      else byId.delete(o.id);
    }
    return [...byId.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
  }

  /** Replays the writes onto the block (where the store validates them). */
  applyTo(writer: Pick<BlockWriter, "set" | "remove">): void {
    for (const op of this.ops) {
      if (op.op === "set") writer.set(op.entityType, op.id, op.data);
      else writer.remove(op.entityType, op.id);
    }
  }
}
