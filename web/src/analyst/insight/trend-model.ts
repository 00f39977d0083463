/**
 * The trend charts' shaping, apart from React: the time range of a window, names for dimension values (actors by
 * DID, lanes by their parties), a series as uPlot's aligned data with the tonnes of each line, and one value's
 * weekly tonnes with VOLUME_SURGE's line (the actor and lane pages).
 */
import type uPlot from "uplot";
import type { TonnageBucket, TonnageDimension } from "../../../../scripts/lib/tonnage-query";
import {
  DAY,
  PERIOD_SECONDS,
  surgeBaseline,
  surges,
  topOfSeries,
  WEEK,
  weeklyKg,
  type Period,
  type TonnageSeries,
} from "../../../../scripts/lib/tonnage-series";

export const PALETTE = [
  "#1a73e8",
  "#d93025",
  "#188038",
  "#f29900",
  "#9334e6",
  "#12b5cb",
  "#e52592",
  "#5f6368",
  "#795548",
];

/** Lines drawn per chart; the rest are summed into one. */
export const TOP_LINES = 8;

/**
 * The range of the last `days` days up to `now`, widened to whole periods: from the start of the period holding
 * `now − days` to the end of the period holding `now` (so the open period counts what it has so far).
 */
export function windowRange(now: number, days: number, period: Period): { since: number; until: number } {
  const step = PERIOD_SECONDS[period];
  return { since: Math.floor((now - days * DAY) / step) * step, until: (Math.floor(now / step) + 1) * step };
}

/** A short address for people: 0x1234…abcd. */
const short = (address: string): string =>
  address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;

/** Names a dimension value: an actor by its DID when known, a lane as "exporter → importer, melt country". */
export function valueName(dimension: TonnageDimension, key: string, dids: ReadonlyMap<string, string>): string {
  const actor = (a: string): string => dids.get(a.toLowerCase()) ?? short(a);
  if (dimension === "exporter" || dimension === "importer" || dimension === "mill") return actor(key);
  if (dimension === "lane") {
    const [exporter, importer, country] = key.split(">");
    return country === undefined ? key : `${actor(exporter)} → ${actor(importer)}, ${country}`;
  }
  return key;
}

/** A lane key "<exporter>><importer>><melt country>" in parts, or null when it is not one. */
export function parseLane(lane: string): { exporter: string; importer: string; country: string } | null {
  const m = /^(0x[0-9a-fA-F]{40})>(0x[0-9a-fA-F]{40})>([A-Z]{2})$/.exec(lane);
  return m ? { exporter: m[1].toLowerCase(), importer: m[2].toLowerCase(), country: m[3] } : null;
}

/** The actor addresses a value names (to look their DIDs up). */
export function actorsOf(dimension: TonnageDimension, keys: readonly string[]): string[] {
  if (dimension === "exporter" || dimension === "importer" || dimension === "mill") return [...keys];
  if (dimension === "lane") return [...new Set(keys.flatMap((k) => k.split(">").slice(0, 2)))];
  return [];
}

export interface TrendChart {
  /** Names of the lines, in the order of `data` after the time axis. */
  names: string[];
  /** uPlot's data: period starts, then tonnes per line. */
  data: uPlot.AlignedData;
  /** The figure's text alternative: each line's total. */
  label: string;
}

/** The top lines of a series in tonnes, the rest summed as "all others". */
export function trendChart(series: TonnageSeries, name: (key: string) => string): TrendChart {
  const top = topOfSeries(series, TOP_LINES);
  const names = top.keys.map((k, i) => (i === TOP_LINES ? k : name(k)));
  const tonnes = top.kg.map((row) => row.map((kg) => kg / 1000));
  const totals = tonnes.map((row) => row.reduce((a, b) => a + b, 0));
  return {
    names,
    data: [series.starts, ...tonnes],
    label: `Tonnes: ${names.map((n, i) => `${n} ${totals[i].toFixed(1)} t`).join(", ")}`,
  };
}

/** uPlot options for a tonnage chart with one line per name (a dashed grey threshold line when asked). */
export function chartOptions(title: string, names: string[], threshold?: string): uPlot.Options {
  return {
    width: 760,
    height: 320,
    title,
    series: [
      {},
      ...names.map((n, i) => ({
        label: n,
        stroke: PALETTE[i % PALETTE.length],
        width: 2,
        points: { show: true, size: 5 },
      })),
      ...(threshold ? [{ label: threshold, stroke: "#5f6368", width: 2, dash: [6, 4], points: { show: false } }] : []),
    ],
    axes: [{}, { label: "tonnes" }],
  };
}

export interface WeeklyChart {
  /** Week starts shown, ascending. */
  starts: number[];
  /** Tonnes per week shown. */
  tonnes: number[];
  /** VOLUME_SURGE's line per week in tonnes (null where the rule does not judge yet), when asked for. */
  threshold: (number | null)[] | null;
  /** Weeks above the line (the rule's test), when asked for. */
  above: boolean[] | null;
}

/**
 * One value's tonnes per VOLUME_SURGE week for the `shown` weeks ending with `lastWeek`, from day buckets that
 * reach 12 weeks further back; with `firstWeek` (the week of the exporter's first filing, null if none), the
 * rule's line max(mean + 3σ, 2 × mean) of the 12 weeks before each week, and which weeks are above it.
 */
export function weeklyChart(
  buckets: TonnageBucket[],
  lastWeek: number,
  shown: number,
  surge?: { firstWeek: number | null },
): WeeklyChart {
  const weeks = weeklyKg(buckets);
  const shownWeeks = Array.from({ length: shown }, (_, i) => lastWeek - shown + 1 + i);
  const tonnes = shownWeeks.map((w) => (weeks.get(w) ?? 0) / 1000);
  if (!surge) return { starts: shownWeeks.map((w) => w * WEEK), tonnes, threshold: null, above: null };
  const baselines = shownWeeks.map((w) => surgeBaseline(weeks, w, surge.firstWeek));
  return {
    starts: shownWeeks.map((w) => w * WEEK),
    tonnes,
    threshold: baselines.map((b) => (b ? b.threshold / 1000 : null)),
    above: baselines.map((b, i) => (b ? surges(weeks.get(shownWeeks[i]) ?? 0, b) : false)),
  };
}
