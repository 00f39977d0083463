/** The analyst pages' queries with variables picked from a generated season. */
import type { QueryCase } from "./query-cases";
import type { SeasonResult } from "./query-data";
import { REPORT_LINEAGE_QUERY } from "../../web/src/analyst/insight/lineage-queries";

export function webQueryCases(season: SeasonResult): QueryCase[] {
  const pipe = season.pipes[Math.floor(season.pipes.length / 2)];
  return [
    {
      name: "lineage (report)",
      file: "web/src/analyst/insight/lineage-queries.ts",
      query: REPORT_LINEAGE_QUERY,
      variables: { id: pipe },
      note: "a pipe report, four levels of inputs",
    },
  ];
}
