/**
 * graph-node's roll-up of timeseries data points into aggregation buckets, independent of the store.
 *
 * When: a bucket is rolled up by the first block after its end that writes entity changes (see
 * `bucketsToRoll`), and the rows belong to that block (time travel and reverts follow it).
 *
 * What: the source's points with bucket start <= timestamp < bucket end, grouped by the dimension values;
 * per group one row with id = the largest point id, timestamp = bucket start, the dimensions and the
 * aggregates (first/last by point id). A cumulative aggregate adds the group's latest earlier bucket.
 */
import {
  INTERVAL_SECONDS,
  type AggregateModel,
  type AggregationInterval,
  type AggregationModel,
  type FieldModel,
  type SchemaModel,
} from "../schema/model";
import { compareValues, convertNumber, sumValues } from "./aggregate-values";
import type { EntityData, StoreValue } from "./types";

/** One bucket of one aggregation to roll up. Times are microseconds since the epoch, as `Timestamp`. */
export interface Bucket {
  aggregation: AggregationModel;
  interval: AggregationInterval;
  start: bigint;
  end: bigint;
}

/** What a store provides to roll up a bucket. */
export interface RollupReader {
  /** The source timeseries' points with `start <= timestamp < end`, in increasing id order. */
  points(source: string, start: bigint, end: bigint): EntityData[];
  /** The latest bucket row of the aggregation for these dimension values with `timestamp < before`. */
  previous(bucket: Bucket, dimensions: [FieldModel, StoreValue | undefined][], before: bigint): EntityData | null;
}

const MICROS = 1_000_000n;

/** What a store tells the roll-up about what it already holds. */
export interface RollupProgress {
  /** The newest `timestamp` (µs) among `source`'s data points written before block `block`, or null. */
  lastPointTime(source: string, block: number): bigint | null;
  /** Whether the aggregation's table for `interval` already has rows for the bucket starting at `start` (µs). */
  rolled(aggregation: string, interval: AggregationInterval, start: bigint): boolean;
}

/**
 * The buckets a block at `blockTime` (seconds) rolls up: per aggregation and interval, the bucket holding the
 * source's newest earlier point, once that bucket has ended and was not rolled up yet (no point can lie in an
 * earlier unrolled bucket: points carry their block's time). Stores call this only for blocks that write
 * entity changes, and the last time is read from the points rather than from the last committed block: which
 * empty blocks an indexer commits depends on how it split its log ranges (a resumed or faulted run splits them
 * otherwise), so a roll-up tied to them would put the same bucket rows at different blocks.
 */
export function bucketsToRoll(
  schema: SchemaModel,
  progress: RollupProgress,
  block: number,
  blockTime: number,
): Bucket[] {
  const out: Bucket[] = [];
  const now = BigInt(blockTime) * MICROS;
  for (const aggregation of schema.aggregations.values()) {
    const last = progress.lastPointTime(aggregation.source, block);
    if (last === null) continue;
    for (const interval of aggregation.intervals) {
      const len = BigInt(INTERVAL_SECONDS[interval]) * MICROS;
      const start = (last / len) * len;
      if (start + len > now || progress.rolled(aggregation.name, interval, start)) continue;
      out.push({ aggregation, interval, start, end: start + len });
    }
  }
  return out;
}

/** A group key for dimension values (JSON of the values; bigints and bytes spelled out). */
function groupKey(values: (StoreValue | undefined)[]): string {
  return JSON.stringify(values, (_k, x: unknown) =>
    typeof x === "bigint" ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString("hex") : x,
  );
}

/** The rows of one bucket, one per combination of dimension values that has points in it. */
export function rollUp(bucket: Bucket, reader: RollupReader): EntityData[] {
  const agg = bucket.aggregation;
  const groups = new Map<string, EntityData[]>();
  for (const p of reader.points(agg.source, bucket.start, bucket.end)) {
    const key = groupKey(agg.dimensions.map((d) => p.get(d.name)));
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  const rows: EntityData[] = [];
  for (const points of groups.values()) {
    const row: EntityData = new Map();
    row.set("id", points[points.length - 1].get("id")!);
    row.set("timestamp", { kind: "Timestamp", value: bucket.start });
    const dims = agg.dimensions.map((d): [FieldModel, StoreValue | undefined] => [d, points[0].get(d.name)]);
    for (const [d, v] of dims) if (v !== undefined && v.kind !== "Null") row.set(d.name, v);
    const prev = agg.aggregates.some((a) => a.cumulative) ? reader.previous(bucket, dims, bucket.start) : null;
    for (const a of agg.aggregates) {
      let v = aggregate(a, points);
      if (a.cumulative && prev) v = combine(a, prev.get(a.field.name), v);
      if (v !== undefined) row.set(a.field.name, v);
    }
    rows.push(row);
  }
  return rows;
}

/** One aggregate over a bucket's points (undefined when every value is null, as SQL's aggregates). */
function aggregate(a: AggregateModel, points: EntityData[]): StoreValue | undefined {
  const kind = scalarOf(a.field);
  if (a.fn === "count") return convertNumber({ kind: "Int8", value: BigInt(points.length) }, kind);
  const values = points.map((p) => p.get(a.arg!)).filter((v): v is StoreValue => v !== undefined && v.kind !== "Null");
  if (values.length === 0) return undefined;
  switch (a.fn) {
    case "sum":
      return values.map((v) => convertNumber(v, kind)).reduce(sumValues);
    case "min":
      return convertNumber(
        values.reduce((m, v) => (compareValues(v, m) < 0 ? v : m)),
        kind,
      );
    case "max":
      return convertNumber(
        values.reduce((m, v) => (compareValues(v, m) > 0 ? v : m)),
        kind,
      );
    case "first":
      return convertNumber(values[0], kind);
    case "last":
      return convertNumber(values[values.length - 1], kind);
  }
}

/** A cumulative aggregate: the group's earlier total combined with this bucket's (count adds up like sum). */
function combine(a: AggregateModel, prev: StoreValue | undefined, cur: StoreValue | undefined): StoreValue | undefined {
  if (prev === undefined || prev.kind === "Null") return cur;
  if (cur === undefined) return prev;
  switch (a.fn) {
    case "sum":
    case "count":
      return sumValues(prev, cur);
    case "min":
      return compareValues(cur, prev) < 0 ? cur : prev;
    case "max":
      return compareValues(cur, prev) > 0 ? cur : prev;
    case "first":
      return prev;
    case "last":
      return cur;
  }
}

/** The scalar kind of an aggregate field (references are ids: the value passes through unchanged). */
function scalarOf(f: FieldModel): string | undefined {
  return f.type.kind === "scalar" ? f.type.scalar : undefined;
}
