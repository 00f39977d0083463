/**
 * The event mix of the indexing benchmark (bench/lib/emit-registry-events.ts plays it) and the entities the real
 * subgraph must hold after indexing it: the benchmark and its test compare the store against these.
 */

/** TrustedIssuerSet and five ActorOnboarded, before the rounds. */
export const SETUP_EVENTS = 6;
const MTRS_PER_ROUND = 50;
const SHIPMENTS_PER_ROUND = 5;
/** Per shipment: filed, MTR linked (KilogramsAllocated + MillTestReportLinked), COO linked, departed. */
const EVENTS_PER_SHIPMENT = 5;
/** MTRs per heat: the heat number of MTR i is K<floor(i / 5)>. */
export const MTRS_PER_HEAT = 5;
/**
 * Melt countries, each shipment's declared origin, COO country and the melt country of the MTR it links alike (no
 * risk flag but MISSING_MTR). MTR i is melted in MELT_COUNTRIES[floor(i / 10) % 8], and the k-th shipment of round
 * r links MTR 50r + 10k, so consecutive shipments cycle through the countries. Several countries, as in the real
 * trade: every shipment with a linked MTR also gets one MeltCountryShipment row under its melt country.
 */
export const MELT_COUNTRIES = ["KR", "JP", "DE", "MX", "BR", "IN", "TR", "VN"];

/** The melt country of MTR `i`. */
export const meltCountryOf = (i: number): string => MELT_COUNTRIES[Math.floor(i / 10) % MELT_COUNTRIES.length];

export interface EventPlan {
  rounds: number;
  mtrsPerRound: number;
  shipmentsPerRound: number;
  /** MTRs issued after the rounds, to make exactly N events. */
  extraMtrs: number;
}

/** How many events of each kind were emitted. */
export interface EmittedEvents {
  TrustedIssuerSet: number;
  ActorOnboarded: number;
  MillTestReportIssued: number;
  CertificateOfOriginIssued: number;
  ShipmentFiled: number;
  KilogramsAllocated: number;
  MillTestReportLinked: number;
  CertificateOfOriginLinked: number;
  ShipmentStatusChanged: number;
}

export const eventsPerRound = (): number =>
  MTRS_PER_ROUND + SHIPMENTS_PER_ROUND + SHIPMENTS_PER_ROUND * EVENTS_PER_SHIPMENT;

/** Rounds of 80 events after the setup, the rest as MTRs; N must leave room for the setup. */
export function planEvents(events: number): EventPlan {
  if (!Number.isInteger(events) || events <= SETUP_EVENTS) {
    throw new Error(`the benchmark needs more than ${SETUP_EVENTS} events`);
  }
  const rest = events - SETUP_EVENTS;
  const rounds = Math.floor(rest / eventsPerRound());
  return {
    rounds,
    mtrsPerRound: MTRS_PER_ROUND,
    shipmentsPerRound: SHIPMENTS_PER_ROUND,
    extraMtrs: rest - rounds * eventsPerRound(),
  };
}

export const totalEvents = (e: EmittedEvents): number => Object.values(e).reduce((a: number, b: number) => a + b, 0);

/**
 * Current entities per type after indexing `e`: every actor onboarded once by one trusted issuer; every MTR its
 * own report, five to a heat; every shipment one line, one version, one allocation, one certificate link, one
 * status change and one risk flag (MISSING_MTR, raised at filing and cleared by the MTR link); a Country per melt
 * country of a linked MTR (shipment s of the run links an MTR of MELT_COUNTRIES[s % 8]) and a MeltCountryShipment
 * row per shipment with a linked MTR (one melt country each).
 */
export function expectedEntities(e: EmittedEvents): Record<string, number> {
  const shipments = e.ShipmentFiled;
  // History rules (subgraph/src/history/): one exporter files everything within a week, one lane per melt
  // country; lanes 5-8 are new for an exporter with 4 earlier shipments: one NEW_LANE flag each. Every link
  // takes a heat of its own from one mill to one importer.
  const lanes = Math.min(MELT_COUNTRIES.length, shipments);
  const newLanes = Math.max(0, lanes - 4);
  return {
    Actor: e.ActorOnboarded,
    Allocation: e.MillTestReportLinked,
    AllocatorApproval: 0, // the mill links its own reports: no approval needed (SECURITY.md R1)
    AssertionKey: 0, // no P-256 keys: every report is issued with an Ethereum signature
    CbpAction: 0,
    CertificateLink: e.CertificateOfOriginLinked,
    CertificateOfOrigin: e.CertificateOfOriginIssued,
    CertifiedTonnage: e.MillTestReportIssued,
    Country: Math.min(MELT_COUNTRIES.length, e.MillTestReportLinked),
    Credential: e.ActorOnboarded,
    ExporterHistory: shipments > 0 ? 1 : 0,
    ExporterLane: lanes,
    Heat: Math.ceil(e.MillTestReportIssued / MTRS_PER_HEAT),
    HeatDispersion: e.MillTestReportLinked,
    HeatImporter: e.MillTestReportLinked,
    HistoryFinding: newLanes,
    LineageEdge: 0,
    MeltCountryShipment: e.MillTestReportLinked,
    MillDispersion: e.MillTestReportLinked > 0 ? 1 : 0,
    MillTestReport: e.MillTestReportIssued,
    PartyFinding: 0,
    Pouch: shipments, // each filing's own workflow instance opens its pouch
    RiskFlag: shipments + newLanes,
    Shipment: shipments,
    ShipmentLine: shipments,
    ShipmentVersion: shipments,
    ShippedTonnage: shipments,
    SignedAnchoring: 0,
    StatusChange: e.ShipmentStatusChanged,
    TrustedIssuer: e.TrustedIssuerSet,
    WatchEntry: 0,
  };
}
