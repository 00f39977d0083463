/**
 * The targeting report of `npm start`, and the tables of `npm run query`: each saved query of subgraph/queries
 * as a readable table (columns chosen per query), the flagged shipments with their reasons, the transactions the
 * chain refused, the tonnage trends (./trends.ts), and the verdict on the planted frauds.
 */
import fs from "node:fs";
import path from "node:path";
import type { Rejection, RiskRule, SeasonResult } from "./plan";
import { seasonNamer, trendsSection } from "./trends";

export const QUERIES_DIR = path.resolve(__dirname, "..", "..", "subgraph", "queries");

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are walked field by field */
type Row = Record<string, any>;

/** Runs a GraphQL query (through the QueryEngine or over HTTP) and returns its data, throwing on errors. */
export type RunQuery = (query: string, variables?: Record<string, unknown>) => Promise<Row>;

export function savedQueryNames(): string[] {
  return fs
    .readdirSync(QUERIES_DIR)
    .filter((f) => f.endsWith(".graphql"))
    .map((f) => f.replace(/\.graphql$/, ""))
    .sort();
}

export function savedQuery(name: string): string {
  const file = path.join(QUERIES_DIR, `${name}.graphql`);
  if (!fs.existsSync(file)) throw new Error(`no saved query ${name}; known: ${savedQueryNames().join(", ")}`);
  return fs.readFileSync(file, "utf8");
}

/** Names shipments by their season key when known, else by a short id. */
export type Labeler = (id: string) => string;
export const shortId = (id: string): string => (id.length > 14 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);

const when = (unix: unknown): string =>
  unix === null || unix === undefined ? "" : new Date(Number(unix) * 1000).toISOString().slice(0, 16).replace("T", " ");
const list = (v: unknown): string => (Array.isArray(v) ? v.join(" ") : String(v ?? ""));

interface View {
  columns: [string, (row: Row) => unknown][];
  rows(data: Row): Row[];
}

/** The columns shown for each saved query. */
export function views(label: Labeler): Record<string, View> {
  return {
    "high-risk-arrivals": {
      rows: (d) => d.shipments,
      columns: [
        ["shipment", (r) => label(r.id)],
        ["B/L", (r) => r.billOfLading],
        ["status", (r) => r.status],
        ["ETA (UTC)", (r) => when(r.estimatedArrival)],
        ["port of entry", (r) => r.portOfEntry],
        ["score", (r) => r.riskScore],
        ["rules", (r) => list(r.activeRules)],
      ],
    },
    "melt-pour-mismatches": {
      rows: (d) => d.riskFlags,
      columns: [
        ["shipment", (r) => label(r.shipment.id)],
        ["line", (r) => r.lineIndex],
        ["declared", (r) => list(r.shipment.declaredOriginCountries)],
        ["melted", (r) => list(r.shipment.meltCountries)],
        ["score", (r) => r.shipment.riskScore],
        ["status", (r) => r.shipment.status],
      ],
    },
    "mtrs-near-limit": {
      rows: (d) => d.millTestReports,
      columns: [
        ["certificate", (r) => r.certificateNumber],
        ["heat", (r) => r.heatNumber],
        ["derived", (r) => (r.derived ? "yes" : "no")],
        ["total kg", (r) => r.totalKg],
        ["used kg", (r) => r.consumedKg],
        ["left kg", (r) => r.remainingKg],
        ["used", (r) => `${(Number(r.utilizationBps) / 100).toFixed(1)} %`],
        ["shipments", (r) => (r.allocations as Row[]).map((a) => label(a.shipment.id)).join(" ")],
      ],
    },
    "party-shipments": {
      rows: (d) => d.shipments,
      columns: [
        ["shipment", (r) => label(r.id)],
        ["B/L", (r) => r.billOfLading],
        ["status", (r) => r.status],
        ["score", (r) => r.riskScore],
        ["filed (UTC)", (r) => when(r.filedAt)],
        ["filer", (r) => shortId(r.filer.id)],
      ],
    },
    "pipe-lineage": {
      rows: (d) => {
        const out: Row[] = [];
        const walk = (report: Row | null, depth: number, kg: unknown): void => {
          if (!report) return;
          out.push({ depth, kg, ...report });
          for (const edge of (report.inputs as Row[] | undefined) ?? []) walk(edge.input, depth + 1, edge.kg);
        };
        walk(d.millTestReport, 0, "");
        return out;
      },
      columns: [
        ["step", (r) => `${"  ".repeat(r.depth)}${r.depth === 0 ? "product" : "← input"}`],
        ["certificate", (r) => r.certificateNumber],
        ["heat", (r) => r.heatNumber ?? r.heat?.heatNumber ?? ""],
        ["derived", (r) => (r.derived === undefined ? "" : r.derived ? "yes" : "no")],
        ["kg taken", (r) => r.kg],
        ["melted in", (r) => list(r.meltAndPourCountries)],
      ],
    },
    "revoked-after-link": {
      rows: (d) => [
        ...(d.allocations as Row[]).map((a) => ({ kind: "MTR", doc: a.millTestReport, ...a })),
        ...(d.certificateLinks as Row[]).map((c) => ({ kind: "COO", doc: c.certificate, ...c })),
      ],
      columns: [
        ["shipment", (r) => label(r.shipment.id)],
        ["document", (r) => `${r.kind} ${r.doc.certificateNumber}`],
        ["status", (r) => r.doc.status],
        ["linked (UTC)", (r) => when(r.linkedAt)],
        ["went bad (UTC)", (r) => when(r.invalidatedWhileLinkedAt)],
        ["link active", (r) => (r.active ? "yes" : "no")],
      ],
    },
  };
}

