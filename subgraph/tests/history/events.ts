// Event builders for the history rules' tests: filings with any exporter, importer, route and port, mill test
// reports of any mill and heat, and links, each stamped with its block, time and log index.
import { Address, BigInt, ByteArray, Bytes, crypto, ethereum } from "@graphprotocol/graph-ts";
import { assert, newMockEvent } from "matchstick-as/assembly/index";
import { MillTestReportIssued } from "../../generated/MillTestReportRegistry/MillTestReportRegistry";
import { MillTestReportLinked, ShipmentFiled } from "../../generated/ShipmentRegistry/ShipmentRegistry";
import { HistoryFinding, Shipment } from "../../generated/schema";
import {
  CARRIER,
  LineInput,
  MILL,
  ZERO32,
  at,
  code,
  contentHashOf,
  packChemistry,
  packMechanics,
  param,
} from "../utils";

/** Seconds in a week; week w starts at w * WEEK, and week 2922 starts at T0 (2026-01-01T00:00:00Z). */
export const WEEK: i64 = 604800;
export const BASE_WEEK: i32 = 2922;
export const HTS_PIPE: i64 = 7304190000;

export function weekStart(week: i32): i64 {
  return <i64>week * WEEK;
}

/** A 20-byte address whose last two bytes are `tag`. */
export function address(tag: i32): Address {
  let b = new Bytes(20);
  b[18] = <u8>(tag >> 8);
  b[19] = <u8>tag;
  return changetype<Address>(b);
}

/** A 32-byte id whose first byte is `kind` and last two bytes are `tag`. */
export function id32(kind: i32, tag: i32): Bytes {
  let b = new Bytes(32);
  b[0] = <u8>kind;
  b[30] = <u8>(tag >> 8);
  b[31] = <u8>tag;
  return b;
}

function uint(value: i64): ethereum.Value {
  return ethereum.Value.fromUnsignedBigInt(BigInt.fromI64(value));
}

function tuple(values: Array<ethereum.Value>): ethereum.Value {
  return ethereum.Value.fromTuple(changetype<ethereum.Tuple>(values));
}

/** A filing's parties, route and port. */
export class Filing {
  exporter: Address = address(0xe790);
  importer: Address = address(0x1390);
  via: Array<string> = [];
  port: string = "USLAX";
  lines: Array<LineInput> = [new LineInput(HTS_PIPE, 10000, "KR")];
}

export function filingOf(exporter: Address, importer: Address, kg: i64, origin: string): Filing {
  let f = new Filing();
  f.exporter = exporter;
  f.importer = importer;
  f.lines = [new LineInput(HTS_PIPE, kg, origin)];
  return f;
}

export function createFiling(shipmentId: Bytes, f: Filing, block: i32, timestamp: i64): ShipmentFiled {
  let event = changetype<ShipmentFiled>(newMockEvent());
  let parties = tuple([
    ethereum.Value.fromAddress(f.importer),
    ethereum.Value.fromAddress(f.exporter),
    ethereum.Value.fromAddress(MILL),
    ethereum.Value.fromAddress(CARRIER),
  ]);
  let lines = new Array<ethereum.Value>();
  for (let i = 0; i < f.lines.length; i++) {
    let l = f.lines[i];
    lines.push(tuple([uint(l.hts), uint(l.kg), uint(l.kg * 90), ethereum.Value.fromFixedBytes(code(l.origin))]));
  }
  let via = new Array<ethereum.Value>();
  for (let i = 0; i < f.via.length; i++) via.push(ethereum.Value.fromFixedBytes(code(f.via[i])));
  let filing = tuple([
    parties,
    ethereum.Value.fromArray(lines),
    ethereum.Value.fromFixedBytes(code("KR")),
    ethereum.Value.fromArray(via),
    ethereum.Value.fromFixedBytes(code("KRPUS")),
    ethereum.Value.fromFixedBytes(code(f.port)),
    uint(timestamp + 30 * 86400),
    ethereum.Value.fromString("BOL-1"),
    ethereum.Value.fromString(""),
    ethereum.Value.fromFixedBytes(id32(0xcd, 3)),
  ]);
  event.parameters = new Array();
  event.parameters.push(param("shipmentId", ethereum.Value.fromFixedBytes(shipmentId)));
  event.parameters.push(param("importer", ethereum.Value.fromAddress(f.importer)));
  event.parameters.push(param("filer", ethereum.Value.fromAddress(f.importer)));
  event.parameters.push(param("filingReference", ethereum.Value.fromFixedBytes(id32(0xcd, 5))));
  event.parameters.push(param("versionHash", ethereum.Value.fromFixedBytes(id32(0xcd, 4))));
  event.parameters.push(param("filing", filing));
  event.parameters.push(param("submittedBy", ethereum.Value.fromAddress(f.importer)));
  return at(event, block, timestamp, 0);
}

