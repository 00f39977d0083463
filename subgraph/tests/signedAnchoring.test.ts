import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { afterEach, assert, clearStore, describe, newMockEvent, test } from "matchstick-as/assembly/index";
import { AssertionKeyRegistered, AssertionKeyRetired } from "../generated/ActorRegistry/ActorRegistry";
import { RecordRevoked, SignedCredentialAnchored } from "../generated/MillTestReportRegistry/MillTestReportRegistry";
import { RiskFlag, Shipment } from "../generated/schema";
import { handleAssertionKeyRegistered, handleAssertionKeyRetired } from "../src/actorRegistry";
import {
  handleMillTestReportIssued,
  handleRecordRevoked,
  handleSignedCredentialAnchored,
} from "../src/millTestReportRegistry";
import { handleShipmentFiled } from "../src/shipmentRegistry";
import { kilograms } from "../src/signedFields";
import {
  DAY,
  LineInput,
  MILL,
  REPORT,
  SHIPMENT,
  T0,
  WORKFLOW,
  at,
  createMillTestReportIssued,
  createShipmentFiled,
  packChemistry,
  packMechanics,
  param,
} from "./utils";

const KEY = Bytes.fromHexString("0x6b65790000000000000000000000000000000000000000000000000000000001");
const RELAYER = Address.fromString("0x000000000000000000000000000000000000beef");

/** What the mill signed for the report `createMillTestReportIssued` builds (25 t = 25,000 kg). */
const SIGNED =
  '{"issuer":{"id":"did:web:mill.example"},"credentialSubject":{"certificateNumber":"MTR-0001",' +
  '"productSpecification":{"standard":"API 5L","grade":"X52"},"inspections":[{"heatNumber":"H-7731",' +
  '"countryOfMeltAndPour":"KR","countryOfManufacture":"KR","totalWeight":{"value":"25","unitCode":"TNE"}}]}}';

function createAnchored(payload: string, block: i32): SignedCredentialAnchored {
  let event = changetype<SignedCredentialAnchored>(newMockEvent());
  event.parameters = new Array();
  event.parameters.push(param("recordId", ethereum.Value.fromFixedBytes(REPORT)));
  event.parameters.push(param("keyIdHash", ethereum.Value.fromFixedBytes(KEY)));
  event.parameters.push(param("workflowInstance", ethereum.Value.fromFixedBytes(WORKFLOW)));
  event.parameters.push(param("issuer", ethereum.Value.fromAddress(MILL)));
  event.parameters.push(param("payloadHash", ethereum.Value.fromFixedBytes(KEY)));
  event.parameters.push(param("recordIndex", ethereum.Value.fromUnsignedBigInt(BigInt.zero())));
  event.parameters.push(param("protectedHeader", ethereum.Value.fromBytes(Bytes.fromUTF8("eyJhbGciOiJFUzI1NiJ9"))));
  event.parameters.push(param("payload", ethereum.Value.fromBytes(Bytes.fromUTF8(payload))));
  event.transaction.from = RELAYER;
  return at(event, block, T0 + block, 1);
}

/** The mill's report with `totalKg` as the relayer supplied it, anchored from `payload`. */
function anchor(totalKg: i64, payload: string, block: i32): void {
  let chemistry = packChemistry([1800]);
  let mechanics = packMechanics([36000], 1);
  handleMillTestReportIssued(
    createMillTestReportIssued(REPORT, "KR", chemistry, mechanics, totalKg, block, T0 + block),
  );
  handleSignedCredentialAnchored(createAnchored(payload, block));
}

function file(block: i32): void {
  let lines = [new LineInput(7304191020, 25000, "KR")];
  handleShipmentFiled(createShipmentFiled(SHIPMENT, lines, T0 + 10 * DAY, block, T0 + block));
}

describe("assertion keys", () => {
  afterEach(() => {
    clearStore();
  });

  test("a registered key is stored with its actor and id; retirement dates it", () => {
    let event = changetype<AssertionKeyRegistered>(newMockEvent());
    event.parameters = new Array();
    event.parameters.push(param("actor", ethereum.Value.fromAddress(MILL)));
    event.parameters.push(param("keyIdHash", ethereum.Value.fromFixedBytes(KEY)));
    event.parameters.push(param("keyId", ethereum.Value.fromString("did:web:mill.example#key-1")));
    event.parameters.push(param("x", ethereum.Value.fromFixedBytes(REPORT)));
    event.parameters.push(param("y", ethereum.Value.fromFixedBytes(SHIPMENT)));
    event.parameters.push(param("submittedBy", ethereum.Value.fromAddress(RELAYER)));
    handleAssertionKeyRegistered(at(event, 5, T0, 0));
    assert.fieldEquals("AssertionKey", KEY.toHexString(), "keyId", "did:web:mill.example#key-1");
    assert.fieldEquals("AssertionKey", KEY.toHexString(), "actor", MILL.toHexString());
    let retired = changetype<AssertionKeyRetired>(newMockEvent());
    retired.parameters = new Array();
    retired.parameters.push(param("actor", ethereum.Value.fromAddress(MILL)));
    retired.parameters.push(param("keyIdHash", ethereum.Value.fromFixedBytes(KEY)));
    retired.parameters.push(param("by", ethereum.Value.fromAddress(MILL)));
    handleAssertionKeyRetired(at(retired, 6, T0 + DAY, 0));
    assert.fieldEquals("AssertionKey", KEY.toHexString(), "retiredAt", (T0 + DAY).toString());
  });

  test("kilograms converts KGM and TNE exactly, half up, and refuses other units", () => {
    assert.stringEquals(kilograms("25", "TNE").toString(), "25000");
    assert.stringEquals(kilograms("1.0005", "TNE").toString(), "1001");
    assert.stringEquals(kilograms("289600", "KGM").toString(), "289600");
    assert.stringEquals(kilograms("12.5", "KGM").toString(), "13");
    assert.stringEquals(kilograms("12", "LBR").toString(), "-1");
    assert.stringEquals(kilograms("1e3", "KGM").toString(), "-1");
  });
});

