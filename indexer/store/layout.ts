/**
 * The relational layout of a schema: one table per entity type, one typed column per stored field, and the
 * version columns `vid`, `block_from`, `block_to` (`OPEN_BLOCK` while a version is current).
 */
import {
  SchemaError,
  isStored,
  type AggregationInterval,
  type AggregationModel,
  type EntityModel,
  type FieldModel,
  type IdKind,
  type SchemaModel,
} from "../schema/model";
import { columnType, elementKind, type ElementKind, type SqlType } from "./encoding";

/** `block_to` of a current version: the largest block number graph-node allows (i32::MAX). */
export const OPEN_BLOCK = 2_147_483_647;

/**
 * Version column of a mutable entity's table: the bits of the columns a closed version leaves out (stores as NULL)
 * because they hold the same value as the version after it; NULL while a version is whole. Current versions are
 * always whole; `TableLayout.versions` reads every version whole again. A shipment changes a few of its 40
 * columns per event, and its closed versions repeated the rest (a fifth of a 100,000-shipment store).
 */
export const SAME_AS_NEXT = "same_as_next";

/** Columns past this many (after the id) are always stored whole: the bits must fit a positive 64-bit integer. */
const MAX_LEAVABLE = 62;

export interface ColumnLayout {
  field: FieldModel;
  /** The column name (the field name). */
  name: string;
  /** The double-quoted identifier. */
  quoted: string;
  kind: ElementKind;
  list: boolean;
  sqlType: SqlType;
  /** The column's index (see ColumnIndex); queries at older blocks can't use a `current` one and scan. */
  index: ColumnIndex;
  /** Columns the index holds after this one (a declared `"a+b"`), so that filters on them need no row. */
  indexWith: string[];
  /**
   * Whether the index holds only the first KEY_PREFIX_BYTES bytes of the value (`keyPrefix`): a declared Bytes
   * filter (an address, a hash), which queries compare and never order by; a query states the prefix beside the
   * value (`keyPrefix(col) = keyPrefix(?) AND col = ?`) to use it. Ids and back-references stay whole: an id
   * made of an address and more (a heat is its mill's address and its number) shares its first 8 bytes with
   * every other id of that address, and a lookup by prefix would read them all.
   */
  prefixed: boolean;
  /**
   * For list columns: the quoted side table holding each current version's distinct elements as (value,
   * vid), so that `_contains` filters at the head find rows through an index instead of parsing every list
   * (sqlite-elements.ts).
   */
  elements?: string;
  /** SQL type of the list's elements in the side table. */
  elementSqlType?: SqlType;
}

/**
 * A column's index: (column, id) over every version (`all`, graph-node's choice for every column); over current
 * versions only, (column, id) for a declared `order` field or (column) for a `filter` one; (column) over every
 * version for a field `@derivedFrom` reads (`reference`); or none.
 */
export type ColumnIndex = "all" | "order" | "filter" | "reference" | null;

/**
 * Whether an index holds current versions only (a query must state `CURRENT_VERSION` to use it). Only queries
 * read these (writes and handlers' lookups use the id and back-reference indexes), so they may be left out
 * while a store catches up (SqliteStore.deferQueryIndexes).
 */
export function currentOnly(index: ColumnIndex): boolean {
  return index === "order" || index === "filter";
}

/**
 * Which indexes a store keeps: all of them; those writes and handlers read (`handlers`: ids and the
 * back-references `@derivedFrom` loads follow), while an indexer catches up; or only the id index a write
 * looks its current version up by (`writes`), for a bulk load whose writer never reads derived fields.
 */
export type IndexSet = "all" | "handlers" | "writes";

/** Whether index set `set` holds a column index of kind `index` (the id index is in every set). */
function holds(set: IndexSet, index: ColumnIndex): boolean {
  if (set === "all") return true;
  return set === "handlers" && !currentOnly(index);
}

/** The condition of an index over current versions (SQLite uses it for queries that state it literally). */
export const CURRENT_VERSION = `block_to = ${OPEN_BLOCK}`;

