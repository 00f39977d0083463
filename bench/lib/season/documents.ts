/**
 * The season's mill test reports (mill heats, and slab → coil → pipe lineage from processors) and the pools lines
 * allocate from, written as subgraph/src/millTestReportRegistry.ts writes them.
 */
import type { Prng } from "../../../lib/prng";
import type { Lifetimes } from "./lifetimes";
import { cat, le32, recordId, sha, utf8hex, type Rec, type SeasonState } from "./state";

/** The consumed kilograms of a report, and what follows from them. */
export function setBalance(r: Rec, consumed: bigint): void {
  r.consumedKg = consumed;
  r.remainingKg = (r.totalKg as bigint) - consumed;
  r.utilizationBps = Number((consumed * 10000n) / (r.totalKg as bigint));
}

const mtrContentHash = (k: number): string => sha(`mtr:${k}`);

/**
 * Reports issued, kept compactly (issuer and number) in issue order, for the benchmark's picks: pipe reports with
 * three levels of inputs (pipe ← coil ← slab ← heat), and mill reports (not derived).
 */
export class ReportList {
  private readonly issuers: string[] = [];
  private readonly numbers: number[] = [];

  push(issuer: string, k: number): void {
    this.issuers.push(issuer);
    this.numbers.push(k);
  }

  get length(): number {
    return this.numbers.length;
  }

  /** The id of the `i`th report. */
  id(i: number): string {
    return recordId(this.issuers[i], mtrContentHash(this.numbers[i]));
  }
}

export class Documents {
  readonly pipes = new ReportList();
  readonly millReports = new ReportList();
  /** Set by Shipments: when a report can be forgotten. */
  lifetimes!: Lifetimes;
  private mtrCount = 0;
  /** The open report each manufacturer's lines allocate from, by `manufacturer|pipe`. */
  private readonly pools = new Map<string, string | null>();
  /** The parties each open report's holder approved (AllocatorApproval), while it takes links. */
  private readonly approvals = new Map<string, Set<string>>();

  constructor(
    private readonly state: SeasonState,
    private readonly rng: Prng,
    private readonly actorCountry: Map<string, string>,
    /** The mills each processor buys heats from. */
    private readonly supplier: Map<string, string[]>,
  ) {}

  /** The report a line of `manufacturer` allocates `kg` from, a fresh one when the open one is short. */
  reportFor(manufacturer: string, pipe: boolean, kg: bigint): Rec {
    const key = `${manufacturer}|${pipe}`;
    const open = this.pools.get(key) ?? null;
    const current = open === null ? undefined : this.state.get("MillTestReport", open)!;
    if (!current || (current.remainingKg as bigint) < kg || current.status !== "ACTIVE") {
      const total = this.grow(kg, 250, 600);
      const r = pipe
        ? this.newPipe(manufacturer, total)
        : this.issueMtr(manufacturer, false, total, this.actorCountry.get(manufacturer)!, "A572-50");
      if (open !== null) {
        this.approvals.delete(open);
        this.lifetimes.closed(open);
      }
      this.pools.set(key, r.id as string);
      this.lifetimes.created(r.id as string, true);
      return r;
    }
    return current;
  }

  /** Whether `party` is newly approved to allocate from open report `rid` (else it was before). */
  approve(rid: string, party: string): boolean {
    let s = this.approvals.get(rid);
    if (!s) this.approvals.set(rid, (s = new Set()));
    if (s.has(party)) return false;
    s.add(party);
    return true;
  }

  /** Nothing can reach report or certificate `id` any more. */
  retire(id: string): void {
    this.state.retire(this.state.world.MillTestReport.has(id) ? "MillTestReport" : "CertificateOfOrigin", id);
  }

  private grow(kg: bigint, lo: number, hi: number): bigint {
    return (kg * BigInt(lo + this.rng.int(0, hi - lo))) / 100n;
  }

