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

/** Files a shipment of the exporter, routed through `via` (none: direct). */
function file(exporter: Address, via: Array<string>): Bytes {
  serial++;
  block++;
  let id = id32(0x53, serial);
  let f = filingOf(exporter, IMPORTER, 10000, "KR");
  f.via = via;
  handleShipmentFiled(createFiling(id, f, block, weekStart(BASE_WEEK) + serial * 3600));
  return id;
}

function direct(exporter: Address, n: i32): void {
  for (let i = 0; i < n; i++) file(exporter, []);
}

describe("ROUTE_CHANGE", () => {
  afterEach(() => {
    clearStore();
  });

  test("fires when an exporter with exactly 4 direct shipments routes through third countries", () => {
    direct(EXPORTER, 4);
    let id = file(EXPORTER, ["SG", "MY"]);
    assertFlag(
      id,
      "ROUTE_CHANGE",
      "route",
      20,
      block,
      0,
      "exporter " +
        EXPORTER.toHexString() +
        " shipped its 4 earlier shipments direct (threshold 4); this one, exported from KR, routes through SG, MY",
    );
    assert.fieldEquals("HistoryFinding", findingId(id, "ROUTE_CHANGE", "route"), "party", EXPORTER.toHexString());
    assert.fieldEquals("ExporterHistory", EXPORTER.toHexString(), "routedShipments", "1");
  });

  test("does not fire after only 3 direct shipments", () => {
    direct(EXPORTER, 3);
    assertNoFinding(file(EXPORTER, ["SG"]), "ROUTE_CHANGE");
  });

  test("does not fire when an earlier shipment was already routed, nor for the next routed one", () => {
    file(EXPORTER, ["SG"]);
    direct(EXPORTER, 4);
    assertNoFinding(file(EXPORTER, ["SG"]), "ROUTE_CHANGE");
    let changer = address(0xe002);
    direct(changer, 4);
    let first = file(changer, ["VN"]);
    let second = file(changer, ["VN"]);
    assert.fieldEquals("HistoryFinding", findingId(first, "ROUTE_CHANGE", "route"), "rule", "ROUTE_CHANGE");
    assertNoFinding(second, "ROUTE_CHANGE");
  });

  test("a direct shipment after a direct history does not fire", () => {
    direct(EXPORTER, 6);
    assertNoFinding(file(EXPORTER, []), "ROUTE_CHANGE");
    assert.entityCount("HistoryFinding", 0);
  });
});
