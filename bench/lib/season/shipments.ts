/**
 * The season's shipments: each is filed with planted faults drawn at random (missing or short mill test reports, a
 * certificate naming another country, a late filing, documents revoked after linking), then its documents are
 * linked, it departs, arrives (CBP holds and examines the risky ones) and is released or refused. Every event
 * writes what subgraph/src/shipmentRegistry.ts writes and re-runs the rules as the mappings do.
 */
import type { Prng } from "../../../lib/prng";
import { MILL_COUNTRIES, VIA_CHINA, type Actors } from "./actors";
import { Documents, setBalance } from "./documents";
import { Lifetimes } from "./lifetimes";
import type { RuleModel } from "./rules";
import { DAY, HOUR, addr, cat, isSteel, le32, queueRank, recordId, sha, type Rec, type SeasonState } from "./state";

const PORTS_OF_ENTRY = ["USHOU", "USLAX", "USLGB", "USNYC", "USSAV", "USNOL", "USSEA", "USBAL", "USMOB", "USCHS"];
const PORTS_OF_LADING = ["CNSHA", "KRPUS", "VNSGN", "JPYOK", "DEHAM", "TRIST", "INMUN", "BRSSZ", "MXVER"];
const PIPE_HTS = [7304191020n, 7304191050n, 7305111030n, 7305121030n, 7306191010n, 7306191050n, 7306301000n];
const FLAT_HTS = [7208510030n, 7208520000n, 7210490090n, 7219330035n, 7225400000n, 7228309000n];
const OTHER_HTS = [8481809050n, 7307910000n];

/** An event of a shipment, scheduled for a block. */
export interface Plan {
  shipment: number;
  /** Filings are not planned: Shipments.fileDue files them first in their block. */
  kind: "link" | "depart" | "arrive" | "decide" | "revoke" | "unlink";
  arg?: string;
}

/** The planted faults of a filing. */
interface Faults {
  missing: boolean[];
  weight: boolean;
  coo: boolean;
  late: boolean;
  revokeMtr: boolean;
  revokeCoo: boolean;
}

/** A filed shipment the generator still holds: what its later events need beyond its records. */
interface Draft {
  id: string;
  pipe: boolean[];
  lines: { hts: bigint; kg: bigint; origin: string }[];
  fraud: Faults;
}

/** Block of a time: hourly blocks from `t0`, the setup block before it. */
export interface Timeline {
  blocks: number;
  t0: number;
  /** Schedules `p` at `block` (dropped past the head). */
  plan(block: number, p: Plan): void;
}

/** A few values the benchmark's cases pick from, collected while the season is generated (bounded). */
export interface ShipmentSample {
  /** How many shipments name each party (Shipment.parties). */
  partyCounts: Map<string, number>;
  /** The shipments with an entry number, in filing order. */
  withEntryNumber: number[];
}

export class Shipments {
  /** The shipments filed and not yet retired, by index. */
  private readonly drafts = new Map<number, Draft>();
  private readonly cbp = addr("cbp-officer");
  private cooCount = 0;
  /** The shipments filed so far (the next one's index). */
  filed = 0;
  readonly lifetimes: Lifetimes;
  readonly sample: ShipmentSample = { partyCounts: new Map(), withEntryNumber: [] };

  constructor(
    private readonly state: SeasonState,
    private readonly rng: Prng,
    private readonly actors: Actors,
    private readonly documents: Documents,
    private readonly rules: RuleModel,
    private readonly timeline: Timeline,
    private readonly count: number,
    private readonly fileBlocks: number,
  ) {
    this.lifetimes = new Lifetimes(
      (j) => this.retire(j),
      (id) => documents.retire(id),
    );
    documents.lifetimes = this.lifetimes;
  }

  /** Files the shipments due in the state's block (before the block's other events, as planned at the start). */
  fileDue(): void {
    const { count, fileBlocks } = this;
    while (this.filed < count && 2 + Math.floor((this.filed * fileBlocks) / count) === this.state.block) {
      this.file(this.filed++);
    }
  }

  /** Runs a planned event; the shipment is forgotten once nothing more can reach it. */
  run(p: Plan): void {
    this.event(p);
    this.lifetimes.ran(p.shipment);
  }

