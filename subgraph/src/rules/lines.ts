// Rules on one shipment line: MISSING_MTR and WEIGHT_MISMATCH.
import { BigInt } from "@graphprotocol/graph-ts";
import { ShipmentLine } from "../../generated/schema";
import { Finding } from "./finding";
import { MISSING_MTR, WEIGHT_MISMATCH } from "./table";

/** Weight tolerance between a line's declared kilograms and its MTR allocations, in percent. */
export const WEIGHT_TOLERANCE_PERCENT: i32 = 2;

/** Whether an HTS number needs a mill test report: chapter 72 or headings 7301-7307 (19 CFR 141.89). */
export function isSteelHts(hts: BigInt): boolean {
  let heading = hts.div(BigInt.fromI32(1000000)).toI32();
  return heading / 100 == 72 || (heading >= 7301 && heading <= 7307);
}

function labelOf(line: ShipmentLine): string {
  return "line " + line.lineIndex.toString() + " (HTS " + line.hts.toString() + ")";
}

/** MISSING_MTR: a steel line without mill test report kilograms. */
export function missingMtr(line: ShipmentLine): Finding | null {
  if (!line.allocatedKg.isZero() || !line.steel) return null;
  let f = new Finding(MISSING_MTR, "line:" + line.lineIndex.toString(), labelOf(line) + " has no mill test report");
  f.lineIndex = line.lineIndex;
  return f;
}

/** WEIGHT_MISMATCH: a line's allocated kilograms differ from its declared ones beyond the tolerance. */
export function weightMismatch(line: ShipmentLine): Finding | null {
  if (line.allocatedKg.isZero()) return null;
  let diff = line.allocatedKg.minus(line.declaredKg).abs();
  let allowed = line.declaredKg.times(BigInt.fromI32(WEIGHT_TOLERANCE_PERCENT));
  if (!diff.times(BigInt.fromI32(100)).gt(allowed)) return null;
  let f = new Finding(
    WEIGHT_MISMATCH,
    "line:" + line.lineIndex.toString(),
    labelOf(line) +
      " declares " +
      line.declaredKg.toString() +
      " kg, mill test reports cover " +
      line.allocatedKg.toString() +
      " kg",
  );
  f.lineIndex = line.lineIndex;
  return f;
}