/**
 * Bytes of a Bytes value that a filter's index holds, and of a Bytes id that breaks ties in an ORDER BY index
 * (see ColumnLayout.prefixed and TableLayout.idPrefixed).
 */
export const KEY_PREFIX_BYTES = 8;

/**
 * The indexed prefix of a Bytes expression. BLOBs compare as bytes, so ordering by it and then by the whole
 * value orders by the value. SQLite's substr() of an empty BLOB is NULL: the empty prefix stands for it (and
 * for NULL, which the whole-value comparison beside it then rules out).
 */
export function keyPrefix(expr: string): string {
  return `ifnull(substr(${expr}, 1, ${KEY_PREFIX_BYTES}), X'')`;
}

export interface TableLayout {
  entity: EntityModel;
  /** Quoted table identifier. */
  quoted: string;
  idKind: IdKind;
  /**
   * Whether ORDER BY indexes break ties by the id's prefix (`keyPrefix("id")`) rather than the whole id: Bytes ids
   * (72 bytes for a risk flag) made those indexes three times the size of their ordered column. A query orders
   * by `col, keyPrefix(id), id`, the same order (BLOBs compare byte by byte); SQLite sorts the ties of column
   * and prefix, which are few unless many ids that share their first 8 bytes also share the column's value.
   */
  idPrefixed: boolean;
  /** Stored columns, `id` first. */
  columns: ColumnLayout[];
  byField: Map<string, ColumnLayout>;
  /**
   * The columns a closed version may leave out (SAME_AS_NEXT), with their place in `columns` and their bit: a mutable entity's columns other than
   * the id and the back-references `@derivedFrom` follows, which an index over every version holds and time
   * travel looks up. Fixed by the schema alone, so that an index plan's change never reinterprets stored bits.
   */
  leavable: { column: ColumnLayout; position: number; bit: bigint }[];
  /**
   * Where every version reads whole (quoted): the table when no column is leavable, else a view that takes a
   * left-out column from the nearest later version of the id that stores it (the (id, block_to) index finds it).
   * Current versions read the table itself.
   */
  versions: string;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The key of an aggregation's table for one interval (never a GraphQL name: `@` is not allowed there). */
export function aggregationKey(aggregation: string, interval: AggregationInterval): string {
  return `${aggregation}@${interval}`;
}

/** An aggregation bucket table's rows look like an immutable entity's with an Int8 id. */
function bucketEntity(agg: AggregationModel): EntityModel {
  return {
    name: agg.name,
    immutable: true,
    timeseries: false,
    idKind: "Int8",
    fields: agg.fields,
    fieldsByName: agg.fieldsByName,
    interfaces: [],
  };
}

export class Layout {
  /** Entity tables by entity type. */
  readonly tables = new Map<string, TableLayout>();
  /** Aggregation bucket tables by `aggregationKey` (one per aggregation and interval). */
  readonly aggregationTables = new Map<string, TableLayout>();
  /** `Type.field` of every stored field a `@derivedFrom` follows back. */
  private readonly backReferences: Set<string>;

  constructor(readonly schema: SchemaModel) {
    this.backReferences = derivedBackReferences(schema);
    const tableNames = new Set<string>();
    const claim = (tname: string, what: string) => {
      if (tableNames.has(tname.toLowerCase())) {
        throw new SchemaError(`types that differ only in case are not supported (\`${what}\`)`);
      }
      tableNames.add(tname.toLowerCase());
    };
    for (const entity of schema.entities.values()) {
      claim(`e_${entity.name}`, entity.name);
      const declared = schema.indexes?.get(entity.name);
      const indexOf = (f: FieldModel): ColumnIndex => {
        if (schema.indexes === null) return "all";
        if (this.backReferences.has(`${entity.name}.${f.name}`)) return "reference";
        // A timeseries is read by time by the roll-up and the current bucket, at any block.
        if (entity.timeseries && f.name === "timestamp") return "all";
        return declared?.get(f.name)?.use ?? null;
      };
      this.tables.set(entity.name, this.tableFor(entity, `e_${entity.name}`, indexOf));
    }
    for (const agg of schema.aggregations.values()) {
      for (const interval of agg.intervals) {
        const key = aggregationKey(agg.name, interval);
        claim(`a_${key}`, agg.name);
        // Buckets are few and queried by any dimension: index them all.
        this.aggregationTables.set(
          key,
          this.tableFor(bucketEntity(agg), `a_${key}`, () => "all"),
        );
      }
    }
  }

