/**
 * The risk rules as the query benchmark models them: a port of subgraph/src/risk.ts and subgraph/src/rules/, one
 * function per rule of scripts/lib/risk-rules.ts (its severities and thresholds), writing RiskFlags as
 * `evaluateShipment` does (same ids, causes, order of activeFlags). Explanations follow the subgraph's, except
 * LATE_FILING's, which states the two times. Documents never expire here, so only a status makes one bad.
 */
import { keccak256, toUtf8Bytes } from "ethers";
import {
  LATE_FILING_HOURS,
  NEW_PARTY_DAYS,
  WEIGHT_TOLERANCE_PERCENT,
  severityOf,
  type RiskRule,
} from "../../../scripts/lib/risk-rules";
import { BUSINESS_ROLES } from "../../../scripts/lib/vocabulary";
import { DAY, HOUR, cat, le32, queueRank, utf8hex, type Rec, type SeasonState } from "./state";

const { MILL, PROCESSOR, EXPORTER, IMPORTER, CUSTOMS_BROKER, CARRIER } = BUSINESS_ROLES;

/** A CBP watch entry of the season. */
export interface WatchModel {
  id: string;
  country: string;
  prefix: bigint;
  length: number;
  caseRef: string;
}

interface Finding {
  rule: RiskRule;
  cause: string;
  explanation: string;
  document: string | null;
  lineIndex: number | null;
  party: string | null;
  watchEntry: string | null;
}

type Found = Finding | null;

const finding = (rule: RiskRule, cause: string, explanation: string, extra: Partial<Finding> = {}): Finding => ({
  rule,
  cause,
  explanation,
  document: null,
  lineIndex: null,
  party: null,
  watchEntry: null,
  ...extra,
});

// ---- one function per rule

function missingMtr(line: Rec): Found {
  if ((line.allocatedKg as bigint) !== 0n || !line.steel) return null;
  const label = `line ${line.lineIndex} (HTS ${line.hts})`;
  return finding("MISSING_MTR", `line:${line.lineIndex}`, `${label} has no mill test report`, {
    lineIndex: line.lineIndex as number,
  });
}

function weightMismatch(line: Rec): Found {
  const allocated = line.allocatedKg as bigint;
  const declared = line.declaredKg as bigint;
  if (allocated === 0n) return null;
  const diff = allocated > declared ? allocated - declared : declared - allocated;
  if (diff * 100n <= declared * BigInt(WEIGHT_TOLERANCE_PERCENT)) return null;
  const label = `line ${line.lineIndex} (HTS ${line.hts})`;
  return finding(
    "WEIGHT_MISMATCH",
    `line:${line.lineIndex}`,
    `${label} declares ${declared} kg, mill test reports cover ${allocated} kg`,
    { lineIndex: line.lineIndex as number },
  );
}

function revokedDocument(doc: Rec, kind: string): Found {
  if (doc.status === "ACTIVE") return null;
  const explanation = `${kind} ${doc.certificateNumber} is ${(doc.status as string).toLowerCase()}`;
  return finding("DOCUMENT_REVOKED", `doc:${doc.id}`, explanation, { document: doc.id as string });
}

function meltPourMismatch(report: Rec, line: Rec, melt: string): Found {
  if (melt === line.originCountry) return null;
  return finding(
    "MELT_POUR_MISMATCH",
    `doc:${report.id}:line:${line.lineIndex}`,
    `line ${line.lineIndex} declares origin ${line.originCountry} but mill test report ${report.certificateNumber} was melted and poured in ${melt}`,
    { document: report.id as string, lineIndex: line.lineIndex as number },
  );
}

const watchMatches = (w: WatchModel, hts: bigint): boolean => hts / 10n ** BigInt(10 - w.length) === w.prefix;

function watchlist(entry: WatchModel, line: Rec, melt: string): Found {
  if (!watchMatches(entry, line.hts as bigint)) return null;
  return finding(
    "WATCHLIST",
    `watch:${entry.id}:line:${line.lineIndex}`,
    `line ${line.lineIndex} (HTS ${line.hts}, melted in ${melt}) matches watch entry ${entry.caseRef}`,
    { lineIndex: line.lineIndex as number, watchEntry: entry.id },
  );
}

