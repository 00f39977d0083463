/**
 * The subgraph's risk rules as TypeScript knows them: each rule's severity (what its flag adds to a shipment's
 * riskScore) and the thresholds the rules apply. The subgraph's own table is `subgraph/src/rules/table.ts`
 * (AssemblyScript, which TypeScript cannot import); test/subgraph/rule-table.test.ts holds this module equal to
 * it, to the schema's and subgraph/README.md's documentation, and to the flags an indexed scenario raises.
 * The season (scripts/season/) and the query benchmark's model of the rules (bench/lib/) read it from here.
 */

/** Each rule's severity, in the order of the schema's RiskRule enum. */
export const RISK_RULES = {
  MISSING_MTR: 20,
  MELT_POUR_MISMATCH: 40,
  COO_MISMATCH: 25,
  WEIGHT_MISMATCH: 20,
  DOCUMENT_REVOKED: 40,
  UNVERIFIED_PARTY: 30,
  LATE_FILING: 10,
  TRANSSHIPMENT: 30,
  WATCHLIST: 35,
  NEW_PARTY: 10,
  SIGNED_FIELD_MISMATCH: 40,
  VOLUME_SURGE: 20,
  NEW_LANE: 10,
  HEAT_DISPERSION: 20,
  ROUTE_CHANGE: 20,
} as const;

/** A risk rule: a value of the schema's RiskRule enum. */
export type RiskRule = keyof typeof RISK_RULES;

/** Every rule, in the order of the schema's RiskRule enum. */
export const RISK_RULE_NAMES = Object.keys(RISK_RULES) as RiskRule[];

/** The severity of `rule`; throws for a name that is no rule (there is no default severity). */
export function severityOf(rule: string): number {
  if (!Object.hasOwn(RISK_RULES, rule)) throw new Error(`unknown risk rule ${JSON.stringify(rule)}`);
  return RISK_RULES[rule as RiskRule];
}

/** LATE_FILING: a first filing less than this many hours before the estimated arrival is late. */
export const LATE_FILING_HOURS = 24;
/** NEW_PARTY: an exporter or importer onboarded less than this many days before filing is new. */
export const NEW_PARTY_DAYS = 90;
/** WEIGHT_MISMATCH: allowed difference between declared and allocated kilograms, in percent of the declared. */
export const WEIGHT_TOLERANCE_PERCENT = 2;

/** The history rules (subgraph/src/history/) count weeks as floor(block time / WEEK_SECONDS). */
export const WEEK_SECONDS = 604_800;
/** VOLUME_SURGE: the week is measured against this many weeks before it (empty weeks count 0)… */
export const SURGE_BASELINE_WEEKS = 12;
/** …once the exporter's first filing is at least this many weeks before it. */
export const SURGE_MIN_HISTORY_WEEKS = 6;
/** NEW_LANE: earlier filed shipments the exporter needs for a new lane to be flagged. */
export const NEW_LANE_MIN_SHIPMENTS = 4;
/** ROUTE_CHANGE: earlier filed shipments, all direct, the exporter needs for a routed one to be flagged. */
export const ROUTE_CHANGE_MIN_SHIPMENTS = 4;
/** HEAT_DISPERSION: distinct importers a heat needs to be flagged… */
export const DISPERSION_MIN_IMPORTERS = 4;
/** …and other linked heats its mill needs before the mill's mean + 3σ applies too. */
export const DISPERSION_MIN_OTHER_HEATS = 5;
