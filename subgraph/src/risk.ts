// The risk rules of DESIGN.md "Subgraph and targeting". `evaluateShipment` recomputes every rule for a shipment
// from the indexed state and reconciles the result with the shipment's active RiskFlags: a new cause raises a
// flag, a cause that went away clears its flag (kept, active false), an unchanged cause keeps its flag.
import { BigInt, ByteArray, Bytes, crypto, ethereum } from "@graphprotocol/graph-ts";
import {
  Allocation,
  CertificateLink,
  CertificateOfOrigin,
  MeltCountryShipment,
  Pouch,
  MillTestReport,
  RiskFlag,
  Shipment,
  ShipmentLine,
  WatchEntry,
} from "../generated/schema";
import { keptFindingsOf, lineIndexOf } from "./history/findings";
import {
  COO_MISMATCH,
  DOCUMENT_REVOKED,
  HEAT_DISPERSION,
  LATE_FILING,
  MELT_POUR_MISMATCH,
  MISSING_MTR,
  NEW_LANE,
  NEW_PARTY,
  ROUTE_CHANGE,
  Rule,
  SIGNED_FIELD_MISMATCH,
  TRANSSHIPMENT,
  UNVERIFIED_PARTY,
  VOLUME_SURGE,
  WATCHLIST,
  WEIGHT_MISMATCH,
} from "./rules/table";
import { ACTIVE, loadCountry, queueRank, withString } from "./util";

/** 24 hours: a filing later than this before the estimated arrival is late. */
export const LATE_FILING_SECONDS: i64 = 24 * 3600;

/**
 * "filed 12 h before the estimated arrival; …": the lead time to the nearest minute (a filing a few seconds after
 * the arrival minus 12 h still reads 12 h), for an analyst to read.
 */
export function lateFilingExplanation(leadSeconds: i64): string {
  let before = leadSeconds >= 0;
  let totalMinutes = ((before ? leadSeconds : -leadSeconds) + 30) / 60;
  let minutes = totalMinutes % 60;
  let span = (totalMinutes / 60).toString() + " h" + (minutes > 0 ? " " + minutes.toString() + " min" : "");
  let required = (LATE_FILING_SECONDS / 3600).toString();
  return "filed " + span + (before ? " before" : " after") + " the estimated arrival; due " + required + " h before";
}
/** 90 days: an exporter or importer onboarded more recently than this before filing is new. */
export const NEW_PARTY_SECONDS: i64 = 90 * 24 * 3600;
/** Weight tolerance between a line's declared kilograms and its MTR allocations, in percent. */
export const WEIGHT_TOLERANCE_PERCENT: i32 = 2;

/** Whether an HTS number needs a mill test report: chapter 72 or headings 7301-7307 (19 CFR 141.89). */
export function isSteelHts(hts: BigInt): boolean {
  let heading = hts.div(BigInt.fromI32(1000000)).toI32();
  return heading / 100 == 72 || (heading >= 7301 && heading <= 7307);
}

/** Whether `hts` starts with the entry's prefix. */
export function watchMatches(entry: WatchEntry, hts: BigInt): boolean {
  let divisor = BigInt.fromI32(10).pow(<u8>(10 - entry.prefixLength));
  return hts.div(divisor).equals(entry.htsPrefix);
}

class Finding {
  rule: Rule;
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

function has(findings: Array<Finding>, rule: Rule, cause: string): boolean {
  for (let i = 0; i < findings.length; i++)
    if (findings[i].rule.name == rule.name && findings[i].cause == cause) return true;
  return false;
}

/** Why a linked document is no longer good at `now`, or "" if it is. */
function documentProblem(status: string, expiresAt: BigInt, now: BigInt): string {
  if (status != ACTIVE) return status.toLowerCase();
  if (!expiresAt.isZero() && expiresAt.lt(now)) return "expired";
  return "";
}

function activeWatchEntries(country: string): Array<WatchEntry> {
  let ids = loadCountry(country).activeWatchEntries;
  let out = new Array<WatchEntry>();
  for (let i = 0; i < ids.length; i++) {
    let entry = WatchEntry.load(ids[i]);
    if (entry != null && entry.active) out.push(entry);
  }
  return out;
}

/** Records on each document link whether its document went bad while the link was in force. */
function markInvalidatedAllocation(allocation: Allocation, now: BigInt): void {
  if (allocation.invalidatedWhileLinked) return;
  allocation.invalidatedWhileLinked = true;
  allocation.invalidatedWhileLinkedAt = now;
  allocation.save();
}

function markInvalidatedLink(link: CertificateLink, now: BigInt): void {
  if (link.invalidatedWhileLinked) return;
  link.invalidatedWhileLinked = true;
  link.invalidatedWhileLinkedAt = now;
  link.save();
}

/** Every finding of every rule for `shipment` at block time `now`. */
function findingsOf(shipment: Shipment, now: BigInt): Array<Finding> {
  let findings = new Array<Finding>();
  let allLines = shipment.lines.load();
  let lines = new Array<ShipmentLine>();
  for (let i = 0; i < allLines.length; i++) if (allLines[i].current) lines.push(allLines[i]);
  let allAllocations = shipment.allocations.load();
  let allocations = new Array<Allocation>();
  for (let i = 0; i < allAllocations.length; i++) if (allAllocations[i].active) allocations.push(allAllocations[i]);

  // Lines: MISSING_MTR and WEIGHT_MISMATCH.
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    let label = "line " + line.lineIndex.toString() + " (HTS " + line.hts.toString() + ")";
    if (line.allocatedKg.isZero()) {
      if (line.steel) {
        let f = new Finding(MISSING_MTR, "line:" + line.lineIndex.toString(), label + " has no mill test report");
        f.lineIndex = line.lineIndex;
        findings.push(f);
      }
      continue;
    }
    let diff = line.allocatedKg.minus(line.declaredKg).abs();
    if (diff.times(BigInt.fromI32(100)).gt(line.declaredKg.times(BigInt.fromI32(WEIGHT_TOLERANCE_PERCENT)))) {
      let f = new Finding(
        WEIGHT_MISMATCH,
        "line:" + line.lineIndex.toString(),
        label +
          " declares " +
          line.declaredKg.toString() +
          " kg, mill test reports cover " +
          line.allocatedKg.toString() +
          " kg",
      );
      f.lineIndex = line.lineIndex;
      findings.push(f);
    }
  }

