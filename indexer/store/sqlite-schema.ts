/**
 * Brings a store file's tables and indexes in line with its layout. The index plan may change between runs
 * (a subgraph declares another field): indexes the layout no longer has are dropped, new ones are built, and
 * a list column's new element table is filled from the current versions stored, so filters stay exact
 * (unless the query indexes wait: the element tables are filled with them).
 * Indexes outside index set `set` are dropped or not built (a store catching up, see Layout.indexes).
 */
import type Database from "better-sqlite3";
import { CURRENT_VERSION, type ColumnLayout, type IndexSet, type Layout, type TableLayout } from "./layout";
import { addElements } from "./sqlite-elements";

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
}

export function applyLayout(db: Database.Database, layout: Layout, set: IndexSet = "all"): void {
  const master = () => db.prepare(`SELECT type, name, tbl_name FROM sqlite_master`).all() as MasterRow[];
  const before = new Set(master().map((r) => r.name));
  for (const sql of layout.ddl(set)) db.exec(sql);

  const tables = new Map(layout.allTables().map(([, t]) => [t.quoted.slice(1, -1), t]));
  const wantedIndexes = new Set<string>();
  const wantedSideTables = new Set<string>();
  for (const t of tables.values()) {
    for (const ix of layout.indexes(t, set)) wantedIndexes.add(ix.name);
    for (const c of t.columns) {
      if (!c.elements) continue;
      const side = c.elements.slice(1, -1);
      wantedSideTables.add(side);
      if (set === "all" && !before.has(side) && before.has(t.quoted.slice(1, -1))) {
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

/** Empties every element table (the query indexes wait: SqliteStore.deferQueryIndexes). */
export function clearElements(db: Database.Database, layout: Layout): void {
  for (const [, t] of layout.allTables())
    for (const c of t.columns) if (c.elements) db.exec(`DELETE FROM ${c.elements}`);
}

/** Fills every (empty) element table from the current versions stored. */
export function fillAllElements(db: Database.Database, layout: Layout): void {
  for (const [, t] of layout.allTables()) for (const c of t.columns) if (c.elements) fillElements(db, t, c);
}

/** Versions read at a time while an element table is filled (the connection can't write while it iterates). */
const FILL_CHUNK = 10_000;

/** Fills a list column's new element table from the current versions stored. */
function fillElements(db: Database.Database, t: TableLayout, c: ColumnLayout): void {
  const rows = db.prepare(
    `SELECT vid, ${c.quoted} AS v FROM ${t.quoted} WHERE vid > ? AND ${c.quoted} IS NOT NULL AND ${CURRENT_VERSION} ORDER BY vid LIMIT ${FILL_CHUNK}`,
  );
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let st = statements.get(sql);
    if (!st) statements.set(sql, (st = db.prepare(sql)));
    return st;
  };
  for (let after: number | bigint = 0; ;) {
    const chunk = rows.all(after) as { vid: number | bigint; v: Buffer }[];
    for (const r of chunk) addElements(prepare, c, r.v, r.vid);
    if (chunk.length < FILL_CHUNK) return;
    after = chunk[chunk.length - 1].vid;
  }
}
