/**
 * The web pages' queries for bench:web, with variables picked from a generated season. The picks are kept with
 * a store (`--keep`), so that a later run (`--reuse`) builds the same cases from the page modules of that day.
 */
import type { QueryCase } from "./query-cases";
import type { Rec, SeasonResult } from "./query-data";
import { REPORT_LINEAGE_QUERY } from "../../web/src/analyst/insight/lineage-queries";

/** What the cases need from a season: a few real values of each kind a search box takes. */
export interface SeasonPicks {
  now: number;
  pipe: string;
  shipment: { id: string; billOfLading: string; entryNumber: string; portOfEntry: string; importer: string };
  actor: { id: string; did: string };
  report: { certificateNumber: string; heatNumber: string };
}

/** Values from the middle of the season (neither the first nor the newest rows). */
export function seasonPicks(season: SeasonResult): SeasonPicks {
  const middle = <T>(xs: T[]): T => xs[Math.floor(xs.length / 2)];
  const shipments = [...season.world.Shipment.values()].filter((s) => s.entryNumber !== "");
  const s = middle(shipments);
  const importer = season.world.Actor.get(s.importer as string) as Rec;
  const report = middle([...season.world.MillTestReport.values()].filter((r) => r.derived === false));
  return {
    now: season.now,
    pipe: middle(season.pipes),
    shipment: {
      id: s.id as string,
      billOfLading: s.billOfLading as string,
      entryNumber: s.entryNumber as string,
      portOfEntry: s.portOfEntry as string,
      importer: s.importer as string,
    },
    actor: { id: importer.id as string, did: importer.did as string },
    report: { certificateNumber: report.certificateNumber as string, heatNumber: report.heatNumber as string },
  };
}

export function webQueryCases(picks: SeasonPicks): QueryCase[] {
  return [
    {
      name: "lineage (report)",
      file: "web/src/analyst/insight/lineage-queries.ts",
      query: REPORT_LINEAGE_QUERY,
      variables: { id: picks.pipe },
      note: "a pipe report, four levels of inputs",
    },
  ];
}