  // Allocations: DOCUMENT_REVOKED, MELT_POUR_MISMATCH, WATCHLIST; collect the melt countries.
  let meltCountries = new Array<string>();
  for (let i = 0; i < allocations.length; i++) {
    let allocation = allocations[i];
    let report = MillTestReport.load(allocation.millTestReport);
    let line = ShipmentLine.load(allocation.line);
    if (report == null || line == null) continue;
    let recordHex = report.id.toHexString();
    let problem = documentProblem(report.status, report.expiresAt, now);
    if (problem != "") {
      markInvalidatedAllocation(allocation, now);
      if (!has(findings, DOCUMENT_REVOKED, "doc:" + recordHex)) {
        let f = new Finding(
          DOCUMENT_REVOKED,
          "doc:" + recordHex,
          "mill test report " + report.certificateNumber + " is " + problem,
        );
        f.document = report.id;
        findings.push(f);
      }
    }
    let melt = report.meltAndPourCountries;
    for (let m = 0; m < melt.length; m++) {
      meltCountries = withString(meltCountries, melt[m]);
      let cause = "doc:" + recordHex + ":line:" + line.lineIndex.toString();
      if (melt[m] != line.originCountry && !has(findings, MELT_POUR_MISMATCH, cause)) {
        let f = new Finding(
          MELT_POUR_MISMATCH,
          cause,
          "line " +
            line.lineIndex.toString() +
            " declares origin " +
            line.originCountry +
            " but mill test report " +
            report.certificateNumber +
            " was melted and poured in " +
            melt[m],
        );
        f.document = report.id;
        f.lineIndex = line.lineIndex;
        findings.push(f);
      }
      let entries = activeWatchEntries(melt[m]);
      for (let e = 0; e < entries.length; e++) {
        let entry = entries[e];
        let watchCause = "watch:" + entry.id.toHexString() + ":line:" + line.lineIndex.toString();
        if (watchMatches(entry, line.hts) && !has(findings, WATCHLIST, watchCause)) {
          let f = new Finding(
            WATCHLIST,
            watchCause,
            "line " +
              line.lineIndex.toString() +
              " (HTS " +
              line.hts.toString() +
              ", melted in " +
              melt[m] +
              ") matches watch entry " +
              entry.caseReference,
          );
          f.lineIndex = line.lineIndex;
          f.watchEntry = entry.id;
          findings.push(f);
        }
      }
    }
  }

  // Certificates of origin: DOCUMENT_REVOKED and COO_MISMATCH.
  let links = shipment.certificateLinks.load();
  for (let i = 0; i < links.length; i++) {
    let link = links[i];
    if (!link.active) continue;
    let certificate = CertificateOfOrigin.load(link.certificate);
    if (certificate == null) continue;
    let recordHex = certificate.id.toHexString();
    let problem = documentProblem(certificate.status, certificate.expiresAt, now);
    if (problem != "") {
      markInvalidatedLink(link, now);
      let f = new Finding(
        DOCUMENT_REVOKED,
        "doc:" + recordHex,
        "certificate of origin " + certificate.certificateNumber + " is " + problem,
      );
      f.document = certificate.id;
      findings.push(f);
    }
    let origins = shipment.declaredOriginCountries;
    for (let o = 0; o < origins.length; o++) {
      if (origins[o] != certificate.countryOfOrigin) {
        let f = new Finding(
          COO_MISMATCH,
          "doc:" + recordHex,
          "certificate of origin " +
            certificate.certificateNumber +
            " names " +
            certificate.countryOfOrigin +
            ", the filing declares " +
            origins[o],
        );
        f.document = certificate.id;
        findings.push(f);
        break;
      }
    }
  }

