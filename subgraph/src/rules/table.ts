// The risk rules' one table: each rule's name (a value of schema.graphql's RiskRule enum) and its severity. A
// finding names its rule by one of these constants, never by a string, so a rule missing from the table cannot
// raise a flag, and nothing falls back to a default severity.
//
// To add a rule:
//   1. add `export const MY_RULE = new Rule("MY_RULE", <severity>);` below and append it to RULES;
//   2. add MY_RULE to the RiskRule enum in schema.graphql, with its description ending "Severity <n>.", and a
//      row to the schema's rule table and to subgraph/README.md's;
//   3. add the rule's row to scripts/lib/risk-rules.ts (the TypeScript home the season and the bench read);
//      test/subgraph/rule-table.test.ts checks that all of these agree;
//   4. write the rule's finding function (see risk.ts) and its matchstick test in subgraph/tests/.
// Severities add up to Shipment.riskScore, so a rule's severity is what it weighs in CBP's queue.

/** A risk rule: its RiskRule enum name and the severity its flags carry. */
export class Rule {
  name: string;
  severity: i32;

  constructor(name: string, severity: i32) {
    this.name = name;
    this.severity = severity;
  }
}

export const MISSING_MTR = new Rule("MISSING_MTR", 20);
export const MELT_POUR_MISMATCH = new Rule("MELT_POUR_MISMATCH", 40);
export const COO_MISMATCH = new Rule("COO_MISMATCH", 25);
export const WEIGHT_MISMATCH = new Rule("WEIGHT_MISMATCH", 20);
export const DOCUMENT_REVOKED = new Rule("DOCUMENT_REVOKED", 40);
export const UNVERIFIED_PARTY = new Rule("UNVERIFIED_PARTY", 30);
export const LATE_FILING = new Rule("LATE_FILING", 10);
export const TRANSSHIPMENT = new Rule("TRANSSHIPMENT", 30);
export const WATCHLIST = new Rule("WATCHLIST", 35);
export const NEW_PARTY = new Rule("NEW_PARTY", 10);
export const SIGNED_FIELD_MISMATCH = new Rule("SIGNED_FIELD_MISMATCH", 40);
export const VOLUME_SURGE = new Rule("VOLUME_SURGE", 20);
export const NEW_LANE = new Rule("NEW_LANE", 10);
export const HEAT_DISPERSION = new Rule("HEAT_DISPERSION", 20);
export const ROUTE_CHANGE = new Rule("ROUTE_CHANGE", 20);

/** Every rule, in the order of the RiskRule enum. */
export const RULES: Array<Rule> = [
  MISSING_MTR,
  MELT_POUR_MISMATCH,
  COO_MISMATCH,
  WEIGHT_MISMATCH,
  DOCUMENT_REVOKED,
  UNVERIFIED_PARTY,
  LATE_FILING,
  TRANSSHIPMENT,
  WATCHLIST,
  NEW_PARTY,
  SIGNED_FIELD_MISMATCH,
  VOLUME_SURGE,
  NEW_LANE,
  HEAT_DISPERSION,
  ROUTE_CHANGE,
];