function cooMismatch(certificate: Rec, origins: string[]): Found {
  const other = origins.find((o) => o !== certificate.countryOfOrigin);
  if (other === undefined) return null;
  return finding(
    "COO_MISMATCH",
    `doc:${certificate.id}`,
    `certificate of origin ${certificate.certificateNumber} names ${certificate.countryOfOrigin}, the filing declares ${other}`,
    { document: certificate.id as string },
  );
}

function partyFinding(row: Rec): Finding {
  const head = `${row.role as string} ${row.party as string}`;
  return finding(row.rule as RiskRule, `party:${head}`, `${head}: ${row.reason as string}`, {
    party: row.party as string,
  });
}

function lateFiling(s: Rec): Found {
  if ((s.filedAt as bigint) + BigInt(LATE_FILING_HOURS * HOUR) <= (s.estimatedArrival as bigint)) return null;
  return finding("LATE_FILING", "filing", `filed at ${s.filedAt}, estimated arrival ${s.estimatedArrival}`);
}

function transshipment(melt: string, entries: WatchModel[], route: string[]): Found {
  if (entries.length === 0) return null;
  const r = route.find((x) => x !== melt && x !== "US");
  if (r === undefined) return null;
  const explanation = `steel melted in ${melt} (watched: ${entries[0].caseRef}) routed through ${r}`;
  return finding("TRANSSHIPMENT", `melt:${melt}`, explanation, { watchEntry: entries[0].id });
}

/** The parties of a filing to judge, and the role each must hold (subgraph/src/shipmentRegistry.ts). */
export interface FilingParties {
  importer: string;
  filer: string;
  exporter: string;
  manufacturer: string;
  carrier: string;
}

/** The rules over the season's state, and the shipments' document links they read. */
export class RuleModel {
  readonly linesOf = new Map<string, string[]>();
  readonly allocationsOf = new Map<string, string[]>();
  readonly linksOf = new Map<string, string[]>();
  /** The melt countries each shipment has a MeltCountryShipment for. */
  private readonly meltLinked = new Map<string, Set<string>>();

  constructor(
    private readonly state: SeasonState,
    private readonly watch: WatchModel[],
    private readonly onboardedAt: Map<string, number>,
  ) {}

  /**
   * Judges a filing's parties (UNVERIFIED_PARTY, NEW_PARTY) and stores PartyFinding rows for version 1 of
   * `shipment`; returns the rows' ids and their text for Shipment.unverifiedParties / newParties.
   */
  judgeParties(shipment: string, p: FilingParties): { rows: string[]; unverified: string[]; newcomers: string[] } {
    const out = { rows: [] as string[], unverified: [] as string[], newcomers: [] as string[] };
    const found = (rule: RiskRule, role: string, party: string, reason: string): void => {
      const id = cat(shipment, le32(1), le32(out.rows.length));
      this.state.put("PartyFinding", id, { id, shipment, version: 1, rule, role, party, reason });
      out.rows.push(id);
      (rule === "UNVERIFIED_PARTY" ? out.unverified : out.newcomers).push(`${role} ${party}: ${reason}`);
    };
    const checks: [string, string, number][] = [
      ["IMPORTER", p.importer, IMPORTER],
      ...(p.filer !== p.importer ? [["BROKER", p.filer, CUSTOMS_BROKER] as [string, string, number]] : []),
      ["EXPORTER", p.exporter, EXPORTER],
      ["MANUFACTURER", p.manufacturer, MILL | PROCESSOR],
      ["CARRIER", p.carrier, CARRIER],
    ];
    for (const [role, party, roles] of checks) {
      const reason = this.unverifiedReason(party, roles);
      if (reason) found("UNVERIFIED_PARTY", role, party, reason);
    }
    for (const [role, party] of [
      ["EXPORTER", p.exporter],
      ["IMPORTER", p.importer],
    ]) {
      const at = this.onboardedAt.get(party);
      const age = this.state.ts - (at ?? 0);
      if (at !== undefined && age < NEW_PARTY_DAYS * DAY) {
        found("NEW_PARTY", role, party, `onboarded ${Math.floor(age / DAY)} days before filing`);
      }
    }
    return out;
  }

