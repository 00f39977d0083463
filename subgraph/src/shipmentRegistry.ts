// ShipmentRegistry: filings and their versions, document links with allocations, the customs lifecycle, CBP
// actions and watch entries. Every event that can change a rule's outcome re-evaluates the shipments concerned.
import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  CertificateOfOriginLinked,
  CertificateOfOriginUnlinked,
  ExaminationOrdered,
  HoldLifted,
  HoldPlaced,
  InformationRequested,
  MillTestReportLinked,
  MillTestReportUnlinked,
  ShipmentAmended,
  ShipmentFiled,
  ShipmentFiledFilingStruct,
  ShipmentStatusChanged,
  WatchEntryPublished,
  WatchEntryRetired,
} from "../generated/ShipmentRegistry/ShipmentRegistry";
import {
  Actor,
  Allocation,
  CbpAction,
  CertificateLink,
  CertificateOfOrigin,
  MillTestReport,
  Shipment,
  ShipmentLine,
  ShipmentVersion,
  StatusChange,
  WatchEntry,
} from "../generated/schema";
import { NEW_PARTY_SECONDS, evaluateShipment, isSteelHts } from "./risk";
import { judgeFiling } from "./history/filing";
import { judgeReportLink } from "./history/heatDispersion";
import { placeShipment } from "./pouch";
import { writeShippedTonnage } from "./tonnage";
import { ascii, eventId, loadCountry, queueRank, withBytes, withInt, withString, withoutBytes } from "./util";

const STATUSES = ["NONE", "FILED", "DEPARTED", "ARRIVED", "RELEASED", "REFUSED"];

// BusinessRoles bits.
const MILL: i32 = 1;
const PROCESSOR: i32 = 2;
const EXPORTER: i32 = 4;
const IMPORTER: i32 = 8;
const CUSTOMS_BROKER: i32 = 16;
const CARRIER: i32 = 32;

function statusName(status: i32): string {
  return status >= 0 && status < STATUSES.length ? STATUSES[status] : "NONE";
}

/** Why `party` is not an active actor for any role in `roles` at `now`, or "" if it is (IActorRegistry.isActive). */
function partyProblem(party: Bytes, roles: i32, now: BigInt): string {
  let actor = Actor.load(party);
  if (actor == null) return "not an onboarded actor";
  if (actor.suspended) return "suspended";
  if (actor.credentialRevoked) return "credential revoked";
  if (now.lt(actor.validFrom)) return "credential not yet valid";
  if (now.gt(actor.validUntil)) return "credential expired";
  if ((actor.roles & roles) == 0) return "lacks the role";
  if ((actor.trustedRoles & roles) == 0) return "issuer no longer trusted for the role";
  return "";
}

function checkParty(notes: Array<string>, label: string, party: Bytes, roles: i32, now: BigInt): Array<string> {
  let problem = partyProblem(party, roles, now);
  return problem == "" ? notes : withString(notes, label + " " + party.toHexString() + ": " + problem);
}

function checkNew(notes: Array<string>, label: string, party: Bytes, now: BigInt): Array<string> {
  let actor = Actor.load(party);
  if (actor == null) return notes;
  let age = now.minus(actor.onboardedAt);
  if (age.ge(BigInt.fromI64(NEW_PARTY_SECONDS))) return notes;
  let days = age.div(BigInt.fromI32(86400)).toString();
  return withString(notes, label + " " + party.toHexString() + ": onboarded " + days + " days before filing");
}

