// Event builders shared by the mapping tests: each returns a typed event from newMockEvent() with the parameters in
// the order of the registries' event signatures, so the generated getters read them as graph-node would.
import { Address, BigInt, Bytes, crypto, ethereum } from "@graphprotocol/graph-ts";
import { newMockEvent } from "matchstick-as/assembly/index";
import { ActorCredentialCleared, ActorOnboarded, CredentialRevoked } from "../generated/ActorRegistry/ActorRegistry";
import { CertificateOfOriginIssued } from "../generated/CertificateOfOriginRegistry/CertificateOfOriginRegistry";
import { MillTestReportIssued } from "../generated/MillTestReportRegistry/MillTestReportRegistry";
import {
  CertificateOfOriginLinked,
  MillTestReportLinked,
  ShipmentFiled,
  ShipmentStatusChanged,
} from "../generated/ShipmentRegistry/ShipmentRegistry";

export const ISSUER = Address.fromString("0x00000000000000000000000000000000000015b0");
export const MILL = Address.fromString("0x000000000000000000000000000000000000a111");
export const EXPORTER = Address.fromString("0x000000000000000000000000000000000000e790");
export const IMPORTER = Address.fromString("0x0000000000000000000000000000000000001390");
export const CARRIER = Address.fromString("0x000000000000000000000000000000000000ca22");
export const CBP = Address.fromString("0x0000000000000000000000000000000000000cb9");

export const SHIPMENT = Bytes.fromHexString("0x5111000000000000000000000000000000000000000000000000000000000001");
export const REPORT = Bytes.fromHexString("0x3e70000000000000000000000000000000000000000000000000000000000001");
export const CERTIFICATE = Bytes.fromHexString("0xc0c0000000000000000000000000000000000000000000000000000000000001");
/** The workflow instance id that `createShipmentFiled` files with. */
export const WORKFLOW = Bytes.fromHexString("0x000000000000000000000000000000000000000000000000000000000000cd03");
export const ZERO32 = Bytes.fromHexString("0x0000000000000000000000000000000000000000000000000000000000000000");

/** Block time of the first block the builders use: 2026-01-01T00:00:00Z. */
export const T0: i64 = 1767225600;
export const DAY: i64 = 86400;

// BusinessRoles bits.
export const ROLE_MILL: i32 = 1;
export const ROLE_EXPORTER: i32 = 4;
export const ROLE_IMPORTER: i32 = 8;
export const ROLE_CARRIER: i32 = 32;

/** A bytes2 country or bytes5 port from its ASCII code. */
export function code(text: string): Bytes {
  return Bytes.fromUTF8(text);
}

function id32(tag: i32): Bytes {
  let b = new Bytes(32);
  b[31] = <u8>tag;
  b[30] = 0xcd;
  return b;
}

export function param(name: string, value: ethereum.Value): ethereum.EventParam {
  return new ethereum.EventParam(name, value);
}

function uint(value: i64): ethereum.Value {
  return ethereum.Value.fromUnsignedBigInt(BigInt.fromI64(value));
}

function tuple(values: Array<ethereum.Value>): ethereum.Value {
  return ethereum.Value.fromTuple(changetype<ethereum.Tuple>(values));
}

/** Stamps the mock event with its block and log index (flag ids and event row ids depend on them). */
export function at<T extends ethereum.Event>(event: T, block: i32, timestamp: i64, logIndex: i32): T {
  event.block.number = BigInt.fromI32(block);
  event.block.timestamp = BigInt.fromI64(timestamp);
  event.logIndex = BigInt.fromI32(logIndex);
  event.transaction.hash = id32(block);
  return event;
}

