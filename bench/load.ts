/**
 * `npm run test:load [-- --seconds 60] [--clients 50] [--db FILE] [--rebuild] [--max-rss-growth-mb 32]
 *                      [--max-heap-growth-mb 16]`
 *
 * Load test of the query API on 127.0.0.1: the real GraphQL server (its own process) over a store indexed by
 * the real subgraph from an import season, 50 concurrent clients for 60 s cycling through the saved queries
 * with the season's variables, one request in 20 a bad query that must fail cleanly. Prints requests served,
 * latency per query, errors and the server's memory; writes bench/results/load.json.
 *
 * The store is `--db FILE` (an indexed store with the season.json of `npm start` beside it), else
 * .tradetrace/load/devnet.db, built the first time (or with `--rebuild`) by `npm start -- --once` into
 * .tradetrace/load/.
 *
 * Exits 1 when any answer is unexpected (an error from a saved query, a bad query not failing as it should,
 * a non-200 status, a dropped connection), when a saved query returns nothing, or when the server's memory is
 * not bounded:
 * - RSS: the highest sample of the second half may exceed the highest of the first half by at most 32 MB. The
 *   first half absorbs the warm-up (JIT code, SQLite page cache, V8 growing its heap, one socket buffer per
 *   client: about 20 MB on this project's machine); V8 grows and shrinks the heap in steps of several MB
 *   (semi-spaces of up to 16 MB each), so a tighter bound would flag noise. A leak proportional to the
 *   traffic shows up as steady growth over the second half and crosses it.
 * - Heap after a forced GC: the end may exceed the middle of the run by at most 16 MB. This is the sharper
 *   test: at the ~80–500 requests/s measured here, 30 s is 2,400–15,000 requests, so a leak of a few KB
 *   per request fails it.
 */
import fs from "node:fs";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import { parseStartArgs, start } from "../scripts/start";
import type { SeasonResult } from "../scripts/season/plan";
import { runLoad, type LoadResult } from "./lib/load";
import { machine } from "./lib/machine";
import { messageOf } from "../lib/errors";

const ROOT = path.resolve(__dirname, "..");
const SCHEMA = path.join(ROOT, "subgraph", "schema.graphql");
const USAGE =
  "usage: npm run test:load [-- --seconds 60] [--clients 50] [--db FILE] [--rebuild] [--max-rss-growth-mb 32] " +
  "[--max-heap-growth-mb 16]";

export interface LoadArgs {
  seconds: number;
  clients: number;
  db?: string;
  rebuild: boolean;
  maxRssGrowthMB: number;
  maxHeapGrowthMB: number;
}

