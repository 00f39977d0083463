// History findings: a history rule judges its statistic once, when its event happens (a filing, or a report link
// for HEAT_DISPERSION), and keeps the verdict as a HistoryFinding on the shipment. The rule table turns the kept
// findings into RiskFlags at every evaluation, so later events neither re-judge nor clear them.
import { ByteArray, Bytes, ValueKind, crypto, ethereum } from "@graphprotocol/graph-ts";
import { HistoryFinding, Shipment } from "../../generated/schema";
import { Rule } from "../rules/table";
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

/** The kept findings of `rule` on `shipment` (none loaded for the many shipments without any). */
export function keptFindingsOf(shipment: Shipment, rule: Rule): Array<HistoryFinding> {
  let out = new Array<HistoryFinding>();
  let ids = shipment.historyFindings;
  for (let i = 0; i < ids.length; i++) {
    let finding = HistoryFinding.load(ids[i]);
    if (finding != null && finding.rule == rule.name) out.push(finding);
  }
  return out;
}

/** The finding's line index, -1 when it concerns no line. */
export function lineIndexOf(finding: HistoryFinding): i32 {
  let value = finding.get("lineIndex");
  return value != null && value.kind == ValueKind.INT ? value.toI32() : -1;
}
