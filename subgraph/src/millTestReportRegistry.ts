// MillTestReportRegistry: mill test reports with decoded chemistry and mechanics, heats, lineage of derived
// products, and the mass balance. Revocation or supersession of a linked report re-evaluates its shipments.
import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import {
  AllocatorApproved,
  KilogramsAllocated,
  KilogramsReleased,
  KilogramsReturnedToCorrection,
  MillTestReportIssued,
  ProductDerived,
  RecordRevoked,
  RecordSuperseded,
  SignedCredentialAnchored,
} from "../generated/MillTestReportRegistry/MillTestReportRegistry";
import { MILL_TEST_REPORT, SignedAnchor, recordSignedAnchoring, retireSignedAnchoring } from "./signedAnchoring";
import { AllocatorApproval, Heat, LineageEdge, MillTestReport } from "../generated/schema";
import { evaluateShipment } from "./risk";
import { writeCertifiedTonnage } from "./tonnage";
import { ACTIVE, REVOKED, SUPERSEDED, ascii, isZero, withBytes, withString } from "./util";

const NOT_REPORTED_PPM: i64 = 0xffffff;
const NOT_REPORTED_U32: i64 = 0xffffffff;
const HARDNESS_SCALES = ["", "HRB", "HRC", "HBW", "HV"];

/** Chemistry element `index` (SteelCodec order) in ppm, or -1 when not reported. */
function element(chemistry: Array<BigInt>, index: i32): i32 {
  let word = chemistry[index / 10];
  let value = word
    .rightShift(<u8>(24 * (index % 10)))
    .bitAnd(BigInt.fromI64(0xffffff))
    .toI64();
  return value == NOT_REPORTED_PPM ? -1 : <i32>value;
}

/** Mechanics field `index` (uint32), or -1 when not reported. */
function mechanic(mechanics: BigInt, index: i32): i64 {
  let value = mechanics
    .rightShift(<u8>(32 * index))
    .bitAnd(BigInt.fromI64(NOT_REPORTED_U32))
    .toI64();
  return value == NOT_REPORTED_U32 ? -1 : value;
}

function decodeChemistry(report: MillTestReport, chemistry: Array<BigInt>): void {
  let v = element(chemistry, 0);
  if (v >= 0) report.carbonPpm = v;
  v = element(chemistry, 1);
  if (v >= 0) report.manganesePpm = v;
  v = element(chemistry, 2);
  if (v >= 0) report.phosphorusPpm = v;
  v = element(chemistry, 3);
  if (v >= 0) report.sulfurPpm = v;
  v = element(chemistry, 4);
  if (v >= 0) report.siliconPpm = v;
  v = element(chemistry, 5);
  if (v >= 0) report.aluminumPpm = v;
  v = element(chemistry, 6);
  if (v >= 0) report.copperPpm = v;
  v = element(chemistry, 7);
  if (v >= 0) report.nickelPpm = v;
  v = element(chemistry, 8);
  if (v >= 0) report.chromiumPpm = v;
  v = element(chemistry, 9);
  if (v >= 0) report.molybdenumPpm = v;
  v = element(chemistry, 10);
  if (v >= 0) report.tinPpm = v;
  v = element(chemistry, 11);
  if (v >= 0) report.niobiumPpm = v;
  v = element(chemistry, 12);
  if (v >= 0) report.vanadiumPpm = v;
  v = element(chemistry, 13);
  if (v >= 0) report.titaniumPpm = v;
  v = element(chemistry, 14);
  if (v >= 0) report.boronPpm = v;
  v = element(chemistry, 15);
  if (v >= 0) report.nitrogenPpm = v;
  v = element(chemistry, 16);
  if (v >= 0) report.calciumPpm = v;
  v = element(chemistry, 17);
  if (v >= 0) report.leadPpm = v;
  v = element(chemistry, 18);
  if (v >= 0) report.carbonEquivalentPpm = v;
}

