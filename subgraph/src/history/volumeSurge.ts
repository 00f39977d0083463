// VOLUME_SURGE (severity 20): exporter E's declared kilograms in week w, this shipment included, against E's weekly
// kilograms in weeks w-12 … w-1 (12 values, empty weeks count 0), once E's first filing is in week w-6 or earlier.
// Fires when observed > mean + 3σ (population σ) and observed ≥ 2 × mean. Judged at filing.
import { BigInt, ethereum } from "@graphprotocol/graph-ts";
import { ExporterHistory, Shipment } from "../../generated/schema";
import { VOLUME_SURGE } from "../rules/table";
import { keepHistoryFinding } from "./findings";
import { addWeekKg, exceedsMeanPlus3Sigma, meanOf, oneDecimal, sigmaOf, weekKgOf } from "./statistics";

/** Weeks of baseline before the filing's week. */
export const SURGE_BASELINE_WEEKS: i32 = 12;
/** The exporter's first filing must be at least this many weeks before the filing's week. */
export const SURGE_MIN_HISTORY_WEEKS: i32 = 6;

/** Adds the shipment's kilograms to its week and keeps a VOLUME_SURGE finding when the week surges. */
export function judgeVolumeSurge(shipment: Shipment, history: ExporterHistory, week: i32, event: ethereum.Event): void {
  addWeekKg(history, week, shipment.totalDeclaredKg);
  if (history.firstFiledWeek > week - SURGE_MIN_HISTORY_WEEKS) return;
  let observed = weekKgOf(history, week);
  let sum = BigInt.zero();
  let sumOfSquares = BigInt.zero();
  for (let k = 1; k <= SURGE_BASELINE_WEEKS; k++) {
    let kg = weekKgOf(history, week - k);
    sum = sum.plus(kg);
    sumOfSquares = sumOfSquares.plus(kg.times(kg));
  }
  let n = SURGE_BASELINE_WEEKS;
  // observed ≥ 2 × sum / n, in integers
  let twiceMean = observed.times(BigInt.fromI32(n)).ge(sum.times(BigInt.fromI32(2)));
  if (!twiceMean || !exceedsMeanPlus3Sigma(n, sum, sumOfSquares, observed)) return;
  let mean = meanOf(n, sum);
  let sigma = sigmaOf(n, sum, sumOfSquares);
  let explanation =
    "exporter " +
    shipment.exporter.toHexString() +
    " declared " +
    observed.toString() +
    " kg in week " +
    week.toString() +
    " (this shipment's " +
    shipment.totalDeclaredKg.toString() +
    " kg included); weeks " +
    (week - n).toString() +
    "-" +
    (week - 1).toString() +
    " average " +
    oneDecimal(mean) +
    " kg a week with σ " +
    oneDecimal(sigma) +
    " kg: above the threshold mean + 3σ = " +
    oneDecimal(mean + 3 * sigma) +
    " kg and at least 2 × mean = " +
    oneDecimal(2 * mean) +
    " kg";
  keepHistoryFinding(shipment, VOLUME_SURGE, "week:" + week.toString(), explanation, -1, shipment.exporter, event);
}
