import { ByteArray, Bytes, crypto } from "@graphprotocol/graph-ts";
import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import { handleActorOnboarded } from "../src/actorRegistry";
import { handleCertificateOfOriginIssued } from "../src/certificateOfOriginRegistry";
import { handleMillTestReportIssued } from "../src/millTestReportRegistry";
import {
  handleCertificateOfOriginLinked,
  handleMillTestReportLinked,
  handleShipmentFiled,
} from "../src/shipmentRegistry";
import {
  CARRIER,
  CERTIFICATE,
  DAY,
  EXPORTER,
  IMPORTER,
  LineInput,
  MILL,
  REPORT,
  ROLE_CARRIER,
  ROLE_EXPORTER,
  ROLE_IMPORTER,
  ROLE_MILL,
  SHIPMENT,
  T0,
  contentHashOf,
  createActorOnboarded,
  createCertificateOfOriginIssued,
  createCertificateOfOriginLinked,
  createMillTestReportIssued,
  createMillTestReportLinked,
  createShipmentFiled,
  packChemistry,
  packMechanics,
} from "./utils";

const HTS_STEEL: i64 = 7208510030; // chapter 72: needs a mill test report
const FILED_AT: i64 = T0 + 100 * DAY; // parties onboarded 100 days earlier: not new
const FILED_BLOCK: i32 = 100;

/** The id evaluateShipment gives the flag raised for (rule, cause) at the event of `block` / `logIndex`. */
function flagId(rule: string, cause: string, block: i32, logIndex: i32): string {
  let key = Bytes.fromByteArray(crypto.keccak256(ByteArray.fromUTF8(rule + "|" + cause)));
  return SHIPMENT.concat(key).concatI32(block).concatI32(logIndex).toHexString();
}

function onboardParties(): void {
  let credential = 1;
  let parties = [IMPORTER, EXPORTER, MILL, CARRIER];
  let roles = [ROLE_IMPORTER, ROLE_EXPORTER, ROLE_MILL, ROLE_CARRIER];
  for (let i = 0; i < parties.length; i++) {
    let id = new Bytes(32);
    id[31] = <u8>(credential + i);
    handleActorOnboarded(createActorOnboarded(parties[i], roles[i], "KR", id, T0));
  }
}

describe("MISSING_MTR", () => {
  beforeEach(() => {
    onboardParties();
    handleMillTestReportIssued(
      createMillTestReportIssued(REPORT, "KR", packChemistry([1800]), packMechanics([], 0), 30000, 50, T0 + DAY),
    );
    let lines = [new LineInput(HTS_STEEL, 20000, "KR")];
    handleShipmentFiled(createShipmentFiled(SHIPMENT, lines, FILED_AT + 10 * DAY, FILED_BLOCK, FILED_AT));
  });

  afterEach(() => {
    clearStore();
  });

  test("a chapter-72 line without a report raises MISSING_MTR (severity 20) and nothing else", () => {
    let flag = flagId("MISSING_MTR", "line:0", FILED_BLOCK, 0);
    assert.entityCount("RiskFlag", 1);
    assert.fieldEquals("RiskFlag", flag, "rule", "MISSING_MTR");
    assert.fieldEquals("RiskFlag", flag, "severity", "20");
    assert.fieldEquals("RiskFlag", flag, "active", "true");
    assert.fieldEquals("RiskFlag", flag, "lineIndex", "0");
    assert.fieldEquals("RiskFlag", flag, "raisedAtBlock", FILED_BLOCK.toString());
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "riskScore", "20");
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "activeRules", "[MISSING_MTR]");
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "unverifiedParties", "[]");
    assert.fieldEquals("ShipmentLine", SHIPMENT.concatI32(0).toHexString(), "steel", "true");
  });

  test("linking a report that covers the line clears the flag and keeps it as history", () => {
    let linkedAt = FILED_AT + DAY;
    handleMillTestReportLinked(createMillTestReportLinked(SHIPMENT, REPORT, 0, 20000, FILED_BLOCK + 1, linkedAt));
    let flag = flagId("MISSING_MTR", "line:0", FILED_BLOCK, 0);
    assert.entityCount("RiskFlag", 1);
    assert.fieldEquals("RiskFlag", flag, "active", "false");
    assert.fieldEquals("RiskFlag", flag, "clearedAt", linkedAt.toString());
    assert.fieldEquals("RiskFlag", flag, "clearedAtBlock", (FILED_BLOCK + 1).toString());
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "riskScore", "0");
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "activeRules", "[]");
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "meltCountries", "[KR]");
    assert.fieldEquals("ShipmentLine", SHIPMENT.concatI32(0).toHexString(), "allocatedKg", "20000");
  });

  test("a report covering only part of the line swaps MISSING_MTR for WEIGHT_MISMATCH", () => {
    handleMillTestReportLinked(createMillTestReportLinked(SHIPMENT, REPORT, 0, 15000, FILED_BLOCK + 1, FILED_AT));
    let weight = flagId("WEIGHT_MISMATCH", "line:0", FILED_BLOCK + 1, 1);
    assert.entityCount("RiskFlag", 2);
    assert.fieldEquals("RiskFlag", flagId("MISSING_MTR", "line:0", FILED_BLOCK, 0), "active", "false");
    assert.fieldEquals("RiskFlag", weight, "active", "true");
    assert.fieldEquals("RiskFlag", weight, "severity", "20");
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "activeRules", "[WEIGHT_MISMATCH]");
  });
});

