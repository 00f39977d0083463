/**
 * A list column's element table (`e_Type__field`: (value, vid)) holds the elements of the column's current
 * versions only, so that a `_contains` filter at the head reads one entry per entity, not one per version
 * (a shipment has about five versions), and the table stays a fifth the size. A version's entries go when
 * it is closed and come back when a revert reopens it; queries at older blocks read the row's list instead.
 */
import type Database from "better-sqlite3";
import type { SqlValue } from "./encoding";
import { decodeList } from "./list-encoding";
import type { ColumnLayout } from "./layout";

type Prepare = (sql: string) => Database.Statement;

/** The elements of a stored list (its BLOB) as the element table holds them; nulls are not held. */
export function elementValues(c: ColumnLayout, raw: unknown): SqlValue[] {
  if (!Buffer.isBuffer(raw)) return [];
  return decodeList(c.kind, raw).filter((v) => v !== null);
}

/** Enters version `vid`'s elements of list column `c`, given in their column encoding. */
export function enterElements(
  prepare: Prepare,
  c: ColumnLayout,
  values: Iterable<SqlValue>,
  vid: number | bigint,
): void {
  const add = prepare(`INSERT OR IGNORE INTO ${c.elements!} (value, vid) VALUES (?, ?)`);
  for (const v of values) add.run(v, vid);
}

/** Enters version `vid`'s elements of list column `c` from its stored list `raw`. */
export function addElements(prepare: Prepare, c: ColumnLayout, raw: unknown, vid: number | bigint): void {
  enterElements(prepare, c, elementValues(c, raw), vid);
}

/** Removes version `vid`'s elements of list column `c` (the table's key is (value, vid): by each value). */
export function dropElements(prepare: Prepare, c: ColumnLayout, raw: unknown, vid: number | bigint): void {
  const drop = prepare(`DELETE FROM ${c.elements!} WHERE value = ? AND vid = ?`);
  for (const v of elementValues(c, raw)) drop.run(v, vid);
}
