/**
 * A synthetic TradeTrace season for the query benchmark, written through the store's block writer exactly as
 * the subgraph's mappings (subgraph/src/*.ts) would write it: the same entity types, id shapes
 * (`concatI32` little-endian suffixes, keccak risk-flag keys), relations, derived fields and risk flags, with
 * a new version of an entity in every block that changes it. Deterministic for a seed.
 *
 * The season: trusted issuers, a few thousand actors, CBP watch entries; then hourly blocks in which
 * shipments are filed, mill test reports (mill heats, and slab → coil → pipe lineage from processors) and
 * certificates of origin are issued and linked, statuses move filed → departed → arrived → released/refused,
 * CBP places holds, some documents are revoked after linking (and some unlinked). Every event that the
 * mappings re-evaluate re-runs the rules (a port of `evaluateShipment`), raising and clearing RiskFlags.
 *
 * Simplifications (none changes which tables, indexes and version patterns the queries meet): no amendments,
 * documents never expire, one credential per actor.
 */
import { createHash } from "node:crypto";
import { keccak256, toUtf8Bytes } from "ethers";
import { recordIdOf } from "../../scripts/lib/record-id";
import type { SchemaModel } from "../../indexer/schema/model";
import { elementKind, hexToBytes, type ElementKind } from "../../indexer/store/encoding";
import type { SqliteStore } from "../../indexer/store/sqlite";
import type { EntityData, StoreValue } from "../../indexer/store/types";
import { Prng } from "../../lib/prng";

export type V = string | number | bigint | boolean | null | V[];
export type Rec = Record<string, V>;

export interface SeasonOptions {
  shipments: number;
  seed?: number;
  /** Keep the immutable event rows (StatusChange, CbpAction, ShipmentVersion) in memory too (tests). */
  keepEvents?: boolean;
  /** Progress callback, called every few hundred blocks. */
  progress?: (block: number, blocks: number, shipments: number) => void;
}

export const HOUR = 3600;
export const DAY = 24 * HOUR;
/** Block time of the first filing block. */
export const T0 = 1_767_225_600; // 2026-01-01

const SEVERITY: Record<string, number> = {
  DOCUMENT_REVOKED: 40,
  MELT_POUR_MISMATCH: 40,
  WATCHLIST: 35,
  TRANSSHIPMENT: 30,
  UNVERIFIED_PARTY: 30,
  COO_MISMATCH: 25,
  MISSING_MTR: 20,
  WEIGHT_MISMATCH: 20,
  LATE_FILING: 10,
  NEW_PARTY: 10,
};

// BusinessRoles bits.
const MILL = 1;
const PROCESSOR = 2;
const EXPORTER = 4;
const IMPORTER = 8;
const CUSTOMS_BROKER = 16;
const CARRIER = 32;
const CERTIFIER = 64;
const ROLE_NAMES = [
  "MILL",
  "PROCESSOR",
  "EXPORTER",
  "IMPORTER",
  "CUSTOMS_BROKER",
  "CARRIER",
  "CERTIFIER",
  "LABORATORY",
];

const MILL_COUNTRIES = ["CN", "CN", "CN", "KR", "JP", "DE", "TR", "IN", "BR", "MX", "RU", "TW", "IT", "CA"];
const PROCESSOR_COUNTRIES = ["VN", "VN", "MY", "TH", "KR", "MX", "CA", "TR", "IN", "DE", "JP", "CN"];
/** Processors here mostly roll CN heats: the transshipment pattern the rules look for. */
const VIA_CHINA = new Set(["VN", "MY", "TH"]);
const PORTS_OF_ENTRY = ["USHOU", "USLAX", "USLGB", "USNYC", "USSAV", "USNOL", "USSEA", "USBAL", "USMOB", "USCHS"];
const PIPE_HTS = [7304191020n, 7304191050n, 7305111030n, 7305121030n, 7306191010n, 7306191050n, 7306301000n];
const FLAT_HTS = [7208510030n, 7208520000n, 7210490090n, 7219330035n, 7225400000n, 7228309000n];
const OTHER_HTS = [8481809050n, 7307910000n];

/** An entity record as the mapping holds it: field → plain value (hex strings for Bytes). */
interface World {
  [type: string]: Map<string, Rec>;
}

export interface SeasonResult {
  /** The entities as last written (immutable event rows only with keepEvents). */
  world: World;
  blocks: number;
  head: number;
  /** Block time of the head: the `$now` of the targeting queries. */
  now: number;
  /** Entity versions written, by type. */
  versions: Record<string, number>;
  /** Pipe MTR ids with three levels of inputs (pipe ← coil ← slab ← heat). */
  pipes: string[];
  actorsByRole: Record<string, string[]>;
}

const sha = (s: string): string => "0x" + createHash("sha256").update(s).digest("hex");
const addr = (s: string): string => sha(s).slice(0, 42);
const le32 = (n: number): string => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b.toString("hex");
};
const cat = (a: string, ...rest: string[]): string =>
  a + rest.map((x) => (x.startsWith("0x") ? x.slice(2) : x)).join("");
const utf8hex = (s: string): string => Buffer.from(s, "utf8").toString("hex");

/** 2^40, as subgraph/src/util.ts queueRank: the score first, then the earlier arrival, sorting descending. */
const RANK_SPAN = 1n << 40n;
function queueRank(riskScore: number, estimatedArrival: bigint): bigint {
  const eta = estimatedArrival > RANK_SPAN - 1n ? RANK_SPAN - 1n : estimatedArrival;
  return BigInt(riskScore) * RANK_SPAN + (RANK_SPAN - 1n - eta);
}

/** A steel line needs a mill test report: HTS chapter 72 or headings 7301-7307 (subgraph/src/pouch.ts). */
function isSteel(heading: number): boolean {
  return Math.floor(heading / 100) === 72 || (heading >= 7301 && heading <= 7307);
}

function severityOf(rule: string): number {
  return SEVERITY[rule];
}

/** A plain value as the StoreValue a field of kind `k` takes. */
function storeValue(k: ElementKind, v: V): StoreValue {
  if (v === null) return { kind: "Null" };
  if (Array.isArray(v)) return { kind: "Array", value: v.map((x) => storeValue(k, x)) };
  switch (k) {
    case "Bytes":
      return { kind: "Bytes", value: hexToBytes(v as string) };
    case "BigInt":
      return { kind: "BigInt", value: v as bigint };
    case "Int":
      return { kind: "Int", value: v as number };
    case "Int8":
      return { kind: "Int8", value: BigInt(v as bigint) };
    case "Boolean":
      return { kind: "Bool", value: v as boolean };
    default:
      return { kind: "String", value: v as string };
  }
}

