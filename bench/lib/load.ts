/**
 * The load test's engine, shared by `npm run test:load` (bench/load.ts) and its short run in `npm test`:
 * forks a server process over an indexed store (bench/lib/load-server.ts), then runs `clients` concurrent
 * HTTP clients for `seconds`, cycling through the saved queries with the season's variables plus, every
 * `badEvery`-th request, a bad query that must fail with its expected error. Samples the server's RSS every
 * second and its heap after a forced GC at the start, the middle and the end.
 */
import { fork, type ChildProcess } from "node:child_process";
import { Agent } from "node:http";
import path from "node:path";
import { reportVariables, savedQuery, savedQueryNames } from "../../scripts/season/report";
import type { SeasonResult } from "../../scripts/season/plan";
import { postJson } from "../../lib/http";
import type { MemoryReply, ProbeRequest } from "./load-server";
import { mb, percentile } from "./stats";
import { messageOf } from "../../lib/errors";

export interface LoadOptions {
  /** An indexed store of the real subgraph. */
  db: string;
  schema: string;
  /** The season that filled the store: the variables of the saved queries. */
  season: SeasonResult;
  clients: number;
  seconds: number;
  /** Every n-th request is a bad query (default 20). */
  badEvery?: number;
  /** The bad queries (default BAD_QUERIES). */
  badQueries?: BadQuery[];
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface QueryStats {
  name: string;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  clients: number;
  seconds: number;
  requests: number;
  perSecond: number;
  /** Saved queries answered with errors or no data, bad queries not failing as expected, non-200 answers. */
  unexpectedErrors: number;
  unexpectedSamples: string[];
  /** Bad queries that failed as they should. */
  expectedErrors: number;
  /** Saved queries that never returned a row (a realistic store answers every one of them). */
  emptyQueries: string[];
  queries: QueryStats[];
  memory: {
    /** RSS in MB, one sample a second. */
    rssSamplesMB: number[];
    rssStartMB: number;
    rssMaxMB: number;
    rssEndMB: number;
    /** Highest RSS of the second half of the run minus the highest of the first half. */
    rssGrowthLastHalfMB: number;
    heapAfterGcMB: { start: number; middle: number; end: number };
  };
}

export interface BadQuery {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** The error it must get. */
  error: RegExp;
}

/** Bad requests mixed into the load, each with the error it must get. */
export const BAD_QUERIES: BadQuery[] = [
  { name: "syntax", query: "{ shipments { id ", error: /Syntax Error/ },
  { name: "unknown-field", query: "{ shipments { nope } }", error: /Cannot query field "nope"/ },
  { name: "first-over-max", query: "{ shipments(first: 5000) { id } }", error: /`first` argument must be between/ },
  {
    name: "too-deep",
    query: `{ riskFlags { ${"shipment { flags { ".repeat(13)}id${" } }".repeat(13)} } }`,
    error: /levels deep/,
  },
  {
    name: "bad-variable",
    query: "query($p: Bytes!) { shipments(where: { parties_contains: [$p] }) { id } }",
    variables: { p: "not hex" },
    error: /Bytes must be 0x-prefixed hex/,
  },
  {
    name: "future-block",
    query: "{ shipments(block: { number: 999999999 }) { id } }",
    error: /not yet available/,
  },
];

/** A latency percentile in ms with one decimal. */
const ms = (sorted: number[], q: number): number => Math.round(percentile(sorted, q) * 10) / 10;

/** True when a GraphQL `data` object holds at least one entity. */
function hasRows(data: unknown): boolean {
  if (data === null || typeof data !== "object") return false;
  return Object.values(data).some((v) => (Array.isArray(v) ? v.length > 0 : v !== null));
}

/** The forked server and a serialised request/reply channel to it. */
class ServerProcess {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    /** The analyst token the forked server accepts. */
    readonly token: string,
  ) {}

