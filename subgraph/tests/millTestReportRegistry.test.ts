import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { afterEach, assert, beforeEach, clearStore, describe, newMockEvent, test } from "matchstick-as/assembly/index";
import { MillTestReport } from "../generated/schema";
import { KilogramsReturnedToCorrection } from "../generated/MillTestReportRegistry/MillTestReportRegistry";
import { handleKilogramsReturnedToCorrection, handleMillTestReportIssued } from "../src/millTestReportRegistry";
import { MILL, REPORT, T0, contentHashOf, createMillTestReportIssued, packChemistry, packMechanics } from "./utils";

describe("handleMillTestReportIssued", () => {
  beforeEach(() => {
    // Carbon, manganese, phosphorus, sulfur reported; the other elements not.
    let chemistry = packChemistry([1800, 12000, 120, 45]);
    // Yield 360 MPa, tensile 460 MPa, elongation 28 %, hardness HRB (scale 1) 85.5.
    let mechanics = packMechanics([36000, 46000, 2800, 0xffffffff, 0xffffffff, 8550], 1);
    handleMillTestReportIssued(createMillTestReportIssued(REPORT, "KR", chemistry, mechanics, 25000, 20, T0));
  });

  afterEach(() => {
    clearStore();
  });

  test("decodes the packed chemistry into ppm, unreported elements null", () => {
    let id = REPORT.toHexString();
    assert.fieldEquals("MillTestReport", id, "carbonPpm", "1800");
    assert.fieldEquals("MillTestReport", id, "manganesePpm", "12000");
    assert.fieldEquals("MillTestReport", id, "phosphorusPpm", "120");
    assert.fieldEquals("MillTestReport", id, "sulfurPpm", "45");
    // An unreported element is never set: the field stays absent (null in GraphQL).
    let report = MillTestReport.load(REPORT)!;
    assert.assertNull(report.get("siliconPpm"));
    assert.assertNull(report.get("nickelPpm"));
  });

  test("decodes the mechanics and the hardness scale", () => {
    let id = REPORT.toHexString();
    assert.fieldEquals("MillTestReport", id, "yieldStrength", "36000");
    assert.fieldEquals("MillTestReport", id, "tensileStrength", "46000");
    assert.fieldEquals("MillTestReport", id, "elongation", "2800");
    assert.assertNull(MillTestReport.load(REPORT)!.get("reductionOfArea"));
    assert.fieldEquals("MillTestReport", id, "hardnessScale", "HRB");
    assert.fieldEquals("MillTestReport", id, "hardness", "8550");
  });

  test("stores the heat, melt country and an untouched mass balance", () => {
    let id = REPORT.toHexString();
    assert.fieldEquals("MillTestReport", id, "contentHash", contentHashOf(REPORT).toHexString());
    assert.fieldEquals("MillTestReport", id, "status", "ACTIVE");
    assert.fieldEquals("MillTestReport", id, "derived", "false");
    assert.fieldEquals("MillTestReport", id, "meltAndPourCountries", "[KR]");
    assert.fieldEquals("MillTestReport", id, "totalKg", "25000");
    assert.fieldEquals("MillTestReport", id, "remainingKg", BigInt.fromI32(25000).toString());
    assert.fieldEquals("MillTestReport", id, "utilizationBps", "0");
    assert.entityCount("Heat", 1);
    let heat = MILL.concat(Bytes.fromUTF8("H-7731"));
    assert.fieldEquals("Heat", heat.toHexString(), "countryOfMeltAndPour", "KR");
  });
});

describe("handleKilogramsReturnedToCorrection", () => {
  afterEach(() => {
    clearStore();
  });

  test("updates the balance of the correction that got the kilograms back (R5)", () => {
    let chemistry = packChemistry([1800, 12000, 120, 45]);
    let mechanics = packMechanics([36000, 46000, 2800, 0xffffffff, 0xffffffff, 8550], 1);
    handleMillTestReportIssued(createMillTestReportIssued(REPORT, "KR", chemistry, mechanics, 25000, 20, T0));
    let superseded = Bytes.fromHexString("0x3e70000000000000000000000000000000000000000000000000000000000002");
    let event = changetype<KilogramsReturnedToCorrection>(newMockEvent());
    event.parameters = new Array();
    event.parameters.push(new ethereum.EventParam("recordId", ethereum.Value.fromFixedBytes(superseded)));
    event.parameters.push(new ethereum.EventParam("correctionId", ethereum.Value.fromFixedBytes(REPORT)));
    event.parameters.push(new ethereum.EventParam("kg", ethereum.Value.fromUnsignedBigInt(BigInt.fromI32(4000))));
    event.parameters.push(
      new ethereum.EventParam("remainingKg", ethereum.Value.fromUnsignedBigInt(BigInt.fromI32(15000))),
    );
    handleKilogramsReturnedToCorrection(event);
    assert.fieldEquals("MillTestReport", REPORT.toHexString(), "remainingKg", "15000");
    assert.fieldEquals("MillTestReport", REPORT.toHexString(), "consumedKg", "10000");
  });
});