function decodeMechanics(report: MillTestReport, mechanics: BigInt): void {
  let v = mechanic(mechanics, 0);
  if (v >= 0) report.yieldStrength = v;
  v = mechanic(mechanics, 1);
  if (v >= 0) report.tensileStrength = v;
  v = mechanic(mechanics, 2);
  if (v >= 0) report.elongation = v;
  v = mechanic(mechanics, 3);
  if (v >= 0) report.reductionOfArea = v;
  v = mechanic(mechanics, 4);
  if (v >= 0) report.charpyEnergy = v;
  let scale = mechanics.rightShift(192).bitAnd(BigInt.fromI32(0xff)).toI32();
  if (scale > 0 && scale < HARDNESS_SCALES.length) {
    report.hardnessScale = HARDNESS_SCALES[scale];
    v = mechanic(mechanics, 5);
    if (v >= 0) report.hardness = v;
  }
}

/** consumedKg / totalKg in basis points. */
function utilization(consumed: BigInt, total: BigInt): i32 {
  if (total.isZero()) return 0;
  return consumed.times(BigInt.fromI32(10000)).div(total).toI32();
}

function setBalance(report: MillTestReport, consumed: BigInt): void {
  report.consumedKg = consumed;
  report.remainingKg = report.totalKg.minus(consumed);
  report.utilizationBps = utilization(consumed, report.totalKg);
}

export function handleMillTestReportIssued(event: MillTestReportIssued): void {
  let r = event.params.report;
  let report = new MillTestReport(event.params.recordId);
  report.contentHash = event.params.contentHash;
  report.issuer = event.params.issuer;
  report.derived = event.params.derived;
  report.certificateNumber = r.certificateNumber;
  report.heatNumber = r.heatNumber;
  report.productStandard = r.productStandard;
  report.grade = r.grade;
  report.countryOfMeltAndPour = ascii(r.countryOfMeltAndPour);
  report.countryOfManufacture = ascii(r.countryOfManufacture);
  report.chemistryPacked = r.chemistry;
  report.mechanicsPacked = r.mechanics;
  decodeChemistry(report, r.chemistry);
  decodeMechanics(report, r.mechanics);
  report.totalKg = r.totalKg;
  report.expiresAt = r.expiresAt;
  report.uri = r.uri;
  report.status = ACTIVE;
  report.issuedAt = event.block.timestamp;
  report.issuedAtBlock = event.block.number;
  report.linkedShipments = new Array<Bytes>();
  report.originHeats = new Array<Bytes>();
  report.meltAndPourCountries = new Array<string>();

  let consumed = BigInt.zero();
  let predecessor: MillTestReport | null = null;
  if (!isZero(event.params.supersedes)) {
    report.supersedes = event.params.supersedes;
    predecessor = MillTestReport.load(event.params.supersedes);
    // A correction carries over the kilograms already handed out.
    if (predecessor != null) consumed = predecessor.consumedKg;
  }
  setBalance(report, consumed);

  if (!event.params.derived) {
    let heatId = event.params.issuer.concat(Bytes.fromUTF8(r.heatNumber));
    let heat = Heat.load(heatId);
    if (heat == null) {
      heat = new Heat(heatId);
      heat.mill = event.params.issuer;
      heat.heatNumber = r.heatNumber;
      heat.countryOfMeltAndPour = report.countryOfMeltAndPour;
      heat.save();
    }
    report.heat = heatId;
    report.originHeats = [heatId];
    report.meltAndPourCountries = [report.countryOfMeltAndPour];
  } else if (predecessor != null) {
    // A derived product's correction keeps the inherited countries and heats (no ProductDerived follows).
    report.originHeats = predecessor.originHeats;
    report.meltAndPourCountries = predecessor.meltAndPourCountries;
  }
  report.save();
  writeCertifiedTonnage(event.params.issuer, report.countryOfMeltAndPour, r.totalKg, event);
}

