// HEAT_DISPERSION (severity 20): heat = (mill, heat number). Counting the distinct importers of the shipments that
// linked kilograms from the heat's reports (a derived product's kilograms come from its origin heats): fires on
// a link that brings the count to 4 or more and above the mill's mean + 3σ of distinct importers per heat over
// its other linked heats; that second test applies once the mill has 5 or more other linked heats. Judged at link.
import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { Heat, MillTestReport, Shipment } from "../../generated/schema";
import { HEAT_DISPERSION } from "../rules/table";
import { keepHistoryFinding } from "./findings";
import {
  addHeatImporter,
  countOneMoreImporter,
  exceedsMeanPlus3Sigma,
  loadHeatDispersion,
  loadMillDispersion,
  meanOf,
  oneDecimal,
  sigmaOf,
} from "./statistics";

/** Distinct importers a heat needs before it can be dispersed. */
export const DISPERSION_MIN_IMPORTERS: i32 = 4;
/** Other linked heats the mill needs before its own baseline applies. */
export const DISPERSION_MIN_OTHER_HEATS: i32 = 5;

/** Counts the shipment's importer for each origin heat of `report` and keeps a finding for a dispersed heat. */
export function judgeHeatDispersion(
  shipment: Shipment,
  report: MillTestReport,
  lineIndex: i32,
  event: ethereum.Event,
): void {
  let heats = report.originHeats;
  for (let i = 0; i < heats.length; i++) {
    let heat = Heat.load(heats[i]);
    if (heat == null) continue;
    judgeHeat(shipment, heat, lineIndex, event);
  }
}

function judgeHeat(shipment: Shipment, heat: Heat, lineIndex: i32, event: ethereum.Event): void {
  if (!addHeatImporter(heat.id, shipment.importer, shipment.id)) return;
  let dispersion = loadHeatDispersion(heat.id, heat.mill);
  let stats = loadMillDispersion(heat.mill);
  let before = dispersion.importers;
  let count = before + 1;
  // the mill's other linked heats: its statistics without this heat's contribution
  let others = stats.linkedHeats - (before > 0 ? 1 : 0);
  let otherSum = stats.importerSum.minus(BigInt.fromI32(before));
  let otherSumOfSquares = stats.importerSumOfSquares.minus(BigInt.fromI32(before * before));
  dispersion.importers = count;
  dispersion.save();
  countOneMoreImporter(stats, before);
  stats.save();

  if (count < DISPERSION_MIN_IMPORTERS) return;
  let baselineApplies = others >= DISPERSION_MIN_OTHER_HEATS;
  let observed = BigInt.fromI32(count);
  if (baselineApplies && !exceedsMeanPlus3Sigma(others, otherSum, otherSumOfSquares, observed)) return;
  let baseline = "";
  if (baselineApplies) {
    let mean = meanOf(others, otherSum);
    let sigma = sigmaOf(others, otherSum, otherSumOfSquares);
    baseline =
      "; the mill's " +
      others.toString() +
      " other linked heats average " +
      oneDecimal(mean) +
      " importers with σ " +
      oneDecimal(sigma) +
      ", threshold mean + 3σ = " +
      oneDecimal(mean + 3 * sigma);
  } else {
    baseline =
      "; the mill has " +
      others.toString() +
      " other linked heats, fewer than the " +
      DISPERSION_MIN_OTHER_HEATS.toString() +
      " its own baseline needs";
  }
  let explanation =
    "heat " +
    heat.heatNumber +
    " of mill " +
    heat.mill.toHexString() +
    " reached " +
    count.toString() +
    " distinct importers with importer " +
    shipment.importer.toHexString() +
    " (threshold " +
    DISPERSION_MIN_IMPORTERS.toString() +
    ")" +
    baseline;
  keepHistoryFinding(shipment, HEAT_DISPERSION, "heat:" + heat.id.toHexString(), explanation, lineIndex, null, event);
}

/** Judges the link of `report` to line `lineIndex` of shipment `id` and saves the shipment if it gained a finding. */
export function judgeReportLink(id: Bytes, report: MillTestReport, lineIndex: i32, event: ethereum.Event): void {
  let shipment = Shipment.load(id);
  if (shipment == null) return;
  let kept = shipment.historyFindings.length;
  judgeHeatDispersion(shipment, report, lineIndex, event);
  if (shipment.historyFindings.length != kept) shipment.save();
}
