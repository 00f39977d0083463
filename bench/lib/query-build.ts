/**
 * The build half of bench:query (../query-latency.ts), in a process of its own: generates the season into a
 * fresh store file (./query-data.ts), builds the query indexes, and writes what the timing half needs to
 * DIR/built.json (and DIR/web-built.json for bench:web).
 *
 *   node <BUILD_NODE_FLAGS> scripts/run.cjs bench/lib/query-build.ts --shipments N --dir DIR
 *
 * Its own process because the build and the server want opposite garbage collection: the build runs with V8's
 * heap bounded tightly around the generator's records (BUILD_NODE_FLAGS), and a server started with those
 * flags collects its whole heap every few requests. Progress goes to stderr.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SqliteStore } from "../../indexer/store/sqlite";
import { arg, intArg } from "./args";
import { runChildEntry } from "./child-entry";
import { SCHEMA_PATH, queryCases, type QueryCase } from "./query-cases";
import { buildSeason } from "./query-data";
import { peakRssMB, progressPrinter } from "./season/progress";
import { seasonPicks, webQueryCases, type SeasonPicks } from "./web-cases";

/**
 * Node's flags for the build. The generator holds the records a later event can still change (at 1,000,000
 * shipments about 436,000 of them), and each block's new versions live until the block is written:
 * - `--heap-growing-percent=30`: V8 lets the heap grow by 30 % of its live size between full collections; left
 *   to itself it let the heap grow to three times the live records (1.9 GB RSS 5 % into the 1,000,000 build).
 *   Over the first 800 blocks of the 1,000,000 build 50 % peaked at 1,431 and 1,482 MB against 1,374 with 30 %,
 *   and was no faster (the marking runs on the second core, beside the single-threaded build);
 * - `--max-semi-space-size=128`: a block's objects die in the young generation instead of being copied, promoted
 *   and collected again by full collections (which took a quarter of the 1,000,000 build with 64 MB).
 * A server under the first flag runs a full collection every few requests of a large answer (revoked-after-link
 * at 1,000,000 shipments: one every three or four requests, each with about 10 ms of marking beside the query),
 * which is why the timing half runs without these flags.
 */
export const BUILD_NODE_FLAGS = ["--max-old-space-size=8192", "--heap-growing-percent=30", "--max-semi-space-size=128"];

/** What the timing half reads back from DIR/built.json (and `--reuse DIR` reads from a kept store). */
export interface Built {
  /** What bench:web needs to time its pages on the same store (`bench:web -- --reuse DIR`). */
  web: { shipments: number; buildMs: number; picks: SeasonPicks };
  shipments: number;
  buildMs: number;
  /** Peak RSS of the building process. */
  peakRssMB: number;
  blocks: number;
  /** Of buildMs, building the query-only indexes after the season was written. */
  indexMs?: number;
  entityVersions: number;
  versionsByType: Record<string, number>;
  entities: Record<string, number>;
  storeBytes: { fileWhileOpen: number; walWhileOpen: number; fileAfterClose: number };
  cases: QueryCase[];
}

const size = (f: string): number => (existsSync(f) ? statSync(f).size : 0);

/** Generates a season of `shipments` into the fresh store file `db`; returns what the report needs. */
function build(db: string, shipments: number): Built {
  const store = SqliteStore.open(db, SCHEMA_PATH);
  // The season is a backfill: the indexes only queries read are built once it is in, as the indexer does
  // when it catches up on a long range (SqliteStore.deferQueryIndexes). The generator keeps its own state and
  // never loads a derived field, so the back-reference indexes wait too.
  store.deferQueryIndexes("writes");
  const t = Date.now();
  const season = buildSeason(store, { shipments, progress: progressPrinter() });
  const indexStart = Date.now();
  store.buildQueryIndexes();
  const indexMs = Date.now() - indexStart;
  const buildMs = Date.now() - t;
  const peakRss = peakRssMB();
  const picks = seasonPicks(season);
  const sizeOpen = { file: size(db), wal: size(db + "-wal") };
  store.close();
  return {
    web: { shipments, buildMs, picks },
    shipments,
    buildMs,
    indexMs,
    peakRssMB: peakRss,
    blocks: season.blocks,
    entityVersions: Object.values(season.versions).reduce((a, b) => a + b, 0),
    versionsByType: season.versions,
    entities: season.entities,
    storeBytes: { fileWhileOpen: sizeOpen.file, walWhileOpen: sizeOpen.wal, fileAfterClose: size(db) },
    // The saved queries and what the web app's risk queue, search and shipment page send (issue #19).
    cases: [...queryCases(season), ...webQueryCases(picks)],
  };
}

/**
 * Builds DIR/store.sqlite (which must not exist) in a child process with BUILD_NODE_FLAGS; returns DIR/built.json.
 * The child's stderr (progress, or why it failed) goes to `log` as it comes.
 */
export async function buildInChild(
  shipments: number,
  dir: string,
  log: (text: string) => void = (t) => process.stderr.write(t),
): Promise<Built> {
  const db = join(dir, "store.sqlite");
  if (existsSync(db)) throw new Error(`${db} exists; remove it first`);
  await runChildEntry({
    what: "the build process",
    entry: join("bench", "lib", "query-build.ts"),
    args: ["--shipments", String(shipments), "--dir", dir],
    nodeFlags: BUILD_NODE_FLAGS,
    log,
  });
  return JSON.parse(readFileSync(join(dir, "built.json"), "utf8")) as Built;
}

if (require.main === module) {
  const dir = arg("dir");
  try {
    if (!dir) throw new Error("usage: query-build.ts --shipments N --dir DIR");
    const built = build(join(dir, "store.sqlite"), intArg("shipments", 100_000));
    writeFileSync(join(dir, "built.json"), JSON.stringify(built, null, 1));
    writeFileSync(join(dir, "web-built.json"), JSON.stringify(built.web, null, 1));
  } catch (e) {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
}
