import { Address, Bytes } from "@graphprotocol/graph-ts";
import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import { handleMillTestReportIssued } from "../../src/millTestReportRegistry";
import { handleMillTestReportLinked, handleShipmentFiled } from "../../src/shipmentRegistry";
import {
  BASE_WEEK,
  address,
  assertFlag,
  assertNoFinding,
  createFiling,
  createLink,
  createReport,
  filingOf,
  findingId,
  id32,
  weekStart,
} from "./events";

const MILL_A = address(0xa001);
const EXPORTER = address(0xe001);
const T: i64 = weekStart(BASE_WEEK);
const IMPORTERS: i32 = 6;
let block: i32 = 100;

function importer(i: i32): Address {
  return address(0x1100 + i);
}

function shipment(i: i32): Bytes {
  return id32(0x54, i);
}

function report(heat: i32): Bytes {
  return id32(0x3e, heat);
}

function heatId(heat: i32): string {
  return MILL_A.concat(Bytes.fromUTF8("H-" + heat.toString())).toHexString();
}

/** Links heat `heat`'s report to the shipment of importer i for each i in `importers`. */
function link(heat: i32, importers: Array<i32>): void {
  for (let k = 0; k < importers.length; k++) {
    block++;
    let i = importers[k];
    handleMillTestReportLinked(createLink(shipment(i), report(heat), importer(i), 100, block, T + 86400 + block));
  }
}

/** Links heats 1..counts.length to the first counts[h-1] importers each. */
function otherHeats(counts: Array<i32>): void {
  for (let h = 0; h < counts.length; h++) {
    let importers = new Array<i32>();
    for (let i = 1; i <= counts[h]; i++) importers.push(i);
    link(h + 1, importers);
  }
}

describe("HEAT_DISPERSION", () => {
  beforeEach(() => {
    // one report per heat 1..20 of MILL_A, one shipment per importer 1..6
    for (let h = 1; h <= 20; h++) {
      handleMillTestReportIssued(createReport(report(h), MILL_A, "H-" + h.toString(), "KR", 100000, 50, T));
    }
    for (let i = 1; i <= IMPORTERS; i++) {
      handleShipmentFiled(createFiling(shipment(i), filingOf(EXPORTER, importer(i), 10000, "KR"), 60 + i, T + i));
    }
  });

  afterEach(() => {
    clearStore();
  });

  test("fires on the link that brings a heat to 4 importers while the mill has no other linked heats", () => {
    link(20, [1, 2, 3]);
    for (let i = 1; i <= 3; i++) assertNoFinding(shipment(i), "HEAT_DISPERSION");
    link(20, [4]);
    assertFlag(
      shipment(4),
      "HEAT_DISPERSION",
      "heat:" + heatId(20),
      20,
      block,
      1,
      "heat H-20 of mill " +
        MILL_A.toHexString() +
        " reached 4 distinct importers with importer " +
        importer(4).toHexString() +
        " (threshold 4); the mill has 0 other linked heats, fewer than the 5 its own baseline needs",
    );
    assert.fieldEquals("HeatDispersion", heatId(20), "importers", "4");
  });

  test("repeated links by the same importers do not count: 5 links from 3 importers stay quiet", () => {
    link(20, [1, 2, 3, 3, 1]);
    assert.fieldEquals("HeatDispersion", heatId(20), "importers", "3");
    for (let i = 1; i <= 3; i++) assertNoFinding(shipment(i), "HEAT_DISPERSION");
    assert.fieldEquals("MillDispersion", MILL_A.toHexString(), "linkedHeats", "1");
    assert.fieldEquals("MillDispersion", MILL_A.toHexString(), "importerSumOfSquares", "9");
  });

  test("with 5 other heats of 2,3,3,3,3 importers (mean 2.8, σ 0.4): 4 is exactly at mean + 3σ, 5 fires", () => {
    otherHeats([2, 3, 3, 3, 3]);
    link(20, [1, 2, 3, 4]);
    assertNoFinding(shipment(4), "HEAT_DISPERSION");
    link(20, [5]);
    assertFlag(
      shipment(5),
      "HEAT_DISPERSION",
      "heat:" + heatId(20),
      20,
      block,
      1,
      "heat H-20 of mill " +
        MILL_A.toHexString() +
        " reached 5 distinct importers with importer " +
        importer(5).toHexString() +
        " (threshold 4); the mill's 5 other linked heats average 2.8 importers with σ 0.4, threshold mean + 3σ = 4.0",
    );
  });

  test("the mill's baseline needs 5 other heats: with 4 heats of 4 importers a fifth heat fires at 4, with 5 it does not", () => {
    otherHeats([4, 4, 4, 4]);
    link(20, [1, 2, 3, 4]);
    assert.fieldEquals(
      "HistoryFinding",
      findingId(shipment(4), "HEAT_DISPERSION", "heat:" + heatId(20)),
      "rule",
      "HEAT_DISPERSION",
    );
    // heat 19 now has 5 other heats of 4 importers each: 4 is not above 4 + 3 × 0
    link(19, [1, 2, 3, 4]);
    assert.notInStore("HistoryFinding", findingId(shipment(4), "HEAT_DISPERSION", "heat:" + heatId(19)));
    link(19, [5]);
    assert.fieldEquals(
      "HistoryFinding",
      findingId(shipment(5), "HEAT_DISPERSION", "heat:" + heatId(19)),
      "rule",
      "HEAT_DISPERSION",
    );
  });
});
