// The pouch of a clearance: the credentials anchored under one workflow instance, and what each shipment filed
// with that instance still lacks. A filing and an anchoring may come in either order; both update the other side.
import { Bytes, ethereum } from "@graphprotocol/graph-ts";
import { Pouch, Shipment, SignedAnchoring } from "../generated/schema";
import { FieldCheck } from "./signedFields";
import { evaluateShipment } from "./risk";
import { withBytes, withoutBytes } from "./util";

export const MILL_TEST_REPORT = "MILL_TEST_REPORT";
export const CERTIFICATE_OF_ORIGIN = "CERTIFICATE_OF_ORIGIN";

export function loadPouch(id: Bytes): Pouch {
  let pouch = Pouch.load(id);
  if (pouch == null) {
    pouch = new Pouch(id);
    pouch.millTestReports = 0;
    pouch.certificatesOfOrigin = 0;
    pouch.mismatches = 0;
    pouch.shipments = new Array<Bytes>();
    pouch.save();
  }
  return pouch;
}

/** What `shipment` still needs from `pouch`: an MTR for any current steel line, a certificate of origin always. */
function missingOf(shipment: Shipment, pouch: Pouch): Array<string> {
  let missing = new Array<string>();
  let steel = false;
  let lines = shipment.lines.load();
  for (let i = 0; i < lines.length; i++) if (lines[i].current && lines[i].steel) steel = true;
  if (steel && pouch.millTestReports == 0) missing.push(MILL_TEST_REPORT);
  if (pouch.certificatesOfOrigin == 0) missing.push(CERTIFICATE_OF_ORIGIN);
  return missing;
}

/**
 * Puts `shipment` (its current version filed, lines saved) in the pouch of its workflow instance, leaving the
 * pouch of `previous` (an amendment may change the instance; a first filing passes its own). The caller saves the
 * shipment.
 */
export function placeShipment(shipment: Shipment, previous: Bytes): void {
  let instance = shipment.workflowInstanceId;
  if (!previous.equals(instance)) {
    let old = loadPouch(previous);
    old.shipments = withoutBytes(old.shipments, shipment.id);
    old.save();
  }
  let pouch = loadPouch(instance);
  pouch.shipments = withBytes(pouch.shipments, shipment.id);
  pouch.save();
  shipment.pouch = pouch.id;
  shipment.missingCredentials = missingOf(shipment, pouch);
}

/** Counts `anchoring` into its pouch and re-evaluates the pouch's shipments (missing credentials, flags). */
export function addToPouch(anchoring: SignedAnchoring, check: FieldCheck, event: ethereum.Event): void {
  let pouch = loadPouch(anchoring.pouch);
  if (anchoring.kind == MILL_TEST_REPORT) pouch.millTestReports += 1;
  else pouch.certificatesOfOrigin += 1;
  if (check.mismatched.length > 0) pouch.mismatches += 1;
  pouch.save();
  refreshShipments(pouch, event);
}

/** Takes a revoked or superseded `anchoring` out of its pouch's counts and re-evaluates the pouch's shipments. */
export function removeFromPouch(anchoring: SignedAnchoring, event: ethereum.Event): void {
  let pouch = loadPouch(anchoring.pouch);
  if (anchoring.kind == MILL_TEST_REPORT) pouch.millTestReports -= 1;
  else pouch.certificatesOfOrigin -= 1;
  pouch.save();
  refreshShipments(pouch, event);
}

function refreshShipments(pouch: Pouch, event: ethereum.Event): void {
  let ids = pouch.shipments;
  for (let i = 0; i < ids.length; i++) {
    let shipment = Shipment.load(ids[i]);
    if (shipment == null) continue;
    shipment.missingCredentials = missingOf(shipment, pouch);
    shipment.save();
    evaluateShipment(shipment.id, event);
  }
}