describe("signed anchoring and the pouch", () => {
  afterEach(() => {
    clearStore();
  });

  test("a filing first lacks both credentials; a matching signed MTR then fills one, raising nothing", () => {
    file(10);
    assert.fieldEquals(
      "Shipment",
      SHIPMENT.toHexString(),
      "missingCredentials",
      "[MILL_TEST_REPORT, CERTIFICATE_OF_ORIGIN]",
    );
    anchor(25000, SIGNED, 11);
    let id = REPORT.toHexString();
    assert.fieldEquals("SignedAnchoring", id, "fieldsMatch", "true");
    assert.fieldEquals("SignedAnchoring", id, "submittedBy", RELAYER.toHexString());
    assert.fieldEquals("SignedAnchoring", id, "uncheckedFields", "[chemistry, mechanics]");
    assert.fieldEquals("Pouch", WORKFLOW.toHexString(), "millTestReports", "1");
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "missingCredentials", "[CERTIFICATE_OF_ORIGIN]");
    // The report is in the pouch, not yet allocated (MISSING_MTR stays); nothing flags the signed fields.
    let rules = Shipment.load(SHIPMENT)!.activeRules;
    assert.booleanEquals(true, rules.includes("MISSING_MTR"));
    assert.booleanEquals(false, rules.includes("SIGNED_FIELD_MISMATCH"));
  });

  test("credentials first: the filing finds them in its pouch", () => {
    anchor(25000, SIGNED, 10);
    file(11);
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "pouch", WORKFLOW.toHexString());
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "missingCredentials", "[CERTIFICATE_OF_ORIGIN]");
  });

  test("a relayer-changed weight is marked and raises SIGNED_FIELD_MISMATCH on the pouch's shipment", () => {
    file(10);
    let before = Shipment.load(SHIPMENT)!.riskScore;
    anchor(30000, SIGNED, 11);
    let id = REPORT.toHexString();
    assert.fieldEquals("SignedAnchoring", id, "fieldsMatch", "false");
    assert.fieldEquals("SignedAnchoring", id, "mismatchedFields", "[totalKg: record 30000 / signed 25000]");
    assert.fieldEquals("Pouch", WORKFLOW.toHexString(), "mismatches", "1");
    let shipment = Shipment.load(SHIPMENT)!;
    assert.booleanEquals(true, shipment.activeRules.includes("SIGNED_FIELD_MISMATCH"));
    assert.i32Equals(before + 40, shipment.riskScore);
    let flag = RiskFlag.load(shipment.activeFlags[shipment.activeRules.indexOf("SIGNED_FIELD_MISMATCH")])!;
    assert.stringEquals(
      "record " + id + " differs from its issuer-signed credential: totalKg: record 30000 / signed 25000",
      flag.explanation,
    );
  });

  test("a heat number or country the issuer did not sign is marked too; an inspection index beyond the payload", () => {
    anchor(
      25000,
      SIGNED.replace('"H-7731"', '"H-9999"').replace('"countryOfManufacture":"KR"', '"countryOfManufacture":"CN"'),
      10,
    );
    assert.fieldEquals(
      "SignedAnchoring",
      REPORT.toHexString(),
      "mismatchedFields",
      "[heatNumber: record H-7731 / signed H-9999, countryOfManufacture: record KR / signed CN]",
    );
    clearStore();
    anchor(25000, '{"credentialSubject":{"inspections":[]}}', 10);
    assert.fieldEquals(
      "SignedAnchoring",
      REPORT.toHexString(),
      "mismatchedFields",
      "[recordIndex: the payload has no inspection 0]",
    );
  });

  test("a VC 1.1 vc-jwt is read from its vc claim; its exp claim leaves expiresAt unchecked", () => {
    anchor(25000, '{"iss":"did:web:mill.example","exp":1900000000,"vc":' + SIGNED + "}", 10);
    assert.fieldEquals("SignedAnchoring", REPORT.toHexString(), "fieldsMatch", "true");
    assert.fieldEquals("SignedAnchoring", REPORT.toHexString(), "uncheckedFields", "[expiresAt, chemistry, mechanics]");
  });

  test("a revoked signed report leaves the pouch: the MTR is missing again and its mismatch flag clears", () => {
    file(10);
    anchor(30000, SIGNED, 11);
    let revoked = changetype<RecordRevoked>(newMockEvent());
    revoked.parameters = new Array();
    revoked.parameters.push(param("recordId", ethereum.Value.fromFixedBytes(REPORT)));
    revoked.parameters.push(param("issuer", ethereum.Value.fromAddress(MILL)));
    revoked.parameters.push(param("by", ethereum.Value.fromAddress(MILL)));
    revoked.parameters.push(param("reason", ethereum.Value.fromFixedBytes(KEY)));
    handleRecordRevoked(at(revoked, 12, T0 + 12, 0));
    assert.fieldEquals("SignedAnchoring", REPORT.toHexString(), "active", "false");
    assert.fieldEquals("Pouch", WORKFLOW.toHexString(), "millTestReports", "0");
    assert.fieldEquals("Pouch", WORKFLOW.toHexString(), "mismatches", "1");
    let shipment = Shipment.load(SHIPMENT)!;
    assert.stringEquals("MILL_TEST_REPORT,CERTIFICATE_OF_ORIGIN", shipment.missingCredentials.join(","));
    assert.booleanEquals(false, shipment.activeRules.includes("SIGNED_FIELD_MISMATCH"));
  });
});
