/**
 * An entity store in JS maps: every version of every entity with its block range, as the SQLite store keeps
 * them (a version is visible at blocks `from <= b < to`, `to` is OPEN_BLOCK while it is current), behind the
 * same writer interface (EntityStore/BlockWriter), so the same blocks can be loaded into both. Its query side
 * is `memory-query-store.ts`. It is the second implementation the query-store behaviour spec runs, and a store
 * for tests that need time travel without a database.
 *
 * Not carried: timeseries roll-ups (aggregation buckets), and the SQLite store's value checks beyond the
 * field names (unknown, derived and missing non-null fields are refused as there).
 */
import { createHash } from "node:crypto";
import type { EntityModel, SchemaModel } from "../schema/model";
import { parseSubgraphSchema } from "../schema/parse";
import { canonicalIdText, idValue, taggedToJson } from "./encoding";
import { OPEN_BLOCK } from "./layout";
import { MemoryQueryStore } from "./memory-query-store";
import type { Queryable, QueryStore } from "./query-store";
import { dataPoint } from "./timeseries";
import { checkSettable, compareIds, derivedLookup, entityOf, invalidWrite, references } from "./write-checks";
import {
  type BlockPtr,
  type BlockWriter,
  type EntityData,
  type EntityStore,
  type StoredDataSource,
  type SubgraphFailure,
} from "./types";

/** One version of an entity: its data, visible at blocks `from <= b < to`. */
export interface MemoryVersion {
  from: number;
  to: number;
  data: EntityData;
}

/** The canonical key of an id of a type (Bytes lowercase, Int8 in decimal); throws for a bad id. */
export function memoryKey(e: { idKind: EntityModel["idKind"]; name: string }, id: string): string {
  try {
    return canonicalIdText(e.idKind, id);
  } catch (err) {
    invalidWrite(e, id, (err as Error).message);
  }
}

function sameData(a: EntityData, b: EntityData): boolean {
  const json = (d: EntityData) =>
    JSON.stringify(
      [...d]
        .filter(([, v]) => v.kind !== "Null")
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([k, v]) => [k, taggedToJson(v)]),
    );
  return json(a) === json(b);
}

export class MemoryStore implements EntityStore, Queryable {
  /** Versions by entity type and canonical id, oldest first. */
  readonly versions = new Map<string, Map<string, MemoryVersion[]>>();
  private readonly blocks = new Map<number, BlockPtr>();
  private headNumber: number | null = null;
  private readonly created: StoredDataSource[] = [];
  private readonly errors: { failure: SubgraphFailure; fatal: boolean }[] = [];
  private writer: MemoryBlockWriter | null = null;
  private query: MemoryQueryStore | null = null;

  constructor(
    readonly schema: SchemaModel,
    private readonly deploymentId = "",
  ) {}

  static fromSdl(sdl: string, deployment = ""): MemoryStore {
    return new MemoryStore(parseSubgraphSchema(sdl), deployment);
  }

  queryStore(): QueryStore {
    return (this.query ??= new MemoryQueryStore(this));
  }

  deployment(): string {
    return this.deploymentId;
  }

  head(): BlockPtr | null {
    return this.headNumber === null ? null : this.blockAt(this.headNumber);
  }

  blockAt(number: number): BlockPtr | null {
    return this.blocks.get(number) ?? null;
  }

  blockByHash(hash: string): BlockPtr | null {
    const h = hash.toLowerCase();
    for (const b of this.blocks.values()) if (b.hash === h) return b;
    return null;
  }

  /** The versions of one entity (oldest first), or an empty list. */
  history(type: string, key: string): MemoryVersion[] {
    return this.versions.get(type)?.get(key) ?? [];
  }

