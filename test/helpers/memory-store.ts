/**
 * An in-memory EntityStore for the indexer's tests, a light double of the SQLite store. Entity versions
 * carry block ranges [from, to) so that revertTo behaves like the real one; no schema validation happens
 * here.
 */
import { createHash } from "crypto";
import { hexlify } from "ethers";
import type {
  BlockPtr,
  BlockWriter,
  EntityData,
  EntityStore,
  StoredDataSource,
  SubgraphFailure,
} from "../../indexer/store/types";
import type { SchemaInfo } from "../../indexer/wasm/schema-info";
import type { AggregationInterval, SchemaModel } from "../../indexer/schema/model";
import { dataPoint } from "../../indexer/store/timeseries";
import { bucketsToRoll, rollUp, type RollupProgress, type RollupReader } from "../../indexer/store/rollup";
import { compareValues } from "../../indexer/store/aggregate-values";
import { refersTo } from "../../indexer/wasm/entity-refs";

interface Version {
  from: number;
  to: number | null;
  data: EntityData;
}

const keyOf = (t: string, id: string): string => `${t}\u0000${id}`;

/** A rolled-up bucket row: immutable, visible from the block that rolled it up. */
interface BucketRow {
  aggregation: string;
  interval: AggregationInterval;
  from: number;
  data: EntityData;
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(plain(a)) === JSON.stringify(plain(b));

/** JSON with bigints and bytes spelled out, for digests and test output. */
export function plain(v: unknown): unknown {
  return JSON.parse(
    JSON.stringify(v, (_k, x) =>
      typeof x === "bigint" ? x.toString() : x instanceof Uint8Array ? hexlify(x) : x instanceof Map ? [...x] : x,
    ),
  );
}

export class MemoryStore implements EntityStore {
  private readonly versions = new Map<string, Version[]>();
  private readonly blocks = new Map<number, BlockPtr>();
  private headPtr: BlockPtr | null = null;
  private dynamic: StoredDataSource[] = [];
  private failed: SubgraphFailure | null = null;
  nonFatalErrors: SubgraphFailure[] = [];
  private buckets: BucketRow[] = [];
  commits = 0;
  reverts: number[] = [];

  /**
   * `model` (the parsed schema) is only needed for timeseries: their data points get graph-node's ids and
   * the block's timestamp, as in the SQLite store.
   */
  constructor(
    private readonly schema?: SchemaInfo,
    private readonly model?: SchemaModel,
  ) {}

  head(): BlockPtr | null {
    return this.headPtr;
  }

  blockAt(number: number): BlockPtr | null {
    return this.blocks.get(number) ?? null;
  }

  /** The current version of an entity. */
  latest(entityType: string, id: string): EntityData | null {
    const vs = this.versions.get(keyOf(entityType, id));
    const v = vs?.find((x) => x.to === null);
    return v ? new Map(v.data) : null;
  }

  /** Current entities of a type, by id. */
  all(entityType: string): Map<string, EntityData> {
    const out = new Map<string, EntityData>();
    for (const [k, vs] of this.versions) {
      const [t, id] = k.split("\u0000");
      const v = vs.find((x) => x.to === null);
      if (t === entityType && v) out.set(id, new Map(v.data));
    }
    return out;
  }

  versionCount(entityType: string, id: string): number {
    return this.versions.get(keyOf(entityType, id))?.length ?? 0;
  }

  beginBlock(block: BlockPtr): BlockWriter {
    const staged = new Map<string, { entityType: string; id: string; data: EntityData | null }>();
    const created: StoredDataSource[] = [];
    const errors: SubgraphFailure[] = [];
    let pointSeq = 0;
    const get = (entityType: string, id: string): EntityData | null => {
      const s = staged.get(keyOf(entityType, id));
      if (s) return s.data && new Map(s.data);
      return this.latest(entityType, id);
    };
    return {
      block,
      get,
      getInBlock: (entityType, id) => {
        const s = staged.get(keyOf(entityType, id));
        return s?.data ? new Map(s.data) : null;
      },
      loadRelated: (entityType, id, field) => {
        const d = this.schema?.get(entityType)?.derived.get(field);
        if (!d) throw new Error(`field \`${field}\` is not derived`);
        const byId = new Map<string, EntityData>();
        for (const [eid, data] of this.all(d.entityType)) if (refersTo(data.get(d.field), id)) byId.set(eid, data);
        for (const s of staged.values()) {
          if (s.entityType !== d.entityType) continue;
          if (s.data && refersTo(s.data.get(d.field), id)) byId.set(s.id, new Map(s.data));
          else byId.delete(s.id);
        }
        return [...byId.keys()].sort().map((k) => byId.get(k)!);
      },
      set: (entityType, id, data) => {
        const series = this.model?.entities.get(entityType);
        if (series?.timeseries) ({ id, data } = dataPoint(series, block, pointSeq++, data));
        const merged = new Map(get(entityType, id) ?? []);
        for (const [k, v] of data) merged.set(k, v);
        staged.set(keyOf(entityType, id), { entityType, id, data: merged });
      },
      remove: (entityType, id) => {
        staged.set(keyOf(entityType, id), { entityType, id, data: null });
      },
      addDataSource: (ds) => {
        created.push(ds);
      },
      addNonFatalError: (f) => {
        errors.push(f);
      },
      commit: () => {
        for (const [k, s] of staged) {
          const vs = this.versions.get(k) ?? [];
          const cur = vs.find((x) => x.to === null);
          if (cur) cur.to = block.number;
          if (s.data) {
            for (const [f, v] of [...s.data]) if (v.kind === "Null") s.data.delete(f);
            vs.push({ from: block.number, to: null, data: s.data });
          }
          this.versions.set(k, vs);
        }
        this.dynamic.push(...created);
        this.nonFatalErrors.push(...errors);
        if (staged.size > 0) this.rollUp(block);
        this.blocks.set(block.number, block);
        this.headPtr = block;
        this.commits++;
      },
      discard: () => {
        staged.clear();
        created.length = 0;
        errors.length = 0;
      },
    };
  }

