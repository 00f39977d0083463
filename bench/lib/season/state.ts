/**
 * The query benchmark's season (bench/lib/query-data.ts) as the mappings hold it: entity records by type, the
 * versions written, the block being built (number, time, log index), and the id shapes of subgraph/src (sha-derived
 * addresses, `concatI32` little-endian suffixes). `flush` writes a block's changed records through the store's
 * block writer, one new version per changed entity.
 */
import { createHash } from "node:crypto";
import type { SchemaModel } from "../../../indexer/schema/model";
import { elementKind, hexToBytes, type ElementKind } from "../../../indexer/store/encoding";
import type { SqliteStore } from "../../../indexer/store/sqlite";
import type { EntityData, StoreValue } from "../../../indexer/store/types";

export type V = string | number | bigint | boolean | null | V[];
export type Rec = Record<string, V>;

/** Entity records by type, then id: field → plain value (hex strings for Bytes). */
export interface World {
  [type: string]: Map<string, Rec>;
}

export const HOUR = 3600;
export const DAY = 24 * HOUR;

export const sha = (s: string): string => "0x" + createHash("sha256").update(s).digest("hex");
export const addr = (s: string): string => sha(s).slice(0, 42);
export const le32 = (n: number): string => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b.toString("hex");
};
export const cat = (a: string, ...rest: string[]): string =>
  a + rest.map((x) => (x.startsWith("0x") ? x.slice(2) : x)).join("");
export const utf8hex = (s: string): string => Buffer.from(s, "utf8").toString("hex");

/** 2^40, as subgraph/src/util.ts queueRank: the score first, then the earlier arrival, sorting descending. */
const RANK_SPAN = 1n << 40n;
export function queueRank(riskScore: number, estimatedArrival: bigint): bigint {
  const eta = estimatedArrival > RANK_SPAN - 1n ? RANK_SPAN - 1n : estimatedArrival;
  return BigInt(riskScore) * RANK_SPAN + (RANK_SPAN - 1n - eta);
}

/** A steel line needs a mill test report: HTS chapter 72 or headings 7301-7307 (subgraph/src/rules/lines.ts). */
export function isSteel(heading: number): boolean {
  return Math.floor(heading / 100) === 72 || (heading >= 7301 && heading <= 7307);
}

/** A plain value as the StoreValue a field of kind `k` takes. */
function storeValue(k: ElementKind, v: V): StoreValue {
  if (v === null) return { kind: "Null" };
  if (Array.isArray(v)) return { kind: "Array", value: v.map((x) => storeValue(k, x)) };
  switch (k) {
    case "Bytes":
      return { kind: "Bytes", value: hexToBytes(v as string) };
    case "BigInt":
      return { kind: "BigInt", value: v as bigint };
    case "Int":
      return { kind: "Int", value: v as number };
    case "Int8":
      return { kind: "Int8", value: BigInt(v as bigint) };
    case "Boolean":
      return { kind: "Bool", value: v as boolean };
    default:
      return { kind: "String", value: v as string };
  }
}

/** Immutable event rows that the season forgets once written, unless asked to keep them. */
const EVENT_TYPES = new Set(["StatusChange", "CbpAction", "ShipmentVersion"]);

export class SeasonState {
  readonly world: World = {};
  /** Entity versions written, by type. */
  readonly versions: Record<string, number> = {};
  /** The block being built, its time and the next log index. */
  block = 0;
  ts = 0;
  logIndex = 0;
  private readonly dirty = new Map<string, Set<string>>();
  private readonly kinds = new Map<string, Map<string, ElementKind>>();

  constructor(
    schema: SchemaModel,
    private readonly keepEvents: boolean,
  ) {
    for (const name of schema.entities.keys()) this.world[name] = new Map();
    for (const e of schema.entities.values()) {
      const fields = e.fields.filter((f) => !f.derivedFrom);
      this.kinds.set(e.name, new Map(fields.map((f) => [f.name, elementKind(schema, f)])));
    }
  }

  put(type: string, id: string, rec: Rec): Rec {
    this.world[type].set(id, rec);
    this.touch(type, id);
    return rec;
  }

  /** Marks a record changed in place: it gets a new version in this block. */
  touch(type: string, id: string): void {
    let s = this.dirty.get(type);
    if (!s) this.dirty.set(type, (s = new Set()));
    s.add(id);
  }

  get(type: string, id: string): Rec | undefined {
    return this.world[type].get(id);
  }

  /** An event row id: a transaction hash of this block and log index, then the log index (eventId). */
  txId(): string {
    const logIndex = this.logIndex++;
    return cat(sha(`tx:${this.block}:${logIndex}`), le32(logIndex));
  }

  /** The Country entity, created empty on first use (subgraph/src/util.ts loadCountry). */
  country(code: string): Rec {
    return this.get("Country", code) ?? this.put("Country", code, { id: code, activeWatchEntries: [] });
  }

  /** Writes the block's changed records as new versions and commits the block. */
  flush(store: SqliteStore): void {
    const w = store.beginBlock({
      number: this.block,
      hash: sha(`block:${this.block}`),
      parentHash: sha(`block:${this.block - 1}`),
      timestamp: this.ts,
    });
    for (const [type, ids] of this.dirty) {
      const k = this.kinds.get(type)!;
      const drop = !this.keepEvents && EVENT_TYPES.has(type);
      for (const id of ids) {
        const rec = this.world[type].get(id)!;
        const data: EntityData = new Map();
        for (const [f, v] of Object.entries(rec)) data.set(f, storeValue(k.get(f)!, v));
        w.set(type, id, data);
        if (drop) this.world[type].delete(id);
      }
      this.versions[type] = (this.versions[type] ?? 0) + ids.size;
    }
    this.dirty.clear();
    w.commit();
  }
}
