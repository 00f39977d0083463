/**
 * Shipped-tonnage data points (one per shipment line, as the subgraph's `ShippedTonnage`) and a stand-in for
 * graph-node's day aggregations over them, written here from the aggregation's definition (buckets per dimension
 * value and UTC day, newest first, `timestamp_gte`/`timestamp_lt` in microseconds, `first`), so that tests of
 * the readers and the report compare with numbers computed from the points themselves.
 */
import { Prng } from "./prng";

export interface ShippedPoint {
  /** Block time, unix seconds. */
  timestamp: number;
  exporter: string;
  importer: string;
  meltCountry: string;
  htsChapter: string;
  port: string;
  kg: number;
}

const DAY = 86_400;

/** Each aggregation's dimension, read from a point (the test's own table, not the code's). */
const DIMENSION: Record<string, [string, (p: ShippedPoint) => string, boolean]> = {
  meltCountryTonnages: ["meltCountry", (p) => p.meltCountry, false],
  htsChapterTonnages: ["htsChapter", (p) => p.htsChapter, false],
  portTonnages: ["port", (p) => p.port, false],
  exporterTonnages: ["exporter", (p) => p.exporter, true],
  importerTonnages: ["importer", (p) => p.importer, true],
  laneTonnages: ["lane", (p) => `${p.exporter}>${p.importer}>${p.meltCountry}`, false],
};

/** Answers a tonnage query of scripts/lib/tonnage-query.ts over `points` with day buckets; records each call. */
export function fakeAggregations(
  points: ShippedPoint[],
  calls: { field: string; variables: Record<string, unknown> }[] = [],
) {
  return async (query: string, variables: Record<string, unknown> = {}): Promise<unknown> => {
    const field = /buckets: (\w+)\(/.exec(query)?.[1];
    if (!field || !DIMENSION[field]) throw new Error(`the fake answers tonnage queries only: ${query.slice(0, 60)}`);
    if (!/interval: day\b/.test(query)) throw new Error("the fake has day buckets only");
    calls.push({ field, variables });
    const [name, dimensionOf, actor] = DIMENSION[field];
    const since = Number(BigInt(String(variables.since)) / 1_000_000n);
    const before = Number(BigInt(String(variables.before)) / 1_000_000n);
    const buckets = new Map<string, { start: number; key: string; kg: number; lines: number }>();
    for (const p of points) {
      const key = dimensionOf(p);
      if (variables.key !== undefined && key !== variables.key) continue;
      const start = Math.floor(p.timestamp / DAY) * DAY;
      if (start < since || start >= before) continue;
      const b = buckets.get(`${start}/${key}`) ?? { start, key, kg: 0, lines: 0 };
      b.kg += p.kg;
      b.lines += 1;
      buckets.set(`${start}/${key}`, b);
    }
    const rows = [...buckets.values()]
      .sort((a, b) => b.start - a.start || a.key.localeCompare(b.key))
      .slice(0, Number(variables.first))
      .map((b) => ({
        timestamp: `${b.start}000000`,
        [name]: actor ? { id: b.key } : b.key,
        kg: String(b.kg),
        lines: String(b.lines),
      }));
    return { buckets: rows };
  };
}

/**
 * A season's worth of points: `weeks` weeks up to `end`, a few exporters shipping steadily to two importers from
 * a few countries, and one exporter (0xe1…) that ships every day of `end`'s week, five times its usual
 * kilograms.
 */
export function seasonPoints(end: number, weeks: number, seed = 21): ShippedPoint[] {
  const rng = new Prng(seed);
  const exporters = ["0xe1", "0xe2", "0xe3", "0xe4"].map((e) => e.padEnd(42, "0"));
  const importers = ["0xa1", "0xa2"].map((a) => a.padEnd(42, "0"));
  const points: ShippedPoint[] = [];
  for (let t = end - weeks * 7 * DAY; t < end; t += DAY) {
    for (const exporter of exporters) {
      const surge = exporter === exporters[0] && Math.floor(t / (7 * DAY)) === Math.floor(end / (7 * DAY)) ? 5 : 1;
      if (!rng.chance(surge > 1 ? 1 : 0.4)) continue;
      points.push({
        timestamp: t + rng.int(0, DAY - 1),
        exporter,
        importer: rng.pick(importers),
        meltCountry: rng.pick(["CN", "KR", "VN", "MX"]),
        htsChapter: rng.pick(["72", "73"]),
        port: rng.pick(["USHOU", "USLAX", "USNYC"]),
        kg: rng.int(5, 40) * 1000 * surge,
      });
    }
  }
  return points;
}