/** A mill's (not derived) report of `heatNumber`, melted in `meltCountry`. */
export function createReport(
  recordId: Bytes,
  mill: Address,
  heatNumber: string,
  meltCountry: string,
  totalKg: i64,
  block: i32,
  timestamp: i64,
): MillTestReportIssued {
  let event = changetype<MillTestReportIssued>(newMockEvent());
  let report = tuple([
    ethereum.Value.fromFixedBytes(contentHashOf(recordId)),
    ethereum.Value.fromString("MTR-" + heatNumber),
    ethereum.Value.fromString(heatNumber),
    ethereum.Value.fromString("API 5L"),
    ethereum.Value.fromString("X52"),
    ethereum.Value.fromFixedBytes(code(meltCountry)),
    ethereum.Value.fromFixedBytes(code(meltCountry)),
    ethereum.Value.fromUnsignedBigIntArray(packChemistry([1800])),
    ethereum.Value.fromUnsignedBigInt(packMechanics([], 0)),
    uint(totalKg),
    uint(0),
    ethereum.Value.fromString("https://mill.example/mtr"),
  ]);
  event.parameters = new Array();
  event.parameters.push(param("recordId", ethereum.Value.fromFixedBytes(recordId)));
  event.parameters.push(param("contentHash", ethereum.Value.fromFixedBytes(contentHashOf(recordId))));
  event.parameters.push(param("issuer", ethereum.Value.fromAddress(mill)));
  event.parameters.push(param("report", report));
  event.parameters.push(param("supersedes", ethereum.Value.fromFixedBytes(ZERO32)));
  event.parameters.push(param("derived", ethereum.Value.fromBoolean(false)));
  return at(event, block, timestamp, 0);
}

export function createLink(
  shipmentId: Bytes,
  recordId: Bytes,
  importer: Address,
  kg: i64,
  block: i32,
  timestamp: i64,
): MillTestReportLinked {
  let event = changetype<MillTestReportLinked>(newMockEvent());
  event.parameters = new Array();
  event.parameters.push(param("shipmentId", ethereum.Value.fromFixedBytes(shipmentId)));
  event.parameters.push(param("recordId", ethereum.Value.fromFixedBytes(recordId)));
  event.parameters.push(param("by", ethereum.Value.fromAddress(importer)));
  event.parameters.push(param("lineIndex", uint(0)));
  event.parameters.push(param("kg", uint(kg)));
  event.parameters.push(param("consumer", ethereum.Value.fromFixedBytes(shipmentId)));
  return at(event, block, timestamp, 1);
}

function causeKey(rule: string, cause: string): Bytes {
  return Bytes.fromByteArray(crypto.keccak256(ByteArray.fromUTF8(rule + "|" + cause)));
}

/** The id of the HistoryFinding of (rule, cause) on `shipment`. */
export function findingId(shipment: Bytes, rule: string, cause: string): string {
  return shipment.concat(causeKey(rule, cause)).toHexString();
}

/** The id of the RiskFlag raised for (rule, cause) at the event of `block` / `logIndex`. */
export function flagId(shipment: Bytes, rule: string, cause: string, block: i32, logIndex: i32): string {
  return shipment.concat(causeKey(rule, cause)).concatI32(block).concatI32(logIndex).toHexString();
}

/** Asserts the active flag of (rule, cause) raised at a filing (log index 0) or link (1) with its explanation. */
export function assertFlag(
  shipment: Bytes,
  rule: string,
  cause: string,
  severity: i32,
  block: i32,
  logIndex: i32,
  explanation: string,
): void {
  let flag = flagId(shipment, rule, cause, block, logIndex);
  assert.fieldEquals("RiskFlag", flag, "rule", rule);
  assert.fieldEquals("RiskFlag", flag, "severity", severity.toString());
  assert.fieldEquals("RiskFlag", flag, "active", "true");
  assert.fieldEquals("RiskFlag", flag, "explanation", explanation);
  assert.fieldEquals("HistoryFinding", findingId(shipment, rule, cause), "explanation", explanation);
}

/** Asserts that `shipment` has no finding of `rule` at all. */
export function assertNoFinding(shipment: Bytes, rule: string): void {
  let loaded = Shipment.load(shipment);
  assert.assertNotNull(loaded);
  let ids = loaded!.historyFindings;
  for (let i = 0; i < ids.length; i++) {
    let finding = HistoryFinding.load(ids[i])!;
    assert.assertTrue(finding.rule != rule, "unexpected " + rule + ": " + finding.explanation);
  }
  let rules = loaded!.activeRules;
  for (let i = 0; i < rules.length; i++) assert.assertTrue(rules[i] != rule, "unexpected active " + rule);
}
