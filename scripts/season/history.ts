/**
 * The season's history, as data: fourteen weeks of regular shipments by seven traders before the season proper, so
 * that the rules which judge a shipment against its exporter's or its mill's past (VOLUME_SURGE, NEW_LANE,
 * HEAT_DISPERSION, ROUTE_CHANGE; subgraph/src/history/) have something to judge against. One shipment of each
 * rule is planted; four look-alikes resemble them closely and must stay quiet.
 *
 * Week w of the rules is floor(block time / 604800); history week 0 starts on such a boundary, and the season proper
 * files in history week 14, after the history. The statistics each case was built against are in its description.
 */
import { BusinessRole } from "./actors";
import { HTS, type ActorSpec, type Lane } from "./cast";
import type { PlantedFraud, RiskRule } from "./plan";

/** A trader of the history: it sells steel made by a lane's mill, and ships from that lane's port. */
export interface Trader extends Lane {
  /** Short code in the shipments' keys. */
  code: string;
}

/** The importer the history adds: HEAT_DISPERSION needs a heat spread over four importers. */
export const HISTORY_IMPORTER = "Bayou Fabricators";
const GULF = "Gulf Coast Pipe Supply";
const PACIFIC = "Pacific Steel Imports";
const ATLANTIC = "Atlantic Metals Inc";
const FOUR_IMPORTERS = [GULF, PACIFIC, ATLANTIC, HISTORY_IMPORTER];

const trader = (code: string, name: string, country: string, port: string, mill: string, chamber: string): Trader => ({
  code,
  exporter: name,
  country,
  port,
  mill,
  chamber,
});
export const TRADERS = {
  busan: trader("BST", "Busan Steel Trading", "KR", "KRPUS", "POSCO Pohang", "KCCI Seoul"),
  izmir: trader("IZM", "Izmir Metal Trade", "TR", "TRIZM", "Erdemir Eregli", "TOBB Istanbul"),
  monterrey: trader("MXT", "Monterrey Trading", "MX", "MXZLO", "Ternium Monterrey", "CANACERO"),
  marmara: trader("MAR", "Marmara Steel Trading", "TR", "TRMER", "Erdemir Eregli", "TOBB Istanbul"),
  hamburg: trader("HST", "Hamburg Steel Trading", "DE", "DEHAM", "Salzgitter Flachstahl", "IHK Hamburg"),
  haiphong: trader("HPH", "Haiphong Steel Trading", "VN", "VNHPH", "Hoa Phat Dung Quat", "VCCI HCMC"),
  chennai: trader("CHE", "Chennai Steel Exports", "IN", "INMAA", "JSW Vijayanagar", "FIEO Mumbai"),
};

/** A heat issued for the history: `<country>-<n>` (heat number `<country><4400+n>`), its mill and tonnage. */
export interface HistoryHeat {
  country: string;
  n: number;
  mill: string;
  kg: bigint;
}
const MX_HEATS = [11, 12, 13, 14, 15, 16];
const TR_HEATS = [11, 12, 13, 14, 15, 16, 17];
/** Each heat certifies more than the history links from it: mtrs-near-limit stays about certificate reuse. */
export const HISTORY_HEATS: HistoryHeat[] = [
  ...MX_HEATS.map((n) => ({ country: "MX", n, mill: "Ternium Monterrey", kg: 100_000n })),
  ...TR_HEATS.map((n) => ({ country: "TR", n, mill: "Erdemir Eregli", kg: 50_000n })),
];

export interface HistoryLine {
  hts: bigint;
  kg: bigint;
  /** Label of the history heat that backs the whole line (steel lines need one). */
  heat?: string;
}

export interface HistoryShipment {
  key: string;
  /** History week, 0–13. */
  week: number;
  trader: Trader;
  importer: string;
  lines: HistoryLine[];
  transshipment?: string[];
  planted?: PlantedFraud;
  /** The history rule it resembles without meeting it. */
  lookAlike?: RiskRule;
  description: string;
}

export const HISTORY_WEEKS = 14;

