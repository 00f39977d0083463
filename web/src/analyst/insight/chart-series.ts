/** The utilisation chart's series from its page of chart-queries.ts: utilisation per report, by tenth. */
import type { UtilisationAnswer } from "./chart-queries";

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