  /** Re-runs every rule for shipment `id` and reconciles its flags (subgraph/src/risk.ts evaluateShipment). */
  evaluate(id: string): void {
    const { state } = this;
    const s = state.get("Shipment", id)!;
    const allocated = this.activeAllocations(id);
    const certified = (this.linksOf.get(id) ?? [])
      .map((lid) => state.get("CertificateLink", lid)!)
      .filter((l) => l.active);
    const melts = this.meltCountriesOf(allocated);
    this.markInvalidated(allocated, certified);
    const active = this.reconcile(s, this.findingsOf(s, allocated, certified, melts));
    this.rememberMeltCountries(s, melts);
    s.activeFlags = active;
    s.activeRules = active.map((fid) => state.get("RiskFlag", fid)!.rule as string);
    s.riskScore = active.reduce((sum, fid) => sum + (state.get("RiskFlag", fid)!.severity as number), 0);
    s.queueRank = queueRank(s.riskScore, s.estimatedArrival as bigint);
    s.updatedAt = BigInt(state.ts);
    state.touch("Shipment", id);
  }

  /** Shipment `id` is settled: retires it and the records only it reaches (its active flags stay as written). */
  forget(id: string): void {
    const { state } = this;
    const s = state.get("Shipment", id)!;
    for (const lid of this.linesOf.get(id) ?? []) state.retire("ShipmentLine", lid);
    for (const aid of this.allocationsOf.get(id) ?? []) state.retire("Allocation", aid);
    for (const lid of this.linksOf.get(id) ?? []) state.retire("CertificateLink", lid);
    for (const pid of s.partyFindings as string[]) state.retire("PartyFinding", pid);
    for (const fid of s.activeFlags as string[]) state.retire("RiskFlag", fid);
    this.linesOf.delete(id);
    this.allocationsOf.delete(id);
    this.linksOf.delete(id);
    this.meltLinked.delete(id);
  }

  private unverifiedReason(party: string, roles: number): string {
    const a = this.state.get("Actor", party);
    if (!a) return "not an onboarded actor";
    if (a.suspended) return "suspended";
    if (((a.roles as number) & roles) === 0) return "lacks the role";
    return "";
  }

  private activeAllocations(id: string): Rec[] {
    return (this.allocationsOf.get(id) ?? []).map((aid) => this.state.get("Allocation", aid)!).filter((a) => a.active);
  }

  private activeEntries(country: string): WatchModel[] {
    return ((this.state.get("Country", country)?.activeWatchEntries as string[] | undefined) ?? [])
      .map((id) => this.watch.find((w) => w.id === id)!)
      .filter((w) => this.state.get("WatchEntry", w.id)!.active === true);
  }

  private meltCountriesOf(allocated: Rec[]): string[] {
    const melts: string[] = [];
    for (const a of allocated) {
      for (const m of this.state.get("MillTestReport", a.millTestReport as string)!.meltAndPourCountries as string[]) {
        if (!melts.includes(m)) melts.push(m);
      }
    }
    return melts;
  }

  /** Every finding, in the subgraph's order: per line, per allocation, per certificate, parties, timing, route. */
  private findingsOf(s: Rec, allocated: Rec[], certified: Rec[], melts: string[]): Finding[] {
    const { state } = this;
    const out: Finding[] = [];
    const add = (f: Found): void => void (f && out.push(f));
    const addOnce = (f: Found): void =>
      void (f && !out.some((x) => x.rule === f.rule && x.cause === f.cause) && out.push(f));
    const lines = (this.linesOf.get(s.id as string) ?? []).map((id) => state.get("ShipmentLine", id)!);
    for (const line of lines.filter((l) => l.current)) {
      add(missingMtr(line));
      add(weightMismatch(line));
    }
    for (const a of allocated) {
      const report = state.get("MillTestReport", a.millTestReport as string)!;
      const line = state.get("ShipmentLine", a.line as string)!;
      addOnce(revokedDocument(report, "mill test report"));
      for (const m of report.meltAndPourCountries as string[]) {
        addOnce(meltPourMismatch(report, line, m));
        for (const e of this.activeEntries(m)) addOnce(watchlist(e, line, m));
      }
    }
    for (const link of certified) {
      const certificate = state.get("CertificateOfOrigin", link.certificate as string)!;
      add(revokedDocument(certificate, "certificate of origin"));
      add(cooMismatch(certificate, s.declaredOriginCountries as string[]));
    }
    for (const pid of s.partyFindings as string[]) add(partyFinding(state.get("PartyFinding", pid)!));
    add(lateFiling(s));
    const route = [s.exportCountry as string, ...(s.transshipmentCountries as string[])];
    for (const m of melts) add(transshipment(m, this.activeEntries(m), route));
    return out;
  }

