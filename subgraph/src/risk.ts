// The risk rules of DESIGN.md "Subgraph and targeting". `evaluateShipment` recomputes every rule for a shipment
// from the indexed state and reconciles the result with the shipment's active RiskFlags: a new cause raises a
// flag, a cause that went away clears its flag (kept, active false), an unchanged cause keeps its flag.
// The rules themselves live in rules/ (their names and severities in rules/table.ts); they find, this file writes.
import { BigInt, ByteArray, Bytes, crypto, ethereum } from "@graphprotocol/graph-ts";
import {
  Allocation,
  CertificateLink,
  CertificateOfOrigin,
  MeltCountryShipment,
  MillTestReport,
  PartyFinding,
  Pouch,
  RiskFlag,
  Shipment,
  ShipmentLine,
} from "../generated/schema";
import { cooMismatch, documentProblem, meltPourMismatch, revokedCertificate, revokedReport } from "./rules/documents";
import { lateFiling, signedFieldMismatch } from "./rules/filing";
import { Finding, add, addOnce } from "./rules/finding";
import { missingMtr, weightMismatch } from "./rules/lines";
import { partyFinding } from "./rules/parties";
import { keptFindings } from "./history/findings";
import { activeWatchEntries, transshipment, watchlist } from "./rules/watch";
import { loadCountry, queueRank, withString } from "./util";

/** The shipment's current lines. */
function currentLines(shipment: Shipment): Array<ShipmentLine> {
  let all = shipment.lines.load();
  let lines = new Array<ShipmentLine>();
  for (let i = 0; i < all.length; i++) if (all[i].current) lines.push(all[i]);
  return lines;
}

/** An active allocation with its report and line, both indexed. */
class Allocated {
  allocation: Allocation;
  report: MillTestReport;
  line: ShipmentLine;

  constructor(allocation: Allocation, report: MillTestReport, line: ShipmentLine) {
    this.allocation = allocation;
    this.report = report;
    this.line = line;
  }
}

function activeAllocations(shipment: Shipment): Array<Allocated> {
  let all = shipment.allocations.load();
  let out = new Array<Allocated>();
  for (let i = 0; i < all.length; i++) {
    if (!all[i].active) continue;
    let report = MillTestReport.load(all[i].millTestReport);
    let line = ShipmentLine.load(all[i].line);
    if (report != null && line != null) out.push(new Allocated(all[i], report, line));
  }
  return out;
}

/** An active certificate-of-origin link with its certificate, indexed. */
class Certified {
  link: CertificateLink;
  certificate: CertificateOfOrigin;

  constructor(link: CertificateLink, certificate: CertificateOfOrigin) {
    this.link = link;
    this.certificate = certificate;
  }
}

function activeCertificates(shipment: Shipment): Array<Certified> {
  let links = shipment.certificateLinks.load();
  let out = new Array<Certified>();
  for (let i = 0; i < links.length; i++) {
    if (!links[i].active) continue;
    let certificate = CertificateOfOrigin.load(links[i].certificate);
    if (certificate != null) out.push(new Certified(links[i], certificate));
  }
  return out;
}

/** The melt-and-pour countries of the allocated reports, in allocation order. */
function meltCountriesOf(allocated: Array<Allocated>): Array<string> {
  let out = new Array<string>();
  for (let i = 0; i < allocated.length; i++) {
    let melt = allocated[i].report.meltAndPourCountries;
    for (let m = 0; m < melt.length; m++) out = withString(out, melt[m]);
  }
  return out;
}

/**
 * Every finding of every rule for the shipment at block time `now`, in a fixed order (the order of
 * Shipment.activeFlags for flags raised together): per line, per allocation, per certificate, then the parties,
 * the filing's timing, the route and the signed fields.
 */
function findingsOf(
  shipment: Shipment,
  allocated: Array<Allocated>,
  certified: Array<Certified>,
  meltCountries: Array<string>,
  now: BigInt,
): Array<Finding> {
  let findings = new Array<Finding>();
  let lines = currentLines(shipment);
  for (let i = 0; i < lines.length; i++) {
    add(findings, missingMtr(lines[i]));
    add(findings, weightMismatch(lines[i]));
  }
  for (let i = 0; i < allocated.length; i++) {
    let report = allocated[i].report;
    let line = allocated[i].line;
    addOnce(findings, revokedReport(report, now));
    let melt = report.meltAndPourCountries;
    for (let m = 0; m < melt.length; m++) {
      addOnce(findings, meltPourMismatch(report, line, melt[m]));
      let entries = activeWatchEntries(melt[m]);
      for (let e = 0; e < entries.length; e++) addOnce(findings, watchlist(entries[e], line, melt[m]));
    }
  }
  for (let i = 0; i < certified.length; i++) {
    add(findings, revokedCertificate(certified[i].certificate, now));
    add(findings, cooMismatch(certified[i].certificate, shipment.declaredOriginCountries));
  }
  let parties = shipment.partyFindings;
  for (let i = 0; i < parties.length; i++) findings.push(partyFinding(PartyFinding.load(parties[i])!));
  let kept = keptFindings(shipment); // the history rules (src/history/), judged at their event
  for (let i = 0; i < kept.length; i++) findings.push(kept[i]);
  add(findings, lateFiling(shipment));
  let route = new Array<string>();
  route.push(shipment.exportCountry);
  let via = shipment.transshipmentCountries;
  for (let i = 0; i < via.length; i++) route.push(via[i]);
  for (let m = 0; m < meltCountries.length; m++) {
    add(findings, transshipment(meltCountries[m], activeWatchEntries(meltCountries[m]), route));
  }
  let pouch = Pouch.load(shipment.workflowInstanceId);
  if (pouch != null && pouch.mismatches > 0) {
    let anchorings = pouch.anchorings.load();
    for (let i = 0; i < anchorings.length; i++) add(findings, signedFieldMismatch(anchorings[i]));
  }
  return findings;
}