/** Stores `filing` as the shipment's current version and as a ShipmentVersion row. */
function applyFiling(
  shipment: Shipment,
  filing: ShipmentFiledFilingStruct,
  version: i32,
  versionHash: Bytes,
  previousVersionHash: Bytes | null,
  filedBy: Bytes,
  submittedBy: Bytes,
  event: ethereum.Event,
): void {
  let now = event.block.timestamp;
  let parties = filing.parties;
  shipment.exporter = parties.exporter;
  shipment.manufacturer = parties.manufacturer;
  shipment.carrier = parties.carrier;
  let all = new Array<Bytes>();
  all = withBytes(all, parties.importer);
  all = withBytes(all, shipment.filer);
  all = withBytes(all, parties.exporter);
  all = withBytes(all, parties.manufacturer);
  all = withBytes(all, parties.carrier);
  shipment.parties = all;
  shipment.version = version;
  shipment.versionHash = versionHash;
  shipment.exportCountry = ascii(filing.exportCountry);
  let via = new Array<string>();
  let transshipment = filing.transshipmentCountries;
  for (let i = 0; i < transshipment.length; i++) via.push(ascii(transshipment[i]));
  shipment.transshipmentCountries = via;
  shipment.portOfLading = ascii(filing.portOfLading);
  shipment.portOfEntry = ascii(filing.portOfEntry);
  shipment.estimatedArrival = filing.estimatedArrival;
  shipment.targetingWindowOpensAt = filing.estimatedArrival.minus(BigInt.fromI32(72 * 3600));
  shipment.billOfLading = filing.billOfLading;
  shipment.entryNumber = filing.entryNumber;
  shipment.workflowInstanceId = filing.workflowInstanceId;
  shipment.versionFiledAt = now;
  shipment.updatedAt = now;

  // Parties are judged against the indexed actor state when this version is filed.
  let unverified = new Array<string>();
  unverified = checkParty(unverified, "IMPORTER", parties.importer, IMPORTER, now);
  if (!shipment.filer.equals(parties.importer)) {
    unverified = checkParty(unverified, "BROKER", shipment.filer, CUSTOMS_BROKER, now);
  }
  unverified = checkParty(unverified, "EXPORTER", parties.exporter, EXPORTER, now);
  unverified = checkParty(unverified, "MANUFACTURER", parties.manufacturer, MILL | PROCESSOR, now);
  unverified = checkParty(unverified, "CARRIER", parties.carrier, CARRIER, now);
  shipment.unverifiedParties = unverified;
  let newcomers = new Array<string>();
  newcomers = checkNew(newcomers, "EXPORTER", parties.exporter, now);
  newcomers = checkNew(newcomers, "IMPORTER", parties.importer, now);
  shipment.newParties = newcomers;

  let lines = filing.lines;
  let origins = new Array<string>();
  let total = BigInt.zero();
  let hts = new Array<BigInt>();
  let kgs = new Array<BigInt>();
  let values = new Array<BigInt>();
  let lineOrigins = new Array<string>();
  let chapters = new Array<i32>();
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    let id = shipment.id.concatI32(i);
    let line = ShipmentLine.load(id);
    if (line == null) {
      line = new ShipmentLine(id);
      line.shipment = shipment.id;
      line.lineIndex = i;
      line.allocatedKg = BigInt.zero();
    }
    let origin = ascii(l.originCountry);
    line.current = true;
    line.hts = l.hts;
    let heading = l.hts.div(BigInt.fromI32(1000000)).toI32();
    line.htsHeading = heading;
    line.htsChapter = heading / 100;
    line.steel = isSteelHts(l.hts);
    line.declaredKg = l.declaredKg;
    line.declaredValueCents = l.declaredValueCents;
    line.originCountry = origin;
    line.save();
    origins = withString(origins, origin);
    chapters = withInt(chapters, line.htsChapter);
    total = total.plus(l.declaredKg);
    hts.push(l.hts);
    kgs.push(l.declaredKg);
    values.push(l.declaredValueCents);
    lineOrigins.push(origin);
  }
  // Lines dropped by an amendment stay, no longer current.
  for (let i = lines.length; i < shipment.lineCount; i++) {
    let line = ShipmentLine.load(shipment.id.concatI32(i));
    if (line != null) {
      line.current = false;
      line.save();
    }
  }
  shipment.lineCount = lines.length;
  shipment.declaredOriginCountries = origins;
  shipment.htsChapters = chapters;
  shipment.totalDeclaredKg = total;
  shipment.queueRank = queueRank(shipment.riskScore, shipment.estimatedArrival);

  let row = new ShipmentVersion(shipment.id.concatI32(version));
  row.shipment = shipment.id;
  row.version = version;
  row.versionHash = versionHash;
  row.previousVersionHash = previousVersionHash;
  row.filedBy = filedBy;
  row.submittedBy = submittedBy;
  row.exporter = parties.exporter;
  row.manufacturer = parties.manufacturer;
  row.carrier = parties.carrier;
  row.lineHts = hts;
  row.lineDeclaredKg = kgs;
  row.lineDeclaredValueCents = values;
  row.lineOriginCountries = lineOrigins;
  row.exportCountry = shipment.exportCountry;
  row.transshipmentCountries = via;
  row.portOfLading = shipment.portOfLading;
  row.portOfEntry = shipment.portOfEntry;
  row.estimatedArrival = filing.estimatedArrival;
  row.billOfLading = filing.billOfLading;
  row.entryNumber = filing.entryNumber;
  row.workflowInstanceId = filing.workflowInstanceId;
  row.blockNumber = event.block.number;
  row.timestamp = now;
  row.save();
}

