import { BigInt } from "@graphprotocol/graph-ts";
import { afterEach, assert, clearStore, describe, test } from "matchstick-as/assembly/index";
import { handleMillTestReportIssued } from "../src/millTestReportRegistry";
import { handleShipmentFiled } from "../src/shipmentRegistry";
import { LineInput } from "./utils";
import { BASE_WEEK, Filing, address, createFiling, createReport, id32, weekStart } from "./history/events";

const T: i64 = weekStart(BASE_WEEK) + 5000;

/** The data point id the mappings give line `index` of the event at `block` / `logIndex`. */
function pointId(block: i32, logIndex: i32, index: i32): string {
  return ((BigInt.fromI32(block).toI64() << 30) | ((<i64>logIndex) << 10) | (<i64>index)).toString();
}

describe("tonnage data points", () => {
  afterEach(() => {
    clearStore();
  });

  test("a filing writes one ShippedTonnage per line with exporter, importer, origin, chapter, port, lane, kg", () => {
    let f = new Filing();
    f.exporter = address(0xe001);
    f.importer = address(0x1001);
    f.port = "USHOU";
    f.lines = [new LineInput(7304190000, 12000, "KR"), new LineInput(7208510030, 3000, "VN")];
    handleShipmentFiled(createFiling(id32(0x55, 1), f, 77, T));
    assert.entityCount("ShippedTonnage", 2);
    let first = pointId(77, 0, 0);
    let second = pointId(77, 0, 1);
    let lane = f.exporter.toHexString() + ">" + f.importer.toHexString() + ">";
    assert.fieldEquals("ShippedTonnage", first, "exporter", f.exporter.toHexString());
    assert.fieldEquals("ShippedTonnage", first, "importer", f.importer.toHexString());
    assert.fieldEquals("ShippedTonnage", first, "meltCountry", "KR");
    assert.fieldEquals("ShippedTonnage", first, "htsChapter", "73");
    assert.fieldEquals("ShippedTonnage", first, "port", "USHOU");
    assert.fieldEquals("ShippedTonnage", first, "lane", lane + "KR");
    assert.fieldEquals("ShippedTonnage", first, "kg", "12000");
    assert.fieldEquals("ShippedTonnage", first, "timestamp", (T * 1000000).toString());
    assert.fieldEquals("ShippedTonnage", second, "htsChapter", "72");
    assert.fieldEquals("ShippedTonnage", second, "lane", lane + "VN");
    assert.fieldEquals("ShippedTonnage", second, "kg", "3000");
  });

  test("an issued mill test report writes one CertifiedTonnage with mill, melt country and kg", () => {
    let mill = address(0xa001);
    handleMillTestReportIssued(createReport(id32(0x3e, 1), mill, "H-1", "JP", 45000, 78, T));
    assert.entityCount("CertifiedTonnage", 1);
    let id = pointId(78, 0, 0);
    assert.fieldEquals("CertifiedTonnage", id, "mill", mill.toHexString());
    assert.fieldEquals("CertifiedTonnage", id, "meltCountry", "JP");
    assert.fieldEquals("CertifiedTonnage", id, "kg", "45000");
  });
});
