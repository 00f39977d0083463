/**
 * The shipments of the season as data: three clean ones per lane, and the planted frauds, each a row saying what is
 * planted, which rules must flag it and how its filing is built (plus what happens to it once everything is filed).
 */
import { CN_LANE, DE_LANE, HTS, KR_LANE, LANES, MX_LANE, TR_LANE, VN_LANE } from "./cast";
import type { FiledShipment, LineSpec, ShipmentSpec } from "./filing";
import { DAY, HOUR, log, type Stage } from "./stage";
import type { PlantedFraud } from "./plan";
import { id } from "./shipments";

/** Clean shipments: three per lane, heats 1–3 of its mill (the Korean lane ships the derived pipe too). */
export function cleanShipments(stage: Stage): ShipmentSpec[] {
  const clean: ShipmentSpec[] = [];
  for (const [li, lane] of LANES.entries()) {
    for (let k = 1; k <= 3; k++) {
      const report = stage.report(`${lane.country}-${k}`);
      const lines: LineSpec[] = [
        { hts: k === 2 ? HTS.weldedPipe : HTS.plate, kg: 24_000n, origin: lane.country, report },
      ];
      if (k === 3) lines.push({ hts: HTS.fittings, kg: 1_200n, origin: lane.country });
      if (lane.country === "KR" && k === 1) {
        lines.push({ hts: HTS.linePipeSeamless, kg: 30_000n, origin: "KR", report: stage.report("KR-PIPE-1") });
      }
      // The German mill's tight heat (40 t) is used up here, so that FRAUD-reuse finds too little left.
      if (lane.country === "DE" && k === 1) lines[0] = { ...lines[0], kg: 38_000n, report: stage.report("DE-9") };
      clean.push({
        key: `${lane.country}-${String(k).padStart(2, "0")}`,
        description: `${lane.exporter} to ${k === 2 ? "welded pipe" : "plate"} buyer, ${lane.country} steel`,
        lane,
        lines,
        importer: (li + k) % 3,
        byBroker: k !== 2,
        carrier: (li + k) % 3,
      });
    }
  }
  return clean;
}

/** A planted fraud: the shipment that carries it and what the subgraph must say about it. */
export interface PlantedCase {
  key: string;
  description: string;
  planted: PlantedFraud;
  /** The filing, given the reports issued so far. */
  shipment(stage: Stage): Omit<ShipmentSpec, "key" | "description" | "planted">;
  /** What happens to it once every shipment is filed. */
  afterFiling?(stage: Stage, filed: FiledShipment): Promise<void>;
}