export function handleShipmentFiled(event: ShipmentFiled): void {
  let p = event.params;
  let shipment = new Shipment(p.shipmentId);
  shipment.filingReference = p.filingReference;
  shipment.importer = p.importer;
  shipment.filer = p.filer;
  shipment.status = "FILED";
  shipment.activeHolds = 0;
  shipment.filedAt = event.block.timestamp;
  shipment.filedAtBlock = event.block.number;
  shipment.lineCount = 0;
  shipment.meltCountries = new Array<string>();
  shipment.riskScore = 0;
  shipment.activeRules = new Array<string>();
  shipment.activeFlags = new Array<Bytes>();
  shipment.historyFindings = new Array<Bytes>();
  applyFiling(shipment, p.filing, 1, p.versionHash, null, p.filer, p.submittedBy, event);
  placeShipment(shipment, shipment.workflowInstanceId);
  judgeFiling(shipment, event);
  writeShippedTonnage(shipment, event);
  shipment.save();
  evaluateShipment(shipment.id, event);
}

export function handleShipmentAmended(event: ShipmentAmended): void {
  let p = event.params;
  let shipment = Shipment.load(p.shipmentId);
  if (shipment == null) return;
  let filing = changetype<ShipmentFiledFilingStruct>(p.filing);
  let previousInstance = shipment.workflowInstanceId;
  applyFiling(
    shipment,
    filing,
    p.version.toI32(),
    p.versionHash,
    p.previousVersionHash,
    p.amendedBy,
    p.submittedBy,
    event,
  );
  placeShipment(shipment, previousInstance);
  shipment.save();
  evaluateShipment(shipment.id, event);
}

export function handleCertificateOfOriginLinked(event: CertificateOfOriginLinked): void {
  let p = event.params;
  let id = p.shipmentId.concat(p.recordId);
  let link = CertificateLink.load(id);
  if (link == null) {
    link = new CertificateLink(id);
    link.shipment = p.shipmentId;
    link.certificate = p.recordId;
    link.invalidatedWhileLinked = false;
  }
  link.active = true;
  link.linkedBy = p.by;
  link.linkedAt = event.block.timestamp;
  link.linkedAtBlock = event.block.number;
  link.unlinkedAt = null;
  link.save();
  let certificate = CertificateOfOrigin.load(p.recordId);
  if (certificate != null) {
    certificate.linkedShipments = withBytes(certificate.linkedShipments, p.shipmentId);
    certificate.save();
  }
  evaluateShipment(p.shipmentId, event);
}

export function handleCertificateOfOriginUnlinked(event: CertificateOfOriginUnlinked): void {
  let p = event.params;
  let link = CertificateLink.load(p.shipmentId.concat(p.recordId));
  if (link == null) return;
  link.active = false;
  link.unlinkedAt = event.block.timestamp;
  link.save();
  evaluateShipment(p.shipmentId, event);
}

export function handleMillTestReportLinked(event: MillTestReportLinked): void {
  let p = event.params;
  let lineIndex = p.lineIndex.toI32();
  let lineId = p.shipmentId.concatI32(lineIndex);
  let id = p.shipmentId.concat(p.recordId).concatI32(lineIndex);
  let allocation = Allocation.load(id);
  if (allocation == null) {
    allocation = new Allocation(id);
    allocation.shipment = p.shipmentId;
    allocation.line = lineId;
    allocation.lineIndex = lineIndex;
    allocation.millTestReport = p.recordId;
    allocation.invalidatedWhileLinked = false;
  }
  allocation.kg = p.kg;
  allocation.active = true;
  allocation.consumer = p.consumer;
  allocation.linkedBy = p.by;
  allocation.linkedAt = event.block.timestamp;
  allocation.linkedAtBlock = event.block.number;
  allocation.unlinkedAt = null;
  allocation.save();
  let line = ShipmentLine.load(lineId);
  if (line != null) {
    line.allocatedKg = line.allocatedKg.plus(p.kg);
    line.save();
  }
  let report = MillTestReport.load(p.recordId);
  if (report != null) {
    report.linkedShipments = withBytes(report.linkedShipments, p.shipmentId);
    report.save();
    judgeReportLink(p.shipmentId, report, lineIndex, event);
  }
  evaluateShipment(p.shipmentId, event);
}

