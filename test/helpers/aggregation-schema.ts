/**
 * A schema with #21's timeseries and aggregations (graph-node syntax), shared by the indexer's
 * aggregation tests: two timeseries, aggregations with and without dimensions, each aggregate function and a
 * cumulative one.
 */
import type { EntityStore, StoreValue } from "../../indexer/store/types";
import { addr, big, blockHash, bytes, entity, int, str } from "./store";

/** Day D starts at 1_700_006_400 (also an hour start). */
export const D = 1_700_006_400;
/** The two exporters of `season`. */
export const A = addr("a1");
export const B = addr("b2");

export const AGG_SDL = `
type Actor @entity {
  id: Bytes!
  name: String!
}
type ShippedTonnage @entity(timeseries: true) {
  id: Int8!
  timestamp: Timestamp!
  exporter: Actor!
  meltCountry: String!
  kg: BigInt!
  price: BigDecimal
  grade: Int
}
type CertifiedTonnage @entity(timeseries: true) {
  id: Int8!
  timestamp: Timestamp!
  mill: Actor!
  kg: BigInt!
}
type ExporterTonnage @aggregation(intervals: ["hour", "day"], source: "ShippedTonnage") {
  id: Int8!
  timestamp: Timestamp!
  exporter: Actor!
  kg: BigInt! @aggregate(fn: "sum", arg: "kg")
  lines: Int8! @aggregate(fn: "count")
  maxLineKg: BigInt! @aggregate(fn: "max", arg: "kg")
}
type MeltCountryTonnage @aggregation(intervals: ["day", "hour"], source: "ShippedTonnage") {
  id: Int8!
  timestamp: Timestamp!
  meltCountry: String!
  kg: BigInt! @aggregate(fn: "sum", arg: "kg")
  minLineKg: BigInt! @aggregate(fn: "min", arg: "kg")
  firstKg: BigInt! @aggregate(fn: "first", arg: "kg")
  lastKg: BigInt! @aggregate(fn: "last", arg: "kg")
  totalKg: BigInt! @aggregate(fn: "sum", arg: "kg", cumulative: true)
  totalLines: Int8! @aggregate(fn: "count", cumulative: true)
}
type AllTonnage @aggregation(intervals: ["hour"], source: "ShippedTonnage") {
  id: Int8!
  timestamp: Timestamp!
  kg: BigDecimal! @aggregate(fn: "sum", arg: "kg")
  priceSum: BigDecimal @aggregate(fn: "sum", arg: "price")
  maxGrade: Int @aggregate(fn: "max", arg: "grade")
  lastExporter: Actor @aggregate(fn: "last", arg: "exporter")
}
type MillTonnage @aggregation(intervals: ["hour", "day"], source: "CertifiedTonnage") {
  id: Int8!
  timestamp: Timestamp!
  mill: Actor!
  kg: BigInt! @aggregate(fn: "sum", arg: "kg")
}
`;

type Point = { exporter: string; melt: string; kg: bigint; price?: StoreValue; grade?: number };

export function commit(store: EntityStore, number: number, time: number, points: Point[], hashSalt = 0): void {
  const w = store.beginBlock({
    number,
    hash: hashSalt ? "0x" + (number * 1000 + hashSalt).toString(16).padStart(64, "0") : blockHash(number),
    parentHash: blockHash(number - 1),
    timestamp: time,
  });
  for (const p of points) {
    const data = entity({ exporter: bytes(p.exporter), meltCountry: str(p.melt), kg: big(p.kg) });
    if (p.price) data.set("price", p.price);
    if (p.grade !== undefined) data.set("grade", int(p.grade));
    w.set("ShippedTonnage", "0", data);
  }
  // A block with no points still carries a trigger whose handler writes: only a block that writes rolls up
  // (indexer/store/rollup.ts), as graph-node processes only blocks with triggers.
  const marker = addr("ee");
  if (points.length === 0) w.set("Actor", marker, entity({ id: bytes(marker), name: str(`block ${number}`) }));
  w.commit();
}

/** Blocks 1..5 of the hand-computed season (see each block's comment). */
export function season(store: EntityStore): void {
  commit(store, 1, D + 10, [
    { exporter: A, melt: "DE", kg: 100n },
    { exporter: B, melt: "DE", kg: 50n },
  ]);
  commit(store, 2, D + 3599, [{ exporter: A, melt: "CN", kg: 30n }]); // last second of hour 0
  commit(store, 3, D + 3600, [{ exporter: A, melt: "DE", kg: 7n }]); // exactly the hour: closes hour 0, point in hour 1
  commit(store, 4, D + 7205, [{ exporter: B, melt: "DE", kg: 1n }]); // closes hour 1
  commit(store, 5, D + 86400, []); // exactly the next day: closes hour 2 and day 0
}