  private event(p: Plan): void {
    const d = this.drafts.get(p.shipment)!;
    const s = (): Rec => this.state.get("Shipment", d.id)!;
    switch (p.kind) {
      case "link":
        for (let i = 0; i < d.lines.length; i++) this.linkMtr(p.shipment, i);
        if (this.rng.chance(0.6)) this.linkCoo(p.shipment);
        return;
      case "depart":
        return this.statusChange(d, "DEPARTED", s().carrier as string);
      case "arrive": {
        this.statusChange(d, "ARRIVED", s().carrier as string);
        const score = s().riskScore as number;
        if (score >= 40) this.action(d, "HOLD_PLACED", 1);
        if (score >= 60) this.action(d, "EXAMINATION_ORDERED", null);
        return;
      }
      case "decide": {
        if ((s().activeHolds as number) > 0) this.action(d, "HOLD_LIFTED", 0);
        const refuse = (s().riskScore as number) >= 60 && this.rng.chance(0.5);
        return this.statusChange(d, refuse ? "REFUSED" : "RELEASED", this.cbp);
      }
      case "revoke":
        return this.revoke(p.shipment, p.arg!);
      case "unlink":
        return this.unlink(d, p.arg!);
    }
  }

  /** Plans an event of shipment `j`, which stays live until it has run. */
  private plan(block: number, p: Plan): void {
    if (block > this.timeline.blocks) return; // has not happened yet at the head
    this.timeline.plan(block, p);
    this.lifetimes.planned(p.shipment);
  }

  /** Shipment `j` is settled: no event can reach it or the records only it links. */
  private retire(j: number): void {
    const d = this.drafts.get(j)!;
    this.drafts.delete(j);
    this.rules.forget(d.id);
    this.state.retire("Shipment", d.id);
  }

  private blockAt(t: number): number {
    return t < this.timeline.t0 ? 2 : 2 + Math.ceil((t - this.timeline.t0) / HOUR);
  }

  /** ShipmentFiled: the parties, lines and faults are drawn, the filing judged and evaluated. */
  private file(j: number): void {
    const { state, rng, actors } = this;
    const d = { id: sha(`shipment:${j}`) } as Draft;
    this.drafts.set(j, d);
    this.lifetimes.filed(j);
    const pipe = rng.chance(0.6);
    const manufacturer = actors.pickActive(pipe ? actors.byRole.processor : actors.byRole.mill);
    const mCountry = actors.country.get(manufacturer)!;
    const viaChina = pipe && VIA_CHINA.has(mCountry);
    const exporter = actors.pickActive(rng.chance(0.5) ? [manufacturer] : actors.byRole.exporter);
    const importer = actors.pickActive(actors.byRole.importer);
    const filer = rng.chance(0.3) ? actors.pickActive(actors.byRole.broker) : importer;
    const carrier = rng.chance(0.004) ? addr(`unknown-carrier:${j}`) : actors.pickActive(actors.byRole.carrier);
    const exportCountry =
      exporter === manufacturer ? mCountry : rng.chance(0.85) ? mCountry : actors.country.get(exporter)!;
    const via = rng.chance(0.08) ? [rng.pick(["SG", "MY", "KR", "PA"])] : [];
    this.draftLines(d, pipe, viaChina ? "CN" : mCountry, viaChina, mCountry);
    const ts = state.ts;
    const eta = ts + (d.fraud.late ? rng.int(2, 20) * HOUR : rng.int(6, 30) * DAY + rng.int(0, 23) * HOUR);
    const id = d.id;
    const parties: string[] = [];
    for (const p of [importer, filer, exporter, manufacturer, carrier]) if (!parties.includes(p)) parties.push(p);
    for (const p of parties) this.sample.partyCounts.set(p, (this.sample.partyCounts.get(p) ?? 0) + 1);
    const judged = this.rules.judgeParties(id, { importer, filer, exporter, manufacturer, carrier });
    const versionHash = sha(`version:${j}:1`);
    const { origins, chapters, total, steel } = this.writeLines(d);
    const bol = `BOL${(1_000_000 + j).toString()}`;
    const ports = [rng.pick(PORTS_OF_LADING), rng.pick(PORTS_OF_ENTRY)];
    const { pouch, signedCoo } = this.openPouch(j, d.id, exporter);
    const shipment = state.put("Shipment", id, {
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
      filedAtBlock: BigInt(state.block),
      versionFiledAt: BigInt(ts),
      updatedAt: BigInt(ts),
      meltCountries: [],
      riskScore: 0,
      queueRank: queueRank(0, BigInt(eta)),
      activeRules: [],
      activeFlags: [],
      unverifiedParties: judged.unverified,
      newParties: judged.newcomers,
      partyFindings: judged.rows,
      // The history rules (#21) are not modelled: no verdicts, no running statistics.
      historyFindings: [],
    });
    if (shipment.entryNumber !== "") this.sample.withEntryNumber.push(j);
    const versionId = cat(id, le32(1));
    state.put("ShipmentVersion", versionId, {
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
      workflowInstanceId: pouch,
      blockNumber: BigInt(state.block),
      timestamp: BigInt(ts),
    });
    state.logIndex++;
    this.rules.evaluate(id);
    // Documents follow within a few hours; the voyage takes days.
    const plan = (block: number, p: Plan): void => this.plan(block, p);
    plan(state.block + rng.int(1, 6), { shipment: j, kind: "link" });
    plan(this.blockAt(ts + Math.floor((eta - ts) * 0.2)) + 1, { shipment: j, kind: "depart" });
    plan(this.blockAt(eta) + rng.int(0, 6), { shipment: j, kind: "arrive" });
    plan(this.blockAt(eta) + rng.int(24, 96), { shipment: j, kind: "decide" });
  }