  beginBlock(block: BlockPtr): BlockWriter {
    if (this.writer) throw new Error(`block ${this.writer.block.number} is still open; commit or discard it first`);
    if (!Number.isSafeInteger(block.number) || block.number < 0 || block.number >= OPEN_BLOCK) {
      throw new Error(`invalid block number ${block.number}`);
    }
    if (this.headNumber !== null && block.number <= this.headNumber) {
      throw new Error(`block ${block.number} is not after the head ${this.headNumber}; revert first`);
    }
    this.writer = new MemoryBlockWriter(this, {
      ...block,
      hash: block.hash.toLowerCase(),
      parentHash: block.parentHash?.toLowerCase(),
    });
    return this.writer;
  }

  /** @internal the writer's commit: closes current versions and opens new ones at the block. */
  commitBlock(w: MemoryBlockWriter, staged: Map<string, Map<string, EntityData | null>>): void {
    const n = w.block.number;
    for (const [type, entries] of staged) {
      let byId = this.versions.get(type);
      if (!byId) this.versions.set(type, (byId = new Map()));
      for (const [key, data] of entries) {
        const list = byId.get(key) ?? [];
        const current = list.length > 0 && list[list.length - 1].to === OPEN_BLOCK ? list[list.length - 1] : null;
        if (data === null) {
          if (current) current.to = n;
          continue;
        }
        if (current && sameData(current.data, data)) continue; // a no-op write
        if (current) current.to = n;
        list.push({ from: n, to: OPEN_BLOCK, data });
        byId.set(key, list);
      }
    }
    this.blocks.set(n, w.block);
    this.created.push(...w.createdSources);
    for (const failure of w.failures) this.errors.push({ failure, fatal: false });
    this.headNumber = n;
    this.release(w);
  }

  /** @internal */
  release(w: MemoryBlockWriter): void {
    if (this.writer === w) this.writer = null;
  }

  revertTo(number: number): void {
    if (this.writer) throw new Error(`cannot revert while block ${this.writer.block.number} is open`);
    for (const byId of this.versions.values()) {
      for (const [key, list] of byId) {
        const kept = list.filter((v) => v.from <= number);
        for (const v of kept) if (v.to > number) v.to = OPEN_BLOCK;
        if (kept.length === 0) byId.delete(key);
        else byId.set(key, kept);
      }
    }
    for (const n of [...this.blocks.keys()]) if (n > number) this.blocks.delete(n);
    const keep = <T>(xs: T[], ok: (x: T) => boolean) => xs.splice(0, xs.length, ...xs.filter(ok));
    keep(this.created, (d) => d.createdAt <= number);
    keep(this.errors, (e) => e.failure.block.number <= number);
    const below = [...this.blocks.keys()].filter((n) => n <= number);
    this.headNumber = below.length === 0 ? null : Math.max(...below);
  }

  dataSources(): StoredDataSource[] {
    return this.created.map((d) => ({ ...d, params: [...d.params] }));
  }

  setFailure(failure: SubgraphFailure | null): void {
    const others = this.errors.filter((e) => !e.fatal);
    this.errors.splice(0, this.errors.length, ...others);
    if (failure) this.errors.push({ failure, fatal: true });
  }

  failure(): SubgraphFailure | null {
    return this.errors.find((e) => e.fatal)?.failure ?? null;
  }

  /** `_meta { hasIndexingErrors }` at `block`, as the SQLite store answers it. */
  hasIndexingErrors(block: number): boolean {
    return this.errors.some((e) => e.fatal || e.failure.block.number <= block);
  }

  /** SHA-256 over every version (type, id, block range, data); not comparable with the SQLite store's. */
  digest(): string {
    const h = createHash("sha256");
    for (const type of [...this.versions.keys()].sort()) {
      const byId = this.versions.get(type)!;
      for (const key of [...byId.keys()].sort()) {
        for (const v of byId.get(key)!) {
          const data = [...v.data].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, taggedToJson(x)]);
          h.update(JSON.stringify([type, key, v.from, v.to, data]) + "\n");
        }
      }
    }
    return h.digest("hex");
  }

  close(): void {
    this.writer = null;
  }
}

class MemoryBlockWriter implements BlockWriter {
  private readonly staged = new Map<string, Map<string, EntityData | null>>();
  readonly createdSources: StoredDataSource[] = [];
  readonly failures: SubgraphFailure[] = [];
  private pointSeq = 0;
  private done = false;

