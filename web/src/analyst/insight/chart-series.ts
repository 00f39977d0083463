/** Chart series from the pages of chart-queries.ts: day buckets per melt country, utilisation per report. */
import type { TonnageAnswer, UtilisationAnswer } from "./chart-queries";

export const DAY = 86_400;

export interface TonnageSeries {
  /** Start of each day (unix seconds), ascending. */
  days: number[];
  /** Melt countries, by total tonnage descending. */
  countries: string[];
  /** tonnes[c][d]: tonnes of country c linked on day d. */
  tonnes: number[][];
  totals: Record<string, number>;
}

/** Sums the allocations' kilograms per melt country and day, in tonnes, over every day from `since` to `now`. */
export function tonnageSeries(answer: TonnageAnswer, since: number, now: number): TonnageSeries {
  const first = Math.floor(since / DAY) * DAY;
  const days: number[] = [];
  for (let d = first; d <= now; d += DAY) days.push(d);
  const kgBy = new Map<string, number[]>();
  for (const a of answer.allocations) {
    const c = a.millTestReport.countryOfMeltAndPour;
    const row = kgBy.get(c) ?? kgBy.set(c, new Array<number>(days.length).fill(0)).get(c)!;
    const i = Math.floor((Number(a.linkedAt) - first) / DAY);
    if (i >= 0 && i < days.length) row[i] += Number(a.kg) / 1000;
  }
  const totals = Object.fromEntries([...kgBy].map(([c, row]) => [c, row.reduce((x, y) => x + y, 0)]));
  const countries = [...kgBy.keys()].sort((a, b) => totals[b] - totals[a] || a.localeCompare(b));
  return { days, countries, tonnes: countries.map((c) => kgBy.get(c)!), totals };
}

export interface UtilisationSeries {
  /** Issue times, ascending. */
  issuedAt: number[];
  /** Utilisation in percent, in the same order. */
  percent: number[];
  /** Reports per tenth of utilisation: [0–10 %), …, [90–100 %]. */
  deciles: number[];
}

export function utilisationSeries(answer: UtilisationAnswer): UtilisationSeries {
  const rows = [...answer.millTestReports].sort((a, b) => Number(a.issuedAt) - Number(b.issuedAt));
  const deciles = new Array<number>(10).fill(0);
  for (const r of rows) deciles[Math.min(9, Math.floor(r.utilizationBps / 1000))]++;
  return {
    issuedAt: rows.map((r) => Number(r.issuedAt)),
    percent: rows.map((r) => r.utilizationBps / 100),
    deciles,
  };
}