/** The planted frauds, in filing order (FRAUD-reuse last: it needs DE-01 to have used up the heat first). */
export const PLANTED_FRAUDS: PlantedCase[] = [
  {
    key: "FRAUD-melt",
    description: "Turkish plate declared Turkish, but the mill test report shows Indian melt and pour",
    planted: { fraud: "melt-and-pour mismatch", expectedRules: ["MELT_POUR_MISMATCH"] },
    shipment: (s) => ({
      lane: TR_LANE,
      lines: [{ hts: HTS.plate, kg: 20_000n, origin: "TR", report: s.report("IN-4") }],
      importer: 0,
      byBroker: true,
      carrier: 2,
    }),
  },
  {
    key: "FRAUD-nomtr",
    description: "Mexican welded pipe filed without any mill test report",
    planted: { fraud: "missing MTR", expectedRules: ["MISSING_MTR"] },
    shipment: () => ({
      lane: MX_LANE,
      lines: [{ hts: HTS.weldedPipe, kg: 18_000n, origin: "MX" }],
      importer: 1,
      byBroker: false,
      carrier: 1,
    }),
  },
  {
    key: "FRAUD-revoked",
    description: "Vietnamese plate whose certificate of origin the chamber revokes after it was linked",
    planted: { fraud: "document revoked after linking", expectedRules: ["DOCUMENT_REVOKED"] },
    shipment: (s) => ({
      lane: VN_LANE,
      lines: [{ hts: HTS.plate, kg: 22_000n, origin: "VN", report: s.report("VN-5") }],
      importer: 1,
      byBroker: true,
      carrier: 0,
    }),
    afterFiling: async (s, filed) => {
      log("the Vietnamese chamber revokes a certificate already linked to a shipment");
      const chamber = s.wallet(VN_LANE.chamber);
      await s.send(s.registries.certificatesOfOrigin.connect(chamber).revoke(filed.coo!, id("ISSUED-IN-ERROR")));
    },
  },
  {
    key: "FRAUD-late",
    description: "Korean plate filed 12 hours before arrival",
    planted: { fraud: "late filing", expectedRules: ["LATE_FILING"] },
    shipment: (s) => ({
      lane: KR_LANE,
      lines: [{ hts: HTS.plate, kg: 16_000n, origin: "KR", report: s.report("KR-5") }],
      importer: 0,
      byBroker: false,
      carrier: 0,
      etaIn: 12n * HOUR,
    }),
  },
  {
    key: "FRAUD-route",
    description: "Chinese welded pipe under an AD/CVD order, shipped through Ho Chi Minh City",
    // Saigon Steel Trading had shipped Vietnamese steel direct four times (VN-01…03, FRAUD-revoked) when this
    // Chinese pipe goes through Vietnam: the history rules see a new lane and a new route too.
    planted: {
      fraud: "watch-listed route (transshipment + watch entry)",
      expectedRules: ["WATCHLIST", "TRANSSHIPMENT", "NEW_LANE", "ROUTE_CHANGE"],
    },
    shipment: (s) => ({
      lane: { ...CN_LANE, port: "VNSGN", exporter: VN_LANE.exporter },
      lines: [{ hts: HTS.weldedPipe, kg: 25_000n, origin: "CN", report: s.report("CN-1") }],
      importer: 2,
      byBroker: true,
      carrier: 0,
      exportCountry: "VN",
      transshipment: ["VN"],
      etaIn: 7n * DAY,
    }),
  },
  {
    key: "FRAUD-party",
    description: "Korean plate naming a manufacturer no issuer ever vouched for",
    planted: { fraud: "unverified manufacturer", expectedRules: ["UNVERIFIED_PARTY"] },
    shipment: (s) => ({
      lane: KR_LANE,
      lines: [{ hts: HTS.plate, kg: 12_000n, origin: "KR", report: s.report("KR-4") }],
      importer: 2,
      byBroker: false,
      carrier: 1,
      manufacturer: s.wallet("Unknown Steel Co").address,
    }),
  },
  {
    key: "FRAUD-reuse",
    description: "German plate claiming a heat certificate already used up by DE-01 (40 t certified, 38 t used)",
    planted: {
      fraud: "certificate reused beyond its tonnage (rejected on chain, so no MTR backs the line)",
      expectedRules: ["MISSING_MTR"],
    },
    shipment: (s) => ({
      lane: DE_LANE,
      lines: [{ hts: HTS.plate, kg: 20_000n, origin: "DE", report: s.report("DE-9") }],
      importer: 2,
      byBroker: true,
      carrier: 1,
    }),
  },
];

/** A planted case's filing spec. */
export function plantedSpec(stage: Stage, c: PlantedCase): ShipmentSpec {
  return { key: c.key, description: c.description, planted: c.planted, ...c.shipment(stage) };
}

/** The frauds filed among the clean shipments, as they would be: one after every few clean ones, the rest last. */
export function interleave(clean: ShipmentSpec[], frauds: ShipmentSpec[]): ShipmentSpec[] {
  const pending = [...frauds];
  const order: ShipmentSpec[] = [];
  const step = Math.ceil(clean.length / pending.length);
  for (let i = 0; i < clean.length; i++) {
    order.push(clean[i]);
    if (i % step === step - 1 && pending.length) order.push(pending.shift()!);
  }
  order.push(...pending);
  return order;
}
