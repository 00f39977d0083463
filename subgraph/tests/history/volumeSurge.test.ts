import { Address, Bytes } from "@graphprotocol/graph-ts";
import { afterEach, assert, clearStore, describe, test } from "matchstick-as/assembly/index";
import { handleShipmentFiled } from "../../src/shipmentRegistry";
import {
  BASE_WEEK,
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
const IMPORTER = address(0x1001);
let block: i32 = 100;
let serial: i32 = 0;

/** Files one shipment of `kg` for the exporter in `week` (a day in, plus a minute per filing) and returns its id. */
function file(exporter: Address, week: i32, kg: i64): Bytes {
  serial++;
  block++;
  let id = id32(0x51, serial);
  let f = filingOf(exporter, IMPORTER, kg, "KR");
  handleShipmentFiled(createFiling(id, f, block, weekStart(week) + 86400 + serial * 60));
  return id;
}

/** One filing of kg[k] in week BASE_WEEK + k for each k with kg[k] > 0 (a zero is a week without filings). */
function history(exporter: Address, kg: Array<i64>): void {
  for (let k = 0; k < kg.length; k++) if (kg[k] > 0) file(exporter, BASE_WEEK + k, kg[k]);
}

const FLAT: Array<i64> = [10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000];
const W = BASE_WEEK + 12; // the observed week: the 12 weeks of FLAT are its baseline

describe("VOLUME_SURGE", () => {
  afterEach(() => {
    clearStore();
  });

  test("fires at exactly 2 × mean when that is above mean + 3σ, and states observed, mean, σ, thresholds", () => {
    history(EXPORTER, FLAT);
    let id = file(EXPORTER, W, 20000);
    let cause = "week:" + W.toString();
    assertFlag(
      id,
      "VOLUME_SURGE",
      cause,
      20,
      block,
      0,
      "exporter " +
        EXPORTER.toHexString() +
        " declared 20000 kg in week 2934 (this shipment's 20000 kg included); weeks 2922-2933 average 10000.0 kg" +
        " a week with σ 0.0 kg: above the threshold mean + 3σ = 10000.0 kg and at least 2 × mean = 20000.0 kg",
    );
    assert.fieldEquals("HistoryFinding", findingId(id, "VOLUME_SURGE", cause), "party", EXPORTER.toHexString());
    assert.fieldEquals("ExporterHistory", EXPORTER.toHexString(), "filedShipments", "13");
  });

  test("does not fire just below 2 × mean, even far above mean + 3σ (a steady exporter's busy week)", () => {
    history(EXPORTER, FLAT);
    let id = file(EXPORTER, W, 19999);
    assertNoFinding(id, "VOLUME_SURGE");
  });

  test("does not fire exactly at mean + 3σ, fires one kilogram above", () => {
    // six empty weeks and six of 2000 kg: mean 1000, σ 1000, mean + 3σ = 4000 ≥ 2 × mean = 2000
    history(EXPORTER, [2000, 0, 2000, 0, 2000, 0, 2000, 0, 2000, 0, 2000, 0]);
    let at = file(EXPORTER, W, 4000);
    assertNoFinding(at, "VOLUME_SURGE");
    let above = file(EXPORTER, W, 1); // the week now totals 4001 kg
    assertFlag(
      above,
      "VOLUME_SURGE",
      "week:" + W.toString(),
      20,
      block,
      0,
      "exporter " +
        EXPORTER.toHexString() +
        " declared 4001 kg in week 2934 (this shipment's 1 kg included); weeks 2922-2933 average 1000.0 kg" +
        " a week with σ 1000.0 kg: above the threshold mean + 3σ = 4000.0 kg and at least 2 × mean = 2000.0 kg",
    );
  });

  test("counts the week's earlier shipments: the second of two 12000 kg filings fires, the first does not", () => {
    history(EXPORTER, FLAT);
    let first = file(EXPORTER, W, 12000);
    let second = file(EXPORTER, W, 12000);
    assertNoFinding(first, "VOLUME_SURGE");
    assert.fieldEquals(
      "HistoryFinding",
      findingId(second, "VOLUME_SURGE", "week:" + W.toString()),
      "rule",
      "VOLUME_SURGE",
    );
  });

  test("needs the first filing 6 weeks back: week w-6 fires, week w-5 does not", () => {
    let early = address(0xe002);
    file(early, W - 6, 1000);
    let fires = file(early, W, 5000);
    assert.fieldEquals(
      "HistoryFinding",
      findingId(fires, "VOLUME_SURGE", "week:" + W.toString()),
      "rule",
      "VOLUME_SURGE",
    );
    let late = address(0xe003);
    file(late, W - 5, 1000);
    let quiet = file(late, W, 5000);
    assertNoFinding(quiet, "VOLUME_SURGE");
  });

  test("weeks older than w-12 leave the baseline: a dormant exporter's return is measured against empty weeks", () => {
    // 10000 kg a week in weeks 2922-2933, nothing in 2934-2945: week 2946's baseline is 12 empty weeks
    history(EXPORTER, FLAT);
    let back = file(EXPORTER, W + 12, 8000);
    assert.fieldEquals(
      "HistoryFinding",
      findingId(back, "VOLUME_SURGE", "week:" + (W + 12).toString()),
      "rule",
      "VOLUME_SURGE",
    );
    // the same return a week earlier still has week 2933 in its baseline: mean 833.3, σ 2763.9, threshold 9124.9
    let other = address(0xe004);
    history(other, FLAT);
    let early = file(other, W + 11, 8000);
    assertNoFinding(early, "VOLUME_SURGE");
  });

  test("another exporter's history does not count", () => {
    history(address(0xe005), FLAT);
    let id = file(EXPORTER, W, 50000);
    assertNoFinding(id, "VOLUME_SURGE");
  });
});
