import { Bytes } from "@graphprotocol/graph-ts";
import { afterEach, assert, beforeEach, clearStore, describe, test } from "matchstick-as/assembly/index";
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