  /** The filing's faults and lines. Honest filings declare the melt country; some declare where the pipe was made. */
  private draftLines(d: Draft, pipe: boolean, meltOrigin: string, viaChina: boolean, mCountry: string): void {
    const { rng } = this;
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
  }

  /** The filing's ShipmentLine records, and what the shipment sums from them. */
  private writeLines(d: Draft): { origins: string[]; chapters: number[]; total: bigint; steel: boolean } {
    const origins: string[] = [];
    const chapters: number[] = [];
    let total = 0n;
    let steel = false;
    const lineIds: string[] = [];
    d.lines.forEach((l, i) => {
      const lid = cat(d.id, le32(i));
      lineIds.push(lid);
      const heading = Number(l.hts / 1_000_000n);
      const chapter = Math.floor(heading / 100);
      this.state.put("ShipmentLine", lid, {
        id: lid,
        shipment: d.id,
        lineIndex: i,
        current: true,
        hts: l.hts,
        htsChapter: chapter,
        htsHeading: heading,
        steel: isSteel(heading),
        declaredKg: l.kg,
        declaredValueCents: l.kg * BigInt(80 + this.rng.int(0, 120)),
        originCountry: l.origin,
        allocatedKg: 0n,
      });
      if (!origins.includes(l.origin)) origins.push(l.origin);
      if (!chapters.includes(chapter)) chapters.push(chapter);
      total += l.kg;
      steel ||= isSteel(heading);
    });
    this.rules.linesOf.set(d.id, lineIds);
    return { origins, chapters, total, steel };
  }

  /**
   * The shipment's own pouch (subgraph/src/pouch.ts); every fourth exporter anchors a signed certificate of origin
   * into it, so the pouch and key entities are queried with data (no rng draw: the season stays the same).
   */
  private openPouch(j: number, id: string, exporter: string): { pouch: string; signedCoo: boolean } {
    const { state } = this;
    const pouch = sha(`workflow:${j}`);
    const signedCoo = j % 4 === 0 && state.get("Actor", exporter) !== undefined;
    state.put("Pouch", pouch, {
      id: pouch,
      millTestReports: 0,
      certificatesOfOrigin: signedCoo ? 1 : 0,
      mismatches: 0,
      shipments: [id],
    });
    if (signedCoo) this.anchorSignedCoo(exporter, pouch, j);
    return { pouch, signedCoo };
  }

  /** An actor's assertion key (one each, registered on first use) and a signed COO anchoring into `pouch`. */
  private anchorSignedCoo(issuer: string, pouch: string, j: number): void {
    const { state } = this;
    const at = BigInt(state.ts);
    const key = sha(`assertion-key:${issuer}`);
    if (!state.get("AssertionKey", key)) {
      state.put("AssertionKey", key, {
        id: key,
        keyId: `${state.get("Actor", issuer)!.did as string}#assertion-1`,
        actor: issuer,
        x: sha(`x:${issuer}`),
        y: sha(`y:${issuer}`),
        submittedBy: issuer,
        registeredAt: at,
        retiredAt: null,
        retiredBy: null,
      });
    }
    const anchoring = sha(`signed-coo:${j}`);
    state.put("SignedAnchoring", anchoring, {
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
      anchoredAt: at,
    });
  }