export function createActorOnboarded(
  subject: Address,
  roles: i32,
  country: string,
  credentialId: Bytes,
  timestamp: i64,
  previousCredentialId: Bytes = ZERO32,
): ActorOnboarded {
  let event = changetype<ActorOnboarded>(newMockEvent());
  event.parameters = new Array();
  event.parameters.push(param("subject", ethereum.Value.fromAddress(subject)));
  event.parameters.push(param("credentialId", ethereum.Value.fromFixedBytes(credentialId)));
  event.parameters.push(param("issuer", ethereum.Value.fromAddress(ISSUER)));
  event.parameters.push(param("did", ethereum.Value.fromString("did:web:" + subject.toHexString())));
  event.parameters.push(param("roles", uint(roles)));
  event.parameters.push(param("country", ethereum.Value.fromFixedBytes(code(country))));
  event.parameters.push(param("legalNameHash", ethereum.Value.fromFixedBytes(id32(1))));
  event.parameters.push(param("identifiersHash", ethereum.Value.fromFixedBytes(id32(2))));
  event.parameters.push(param("validFrom", uint(timestamp)));
  event.parameters.push(param("validUntil", uint(timestamp + 365 * DAY)));
  event.parameters.push(param("previousCredentialId", ethereum.Value.fromFixedBytes(previousCredentialId)));
  event.parameters.push(param("submittedBy", ethereum.Value.fromAddress(ISSUER)));
  return at(event, 10, timestamp, 0);
}

export function createCredentialRevoked(
  credentialId: Bytes,
  subject: Address,
  by: Address,
  reason: Bytes,
  timestamp: i64,
): CredentialRevoked {
  let event = changetype<CredentialRevoked>(newMockEvent());
  event.parameters = new Array();
  event.parameters.push(param("credentialId", ethereum.Value.fromFixedBytes(credentialId)));
  event.parameters.push(param("subject", ethereum.Value.fromAddress(subject)));
  event.parameters.push(param("by", ethereum.Value.fromAddress(by)));
  event.parameters.push(param("reason", ethereum.Value.fromFixedBytes(reason)));
  return at(event, 11, timestamp, 0);
}

export function createActorCredentialCleared(
  actor: Address,
  credentialId: Bytes,
  by: Address,
  reason: Bytes,
  timestamp: i64,
): ActorCredentialCleared {
  let event = changetype<ActorCredentialCleared>(newMockEvent());
  event.parameters = new Array();
  event.parameters.push(param("actor", ethereum.Value.fromAddress(actor)));
  event.parameters.push(param("credentialId", ethereum.Value.fromFixedBytes(credentialId)));
  event.parameters.push(param("by", ethereum.Value.fromAddress(by)));
  event.parameters.push(param("reason", ethereum.Value.fromFixedBytes(reason)));
  return at(event, 11, timestamp, 1);
}

/** Packs chemistry in the SteelCodec layout: element i in bits 24*(i%10) of word i/10; 0xffffff = not reported. */
export function packChemistry(ppm: Array<i32>): Array<BigInt> {
  let words = [BigInt.zero(), BigInt.zero()];
  for (let i = 0; i < 20; i++) {
    let value = i < ppm.length ? ppm[i] : 0xffffff;
    let shifted = BigInt.fromI32(value).leftShift(<u8>(24 * (i % 10)));
    words[i / 10] = words[i / 10].bitOr(shifted);
  }
  return words;
}

/** Packs mechanics: uint32 fields 0..5 in bits 32*i, the hardness scale in bits 192..199. */
export function packMechanics(fields: Array<i64>, scale: i32): BigInt {
  let word = BigInt.fromI32(scale).leftShift(192);
  for (let i = 0; i < 6; i++) {
    let value = i < fields.length ? fields[i] : 0xffffffff;
    word = word.bitOr(BigInt.fromI64(value).leftShift(<u8>(32 * i)));
  }
  return word;
}

/** A mock content hash for record `recordId`: distinct from the id, as the issuer-bound record id is (A5). */
export function contentHashOf(recordId: Bytes): Bytes {
  return Bytes.fromByteArray(crypto.keccak256(recordId));
}

