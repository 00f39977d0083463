/** What test/subgraph/scenario.ts produces and the subgraph test checks (kept apart: importing the scenario runs it). */
import { HARDNESS_SCALES } from "../../scripts/credentials/steelCodec";

/** What the test needs to know about the scenario. */
export interface ScenarioResult {
  deploymentsDir: string;
  actors: Record<string, string>;
  records: Record<string, string>;
  shipments: Record<string, string>;
  watchEntries: Record<string, string>;
  /** Block number of each named step. */
  steps: Record<string, number>;
  /** Block time of each named step. */
  stepTimes: Record<string, number>;
}

/** The chemistry of the heat in ppm; tin is not reported. */
export const HEAT_CHEMISTRY_PPM = {
  c: 620,
  mn: 14_500,
  p: 110,
  s: 30,
  si: 2_400,
  al: 350,
  cu: 150,
  ni: 120,
  cr: 210,
  mo: 40,
  nbCb: 280,
  v: 410,
  ti: 160,
  b: 2,
  n: 55,
  ca: 18,
  pb: 5,
  ce: 3_920,
};
/** The mechanics of the heat; reduction of area is not reported. */
export const HEAT_MECHANICS = {
  yieldStrength: 41_500,
  tensileStrength: 53_200,
  elongation: 2_850,
  charpy: 16_000,
  hardness: 8_600,
  hardnessScale: HARDNESS_SCALES.HRB,
};
