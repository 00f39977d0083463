/**
 * A synthetic TradeTrace season for the query benchmark, written through the store's block writer exactly as
 * the subgraph's mappings (subgraph/src/*.ts) would write it: the same entity types, id shapes
 * (`concatI32` little-endian suffixes, keccak risk-flag keys), relations, derived fields and risk flags, with
 * a new version of an entity in every block that changes it. Deterministic for a seed.
 *
 * The season: trusted issuers, a few thousand actors, CBP watch entries; then hourly blocks in which
 * shipments are filed, mill test reports (mill heats, and slab → coil → pipe lineage from processors) and
 * certificates of origin are issued and linked, statuses move filed → departed → arrived → released/refused,
 * CBP places holds, some documents are revoked after linking (and some unlinked). Every event that the
 * mappings re-evaluate re-runs the rules (a port of `evaluateShipment`), raising and clearing RiskFlags.
 *
 * Simplifications (none changes which tables, indexes and version patterns the queries meet): no amendments,
 * documents never expire, one credential per actor.
 */
import { WRITE_BATCH_MS } from "../../indexer/chain/block-stream";
import type { SqliteStore } from "../../indexer/store/sqlite";
import { Prng } from "../../lib/prng";
import { Actors } from "./season/actors";
import { Documents } from "./season/documents";
import { RuleModel, type WatchModel } from "./season/rules";
import { Shipments, type Plan, type Timeline } from "./season/shipments";
import { DAY, HOUR, SeasonState, recOf, sha, type Rec, type World } from "./season/state";

export { DAY, HOUR, type Rec, type V } from "./season/state";

export interface SeasonOptions {
  shipments: number;
  seed?: number;
  /**
   * Keep every record in memory, event rows and records nothing can reach any more included (tests: they compare
   * the store with the world); an event that reaches a record the generator would have forgotten then throws.
   */
  keepEvents?: boolean;
  /**
   * Progress callback, called every `progressEvery` blocks (500): the shipments filed so far, and the records
   * (entities) and shipments the generator holds.
   */
  progress?: (block: number, blocks: number, shipments: number, held: { records: number; shipments: number }) => void;
  progressEvery?: number;
}

/** Block time of the first filing block. */
export const T0 = 1_767_225_600; // 2026-01-01

/** Values the benchmark's cases pick, collected while generating: bounded, whatever the season's size. */
export interface SeasonSample {
  /** How many shipments name each party (Shipment.parties). */
  partyCounts: Map<string, number>;
  /** The pipe report in the middle of the season's pipes (three levels of inputs). */
  pipe: string;
  /** The shipment in the middle of those with an entry number (in filing order), as stored at the head. */
  shipment: Rec;
  /** The mill report (not derived) in the middle of the season's (in issue order), as stored at the head. */
  millReport: Rec;
}

export interface SeasonResult {
  /**
   * The entities the generator still held at the head, as last written: with keepEvents every entity; without,
   * those a later event could still have changed (actors, open shipments and their documents, ...).
   */
  world: World;
  blocks: number;
  head: number;
  /** Block time of the head: the `$now` of the targeting queries. */
  now: number;
  /** Entity versions written, by type. */
  versions: Record<string, number>;
  /** Entities written (distinct ids), by type. */
  entities: Record<string, number>;
  sample: SeasonSample;
  actorsByRole: Record<string, string[]>;
}

/** CBP's watch entries: Chinese pipe and tube, Russian flat steel. */
const WATCH: WatchModel[] = [
  { id: sha("watch:0"), country: "CN", prefix: 7304n, length: 4, caseRef: "A-570-935" },
  { id: sha("watch:1"), country: "CN", prefix: 7306n, length: 4, caseRef: "A-570-910" },
  { id: sha("watch:2"), country: "RU", prefix: 72n, length: 2, caseRef: "A-821-809" },
];

/** The blocks: a setup block 400 days back, then hourly blocks over the filing span, and what each one does. */
class Schedule implements Timeline {
  readonly blocks: number;
  readonly fileBlocks: number;
  readonly t0 = T0;
  private readonly plans = new Map<number, Plan[]>();

  /** `shipments` filed over the span, in the order of their index (Shipments.fileDue). */
  constructor(shipments: number) {
    const spanDays = Math.min(365, Math.max(30, Math.ceil(shipments / 274)));
    this.fileBlocks = spanDays * 24;
    this.blocks = 1 + this.fileBlocks;
  }

  timeOf(block: number): number {
    return block === 1 ? T0 - 400 * DAY : T0 + (block - 2) * HOUR;
  }

  readonly plan = (block: number, p: Plan): void => {
    let l = this.plans.get(block);
    if (!l) this.plans.set(block, (l = []));
    l.push(p);
  };

  /** The events planned for `block` (events planned while they run join the list). */
  take(block: number): Plan[] {
    return this.plans.get(block) ?? [];
  }

  done(block: number): void {
    this.plans.delete(block);
  }
}

