/**
 * What the season of `npm start` plays and what it hands over to the report: kept apart from play.ts, which runs
 * on import (it is a `hardhat run` script), so the report and the tests can read the types and the fraud list.
 */

import type { RiskRule } from "../lib/risk-rules";

export type { RiskRule };

/** A fraud planted in the season, and the rules the subgraph must raise for it. */
export interface PlantedFraud {
  fraud: string;
  expectedRules: RiskRule[];
}

/** A transaction the chain refused during the season, decoded. */
export interface Rejection {
  shipment: string;
  action: string;
  error: string;
  args: string[];
}

export interface SeasonShipment {
  /** Short name, e.g. "KR-03" or "FRAUD-reuse". */
  key: string;
  /** bytes32 shipment id (lower-case hex, the subgraph's Shipment id). */
  id: string;
  billOfLading: string;
  description: string;
  planted: PlantedFraud | null;
  /** A clean shipment built to resemble a case of this rule without meeting it (it must stay unflagged). */
  lookAlike?: RiskRule;
}

export interface SeasonActor {
  name: string;
  address: string;
  country: string;
  roles: string[];
}

export interface SeasonResult {
  deploymentsDir: string;
  network: string;
  actors: SeasonActor[];
  shipments: SeasonShipment[];
  rejections: Rejection[];
  /** A pipe derived from coil (for the lineage query). */
  pipeReport: string;
  /** An importer address (for the party query). */
  importer: string;
  /** Block time at the end of the season. */
  now: number;
  transactions: number;
  firstBlock: number;
  lastBlock: number;
}
