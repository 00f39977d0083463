/**
 * The risk queue in the query: shipments not yet released (nor refused), highest risk score first, then the
 * earliest arrival (Shipment.queueRank), filtered and paged by graph-node itself — a browser never pages through
 * 100,000 shipments.
 */
import { htsChapter } from "../lib/format";

export const PAGE_SIZE = 25;

/** What the analyst filters by; every field is the text of a form field or of the URL (`#/queue?port=USHOU`). */
export interface QueueFilters {
  /** Port of entry, UN/LOCODE (USHOU). */
  port?: string;
  /** HTS chapter, or an HTS number whose chapter counts (73, 7306.19). */
  chapter?: string;
  /** Risk rule (RiskRule enum value). */
  rule?: string;
  /** Country of melt and pour, ISO 3166-1 alpha-2. */
  melt?: string;
  /** A party by address (the DID is turned into one before the query). */
  party?: string;
  /** Zero-based page. */
  page?: string;
}

export const FILTER_KEYS = ["port", "chapter", "rule", "melt", "party"] as const;

/** The statuses of a shipment still in the queue. */
export const OPEN_STATUSES = ["FILED", "DEPARTED", "ARRIVED"];

/** A filter the analyst typed that cannot be asked: the message to show next to it. */
export class FilterError extends Error {
  constructor(
    readonly field: keyof QueueFilters,
    message: string,
  ) {
    super(message);
  }
}

/** The `where` of the queue query for `filters`; `partyAddress` is the party filter already resolved. */
export function queueWhere(filters: QueueFilters, partyAddress?: string): Record<string, unknown> {
  const where: Record<string, unknown> = { status_in: OPEN_STATUSES };
  const port = filters.port?.trim().toUpperCase().replace(/\s+/g, "");
  if (port) {
    if (!/^[A-Z]{2}[A-Z0-9]{3}$/.test(port)) throw new FilterError("port", "a port is a UN/LOCODE such as USHOU");
    where.portOfEntry = port;
  }
  if (filters.chapter?.trim()) {
    const chapter = htsChapter(filters.chapter);
    if (chapter === null) throw new FilterError("chapter", "an HTS chapter is two digits, such as 73");
    where.htsChapters_contains = [chapter];
  }
  const rule = filters.rule?.trim();
  if (rule) {
    if (!/^[A-Z_]+$/.test(rule)) throw new FilterError("rule", `unknown rule ${rule}`);
    where.activeRules_contains = [rule];
  }
  const melt = filters.melt?.trim().toUpperCase();
  if (melt) {
    if (!/^[A-Z]{2}$/.test(melt)) throw new FilterError("melt", "a melt country is two letters, such as CN");
    where.meltCountries_contains = [melt];
  }
  if (partyAddress) where.parties_contains = [partyAddress.toLowerCase()];
  return where;
}

/** The page number of `filters` (0 for none or nonsense). */
export function pageOf(filters: QueueFilters): number {
  const n = Number(filters.page ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** Is `text` an address (0x and 40 hex digits)? */
export const isAddress = (text: string): boolean => /^0x[0-9a-fA-F]{40}$/.test(text.trim());

export const QUEUE_QUERY = `
  query RiskQueue($where: Shipment_filter!, $first: Int!, $skip: Int!) {
    shipments(where: $where, orderBy: queueRank, orderDirection: desc, first: $first, skip: $skip) {
      id
      billOfLading
      entryNumber
      portOfEntry
      estimatedArrival
      status
      riskScore
      activeRules
      htsChapters
      meltCountries
      declaredOriginCountries
      totalDeclaredKg
      activeHolds
      importer { id did }
      exporter
    }
  }
`;

export interface QueueRow {
  id: string;
  billOfLading: string;
  entryNumber: string;
  portOfEntry: string;
  estimatedArrival: string;
  status: string;
  riskScore: number;
  activeRules: string[];
  htsChapters: number[];
  meltCountries: string[];
  declaredOriginCountries: string[];
  totalDeclaredKg: string;
  activeHolds: number;
  importer: { id: string; did: string };
  exporter: string;
}

/** The risk rules with their descriptions, from the schema itself (introspection): one home for them. */
export const RULES_QUERY = `{ __type(name: "RiskRule") { enumValues { name description } } }`;

export const ACTORS_BY_ADDRESS = `
  query Actors($ids: [Bytes!]!) { actors(where: { id_in: $ids }, first: 1000) { id did } }
`;

export const ACTOR_BY_DID = `
  query ActorByDid($did: String!) { actors(where: { did: $did }, first: 2) { id did } }
`;