  /** MillTestReportLinked: line `i` allocates its kilograms (short ones when the weight is faked) from a report. */
  private linkMtr(j: number, i: number): void {
    const { state } = this;
    const d = this.drafts.get(j)!;
    const s = state.get("Shipment", d.id)!;
    const line = d.lines[i];
    const lineId = cat(d.id, le32(i));
    if (!state.get("ShipmentLine", lineId)!.steel || d.fraud.missing[i]) return;
    const kg = d.fraud.weight && i === 0 ? (line.kg * 90n) / 100n : line.kg;
    const report = this.documents.reportFor(s.manufacturer as string, d.pipe[i], kg);
    const rid = report.id as string;
    const aid = cat(d.id, rid, le32(i));
    const at = BigInt(state.ts);
    // The report's holder approved the importer before the link (SECURITY.md R1).
    if (this.documents.approve(rid, s.importer as string)) {
      const approvalId = cat(rid, s.importer as string);
      state.put("AllocatorApproval", approvalId, {
        id: approvalId,
        report: rid,
        holder: report.issuer,
        party: s.importer,
        approved: true,
        updatedAt: at,
        updatedAtBlock: BigInt(state.block),
      });
    }
    state.put("Allocation", aid, {
      id: aid,
      shipment: d.id,
      line: lineId,
      lineIndex: i,
      millTestReport: rid,
      kg,
      active: true,
      consumer: sha(`consumer:${aid}`),
      linkedBy: s.filer,
      linkedAt: at,
      linkedAtBlock: BigInt(state.block),
      unlinkedAt: null,
      invalidatedWhileLinked: false,
      invalidatedWhileLinkedAt: null,
    });
    const al = this.rules.allocationsOf.get(d.id) ?? [];
    al.push(aid);
    this.rules.allocationsOf.set(d.id, al);
    const l = state.get("ShipmentLine", lineId)!;
    l.allocatedKg = (l.allocatedKg as bigint) + kg;
    state.touch("ShipmentLine", lineId);
    setBalance(report, (report.consumedKg as bigint) + kg);
    const linked = report.linkedShipments as string[];
    if (!linked.includes(d.id)) report.linkedShipments = [...linked, d.id];
    state.touch("MillTestReport", rid);
    this.lifetimes.linked(j, rid);
    state.logIndex += 2;
    this.rules.evaluate(d.id);
    if (d.fraud.revokeMtr && i === 0) this.planRevocation(j, rid, state.block + this.rng.int(24, 24 * 20));
  }

  /** Plans the revocation of document `id` (shipment `j`'s doing); the document stays until it has run. */
  private planRevocation(j: number, id: string, block: number): void {
    if (block > this.timeline.blocks) return;
    this.plan(block, { shipment: j, kind: "revoke", arg: id });
    this.lifetimes.revocationPlanned(id);
  }

  /** CertificateOfOriginIssued and Linked: naming the declared origin, or another country when faked. */
  private linkCoo(j: number): void {
    const { state, rng } = this;
    const d = this.drafts.get(j)!;
    const s = state.get("Shipment", d.id)!;
    const k = this.cooCount++;
    const contentHash = sha(`coo:${k}`);
    const issuer = rng.pick(this.actors.byRole.certifier);
    const cid = recordId(issuer, contentHash);
    const origin = (s.declaredOriginCountries as string[])[0];
    const at = BigInt(state.ts);
    state.put("CertificateOfOrigin", cid, {
      id: cid,
      contentHash,
      issuer,
      certificateNumber: `COO-${origin}-${k}`,
      exporter: s.exporter,
      importer: s.importer,
      countryOfOrigin: d.fraud.coo ? rng.pick(["KR", "JP", "MX", "CA"].filter((c) => c !== origin)) : origin,
      htsLines: d.lines.map((l) => l.hts),
      exportDate: at,
      expiresAt: BigInt(state.ts + 2 * 365 * DAY),
      uri: `https://docs.example/coo/${k}`,
      status: "ACTIVE",
      supersedes: null,
      successor: null,
      issuedAt: at,
      issuedAtBlock: BigInt(state.block),
      invalidatedAt: null,
      invalidatedAtBlock: null,
      revocationReason: null,
      linkedShipments: [d.id],
    });
    state.logIndex++;
    const lid = cat(d.id, cid);
    state.put("CertificateLink", lid, {
      id: lid,
      shipment: d.id,
      certificate: cid,
      active: true,
      linkedBy: s.filer,
      linkedAt: at,
      linkedAtBlock: BigInt(state.block),
      unlinkedAt: null,
      invalidatedWhileLinked: false,
      invalidatedWhileLinkedAt: null,
    });
    this.rules.linksOf.set(d.id, [lid]);
    this.lifetimes.created(cid, false);
    this.lifetimes.linked(j, cid);
    state.logIndex++;
    this.rules.evaluate(d.id);
    if (d.fraud.revokeCoo) this.planRevocation(j, cid, state.block + rng.int(24, 24 * 20));
  }

