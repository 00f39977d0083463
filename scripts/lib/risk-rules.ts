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
