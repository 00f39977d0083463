/**
 * The web pages' queries for bench:web, with variables picked from a generated season. The picks are kept with
 * a store (`--keep`), so that a later run (`--reuse`) builds the same cases from the page modules of that day.
 */
import type { QueryCase } from "./query-cases";
import type { Rec, SeasonResult } from "./query-data";
import { REPORT_LINEAGE_QUERY } from "../../web/src/analyst/insight/lineage-queries";
import { ACTORS_BY_ADDRESS, PAGE_SIZE, QUEUE_QUERY, queueWhere, type QueueFilters } from "../../web/src/analyst/queue";
import { searchQuery } from "../../web/src/analyst/search";
import { SHIPMENT_QUERY } from "../../web/src/analyst/shipment";

/** What the cases need from a season: a few real values of each kind a search box takes. */
export interface SeasonPicks {
  now: number;
  pipe: string;
  shipment: { id: string; billOfLading: string; entryNumber: string; portOfEntry: string; importer: string };
  actor: { id: string; did: string };
  report: { certificateNumber: string; heatNumber: string };
}

/** Values from the middle of the season (neither the first nor the newest rows), sampled while it was generated. */
export function seasonPicks(season: SeasonResult): SeasonPicks {
  const { shipment: s, millReport: report, pipe } = season.sample;
  const importer = season.world.Actor.get(s.importer as string) as Rec;
  return {
    now: season.now,
    pipe,
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

const QUEUE_FILE = "web/src/analyst/queue.ts";
const SEARCH_FILE = "web/src/analyst/search.ts";

/** The risk queue page `page` for `filters`, as RiskQueue.tsx asks it (one row more tells of a next page). */
function queueCase(name: string, filters: QueueFilters, page: number, note: string): QueryCase {
  return {
    name: `risk queue (${name})`,
    file: QUEUE_FILE,
    query: QUEUE_QUERY,
    variables: { where: queueWhere(filters), first: PAGE_SIZE + 1, skip: page * PAGE_SIZE },
    note,
  };
}

/** What the search box sends for `q`. */
function searchCase(name: string, q: string): QueryCase {
  const { query, variables } = searchQuery(q);
  return { name: `search (${name})`, file: SEARCH_FILE, query, variables, note: `search for ${q}` };
}

export function webQueryCases(picks: SeasonPicks): QueryCase[] {
  const s = picks.shipment;
  return [
    queueCase("first page", {}, 0, "open shipments by risk then arrival, first page"),
    queueCase("page 5", {}, 4, "the same, four pages on (skip 100)"),
    queueCase("port", { port: s.portOfEntry }, 0, `port of entry ${s.portOfEntry}`),
    queueCase("chapter + melt", { chapter: "73", melt: "CN" }, 0, "HTS chapter 73, melted in CN"),
    queueCase("rule", { rule: "MELT_POUR_MISMATCH" }, 0, "an active MELT_POUR_MISMATCH flag"),
    {
      name: "risk queue (exporter DIDs)",
      file: QUEUE_FILE,
      query: ACTORS_BY_ADDRESS,
      variables: { ids: [s.importer] },
      note: "the DIDs of a page's parties",
    },
    searchCase("bill of lading", s.billOfLading),
    searchCase("entry number", s.entryNumber),
    searchCase("MTR number", picks.report.certificateNumber),
    searchCase("heat number", picks.report.heatNumber),
    searchCase("DID", picks.actor.did),
    searchCase("address", picks.actor.id),
    searchCase("shipment id", s.id),
    {
      name: "shipment page",
      file: "web/src/analyst/shipment.ts",
      query: SHIPMENT_QUERY,
      variables: { id: s.id },
      note: "a shipment with its lines, documents, timeline and flags",
    },
    {
      name: "lineage (report)",
      file: "web/src/analyst/insight/lineage-queries.ts",
      query: REPORT_LINEAGE_QUERY,
      variables: { id: picks.pipe },
      note: "a pipe report, four levels of inputs",
    },
  ];
}
