/**
 * Tonnage trends from aggregation buckets (scripts/lib/tonnage-query.ts): per day or per week, per dimension
 * value; VOLUME_SURGE's baseline drawn as a threshold; the values whose volume rose most. Pure functions, shared by
 * the web app's charts and the targeting report. Browser-safe.
 *
 * Weeks are VOLUME_SURGE's weeks, w = floor(t / 604800) (they start on Thursday 00:00 UTC, as the Unix epoch
 * did), so that a week drawn here is the week the rule judged. A week is the sum of its seven day buckets: day
 * buckets never straddle a week, since a week is a whole number of days from the epoch.
 */
import type { TonnageBucket } from "./tonnage-query";

export const DAY = 86_400;
export const WEEK = 604_800;

export type Period = "day" | "week";
export const PERIOD_SECONDS: Record<Period, number> = { day: DAY, week: WEEK };

/** VOLUME_SURGE's week index of a unix time. */
export const weekOf = (unix: number): number => Math.floor(unix / WEEK);

export interface TonnageSeries {
  /** Start of each period (unix seconds), ascending, every period of the range (empty ones too). */
  starts: number[];
  /** Dimension values, by total kilograms descending, then by name. */
  keys: string[];
  /** kg[k][i]: kilograms of keys[k] in period i. */
  kg: number[][];
  /** Total kilograms per value over the range. */
  totals: Record<string, number>;
  /** Shipment lines (or reports) per value over the range. */
  lines: Record<string, number>;
}

/** Sums buckets into the periods that start from `from`'s period to before `until`; buckets outside are ignored. */
export function tonnageSeries(
  buckets: TonnageBucket[],
  range: { from: number; until: number; period: Period },
): TonnageSeries {
  const step = PERIOD_SECONDS[range.period];
  const first = Math.floor(range.from / step) * step;
  const starts: number[] = [];
  for (let t = first; t < range.until; t += step) starts.push(t);
  const kgBy = new Map<string, number[]>();
  const totals: Record<string, number> = {};
  const lines: Record<string, number> = {};
  for (const b of buckets) {
    const i = Math.floor((b.start - first) / step);
    if (i < 0 || i >= starts.length) continue;
    let row = kgBy.get(b.key);
    if (!row) kgBy.set(b.key, (row = new Array<number>(starts.length).fill(0)));
    row[i] += Number(b.kg);
    totals[b.key] = (totals[b.key] ?? 0) + Number(b.kg);
    lines[b.key] = (lines[b.key] ?? 0) + b.lines;
  }
  const keys = [...kgBy.keys()].sort((a, b) => totals[b] - totals[a] || a.localeCompare(b));
  return { starts, keys, kg: keys.map((k) => kgBy.get(k)!), totals, lines };
}

/** The first `top` values as they are and the rest summed as one row named `others` (when there is a rest). */
export function topOfSeries(
  series: TonnageSeries,
  top: number,
  others = "all others",
): { keys: string[]; kg: number[][] } {
  if (series.keys.length <= top) return { keys: series.keys, kg: series.kg };
  const rest = series.kg.slice(top).reduce((sum, row) => sum.map((v, i) => v + row[i]));
  return { keys: [...series.keys.slice(0, top), others], kg: [...series.kg.slice(0, top), rest] };
}

/** Kilograms per VOLUME_SURGE week of the buckets (of one dimension value). */
export function weeklyKg(buckets: TonnageBucket[]): Map<number, number> {
  const weeks = new Map<number, number>();
  for (const b of buckets) weeks.set(weekOf(b.start), (weeks.get(weekOf(b.start)) ?? 0) + Number(b.kg));
  return weeks;
}

/** Weeks of history VOLUME_SURGE compares a week with, and how early the exporter's first filing must be. */
export const SURGE_BASELINE_WEEKS = 12;
export const SURGE_MIN_HISTORY_WEEKS = 6;

export interface SurgeBaseline {
  mean: number;
  /** Population standard deviation. */
  sigma: number;
  /** What the week must exceed: max(mean + 3σ, 2 × mean). */
  threshold: number;
}

/**
 * VOLUME_SURGE's baseline for week `week`: the mean and population σ of weeks w-12 … w-1 (empty weeks count 0);
 * null when the exporter's first filing (`firstWeek`) is later than week w-6, where the rule does not judge.
 */
export function surgeBaseline(
  weeks: Map<number, number>,
  week: number,
  firstWeek: number | null,
): SurgeBaseline | null {
  if (firstWeek === null || firstWeek > week - SURGE_MIN_HISTORY_WEEKS) return null;
  const values: number[] = [];
  for (let w = week - SURGE_BASELINE_WEEKS; w < week; w++) values.push(weeks.get(w) ?? 0);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sigma = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { mean, sigma, threshold: Math.max(mean + 3 * sigma, 2 * mean) };
}

/** The rule's test: observed > mean + 3σ and observed ≥ 2 × mean. */
export function surges(observed: number, baseline: SurgeBaseline): boolean {
  return observed > baseline.mean + 3 * baseline.sigma && observed >= 2 * baseline.mean;
}

export interface Riser {
  key: string;
  /** Kilograms in the week judged. */
  weekKg: number;
  /** Mean kilograms per week over the baseline weeks before it (empty weeks count 0). */
  baselineKg: number;
  /** weekKg − baselineKg. */
  rise: number;
}

/**
 * The dimension values whose kilograms in week `week` rose most above their mean week of the `baselineWeeks`
 * weeks before, largest rise first (ties by name); only values that rose.
 */
export function risers(buckets: TonnageBucket[], week: number, baselineWeeks = SURGE_BASELINE_WEEKS, top = 5): Riser[] {
  const byKey = new Map<string, TonnageBucket[]>();
  for (const b of buckets) {
    const own = byKey.get(b.key);
    if (own) own.push(b);
    else byKey.set(b.key, [b]);
  }
  const out: Riser[] = [];
  for (const [key, own] of byKey) {
    const weeks = weeklyKg(own);
    let before = 0;
    for (let w = week - baselineWeeks; w < week; w++) before += weeks.get(w) ?? 0;
    const weekKg = weeks.get(week) ?? 0;
    const baselineKg = before / baselineWeeks;
    if (weekKg > baselineKg) out.push({ key, weekKg, baselineKg, rise: weekKg - baselineKg });
  }
  return out.sort((a, b) => b.rise - a.rise || a.key.localeCompare(b.key)).slice(0, top);
}