/** Block 1: the trusted issuers and CBP's watch entries. */
function setUp(state: SeasonState, actors: Actors): void {
  const at = BigInt(state.ts);
  for (const i of actors.issuers) {
    state.put("TrustedIssuer", i, { id: i, roles: 0xff, active: true, updatedAt: at });
  }
  for (const w of WATCH) {
    state.put("WatchEntry", w.id, {
      id: w.id,
      meltCountry: w.country,
      htsPrefix: w.prefix,
      prefixLength: w.length,
      reasonCode: sha("reason:ADCVD"),
      caseReference: w.caseRef,
      active: true,
      publishedAt: at,
      retiredAt: null,
      retirementReason: null,
    });
    const c = state.country(w.country);
    c.activeWatchEntries = [...(c.activeWatchEntries as string[]), w.id];
  }
}

/**
 * SQLite settings for the build, restored after it: no memory map (its pages would count in the build's RSS and
 * writes do not go through it), fewer and unsynced WAL checkpoints (a crash mid-build means building again; the
 * build ends with a full checkpoint), and a page cache of 16,384 pages (128 MiB of 8 KB pages), about what every
 * recorded build had: until 2026-12-08 a new store sized its 64 MiB cache before taking 8 KB pages, which gave it
 * about 15,600 of them (SqliteStore.setPageCache). With the store's 8,192 the 1,000,000-shipment build ran 9 % fewer
 * shipments per CPU second over blocks 500–1,000 and its RSS at block 1,000 was 22 MB lower (one run each).
 * The heap's bounds are node's flags for the building process (BUILD_NODE_FLAGS in ./query-build.ts).
 */
const BULK_PRAGMAS: [string, number | string][] = [
  ["mmap_size", 0],
  ["wal_autocheckpoint", 10_000],
  ["synchronous", "OFF"],
  ["cache_size", 16_384],
];

function withBulkPragmas<T>(store: SqliteStore, build: () => T): T {
  const before = BULK_PRAGMAS.map(([name]) => [name, store.db.pragma(name, { simple: true })] as const);
  for (const [name, value] of BULK_PRAGMAS) store.db.pragma(`${name} = ${value}`);
  try {
    return build();
  } finally {
    for (const [name, value] of before) store.db.pragma(`${name} = ${String(value)}`);
  }
}

/** Generates the season into `store` (a fresh one) and returns what it wrote. */
export function buildSeason(store: SqliteStore, opts: SeasonOptions): SeasonResult {
  const result = withBulkPragmas(store, () => generate(store, opts));
  store.db.pragma("wal_checkpoint(TRUNCATE)");
  return result;
}

function generate(store: SqliteStore, opts: SeasonOptions): SeasonResult {
  const N = opts.shipments;
  const rng = new Prng(opts.seed ?? 20_260_101);
  const state = new SeasonState(store.schema, opts.keepEvents === true);
  const schedule = new Schedule(N);
  const { blocks, fileBlocks } = schedule;
  const actors = new Actors(rng, Math.max(60, Math.min(5000, Math.round(N / 33))), Math.floor(blocks * 0.8));
  const documents = new Documents(state, rng, actors.country, actors.supplier);
  const rules = new RuleModel(state, WATCH, actors.onboardedAt);
  const shipments = new Shipments(state, rng, actors, documents, rules, schedule, N, fileBlocks);

  // Blocks are committed in write batches, as the indexer commits a range it catches up on.
  let batchStarted = performance.now();
  store.beginBatch();
  for (let block = 1; block <= blocks; block++) {
    if (performance.now() - batchStarted >= WRITE_BATCH_MS) {
      store.endBatch();
      store.beginBatch();
      batchStarted = performance.now();
    }
    state.block = block;
    state.ts = schedule.timeOf(block);
    state.logIndex = 0;
    if (block === 1) setUp(state, actors);
    actors.onboard(state);
    if (block === 2) actors.suspend(state);
    shipments.fileDue();
    for (const p of schedule.take(block)) shipments.run(p);
    schedule.done(block);
    state.flush(store);
    if (opts.progress && block % (opts.progressEvery ?? 500) === 0) {
      const records = Object.values(state.world).reduce((n, m) => n + m.size, 0);
      opts.progress(block, blocks, shipments.filed, { records, shipments: state.world.Shipment.size });
    }
  }
  store.endBatch();
  const now = schedule.timeOf(blocks);
  const { world, versions, entities } = state;
  const sample = sampleOf(store, shipments, documents);
  return { world, blocks, head: blocks, now, versions, entities, sample, actorsByRole: actors.byRole };
}

/** The sample's middle shipment and reports, read back from the store (the generator has forgotten them). */
function sampleOf(store: SqliteStore, shipments: Shipments, documents: Documents): SeasonSample {
  const middle = <T>(length: number, at: (i: number) => T): T => at(Math.floor(length / 2));
  const stored = (type: string, id: string): Rec => {
    const data = store.loadCurrent(type, id);
    if (!data) throw new Error(`${type} ${id} is not in the store`);
    return recOf(data);
  };
  const { partyCounts, withEntryNumber } = shipments.sample;
  const j = middle(withEntryNumber.length, (i) => withEntryNumber[i]);
  return {
    partyCounts,
    pipe: middle(documents.pipes.length, (i) => documents.pipes.id(i)),
    shipment: stored("Shipment", sha(`shipment:${j}`)),
    millReport: stored(
      "MillTestReport",
      middle(documents.millReports.length, (i) => documents.millReports.id(i)),
    ),
  };
}
