/**
 * `current: include` for aggregation queries, as graph-node answers it: besides the rolled-up buckets, the
 * buckets computed on the fly from the data points not rolled up yet, i.e. those at or after the end of the
 * interval table's latest bucket (at the queried block). They are aggregated with the roll-up's own code
 * (`store/rollup.ts`) and offered to the query as extra rows of the bucket table, so that `where`, `orderBy`
 * and paging treat them like every other bucket.
 */
import { INTERVAL_SECONDS, type AggregationInterval, type AggregationModel, type FieldModel } from "../schema/model";
import { fieldToSql, type SqlValue } from "./encoding";
import { OPEN_BLOCK, type TableLayout } from "./layout";
import { rollUp, type RollupReader } from "./rollup";
import type { SqliteStore } from "./sqlite";
import type { EntityData, StoreValue } from "./types";
import { atBlock, type Source } from "./sql";

type Row = Record<string, unknown>;

/** A literal for SQL text: the values come from the store, strings are quoted with doubled quotes. */
function literal(v: SqlValue): string {
  if (v === null) return "NULL";
  if (typeof v === "string") return `'${v.replace(/'/g, "''")}'`;
  if (Buffer.isBuffer(v)) return `X'${v.toString("hex")}'`;
  return String(v);
}

function currentRows(
  store: SqliteStore,
  agg: AggregationModel,
  interval: AggregationInterval,
  table: TableLayout,
  block: number,
): EntityData[] {
  const len = BigInt(INTERVAL_SECONDS[interval]) * 1_000_000n;
  const latest = store.db
    .prepare(`SELECT max("timestamp") AS t FROM ${table.quoted} a WHERE ${atBlock("a", block)}`)
    .get() as Row;
  const from = latest.t === null || latest.t === undefined ? null : BigInt(latest.t as bigint) + len;
  const source = store.layout.table(agg.source);
  const points = (
    store.db
      .prepare(
        `SELECT * FROM ${source.quoted} a WHERE ${atBlock("a", block)}${from === null ? "" : ` AND "timestamp" >= ${from}`} ORDER BY "id"`,
      )
      .all() as Row[]
  ).map((r) => store.decodeRow(source, r));
  const byStart = new Map<bigint, EntityData[]>();
  for (const p of points) {
    const t = (p.get("timestamp") as { value: bigint }).value;
    const start = t - (((t % len) + len) % len);
    byStart.set(start, [...(byStart.get(start) ?? []), p]);
  }
  const rows: EntityData[] = [];
  for (const [start, inBucket] of byStart) {
    const reader: RollupReader = {
      points: () => inBucket,
      previous: (_b, dims: [FieldModel, StoreValue | undefined][], before) => {
        const conds = dims.map(([f, v]) => {
          const c = table.byField.get(f.name)!;
          return `${c.quoted} IS ${literal(v === undefined ? null : fieldToSql(c.kind, c.list, v))}`;
        });
        const r = store.db
          .prepare(
            `SELECT * FROM ${table.quoted} a WHERE ${[atBlock("a", block), ...conds, `"timestamp" < ${before}`].join(" AND ")} ORDER BY "timestamp" DESC LIMIT 1`,
          )
          .get() as Row | undefined;
        return r ? store.decodeRow(table, r) : null;
      },
    };
    rows.push(...rollUp({ aggregation: agg, interval, start, end: start + len }, reader));
  }
  return rows;
}

/** The bucket table's source with the current buckets added as rows (visible at every block). */
export function withCurrentBuckets(
  store: SqliteStore,
  agg: AggregationModel,
  interval: AggregationInterval,
  src: Source,
  block: number,
): Source {
  const table = store.layout.aggregationTable(agg.name, interval);
  const rows = currentRows(store, agg, interval, table, block);
  if (rows.length === 0) return src;
  const cols = table.columns;
  const selects = rows.map(
    (r) =>
      `SELECT NULL AS vid, 0 AS block_from, ${OPEN_BLOCK} AS block_to, ` +
      cols
        .map((c) => {
          const v = r.get(c.name);
          return `${literal(v === undefined ? null : fieldToSql(c.kind, c.list, v))} AS ${c.quoted}`;
        })
        .join(", "),
  );
  const all = `SELECT vid, block_from, block_to, ${cols.map((c) => c.quoted).join(", ")} FROM ${table.quoted}`;
  const union = `(${[all, ...selects].join(" UNION ALL ")})`;
  return { ...src, sql: union, versions: union }; // bucket rows are always stored whole
}
