// History findings: a history rule judges its statistic once, when its event happens (a filing, or a report link
// for HEAT_DISPERSION), and keeps the verdict as a HistoryFinding on the shipment. The rule table turns the kept
// findings into RiskFlags at every evaluation, so later events neither re-judge nor clear them.
import { ByteArray, Bytes, ValueKind, crypto, ethereum } from "@graphprotocol/graph-ts";
import { HistoryFinding, Shipment } from "../../generated/schema";
import { Finding } from "../rules/finding";
import { HEAT_DISPERSION, NEW_LANE, ROUTE_CHANGE, Rule, VOLUME_SURGE } from "../rules/table";
import { withBytes } from "../util";

/** Keeps a finding of `rule` for `cause` on `shipment` (the caller saves the shipment); once per cause. */
export function keepHistoryFinding(
  shipment: Shipment,
  rule: Rule,
  cause: string,
  explanation: string,
  lineIndex: i32,
  party: Bytes | null,
  event: ethereum.Event,
): void {
  let key = Bytes.fromByteArray(crypto.keccak256(ByteArray.fromUTF8(rule.name + "|" + cause)));
  let id = shipment.id.concat(key);
  if (HistoryFinding.load(id) != null) return;
  let finding = new HistoryFinding(id);
  finding.shipment = shipment.id;
  finding.rule = rule.name;
  finding.cause = cause;
  finding.explanation = explanation;
  if (lineIndex >= 0) finding.lineIndex = lineIndex;
  finding.party = party;
  finding.judgedAt = event.block.timestamp;
  finding.save();
  shipment.historyFindings = withBytes(shipment.historyFindings, id);
}

/** The history rules, whose findings are kept on the shipment. */
const HISTORY_RULES: Array<Rule> = [VOLUME_SURGE, NEW_LANE, HEAT_DISPERSION, ROUTE_CHANGE];

function ruleNamed(name: string): Rule | null {
  for (let i = 0; i < HISTORY_RULES.length; i++) if (HISTORY_RULES[i].name == name) return HISTORY_RULES[i];
  return null;
}

/** The findings kept on `shipment`, for evaluateShipment (nothing is loaded for the many shipments without any). */
export function keptFindings(shipment: Shipment): Array<Finding> {
  let out = new Array<Finding>();
  let ids = shipment.historyFindings;
  for (let i = 0; i < ids.length; i++) {
    let kept = HistoryFinding.load(ids[i]);
    if (kept == null) continue;
    let rule = ruleNamed(kept.rule);
    if (rule == null) continue;
    let f = new Finding(rule as Rule, kept.cause, kept.explanation);
    let line = kept.get("lineIndex");
    if (line != null && line.kind == ValueKind.INT) f.lineIndex = line.toI32();
    f.party = kept.party;
    out.push(f);
  }
  return out;
}
