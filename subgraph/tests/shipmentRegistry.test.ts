import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
import { Shipment } from "../generated/schema";
import { handleShipmentFiled, handleShipmentStatusChanged } from "../src/shipmentRegistry";
import { CARRIER, DAY, LineInput, SHIPMENT, T0, createShipmentFiled, createShipmentStatusChanged } from "./utils";

// IShipmentRegistry.Status
const FILED: i32 = 1;
const DEPARTED: i32 = 2;

describe("handleShipmentStatusChanged", () => {
  beforeEach(() => {
    let lines = [new LineInput(8471300100, 500, "KR")];
    handleShipmentFiled(createShipmentFiled(SHIPMENT, lines, T0 + 10 * DAY, 100, T0));
  });

  afterEach(() => {
    clearStore();
  });

  test("records the filing as version 1", () => {
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "status", "FILED");
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "version", "1");
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "portOfEntry", "USLAX");
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "totalDeclaredKg", "500");
    assert.entityCount("ShipmentVersion", 1);
    assert.entityCount("StatusChange", 0);
  });

  test("keeps the lines' distinct HTS chapters and a queue rank of score, then earliest arrival", () => {
    let other = Bytes.fromHexString("0x5111000000000000000000000000000000000000000000000000000000000003");
    let lines = [
      new LineInput(7306191010, 100, "KR"),
      new LineInput(7208510030, 50, "KR"),
      new LineInput(7306191050, 70, "KR"),
    ];
    handleShipmentFiled(createShipmentFiled(other, lines, T0 + 20 * DAY, 103, T0));
    assert.fieldEquals("Shipment", other.toHexString(), "htsChapters", "[73, 72]");
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "htsChapters", "[84]");
    let span = BigInt.fromI64(1099511627776);
    let first = Shipment.load(SHIPMENT)!;
    let second = Shipment.load(other)!;
    let expected = BigInt.fromI32(second.riskScore)
      .times(span)
      .plus(span.minus(BigInt.fromI32(1)).minus(BigInt.fromI64(T0 + 20 * DAY)));
    assert.bigIntEquals(expected, second.queueRank);
    // Same score: the earlier arrival ranks higher; a higher score ranks higher whatever the arrival.
    if (first.riskScore == second.riskScore) assert.assertTrue(first.queueRank.gt(second.queueRank));
    else assert.assertTrue(first.riskScore > second.riskScore == first.queueRank.gt(second.queueRank));
  });

  test("stores a StatusChange row and moves the shipment's status", () => {
    let event = createShipmentStatusChanged(SHIPMENT, FILED, DEPARTED, 101, T0 + DAY);
    handleShipmentStatusChanged(event);
    let row = event.transaction.hash.concatI32(event.logIndex.toI32()).toHexString();
    assert.entityCount("StatusChange", 1);
    assert.fieldEquals("StatusChange", row, "from", "FILED");
    assert.fieldEquals("StatusChange", row, "to", "DEPARTED");
    assert.fieldEquals("StatusChange", row, "by", CARRIER.toHexString());
    assert.fieldEquals("StatusChange", row, "shipment", SHIPMENT.toHexString());
    assert.fieldEquals("Shipment", SHIPMENT.toHexString(), "status", "DEPARTED");
  });

  test("a status change of an unknown shipment keeps the row and creates no shipment", () => {
    let other = Bytes.fromHexString("0x5111000000000000000000000000000000000000000000000000000000000002");
    handleShipmentStatusChanged(createShipmentStatusChanged(other, FILED, DEPARTED, 102, T0 + DAY));
    assert.notInStore("Shipment", other.toHexString());
    assert.entityCount("StatusChange", 1);
  });
});
