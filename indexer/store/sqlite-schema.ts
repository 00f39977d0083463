/**
 * Brings a store file's tables and indexes in line with its layout. The index plan may change between runs
 * (a subgraph declares another field): indexes the layout no longer has are dropped, new ones are built, and
 * a list column's new element table is filled from the current versions stored, so filters stay exact.
 * Without `queryIndexes`, the indexes only queries read are dropped or not built (a store catching up).
 */
import type Database from "better-sqlite3";
import { CURRENT_VERSION, type ColumnLayout, type Layout, type TableLayout } from "./layout";
import { addElements } from "./sqlite-elements";

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
}

export function applyLayout(db: Database.Database, layout: Layout, queryIndexes = true): void {
  const master = () => db.prepare(`SELECT type, name, tbl_name FROM sqlite_master`).all() as MasterRow[];
  const before = new Set(master().map((r) => r.name));
  for (const sql of layout.ddl(queryIndexes)) db.exec(sql);

  const tables = new Map(layout.allTables().map(([, t]) => [t.quoted.slice(1, -1), t]));
  const wantedIndexes = new Set<string>();
  const wantedSideTables = new Set<string>();
  for (const t of tables.values()) {
    for (const ix of layout.indexes(t, queryIndexes)) wantedIndexes.add(ix.name);
    for (const c of t.columns) {
      if (!c.elements) continue;
      const side = c.elements.slice(1, -1);
      wantedSideTables.add(side);
      if (!before.has(side) && before.has(t.quoted.slice(1, -1))) {
        fillElements(db, t, c);
      }
    }
  }
  for (const r of master()) {
    if (r.type === "index" && tables.has(r.tbl_name) && !r.name.startsWith("sqlite_") && !wantedIndexes.has(r.name)) {
      db.exec(`DROP INDEX "${r.name.replace(/"/g, '""')}"`);
    }
    // An element table of a list column that is no longer indexed: `e_Type__field` beside `e_Type`.
    const owner = r.type === "table" ? /^(.*)__[^_][^]*$/.exec(r.name)?.[1] : undefined;
    if (owner && tables.has(owner) && !tables.has(r.name) && !wantedSideTables.has(r.name)) {
      db.exec(`DROP TABLE "${r.name.replace(/"/g, '""')}"`);
    }
  }
}

/** Fills a list column's new element table from the current versions stored. */
function fillElements(db: Database.Database, t: TableLayout, c: ColumnLayout): void {
  const rows = db.prepare(
    `SELECT vid, ${c.quoted} AS v FROM ${t.quoted} WHERE ${c.quoted} IS NOT NULL AND ${CURRENT_VERSION}`,
  );
  for (const r of rows.all() as { vid: number | bigint; v: string }[])
    addElements((sql) => db.prepare(sql), c, r.v, r.vid);
}
