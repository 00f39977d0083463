// What a rule finds: the rule, a stable key of its cause, the analyst's explanation and the entities concerned.
// evaluateShipment (risk.ts) turns findings into RiskFlags; a finding itself writes nothing.
import { Bytes } from "@graphprotocol/graph-ts";
import { Rule } from "./table";

export class Finding {
  rule: Rule;
  /** Stable key of the cause: a flag whose rule and cause are found again stays raised. */
  cause: string;
  explanation: string;
  document: Bytes | null = null;
  lineIndex: i32 = -1;
  party: Bytes | null = null;
  watchEntry: Bytes | null = null;

  constructor(rule: Rule, cause: string, explanation: string) {
    this.rule = rule;
    this.cause = cause;
    this.explanation = explanation;
  }
}

/** Whether `findings` already holds a finding of `rule` for `cause`. */
export function has(findings: Array<Finding>, rule: Rule, cause: string): boolean {
  for (let i = 0; i < findings.length; i++) {
    if (findings[i].rule.name == rule.name && findings[i].cause == cause) return true;
  }
  return false;
}

/** Appends `finding` unless it is null or its rule already found the same cause. */
export function addOnce(findings: Array<Finding>, finding: Finding | null): void {
  if (finding == null) return;
  let f = finding as Finding;
  if (!has(findings, f.rule, f.cause)) findings.push(f);
}

/** Appends `finding` unless it is null. */
export function add(findings: Array<Finding>, finding: Finding | null): void {
  if (finding != null) findings.push(finding as Finding);
}