export function parseLoadArgs(argv: string[]): LoadArgs {
  const args: LoadArgs = { seconds: 60, clients: 50, rebuild: false, maxRssGrowthMB: 32, maxHeapGrowthMB: 16 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (): number => {
      const n = Number(argv[++i]);
      if (!(n > 0) || !Number.isFinite(n)) throw new Error(`${a} needs a positive number\n${USAGE}`);
      return n;
    };
    if (a === "--seconds") args.seconds = num();
    else if (a === "--clients") args.clients = Math.floor(num());
    else if (a === "--max-rss-growth-mb") args.maxRssGrowthMB = num();
    else if (a === "--max-heap-growth-mb") args.maxHeapGrowthMB = num();
    else if (a === "--rebuild") args.rebuild = true;
    else if (a === "--db") {
      if (argv[i + 1] === undefined) throw new Error(`--db needs a file\n${USAGE}`);
      args.db = path.resolve(argv[++i]);
    } else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return args;
}

/** The store and its season: the given one, the cached one, or a new one from `npm start -- --once`. */
async function storeAndSeason(args: LoadArgs): Promise<{ db: string; season: SeasonResult }> {
  let db = args.db;
  if (!db) {
    const dir = path.join(ROOT, ".tradetrace", "load");
    db = path.join(dir, "devnet.db");
    if (args.rebuild || !fs.existsSync(db) || !fs.existsSync(path.join(dir, "season.json"))) {
      process.stderr.write(`building the store: npm start -- --once --db ${path.relative(ROOT, db)}\n`);
      const outcome = await start(
        { ...parseStartArgs(["--once", "--db", db]), deploymentsDir: dir },
        { stdout: () => {}, stderr: (line) => process.stderr.write(`  ${line}\n`) },
      );
      if (outcome.code !== 0) throw new Error("the season's targeting verdict failed; the store is not trustworthy");
    }
  }
  const seasonFile = path.join(path.dirname(db), "season.json");
  if (!fs.existsSync(db)) throw new Error(`no store at ${db}`);
  if (!fs.existsSync(seasonFile)) throw new Error(`no season.json beside ${db} (the variables of the saved queries)`);
  return { db, season: JSON.parse(fs.readFileSync(seasonFile, "utf8")) as SeasonResult };
}

export function report(r: LoadResult): string {
  const m = r.memory;
  const lines = [
    `${r.clients} clients for ${r.seconds} s: ${r.requests} requests served (${r.perSecond}/s), ` +
      `${r.expectedErrors} bad queries refused as expected, ${r.unexpectedErrors} unexpected errors`,
    "",
    "query                       requests   p50 ms   p95 ms   p99 ms   max ms",
    ...r.queries.map(
      (q) =>
        `${q.name.padEnd(26)}  ${String(q.requests).padStart(8)} ${String(q.p50).padStart(8)} ` +
        `${String(q.p95).padStart(8)} ${String(q.p99).padStart(8)} ${String(q.max).padStart(8)}`,
    ),
    "",
    `server RSS: start ${m.rssStartMB} MB, max ${m.rssMaxMB} MB, end ${m.rssEndMB} MB, ` +
      `growth over the second half ${m.rssGrowthLastHalfMB} MB`,
    `server heap after GC: start ${m.heapAfterGcMB.start} MB, middle ${m.heapAfterGcMB.middle} MB, ` +
      `end ${m.heapAfterGcMB.end} MB`,
  ];
  for (const s of r.unexpectedSamples) lines.push(`unexpected: ${s}`);
  if (r.emptyQueries.length) lines.push(`saved queries that returned nothing: ${r.emptyQueries.join(", ")}`);
  return lines.join("\n");
}

async function main(): Promise<number> {
  const args = parseLoadArgs(process.argv.slice(2));
  const { db, season } = await storeAndSeason(args);
  process.stderr.write(`load: ${args.clients} clients for ${args.seconds} s against ${path.relative(ROOT, db)}\n`);
  const result = await runLoad({
    db,
    schema: SCHEMA,
    season,
    clients: args.clients,
    seconds: args.seconds,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${report(result)}\n`);
  const m = result.memory;
  const heapGrowth = Math.round((m.heapAfterGcMB.end - m.heapAfterGcMB.middle) * 10) / 10;
  const problems: string[] = [];
  if (m.rssGrowthLastHalfMB > args.maxRssGrowthMB) {
    problems.push(`RSS grew ${m.rssGrowthLastHalfMB} MB over the second half (at most ${args.maxRssGrowthMB})`);
  }
  if (heapGrowth > args.maxHeapGrowthMB) {
    problems.push(`the heap after GC grew ${heapGrowth} MB from the middle (at most ${args.maxHeapGrowthMB})`);
  }
  if (result.unexpectedErrors > 0) problems.push(`${result.unexpectedErrors} unexpected errors`);
  if (result.emptyQueries.length > 0) problems.push(`saved queries with no rows: ${result.emptyQueries.join(", ")}`);
  process.stdout.write(problems.length === 0 ? "PASS: no unexpected error, memory bounded\n" : "");
  for (const p of problems) process.stdout.write(`FAIL: ${p}\n`);
  const out = {
    date: new Date().toISOString(),
    machine: machine(),
    store: { shipments: season.shipments.length, blocks: season.lastBlock - season.firstBlock + 1 },
    limits: { maxRssGrowthMB: args.maxRssGrowthMB, maxHeapGrowthMB: args.maxHeapGrowthMB },
    pass: problems.length === 0,
    problems,
    ...result,
  };
  const file = path.join(__dirname, "results", "load.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Formatted as `npm run format` would, so that the committed result passes `npm run lint`.
  fs.writeFileSync(file, await format(JSON.stringify(out), { ...(await resolveConfig(file)), filepath: file }));
  process.stderr.write(`wrote ${path.relative(ROOT, file)}\n`);
  return problems.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${messageOf(e)}\n`);
      process.exit(2);
    },
  );
}