  /** Bucket rows of an aggregation and interval visible at `block` (default: the head), by timestamp then id. */
  bucketRows(aggregation: string, interval: AggregationInterval, block = Infinity): EntityData[] {
    return this.buckets
      .filter((r) => r.aggregation === aggregation && r.interval === interval && r.from <= block)
      .map((r) => new Map(r.data))
      .sort(
        (a, b) => compareValues(a.get("timestamp")!, b.get("timestamp")!) || compareValues(a.get("id")!, b.get("id")!),
      );
  }

  /** graph-node's roll-up at commit, as the SQLite store (indexer/store/rollup.ts). */
  private rollUp(block: BlockPtr): void {
    if (!this.model || this.model.aggregations.size === 0 || block.timestamp === undefined) return;
    const reader: RollupReader = {
      points: (source, start, end) =>
        [...this.all(source).values()]
          .filter((p) => {
            const t = p.get("timestamp");
            return t?.kind === "Timestamp" && t.value >= start && t.value < end;
          })
          .sort((a, b) => compareValues(a.get("id")!, b.get("id")!)),
      previous: (bucket, dims, before) => {
        const rows = this.bucketRows(bucket.aggregation.name, bucket.interval).filter(
          (r) =>
            (r.get("timestamp") as { value: bigint }).value < before &&
            dims.every(([f, v]) => sameValue(r.get(f.name), v)),
        );
        return rows.length ? rows[rows.length - 1] : null;
      },
    };
    const progress: RollupProgress = {
      lastPointTime: (source, before) => {
        let last: bigint | null = null;
        for (const [k, vs] of this.versions) {
          if (k.split("\u0000")[0] !== source) continue;
          for (const v of vs) {
            const t = v.data.get("timestamp");
            if (v.from < before && t?.kind === "Timestamp" && (last === null || t.value > last)) last = t.value;
          }
        }
        return last;
      },
      rolled: (aggregation, interval, start) =>
        this.buckets.some(
          (r) =>
            r.aggregation === aggregation &&
            r.interval === interval &&
            (r.data.get("timestamp") as { value: bigint }).value === start,
        ),
    };
    for (const b of bucketsToRoll(this.model, progress, block.number, block.timestamp)) {
      for (const data of rollUp(b, reader)) {
        this.buckets.push({ aggregation: b.aggregation.name, interval: b.interval, from: block.number, data });
      }
    }
  }

  revertTo(number: number): void {
    this.reverts.push(number);
    this.buckets = this.buckets.filter((r) => r.from <= number);
    for (const [k, vs] of this.versions) {
      const kept = vs.filter((v) => v.from <= number);
      for (const v of kept) if (v.to !== null && v.to > number) v.to = null;
      if (kept.length) this.versions.set(k, kept);
      else this.versions.delete(k);
    }
    for (const n of [...this.blocks.keys()]) if (n > number) this.blocks.delete(n);
    const remaining = [...this.blocks.keys()].sort((a, b) => b - a);
    this.headPtr = remaining.length ? this.blocks.get(remaining[0])! : null;
    this.dynamic = this.dynamic.filter((d) => d.createdAt <= number);
    this.nonFatalErrors = this.nonFatalErrors.filter((f) => f.block.number <= number);
    if (this.failed && this.failed.block.number > number) this.failed = null; // as SqliteStore
  }

  dataSources(): StoredDataSource[] {
    return [...this.dynamic];
  }

  setFailure(failure: SubgraphFailure | null): void {
    this.failed = failure;
  }

  failure(): SubgraphFailure | null {
    return this.failed;
  }

  digest(): string {
    const rows: unknown[] = [...this.versions.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([k, vs]) => [k, vs.map((v) => [v.from, v.to, [...v.data].sort((a, b) => (a[0] < b[0] ? -1 : 1))])]);
    if (this.buckets.length > 0) rows.push(this.buckets);
    return createHash("sha256")
      .update(JSON.stringify(plain(rows)))
      .digest("hex");
  }

  close(): void {}
}