describe("COO_MISMATCH", () => {
  beforeEach(() => {
    onboardParties();
    // Not a steel line, so only the certificate can raise a flag.
    let lines = [new LineInput(8471300100, 500, "KR")];
    handleShipmentFiled(createShipmentFiled(SHIPMENT, lines, FILED_AT + 10 * DAY, FILED_BLOCK, FILED_AT));
  });

  afterEach(() => {
    clearStore();
  });

  test("a linked certificate naming another country raises COO_MISMATCH (severity 25)", () => {
    handleCertificateOfOriginIssued(createCertificateOfOriginIssued(CERTIFICATE, "CN", 8471300100, 90, FILED_AT));
    let certificate = CERTIFICATE.toHexString();
    assert.fieldEquals("CertificateOfOrigin", certificate, "contentHash", contentHashOf(CERTIFICATE).toHexString());
    handleCertificateOfOriginLinked(createCertificateOfOriginLinked(SHIPMENT, CERTIFICATE, FILED_BLOCK + 1, FILED_AT));
    let flag = flagId("COO_MISMATCH", "doc:" + CERTIFICATE.toHexString(), FILED_BLOCK + 1, 1);
    assert.fieldEquals("RiskFlag", flag, "severity", "25");
    assert.fieldEquals("RiskFlag", flag, "document", CERTIFICATE.toHexString());
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "riskScore", "25");
    assert.fieldEquals("CertificateLink", SHIPMENT.concat(CERTIFICATE).toHexString(), "active", "true");
  });

  test("a certificate naming the declared origin raises nothing", () => {
    handleCertificateOfOriginIssued(createCertificateOfOriginIssued(CERTIFICATE, "KR", 8471300100, 90, FILED_AT));
    handleCertificateOfOriginLinked(createCertificateOfOriginLinked(SHIPMENT, CERTIFICATE, FILED_BLOCK + 1, FILED_AT));
    assert.entityCount("RiskFlag", 0);
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "riskScore", "0");
  });
});

describe("party findings", () => {
  afterEach(() => {
    clearStore();
  });

  test("a filing keeps UNVERIFIED_PARTY and NEW_PARTY as rows (rule, role, party, reason); the flags read them", () => {
    let id = new Bytes(32);
    id[31] = 1;
    handleActorOnboarded(createActorOnboarded(IMPORTER, ROLE_IMPORTER, "KR", id, T0));
    id[31] = 2;
    handleActorOnboarded(createActorOnboarded(MILL, ROLE_MILL, "KR", id, T0));
    id[31] = 3; // onboarded 10 days before filing: new; the carrier never onboarded: unverified
    handleActorOnboarded(createActorOnboarded(EXPORTER, ROLE_EXPORTER, "KR", id, FILED_AT - 10 * DAY));
    let lines = [new LineInput(7326000000, 1000, "KR")]; // no mill test report needed
    handleShipmentFiled(createShipmentFiled(SHIPMENT, lines, FILED_AT + 10 * DAY, FILED_BLOCK, FILED_AT));

    let carrier = CARRIER.toHexString();
    let exporter = EXPORTER.toHexString();
    let unverified = SHIPMENT.concatI32(1).concatI32(0).toHexString();
    let newcomer = SHIPMENT.concatI32(1).concatI32(1).toHexString();
    assert.entityCount("PartyFinding", 2);
    assert.fieldEquals("PartyFinding", unverified, "rule", "UNVERIFIED_PARTY");
    assert.fieldEquals("PartyFinding", unverified, "role", "CARRIER");
    assert.fieldEquals("PartyFinding", unverified, "party", carrier);
    assert.fieldEquals("PartyFinding", unverified, "reason", "not an onboarded actor");
    assert.fieldEquals("PartyFinding", unverified, "version", "1");
    assert.fieldEquals("PartyFinding", newcomer, "rule", "NEW_PARTY");
    assert.fieldEquals("PartyFinding", newcomer, "role", "EXPORTER");
    assert.fieldEquals("PartyFinding", newcomer, "reason", "onboarded 10 days before filing");
    let shipment = SHIPMENT.toHexString();
    assert.fieldEquals("Shipment", shipment, "partyFindings", "[" + unverified + ", " + newcomer + "]");
    assert.fieldEquals("Shipment", shipment, "unverifiedParties", "[CARRIER " + carrier + ": not an onboarded actor]");
    assert.fieldEquals(
      "Shipment",
      shipment,
      "newParties",
      "[EXPORTER " + exporter + ": onboarded 10 days before filing]",
    );

    let flag = flagId("UNVERIFIED_PARTY", "party:CARRIER " + carrier, FILED_BLOCK, 0);
    assert.fieldEquals("RiskFlag", flag, "explanation", "CARRIER " + carrier + ": not an onboarded actor");
    assert.fieldEquals("RiskFlag", flag, "party", carrier);
    assert.fieldEquals("RiskFlag", flag, "severity", "30");
    let fresh = flagId("NEW_PARTY", "party:EXPORTER " + exporter, FILED_BLOCK, 0);
    assert.fieldEquals("RiskFlag", fresh, "explanation", "EXPORTER " + exporter + ": onboarded 10 days before filing");
    assert.fieldEquals("RiskFlag", fresh, "party", exporter);
    assert.fieldEquals("RiskFlag", fresh, "severity", "10");
    assert.fieldEquals("Shipment", shipment, "activeRules", "[UNVERIFIED_PARTY, NEW_PARTY]");
    assert.fieldEquals("Shipment", shipment, "riskScore", "40");
  });
});