/** Records on each document link whether its document went bad while the link was in force. */
function markInvalidatedDocuments(allocated: Array<Allocated>, certified: Array<Certified>, now: BigInt): void {
  for (let i = 0; i < allocated.length; i++) {
    let allocation = allocated[i].allocation;
    let report = allocated[i].report;
    if (allocation.invalidatedWhileLinked || documentProblem(report.status, report.expiresAt, now) == "") continue;
    allocation.invalidatedWhileLinked = true;
    allocation.invalidatedWhileLinkedAt = now;
    allocation.save();
  }
  for (let i = 0; i < certified.length; i++) {
    let link = certified[i].link;
    let certificate = certified[i].certificate;
    if (link.invalidatedWhileLinked) continue;
    if (documentProblem(certificate.status, certificate.expiresAt, now) == "") continue;
    link.invalidatedWhileLinked = true;
    link.invalidatedWhileLinkedAt = now;
    link.save();
  }
}

/** Remembers the melt countries, so that watch entries for them re-evaluate this shipment. */
function rememberMeltCountries(shipment: Shipment, meltCountries: Array<string>): void {
  shipment.meltCountries = meltCountries;
  for (let m = 0; m < meltCountries.length; m++) {
    let code = meltCountries[m];
    let linkId = shipment.id.concat(Bytes.fromUTF8(code));
    if (MeltCountryShipment.load(linkId) != null) continue;
    loadCountry(code);
    let link = new MeltCountryShipment(linkId);
    link.country = code;
    link.shipment = shipment.id;
    link.save();
  }
}

function flagId(shipment: Bytes, rule: string, cause: string, event: ethereum.Event): Bytes {
  let key = Bytes.fromByteArray(crypto.keccak256(ByteArray.fromUTF8(rule + "|" + cause)));
  return shipment.concat(key).concatI32(event.block.number.toI32()).concatI32(event.logIndex.toI32());
}

function raiseFlag(shipment: Shipment, finding: Finding, event: ethereum.Event): RiskFlag {
  let flag = new RiskFlag(flagId(shipment.id, finding.rule.name, finding.cause, event));
  flag.shipment = shipment.id;
  flag.rule = finding.rule.name;
  flag.severity = finding.rule.severity;
  flag.explanation = finding.explanation;
  flag.cause = finding.cause;
  flag.active = true;
  flag.raisedAt = event.block.timestamp;
  flag.raisedAtBlock = event.block.number;
  flag.document = finding.document;
  if (finding.lineIndex >= 0) flag.lineIndex = finding.lineIndex;
  flag.party = finding.party;
  flag.watchEntry = finding.watchEntry;
  flag.save();
  return flag;
}

/**
 * Reconciles the shipment's active flags with `findings`: a flag found again stays (its explanation refreshed), a
 * flag not found is cleared, a finding without a flag raises one. Returns the active flags' ids, kept ones first.
 */
function reconcileFlags(shipment: Shipment, findings: Array<Finding>, event: ethereum.Event): Array<Bytes> {
  let kept = new Array<bool>(findings.length);
  for (let i = 0; i < findings.length; i++) kept[i] = false;
  let active = new Array<Bytes>();
  let previous = shipment.activeFlags;
  for (let i = 0; i < previous.length; i++) {
    let flag = RiskFlag.load(previous[i]);
    if (flag == null) continue;
    let still = false;
    for (let j = 0; j < findings.length; j++) {
      if (!kept[j] && findings[j].rule.name == flag.rule && findings[j].cause == flag.cause) {
        kept[j] = true;
        still = true;
        if (flag.explanation != findings[j].explanation) {
          flag.explanation = findings[j].explanation;
          flag.save();
        }
        break;
      }
    }
    if (still) {
      active.push(flag.id);
    } else {
      flag.active = false;
      flag.clearedAt = event.block.timestamp;
      flag.clearedAtBlock = event.block.number;
      flag.save();
    }
  }
  for (let j = 0; j < findings.length; j++) if (!kept[j]) active.push(raiseFlag(shipment, findings[j], event).id);
  return active;
}

/** Re-evaluates every rule for shipment `id` at `event` and saves the shipment and its flags. */
export function evaluateShipment(id: Bytes, event: ethereum.Event): void {
  let shipment = Shipment.load(id);
  if (shipment == null) return;
  let now = event.block.timestamp;
  let allocated = activeAllocations(shipment);
  let certified = activeCertificates(shipment);
  let meltCountries = meltCountriesOf(allocated);
  markInvalidatedDocuments(allocated, certified, now);
  let active = reconcileFlags(shipment, findingsOf(shipment, allocated, certified, meltCountries, now), event);
  rememberMeltCountries(shipment, meltCountries);

  let score = 0;
  let rules = new Array<string>();
  for (let i = 0; i < active.length; i++) {
    let flag = RiskFlag.load(active[i])!;
    score += flag.severity;
    rules.push(flag.rule);
  }
  shipment.activeFlags = active;
  shipment.activeRules = rules;
  shipment.riskScore = score;
  shipment.queueRank = queueRank(score, shipment.estimatedArrival);
  shipment.updatedAt = now;
  shipment.save();
}