  private tableFor(entity: EntityModel, tname: string, indexOf: (f: FieldModel) => ColumnIndex): TableLayout {
    const schema = this.schema;
    const stored = entity.fields.filter(isStored);
    const ordered = [...stored.filter((f) => f.name === "id"), ...stored.filter((f) => f.name !== "id")];
    const seen = new Set<string>();
    const columns = ordered.map((field): ColumnLayout => {
      if (seen.has(field.name.toLowerCase())) {
        throw new SchemaError(`fields that differ only in case are not supported (\`${entity.name}.${field.name}\`)`);
      }
      seen.add(field.name.toLowerCase());
      const index = field.name === "id" ? "all" : indexOf(field);
      const indexWith = [...(schema.indexes?.get(entity.name)?.get(field.name)?.with ?? [])];
      const kind = elementKind(schema, field);
      return {
        field,
        name: field.name,
        quoted: quoteIdent(field.name),
        kind,
        list: field.list,
        sqlType: columnType(schema, field),
        index,
        indexWith,
        prefixed: kind === "Bytes" && !field.list && index === "filter",
        elements: field.list && index !== null ? quoteIdent(`${tname}__${field.name}`) : undefined,
        elementSqlType: field.list && index !== null ? columnType(schema, { ...field, list: false }) : undefined,
      };
    });
    const quoted = quoteIdent(tname);
    const mutable = !entity.immutable && !entity.timeseries; // aggregation buckets are immutable
    const leavable = mutable
      ? columns
          .slice(1, MAX_LEAVABLE + 1)
          .map((column, i) => ({ column, position: i + 1, bit: 1n << BigInt(i) }))
          .filter(({ column }) => !this.backReferences.has(`${entity.name}.${column.name}`))
      : [];
    return {
      entity,
      quoted,
      idKind: entity.idKind,
      idPrefixed: entity.idKind === "Bytes",
      columns,
      byField: new Map(columns.map((c) => [c.name, c])),
      leavable,
      versions: leavable.length === 0 ? quoted : quoteIdent(`${tname}#versions`),
    };
  }

  /** Entity tables and aggregation tables: everything a revert or a digest covers. */
  allTables(): [string, TableLayout][] {
    return [...this.tables, ...this.aggregationTables];
  }

  aggregationTable(aggregation: string, interval: AggregationInterval): TableLayout {
    const t = this.aggregationTables.get(aggregationKey(aggregation, interval));
    if (!t) throw new Error(`unknown aggregation \`${aggregation}\` with interval \`${interval}\``);
    return t;
  }

  table(entityType: string): TableLayout {
    const t = this.tables.get(entityType);
    if (!t) throw new Error(`unknown entity type \`${entityType}\``);
    return t;
  }

  /** CREATE statements for every table and the indexes of index set `set`. */
  ddl(set: IndexSet = "all"): string[] {
    const out: string[] = [];
    for (const [, t] of this.allTables()) {
      const cols = t.columns.map((c) => `${c.quoted} ${c.sqlType}${c.name === "id" ? " NOT NULL" : ""}`);
      const same = t.leavable.length > 0 ? `${SAME_AS_NEXT} INTEGER, ` : "";
      out.push(
        `CREATE TABLE IF NOT EXISTS ${t.quoted} (vid INTEGER PRIMARY KEY, block_from INTEGER NOT NULL, ` +
          `block_to INTEGER NOT NULL, ${same}${cols.join(", ")})`,
      );
      if (t.leavable.length > 0) out.push(`CREATE VIEW IF NOT EXISTS ${t.versions} AS ${wholeVersions(t)}`);
      for (const c of t.columns) {
        if (c.elements) {
          out.push(
            `CREATE TABLE IF NOT EXISTS ${c.elements} (value ${c.elementSqlType}, vid INTEGER NOT NULL, PRIMARY KEY (value, vid)) WITHOUT ROWID`,
          );
        }
      }
      for (const ix of this.indexes(t, set)) out.push(ix.sql);
    }
    return out;
  }