export function createMillTestReportIssued(
  recordId: Bytes,
  meltCountry: string,
  chemistry: Array<BigInt>,
  mechanics: BigInt,
  totalKg: i64,
  block: i32,
  timestamp: i64,
): MillTestReportIssued {
  let event = changetype<MillTestReportIssued>(newMockEvent());
  let report = tuple([
    ethereum.Value.fromFixedBytes(contentHashOf(recordId)),
    ethereum.Value.fromString("MTR-0001"),
    ethereum.Value.fromString("H-7731"),
    ethereum.Value.fromString("API 5L"),
    ethereum.Value.fromString("X52"),
    ethereum.Value.fromFixedBytes(code(meltCountry)),
    ethereum.Value.fromFixedBytes(code(meltCountry)),
    ethereum.Value.fromUnsignedBigIntArray(chemistry),
    ethereum.Value.fromUnsignedBigInt(mechanics),
    uint(totalKg),
    uint(0),
    ethereum.Value.fromString("https://mill.example/mtr/1"),
  ]);
  event.parameters = new Array();
  event.parameters.push(param("recordId", ethereum.Value.fromFixedBytes(recordId)));
  event.parameters.push(param("contentHash", ethereum.Value.fromFixedBytes(contentHashOf(recordId))));
  event.parameters.push(param("issuer", ethereum.Value.fromAddress(MILL)));
  event.parameters.push(param("report", report));
  event.parameters.push(param("supersedes", ethereum.Value.fromFixedBytes(ZERO32)));
  event.parameters.push(param("derived", ethereum.Value.fromBoolean(false)));
  return at(event, block, timestamp, 0);
}

/** A line of a filing: 10-digit HTS number, kilograms, value in cents, origin country. */
export class LineInput {
  constructor(
    public hts: i64,
    public kg: i64,
    public origin: string,
  ) {}
}

export function createShipmentFiled(
  shipmentId: Bytes,
  lines: Array<LineInput>,
  estimatedArrival: i64,
  block: i32,
  timestamp: i64,
): ShipmentFiled {
  let event = changetype<ShipmentFiled>(newMockEvent());
  let parties = tuple([
    ethereum.Value.fromAddress(IMPORTER),
    ethereum.Value.fromAddress(EXPORTER),
    ethereum.Value.fromAddress(MILL),
    ethereum.Value.fromAddress(CARRIER),
  ]);
  let lineValues = new Array<ethereum.Value>();
  for (let i = 0; i < lines.length; i++) {
    lineValues.push(
      tuple([
        uint(lines[i].hts),
        uint(lines[i].kg),
        uint(lines[i].kg * 90),
        ethereum.Value.fromFixedBytes(code(lines[i].origin)),
      ]),
    );
  }
  let filing = tuple([
    parties,
    ethereum.Value.fromArray(lineValues),
    ethereum.Value.fromFixedBytes(code("KR")),
    ethereum.Value.fromArray(new Array<ethereum.Value>()),
    ethereum.Value.fromFixedBytes(code("KRPUS")),
    ethereum.Value.fromFixedBytes(code("USLAX")),
    uint(estimatedArrival),
    ethereum.Value.fromString("BOL-42"),
    ethereum.Value.fromString(""),
    ethereum.Value.fromFixedBytes(id32(3)),
  ]);
  event.parameters = new Array();
  event.parameters.push(param("shipmentId", ethereum.Value.fromFixedBytes(shipmentId)));
  event.parameters.push(param("importer", ethereum.Value.fromAddress(IMPORTER)));
  event.parameters.push(param("filer", ethereum.Value.fromAddress(IMPORTER)));
  event.parameters.push(param("filingReference", ethereum.Value.fromFixedBytes(id32(5))));
  event.parameters.push(param("versionHash", ethereum.Value.fromFixedBytes(id32(4))));
  event.parameters.push(param("filing", filing));
  event.parameters.push(param("submittedBy", ethereum.Value.fromAddress(IMPORTER)));
  return at(event, block, timestamp, 0);
}