  /**
   * A new pipe report of `processor`: heats → slabs → coils → pipe, each stage rolled from the one before. The
   * heats, slabs and coils are read only here: nothing changes them again once written.
   */
  private newPipe(processor: string, kg: bigint): Rec {
    const { rng } = this;
    const coils: Rec[] = [];
    const made: Rec[] = [];
    const coilCount = rng.int(1, 2);
    for (let c = 0; c < coilCount; c++) {
      const coilKg = this.grow(kg / BigInt(coilCount), 104, 112);
      const slabKg = this.grow(coilKg, 104, 110);
      const heatCount = rng.int(1, 2);
      const heats: Rec[] = [];
      for (let h = 0; h < heatCount; h++) {
        const mill = rng.pick(this.supplier.get(processor)!);
        const heatKg = this.grow(slabKg / BigInt(heatCount), 104, 125);
        heats.push(this.issueMtr(mill, false, heatKg, this.actorCountry.get(mill)!, "SLAB"));
      }
      const slab = this.derive(processor, slabKg, heats, "SLAB");
      coils.push(this.derive(processor, coilKg, [slab], "HRC"));
      made.push(...heats, slab);
    }
    const pipe = this.derive(processor, kg, coils, "X52");
    this.pipes.push(processor, this.mtrCount - 1);
    for (const r of [...made, ...coils]) this.state.retire("MillTestReport", r.id as string);
    return pipe;
  }

  /** A processor's product made from `inputs` (kg taken from each): ProductDerived plus the inputs' balances. */
  private derive(processor: string, kg: bigint, inputs: Rec[], grade: string): Rec {
    const { state } = this;
    const product = this.issueMtr(processor, true, kg, inputs[0].countryOfMeltAndPour as string, grade);
    const heats: string[] = [];
    const countries: string[] = [];
    const share = (kg * 102n) / 100n / BigInt(inputs.length);
    inputs.forEach((input, i) => {
      const take = share < (input.remainingKg as bigint) ? share : (input.remainingKg as bigint);
      setBalance(input, (input.consumedKg as bigint) + take);
      state.touch("MillTestReport", input.id as string);
      const edgeId = cat(product.id as string, le32(i));
      state.put("LineageEdge", edgeId, {
        id: edgeId,
        product: product.id,
        input: input.id,
        kg: take,
        inputRemainingKg: input.remainingKg,
        processor,
        blockNumber: BigInt(state.block),
        timestamp: BigInt(state.ts),
      });
      for (const h of input.originHeats as string[]) if (!heats.includes(h)) heats.push(h);
      for (const c of input.meltAndPourCountries as string[]) if (!countries.includes(c)) countries.push(c);
    });
    product.originHeats = heats;
    product.meltAndPourCountries = countries;
    state.logIndex++;
    return product;
  }

  /** MillTestReportIssued: a report (and its Heat unless derived) with generated chemistry and mechanics. */
  private issueMtr(issuer: string, derived: boolean, totalKg: bigint, melt: string, grade: string): Rec {
    const { state, rng } = this;
    const k = this.mtrCount++;
    const contentHash = mtrContentHash(k);
    const id = recordId(issuer, contentHash);
    const heatNumber = `H${(100000 + k).toString(36).toUpperCase()}`;
    const c = 1200 + rng.int(0, 1500);
    const rec: Rec = {
      id,
      contentHash,
      issuer,
      derived,
      certificateNumber: `MTR-${this.actorCountry.get(issuer)}-${2026}-${k}`,
      heatNumber,
      heat: null,
      originHeats: [],
      productStandard: "API 5L",
      grade,
      countryOfMeltAndPour: melt,
      meltAndPourCountries: [],
      countryOfManufacture: this.actorCountry.get(issuer)!,
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
      issuedAt: BigInt(state.ts),
      issuedAtBlock: BigInt(state.block),
      invalidatedAt: null,
      invalidatedAtBlock: null,
      revocationReason: null,
      linkedShipments: [],
    };
    if (!derived) {
      this.millReports.push(issuer, k);
      const heatId = cat(issuer, utf8hex(heatNumber));
      state.put("Heat", heatId, { id: heatId, mill: issuer, heatNumber, countryOfMeltAndPour: melt });
      rec.heat = heatId;
      rec.originHeats = [heatId];
      rec.meltAndPourCountries = [melt];
    }
    state.logIndex++;
    return state.put("MillTestReport", id, rec);
  }
}
