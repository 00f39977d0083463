/**
 * The query benchmark's season (bench/lib/query-data.ts) as the mappings hold it: entity records by type, the
 * versions written, the block being built (number, time, log index), and the id shapes of subgraph/src (sha-derived
 * addresses, `concatI32` little-endian suffixes). `flush` writes a block's changed records through the store's
 * block writer, one new version per changed entity.
 */
import { createHash } from "node:crypto";
import { keccak256 } from "ethers";
import type { SchemaModel } from "../../../indexer/schema/model";
import { elementKind, type ElementKind } from "../../../indexer/store/encoding";
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
/**
 * A document's record id, as scripts/lib/record-id.ts recordIdOf computes it (keccak256 of the ABI-encoded issuer
 * address and content hash) without the general ABI coder: the issuer left-padded to 32 bytes, then the hash.
 */
export function recordId(issuer: string, contentHash: string): string {
  const b = Buffer.alloc(64);
  b.write(issuer.slice(2), 12, "hex");
  b.write(contentHash.slice(2), 32, "hex");
  return keccak256(b);
}
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

/** A stored entity as a plain record (Bytes as 0x hex), as the generator holds it. */
export function recOf(data: EntityData): Rec {
  const plain = (v: StoreValue): V => {
    switch (v.kind) {
      case "Null":
        return null;
      case "Array":
        return v.value.map(plain);
      case "Bytes":
        return "0x" + Buffer.from(v.value).toString("hex");
      default:
        return v.value as V;
    }
  };
  const out: Rec = {};
  for (const [f, v] of data) out[f] = plain(v);
  return out;
}

/** A hex string as bytes (the generator writes only valid hex; a Buffer is the Uint8Array the store takes). */
const bytesOf = (hex: string): Uint8Array => Buffer.from(hex.slice(2), "hex");

/** A plain value as the StoreValue a field of kind `k` takes. */
function storeValue(k: ElementKind, v: V): StoreValue {
  if (v === null) return { kind: "Null" };
  if (Array.isArray(v)) return { kind: "Array", value: v.map((x) => storeValue(k, x)) };
  switch (k) {
    case "Bytes":
      return { kind: "Bytes", value: bytesOf(v as string) };
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

/**
 * Types whose records nothing reads or changes after the block that writes them (event rows, and records the
 * mappings only insert): forgotten once written. Existence checks on them (AllocatorApproval, MeltCountryShipment)
 * are answered from compact sets where they are made.
 */
const WRITE_ONCE_TYPES = new Set([
  ...["StatusChange", "CbpAction", "ShipmentVersion", "Pouch", "SignedAnchoring", "Heat", "LineageEdge"],
  ...["AllocatorApproval", "Credential", "MeltCountryShipment"],
]);

/**
 * The season as the mappings hold it, memory-bounded: a record stays in `world` only while a later event can read
 * or change it. The model retires the others (`retire`), and they are forgotten once written. With `keepWorld`
 * every record stays (tests compare the store with it), and an access to a retired record throws: the check that
 * retiring never forgets a record too early.
 */
export class SeasonState {
  readonly world: World = {};
  /** Entity versions written, by type. */
  readonly versions: Record<string, number> = {};
  /** Entities written (distinct ids), by type. */
  readonly entities: Record<string, number> = {};
  /** The block being built, its time and the next log index. */
  block = 0;
  ts = 0;
  logIndex = 0;
  private readonly dirty = new Map<string, Set<string>>();
  /** Each type's stored fields and their kinds. */
  private readonly fields = new Map<string, [string, ElementKind][]>();
  /** Retired records, forgotten after the block is written. */
  private readonly forgetting: [string, string][] = [];
  /** With keepWorld: the retired ids by type, which no event may touch again. */
  private readonly retired: Map<string, Set<string>> | null;

  constructor(
    schema: SchemaModel,
    private readonly keepWorld: boolean,
  ) {
    this.retired = keepWorld ? new Map() : null;
    for (const name of schema.entities.keys()) {
      this.world[name] = new Map();
      this.entities[name] = 0;
    }
    for (const e of schema.entities.values()) {
      const fields = e.fields.filter((f) => !f.derivedFrom);
      this.fields.set(
        e.name,
        fields.map((f) => [f.name, elementKind(schema, f)]),
      );
      this.retired?.set(e.name, new Set());
    }
  }

  put(type: string, id: string, rec: Rec): Rec {
    this.check(type, id);
    const m = this.world[type];
    if (!m.has(id)) this.entities[type]++;
    m.set(id, rec);
    this.touch(type, id);
    return rec;
  }

  /** Marks a record changed in place: it gets a new version in this block. */
  touch(type: string, id: string): void {
    this.check(type, id);
    let s = this.dirty.get(type);
    if (!s) this.dirty.set(type, (s = new Set()));
    s.add(id);
  }

  get(type: string, id: string): Rec | undefined {
    this.check(type, id);
    return this.world[type].get(id);
  }

  /** No event reads or changes the record any more: it is forgotten once this block is written. */
  retire(type: string, id: string): void {
    if (this.retired) this.retired.get(type)!.add(id);
    else this.forgetting.push([type, id]);
  }

  private check(type: string, id: string): void {
    if (this.retired?.get(type)!.has(id)) throw new Error(`${type} ${id} was retired, and is used again`);
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

  /** Writes the block's changed records as new versions, commits the block, and forgets what is retired. */
  flush(store: SqliteStore): void {
    const w = store.beginBlock({
      number: this.block,
      hash: sha(`block:${this.block}`),
      parentHash: sha(`block:${this.block - 1}`),
      timestamp: this.ts,
    });
    for (const [type, ids] of this.dirty) {
      const fields = this.fields.get(type)!;
      const once = WRITE_ONCE_TYPES.has(type);
      const records = this.world[type];
      for (const id of ids) {
        const rec = records.get(id)!;
        const data: EntityData = new Map();
        for (const [f, k] of fields) {
          const v = rec[f];
          if (v !== undefined) data.set(f, storeValue(k, v));
        }
        w.set(type, id, data);
        if (once) this.retire(type, id);
      }
      this.versions[type] = (this.versions[type] ?? 0) + ids.size;
    }
    this.dirty.clear();
    w.commit();
    for (const [type, id] of this.forgetting) this.world[type].delete(id);
    this.forgetting.length = 0;
  }
}