  /** The indexes of a table in index set `set`, by name. */
  indexes(t: TableLayout, set: IndexSet = "all"): { name: string; sql: string }[] {
    const base = t.quoted.slice(1, -1);
    // One version of an id ends at each block, so (id, block_to) is unique and finds any version quickly.
    const out = [
      {
        name: `${base}__id`,
        sql: `CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(base + "__id")} ON ${t.quoted} ("id", block_to)`,
      },
    ];
    for (const c of t.columns) {
      if (c.name === "id" || c.list || c.index === null || !holds(set, c.index)) continue;
      // (column, id) serves filters on the column and ORDER BY column, id without sorting; a filter field or a
      // back-reference is only looked up (a back-reference's few rows per parent are sorted): no id.
      const together = [c, ...c.indexWith.map((w) => t.byField.get(w)!)];
      const idKey = t.idPrefixed ? keyPrefix(`"id"`) : `"id"`;
      const [own, ...rest] = together.map((x) => x.quoted);
      // An order field's index holds the id next (ORDER BY field, id), then the filter fields declared with it.
      const first = c.prefixed ? keyPrefix(own) : own;
      const lookedUp = c.index === "reference" || c.index === "filter";
      const keys = lookedUp ? [first, ...rest] : [first, idKey, ...rest];
      // A filter indexed with an `order` field last (`"a+b"`) ends with id: an equality on a walks ORDER BY b, id.
      const endsWithId = c.index === "filter" && rest.length > 0 && together[together.length - 1].index === "order";
      if (endsWithId) keys.push(idKey);
      // A prefix in the index shows in its name, so that a store whose index holds whole values rebuilds it.
      const prefixes = c.prefixed || (t.idPrefixed && (!lookedUp || endsWithId));
      const suffix = prefixes ? `_p${KEY_PREFIX_BYTES}` : "";
      const label = together.map((x) => x.name).join("__") + suffix;
      const name = currentOnly(c.index) ? `${base}__${label}__${c.index}` : `${base}__${c.name}${suffix}`;
      const where = currentOnly(c.index) ? ` WHERE ${CURRENT_VERSION}` : "";
      out.push({
        name,
        sql: `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${t.quoted} (${keys.join(", ")})${where}`,
      });
    }
    return out;
  }
}

/** Every version of a table with its left-out columns filled in (TableLayout.versions). */
function wholeVersions(t: TableLayout): string {
  const bits = new Map(t.leavable.map((l) => [l.column.name, l.bit]));
  const cols = t.columns.map((c) => {
    const bit = bits.get(c.name);
    if (bit === undefined) return `v.${c.quoted}`;
    const later =
      `SELECT n.${c.quoted} FROM ${t.quoted} n WHERE n."id" = v."id" AND n.block_to > v.block_to ` +
      `AND NOT ifnull(n.${SAME_AS_NEXT} & ${bit}, 0) ORDER BY n.block_to LIMIT 1`;
    return `CASE WHEN v.${SAME_AS_NEXT} & ${bit} THEN (${later}) ELSE v.${c.quoted} END AS ${c.quoted}`;
  });
  return `SELECT v.vid AS vid, v.block_from AS block_from, v.block_to AS block_to, ${cols.join(", ")} FROM ${t.quoted} v`;
}

/** `Type.field` of every stored field a `@derivedFrom` reads (on each implementation, for an interface target). */
function derivedBackReferences(schema: SchemaModel): Set<string> {
  const out = new Set<string>();
  const owners = [...schema.entities.values(), ...schema.interfaces.values()];
  for (const owner of owners) {
    for (const f of owner.fields) {
      if (f.derivedFrom === undefined || f.type.kind !== "ref") continue;
      const target = f.type.target;
      const types = schema.interfaces.get(target)?.implementations ?? [target];
      for (const t of types) out.add(`${t}.${f.derivedFrom}`);
    }
  }
  return out;
}
