// Rules on the filing itself: LATE_FILING, and SIGNED_FIELD_MISMATCH on the credentials anchored into its pouch.
import { BigInt } from "@graphprotocol/graph-ts";
import { Shipment, SignedAnchoring } from "../../generated/schema";
import { Finding } from "./finding";
import { LATE_FILING, SIGNED_FIELD_MISMATCH } from "./table";

/** 24 hours: a filing later than this before the estimated arrival is late. */
export const LATE_FILING_SECONDS: i64 = 24 * 3600;

/**
 * "filed 12 h before the estimated arrival; …": the lead time to the nearest minute (a filing a few seconds after
 * the arrival minus 12 h still reads 12 h), for an analyst to read.
 */
export function lateFilingExplanation(leadSeconds: i64): string {
  let before = leadSeconds >= 0;
  let totalMinutes = ((before ? leadSeconds : -leadSeconds) + 30) / 60;
  let minutes = totalMinutes % 60;
  let span = (totalMinutes / 60).toString() + " h" + (minutes > 0 ? " " + minutes.toString() + " min" : "");
  let required = (LATE_FILING_SECONDS / 3600).toString();
  return "filed " + span + (before ? " before" : " after") + " the estimated arrival; due " + required + " h before";
}

/** LATE_FILING: the first filing came less than LATE_FILING_SECONDS before the current estimated arrival. */
export function lateFiling(shipment: Shipment): Finding | null {
  if (!shipment.filedAt.plus(BigInt.fromI64(LATE_FILING_SECONDS)).gt(shipment.estimatedArrival)) return null;
  let lead = shipment.estimatedArrival.minus(shipment.filedAt).toI64();
  return new Finding(LATE_FILING, "filing", lateFilingExplanation(lead));
}

/** SIGNED_FIELD_MISMATCH: an active record was anchored with fields its issuer did not sign. */
export function signedFieldMismatch(anchoring: SignedAnchoring): Finding | null {
  if (anchoring.fieldsMatch || !anchoring.active) return null; // CBP revoking the record is the remedy
  let hex = anchoring.id.toHexString();
  let f = new Finding(
    SIGNED_FIELD_MISMATCH,
    "signed:" + hex,
    "record " + hex + " differs from its issuer-signed credential: " + anchoring.mismatchedFields.join("; "),
  );
  f.document = anchoring.id;
  return f;
}
