/**
 * Reading issue #21's tonnage aggregations (subgraph/schema.graphql: the `ShippedTonnage` and `CertifiedTonnage`
 * timeseries and their `@aggregation`s) the way graph-node serves them: which aggregation holds each dimension,
 * the query that reads its buckets, and a bounded read that pages backwards in time. Shared by the web app's
 * charts and the targeting report, so both read the same numbers the same way. Browser-safe (no Node imports).
 */

/** The dimensions an analyst can break tonnage down by. */
export type TonnageDimension =
  "meltCountry" | "htsChapter" | "port" | "exporter" | "importer" | "lane" | "mill" | "certifiedMeltCountry";

export interface TonnageView {
  /** The aggregation's collection field (graph-node: the type name, lower camel case, plural). */
  field: string;
  /** The dimension's field on the aggregation. */
  dimension: string;
  /** The dimension references an Actor, selected as `{ id }`; otherwise it is a string. */
  actor: boolean;
  /** The dimension in words: "melt country". */
  label: string;
  /** What the kilograms are: declared on shipment lines when filed, or certified by mill test reports issued. */
  source: "shipped" | "certified";
  /**
   * A listing of every value (no key) reads this string dimension instead and keeps part `part` of its
   * ">"-separated value. For exporters and importers, whose actor may never have been written: graph-node fails
   * a non-null reference to a missing entity, so `exporter { id }` would fail the whole listing.
   */
  listedVia?: { dimension: TonnageDimension; part: number };
}

export const TONNAGE_VIEWS: Record<TonnageDimension, TonnageView> = {
  meltCountry: {
    field: "meltCountryTonnages",
    dimension: "meltCountry",
    actor: false,
    label: "melt country",
    source: "shipped",
  },
  htsChapter: {
    field: "htsChapterTonnages",
    dimension: "htsChapter",
    actor: false,
    label: "HTS chapter",
    source: "shipped",
  },
  port: { field: "portTonnages", dimension: "port", actor: false, label: "port of entry", source: "shipped" },
  exporter: {
    field: "exporterTonnages",
    dimension: "exporter",
    actor: true,
    label: "exporter",
    source: "shipped",
    listedVia: { dimension: "lane", part: 0 },
  },
  importer: {
    field: "importerTonnages",
    dimension: "importer",
    actor: true,
    label: "importer",
    source: "shipped",
    listedVia: { dimension: "lane", part: 1 },
  },
  lane: { field: "laneTonnages", dimension: "lane", actor: false, label: "lane", source: "shipped" },
  mill: { field: "millTonnages", dimension: "mill", actor: true, label: "mill", source: "certified" },
  certifiedMeltCountry: {
    field: "certifiedMeltCountryTonnages",
    dimension: "meltCountry",
    actor: false,
    label: "melt country",
    source: "certified",
  },
};

export const TONNAGE_DIMENSIONS = Object.keys(TONNAGE_VIEWS) as TonnageDimension[];

export type TonnageInterval = "hour" | "day";

/** Length of each interval's buckets, in seconds. */
export const INTERVAL_SECONDS: Record<TonnageInterval, number> = { hour: 3600, day: 86_400 };

/** graph-node's page limit (`first` may not exceed 1,000). */
export const TONNAGE_PAGE = 1000;

/** Unix seconds to graph-node's Timestamp: a string of microseconds since the epoch. */
export function toTimestamp(unixSeconds: number): string {
  if (!Number.isSafeInteger(unixSeconds) || unixSeconds < 0)
    throw new Error(`not a time in unix seconds: ${unixSeconds}`);
  return `${unixSeconds}000000`;
}

/** graph-node's Timestamp (microseconds, as a string or a number) to whole unix seconds. */
export function fromTimestamp(value: unknown): number {
  const text = String(value);
  if (!/^\d+$/.test(text)) throw new Error(`not a Timestamp: ${text}`);
  return Number(BigInt(text) / 1_000_000n);
}

/**
 * The query for one page of an aggregation's buckets in [since, before), newest first (graph-node's default
 * order, spelled out). Only closed buckets come back: graph-node rolls a bucket up once a block past its end is
 * indexed, and the runtime refuses `current: include`, so the interval holding the indexed head is not counted
 * yet. With `keyed`, the query takes `$key`, returns only that value's buckets and does not select the dimension.
 */
