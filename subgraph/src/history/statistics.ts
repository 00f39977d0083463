// The running statistics the history rules share, each updated with constant work per event: an exporter's counts
// and 13-week ring of declared kilograms, its lanes, a heat's distinct importers and a mill's count / sum /
// sum-of-squares of importers per linked heat. Mappings cannot query aggregations, so the rules read these.
import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import { ExporterHistory, HeatDispersion, HeatImporter, MillDispersion } from "../../generated/schema";

/** Seconds in a week: week index w = floor(block time / WEEK_SECONDS). */
export const WEEK_SECONDS: i64 = 604800;
/** Weeks the exporter ring keeps: the current week and the 12 before it. */
export const RING_WEEKS: i32 = 13;

export function weekOf(timestamp: BigInt): i32 {
  return <i32>(timestamp.toI64() / WEEK_SECONDS);
}

/** The exporter's history, or a fresh one (not saved) whose first filing is `week`. */
export function loadExporterHistory(exporter: Bytes, week: i32): ExporterHistory {
  let history = ExporterHistory.load(exporter);
  if (history != null) return history;
  history = new ExporterHistory(exporter);
  history.firstFiledWeek = week;
  history.filedShipments = 0;
  history.routedShipments = 0;
  history.lanes = 0;
  let slots = new Array<i32>(RING_WEEKS);
  let kg = new Array<BigInt>(RING_WEEKS);
  for (let i = 0; i < RING_WEEKS; i++) {
    slots[i] = -1;
    kg[i] = BigInt.zero();
  }
  history.weekSlots = slots;
  history.weekKg = kg;
  return history;
}

/** Kilograms the ring holds for `week` (0 for a week without filings or one the ring no longer holds). */
export function weekKgOf(history: ExporterHistory, week: i32): BigInt {
  let slot = week % RING_WEEKS;
  return history.weekSlots[slot] == week ? history.weekKg[slot] : BigInt.zero();
}

/** Adds `kg` to `week` in the ring, reusing the slot of the week 13 weeks earlier. */
export function addWeekKg(history: ExporterHistory, week: i32, kg: BigInt): void {
  let slot = week % RING_WEEKS;
  let slots = history.weekSlots;
  let totals = history.weekKg;
  if (slots[slot] != week) {
    slots[slot] = week;
    totals[slot] = BigInt.zero();
  }
  totals[slot] = totals[slot].plus(kg);
  history.weekSlots = slots;
  history.weekKg = totals;
}

/**
 * Whether `observed` > mean + 3σ (population σ) of n values with sum `sum` and sum of squares `sumOfSquares`,
 * exactly: with d = n·observed − sum, that is d > 0 and d² > 9·(n·sumOfSquares − sum²).
 */
export function exceedsMeanPlus3Sigma(n: i32, sum: BigInt, sumOfSquares: BigInt, observed: BigInt): boolean {
  let count = BigInt.fromI32(n);
  let d = count.times(observed).minus(sum);
  if (d.le(BigInt.zero())) return false;
  let spread = count.times(sumOfSquares).minus(sum.times(sum));
  return d.times(d).gt(spread.times(BigInt.fromI32(9)));
}

/** Mean of n values with sum `sum`. */
export function meanOf(n: i32, sum: BigInt): f64 {
  return n == 0 ? 0 : parseFloat(sum.toString()) / <f64>n;
}

/** Population standard deviation of n values with sum `sum` and sum of squares `sumOfSquares`. */
export function sigmaOf(n: i32, sum: BigInt, sumOfSquares: BigInt): f64 {
  if (n == 0) return 0;
  let spread = BigInt.fromI32(n).times(sumOfSquares).minus(sum.times(sum));
  return Math.sqrt(parseFloat(spread.toString())) / <f64>n;
}

/** `value` with one decimal, for an analyst to read ("14500.0"). */
export function oneDecimal(value: f64): string {
  let tenths = <i64>Math.round(value * 10);
  let sign = tenths < 0 ? "-" : "";
  if (tenths < 0) tenths = -tenths;
  return sign + (tenths / 10).toString() + "." + (tenths % 10).toString();
}

/** The heat's distinct-importer count, created (not saved) at 0. */
export function loadHeatDispersion(heat: Bytes, mill: Bytes): HeatDispersion {
  let dispersion = HeatDispersion.load(heat);
  if (dispersion != null) return dispersion;
  dispersion = new HeatDispersion(heat);
  dispersion.heat = heat;
  dispersion.mill = mill;
  dispersion.importers = 0;
  return dispersion;
}

/** Records `importer` for `heat`; false when it was already counted. */
export function addHeatImporter(heat: Bytes, importer: Bytes, shipment: Bytes): boolean {
  let id = heat.concat(importer);
  if (HeatImporter.load(id) != null) return false;
  let row = new HeatImporter(id);
  row.heat = heat;
  row.importer = importer;
  row.shipment = shipment;
  row.save();
  return true;
}

/** The mill's per-heat statistics, created (not saved) empty. */
export function loadMillDispersion(mill: Bytes): MillDispersion {
  let stats = MillDispersion.load(mill);
  if (stats != null) return stats;
  stats = new MillDispersion(mill);
  stats.linkedHeats = 0;
  stats.importerSum = BigInt.zero();
  stats.importerSumOfSquares = BigInt.zero();
  return stats;
}

/** Moves one heat's count from `before` to `before + 1` in the mill's count / sum / sum of squares. */
export function countOneMoreImporter(stats: MillDispersion, before: i32): void {
  if (before == 0) stats.linkedHeats = stats.linkedHeats + 1;
  stats.importerSum = stats.importerSum.plus(BigInt.fromI32(1));
  stats.importerSumOfSquares = stats.importerSumOfSquares.plus(BigInt.fromI32(2 * before + 1));
}