export function handleProductDerived(event: ProductDerived): void {
  let product = MillTestReport.load(event.params.productId);
  if (product == null) return;
  let inputs = event.params.inputs;
  let remaining = event.params.inputRemainingKg;
  let heats = new Array<Bytes>();
  for (let i = 0; i < inputs.length; i++) {
    let edge = new LineageEdge(event.params.productId.concatI32(i));
    edge.product = product.id;
    edge.input = inputs[i].recordId;
    edge.kg = inputs[i].kg;
    edge.inputRemainingKg = remaining[i];
    edge.processor = event.params.processor;
    edge.blockNumber = event.block.number;
    edge.timestamp = event.block.timestamp;
    edge.save();
    let input = MillTestReport.load(inputs[i].recordId);
    if (input == null) continue;
    let inputHeats = input.originHeats;
    for (let h = 0; h < inputHeats.length; h++) heats = withBytes(heats, inputHeats[h]);
  }
  let countries = new Array<string>();
  let melt = event.params.meltAndPourCountries;
  for (let i = 0; i < melt.length; i++) countries = withString(countries, ascii(melt[i]));
  product.originHeats = heats;
  product.meltAndPourCountries = countries;
  product.save();
}

function updateBalance(recordId: Bytes, remainingKg: BigInt): void {
  let report = MillTestReport.load(recordId);
  if (report == null) return;
  setBalance(report, report.totalKg.minus(remainingKg));
  report.save();
}

export function handleKilogramsAllocated(event: KilogramsAllocated): void {
  updateBalance(event.params.recordId, event.params.remainingKg);
}

export function handleKilogramsReleased(event: KilogramsReleased): void {
  updateBalance(event.params.recordId, event.params.remainingKg);
}

/** Kilograms released from a superseded report go back to the live correction that carried them over. */
export function handleKilogramsReturnedToCorrection(event: KilogramsReturnedToCorrection): void {
  updateBalance(event.params.correctionId, event.params.remainingKg);
}

/** The report's holder approved a party to allocate its kilograms to shipments, or withdrew the approval (R1). */
export function handleAllocatorApproved(event: AllocatorApproved): void {
  let p = event.params;
  let id = p.recordId.concat(p.party);
  let approval = AllocatorApproval.load(id);
  if (approval == null) approval = new AllocatorApproval(id);
  approval.report = p.recordId;
  approval.holder = p.holder;
  approval.party = p.party;
  approval.approved = p.approved;
  approval.updatedAt = event.block.timestamp;
  approval.updatedAtBlock = event.block.number;
  approval.save();
}

function invalidate(id: Bytes, status: string, event: ethereum.Event): MillTestReport | null {
  let report = MillTestReport.load(id);
  if (report == null) return null;
  report.status = status;
  report.invalidatedAt = event.block.timestamp;
  report.invalidatedAtBlock = event.block.number;
  return report;
}

function reevaluate(report: MillTestReport, event: ethereum.Event): void {
  let shipments = report.linkedShipments;
  for (let i = 0; i < shipments.length; i++) evaluateShipment(shipments[i], event);
}

export function handleRecordRevoked(event: RecordRevoked): void {
  let report = invalidate(event.params.recordId, REVOKED, event);
  if (report == null) return;
  report.revocationReason = event.params.reason;
  report.save();
  reevaluate(report, event);
  retireSignedAnchoring(event.params.recordId, event);
}

export function handleRecordSuperseded(event: RecordSuperseded): void {
  let report = invalidate(event.params.recordId, SUPERSEDED, event);
  if (report == null) return;
  report.successor = event.params.successorId;
  report.save();
  reevaluate(report, event);
  retireSignedAnchoring(event.params.recordId, event);
}

export function handleSignedCredentialAnchored(event: SignedCredentialAnchored): void {
  let p = event.params;
  let a = new SignedAnchor(
    p.recordId,
    p.keyIdHash,
    p.workflowInstance,
    p.issuer,
    p.payloadHash,
    p.recordIndex.toI32(),
    p.payload,
  );
  recordSignedAnchoring(MILL_TEST_REPORT, a, event);
}