/** A plain-text table with a header rule; cells are stringified and columns padded. */
export function formatTable(headers: string[], rows: unknown[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? "" : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** One saved query's result as headers and rows of cells (undefined for an unknown query). */
export function savedRows(
  name: string,
  data: Row,
  label: Labeler,
): { headers: string[]; rows: unknown[][] } | undefined {
  const view = views(label)[name];
  if (!view) return undefined;
  return {
    headers: view.columns.map(([h]) => h),
    rows: view.rows(data).map((r) => view.columns.map(([, get]) => get(r))),
  };
}

/** One saved query's result as a table (or a generic JSON dump for an unknown query). */
export function renderSaved(name: string, data: Row, label: Labeler): string {
  const table = savedRows(name, data, label);
  if (!table) return JSON.stringify(data, null, 2);
  if (table.rows.length === 0) return "(no rows)";
  return formatTable(table.headers, table.rows);
}

/** RFC 4180 CSV: a header line, then one line per row; a cell with a comma, quote or line break is quoted. */
export function formatCsv(table: { headers: string[]; rows: unknown[][] } | undefined): string {
  if (!table) throw new Error("--csv needs a saved query with a table view; use --json");
  const cell = (c: unknown): string => {
    const text = c === null || c === undefined ? "" : String(c);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [table.headers, ...table.rows].map((r) => r.map(cell).join(",")).join("\n");
}

/** A duration in words: "12 h", "2 d 3 h", "45 min". */
export function duration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  const [d, h, m] = [Math.floor(s / 86400), Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60)];
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

/** A time relative to `now` in words: "in 30 h", "2 d 3 h ago". */
export function relative(unix: number, now: number): string {
  return unix >= now ? `in ${duration(unix - now)}` : `${duration(now - unix)} ago`;
}

/** The command that prints one saved query, with its variables in full so that it can be pasted. */
export function queryCommand(name: string, variables?: Record<string, unknown>): string {
  const vars = Object.entries(variables ?? {}).map(([k, v]) => ` --var ${k}=${String(v)}`);
  return `npm run query -- ${name}${vars.join("")}`;
}

/** The variables each saved query gets in the report. */
export function reportVariables(season: SeasonResult): Record<string, Record<string, unknown>> {
  return {
    "high-risk-arrivals": { now: String(season.now) },
    "party-shipments": { party: season.importer.toLowerCase() },
    "pipe-lineage": { id: season.pipeReport },
  };
}

export interface FlaggedShipment {
  id: string;
  key: string;
  billOfLading: string;
  status: string;
  /** Estimated arrival, unix seconds. */
  estimatedArrival: number;
  riskScore: number;
  activeRules: RiskRule[];
  flags: { rule: RiskRule; severity: number; explanation: string }[];
}

export interface Verdict {
  planted: { key: string; fraud: string; expected: RiskRule[]; active: RiskRule[]; flagged: boolean }[];
  /** Clean shipments built to resemble a rule's case: quiet when no rule flags them. */
  lookAlikes: { key: string; resembles: RiskRule; description: string; active: RiskRule[]; quiet: boolean }[];
  cleanFlagged: FlaggedShipment[];
  flagged: FlaggedShipment[];
  rejections: Rejection[];
  ok: boolean;
}

const FLAGGED = `query Flagged {
  shipments(where: { riskScore_gt: 0 }, orderBy: riskScore, orderDirection: desc, first: 1000) {
    id billOfLading status estimatedArrival riskScore activeRules
    flags(where: { active: true }, orderBy: severity, orderDirection: desc) { rule severity explanation }
  }
}`;

/** Compares the active flags with the planted frauds: every fraud flagged with its rules, no clean one flagged. */
export async function judge(run: RunQuery, season: SeasonResult): Promise<Verdict> {
  const keyOf = new Map(season.shipments.map((s) => [s.id, s.key]));
  const data = await run(FLAGGED);
  const flagged: FlaggedShipment[] = (data.shipments as Row[]).map((s) => ({
    id: s.id,
    key: keyOf.get(s.id) ?? shortId(s.id),
    billOfLading: s.billOfLading,
    status: s.status,
    estimatedArrival: Number(s.estimatedArrival),
    riskScore: Number(s.riskScore),
    activeRules: s.activeRules,
    flags: s.flags,
  }));
  const byId = new Map(flagged.map((f) => [f.id, f]));
  const planted = season.shipments
    .filter((s) => s.planted)
    .map((s) => {
      const active = byId.get(s.id)?.activeRules ?? [];
      const expected = s.planted!.expectedRules;
      return {
        key: s.key,
        fraud: s.planted!.fraud,
        expected,
        active,
        flagged: expected.every((r) => active.includes(r)),
      };
    });
  const lookAlikes = season.shipments
    .filter((s) => s.lookAlike)
    .map((s) => {
      const active = byId.get(s.id)?.activeRules ?? [];
      return { key: s.key, resembles: s.lookAlike!, description: s.description, active, quiet: active.length === 0 };
    });
  const cleanFlagged = season.shipments.filter((s) => !s.planted && byId.has(s.id)).map((s) => byId.get(s.id)!);
  const ok = planted.every((p) => p.flagged) && cleanFlagged.length === 0;
  return { planted, lookAlikes, cleanFlagged, flagged, rejections: season.rejections, ok };
}

/** The whole targeting report as text. */
export async function targetingReport(
  run: RunQuery,
  season: SeasonResult,
): Promise<{ text: string; verdict: Verdict }> {
  const keyOf = new Map(season.shipments.map((s) => [s.id, s.key]));
  const label: Labeler = (id) => keyOf.get(id.toLowerCase()) ?? shortId(id);
  const vars = reportVariables(season);
  const out: string[] = [];
  const clean = season.shipments.filter((s) => !s.planted).length;
  const lookAlikes = season.shipments.filter((s) => s.lookAlike).length;
  out.push(
    `TradeTrace targeting report — ${season.shipments.length} shipments filed (${clean} clean` +
      (lookAlikes ? `, ${lookAlikes} of them look-alikes` : "") +
      `, ${season.shipments.length - clean} with a planted fraud), ${season.actors.length} actors, ` +
      `${season.transactions} transactions`,
    "",
  );
  for (const name of savedQueryNames()) {
    const variables = vars[name];
    out.push(`== ${name}`, `   ${queryCommand(name, variables)}`);
    out.push(renderSaved(name, await run(savedQuery(name), variables), label), "");
  }
  out.push(await trendsSection(run, season.now, seasonNamer(season.actors), formatTable), "");
  const verdict = await judge(run, season);
  out.push(
    `== flagged shipments (${verdict.flagged.length}), highest risk first; times relative to ${when(season.now)} UTC`,
  );
  for (const f of verdict.flagged) {
    const planted = season.shipments.find((s) => s.id === f.id)?.planted;
    const eta = `ETA ${when(f.estimatedArrival)} UTC (${relative(f.estimatedArrival, season.now)})`;
    out.push(
      `${f.key}  B/L ${f.billOfLading}  score ${f.riskScore}  ${f.status}  ${eta}  ` +
        (planted ? `planted: ${planted.fraud}` : "CLEAN"),
    );
    for (const flag of f.flags)
      out.push(`  ${flag.rule.padEnd(18)} ${String(flag.severity).padStart(3)}  ${flag.explanation}`);
  }
  out.push("", `== rejected on chain (${verdict.rejections.length})`);
  for (const r of verdict.rejections) out.push(`${r.shipment}  ${r.action}: ${r.error}(${r.args.join(", ")})`);
  out.push("", "== planted frauds");
  out.push(
    formatTable(
      ["shipment", "fraud", "expected", "active rules", "flagged"],
      verdict.planted.map((p) => [p.key, p.fraud, p.expected.join(" "), p.active.join(" "), p.flagged ? "yes" : "NO"]),
    ),
  );
  if (verdict.lookAlikes.length) out.push("", lookAlikeSection(verdict));
  const loud = verdict.lookAlikes.filter((l) => !l.quiet).length;
  out.push(
    "",
    `planted frauds flagged: ${verdict.planted.filter((p) => p.flagged).length}/${verdict.planted.length}; ` +
      `clean shipments flagged: ${verdict.cleanFlagged.length}` +
      (verdict.cleanFlagged.length ? ` (${verdict.cleanFlagged.map((c) => c.key).join(", ")})` : "") +
      (verdict.lookAlikes.length ? `; look-alikes flagged: ${loud}/${verdict.lookAlikes.length}` : ""),
  );
  return { text: out.join("\n"), verdict };
}

/** The look-alikes: clean shipments that resemble a rule's case without meeting it, and must stay unflagged. */
function lookAlikeSection(verdict: Verdict): string {
  return [
    "== look-alikes (clean: each resembles a rule's case without meeting it)",
    formatTable(
      ["shipment", "resembles", "what it is", "active rules", "quiet"],
      verdict.lookAlikes.map((l) => [l.key, l.resembles, l.description, l.active.join(" "), l.quiet ? "yes" : "NO"]),
    ),
  ].join("\n");
}
