// ROUTE_CHANGE (severity 20): the exporter's 4 or more earlier filed shipments all went direct (no transshipment
// countries) and this one routes through at least one transshipment country. Judged at filing.
import { ethereum } from "@graphprotocol/graph-ts";
import { ExporterHistory, Shipment } from "../../generated/schema";
import { ROUTE_CHANGE } from "../rules/table";
import { keepHistoryFinding } from "./findings";

/** Earlier direct shipments the exporter needs for a first routed one to stand out. */
export const ROUTE_CHANGE_MIN_SHIPMENTS: i32 = 4;

/** Keeps a ROUTE_CHANGE finding when a so far always-direct exporter routes this shipment through a third country. */
export function judgeRouteChange(shipment: Shipment, history: ExporterHistory, event: ethereum.Event): void {
  let via = shipment.transshipmentCountries;
  if (via.length == 0) return;
  let earlier = history.filedShipments;
  if (earlier < ROUTE_CHANGE_MIN_SHIPMENTS || history.routedShipments > 0) return;
  let explanation =
    "exporter " +
    shipment.exporter.toHexString() +
    " shipped its " +
    earlier.toString() +
    " earlier shipments direct (threshold " +
    ROUTE_CHANGE_MIN_SHIPMENTS.toString() +
    "); this one, exported from " +
    shipment.exportCountry +
    ", routes through " +
    via.join(", ");
  keepHistoryFinding(shipment, ROUTE_CHANGE, "route", explanation, -1, shipment.exporter, event);
}
