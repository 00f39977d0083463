/**
 * The saved queries of subgraph/queries/ with variables picked from a generated season, and their timing
 * over HTTP against the real GraphQL server.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { SeasonResult } from "./query-data";
import { ascending, percentile } from "./stats";

export const QUERIES_DIR = join(__dirname, "..", "..", "subgraph", "queries");
export const SCHEMA_PATH = join(__dirname, "..", "..", "subgraph", "schema.graphql");

export interface QueryCase {
  /** The saved query's file name without `.graphql`, plus a variant label. */
  name: string;
  file: string;
  query: string;
  variables: Record<string, unknown>;
  /** What the variables select, in words. */
  note: string;
}

export interface CaseTiming {
  name: string;
  note: string;
  variables: Record<string, unknown>;
  /** Entities in the answer's top-level lists (1 for a single entity). */
  rows: number;
  /** Every entity in the answer, nested ones included. */
  entities: number;
  runs: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
  /**
   * CPU time of this process (client and server: the server runs in it) per request, p50 and p95: on a
   * machine shared with other jobs it shows the work a request costs, where wall time shows the wait.
   */
  cpuP50: number;
  cpuP95: number;
  /** The client's JSON.parse of the answer, p50 (ms): after the clock stops, so not in p50/p95. */
  clientParseP50: number;
}

/** The saved query texts by file name (without `.graphql`). */
export function savedQueries(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(QUERIES_DIR).sort()) {
    if (f.endsWith(".graphql")) out.set(f.slice(0, -".graphql".length), readFileSync(join(QUERIES_DIR, f), "utf8"));
  }
  return out;
}

/** How many shipments name each party (Shipment.parties), counted while the season was generated. */
export function partyCounts(season: SeasonResult): Map<string, number> {
  return season.sample.partyCounts;
}

/**
 * One case per saved query, two for party-shipments: a carrier on many shipments (broad, capped by
 * `first: 1000`) and an importer on few (selective).
 */
export function queryCases(season: SeasonResult): QueryCase[] {
  const queries = savedQueries();
  const counts = partyCounts(season);
  const byCount = (ids: string[]) => ids.filter((id) => counts.has(id)).sort((a, b) => counts.get(b)! - counts.get(a)!);
  const carriers = byCount(season.actorsByRole.carrier);
  const importers = byCount(season.actorsByRole.importer);
  const broad = carriers[0];
  const selective = importers[Math.floor(importers.length / 2)];
  const pipe = season.sample.pipe;
  const cases: QueryCase[] = [];
  const add = (file: string, variables: Record<string, unknown>, note: string, variant = "") => {
    const query = queries.get(file);
    if (!query) throw new Error(`saved query ${file}.graphql not found in ${QUERIES_DIR}`);
    cases.push({ name: file + (variant ? ` (${variant})` : ""), file, query, variables, note });
  };
  add("high-risk-arrivals", { now: String(season.now) }, "score ≥ 50, arriving in the 72 h after the head");
  add("melt-pour-mismatches", {}, "every active MELT_POUR_MISMATCH flag, newest 100");
  add("mtrs-near-limit", {}, "active reports ≥ 90 % used, top 100, with their active allocations");
  add("party-shipments", { party: broad }, `a carrier on ${counts.get(broad)} shipments (first 1000)`, "broad");
  add("party-shipments", { party: selective }, `an importer on ${counts.get(selective)} shipments`, "selective");
  add("pipe-lineage", { id: pipe }, "a pipe report, three levels of inputs");
  add("revoked-after-link", {}, "allocations and certificate links invalidated while linked (first 1000 each)");
  const covered = new Set(cases.map((c) => c.file));
  for (const f of queries.keys()) if (!covered.has(f)) throw new Error(`no benchmark case for saved query ${f}`);
  return cases;
}

/** The bearer token `post` sends (the served endpoint asks for one). */
export const endpointAuth: { token?: string } = {};

/** An answer as it arrived: its status and its bytes, not parsed yet. */
interface RawAnswer {
  status: number;
  body: ArrayBuffer;
}

/** Posts a query; resolves once the answer's last byte has arrived. */
async function fetchAnswer(url: string, c: QueryCase): Promise<RawAnswer> {
  const auth: Record<string, string> = endpointAuth.token ? { Authorization: `Bearer ${endpointAuth.token}` } : {};
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...auth },
    body: JSON.stringify({ query: c.query, variables: c.variables }),
  });
  return { status: res.status, body: await res.arrayBuffer() };
}

/** The answer's data; throws when the answer has errors or no data. */
function answerData(c: QueryCase, answer: RawAnswer): Record<string, unknown> {
  const text = new TextDecoder().decode(answer.body);
  const body = JSON.parse(text) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (answer.status !== 200 || body.errors || !body.data) {
    throw new Error(`${c.name}: HTTP ${answer.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  }
  return body.data;
}

/** Posts a query; throws when the answer has errors or no data. */
export async function post(url: string, c: QueryCase): Promise<Record<string, unknown>> {
  return answerData(c, await fetchAnswer(url, c));
}

/** Top-level rows of an answer; throws if the answer is empty. */
export function countRows(c: QueryCase, data: Record<string, unknown>): { rows: number; entities: number } {
  let rows = 0;
  for (const v of Object.values(data)) rows += Array.isArray(v) ? v.length : v === null ? 0 : 1;
  if (rows === 0) throw new Error(`${c.name}: the answer is empty (${JSON.stringify(data)})`);
  const walk = (v: unknown): number => {
    if (Array.isArray(v)) return v.reduce((n: number, x) => n + walk(x), 0);
    if (v && typeof v === "object") return 1 + Object.values(v).reduce((n: number, x) => n + walk(x), 0);
    return 0;
  };
  return { rows, entities: walk(Object.values(data)) };
}

const round = (x: number): number => Math.round(x * 100) / 100;

/**
 * Warms up, then times `runs` sequential requests of the case, each from sending it to the last byte of its
 * answer (as a load tool times a response). Each answer is then parsed and checked outside the clock.
 */
export async function timeCase(url: string, c: QueryCase, runs: number, warmup = 10): Promise<CaseTiming> {
  let counted = countRows(c, await post(url, c));
  for (let i = 1; i < warmup; i++) await post(url, c);
  const ms: number[] = [];
  const cpu: number[] = [];
  const parseMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t = performance.now();
    const answer = await fetchAnswer(url, c);
    ms.push(performance.now() - t);
    const used = process.cpuUsage(c0);
    cpu.push((used.user + used.system) / 1000);
    // Parsed after the clock stops: latency is the server's answer arriving, not this client reading it.
    // Every answer is still checked, and the parse is timed on its own.
    const p = performance.now();
    const data = answerData(c, answer);
    parseMs.push(performance.now() - p);
    if (i === runs - 1) counted = countRows(c, data);
  }
  const sorted = ascending(ms);
  const cpuSorted = ascending(cpu);
  return {
    name: c.name,
    note: c.note,
    variables: c.variables,
    ...counted,
    runs,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    max: round(sorted[sorted.length - 1]),
    mean: round(ms.reduce((a, b) => a + b, 0) / ms.length),
    cpuP50: round(percentile(cpuSorted, 0.5)),
    cpuP95: round(percentile(cpuSorted, 0.95)),
    clientParseP50: round(percentile(ascending(parseMs), 0.5)),
  };
}