interface Finding {
  rule: string;
  cause: string;
  explanation: string;
  document: string | null;
  lineIndex: number | null;
  party: string | null;
  watchEntry: string | null;
}

interface Pool {
  /** The open report lines allocate from, with its remaining kilograms. */
  mtr: string | null;
}

interface Plan {
  shipment: number;
  kind: "file" | "link" | "depart" | "arrive" | "decide" | "revoke" | "unlink";
  arg?: string;
}

/** Generates the season into `store` (a fresh one) and returns what it wrote. */
export function buildSeason(store: SqliteStore, opts: SeasonOptions): SeasonResult {
  const N = opts.shipments;
  const rng = new Prng(opts.seed ?? 20_260_101);
  const schema: SchemaModel = store.schema;
  const world: World = {};
  for (const name of schema.entities.keys()) world[name] = new Map();
  const versions: Record<string, number> = {};
  const dirty = new Map<string, Set<string>>();
  const keepEvents = opts.keepEvents === true;
  const kinds = new Map<string, Map<string, ElementKind>>();
  for (const e of schema.entities.values()) {
    kinds.set(e.name, new Map(e.fields.filter((f) => !f.derivedFrom).map((f) => [f.name, elementKind(schema, f)])));
  }

  const put = (type: string, id: string, rec: Rec): Rec => {
    world[type].set(id, rec);
    touch(type, id);
    return rec;
  };
  const touch = (type: string, id: string): void => {
    let s = dirty.get(type);
    if (!s) dirty.set(type, (s = new Set()));
    s.add(id);
  };
  const get = (type: string, id: string): Rec | undefined => world[type].get(id);

  /** An actor's assertion key (one each, registered on first use) and a signed COO anchoring into `pouch`. */
  const anchorSignedCoo = (issuer: string, pouch: string, j: number, at: number): void => {
    const key = sha(`assertion-key:${issuer}`);
    if (!get("AssertionKey", key)) {
      put("AssertionKey", key, {
        id: key,
        keyId: `${get("Actor", issuer)!.did as string}#assertion-1`,
        actor: issuer,
        x: sha(`x:${issuer}`),
        y: sha(`y:${issuer}`),
        submittedBy: issuer,
        registeredAt: BigInt(at),
        retiredAt: null,
        retiredBy: null,
      });
    }
    const anchoring = sha(`signed-coo:${j}`);
    put("SignedAnchoring", anchoring, {
      id: anchoring,
      kind: "CERTIFICATE_OF_ORIGIN",
      issuer,
      key,
      payloadHash: sha(`payload:${j}`),
      payload: JSON.stringify({ type: "CertificateOfOrigin", shipment: j }),
      recordIndex: 0,
      pouch,
      millTestReport: null,
      certificateOfOrigin: null,
      active: true,
      fieldsMatch: true,
      mismatchedFields: [],
      uncheckedFields: [],
      submittedBy: issuer,
      anchoredAt: BigInt(at),
    });
  };

  // ---- the timeline: a setup block 400 days back, then hourly blocks over the filing span
  const spanDays = Math.min(365, Math.max(30, Math.ceil(N / 274)));
  const fileBlocks = spanDays * 24;
  const blocks = 1 + fileBlocks;
  const timeOf = (block: number): number => (block === 1 ? T0 - 400 * DAY : T0 + (block - 2) * HOUR);
  const blockAt = (t: number): number => (t < T0 ? 2 : 2 + Math.ceil((t - T0) / HOUR));
  const now = timeOf(blocks);
  const plans = new Map<number, Plan[]>();
  const plan = (block: number, p: Plan): void => {
    if (block > blocks) return; // has not happened yet at the head
    let l = plans.get(block);
    if (!l) plans.set(block, (l = []));
    l.push(p);
  };

  // ---- actors
  const A = Math.max(60, Math.min(5000, Math.round(N / 33)));
  const actorsByRole: Record<string, string[]> = {
    mill: [],
    processor: [],
    exporter: [],
    importer: [],
    broker: [],
    carrier: [],
    certifier: [],
  };
  const issuers = [0, 1, 2, 3, 4].map((i) => addr(`issuer:${i}`));
  const actorCountry = new Map<string, string>();
  const onboardings: { id: string; roles: number; country: string; block: number; kind: string }[] = [];
  const layout: [string, number, number][] = [
    ["mill", MILL | EXPORTER, 0.1],
    ["processor", PROCESSOR | EXPORTER, 0.07],
    ["exporter", EXPORTER, 0.25],
    ["importer", IMPORTER, 0.35],
    ["broker", CUSTOMS_BROKER, 0.1],
    ["carrier", CARRIER, 0.05],
    ["certifier", CERTIFIER, 0.08],
  ];
  let n = 0;
  for (const [kind, roles, share] of layout) {
    const count = Math.max(kind === "carrier" ? 4 : 6, Math.round(A * share));
    for (let i = 0; i < count; i++, n++) {
      const id = addr(`actor:${kind}:${i}`);
      const country =
        kind === "mill"
          ? MILL_COUNTRIES[i % MILL_COUNTRIES.length]
          : kind === "processor"
            ? PROCESSOR_COUNTRIES[i % PROCESSOR_COUNTRIES.length]
            : kind === "importer" || kind === "broker"
              ? "US"
              : rng.pick([...MILL_COUNTRIES, ...PROCESSOR_COUNTRIES]);
      actorCountry.set(id, country);
      actorsByRole[kind].push(id);
      // 90 % onboarded in the setup block, the rest during the season (NEW_PARTY for their first 90 days)
      const block = i < 3 || rng.chance(0.9) ? 1 : rng.int(2, Math.max(2, Math.floor(blocks * 0.8)));
      onboardings.push({ id, roles, country, block, kind });
    }
  }
  const onboardedAt = new Map<string, number>();
  const mills = actorsByRole.mill;
  const millsIn = (c: string) => mills.filter((m) => actorCountry.get(m) === c);
  const supplier = new Map<string, string[]>();
  for (const p of actorsByRole.processor) {
    const c = actorCountry.get(p)!;
    const own = millsIn(c);
    supplier.set(p, VIA_CHINA.has(c) || own.length === 0 ? millsIn("CN") : own);
  }
  const suspended = new Set(actorsByRole.exporter.filter((_x, i) => i % 97 === 5));

  // ---- watch entries
  const watch: { id: string; country: string; prefix: bigint; length: number; caseRef: string }[] = [
    { id: sha("watch:0"), country: "CN", prefix: 7304n, length: 4, caseRef: "A-570-935" },
    { id: sha("watch:1"), country: "CN", prefix: 7306n, length: 4, caseRef: "A-570-910" },
    { id: sha("watch:2"), country: "RU", prefix: 72n, length: 2, caseRef: "A-821-809" },
  ];
  const watchMatches = (w: (typeof watch)[number], hts: bigint) => hts / 10n ** BigInt(10 - w.length) === w.prefix;

  // ---- per-block state
  let block = 0;
  let ts = 0;
  let logIndex = 0;
  const txId = (): string => cat(sha(`tx:${block}:${logIndex}`), le32(logIndex++));
  const meltShipments = new Map<string, Set<string>>();
  const countryRec = (code: string): Rec => {
    let c = get("Country", code);
    if (!c) {
      c = put("Country", code, { id: code, activeWatchEntries: [] });
      meltShipments.set(code, new Set());
    }
    return c;
  };

  // ---- documents
  let mtrCount = 0;
  const pools = new Map<string, Pool>();
  const remaining = (id: string) => get("MillTestReport", id)!.remainingKg as bigint;
  const setBalance = (r: Rec, consumed: bigint): void => {
    r.consumedKg = consumed;
    r.remainingKg = (r.totalKg as bigint) - consumed;
    r.utilizationBps = Number((consumed * 10000n) / (r.totalKg as bigint));
  };
  const issueMtr = (issuer: string, derived: boolean, totalKg: bigint, melt: string, grade: string): Rec => {
    const k = mtrCount++;
    const contentHash = sha(`mtr:${k}`);
    const id = recordIdOf(issuer, contentHash);
    const heatNumber = `H${(100000 + k).toString(36).toUpperCase()}`;
    const c = 1200 + rng.int(0, 1500);
    const rec: Rec = {
      id,
      contentHash,
      issuer,
      derived,
      certificateNumber: `MTR-${actorCountry.get(issuer)}-${2026}-${k}`,
      heatNumber,
      heat: null,
      originHeats: [],
      productStandard: "API 5L",
      grade,
      countryOfMeltAndPour: melt,
      meltAndPourCountries: [],
      countryOfManufacture: actorCountry.get(issuer)!,
      carbonPpm: c,
      manganesePpm: 9000 + rng.int(0, 6000),
      phosphorusPpm: 80 + rng.int(0, 120),
      sulfurPpm: 20 + rng.int(0, 60),
      siliconPpm: 1500 + rng.int(0, 2000),
      aluminumPpm: 200 + rng.int(0, 300),
      copperPpm: rng.int(0, 500),
      nickelPpm: rng.int(0, 500),
      chromiumPpm: rng.int(0, 500),
      molybdenumPpm: rng.int(0, 200),
      tinPpm: null,
      niobiumPpm: rng.int(0, 500),
      vanadiumPpm: rng.int(0, 500),
      titaniumPpm: rng.int(0, 300),
      boronPpm: null,
      nitrogenPpm: 40 + rng.int(0, 60),
      calciumPpm: null,
      leadPpm: null,
      carbonEquivalentPpm: 3500 + rng.int(0, 1000),
      yieldStrength: BigInt(36000 + rng.int(0, 20000)),
      tensileStrength: BigInt(46000 + rng.int(0, 20000)),
      elongation: BigInt(2000 + rng.int(0, 1500)),
      reductionOfArea: null,
      charpyEnergy: BigInt(4000 + rng.int(0, 20000)),
      hardness: null,
      hardnessScale: null,
      chemistryPacked: [BigInt(sha(`chem:${k}:0`)), BigInt(sha(`chem:${k}:1`))],
      mechanicsPacked: BigInt(sha(`mech:${k}`)) >> 64n,
      totalKg,
      consumedKg: 0n,
      remainingKg: totalKg,
      utilizationBps: 0,
      expiresAt: 0n,
      uri: `https://docs.example/mtr/${k}`,
      status: "ACTIVE",
      supersedes: null,
      successor: null,
      issuedAt: BigInt(ts),
      issuedAtBlock: BigInt(block),
      invalidatedAt: null,
      invalidatedAtBlock: null,
      revocationReason: null,
      linkedShipments: [],
    };
    if (!derived) {
      const heatId = cat(issuer, utf8hex(heatNumber));
      put("Heat", heatId, { id: heatId, mill: issuer, heatNumber, countryOfMeltAndPour: melt });
      rec.heat = heatId;
      rec.originHeats = [heatId];
      rec.meltAndPourCountries = [melt];
    }
    logIndex++;
    return put("MillTestReport", id, rec);
  };
  /** A processor's product made from `inputs` (kg taken from each): ProductDerived plus the inputs' balances. */
  const derive = (processor: string, kg: bigint, inputs: Rec[], grade: string): Rec => {
    const product = issueMtr(processor, true, kg, inputs[0].countryOfMeltAndPour as string, grade);
    const heats: string[] = [];
    const countries: string[] = [];
    const share = (kg * 102n) / 100n / BigInt(inputs.length);
    inputs.forEach((input, i) => {
      const take = share < (input.remainingKg as bigint) ? share : (input.remainingKg as bigint);
      setBalance(input, (input.consumedKg as bigint) + take);
      touch("MillTestReport", input.id as string);
      const edgeId = cat(product.id as string, le32(i));
      put("LineageEdge", edgeId, {
        id: edgeId,
        product: product.id,
        input: input.id,
        kg: take,
        inputRemainingKg: input.remainingKg,
        processor,
        blockNumber: BigInt(block),
        timestamp: BigInt(ts),
      });
      for (const h of input.originHeats as string[]) if (!heats.includes(h)) heats.push(h);
      for (const c of input.meltAndPourCountries as string[]) if (!countries.includes(c)) countries.push(c);
    });
    product.originHeats = heats;
    product.meltAndPourCountries = countries;
    logIndex++;
    return product;
  };
  const grow = (kg: bigint, lo: number, hi: number): bigint => (kg * BigInt(lo + rng.int(0, hi - lo))) / 100n;
  const pipes: string[] = [];
  /** A new pipe report of `processor`: heats → slabs → coils → pipe, each stage rolled from the one before. */
  const newPipe = (processor: string, kg: bigint): Rec => {
    const coils: Rec[] = [];
    const coilCount = rng.int(1, 2);
    for (let c = 0; c < coilCount; c++) {
      const coilKg = grow(kg / BigInt(coilCount), 104, 112);
      const slabKg = grow(coilKg, 104, 110);
      const heatCount = rng.int(1, 2);
      const heats: Rec[] = [];
      for (let h = 0; h < heatCount; h++) {
        const mill = rng.pick(supplier.get(processor)!);
        heats.push(issueMtr(mill, false, grow(slabKg / BigInt(heatCount), 104, 125), actorCountry.get(mill)!, "SLAB"));
      }
      const slab = derive(processor, slabKg, heats, "SLAB");
      coils.push(derive(processor, coilKg, [slab], "HRC"));
    }
    const pipe = derive(processor, kg, coils, "X52");
    pipes.push(pipe.id as string);
    return pipe;
  };
  /** The report a line of `manufacturer` allocates `kg` from, a fresh one when the open one is short. */
  const reportFor = (manufacturer: string, pipe: boolean, kg: bigint): Rec => {
    const key = `${manufacturer}|${pipe}`;
    let pool = pools.get(key);
    if (!pool) pools.set(key, (pool = { mtr: null }));
    if (pool.mtr === null || remaining(pool.mtr) < kg || get("MillTestReport", pool.mtr)!.status !== "ACTIVE") {
      const total = grow(kg, 250, 600);
      const r = pipe
        ? newPipe(manufacturer, total)
        : issueMtr(manufacturer, false, total, actorCountry.get(manufacturer)!, "A572-50");
      pool.mtr = r.id as string;
    }
    return get("MillTestReport", pool.mtr)!;
  };
  let cooCount = 0;

  // ---- shipments
  interface Draft {
    id: string;
    block: number;
    pipe: boolean[];
    lines: { hts: bigint; kg: bigint; origin: string }[];
    fraud: { missing: boolean[]; weight: boolean; coo: boolean; late: boolean; revokeMtr: boolean; revokeCoo: boolean };
  }
  const drafts: Draft[] = [];
  const shipmentIdOf = (j: number) => sha(`shipment:${j}`);
  for (let j = 0; j < N; j++)
    drafts.push({ id: shipmentIdOf(j), block: 2 + Math.floor((j * fileBlocks) / N) } as Draft);
  for (let j = 0; j < N; j++) plan(drafts[j].block, { shipment: j, kind: "file" });

  // ---- the rules (a port of subgraph/src/risk.ts)
  const activeEntries = (country: string) =>
    ((get("Country", country)?.activeWatchEntries as string[] | undefined) ?? [])
      .map((id) => watch.find((w) => w.id === id)!)
      .filter((w) => get("WatchEntry", w.id)!.active === true);
  const linesOf = new Map<string, string[]>();
  const allocationsOf = new Map<string, string[]>();
  const linksOf = new Map<string, string[]>();
  const findingsOf = (s: Rec): Finding[] => {
    const out: Finding[] = [];
    const f = (rule: string, cause: string, explanation: string, extra: Partial<Finding> = {}): void => {
      out.push({ rule, cause, explanation, document: null, lineIndex: null, party: null, watchEntry: null, ...extra });
    };
    const has = (rule: string, cause: string) => out.some((x) => x.rule === rule && x.cause === cause);
    const lines = (linesOf.get(s.id as string) ?? []).map((id) => get("ShipmentLine", id)!).filter((l) => l.current);
    for (const line of lines) {
      const label = `line ${line.lineIndex} (HTS ${line.hts})`;
      const allocated = line.allocatedKg as bigint;
      const declared = line.declaredKg as bigint;
      if (allocated === 0n) {
        if (line.steel)
          f("MISSING_MTR", `line:${line.lineIndex}`, `${label} has no mill test report`, {
            lineIndex: line.lineIndex as number,
          });
        continue;
      }
      const diff = allocated > declared ? allocated - declared : declared - allocated;
      if (diff * 100n > declared * 2n) {
        f(
          "WEIGHT_MISMATCH",
          `line:${line.lineIndex}`,
          `${label} declares ${declared} kg, mill test reports cover ${allocated} kg`,
          {
            lineIndex: line.lineIndex as number,
          },
        );
      }
    }
    const melts: string[] = [];
    for (const aid of allocationsOf.get(s.id as string) ?? []) {
      const a = get("Allocation", aid)!;
      if (!a.active) continue;
      const report = get("MillTestReport", a.millTestReport as string)!;
      const line = get("ShipmentLine", a.line as string)!;
      const hex = report.id as string;
      if (report.status !== "ACTIVE") {
        if (!a.invalidatedWhileLinked) {
          a.invalidatedWhileLinked = true;
          a.invalidatedWhileLinkedAt = BigInt(ts);
          touch("Allocation", aid);
        }
        if (!has("DOCUMENT_REVOKED", `doc:${hex}`)) {
          f(
            "DOCUMENT_REVOKED",
            `doc:${hex}`,
            `mill test report ${report.certificateNumber} is ${(report.status as string).toLowerCase()}`,
            {
              document: hex,
            },
          );
        }
      }
      for (const m of report.meltAndPourCountries as string[]) {
        if (!melts.includes(m)) melts.push(m);
        const cause = `doc:${hex}:line:${line.lineIndex}`;
        if (m !== line.originCountry && !has("MELT_POUR_MISMATCH", cause)) {
          f(
            "MELT_POUR_MISMATCH",
            cause,
            `line ${line.lineIndex} declares origin ${line.originCountry} but mill test report ${report.certificateNumber} was melted and poured in ${m}`,
            { document: hex, lineIndex: line.lineIndex as number },
          );
        }
        for (const e of activeEntries(m)) {
          const wc = `watch:${e.id}:line:${line.lineIndex}`;
          if (watchMatches(e, line.hts as bigint) && !has("WATCHLIST", wc)) {
            f(
              "WATCHLIST",
              wc,
              `line ${line.lineIndex} (HTS ${line.hts}, melted in ${m}) matches watch entry ${e.caseRef}`,
              { lineIndex: line.lineIndex as number, watchEntry: e.id },
            );
          }
        }
      }
    }
    for (const lid of linksOf.get(s.id as string) ?? []) {
      const link = get("CertificateLink", lid)!;
      if (!link.active) continue;
      const c = get("CertificateOfOrigin", link.certificate as string)!;
      const hex = c.id as string;
      if (c.status !== "ACTIVE") {
        if (!link.invalidatedWhileLinked) {
          link.invalidatedWhileLinked = true;
          link.invalidatedWhileLinkedAt = BigInt(ts);
          touch("CertificateLink", lid);
        }
        f(
          "DOCUMENT_REVOKED",
          `doc:${hex}`,
          `certificate of origin ${c.certificateNumber} is ${(c.status as string).toLowerCase()}`,
          {
            document: hex,
          },
        );
      }
      const other = (s.declaredOriginCountries as string[]).find((o) => o !== c.countryOfOrigin);
      if (other !== undefined) {
        f(
          "COO_MISMATCH",
          `doc:${hex}`,
          `certificate of origin ${c.certificateNumber} names ${c.countryOfOrigin}, the filing declares ${other}`,
          { document: hex },
        );
      }
    }
    for (const [rule, notes] of [
      ["UNVERIFIED_PARTY", s.unverifiedParties],
      ["NEW_PARTY", s.newParties],
    ] as [string, string[]][]) {
      for (const note of notes) {
        const head = note.split(": ")[0];
        f(rule, `party:${head}`, note, { party: head.split(" ")[1] });
      }
    }
    if ((s.filedAt as bigint) + BigInt(DAY) > (s.estimatedArrival as bigint)) {
      f("LATE_FILING", "filing", `filed at ${s.filedAt}, estimated arrival ${s.estimatedArrival}`);
    }
    const route = [s.exportCountry as string, ...(s.transshipmentCountries as string[])];
    for (const m of melts) {
      const entries = activeEntries(m);
      if (entries.length === 0) continue;
      const r = route.find((x) => x !== m && x !== "US");
      if (r !== undefined) {
        f("TRANSSHIPMENT", `melt:${m}`, `steel melted in ${m} (watched: ${entries[0].caseRef}) routed through ${r}`, {
          watchEntry: entries[0].id,
        });
      }
    }
    s.meltCountries = melts;
    for (const m of melts) {
      countryRec(m);
      const set = meltShipments.get(m)!;
      if (!set.has(s.id as string)) {
        set.add(s.id as string);
        const linkId = cat(s.id as string, utf8hex(m));
        put("MeltCountryShipment", linkId, { id: linkId, country: m, shipment: s.id });
      }
    }
    return out;
  };
  const evaluate = (id: string): void => {
    const s = get("Shipment", id)!;
    const findings = findingsOf(s);
    const kept = findings.map(() => false);
    const active: string[] = [];
    for (const fid of s.activeFlags as string[]) {
      const flag = get("RiskFlag", fid)!;
      const j = findings.findIndex((x, i) => !kept[i] && x.rule === flag.rule && x.cause === flag.cause);
      if (j >= 0) {
        kept[j] = true;
        active.push(fid);
        if (flag.explanation !== findings[j].explanation) {
          flag.explanation = findings[j].explanation;
          touch("RiskFlag", fid);
        }
      } else {
        flag.active = false;
        flag.clearedAt = BigInt(ts);
        flag.clearedAtBlock = BigInt(block);
        touch("RiskFlag", fid);
      }
    }
    findings.forEach((x, j) => {
      if (kept[j]) return;
      const key = keccak256(toUtf8Bytes(`${x.rule}|${x.cause}`));
      const fid = cat(id, key, le32(block), le32(logIndex));
      put("RiskFlag", fid, {
        id: fid,
        shipment: id,
        rule: x.rule,
        severity: severityOf(x.rule),
        explanation: x.explanation,
        cause: x.cause,
        active: true,
        raisedAtBlock: BigInt(block),
        raisedAt: BigInt(ts),
        clearedAtBlock: null,
        clearedAt: null,
        document: x.document,
        lineIndex: x.lineIndex,
        party: x.party,
        watchEntry: x.watchEntry,
      });
      active.push(fid);
    });
    s.activeFlags = active;
    s.activeRules = active.map((fid) => get("RiskFlag", fid)!.rule as string);
    s.riskScore = active.reduce((sum, fid) => sum + (get("RiskFlag", fid)!.severity as number), 0);
    s.queueRank = queueRank(s.riskScore, s.estimatedArrival as bigint);
    s.updatedAt = BigInt(ts);
    touch("Shipment", id);
  };

  // ---- party checks at filing (shipmentRegistry.ts partyProblem / checkNew)
  const problem = (party: string, role: number): string => {
    const a = get("Actor", party);
    if (!a) return "not an onboarded actor";
    if (a.suspended) return "suspended";
    if (((a.roles as number) & role) === 0) return "lacks the role";
    return "";
  };

  /** Parties trade once onboarded. */
  const pickActive = (list: string[]): string => {
    for (let t = 0; t < 20; t++) {
      const x = rng.pick(list);
      if (onboardedAt.has(x)) return x;
    }
    return list.find((x) => onboardedAt.has(x)) ?? list[0];
  };

  const file = (j: number): void => {
    const d = drafts[j];
    const pipe = rng.chance(0.6);
    const manufacturer = pickActive(pipe ? actorsByRole.processor : mills);
    const mCountry = actorCountry.get(manufacturer)!;
    const viaChina = pipe && VIA_CHINA.has(mCountry);
    const exporterPool = rng.chance(0.5) ? [manufacturer] : actorsByRole.exporter;
    const exporter = pickActive(exporterPool);
    const importer = pickActive(actorsByRole.importer);
    const filer = rng.chance(0.3) ? pickActive(actorsByRole.broker) : importer;
    const carrier = rng.chance(0.004) ? addr(`unknown-carrier:${j}`) : pickActive(actorsByRole.carrier);
    const exportCountry =
      exporter === manufacturer ? mCountry : rng.chance(0.85) ? mCountry : actorCountry.get(exporter)!;
    const via = rng.chance(0.08) ? [rng.pick(["SG", "MY", "KR", "PA"])] : [];
    const lineCount = rng.chance(0.5) ? 1 : rng.int(2, 4);
    d.lines = [];
    d.pipe = [];
    d.fraud = {
      missing: [],
      weight: rng.chance(0.02),
      coo: rng.chance(0.02),
      late: rng.chance(0.03),
      revokeMtr: rng.chance(0.01),
      revokeCoo: rng.chance(0.008),
    };
    // Honest filings declare the melt country; some declare where the pipe was made instead.
    const meltOrigin = viaChina ? "CN" : mCountry;
    const origin = viaChina && rng.chance(0.5) ? mCountry : meltOrigin;
    for (let i = 0; i < lineCount; i++) {
      const steel = !rng.chance(0.04);
      const hts = steel ? rng.pick(pipe ? PIPE_HTS : FLAT_HTS) : rng.pick(OTHER_HTS);
      d.lines.push({
        hts,
        kg: BigInt(2000 + rng.int(0, 58000)),
        origin: rng.chance(0.01) ? rng.pick(MILL_COUNTRIES) : origin,
      });
      d.pipe.push(pipe);
      d.fraud.missing.push(rng.chance(0.03));
    }
    const eta = ts + (d.fraud.late ? rng.int(2, 20) * HOUR : rng.int(6, 30) * DAY + rng.int(0, 23) * HOUR);
    const id = d.id;
    const parties: string[] = [];
    for (const p of [importer, filer, exporter, manufacturer, carrier]) if (!parties.includes(p)) parties.push(p);
    const unverified: string[] = [];
    const check = (label: string, party: string, role: number): void => {
      const p = problem(party, role);
      if (p) unverified.push(`${label} ${party}: ${p}`);
    };
    check("IMPORTER", importer, IMPORTER);
    if (filer !== importer) check("BROKER", filer, CUSTOMS_BROKER);
    check("EXPORTER", exporter, EXPORTER);
    check("MANUFACTURER", manufacturer, MILL | PROCESSOR);
    check("CARRIER", carrier, CARRIER);
    const newcomers: string[] = [];
    for (const [label, party] of [
      ["EXPORTER", exporter],
      ["IMPORTER", importer],
    ]) {
      const at = onboardedAt.get(party);
      if (at !== undefined && ts - at < 90 * DAY) {
        newcomers.push(`${label} ${party}: onboarded ${Math.floor((ts - at) / DAY)} days before filing`);
      }
    }
    const versionHash = sha(`version:${j}:1`);
    const origins: string[] = [];
    const chapters: number[] = [];
    let total = 0n;
    let steel = false;
    const lineIds: string[] = [];
    d.lines.forEach((l, i) => {
      const lid = cat(id, le32(i));
      lineIds.push(lid);
      const heading = Number(l.hts / 1_000_000n);
      put("ShipmentLine", lid, {
        id: lid,
        shipment: id,
        lineIndex: i,
        current: true,
        hts: l.hts,
        htsChapter: Math.floor(heading / 100),
        htsHeading: heading,
        steel: isSteel(heading),
        declaredKg: l.kg,
        declaredValueCents: l.kg * BigInt(80 + rng.int(0, 120)),
        originCountry: l.origin,
        allocatedKg: 0n,
      });
      if (!origins.includes(l.origin)) origins.push(l.origin);
      if (!chapters.includes(Math.floor(heading / 100))) chapters.push(Math.floor(heading / 100));
      total += l.kg;
      steel ||= isSteel(heading);
    });
    linesOf.set(id, lineIds);
    const bol = `BOL${(1_000_000 + j).toString()}`;
    const ports = [
      rng.pick(["CNSHA", "KRPUS", "VNSGN", "JPYOK", "DEHAM", "TRIST", "INMUN", "BRSSZ", "MXVER"]),
      rng.pick(PORTS_OF_ENTRY),
    ];
    // Each shipment has its own pouch (subgraph/src/pouch.ts); every fourth exporter anchors a signed certificate of
    // origin into it, so the pouch and key entities are queried with data (no rng draw: the season stays the same).
    const pouch = sha(`workflow:${j}`);
    const signedCoo = j % 4 === 0 && get("Actor", exporter) !== undefined;
    put("Pouch", pouch, {
      id: pouch,
      millTestReports: 0,
      certificatesOfOrigin: signedCoo ? 1 : 0,
      mismatches: 0,
      shipments: [id],
    });
    if (signedCoo) anchorSignedCoo(exporter, pouch, j, ts);
    const shipment: Rec = {
      id,
      importer,
      filer,
      exporter,
      manufacturer,
      carrier,
      parties,
      version: 1,
      versionHash,
      exportCountry,
      transshipmentCountries: via,
      declaredOriginCountries: origins,
      htsChapters: chapters,
      portOfLading: ports[0],
      portOfEntry: ports[1],
      estimatedArrival: BigInt(eta),
      targetingWindowOpensAt: BigInt(eta - 72 * HOUR),
      billOfLading: bol,
      entryNumber: rng.chance(0.7) ? `ABC-${(1_000_000 + j).toString()}-${j % 10}` : "",
      workflowInstanceId: pouch,
      pouch,
      missingCredentials: [...(steel ? ["MILL_TEST_REPORT"] : []), ...(signedCoo ? [] : ["CERTIFICATE_OF_ORIGIN"])],
      filingReference: sha(`reference:${j}`),
      totalDeclaredKg: total,
      lineCount: d.lines.length,
      status: "FILED",
      activeHolds: 0,
      filedAt: BigInt(ts),
      filedAtBlock: BigInt(block),
      versionFiledAt: BigInt(ts),
      updatedAt: BigInt(ts),
      meltCountries: [],
      riskScore: 0,
      queueRank: queueRank(0, BigInt(eta)),
      activeRules: [],
      activeFlags: [],
      unverifiedParties: unverified,
      newParties: newcomers,
    };
    put("Shipment", id, shipment);
    const versionId = cat(id, le32(1));
    const row: Rec = {
      id: versionId,
      shipment: id,
      version: 1,
      versionHash,
      previousVersionHash: null,
      filedBy: filer,
      submittedBy: filer,
      exporter,
      manufacturer,
      carrier,
      lineHts: d.lines.map((l) => l.hts),
      lineDeclaredKg: d.lines.map((l) => l.kg),
      lineDeclaredValueCents: d.lines.map((l) => l.kg * 100n),
      lineOriginCountries: d.lines.map((l) => l.origin),
      exportCountry,
      transshipmentCountries: via,
      portOfLading: ports[0],
      portOfEntry: ports[1],
      estimatedArrival: BigInt(eta),
      billOfLading: bol,
      entryNumber: shipment.entryNumber,
      workflowInstanceId: shipment.workflowInstanceId,
      blockNumber: BigInt(block),
      timestamp: BigInt(ts),
    };
    put("ShipmentVersion", versionId, row);
    logIndex++;
    evaluate(id);
    // Documents follow within a few hours; the voyage takes days.
    plan(block + rng.int(1, 6), { shipment: j, kind: "link" });
    plan(blockAt(ts + Math.floor((eta - ts) * 0.2)) + 1, { shipment: j, kind: "depart" });
    plan(blockAt(eta) + rng.int(0, 6), { shipment: j, kind: "arrive" });
    plan(blockAt(eta) + rng.int(24, 96), { shipment: j, kind: "decide" });
  };

  const linkMtr = (j: number, i: number): void => {
    const d = drafts[j];
    const s = get("Shipment", d.id)!;
    const line = d.lines[i];
    if (!get("ShipmentLine", cat(d.id, le32(i)))!.steel || d.fraud.missing[i]) return;
    const kg = d.fraud.weight && i === 0 ? (line.kg * 90n) / 100n : line.kg;
    const report = reportFor(s.manufacturer as string, d.pipe[i], kg);
    const rid = report.id as string;
    const lineId = cat(d.id, le32(i));
    const aid = cat(d.id, rid, le32(i));
    // The report's holder approved the importer before the link (SECURITY.md R1).
    const approvalId = cat(rid, s.importer as string);
    if (!get("AllocatorApproval", approvalId)) {
      put("AllocatorApproval", approvalId, {
        id: approvalId,
        report: rid,
        holder: report.issuer,
        party: s.importer,
        approved: true,
        updatedAt: BigInt(ts),
        updatedAtBlock: BigInt(block),
      });
    }
    put("Allocation", aid, {
      id: aid,
      shipment: d.id,
      line: lineId,
      lineIndex: i,
      millTestReport: rid,
      kg,
      active: true,
      consumer: sha(`consumer:${aid}`),
      linkedBy: s.filer,
      linkedAt: BigInt(ts),
      linkedAtBlock: BigInt(block),
      unlinkedAt: null,
      invalidatedWhileLinked: false,
      invalidatedWhileLinkedAt: null,
    });
    const al = allocationsOf.get(d.id) ?? [];
    al.push(aid);
    allocationsOf.set(d.id, al);
    const l = get("ShipmentLine", lineId)!;
    l.allocatedKg = (l.allocatedKg as bigint) + kg;
    touch("ShipmentLine", lineId);
    setBalance(report, (report.consumedKg as bigint) + kg);
    const linked = report.linkedShipments as string[];
    if (!linked.includes(d.id)) report.linkedShipments = [...linked, d.id];
    touch("MillTestReport", rid);
    logIndex += 2;
    evaluate(d.id);
    if (d.fraud.revokeMtr && i === 0) plan(block + rng.int(24, 24 * 20), { shipment: j, kind: "revoke", arg: rid });
  };

  const linkCoo = (j: number): void => {
    const d = drafts[j];
    const s = get("Shipment", d.id)!;
    const k = cooCount++;
    const contentHash = sha(`coo:${k}`);
    const issuer = rng.pick(actorsByRole.certifier);
    const cid = recordIdOf(issuer, contentHash);
    const origin = (s.declaredOriginCountries as string[])[0];
    put("CertificateOfOrigin", cid, {
      id: cid,
      contentHash,
      issuer,
      certificateNumber: `COO-${origin}-${k}`,
      exporter: s.exporter,
      importer: s.importer,
      countryOfOrigin: d.fraud.coo ? rng.pick(["KR", "JP", "MX", "CA"].filter((c) => c !== origin)) : origin,
      htsLines: d.lines.map((l) => l.hts),
      exportDate: BigInt(ts),
      expiresAt: BigInt(ts + 2 * 365 * DAY),
      uri: `https://docs.example/coo/${k}`,
      status: "ACTIVE",
      supersedes: null,
      successor: null,
      issuedAt: BigInt(ts),
      issuedAtBlock: BigInt(block),
      invalidatedAt: null,
      invalidatedAtBlock: null,
      revocationReason: null,
      linkedShipments: [d.id],
    });
    logIndex++;
    const lid = cat(d.id, cid);
    put("CertificateLink", lid, {
      id: lid,
      shipment: d.id,
      certificate: cid,
      active: true,
      linkedBy: s.filer,
      linkedAt: BigInt(ts),
      linkedAtBlock: BigInt(block),
      unlinkedAt: null,
      invalidatedWhileLinked: false,
      invalidatedWhileLinkedAt: null,
    });
    linksOf.set(d.id, [lid]);
    logIndex++;
    evaluate(d.id);
    if (d.fraud.revokeCoo) plan(block + rng.int(24, 24 * 20), { shipment: j, kind: "revoke", arg: cid });
  };

  const statusChange = (j: number, to: string, by: string): void => {
    const d = drafts[j];
    const s = get("Shipment", d.id)!;
    const sid = txId();
    const row: Rec = {
      id: sid,
      shipment: d.id,
      from: s.status,
      to,
      by,
      reasonCode: sha(`reason:${to}`),
      noteHash: sha(`note:${sid}`),
      blockNumber: BigInt(block),
      timestamp: BigInt(ts),
    };
    put("StatusChange", sid, row);
    s.status = to;
    touch("Shipment", d.id);
    evaluate(d.id);
  };
  const cbp = addr("cbp-officer");
  const action = (j: number, kind: string, holds: number | null): void => {
    const d = drafts[j];
    const s = get("Shipment", d.id)!;
    const aid = txId();
    put("CbpAction", aid, {
      id: aid,
      shipment: d.id,
      kind,
      reasonCode: sha(`reason:${kind}`),
      by: cbp,
      noteHash: sha(`note:${aid}`),
      activeHolds: holds,
      blockNumber: BigInt(block),
      timestamp: BigInt(ts),
    });
    if (holds !== null) s.activeHolds = holds;
    s.updatedAt = BigInt(ts);
    touch("Shipment", d.id);
  };

  const revoke = (j: number, docId: string): void => {
    const mtr = get("MillTestReport", docId);
    const doc = mtr ?? get("CertificateOfOrigin", docId)!;
    if (doc.status !== "ACTIVE") return;
    doc.status = "REVOKED";
    doc.invalidatedAt = BigInt(ts);
    doc.invalidatedAtBlock = BigInt(block);
    doc.revocationReason = sha("reason:FRAUD");
    touch(mtr ? "MillTestReport" : "CertificateOfOrigin", docId);
    logIndex++;
    for (const sid of doc.linkedShipments as string[]) evaluate(sid);
    // Half the time the filer unlinks the revoked report a day later.
    if (mtr && rng.chance(0.5)) plan(block + 24, { shipment: j, kind: "unlink", arg: docId });
  };
  const unlink = (j: number, rid: string): void => {
    const d = drafts[j];
    for (const aid of allocationsOf.get(d.id) ?? []) {
      const a = get("Allocation", aid)!;
      if (a.millTestReport !== rid || !a.active) continue;
      a.active = false;
      a.unlinkedAt = BigInt(ts);
      touch("Allocation", aid);
      const line = get("ShipmentLine", a.line as string)!;
      line.allocatedKg = (line.allocatedKg as bigint) - (a.kg as bigint);
      touch("ShipmentLine", a.line as string);
      const r = get("MillTestReport", rid)!;
      setBalance(r, (r.consumedKg as bigint) - (a.kg as bigint));
      touch("MillTestReport", rid);
      logIndex += 2;
    }
    evaluate(d.id);
  };

  const flush = (): void => {
    const w = store.beginBlock({
      number: block,
      hash: sha(`block:${block}`),
      parentHash: sha(`block:${block - 1}`),
      timestamp: ts,
    });
    for (const [type, ids] of dirty) {
      const k = kinds.get(type)!;
      const drop = !keepEvents && (type === "StatusChange" || type === "CbpAction" || type === "ShipmentVersion");
      for (const id of ids) {
        const rec = world[type].get(id)!;
        const data: EntityData = new Map();
        for (const [f, v] of Object.entries(rec)) data.set(f, storeValue(k.get(f)!, v));
        w.set(type, id, data);
        if (drop) world[type].delete(id);
      }
      versions[type] = (versions[type] ?? 0) + ids.size;
    }
    dirty.clear();
    w.commit();
  };

  // ---- run the blocks
  for (block = 1; block <= blocks; block++) {
    ts = timeOf(block);
    logIndex = 0;
    if (block === 1) {
      for (const i of issuers) put("TrustedIssuer", i, { id: i, roles: 0xff, active: true, updatedAt: BigInt(ts) });
      for (const w of watch) {
        put("WatchEntry", w.id, {
          id: w.id,
          meltCountry: w.country,
          htsPrefix: w.prefix,
          prefixLength: w.length,
          reasonCode: sha("reason:ADCVD"),
          caseReference: w.caseRef,
          active: true,
          publishedAt: BigInt(ts),
          retiredAt: null,
          retirementReason: null,
        });
        const c = countryRec(w.country);
        c.activeWatchEntries = [...(c.activeWatchEntries as string[]), w.id];
      }
    }
    for (const o of onboardings) {
      if (o.block !== block) continue;
      const credential = sha(`credential:${o.id}`);
      const issuer = issuers[o.id.charCodeAt(5) % issuers.length];
      const validFrom = BigInt(ts);
      const validUntil = BigInt(ts + 3 * 365 * DAY);
      const did = `did:web:${o.kind}-${o.id.slice(2, 10)}.example`;
      put("Credential", credential, {
        id: credential,
        subject: o.id,
        issuer,
        did,
        roles: o.roles,
        country: o.country,
        validFrom,
        validUntil,
        status: "CURRENT",
        replaces: null,
        submittedBy: o.id,
        onboardedAt: BigInt(ts),
        revokedAt: null,
        revokedBy: null,
        revocationReason: null,
      });
      const roleNames = ROLE_NAMES.filter((_r, i) => (o.roles & (1 << i)) !== 0);
      put("Actor", o.id, {
        id: o.id,
        did,
        roles: o.roles,
        roleNames,
        // the generated issuers stay trusted for every role they signed
        trustedRoles: o.roles,
        trustedRoleNames: roleNames,
        country: o.country,
        legalNameHash: sha(`name:${o.id}`),
        identifiersHash: sha(`ids:${o.id}`),
        currentCredential: credential,
        issuer,
        validFrom,
        validUntil,
        credentialRevoked: false,
        suspended: false,
        onboardedAt: BigInt(ts),
        onboardedAtBlock: BigInt(block),
      });
      onboardedAt.set(o.id, ts);
      logIndex++;
    }
    if (block === 2) {
      for (const id of suspended) {
        const a = get("Actor", id);
        if (!a) continue;
        a.suspended = true;
        touch("Actor", id);
      }
    }
    for (const p of plans.get(block) ?? []) {
      const d = drafts[p.shipment];
      switch (p.kind) {
        case "file":
          file(p.shipment);
          break;
        case "link":
          for (let i = 0; i < d.lines.length; i++) linkMtr(p.shipment, i);
          if (rng.chance(0.6)) linkCoo(p.shipment);
          break;
        case "depart":
          statusChange(p.shipment, "DEPARTED", get("Shipment", d.id)!.carrier as string);
          break;
        case "arrive": {
          statusChange(p.shipment, "ARRIVED", get("Shipment", d.id)!.carrier as string);
          const score = get("Shipment", d.id)!.riskScore as number;
          if (score >= 40) action(p.shipment, "HOLD_PLACED", 1);
          if (score >= 60) action(p.shipment, "EXAMINATION_ORDERED", null);
          break;
        }
        case "decide": {
          const s = get("Shipment", d.id)!;
          if ((s.activeHolds as number) > 0) action(p.shipment, "HOLD_LIFTED", 0);
          const refuse = (s.riskScore as number) >= 60 && rng.chance(0.5);
          statusChange(p.shipment, refuse ? "REFUSED" : "RELEASED", cbp);
          break;
        }
        case "revoke":
          revoke(p.shipment, p.arg!);
          break;
        case "unlink":
          unlink(p.shipment, p.arg!);
          break;
      }
    }
    plans.delete(block);
    flush();
    if (opts.progress && block % 500 === 0)
      opts.progress(block, blocks, Math.min(N, Math.floor(((block - 1) * N) / fileBlocks)));
  }
  return { world, blocks, head: blocks, now, versions, pipes, actorsByRole };
}