  // Parties, judged when the current version was filed: UNVERIFIED_PARTY and NEW_PARTY.
  let unverified = shipment.unverifiedParties;
  for (let i = 0; i < unverified.length; i++) findings.push(partyFinding(UNVERIFIED_PARTY, unverified[i]));
  let newcomers = shipment.newParties;
  for (let i = 0; i < newcomers.length; i++) findings.push(partyFinding(NEW_PARTY, newcomers[i]));

  // History rules (src/history/): judged once at their event and kept on the shipment, like the party findings.
  appendKept(findings, shipment, VOLUME_SURGE);
  appendKept(findings, shipment, NEW_LANE);
  appendKept(findings, shipment, HEAT_DISPERSION);
  appendKept(findings, shipment, ROUTE_CHANGE);

  // LATE_FILING: the first filing against the current estimated arrival.
  if (shipment.filedAt.plus(BigInt.fromI64(LATE_FILING_SECONDS)).gt(shipment.estimatedArrival)) {
    let lead = shipment.estimatedArrival.minus(shipment.filedAt).toI64();
    findings.push(new Finding(LATE_FILING, "filing", lateFilingExplanation(lead)));
  }

  // TRANSSHIPMENT: routed through a third country while a melt country is watched.
  let route = new Array<string>();
  route.push(shipment.exportCountry);
  let via = shipment.transshipmentCountries;
  for (let i = 0; i < via.length; i++) route.push(via[i]);
  for (let m = 0; m < meltCountries.length; m++) {
    let entries = activeWatchEntries(meltCountries[m]);
    if (entries.length == 0) continue;
    for (let r = 0; r < route.length; r++) {
      if (route[r] != meltCountries[m] && route[r] != "US") {
        let f = new Finding(
          TRANSSHIPMENT,
          "melt:" + meltCountries[m],
          "steel melted in " +
            meltCountries[m] +
            " (watched: " +
            entries[0].caseReference +
            ") routed through " +
            route[r],
        );
        f.watchEntry = entries[0].id;
        findings.push(f);
        break;
      }
    }
  }

  // SIGNED_FIELD_MISMATCH: a credential of the pouch was anchored with fields its issuer did not sign.
  let pouch = Pouch.load(shipment.workflowInstanceId);
  if (pouch != null && pouch.mismatches > 0) {
    let anchorings = pouch.anchorings.load();
    for (let i = 0; i < anchorings.length; i++) {
      let a = anchorings[i];
      if (a.fieldsMatch || !a.active) continue; // CBP revoking the record is the remedy
      let f = new Finding(
        SIGNED_FIELD_MISMATCH,
        "signed:" + a.id.toHexString(),
        "record " + a.id.toHexString() + " differs from its issuer-signed credential: " + a.mismatchedFields.join("; "),
      );
      f.document = a.id;
      findings.push(f);
    }
  }

  // Remember the melt countries, so that watch entries for them re-evaluate this shipment.
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
  return findings;
}

/** Appends the history findings of `rule` kept on `shipment`. */
function appendKept(findings: Array<Finding>, shipment: Shipment, rule: Rule): void {
  let kept = keptFindingsOf(shipment, rule);
  for (let i = 0; i < kept.length; i++) {
    let f = new Finding(rule, kept[i].cause, kept[i].explanation);
    f.lineIndex = lineIndexOf(kept[i]);
    f.party = kept[i].party;
    findings.push(f);
  }
}

/** A party finding stored at filing as "<ROLE> <address>: <reason>". */
function partyFinding(rule: Rule, note: string): Finding {
  let head = note.split(": ")[0];
  let f = new Finding(rule, "party:" + head, note);
  let parts = head.split(" ");
  if (parts.length == 2) f.party = Bytes.fromHexString(parts[1]);
  return f;
}

function flagId(shipment: Bytes, rule: string, cause: string, event: ethereum.Event): Bytes {
  let key = Bytes.fromByteArray(crypto.keccak256(ByteArray.fromUTF8(rule + "|" + cause)));
  return shipment.concat(key).concatI32(event.block.number.toI32()).concatI32(event.logIndex.toI32());
}

/** Re-evaluates every rule for shipment `id` at `event` and saves the shipment and its flags. */
export function evaluateShipment(id: Bytes, event: ethereum.Event): void {
  let shipment = Shipment.load(id);
  if (shipment == null) return;
  let now = event.block.timestamp;
  let findings = findingsOf(shipment, now);
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
      flag.clearedAt = now;
      flag.clearedAtBlock = event.block.number;
      flag.save();
    }
  }
  for (let j = 0; j < findings.length; j++) {
    if (kept[j]) continue;
    let finding = findings[j];
    let flag = new RiskFlag(flagId(shipment.id, finding.rule.name, finding.cause, event));
    flag.shipment = shipment.id;
    flag.rule = finding.rule.name;
    flag.severity = finding.rule.severity;
    flag.explanation = finding.explanation;
    flag.cause = finding.cause;
    flag.active = true;
    flag.raisedAt = now;
    flag.raisedAtBlock = event.block.number;
    flag.document = finding.document;
    if (finding.lineIndex >= 0) flag.lineIndex = finding.lineIndex;
    flag.party = finding.party;
    flag.watchEntry = finding.watchEntry;
    flag.save();
    active.push(flag.id);
  }

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