  /** ShipmentStatusChanged: a StatusChange row, then the rules again. */
  private statusChange(d: Draft, to: string, by: string): void {
    const { state } = this;
    const s = state.get("Shipment", d.id)!;
    const sid = state.txId();
    state.put("StatusChange", sid, {
      id: sid,
      shipment: d.id,
      from: s.status,
      to,
      by,
      reasonCode: sha(`reason:${to}`),
      noteHash: sha(`note:${sid}`),
      blockNumber: BigInt(state.block),
      timestamp: BigInt(state.ts),
    });
    s.status = to;
    state.touch("Shipment", d.id);
    this.rules.evaluate(d.id);
  }

  /** A CBP action row (hold, examination, release of a hold) and the shipment's hold count. */
  private action(d: Draft, kind: string, holds: number | null): void {
    const { state } = this;
    const s = state.get("Shipment", d.id)!;
    const aid = state.txId();
    state.put("CbpAction", aid, {
      id: aid,
      shipment: d.id,
      kind,
      reasonCode: sha(`reason:${kind}`),
      by: this.cbp,
      noteHash: sha(`note:${aid}`),
      activeHolds: holds,
      blockNumber: BigInt(state.block),
      timestamp: BigInt(state.ts),
    });
    if (holds !== null) s.activeHolds = holds;
    s.updatedAt = BigInt(state.ts);
    state.touch("Shipment", d.id);
  }

  /** A document revoked after linking: every linked shipment is evaluated again. */
  private revoke(j: number, docId: string): void {
    const { state } = this;
    const mtr = state.get("MillTestReport", docId);
    const doc = mtr ?? state.get("CertificateOfOrigin", docId)!;
    if (doc.status === "ACTIVE") this.revokeActive(j, docId, doc, mtr !== undefined);
    this.lifetimes.revocationRan(docId);
  }

  private revokeActive(j: number, docId: string, doc: Rec, mtr: boolean): void {
    const { state } = this;
    doc.status = "REVOKED";
    doc.invalidatedAt = BigInt(state.ts);
    doc.invalidatedAtBlock = BigInt(state.block);
    doc.revocationReason = sha("reason:FRAUD");
    state.touch(mtr ? "MillTestReport" : "CertificateOfOrigin", docId);
    state.logIndex++;
    for (const sid of doc.linkedShipments as string[]) this.rules.evaluate(sid);
    // Half the time the filer unlinks the revoked report a day later.
    if (mtr && this.rng.chance(0.5)) this.plan(state.block + 24, { shipment: j, kind: "unlink", arg: docId });
  }

  /** MillTestReportUnlinked: the allocations of report `rid` give their kilograms back. */
  private unlink(d: Draft, rid: string): void {
    const { state } = this;
    for (const aid of this.rules.allocationsOf.get(d.id) ?? []) {
      const a = state.get("Allocation", aid)!;
      if (a.millTestReport !== rid || !a.active) continue;
      a.active = false;
      a.unlinkedAt = BigInt(state.ts);
      state.touch("Allocation", aid);
      const line = state.get("ShipmentLine", a.line as string)!;
      line.allocatedKg = (line.allocatedKg as bigint) - (a.kg as bigint);
      state.touch("ShipmentLine", a.line as string);
      const r = state.get("MillTestReport", rid)!;
      setBalance(r, (r.consumedKg as bigint) - (a.kg as bigint));
      state.touch("MillTestReport", rid);
      state.logIndex += 2;
    }
    this.rules.evaluate(d.id);
  }
}
