// The history rules judged when a shipment is filed (VOLUME_SURGE, NEW_LANE, ROUTE_CHANGE), then the exporter's
// statistics brought up to date. Every rule reads the history as it was before this filing, except VOLUME_SURGE,
// whose observed week includes this shipment.
import { ethereum } from "@graphprotocol/graph-ts";
import { Shipment } from "../../generated/schema";
import { judgeNewLanes } from "./newLane";
import { judgeRouteChange } from "./routeChange";
import { loadExporterHistory, weekOf } from "./statistics";
import { judgeVolumeSurge } from "./volumeSurge";

/** Judges the filing of `shipment` (its lines saved, the shipment itself saved by the caller afterwards). */
export function judgeFiling(shipment: Shipment, event: ethereum.Event): void {
  let week = weekOf(event.block.timestamp);
  let history = loadExporterHistory(shipment.exporter, week);
  judgeVolumeSurge(shipment, history, week, event);
  judgeNewLanes(shipment, history, event);
  judgeRouteChange(shipment, history, event);
  history.filedShipments = history.filedShipments + 1;
  if (shipment.transshipmentCountries.length > 0) history.routedShipments = history.routedShipments + 1;
  history.save();
}
