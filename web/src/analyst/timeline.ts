/**
 * A shipment's life in order: filed, amended, departed, holds and requests for information, arrived, released or
 * refused — from its versions, status changes and CBP actions, ordered by block (then by the order events of one
 * block happen in).
 */
export interface StatusChangeRow {
  id: string;
  from: string;
  to: string;
  by: string;
  reasonCode: string;
  timestamp: string;
  blockNumber: string;
}
export interface CbpActionRow {
  id: string;
  kind: string;
  reasonCode: string;
  by: string;
  activeHolds: number | null;
  timestamp: string;
  blockNumber: string;
}
export interface VersionRow {
  version: number;
  filedBy: string;
  timestamp: string;
  blockNumber: string;
}

export interface TimelineEvent {
  /** What happened, in words. */
  what: string;
  /** Who did it (an address). */
  by: string;
  reasonCode?: string;
  timestamp: number;
  block: number;
  /** For styling: a hold is shown as such. */
  kind: "filed" | "amended" | "status" | "hold" | "lift" | "information" | "examination";
}

const ACTION_WORDS: Record<string, [string, TimelineEvent["kind"]]> = {
  HOLD_PLACED: ["Hold placed", "hold"],
  HOLD_LIFTED: ["Hold lifted", "lift"],
  INFORMATION_REQUESTED: ["Information requested (CF28)", "information"],
  EXAMINATION_ORDERED: ["Examination ordered", "examination"],
};

const STATUS_WORDS: Record<string, string> = {
  DEPARTED: "Departed",
  ARRIVED: "Arrived",
  RELEASED: "Released",
  REFUSED: "Refused",
  FILED: "Back to filed",
};

export function timeline(input: {
  versions: VersionRow[];
  statusChanges: StatusChangeRow[];
  cbpActions: CbpActionRow[];
}): TimelineEvent[] {
  const events: (TimelineEvent & { order: number })[] = [];
  for (const v of input.versions) {
    events.push({
      what: v.version === 1 ? "Filed" : `Amended (version ${v.version})`,
      by: v.filedBy,
      timestamp: Number(v.timestamp),
      block: Number(v.blockNumber),
      kind: v.version === 1 ? "filed" : "amended",
      order: 0,
    });
  }
  for (const c of input.statusChanges) {
    events.push({
      what: STATUS_WORDS[c.to] ?? c.to,
      by: c.by,
      reasonCode: c.reasonCode,
      timestamp: Number(c.timestamp),
      block: Number(c.blockNumber),
      kind: "status",
      order: 2,
    });
  }
  for (const a of input.cbpActions) {
    const [what, kind] = ACTION_WORDS[a.kind] ?? [a.kind, "information"];
    const holds = a.activeHolds === null || a.activeHolds === undefined ? "" : ` (${a.activeHolds} in force)`;
    events.push({
      what: kind === "hold" || kind === "lift" ? `${what}${holds}` : what,
      by: a.by,
      reasonCode: a.reasonCode,
      timestamp: Number(a.timestamp),
      block: Number(a.blockNumber),
      kind,
      order: 1,
    });
  }
  // Within one block: the filing, then CBP's actions, then the status change they led to.
  events.sort((a, b) => a.block - b.block || a.order - b.order);
  return events.map(({ order: _order, ...e }) => e);
}
