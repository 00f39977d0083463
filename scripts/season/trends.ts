/**
 * The targeting report's "trends" section (issue #21): shipped tonnes per week by melt country and by HTS chapter
 * over the last weeks, and the exporters and lanes whose volume rose most in the latest week that saw shipments,
 * all read from the subgraph's tonnage aggregations (scripts/lib/tonnage-query.ts) in day buckets summed per
 * VOLUME_SURGE week (scripts/lib/tonnage-series.ts).
 */
import { readTonnage, type QueryRunner, type TonnageDimension } from "../lib/tonnage-query";
import { risers, tonnageSeries, WEEK, weekOf, SURGE_BASELINE_WEEKS, type Riser } from "../lib/tonnage-series";

/** Weeks shown in the tables, the current one included. */
export const TREND_WEEKS = 6;
/** Exporters and lanes listed as having risen most. */
export const TOP_RISERS = 5;

/** Names an actor address (lower-case hex) for people: the season's name, else a short address. */
export type ActorNamer = (address: string) => string;

const tonnes = (kg: number): string => (kg / 1000).toFixed(1);
const dateOf = (unix: number): string => new Date(unix * 1000).toISOString().slice(0, 10);

/** Names the season's actors by name, anyone else by a short address. */
export function seasonNamer(actors: { name: string; address: string }[]): ActorNamer {
  const names = new Map(actors.map((a) => [a.address.toLowerCase(), a.name]));
  return (address) => names.get(address) ?? `${address.slice(0, 8)}…${address.slice(-4)}`;
}

/** A lane key "<exporter>><importer>><melt country>" in words: "Exporter → Importer, CN". */
export function laneName(lane: string, name: ActorNamer): string {
  const [exporter, importer, country] = lane.split(">");
  if (country === undefined) return lane;
  return `${name(exporter.toLowerCase())} → ${name(importer.toLowerCase())}, ${country}`;
}

/** Lines of a plain table (the report's `formatTable`, passed in so this section keeps to its own file). */
type Tabulate = (headers: string[], rows: unknown[][]) => string;

async function weeklyTable(
  run: QueryRunner,
  dimension: TonnageDimension,
  header: string,
  weeks: { first: number; now: number },
  tabulate: Tabulate,
): Promise<string> {
  const until = (weekOf(weeks.now) + 1) * WEEK;
  const read = await readTonnage(run, dimension, { interval: "day", since: weeks.first * WEEK, until });
  const series = tonnageSeries(read.buckets, { from: read.from, until, period: "week" });
  if (series.keys.length === 0) return "(no shipments in these weeks)";
  const heads = series.starts.map((t) => (weekOf(t) === weekOf(weeks.now) ? `${dateOf(t)}*` : dateOf(t)));
  const rows = series.keys.map((k, i) => [k, ...series.kg[i].map(tonnes), tonnes(series.totals[k])]);
  const cut = read.complete
    ? ""
    : `\n(the read stopped at its page limit: weeks before ${dateOf(read.from)} are partial)`;
  return tabulate([header, ...heads, "total"], rows) + cut;
}

function riserTable(rows: Riser[], label: (key: string) => string, header: string, tabulate: Tabulate): string {
  if (rows.length === 0) return "(none rose)";
  return tabulate(
    [header, "week t", `mean t/week, ${SURGE_BASELINE_WEEKS} wk before`, "rise t"],
    rows.map((r) => [label(r.key), tonnes(r.weekKg), tonnes(r.baselineKg), `+${tonnes(r.rise)}`]),
  );
}

/** The latest week (up to `now`'s) with shipped tonnage, from the weekly melt-country read; null when none. */
async function latestActiveWeek(run: QueryRunner, now: number, weeks: number): Promise<number | null> {
  const until = (weekOf(now) + 1) * WEEK;
  const read = await readTonnage(run, "meltCountry", { interval: "day", since: until - weeks * WEEK, until });
  return read.buckets.length === 0 ? null : Math.max(...read.buckets.map((b) => weekOf(b.start)));
}

/** The "trends" section of the targeting report, as text; `now` is the season's end (block time). */
export async function trendsSection(
  run: QueryRunner,
  now: number,
  name: ActorNamer,
  tabulate: Tabulate,
): Promise<string> {
  const first = weekOf(now) - TREND_WEEKS + 1;
  const out = [
    `== trends: shipped tonnes per week, the last ${TREND_WEEKS} weeks (* to date); weeks start Thursday 00:00 UTC, ` +
      "as VOLUME_SURGE counts them",
    "   from the daily aggregations MeltCountryTonnage, HtsChapterTonnage and LaneTonnage (closed days: the head's",
    "   own day counts once a later block is indexed)",
    "",
    await weeklyTable(run, "meltCountry", "melt country", { first, now }, tabulate),
    "",
    await weeklyTable(run, "htsChapter", "HTS chapter", { first, now }, tabulate),
    "",
  ];
  const week = await latestActiveWeek(run, now, TREND_WEEKS);
  if (week === null) return [...out, "no shipments in these weeks: nothing rose"].join("\n");
  const range = { interval: "day" as const, since: (week - SURGE_BASELINE_WEEKS) * WEEK, until: (week + 1) * WEEK };
  const exporters = await readTonnage(run, "exporter", range);
  const lanes = await readTonnage(run, "lane", range);
  if (!exporters.complete || !lanes.complete)
    out.push("(the reads stopped at their page limit: the baselines are partial)");
  out.push(
    `rose most in the week of ${dateOf(week * WEEK)} against the mean of the ${SURGE_BASELINE_WEEKS} weeks before:`,
    riserTable(risers(exporters.buckets, week, SURGE_BASELINE_WEEKS, TOP_RISERS), name, "exporter", tabulate),
    "",
    riserTable(
      risers(lanes.buckets, week, SURGE_BASELINE_WEEKS, TOP_RISERS),
      (k) => laneName(k, name),
      "lane",
      tabulate,
    ),
  );
  return out.join("\n");
}
