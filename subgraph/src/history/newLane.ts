// NEW_LANE (severity 10): a line's lane (exporter, importer, the line's declared origin country) never seen before
// for this exporter, while the exporter already has 4 or more earlier filed shipments. One finding per new lane.
// Judged at filing; every lane a filing uses is remembered, flagged or not.
import { Bytes, ethereum } from "@graphprotocol/graph-ts";
import { ExporterHistory, ExporterLane, Shipment, ShipmentLine } from "../../generated/schema";
import { NEW_LANE } from "../rules/table";
import { keepHistoryFinding } from "./findings";

/** Earlier filed shipments the exporter needs for a new lane to stand out. */
export const NEW_LANE_MIN_SHIPMENTS: i32 = 4;

/** The lane key "<exporter hex>><importer hex>><origin country>" (ShippedTonnage.lane). */
export function laneOf(exporter: Bytes, importer: Bytes, originCountry: string): string {
  return exporter.toHexString() + ">" + importer.toHexString() + ">" + originCountry;
}

/** Remembers the lanes of the shipment's current lines and keeps a NEW_LANE finding for each one first seen. */
export function judgeNewLanes(shipment: Shipment, history: ExporterHistory, event: ethereum.Event): void {
  let earlier = history.filedShipments;
  for (let i = 0; i < shipment.lineCount; i++) {
    let line = ShipmentLine.load(shipment.id.concatI32(i));
    if (line == null) continue;
    let lane = laneOf(shipment.exporter, shipment.importer, line.originCountry);
    if (ExporterLane.load(lane) != null) continue;
    let row = new ExporterLane(lane);
    row.exporter = shipment.exporter;
    row.importer = shipment.importer;
    row.originCountry = line.originCountry;
    row.firstShipment = shipment.id;
    row.firstFiledAt = event.block.timestamp;
    row.save();
    let knownLanes = history.lanes;
    history.lanes = knownLanes + 1;
    if (earlier < NEW_LANE_MIN_SHIPMENTS) continue;
    let explanation =
      "line " +
      i.toString() +
      " opens lane " +
      lane +
      " (importer " +
      shipment.importer.toHexString() +
      ", origin " +
      line.originCountry +
      "): new for an exporter with " +
      earlier.toString() +
      " earlier shipments (threshold " +
      NEW_LANE_MIN_SHIPMENTS.toString() +
      ") on " +
      knownLanes.toString() +
      " other lanes";
    keepHistoryFinding(shipment, NEW_LANE, "lane:" + lane, explanation, i, shipment.exporter, event);
  }
}