  static async start(db: string, schema: string, name: string): Promise<ServerProcess> {
    const child = fork(path.join(__dirname, "load-server.ts"), [db, schema, name], {
      execArgv: ["--expose-gc", "-r", "ts-node/register/transpile-only"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const { port, token } = await new Promise<{ port: number; token: string }>((ok, fail) => {
      child.once("message", (m: { port: number; token: string }) => ok(m));
      child.once("exit", (code) => fail(new Error(`the load server exited with ${code} before listening`)));
    });
    return new ServerProcess(child, port, token);
  }

  memory(gc: boolean): Promise<MemoryReply> {
    const next = this.queue.then(
      () =>
        new Promise<MemoryReply>((ok) => {
          this.child.once("message", (m: MemoryReply) => ok(m));
          this.child.send({ probe: "memory", gc } satisfies ProbeRequest);
        }),
    );
    this.queue = next;
    return next;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((ok) => this.child.once("exit", () => ok()));
    this.child.send({ probe: "stop" } satisfies ProbeRequest);
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const log = o.log ?? (() => {});
  const badEvery = o.badEvery ?? 20;
  const badQueries = o.badQueries ?? BAD_QUERIES;
  const name = "tradetrace";
  const vars = reportVariables(o.season);
  const saved = savedQueryNames().map((n) => ({ name: n, query: savedQuery(n), variables: vars[n] }));
  const server = await ServerProcess.start(o.db, o.schema, name);
  const urlPath = `/subgraphs/name/${name}`;
  const agent = new Agent({ keepAlive: true, maxSockets: o.clients });
  const latencies = new Map<string, number[]>(saved.map((s) => [s.name, []]));
  const nonEmpty = new Set<string>();
  const unexpected: string[] = [];
  let unexpectedErrors = 0;
  let expectedErrors = 0;
  let requests = 0;
  let seq = 0;
  const samples: number[] = [];
  try {
    // One pass first: warms the caches and fails fast when a saved query is broken.
    for (const s of saved) await postJson(server.port, urlPath, s, agent, server.token);
    const heapStart = (await server.memory(true)).heapUsed;
    const began = performance.now();
    const deadline = began + o.seconds * 1000;
    let heapMiddle = 0;
    const sampler = (async () => {
      for (let second = 1; performance.now() < deadline; second++) {
        await new Promise((ok) => setTimeout(ok, Math.max(0, began + second * 1000 - performance.now())));
        if (performance.now() > deadline + 500) break;
        samples.push((await server.memory(false)).rss);
        if (second === Math.floor(o.seconds / 2)) heapMiddle = (await server.memory(true)).heapUsed;
        if (second % 10 === 0) log(`  ${second} s: ${requests} requests, RSS ${mb(samples[samples.length - 1])} MB`);
      }
    })();
    const fail = (what: string): void => {
      unexpectedErrors++;
      if (unexpected.length < 10) unexpected.push(what.slice(0, 500));
    };
    const client = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const k = seq++;
        const bad = k % badEvery === badEvery - 1 ? badQueries[Math.floor(k / badEvery) % badQueries.length] : null;
        const req = bad ?? saved[k % saved.length];
        let reply;
        try {
          reply = await postJson(
            server.port,
            urlPath,
            { query: req.query, variables: req.variables },
            agent,
            server.token,
          );
        } catch (e) {
          fail(`${req.name}: ${messageOf(e)}`);
          continue;
        }
        requests++;
        let body: { data?: unknown; errors?: { message: string }[] };
        try {
          body = JSON.parse(reply.body) as typeof body;
        } catch {
          fail(`${req.name}: status ${reply.status}, not JSON: ${reply.body}`);
          continue;
        }
        if (reply.status !== 200) fail(`${req.name}: status ${reply.status}: ${reply.body}`);
        else if (bad) {
          if (body.errors?.some((e) => bad.error.test(e.message)) && !hasRows(body.data)) expectedErrors++;
          else fail(`${bad.name}: expected ${String(bad.error)}, got ${reply.body}`);
        } else if (body.errors?.length || body.data === undefined) fail(`${req.name}: ${reply.body}`);
        else {
          latencies.get(req.name)!.push(reply.ms);
          if (hasRows(body.data)) nonEmpty.add(req.name);
        }
      }
    };
    await Promise.all(Array.from({ length: o.clients }, client));
    const elapsed = (performance.now() - began) / 1000;
    await sampler;
    const heapEnd = (await server.memory(true)).heapUsed;
    const half = Math.floor(samples.length / 2);
    const peak = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
    return {
      clients: o.clients,
      seconds: Math.round(elapsed * 10) / 10,
      requests,
      perSecond: Math.round(requests / elapsed),
      unexpectedErrors,
      unexpectedSamples: unexpected,
      expectedErrors,
      emptyQueries: saved.map((s) => s.name).filter((n) => !nonEmpty.has(n)),
      queries: saved.map((s) => {
        const l = latencies.get(s.name)!.sort((a, b) => a - b);
        return {
          name: s.name,
          requests: l.length,
          p50: ms(l, 0.5),
          p95: ms(l, 0.95),
          p99: ms(l, 0.99),
          max: ms(l, 1),
        };
      }),
      memory: {
        rssSamplesMB: samples.map(mb),
        rssStartMB: mb(samples[0] ?? 0),
        rssMaxMB: mb(peak(samples)),
        rssEndMB: mb(samples[samples.length - 1] ?? 0),
        rssGrowthLastHalfMB: mb(peak(samples.slice(half)) - peak(samples.slice(0, half))),
        heapAfterGcMB: { start: mb(heapStart), middle: mb(heapMiddle || heapStart), end: mb(heapEnd) },
      },
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}