const fittings = (tonnes: number): HistoryLine => ({ hts: HTS.fittings, kg: BigInt(tonnes) * 1000n });
const pipeFrom = (country: string, n: number, tonnes: number): HistoryLine => ({
  hts: HTS.weldedPipe,
  kg: BigInt(tonnes) * 1000n,
  heat: `${country}-${n}`,
});
const keyOf = (t: Trader, week: number): string => `H${String(week).padStart(2, "0")}-${t.code}`;
const weeks = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Busan Steel Trading ships 18 t and 22 t of steel articles to Gulf Coast in turn, every week (weekly mean 20 t,
 * σ 2 t). In week 10 the week's load goes to Pacific instead: NEW_LANE (ten earlier shipments, a lane never seen).
 * In week 13 it ships 96 t: VOLUME_SURGE (96 t > 20 + 3 × 2 = 26 t, and ≥ 2 × 20 t).
 */
function busan(): HistoryShipment[] {
  const t = TRADERS.busan;
  const regular = weeks(0, 12).map((week): HistoryShipment => ({
    key: keyOf(t, week),
    week,
    trader: t,
    importer: week === 10 ? PACIFIC : GULF,
    lines: [fittings(week % 2 === 0 ? 18 : 22)],
    description: `${t.exporter}: the weekly load of steel articles`,
  }));
  regular[10] = {
    ...regular[10],
    planted: { fraud: "new lane: a regular exporter's first load to another importer", expectedRules: ["NEW_LANE"] },
    description: `${t.exporter}: after ten loads to Gulf Coast, the week's load goes to Pacific Steel Imports`,
  };
  return [
    ...regular,
    {
      key: keyOf(t, 13),
      week: 13,
      trader: t,
      importer: GULF,
      lines: [fittings(96)],
      planted: { fraud: "volume surge: 96 t in a week against 20 t ± 2 t", expectedRules: ["VOLUME_SURGE"] },
      description: `${t.exporter}: 96 t in one week, after twelve weeks of 18–22 t`,
    },
  ];
}

/**
 * Izmir Metal Trade is seasonal: three weeks of 10 t, three of 40 t, in turn (baseline of week 13: mean 25 t,
 * σ 15 t). Its week-13 rise to 64 t is more than twice the mean but under mean + 3σ = 70 t: no VOLUME_SURGE.
 */
function izmir(): HistoryShipment[] {
  const t = TRADERS.izmir;
  return weeks(0, 13).map((week) => {
    const tonnes = week === 13 ? 64 : Math.floor(week / 3) % 2 === 0 ? 10 : 40;
    return {
      key: keyOf(t, week),
      week,
      trader: t,
      importer: ATLANTIC,
      lines: [fittings(tonnes)],
      ...(week === 13 ? { lookAlike: "VOLUME_SURGE" as const } : {}),
      description:
        week === 13
          ? `${t.exporter}: a seasonal rise to 64 t (baseline 25 t ± 15 t, threshold 70 t)`
          : `${t.exporter}: the weekly load, ${tonnes} t in this season`,
    };
  });
}

/**
 * Monterrey Trading ships 20 t of Ternium welded pipe every week to its four importers in turn. Heats MX-11…15
 * each go to one importer; heat MX-16 is split over all four, one load a week: the fourth link (week 8) makes four
 * distinct importers where the mill's five other heats have one each (threshold 1 + 3 × 0): HEAT_DISPERSION.
 */
function monterrey(): HistoryShipment[] {
  const t = TRADERS.monterrey;
  return weeks(0, 8).map((week) => {
    const heat = week < 5 ? MX_HEATS[week] : MX_HEATS[5];
    const shipment: HistoryShipment = {
      key: keyOf(t, week),
      week,
      trader: t,
      importer: FOUR_IMPORTERS[week % 4],
      lines: [pipeFrom("MX", heat, 20)],
      description: `${t.exporter}: 20 t of welded pipe from heat MX-${heat}`,
    };
    if (week === 8) {
      shipment.planted = {
        fraud: "heat dispersion: one heat spread over four importers, the mill's other heats over one",
        expectedRules: ["HEAT_DISPERSION"],
      };
      shipment.description = `${t.exporter}: the fourth importer of heat MX-16 (its mill's other heats: one each)`;
    }
    return shipment;
  });
}

