/** The shipment page's reads: the shipment with everything hanging off it, then the actors behind its addresses. */
import type { CbpActionRow, StatusChangeRow, VersionRow } from "./timeline";

export const SHIPMENT_QUERY = `
  query ShipmentPage($id: ID!) {
    _meta { block { number timestamp } }
    shipment(id: $id) {
      id
      billOfLading
      entryNumber
      status
      version
      portOfLading
      portOfEntry
      exportCountry
      transshipmentCountries
      declaredOriginCountries
      meltCountries
      estimatedArrival
      filedAt
      riskScore
      activeHolds
      totalDeclaredKg
      workflowInstanceId
      missingCredentials
      pouch {
        anchorings(orderBy: anchoredAt, first: 1000) {
          id kind active fieldsMatch issuer { id }
          millTestReport { id certificateNumber }
          certificateOfOrigin { id certificateNumber }
        }
      }
      importer { id }
      filer { id }
      exporter
      manufacturer
      carrier
      lines(where: { current: true }, orderBy: lineIndex) {
        id lineIndex hts steel declaredKg declaredValueCents originCountry allocatedKg
      }
      allocations(orderBy: linkedAtBlock) {
        id lineIndex kg active linkedAt unlinkedAt invalidatedWhileLinked
        millTestReport { id certificateNumber heatNumber countryOfMeltAndPour status expiresAt issuer { id } }
      }
      certificateLinks(orderBy: linkedAtBlock) {
        id active linkedAt unlinkedAt invalidatedWhileLinked
        certificate { id certificateNumber countryOfOrigin status expiresAt issuer { id } }
      }
      versions(orderBy: version) { version filedBy timestamp blockNumber }
      statusChanges(orderBy: blockNumber) { id from to by reasonCode timestamp blockNumber }
      cbpActions(orderBy: blockNumber) { id kind reasonCode by activeHolds timestamp blockNumber }
      flags(orderBy: raisedAtBlock, first: 1000) {
        id rule severity explanation active raisedAt raisedAtBlock clearedAt clearedAtBlock document lineIndex party
      }
    }
  }
`;

export const PARTIES_QUERY = `
  query Parties($ids: [Bytes!]!) {
    actors(where: { id_in: $ids }, first: 1000) {
      id did roleNames trustedRoleNames country validFrom validUntil credentialRevoked credentialClearedAt suspended
    }
  }
`;

export interface LineRow {
  id: string;
  lineIndex: number;
  hts: string;
  steel: boolean;
  declaredKg: string;
  declaredValueCents: string;
  originCountry: string;
  allocatedKg: string;
}
export interface AllocationRow {
  id: string;
  lineIndex: number;
  kg: string;
  active: boolean;
  linkedAt: string;
  unlinkedAt: string | null;
  invalidatedWhileLinked: boolean;
  millTestReport: {
    id: string;
    certificateNumber: string;
    heatNumber: string;
    countryOfMeltAndPour: string;
    status: string;
    expiresAt: string;
    issuer: { id: string };
  };
}
export interface CertificateLinkRow {
  id: string;
  active: boolean;
  linkedAt: string;
  unlinkedAt: string | null;
  invalidatedWhileLinked: boolean;
  certificate: {
    id: string;
    certificateNumber: string;
    countryOfOrigin: string;
    status: string;
    expiresAt: string;
    issuer: { id: string };
  };
}
export interface FlagRow {
  id: string;
  rule: string;
  severity: number;
  explanation: string;
  active: boolean;
  raisedAt: string;
  raisedAtBlock: string;
  clearedAt: string | null;
  clearedAtBlock: string | null;
  document: string | null;
  lineIndex: number | null;
  party: string | null;
}
/** A credential that arrived in the shipment's pouch (an anchoring of the trace-interop node). */
export interface PouchAnchoringRow {
  id: string;
  kind: string;
  active: boolean;
  fieldsMatch: boolean;
  issuer: { id: string };
  millTestReport: { id: string; certificateNumber: string } | null;
  certificateOfOrigin: { id: string; certificateNumber: string } | null;
}
export interface ShipmentData {
  missingCredentials: string[];
  pouch: { anchorings: PouchAnchoringRow[] };
  id: string;
  billOfLading: string;
  entryNumber: string;
  status: string;
  version: number;
  portOfLading: string;
  portOfEntry: string;
  exportCountry: string;
  transshipmentCountries: string[];
  declaredOriginCountries: string[];
  meltCountries: string[];
  estimatedArrival: string;
  filedAt: string;
  riskScore: number;
  activeHolds: number;
  totalDeclaredKg: string;
  workflowInstanceId: string;
  importer: { id: string };
  filer: { id: string };
  exporter: string;
  manufacturer: string;
  carrier: string;
  lines: LineRow[];
  allocations: AllocationRow[];
  certificateLinks: CertificateLinkRow[];
  versions: VersionRow[];
  statusChanges: StatusChangeRow[];
  cbpActions: CbpActionRow[];
  flags: FlagRow[];
}
export interface PartyActor {
  id: string;
  did: string;
  roleNames: string[];
  trustedRoleNames: string[];
  country: string;
  validFrom: string;
  validUntil: string;
  credentialRevoked: boolean;
  credentialClearedAt: string | null;
  suspended: boolean;
}

