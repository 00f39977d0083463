/**
 * The web app's figures (issue #17): the first page load on loopback (navigation to the load event, headless
 * Chromium, a fresh browser context each run: a cold cache), the latency of the risk queue's and the search's
 * queries (the exact texts and variables the analyst pages send, imported from their modules) against a store of
 * N generated shipments (the query benchmark's builder, bench/lib/query-data.ts), and the bundle's size, raw and
 * gzipped. Prints the figures and writes bench/results/web.json (or --out FILE) with the machine.
 *
 * Run: npm run bench:web [-- --shipments 100000] [--runs 200] [--loads 20] [--out FILE] [--keep DIR | --reuse DIR]
 * The bundle is built first (npm run web:build) unless --no-build. `--keep DIR` keeps the store, `--reuse DIR`
 * times again on such a store without rebuilding it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { format, resolveConfig } from "prettier";
import { AccessPolicy } from "../indexer/graphql/access/policy";
import { QueryWorkerPool } from "../indexer/graphql/pool";
import { GraphQLServer } from "../indexer/graphql/server";
import { SqliteStore } from "../indexer/store/sqlite";
import { staticRoutes } from "../web/server/static";
import { findToken, issueLocalToken } from "../scripts/lib/analyst-token";
import { arg, intArg } from "./lib/args";
import { machine } from "./lib/machine";
import { timePageLoad } from "./lib/page-load";
import { SCHEMA_PATH, endpointAuth, timeCase, type CaseTiming } from "./lib/query-cases";
import { buildSeason } from "./lib/query-data";
import { mb } from "./lib/stats";
import { bundleSize } from "./lib/web-bundle";
import { seasonPicks, webQueryCases, type SeasonPicks } from "./lib/web-cases";

const ROOT = join(__dirname, "..");
const DIST = join(ROOT, "dist", "web");
const NAME = "tradetrace";

const SHIPMENTS = intArg("shipments", 100_000);
const RUNS = intArg("runs", 200);
const LOADS = intArg("loads", 20);
const OUT = arg("out") ?? join(__dirname, "results", "web.json");
/** Issue #17's goals. */
const GOALS = { pageLoadMs: 1000, queryP95Ms: 300 };

interface Built {
  shipments: number;
  buildMs: number;
  picks: SeasonPicks;
}

function build(db: string): Built {
  const store = SqliteStore.open(db, SCHEMA_PATH);
  const t = Date.now();
  const season = buildSeason(store, {
    shipments: SHIPMENTS,
    progress: (b, blocks, n) =>
      process.stderr.write(`  block ${b}/${blocks}, ~${n} shipments, ${Math.round((Date.now() - t) / 1000)} s\n`),
  });
  const buildMs = Date.now() - t;
  store.close();
  return { shipments: SHIPMENTS, buildMs, picks: seasonPicks(season) };
}

async function main(): Promise<void> {
  if (!process.argv.includes("--no-build") || !existsSync(join(DIST, "index.html"))) {
    process.stderr.write("building the web app (npm run web:build)\n");
    execFileSync("npm", ["run", "--silent", "web:build"], { cwd: ROOT, stdio: "inherit" });
  }
  const bundle = bundleSize(DIST);
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  console.log(
    `bundle: ${bundle.files.length} files, ${kb(bundle.total.bytes)} raw, ${kb(bundle.total.gzipBytes)} gzip; ` +
      `first load ${kb(bundle.initial.bytes)} raw, ${kb(bundle.initial.gzipBytes)} gzip (${bundle.initial.files.join(", ")})`,
  );

  const reuse = arg("reuse");
  const keep = arg("keep") ?? reuse;
  const dir = keep ?? mkdtempSync(join(tmpdir(), "tt-web-bench-"));
  mkdirSync(dir, { recursive: true });
  const db = join(dir, "store.sqlite");
  try {
    let built: Built;
    if (reuse) built = JSON.parse(readFileSync(join(dir, "web-built.json"), "utf8")) as Built;
    else {
      if (existsSync(db)) throw new Error(`${db} exists; remove it first`);
      built = build(db);
      if (keep) writeFileSync(join(dir, "web-built.json"), JSON.stringify(built, null, 1));
    }
    console.log(`store: ${built.shipments} shipments, built in ${(built.buildMs / 1000).toFixed(1)} s`);

    const { keysFile } = issueLocalToken(dir);
    const token = findToken(undefined, dir)!;
    endpointAuth.token = token;
    const pool = await QueryWorkerPool.start({ db, schema: SCHEMA_PATH, size: 1, deadlineMs: 10_000 });
    const server = new GraphQLServer({
      subgraphs: { [NAME]: pool },
      port: 0,
      access: new AccessPolicy({ apiKeysFile: keysFile }),
      // The app without /app/config.json falls back to graph-node's path, which this server uses.
      routes: staticRoutes(DIST),
    });
    let pageLoad;
    const timings: CaseTiming[] = [];
    try {
      const { url } = await server.start();
      pageLoad = await timePageLoad(`${url}/#token=${encodeURIComponent(token)}`, LOADS);
      pageLoad.url = `${url}/`;
      console.log(
        `first page load (cold cache, ${LOADS} runs): p50 ${pageLoad.p50} ms, p95 ${pageLoad.p95} ms, max ${pageLoad.max} ms; ` +
          `DOMContentLoaded p50 ${pageLoad.domContentLoadedP50} ms; ${kb(pageLoad.transferBytes)} transferred`,
      );
      for (const c of webQueryCases(built.picks)) {
        const r = await timeCase(`${url}/subgraphs/name/${NAME}`, c, RUNS);
        timings.push(r);
        console.log(
          `${r.name.padEnd(34)} rows ${String(r.rows).padStart(5)}  p50 ${r.p50.toFixed(1).padStart(6)} ms  ` +
            `p95 ${r.p95.toFixed(1).padStart(6)} ms  max ${r.max.toFixed(1).padStart(6)} ms` +
            `${r.p95 > GOALS.queryP95Ms ? "  > goal" : ""}`,
        );
      }
    } finally {
      await server.stop();
      await pool.close();
    }
    const worst = Math.max(...timings.map((t) => t.p95));
    const met = { pageLoad: pageLoad.p95 <= GOALS.pageLoadMs, queries: worst <= GOALS.queryP95Ms };
    console.log(
      `goals at ${built.shipments} shipments: first load ≤ ${GOALS.pageLoadMs} ms ${met.pageLoad ? "met" : "missed"} ` +
        `(p95 ${pageLoad.p95} ms); queries p95 ≤ ${GOALS.queryP95Ms} ms ${met.queries ? "met" : "missed"} (worst ${worst} ms)`,
    );
    const doc = {
      date: new Date().toISOString(),
      machine: machine(),
      params: { shipments: built.shipments, runs: RUNS, loads: LOADS, browser: "Debian chromium, headless" },
      goals: { ...GOALS, met },
      storeBuildMs: built.buildMs,
      bundle: { ...bundle, totalMB: mb(bundle.total.bytes) },
      pageLoad,
      queries: timings,
    };
    mkdirSync(dirname(OUT), { recursive: true });
    // In the repository's prettier style, so that format:check passes on the committed results.
    writeFileSync(OUT, await format(JSON.stringify(doc), { ...(await resolveConfig(OUT)), parser: "json" }));
    console.log(`wrote ${OUT}`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exitCode = 1;
});
