// The timeseries data points the tonnage aggregations sum: ShippedTonnage per line of a filed shipment and
// CertifiedTonnage per mill test report issued. graph-node sets a data point's id and timestamp itself; the values
// set here (unique per data point, the block time in microseconds) are what it would set, for stores that keep them.
import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { CertifiedTonnage, ShippedTonnage, Shipment, ShipmentLine } from "../generated/schema";
import { laneOf } from "./history/newLane";

/** A data point id unique per block, log and line (at most 999 lines, far fewer than 2^10 logs per block). */
function dataPointId(event: ethereum.Event, index: i32): i64 {
  return (event.block.number.toI64() << 30) | (event.logIndex.toI64() << 10) | (<i64>index);
}

/** Timestamp values are microseconds since the epoch. */
function microseconds(event: ethereum.Event): i64 {
  return event.block.timestamp.toI64() * 1000000;
}

/** One ShippedTonnage data point per current line of the freshly filed `shipment`. */
export function writeShippedTonnage(shipment: Shipment, event: ethereum.Event): void {
  for (let i = 0; i < shipment.lineCount; i++) {
    let line = ShipmentLine.load(shipment.id.concatI32(i));
    if (line == null) continue;
    let point = new ShippedTonnage(dataPointId(event, i));
    point.timestamp = microseconds(event);
    point.exporter = shipment.exporter;
    point.importer = shipment.importer;
    point.meltCountry = line.originCountry;
    point.htsChapter = line.htsChapter.toString();
    point.port = shipment.portOfEntry;
    point.lane = laneOf(shipment.exporter, shipment.importer, line.originCountry);
    point.kg = line.declaredKg;
    point.save();
  }
}

/** One CertifiedTonnage data point for a report issued by `issuer`, melted in `meltCountry`, certifying `kg`. */
export function writeCertifiedTonnage(issuer: Bytes, meltCountry: string, kg: BigInt, event: ethereum.Event): void {
  let point = new CertifiedTonnage(dataPointId(event, 0));
  point.timestamp = microseconds(event);
  point.mill = issuer;
  point.meltCountry = meltCountry;
  point.kg = kg;
  point.save();
}