/** The parties of a shipment by role, importer first. */
export function partiesOf(s: ShipmentData): { role: string; address: string }[] {
  const out = [
    { role: "Importer", address: s.importer.id },
    { role: "Filer", address: s.filer.id },
    { role: "Exporter", address: s.exporter },
    { role: "Manufacturer", address: s.manufacturer },
    { role: "Carrier", address: s.carrier },
  ];
  return out.map((p) => ({ ...p, address: p.address.toLowerCase() }));
}

/** Every address the page names (parties, issuers, officers, flagged parties), each once, lower case. */
export function addressesOf(s: ShipmentData): string[] {
  const all = [
    ...partiesOf(s).map((p) => p.address),
    ...s.allocations.map((a) => a.millTestReport.issuer.id),
    ...s.certificateLinks.map((c) => c.certificate.issuer.id),
    ...s.statusChanges.map((c) => c.by),
    ...s.cbpActions.map((a) => a.by),
    ...s.versions.map((v) => v.filedBy),
    ...s.flags.flatMap((f) => (f.party ? [f.party] : [])),
  ];
  return [...new Set(all.map((a) => a.toLowerCase()))];
}

/**
 * A party's credential standing in words, as at `now` (unix seconds): the first thing wrong, or "active".
 * Undefined actor: the address was never onboarded.
 */
export function credentialStatus(actor: PartyActor | undefined, now: number): { text: string; good: boolean } {
  if (!actor) return { text: "not an onboarded actor", good: false };
  if (actor.suspended) return { text: "suspended by CBP", good: false };
  if (actor.credentialClearedAt) return { text: "credential cleared by CBP", good: false };
  if (actor.credentialRevoked) return { text: "credential revoked", good: false };
  if (Number(actor.validFrom) > now) return { text: "credential not yet valid", good: false };
  if (Number(actor.validUntil) < now) return { text: "credential expired", good: false };
  if (actor.trustedRoleNames.length < actor.roleNames.length) {
    return { text: "issuer no longer trusted for every role", good: false };
  }
  return { text: "active", good: true };
}

/** The indexed head's block number. */
export const HEAD_QUERY = `{ _meta { block { number } } }`;

/**
 * Resolves once the indexer has gone past `block` (the page then shows what a transaction sent after it did),
 * or after `timeoutMs` at the latest: the page reloads either way.
 */
export async function waitForIndexedPast(
  block: number,
  readHead: () => Promise<number>,
  timeoutMs = 15_000,
  stepMs = 500,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if ((await readHead().catch(() => block)) > block) return true;
    if (Date.now() >= until) return false;
    await new Promise((ok) => setTimeout(ok, stepMs));
  }
}