export function handleMillTestReportUnlinked(event: MillTestReportUnlinked): void {
  let p = event.params;
  let lineIndex = p.lineIndex.toI32();
  let allocation = Allocation.load(p.shipmentId.concat(p.recordId).concatI32(lineIndex));
  if (allocation != null) {
    allocation.active = false;
    allocation.unlinkedAt = event.block.timestamp;
    allocation.save();
  }
  let line = ShipmentLine.load(p.shipmentId.concatI32(lineIndex));
  if (line != null) {
    line.allocatedKg = line.allocatedKg.minus(p.kg);
    line.save();
  }
  evaluateShipment(p.shipmentId, event);
}

export function handleShipmentStatusChanged(event: ShipmentStatusChanged): void {
  let p = event.params;
  let change = new StatusChange(eventId(event));
  change.shipment = p.shipmentId;
  change.from = statusName(p.from);
  change.to = statusName(p.to);
  change.by = p.by;
  change.reasonCode = p.reasonCode;
  change.noteHash = p.noteHash;
  change.blockNumber = event.block.number;
  change.timestamp = event.block.timestamp;
  change.save();
  let shipment = Shipment.load(p.shipmentId);
  if (shipment == null) return;
  shipment.status = statusName(p.to);
  shipment.save();
  evaluateShipment(p.shipmentId, event);
}

function recordAction(
  event: ethereum.Event,
  shipmentId: Bytes,
  kind: string,
  reasonCode: Bytes,
  by: Bytes,
  noteHash: Bytes,
  activeHolds: i32,
): void {
  let action = new CbpAction(eventId(event));
  action.shipment = shipmentId;
  action.kind = kind;
  action.reasonCode = reasonCode;
  action.by = by;
  action.noteHash = noteHash;
  if (activeHolds >= 0) action.activeHolds = activeHolds;
  action.blockNumber = event.block.number;
  action.timestamp = event.block.timestamp;
  action.save();
  let shipment = Shipment.load(shipmentId);
  if (shipment == null) return;
  if (activeHolds >= 0) shipment.activeHolds = activeHolds;
  shipment.updatedAt = event.block.timestamp;
  shipment.save();
}

export function handleHoldPlaced(event: HoldPlaced): void {
  let p = event.params;
  recordAction(event, p.shipmentId, "HOLD_PLACED", p.reasonCode, p.by, p.noteHash, p.activeHolds);
}

export function handleHoldLifted(event: HoldLifted): void {
  let p = event.params;
  recordAction(event, p.shipmentId, "HOLD_LIFTED", p.reasonCode, p.by, p.noteHash, p.activeHolds);
}

export function handleExaminationOrdered(event: ExaminationOrdered): void {
  let p = event.params;
  recordAction(event, p.shipmentId, "EXAMINATION_ORDERED", p.reasonCode, p.by, p.noteHash, -1);
}

export function handleInformationRequested(event: InformationRequested): void {
  let p = event.params;
  recordAction(event, p.shipmentId, "INFORMATION_REQUESTED", p.reasonCode, p.by, p.noteHash, -1);
}

function reevaluateMeltCountry(code: string, event: ethereum.Event): void {
  let links = loadCountry(code).meltShipments.load();
  for (let i = 0; i < links.length; i++) evaluateShipment(links[i].shipment, event);
}

export function handleWatchEntryPublished(event: WatchEntryPublished): void {
  let p = event.params;
  let code = ascii(p.meltCountry);
  let entry = new WatchEntry(p.entryId);
  entry.meltCountry = code;
  entry.htsPrefix = p.htsPrefix;
  entry.prefixLength = p.prefixLength;
  entry.reasonCode = p.reasonCode;
  entry.caseReference = p.caseReference;
  entry.active = true;
  entry.publishedAt = event.block.timestamp;
  entry.save();
  let country = loadCountry(code);
  country.activeWatchEntries = withBytes(country.activeWatchEntries, p.entryId);
  country.save();
  reevaluateMeltCountry(code, event);
}

export function handleWatchEntryRetired(event: WatchEntryRetired): void {
  let entry = WatchEntry.load(event.params.entryId);
  if (entry == null) return;
  entry.active = false;
  entry.retiredAt = event.block.timestamp;
  entry.retirementReason = event.params.reasonCode;
  entry.save();
  let country = loadCountry(entry.meltCountry);
  country.activeWatchEntries = withoutBytes(country.activeWatchEntries, entry.id);
  country.save();
  reevaluateMeltCountry(entry.meltCountry, event);
}
