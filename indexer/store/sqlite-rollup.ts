/**
 * The SQLite store's side of the roll-up (see rollup.ts): reads a bucket's data points and a group's
 * previous bucket, and inserts the bucket rows as immutable versions of the committing block, so that a
 * revert below that block removes them and time travel sees them from that block on.
 */
import type { FieldModel } from "../schema/model";
import { fieldToSql, toSql } from "./encoding";
import { OPEN_BLOCK, type TableLayout } from "./layout";
import { bucketsToRoll, rollUp, type Bucket, type RollupProgress, type RollupReader } from "./rollup";
import type { SqliteStore } from "./sqlite";
import type { BlockPtr, EntityData, StoreValue } from "./types";

type Row = Record<string, unknown>;

function reader(store: SqliteStore): RollupReader {
  return {
    points(source: string, start: bigint, end: bigint): EntityData[] {
      const t = store.layout.table(source);
      const rows = store
        .stmt(`SELECT * FROM ${t.quoted} WHERE "timestamp" >= ? AND "timestamp" < ? ORDER BY "id"`)
        .all(start, end) as Row[];
      return rows.map((r) => store.decodeRow(t, r));
    },
    previous(bucket: Bucket, dimensions: [FieldModel, StoreValue | undefined][], before: bigint): EntityData | null {
      const t = store.layout.aggregationTable(bucket.aggregation.name, bucket.interval);
      const conds = dimensions.map(([f]) => `${t.byField.get(f.name)!.quoted} IS ?`);
      const args = dimensions.map(([f, v]) => (v === undefined ? null : toSql(t.byField.get(f.name)!.kind, v)));
      const r = store
        .stmt(
          `SELECT * FROM ${t.quoted} WHERE ${[...conds, `"timestamp" < ?`].join(" AND ")} ORDER BY "timestamp" DESC LIMIT 1`,
        )
        .get(...args, before) as Row | undefined;
      return r ? store.decodeRow(t, r) : null;
    },
  };
}

function insertRow(store: SqliteStore, t: TableLayout, block: number, row: EntityData): void {
  const cols = t.columns;
  store
    .stmt(
      `INSERT INTO ${t.quoted} (block_from, block_to, ${cols.map((c) => c.quoted).join(", ")}) VALUES (?, ${OPEN_BLOCK}, ${cols.map(() => "?").join(", ")})`,
    )
    .run(
      block,
      ...cols.map((c) => {
        const v = row.get(c.name);
        return v === undefined ? null : fieldToSql(c.kind, c.list, v);
      }),
    );
}

/**
 * Rolls up what `block` closes (call inside the transaction of a block that writes entity changes, after its
 * writes). A block without a timestamp rolls up nothing, like graph-node before it knows a block time.
 */
export function rollUpSqlite(store: SqliteStore, block: BlockPtr): void {
  if (store.schema.aggregations.size === 0 || block.timestamp === undefined) return;
  const progress: RollupProgress = {
    lastPointTime(source: string, before: number): bigint | null {
      const t = store.layout.table(source);
      const r = store.stmt(`SELECT MAX("timestamp") AS t FROM ${t.quoted} WHERE block_from < ?`).get(before) as Row;
      return r.t === null || r.t === undefined ? null : BigInt(r.t as number | bigint);
    },
    rolled(aggregation: string, interval: Bucket["interval"], start: bigint): boolean {
      const t = store.layout.aggregationTable(aggregation, interval);
      return store.stmt(`SELECT 1 FROM ${t.quoted} WHERE "timestamp" = ? LIMIT 1`).get(start) !== undefined;
    },
  };
  const buckets = bucketsToRoll(store.schema, progress, block.number, block.timestamp);
  const read = reader(store);
  for (const b of buckets) {
    const t = store.layout.aggregationTable(b.aggregation.name, b.interval);
    for (const row of rollUp(b, read)) insertRow(store, t, block.number, row);
  }
}

/** Bucket rows of an aggregation and interval visible at `block` (default: every one), by timestamp then id. */
export function sqliteBucketRows(
  store: SqliteStore,
  aggregation: string,
  interval: Bucket["interval"],
  block = OPEN_BLOCK,
): EntityData[] {
  const t = store.layout.aggregationTable(aggregation, interval);
  const rows = store
    .stmt(`SELECT * FROM ${t.quoted} WHERE block_from <= ? ORDER BY "timestamp", "id"`)
    .all(Math.min(block, OPEN_BLOCK)) as Row[];
  return rows.map((r) => store.decodeRow(t, r));
}