  /** Records on each document link whether its document went bad while the link was in force. */
  private markInvalidated(allocated: Rec[], certified: Rec[]): void {
    const { state } = this;
    const mark = (type: string, link: Rec, doc: Rec): void => {
      if (doc.status === "ACTIVE" || link.invalidatedWhileLinked) return;
      link.invalidatedWhileLinked = true;
      link.invalidatedWhileLinkedAt = BigInt(state.ts);
      state.touch(type, link.id as string);
    };
    for (const a of allocated) mark("Allocation", a, state.get("MillTestReport", a.millTestReport as string)!);
    for (const l of certified) mark("CertificateLink", l, state.get("CertificateOfOrigin", l.certificate as string)!);
  }

  /** Flags found again stay, flags not found clear, new findings raise flags; returns the active flags' ids. */
  private reconcile(s: Rec, findings: Finding[]): string[] {
    const { state } = this;
    const kept = findings.map(() => false);
    const active: string[] = [];
    for (const fid of s.activeFlags as string[]) {
      const flag = state.get("RiskFlag", fid)!;
      const j = findings.findIndex((x, i) => !kept[i] && x.rule === flag.rule && x.cause === flag.cause);
      if (j >= 0) {
        kept[j] = true;
        active.push(fid);
        if (flag.explanation !== findings[j].explanation) {
          flag.explanation = findings[j].explanation;
          state.touch("RiskFlag", fid);
        }
      } else {
        flag.active = false;
        flag.clearedAt = BigInt(state.ts);
        flag.clearedAtBlock = BigInt(state.block);
        state.touch("RiskFlag", fid);
        state.retire("RiskFlag", fid); // a cleared flag is never raised again: a new finding raises a new one
      }
    }
    findings.forEach((x, j) => {
      if (!kept[j]) active.push(this.raise(s.id as string, x));
    });
    return active;
  }

  private raise(shipment: string, x: Finding): string {
    const { state } = this;
    const key = keccak256(toUtf8Bytes(`${x.rule}|${x.cause}`));
    const fid = cat(shipment, key, le32(state.block), le32(state.logIndex));
    state.put("RiskFlag", fid, {
      id: fid,
      shipment,
      rule: x.rule,
      severity: severityOf(x.rule),
      explanation: x.explanation,
      cause: x.cause,
      active: true,
      raisedAtBlock: BigInt(state.block),
      raisedAt: BigInt(state.ts),
      clearedAtBlock: null,
      clearedAt: null,
      document: x.document,
      lineIndex: x.lineIndex,
      party: x.party,
      watchEntry: x.watchEntry,
    });
    return fid;
  }

  /** Remembers the melt countries, so that watch entries for them would re-evaluate the shipment. */
  private rememberMeltCountries(s: Rec, melts: string[]): void {
    s.meltCountries = melts;
    const id = s.id as string;
    let linked = this.meltLinked.get(id);
    if (!linked) this.meltLinked.set(id, (linked = new Set()));
    for (const m of melts) {
      this.state.country(m);
      if (linked.has(m)) continue;
      linked.add(m);
      const linkId = cat(id, utf8hex(m));
      this.state.put("MeltCountryShipment", linkId, { id: linkId, country: m, shipment: id });
    }
  }
}
