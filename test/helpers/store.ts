/** Builders for store values and a fixture store, shared by the indexer store and query API tests. */
import path from "node:path";
import { parseSubgraphSchema, loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import type { BigDecimalValue, BlockPtr, EntityData, StoreValue } from "../../indexer/store/types";

export const SCHEMAS = path.join(__dirname, "..", "fixtures", "schemas");
export const TRADE_SCHEMA = path.join(SCHEMAS, "trade.graphql");
export const KINDS_SCHEMA = path.join(SCHEMAS, "kinds.graphql");

export const str = (value: string): StoreValue => ({ kind: "String", value });
export const int = (value: number): StoreValue => ({ kind: "Int", value });
export const int8 = (value: bigint): StoreValue => ({ kind: "Int8", value });
export const big = (value: bigint): StoreValue => ({ kind: "BigInt", value });
export const dec = (digits: bigint, exp: number): StoreValue => ({
  kind: "BigDecimal",
  value: { digits, exp } as BigDecimalValue,
});
export const bool = (value: boolean): StoreValue => ({ kind: "Bool", value });
export const ts = (value: bigint): StoreValue => ({ kind: "Timestamp", value });
export const nul: StoreValue = { kind: "Null" };
export const arr = (...value: StoreValue[]): StoreValue => ({ kind: "Array", value });
export const bytes = (hex: string): StoreValue => ({
  kind: "Bytes",
  value: new Uint8Array(Buffer.from(hex.replace(/^0x/, ""), "hex")),
});

/** An EntityData from plain pairs. */
export function entity(fields: Record<string, StoreValue>): EntityData {
  return new Map(Object.entries(fields));
}

/** A block pointer with a hash derived from its number. */
export function block(number: number, timestamp = 1_700_000_000 + number * 12): BlockPtr {
  return { number, hash: blockHash(number), parentHash: blockHash(number - 1), timestamp };
}

export function blockHash(number: number): string {
  return "0x" + number.toString(16).padStart(64, "0");
}

/** A 20-byte address-like id: 0x followed by `byte` repeated. */
export function addr(byte: string): string {
  return "0x" + byte.repeat(20);
}

export function openTradeStore(dbPath = ":memory:"): SqliteStore {
  return new SqliteStore(dbPath, loadSubgraphSchema(TRADE_SCHEMA));
}

export function storeFromSdl(sdl: string): SqliteStore {
  return new SqliteStore(":memory:", parseSubgraphSchema(sdl));
}

/** A shipment with every required field; `extra` overrides or adds. */
export function shipment(shipper: string, extra: Record<string, StoreValue> = {}): EntityData {
  return entity({
    reference: str("REF"),
    status: str("DRAFT"),
    shipper: bytes(shipper),
    weightKg: big(1000n),
    containers: int(1),
    sequence: int8(1n),
    hsCodes: arr(),
    flagged: bool(false),
    createdAt: ts(1_700_000_000_000_000n),
    certificates: arr(),
    ...extra,
  });
}

export function actor(name: string, extra: Record<string, StoreValue> = {}): EntityData {
  return entity({ name: str(name), roles: int(1), ...extra });
}
