/**
 * Query latency of the saved CBP queries at scale: generates a season of N shipments (default 100,000) with
 * the real subgraph schema into a fresh SQLite store file through the block writer (bench/lib/query-data.ts),
 * serves it with the real GraphQL server on 127.0.0.1, and times each saved query of subgraph/queries/ and the
 * queries the web app's risk queue, search and shipment page send, over HTTP (warm-up, then sequential
 * requests, each timed to the last byte of its answer): p50/p95/max and rows returned. Prints the build time and the
 * store's size on disk; writes bench/results/query-latency.json (or --out FILE). The build runs in a process of
 * its own, with node's flags for it (lib/query-build.ts); the store is flushed to disk before the timing
 * (lib/settle.ts).
 *
 * Run: npm run bench:query [-- --shipments 1000000] [--runs 200] [--out FILE] [--keep DIR]
 * `--keep DIR` keeps the store (DIR/store.sqlite) and the cases (DIR/built.json); `--reuse DIR` times the
 * queries again on such a store without rebuilding it, and `npm run bench:web -- --reuse DIR` times the web
 * app's page load and queries on it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { format } from "prettier";
import { serve } from "../indexer/graphql/serve";
import { issueLocalToken, findToken } from "../scripts/lib/analyst-token";
import { buildInChild, type Built } from "./lib/query-build";
import { SCHEMA_PATH, endpointAuth, timeCase, type CaseTiming } from "./lib/query-cases";
import { settle } from "./lib/settle";
import { arg, intArg } from "./lib/args";
import { machine } from "./lib/machine";
import { mb } from "./lib/stats";

const SHIPMENTS = intArg("shipments", 100_000);
const RUNS = intArg("runs", 200);
const GOAL_MS = 50;
const OUT = arg("out") ?? join(__dirname, "results", "query-latency.json");

async function main(): Promise<void> {
  const reuse = arg("reuse");
  const keep = arg("keep") ?? reuse;
  const dir = keep ?? mkdtempSync(join(tmpdir(), "tt-query-bench-"));
  mkdirSync(dir, { recursive: true });
  const db = join(dir, "store.sqlite");
  try {
    const built = reuse
      ? (JSON.parse(readFileSync(join(dir, "built.json"), "utf8")) as Built)
      : await buildInChild(SHIPMENTS, dir);
    const { storeBytes } = built;
    console.log(
      `built ${built.shipments} shipments in ${built.blocks} blocks: ${built.entityVersions} entity versions in ${(built.buildMs / 1000).toFixed(1)} s` +
        (built.indexMs === undefined
          ? ""
          : ` (query indexes built after them: ${(built.indexMs / 1000).toFixed(1)} s)`) +
        `, peak RSS ${built.peakRssMB} MB`,
    );
    console.log(
      `store on disk: ${mb(storeBytes.fileWhileOpen + storeBytes.walWhileOpen)} MB while open (file ${mb(storeBytes.fileWhileOpen)} + WAL ${mb(storeBytes.walWhileOpen)}), ${mb(storeBytes.fileAfterClose)} MB after close`,
    );

    const settled = settle([db]);
    console.log(`before timing: store flushed to disk in ${(settled.ms / 1000).toFixed(1)} s`);

    const keyDir = dirname(db);
    const { keysFile } = issueLocalToken(keyDir);
    endpointAuth.token = findToken(undefined, keyDir);
    const served = await serve({
      ...{ db, schema: SCHEMA_PATH, name: "tradetrace", port: 0, workers: 1, deadlineMs: 10_000 },
      access: { apiKeysFile: keysFile },
    });
    const timings: CaseTiming[] = [];
    try {
      for (const c of built.cases) {
        const r = await timeCase(served.url, c, RUNS);
        timings.push(r);
        console.log(
          `${r.name.padEnd(34)} rows ${String(r.rows).padStart(5)} (${String(r.entities).padStart(5)} entities)  ` +
            `p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  max ${r.max.toFixed(1).padStart(6)} ms  ` +
            `cpu p50 ${r.cpuP50.toFixed(1).padStart(5)} p95 ${r.cpuP95.toFixed(1).padStart(5)} ms  ` +
            `parse p50 ${r.clientParseP50.toFixed(1).padStart(4)} ms` +
            `${r.p95 >= GOAL_MS ? "  ≥ goal" : ""}`,
        );
      }
    } finally {
      await served.server.stop();
      await served.pool.close();
    }
    const worst = Math.max(...timings.map((x) => x.p95));
    console.log(
      `worst p95 ${worst.toFixed(1)} ms; goal p95 < ${GOAL_MS} ms at ${built.shipments.toLocaleString("en-US")} shipments: ${worst < GOAL_MS ? "met" : "missed"}`,
    );

    const doc = {
      date: new Date().toISOString(),
      machine: machine(),
      params: {
        shipments: built.shipments,
        runs: RUNS,
        warmup: 10,
        transport: "HTTP POST, sequential, keep-alive; timed to the answer's last byte, parsed after",
      },
      build: {
        ms: built.buildMs,
        queryIndexMs: built.indexMs ?? null,
        peakRssMB: built.peakRssMB,
        blocks: built.blocks,
        entityVersions: built.entityVersions,
        versionsByType: built.versionsByType,
        entities: built.entities,
      },
      storeBytes,
      storeMB: mb(storeBytes.fileAfterClose),
      settle: settled,
      goal: { p95Ms: GOAL_MS, met: worst < GOAL_MS },
      queries: timings,
    };
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, await format(JSON.stringify(doc), { parser: "json" }));
    console.log(`wrote ${OUT}`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exitCode = 1;
});