/**
 * Marmara Steel Trading sells Erdemir heats TR-11…16 (50 t) to all four of its importers, 10 t each: the mill's
 * heats spread as a rule (TR-17 went to one importer). Heats 11–13 reach four importers in week 3 (the other heats
 * then have 3, 3, 1, 1, 1, 1: mean + 3σ ≥ 4.5), heats 14–16 in week 6 (≥ 5.8): no HEAT_DISPERSION.
 */
function marmara(): HistoryShipment[] {
  const t = TRADERS.marmara;
  const [first, second] = [TR_HEATS.slice(0, 3), TR_HEATS.slice(3, 6)];
  const plan: [string, number[]][] = [
    [GULF, TR_HEATS],
    [PACIFIC, first],
    [ATLANTIC, first],
    [HISTORY_IMPORTER, first],
    [PACIFIC, second],
    [ATLANTIC, second],
    [HISTORY_IMPORTER, second],
  ];
  return plan.map(([importer, heats], week) => {
    const names = heats.map((n) => `TR-${n}`).join(", ");
    const fourth = importer === HISTORY_IMPORTER;
    return {
      key: keyOf(t, week),
      week,
      trader: t,
      importer,
      lines: heats.map((n) => pipeFrom("TR", n, 10)),
      ...(fourth ? { lookAlike: "HEAT_DISPERSION" as const } : {}),
      description: fourth
        ? `${t.exporter}: the fourth importer of heats ${names}, as usual at this mill`
        : `${t.exporter}: 10 t of welded pipe from each of heats ${names}`,
    };
  });
}

/** Hamburg Steel Trading ships direct to Pacific five times, then through Rotterdam: ROUTE_CHANGE. */
function hamburg(): HistoryShipment[] {
  const t = TRADERS.hamburg;
  return weeks(8, 13).map((week) => ({
    key: keyOf(t, week),
    week,
    trader: t,
    importer: PACIFIC,
    lines: [fittings(20)],
    ...(week === 13
      ? {
          transshipment: ["NL"],
          planted: {
            fraud: "route change: five direct loads, then through Rotterdam",
            expectedRules: ["ROUTE_CHANGE"],
          },
          description: `${t.exporter}: after five direct loads, routed through the Netherlands`,
        }
      : { description: `${t.exporter}: a direct load` }),
  }));
}

/** Haiphong Steel Trading always ships through Singapore: its sixth load, routed so too, is no ROUTE_CHANGE. */
function haiphong(): HistoryShipment[] {
  const t = TRADERS.haiphong;
  return weeks(8, 13).map((week) => ({
    key: keyOf(t, week),
    week,
    trader: t,
    importer: ATLANTIC,
    lines: [fittings(15)],
    transshipment: ["SG"],
    ...(week === 13 ? { lookAlike: "ROUTE_CHANGE" as const } : {}),
    description: `${t.exporter}: through Singapore, as always`,
  }));
}

/** Chennai Steel Exports: three loads to Gulf Coast, then one to Pacific: too little history for NEW_LANE. */
function chennai(): HistoryShipment[] {
  const t = TRADERS.chennai;
  return weeks(10, 13).map((week) => ({
    key: keyOf(t, week),
    week,
    trader: t,
    importer: week === 13 ? PACIFIC : GULF,
    lines: [fittings(12)],
    ...(week === 13 ? { lookAlike: "NEW_LANE" as const } : {}),
    description:
      week === 13 ? `${t.exporter}: a first load to Pacific, with three loads behind it` : `${t.exporter}: a load`,
  }));
}

/** Every shipment of the history, in filing order (by week, then trader). */
export function historyShipments(): HistoryShipment[] {
  const all = [busan(), izmir(), monterrey(), marmara(), hamburg(), haiphong(), chennai()].flat();
  return all.sort((a, b) => a.week - b.week);
}

/** The actors the history adds to the cast: its traders (exporters) and the fourth importer. */
export function historyCast(): ActorSpec[] {
  return [
    ...Object.values(TRADERS).map((t) => ({ name: t.exporter, roles: BusinessRole.Exporter, country: t.country })),
    { name: HISTORY_IMPORTER, roles: BusinessRole.Importer, country: "US" },
  ];
}