export function tonnageQuery(view: TonnageView, interval: TonnageInterval, keyed = false): string {
  const name = `${view.field[0].toUpperCase()}${view.field.slice(1)}`;
  const key = keyed ? `, ${view.dimension}: $key` : "";
  const selection = keyed ? "" : view.actor ? ` ${view.dimension} { id }` : ` ${view.dimension}`;
  return `query ${name}($since: Timestamp!, $before: Timestamp!, $first: Int!${keyed ? ", $key: String!" : ""}) {
  buckets: ${view.field}(
    interval: ${interval}
    where: { timestamp_gte: $since, timestamp_lt: $before${key} }
    orderBy: timestamp
    orderDirection: desc
    first: $first
  ) { timestamp${selection} kg lines }
}`;
}

/** One bucket: the kilograms of one dimension value in one hour or day. */
export interface TonnageBucket {
  /** Start of the bucket, unix seconds. */
  start: number;
  /** The dimension value (an actor's address in lower case for actor dimensions). */
  key: string;
  kg: bigint;
  lines: number;
}

/** Runs a query and returns its `data` (throws on errors): the report's RunQuery, the web app's gql. */
export type QueryRunner = (query: string, variables: Record<string, unknown>) => Promise<unknown>;

export interface TonnageRead {
  buckets: TonnageBucket[];
  /** From when the buckets are whole (unix seconds): `since`, or later when the page limit cut the read. */
  from: number;
  complete: boolean;
}

interface RawBucket {
  timestamp: unknown;
  kg: unknown;
  lines: unknown;
  [dimension: string]: unknown;
}

function parseBucket(view: TonnageView, raw: RawBucket, keyed: string | undefined): TonnageBucket {
  const value = raw[view.dimension];
  const key =
    keyed ?? (view.actor ? String((value as { id?: unknown } | null)?.id ?? "").toLowerCase() : String(value));
  return { start: fromTimestamp(raw.timestamp), key, kg: BigInt(String(raw.kg)), lines: Number(raw.lines) };
}

/** Buckets re-keyed by `keyOf`, those that fall together (same start and key) summed. */
function regroup(buckets: TonnageBucket[], keyOf: (key: string) => string): TonnageBucket[] {
  const out = new Map<string, TonnageBucket>();
  for (const b of buckets) {
    const key = keyOf(b.key);
    const had = out.get(`${b.start} ${key}`);
    if (had) {
      had.kg += b.kg;
      had.lines += b.lines;
    } else out.set(`${b.start} ${key}`, { ...b, key });
  }
  return [...out.values()];
}

/**
 * Reads the buckets of [since, until) newest first, a page at a time, at most `maxPages` pages. A full page may
 * end in the middle of a bucket time (several dimension values share it), so the next page starts before that
 * time and the partial time is read again whole. When the pages run out the read says from when it is complete.
 */
export async function readTonnage(
  run: QueryRunner,
  dimension: TonnageDimension,
  options: { interval: TonnageInterval; since: number; until: number; key?: string; maxPages?: number; page?: number },
): Promise<TonnageRead> {
  const view = TONNAGE_VIEWS[dimension];
  if (options.key === undefined && view.listedVia) {
    const { dimension: via, part } = view.listedVia;
    const read = await readTonnage(run, via, options);
    return { ...read, buckets: regroup(read.buckets, (key) => (key.split(">")[part] ?? key).toLowerCase()) };
  }
  const page = options.page ?? TONNAGE_PAGE;
  const maxPages = options.maxPages ?? 10;
  if (options.until <= options.since) throw new Error("the time range is empty: until must be after since");
  const query = tonnageQuery(view, options.interval, options.key !== undefined);
  const buckets: TonnageBucket[] = [];
  // Exclusive end of the next page. Buckets start on whole seconds, so `oldest + 1` takes in the bucket time at
  // `oldest` again and nothing after it.
  let before = options.until;
  let oldest = options.until;
  for (let n = 0; n < maxPages; n++) {
    const variables: Record<string, unknown> = {
      since: toTimestamp(options.since),
      before: toTimestamp(before),
      first: page,
    };
    if (options.key !== undefined) variables.key = options.key;
    const data = (await run(query, variables)) as { buckets: RawBucket[] };
    const rows = data.buckets.map((b) => parseBucket(view, b, options.key));
    if (rows.length < page) return { buckets: [...buckets, ...rows], from: options.since, complete: true };
    const cut = rows[rows.length - 1].start;
    const whole = rows.filter((b) => b.start > cut);
    if (whole.length === 0) break; // one bucket time holds more values than a page: stop rather than loop
    buckets.push(...whole);
    oldest = cut;
    before = cut + 1;
  }
  // The bucket time at `oldest` was left for a page that never came: the read is whole from the next one on.
  return { buckets, from: Math.min(options.until, oldest + INTERVAL_SECONDS[options.interval]), complete: false };
}