export function createMillTestReportLinked(
  shipmentId: Bytes,
  recordId: Bytes,
  lineIndex: i32,
  kg: i64,
  block: i32,
  timestamp: i64,
): MillTestReportLinked {
  let event = changetype<MillTestReportLinked>(newMockEvent());
  event.parameters = new Array();
  event.parameters.push(param("shipmentId", ethereum.Value.fromFixedBytes(shipmentId)));
  event.parameters.push(param("recordId", ethereum.Value.fromFixedBytes(recordId)));
  event.parameters.push(param("by", ethereum.Value.fromAddress(IMPORTER)));
  event.parameters.push(param("lineIndex", uint(lineIndex)));
  event.parameters.push(param("kg", uint(kg)));
  event.parameters.push(param("consumer", ethereum.Value.fromFixedBytes(shipmentId)));
  return at(event, block, timestamp, 1);
}

export function createCertificateOfOriginIssued(
  recordId: Bytes,
  country: string,
  hts: i64,
  block: i32,
  timestamp: i64,
): CertificateOfOriginIssued {
  let event = changetype<CertificateOfOriginIssued>(newMockEvent());
  let certificate = tuple([
    ethereum.Value.fromFixedBytes(contentHashOf(recordId)),
    ethereum.Value.fromString("COO-9"),
    ethereum.Value.fromAddress(EXPORTER),
    ethereum.Value.fromAddress(IMPORTER),
    ethereum.Value.fromFixedBytes(code(country)),
    ethereum.Value.fromUnsignedBigIntArray([BigInt.fromI64(hts)]),
    uint(timestamp),
    uint(0),
    ethereum.Value.fromString("https://chamber.example/coo/9"),
  ]);
  event.parameters = new Array();
  event.parameters.push(param("recordId", ethereum.Value.fromFixedBytes(recordId)));
  event.parameters.push(param("contentHash", ethereum.Value.fromFixedBytes(contentHashOf(recordId))));
  event.parameters.push(param("issuer", ethereum.Value.fromAddress(EXPORTER)));
  event.parameters.push(param("certificate", certificate));
  event.parameters.push(param("supersedes", ethereum.Value.fromFixedBytes(ZERO32)));
  return at(event, block, timestamp, 0);
}

export function createCertificateOfOriginLinked(
  shipmentId: Bytes,
  recordId: Bytes,
  block: i32,
  timestamp: i64,
): CertificateOfOriginLinked {
  let event = changetype<CertificateOfOriginLinked>(newMockEvent());
  event.parameters = new Array();
  event.parameters.push(param("shipmentId", ethereum.Value.fromFixedBytes(shipmentId)));
  event.parameters.push(param("recordId", ethereum.Value.fromFixedBytes(recordId)));
  event.parameters.push(param("by", ethereum.Value.fromAddress(IMPORTER)));
  return at(event, block, timestamp, 1);
}

export function createShipmentStatusChanged(
  shipmentId: Bytes,
  from: i32,
  to: i32,
  block: i32,
  timestamp: i64,
): ShipmentStatusChanged {
  let event = changetype<ShipmentStatusChanged>(newMockEvent());
  event.parameters = new Array();
  event.parameters.push(param("shipmentId", ethereum.Value.fromFixedBytes(shipmentId)));
  event.parameters.push(param("from", ethereum.Value.fromI32(from)));
  event.parameters.push(param("to", ethereum.Value.fromI32(to)));
  event.parameters.push(param("by", ethereum.Value.fromAddress(CARRIER)));
  event.parameters.push(param("reasonCode", ethereum.Value.fromFixedBytes(ZERO32)));
  event.parameters.push(param("noteHash", ethereum.Value.fromFixedBytes(id32(5))));
  return at(event, block, timestamp, 2);
}
