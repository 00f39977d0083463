import { Address, Bytes } from "@graphprotocol/graph-ts";
import { afterEach, assert, clearStore, describe, test } from "matchstick-as/assembly/index";
import { handleShipmentFiled } from "../../src/shipmentRegistry";
import { LineInput } from "../utils";
import {
  BASE_WEEK,
  Filing,
  HTS_PIPE,
  address,
  assertFlag,
  assertNoFinding,
  createFiling,
  filingOf,
  findingId,
  id32,
  weekStart,
} from "./events";

const EXPORTER = address(0xe001);
const USUAL = address(0x1001);
const OTHER = address(0x1002);
let block: i32 = 100;
let serial: i32 = 0;

function file(f: Filing): Bytes {
  serial++;
  block++;
  let id = id32(0x52, serial);
  handleShipmentFiled(createFiling(id, f, block, weekStart(BASE_WEEK) + serial * 3600));
  return id;
}

/** `n` shipments of the exporter to its usual importer, origin KR. */
function usual(exporter: Address, n: i32): void {
  for (let i = 0; i < n; i++) file(filingOf(exporter, USUAL, 10000, "KR"));
}

function lane(importer: Address, origin: string): string {
  return EXPORTER.toHexString() + ">" + importer.toHexString() + ">" + origin;
}

describe("NEW_LANE", () => {
  afterEach(() => {
    clearStore();
  });

  test("fires for a new importer after exactly 4 earlier shipments, naming lane, history and threshold", () => {
    usual(EXPORTER, 4);
    let id = file(filingOf(EXPORTER, OTHER, 10000, "KR"));
    let key = lane(OTHER, "KR");
    assertFlag(
      id,
      "NEW_LANE",
      "lane:" + key,
      10,
      block,
      0,
      "line 0 opens lane " +
        key +
        " (importer " +
        OTHER.toHexString() +
        ", origin KR): new for an exporter with 4 earlier shipments (threshold 4) on 1 other lanes",
    );
    assert.fieldEquals("HistoryFinding", findingId(id, "NEW_LANE", "lane:" + key), "lineIndex", "0");
    assert.fieldEquals("ExporterLane", key, "firstShipment", id.toHexString());
  });

  test("does not fire with only 3 earlier shipments, and the lane is then known", () => {
    usual(EXPORTER, 3);
    let fourth = file(filingOf(EXPORTER, OTHER, 10000, "KR"));
    assertNoFinding(fourth, "NEW_LANE");
    let fifth = file(filingOf(EXPORTER, OTHER, 10000, "KR"));
    assertNoFinding(fifth, "NEW_LANE");
    assert.fieldEquals("ExporterHistory", EXPORTER.toHexString(), "lanes", "2");
  });

  test("a known lane with another port or HTS number is not new", () => {
    usual(EXPORTER, 5);
    let f = filingOf(EXPORTER, USUAL, 10000, "KR");
    f.port = "USHOU";
    f.lines = [new LineInput(7208510030, 5000, "KR")];
    assertNoFinding(file(f), "NEW_LANE");
  });

  test("a new declared origin to the usual importer is a new lane; one flag per new lane, not per line", () => {
    usual(EXPORTER, 4);
    let f = new Filing();
    f.exporter = EXPORTER;
    f.importer = USUAL;
    f.lines = [
      new LineInput(HTS_PIPE, 1000, "VN"),
      new LineInput(HTS_PIPE, 2000, "VN"),
      new LineInput(HTS_PIPE, 3000, "TH"),
      new LineInput(HTS_PIPE, 4000, "KR"),
    ];
    let id = file(f);
    assert.fieldEquals("HistoryFinding", findingId(id, "NEW_LANE", "lane:" + lane(USUAL, "VN")), "lineIndex", "0");
    assert.fieldEquals("HistoryFinding", findingId(id, "NEW_LANE", "lane:" + lane(USUAL, "TH")), "lineIndex", "2");
    assert.entityCount("HistoryFinding", 2);
  });

  test("lanes are per exporter: another exporter's lane does not make this one known", () => {
    let other = address(0xe009);
    file(filingOf(other, OTHER, 10000, "KR"));
    usual(EXPORTER, 4);
    let id = file(filingOf(EXPORTER, OTHER, 10000, "KR"));
    assert.fieldEquals("HistoryFinding", findingId(id, "NEW_LANE", "lane:" + lane(OTHER, "KR")), "rule", "NEW_LANE");
  });
});
