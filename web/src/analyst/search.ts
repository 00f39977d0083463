/**
 * The one search box: whatever the analyst pastes (bill of lading, entry number, certificate or MTR number, heat
 * number, DID, address, shipment or record id) is asked in one query, and the matches lead to their pages.
 */
import { hashOf } from "../lib/routes";

export type SearchKind = "did" | "address" | "id" | "text";

/** What kind of value `q` is, which decides the fields it is looked up in. */
export function searchKind(q: string): SearchKind {
  const s = q.trim();
  if (/^did:[a-z0-9]+:\S+$/i.test(s)) return "did";
  if (/^0x[0-9a-fA-F]{40}$/.test(s)) return "address";
  if (/^0x[0-9a-fA-F]{64}$/.test(s)) return "id";
  return "text";
}

const SHIPMENT_FIELDS = "id billOfLading entryNumber status riskScore portOfEntry estimatedArrival";
const REPORT_FIELDS = "id certificateNumber heatNumber countryOfMeltAndPour status";
const CERT_FIELDS = "id certificateNumber countryOfOrigin status";

/** The query and variables for `q`. */
export function searchQuery(q: string): { query: string; variables: Record<string, unknown> } {
  const s = q.trim();
  switch (searchKind(s)) {
    case "did":
      return {
        query: `query Search($q: String!) { actors(where: { did: $q }, first: 10) { id did roleNames } }`,
        variables: { q: s },
      };
    case "address":
      return {
        query: `query Search($q: ID!) { actor(id: $q) { id did roleNames } }`,
        variables: { q: s.toLowerCase() },
      };
    case "id":
      return {
        query: `query Search($q: ID!) {
          shipment(id: $q) { ${SHIPMENT_FIELDS} }
          millTestReport(id: $q) { ${REPORT_FIELDS} }
          certificateOfOrigin(id: $q) { ${CERT_FIELDS} }
        }`,
        variables: { q: s.toLowerCase() },
      };
    default:
      return {
        query: `query Search($q: String!) {
          byBill: shipments(where: { billOfLading: $q }, first: 20) { ${SHIPMENT_FIELDS} }
          byEntry: shipments(where: { entryNumber: $q }, first: 20) { ${SHIPMENT_FIELDS} }
          reportsByNumber: millTestReports(where: { certificateNumber: $q }, first: 20) { ${REPORT_FIELDS} }
          reportsByHeat: millTestReports(where: { heatNumber: $q }, first: 20) { ${REPORT_FIELDS} }
          certificates: certificateOfOrigins(where: { certificateNumber: $q }, first: 20) { ${CERT_FIELDS} }
        }`,
        variables: { q: s },
      };
  }
}

export interface SearchShipment {
  id: string;
  billOfLading: string;
  entryNumber: string;
  status: string;
  riskScore: number;
  portOfEntry: string;
  estimatedArrival: string;
}
export interface SearchReport {
  id: string;
  certificateNumber: string;
  heatNumber: string;
  countryOfMeltAndPour: string;
  status: string;
}
export interface SearchCertificate {
  id: string;
  certificateNumber: string;
  countryOfOrigin: string;
  status: string;
}
export interface SearchActor {
  id: string;
  did: string;
  roleNames: string[];
}

/** One thing found, with where it leads. */
export interface SearchHit {
  kind: "shipment" | "mill test report" | "certificate of origin" | "actor";
  label: string;
  detail: string;
  href: string;
  /** A second place worth going (an actor's open shipments in the queue). */
  more?: { label: string; href: string };
}

type Answer = Partial<{
  actors: SearchActor[];
  actor: SearchActor | null;
  shipment: SearchShipment | null;
  millTestReport: SearchReport | null;
  certificateOfOrigin: SearchCertificate | null;
  byBill: SearchShipment[];
  byEntry: SearchShipment[];
  reportsByNumber: SearchReport[];
  reportsByHeat: SearchReport[];
  certificates: SearchCertificate[];
}>;

/** The hits of an answer, each once, shipments first. */
export function searchHits(answer: Answer): SearchHit[] {
  const hits = new Map<string, SearchHit>();
  const add = (key: string, hit: SearchHit): void => {
    if (!hits.has(key)) hits.set(key, hit);
  };
  const shipments = [answer.shipment, ...(answer.byBill ?? []), ...(answer.byEntry ?? [])];
  for (const s of shipments) {
    if (!s) continue;
    add(`s${s.id}`, {
      kind: "shipment",
      label: `Bill of lading ${s.billOfLading}`,
      detail: [s.entryNumber && `entry ${s.entryNumber}`, s.portOfEntry, s.status.toLowerCase(), `risk ${s.riskScore}`]
        .filter(Boolean)
        .join(" · "),
      href: shipmentHref(s.id),
    });
  }
  for (const r of [answer.millTestReport, ...(answer.reportsByNumber ?? []), ...(answer.reportsByHeat ?? [])]) {
    if (!r) continue;
    add(`m${r.id}`, {
      kind: "mill test report",
      label: `MTR ${r.certificateNumber}`,
      detail: `heat ${r.heatNumber || "—"} · melted in ${r.countryOfMeltAndPour} · ${r.status.toLowerCase()}`,
      href: `#/mtr/${encodeURIComponent(r.id)}`,
    });
  }
  for (const c of [answer.certificateOfOrigin, ...(answer.certificates ?? [])]) {
    if (!c) continue;
    add(`c${c.id}`, {
      kind: "certificate of origin",
      label: `Certificate ${c.certificateNumber}`,
      detail: `origin ${c.countryOfOrigin} · ${c.status.toLowerCase()}`,
      href: `#/coo/${encodeURIComponent(c.id)}`,
    });
  }
  for (const a of [answer.actor, ...(answer.actors ?? [])]) {
    if (!a) continue;
    add(`a${a.id}`, {
      kind: "actor",
      label: a.did,
      detail: `${a.roleNames.join(", ") || "no role"} · ${a.id}`,
      href: `#/actor/${encodeURIComponent(a.id.toLowerCase())}`,
      more: { label: "open shipments in the risk queue", href: hashOf("/queue", { party: a.id.toLowerCase() }) },
    });
  }
  return [...hits.values()];
}

/** The shipment page of a shipment id. */
export function shipmentHref(id: string): string {
  return `#/shipment/${encodeURIComponent(id.toLowerCase())}`;
}