  constructor(
    private readonly store: MemoryStore,
    readonly block: BlockPtr,
  ) {}

  private check(): void {
    if (this.done) throw new Error(`block ${this.block.number} was already committed or discarded`);
  }

  private entity(entityType: string, id: string): EntityModel {
    return entityOf(this.store.schema, entityType, id);
  }

  private committed(type: string, key: string): EntityData | null {
    const list = this.store.history(type, key);
    const last = list[list.length - 1];
    return last && last.to === OPEN_BLOCK ? last.data : null;
  }

  private latest(type: string, key: string): EntityData | null {
    const s = this.staged.get(type);
    return s && s.has(key) ? s.get(key)! : this.committed(type, key);
  }

  get(entityType: string, id: string): EntityData | null {
    this.check();
    const d = this.latest(entityType, memoryKey(this.entity(entityType, id), id));
    return d ? new Map(d) : null;
  }

  getInBlock(entityType: string, id: string): EntityData | null {
    this.check();
    const d = this.staged.get(entityType)?.get(memoryKey(this.entity(entityType, id), id));
    return d ? new Map(d) : null;
  }

  loadRelated(entityType: string, id: string, field: string): EntityData[] {
    this.check();
    const e = this.entity(entityType, id);
    const { backRef, targets } = derivedLookup(this.store.schema, e, id, field);
    const key = memoryKey(e, id);
    const out: { key: string; data: EntityData }[] = [];
    for (const target of targets) {
      const keys = new Set([
        ...(this.store.versions.get(target)?.keys() ?? []),
        ...(this.staged.get(target)?.keys() ?? []),
      ]);
      for (const k of keys) {
        const d = this.latest(target, k);
        if (d && references(d.get(backRef), key)) out.push({ key: k, data: new Map(d) });
      }
    }
    return out.sort((a, b) => compareIds(e, a.key, b.key)).map((x) => x.data);
  }

  set(entityType: string, id: string, data: EntityData): void {
    this.check();
    const e = this.entity(entityType, id);
    if (e.timeseries) ({ id, data } = dataPoint(e, this.block, this.pointSeq++, data));
    const key = memoryKey(e, id);
    checkSettable(e, id, data);
    const base = this.latest(entityType, key);
    if (e.immutable && this.committed(entityType, key)) {
      invalidWrite(e, id, `entity is immutable; inserting it at block ${this.block.number} is not possible`);
    }
    const merged: EntityData = new Map(base ?? []);
    for (const [k, v] of data) merged.set(k, v);
    if (!data.has("id")) merged.set("id", idValue(e.idKind, key));
    for (const f of e.fields) {
      const v = merged.get(f.name);
      if (f.derivedFrom === undefined && f.nonNull && (v === undefined || v.kind === "Null")) {
        invalidWrite(e, id, `missing value for non-nullable field \`${f.name}\``);
      }
    }
    let s = this.staged.get(entityType);
    if (!s) this.staged.set(entityType, (s = new Map()));
    s.set(key, merged);
  }

  remove(entityType: string, id: string): void {
    this.check();
    const e = this.entity(entityType, id);
    const key = memoryKey(e, id);
    if (this.latest(entityType, key) === null) return;
    if (e.immutable) invalidWrite(e, id, "entity type is immutable and only allows inserts");
    let s = this.staged.get(entityType);
    if (!s) this.staged.set(entityType, (s = new Map()));
    s.set(key, null);
  }

  addDataSource(ds: StoredDataSource): void {
    this.check();
    this.createdSources.push({ ...ds, params: [...ds.params], context: ds.context && new Map(ds.context) });
  }

  addNonFatalError(failure: SubgraphFailure): void {
    this.check();
    this.failures.push(failure);
  }

  commit(): void {
    this.check();
    this.done = true;
    this.store.commitBlock(this, this.staged);
  }

  discard(): void {
    if (this.done) return;
    this.done = true;
    this.store.release(this);
  }
}
