/**
 * Translation of graph-node's `where` filters and `orderBy` into SQL over the store's tables, at one block.
 */
import { GraphQLError } from "graphql";
import { isStored, type FieldModel, type SchemaModel } from "../schema/model";
import {
  bigDecimalToString,
  columnType,
  elementKind,
  encodeBigDecimal,
  encodeBigInt,
  type ElementKind,
} from "./encoding";
import type { BigDecimalValue } from "./types";
import { CURRENT_VERSION, Layout, keyPrefix, quoteIdent, type ColumnLayout, type TableLayout } from "./layout";
import { MAX_FILTER_NESTING, splitFilterName } from "./query-store";

export type { SqlValue } from "./encoding";
import type { SqlValue } from "./encoding";
import { encodeList } from "./list-encoding";
import { listNeedle } from "./list-sql";

/** Something rows come from: an entity table, or the union of an interface's implementations. */
export interface Source {
  name: string;
  /** A table name or a parenthesised subquery: the current versions are whole in it. */
  sql: string;
  /** The same, with every version whole (TableLayout.versions): what a query at an older block reads. */
  versions: string;
  concrete: boolean;
  idKind: "String" | "Bytes" | "Int8";
  /** Whether ORDER BY indexes break ties by the id's prefix (TableLayout.idPrefixed): orders state it. */
  idPrefixed: boolean;
  fields: Map<string, FieldModel>;
  columns: Map<string, ColumnLayout>;
}

export class Sources {
  private readonly map = new Map<string, Source>();

  constructor(
    readonly schema: SchemaModel,
    readonly layout: Layout,
  ) {
    // Aggregation bucket tables are sources too, under their `Name@interval` key.
    for (const [name, t] of [...layout.tables, ...layout.aggregationTables]) {
      this.map.set(name, {
        name,
        sql: t.quoted,
        versions: t.versions,
        concrete: true,
        idKind: t.idKind,
        idPrefixed: t.idPrefixed,
        fields: t.entity.fieldsByName,
        columns: t.byField,
      });
    }
    for (const i of schema.interfaces.values()) {
      const cols: ColumnLayout[] = i.fields.filter(isStored).map((field) => ({
        field,
        name: field.name,
        quoted: quoteIdent(field.name),
        kind: elementKind(schema, field),
        list: field.list,
        sqlType: columnType(schema, field),
        indexWith: [],
        index: null, // a union of the implementations' tables: their own indexes serve it
        // Filters pushed into the union use the implementations' indexes when they state the same prefix.
        prefixed: i.implementations.every((impl) => layout.table(impl).byField.get(field.name)?.prefixed === true),
      }));
      const list = cols.map((c) => c.quoted).join(", ");
      const union = (from: (t: TableLayout) => string): string => {
        const selects = i.implementations.map(
          (impl) =>
            `SELECT '${impl}' AS __typename, vid, block_from, block_to, ${list} FROM ${from(layout.table(impl))}`,
        );
        if (selects.length === 0) {
          selects.push(
            `SELECT NULL AS __typename, 0 AS vid, 0 AS block_from, 0 AS block_to, ${cols.map((c) => `NULL AS ${c.quoted}`).join(", ")} WHERE 0`,
          );
        }
        return `(${selects.join(" UNION ALL ")})`;
      };
      this.map.set(i.name, {
        name: i.name,
        sql: union((t) => t.quoted),
        versions: union((t) => t.versions),
        concrete: false,
        idKind: i.idKind,
        idPrefixed: false, // a union is sorted whole
        fields: i.fieldsByName,
        columns: new Map(cols.map((c) => [c.name, c])),
      });
    }
  }

  get(name: string): Source {
    const s = this.map.get(name);
    if (!s) throw new Error(`unknown type ${name}`);
    return s;
  }
}

/**
 * Rows alive at block `b`. `current`: `b` is the head of the snapshot the query reads, where the rows alive
 * are exactly the current versions; saying so literally lets SQLite use the indexes over current versions.
 */
export function atBlock(alias: string, b: number, current = false): string {
  if (current) return `${alias}.${CURRENT_VERSION}`;
  return `${alias}.block_from <= ${b} AND ${alias}.block_to > ${b}`;
}

/** What a query reads `src` from: its current versions at the head (`current`), else every version whole. */
export function fromAt(src: Source, current: boolean): string {
  return current ? src.sql : src.versions;
}

/** A filter or order value as stored in a column. */
export function columnValue(kind: ElementKind, v: unknown): SqlValue {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case "BigInt":
      return encodeBigInt(v as bigint);
    case "BigDecimal":
      return encodeBigDecimal(v as BigDecimalValue);
    case "Boolean":
      return v ? 1 : 0;
    case "Int":
      return v as number;
    case "Int8":
    case "Timestamp":
      return v as bigint;
    case "Bytes":
      // Stored as BLOBs; text that is not hex can't equal any of them and stays text.
      return typeof v === "string" && /^0x(?:[0-9a-fA-F]{2})*$/.test(v)
        ? Buffer.from(v.slice(2), "hex")
        : (v as string);
    default:
      return v as string;
  }
}

/** A whole-list filter value as its column stores it, or null if an element can't be stored there. */
function listValue(c: ColumnLayout, value: unknown[]): Buffer | null {
  const elements = value.map((x) => filterValue(c, x));
  if (c.kind === "Bytes" && elements.some((e) => typeof e === "string")) return null;
  return encodeList(c.kind, elements);
}

/** The elements of list column `col` as rows `value` (list-sql.ts), for a join through the list. */
export function listEach(col: string, kind: ElementKind): string {
  return `tt_list_each(${col}, '${kind}')`;
}

/** A list element (tt_list_each's value) compared with a column of `kind` (it gives Bytes as 0x hex). */
export function jsonAsColumn(kind: ElementKind, element: string): string {
  return kind === "Bytes" ? `unhex(substr(${element}, 3))` : element;
}

/** A Bytes column as the lowercase 0x hex text string filters on it compare with. */
function bytesAsText(col: string): string {
  return `('0x' || lower(hex(${col})))`;
}

/**
 * A filter value for a column. References to Bytes ids are filtered with Strings (as in graph-node); hex
 * is normalised to the stored lowercase `0x` form, anything else can only match textually.
 */
function filterInput(c: ColumnLayout, v: unknown): unknown {
  if (c.kind === "Bytes" && c.field.type.kind === "ref" && typeof v === "string") {
    const m = /^(?:0x)?((?:[0-9a-fA-F]{2})*)$/.exec(v);
    return m ? "0x" + m[1].toLowerCase() : v.toLowerCase();
  }
  return v;
}

function filterValue(c: ColumnLayout, v: unknown): SqlValue {
  return columnValue(c.kind, filterInput(c, v));
}

/** A list element as stored in a list column's JSON. */
export function jsonValue(kind: ElementKind, v: unknown): unknown {
  switch (kind) {
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return (v as bigint).toString();
    case "BigDecimal":
      return bigDecimalToString(v as BigDecimalValue);
    default:
      return v;
  }
}

/** The stored column and the operator suffix of a plain filter key (`weightKg_gte` → weightKg, `_gte`). */
export function splitFilterKey(src: Source, key: string): { col?: ColumnLayout; op: string } {
  const { field, op } = splitFilterName(src.fields, key);
  return { col: field === undefined ? undefined : src.columns.get(field), op };
}

/** Builds SQL text with positional parameters and fresh table aliases. */

export class SqlBuilder {
  readonly params: SqlValue[] = [];
  /**
   * Columns of the top-level alias `a` whose index must not drive the query (written `+a.col`), so that
   * SQLite walks the ORDER BY index instead of sorting many matches (see QueryEngine.collection).
   */
  readonly unindexed = new Set<string>();
  /**
   * Whether no filter on the top-level alias `a` may drive the query: set for lookups by a list of parent
   * ids or ids (nested fields), where that list is the selective term and SQLite would otherwise pick the
   * index of a broad filter such as `active: true` and walk every version it holds.
   */
  unindexedAll = false;
  private aliasCount = 0;
  /** Child filters enclosing the one being built. */
  private nesting = 0;

  constructor(
    readonly sources: Sources,
    readonly block: number,
    readonly maxNesting: number = MAX_FILTER_NESTING,
    /** `block` is the head of the snapshot the query reads (see `atBlock`). */
    readonly current = false,
    /** The element tables hold the snapshot's current versions (not while the query indexes wait). */
    readonly elements = false,
  ) {}

  alias(): string {
    return `t${this.aliasCount++}`;
  }

  /** A numbered parameter (`?N`), so that one value may be used twice. */
  param(v: SqlValue): string {
    this.params.push(v);
    return `?${this.params.length}`;
  }

  /** The parameters as better-sqlite3 binds numbered ones. */
  bindings(): Record<number, SqlValue> {
    const out: Record<number, SqlValue> = {};
    this.params.forEach((v, i) => (out[i + 1] = v));
    return out;
  }

  /** SQL for a `<T>_filter` object on rows of `src` aliased `a`; "1" when empty. */
  filter(src: Source, a: string, where: Record<string, unknown> | null | undefined): string {
    if (!where) return "1";
    const parts: string[] = [];
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === "and" || key === "or") {
        if (value === null) continue;
        const subs = (value as Record<string, unknown>[]).map((w) => `(${this.filter(src, a, w)})`);
        if (subs.length > 0) parts.push(`(${subs.join(key === "and" ? " AND " : " OR ")})`);
        continue;
      }
      if (key === "_change_block") {
        if (value !== null) parts.push(`${a}.block_from >= ${Number((value as { number_gte: number }).number_gte)}`);
        continue;
      }
      if (key.endsWith("_") && src.fields.get(key.slice(0, -1))?.type.kind === "ref") {
        if (value !== null)
          parts.push(this.nested(src, a, src.fields.get(key.slice(0, -1))!, value as Record<string, unknown>));
        continue;
      }
      const { col, op } = splitFilterKey(src, key);
      if (!col) throw new GraphQLError(`unknown filter \`${key}\` on ${src.name}`);
      parts.push(col.list ? this.listOp(a, col, op, value) : this.scalarOp(a, col, op, value));
    }
    return parts.length === 0 ? "1" : parts.join(" AND ");
  }

  private scalarOp(a: string, c: ColumnLayout, op: string, value: unknown): string {
    const col = `${a === "a" && (this.unindexedAll || this.unindexed.has(c.name)) ? "+" : ""}${a}.${c.quoted}`;
    if (value === null) {
      if (op === "") return `${col} IS NULL`;
      if (op === "_not") return `${col} IS NOT NULL`;
      throw new GraphQLError(`filter \`${c.name}${op}\` does not accept null`);
    }
    const v = (x: unknown) => this.param(filterValue(c, x));
    // A prefixed index (ColumnLayout.prefixed) is found through the prefix the comparison implies, unless the
    // column's index must not drive (`+a.col`).
    const viaPrefix = c.prefixed && !col.startsWith("+");
    const compare = (sqlOp: string, prefixOp: string, value: unknown): string => {
      const p = v(value);
      return viaPrefix
        ? `${keyPrefix(col)} ${prefixOp} ${keyPrefix(p)} AND ${col} ${sqlOp} ${p}`
        : `${col} ${sqlOp} ${p}`;
    };
    switch (op) {
      case "":
        return compare("=", "=", value);
      case "_not":
        return `${col} != ${v(value)}`;
      case "_gt":
        return compare(">", ">=", value);
      case "_lt":
        return compare("<", "<=", value);
      case "_gte":
        return compare(">=", ">=", value);
      case "_lte":
        return compare("<=", "<=", value);
      case "_in":
      case "_not_in": {
        const list = value as unknown[];
        if (list.length === 0) return op === "_in" ? "0" : `${col} IS NOT NULL`;
        const ps = list.map(v);
        const test = `${col} ${op === "_in" ? "IN" : "NOT IN"} (${ps.join(", ")})`;
        if (!viaPrefix || op === "_not_in") return test;
        return `${keyPrefix(col)} IN (${ps.map(keyPrefix).join(", ")}) AND ${test}`;
      }
    }
    const isRef = c.field.type.kind === "ref";
    const s = isRef && c.kind === "Bytes" ? (value as string).toLowerCase() : (value as string);
    if (c.kind === "Bytes" && !isRef) {
      // Whole bytes contained in the BLOB; a needle that is not hex bytes is contained in none.
      const bytes = columnValue("Bytes", s);
      const found = Buffer.isBuffer(bytes) ? `instr(${col}, ${this.param(bytes)}) > 0` : "0";
      return op === "_contains" ? `${col} IS NOT NULL AND ${found}` : `${col} IS NOT NULL AND NOT ${found}`;
    }
    const nocase = op.endsWith("_nocase");
    const negate = op.startsWith("_not_");
    const how = op.replace("_nocase", "").replace("_not_", "_");
    const text = c.kind === "Bytes" ? bytesAsText(col) : col;
    const subject = nocase ? `tt_lower(${text})` : text;
    const p = this.param(nocase ? s.toLowerCase() : s);
    let test: string;
    if (how === "_contains") test = `instr(${subject}, ${p}) > 0`;
    else if (how === "_starts_with") test = `substr(${subject}, 1, length(${p})) = ${p}`;
    else test = `(length(${p}) = 0 OR substr(${subject}, -length(${p})) = ${p})`;
    return negate ? `${col} IS NOT NULL AND NOT (${test})` : test;
  }

  private listOp(a: string, c: ColumnLayout, op: string, value: unknown): string {
    const col = `${a}.${c.quoted}`;
    if (value === null) {
      if (op === "") return `${col} IS NULL`;
      if (op === "_not") return `${col} IS NOT NULL`;
      throw new GraphQLError(`filter \`${c.name}${op}\` does not accept null`);
    }
    if (op === "" || op === "_not") {
      const list = listValue(c, value as unknown[]);
      // A list with an element its column can't hold (text that is not hex, for Bytes) equals no stored one.
      if (list === null) return op === "" ? "0" : `${col} IS NOT NULL`;
      return `${col} ${op === "" ? "=" : "!="} ${this.param(list)}`;
    }
    const elements = (value as unknown[]).map((x) => jsonValue(c.kind, filterInput(c, x)));
    // Contains every given element (Postgres `@>`): through the element side table where there is one
    // (concrete tables; case-sensitive), else by reading the row's list.
    const nocase = op.endsWith("_nocase");
    // Interface unions have no element tables; a list filter that must not drive reads the row's list, and so
    // does one at an older block (element tables hold current versions: sqlite-elements.ts).
    const driving = !(a === "a" && (this.unindexedAll || this.unindexed.has(c.name)));
    const viaSide = c.elements !== undefined && !nocase && driving && this.elements;
    const has = (value as unknown[]).map((x, i) => {
      if (viaSide) {
        const vid = `${a}.vid`;
        return `${vid} IN (SELECT vid FROM ${c.elements} WHERE value = ${this.param(filterValue(c, x))})`;
      }
      const e = elements[i];
      const p = this.param(
        typeof e === "boolean" ? (e ? 1 : 0) : nocase && typeof e === "string" ? e.toLowerCase() : (e as SqlValue),
      );
      if (nocase) return `tt_list_has(${col}, '${c.kind}', ${p}, 1)`;
      // SQLite finds the element's bytes natively: at the start they are the first element; further on, the
      // function confirms that they start one.
      const needle = listNeedle(c.kind, typeof e === "boolean" ? (e ? 1 : 0) : e);
      if (needle === null) return "0";
      return `(CASE instr(${col}, ${this.param(needle)}) WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE tt_list_has(${col}, '${c.kind}', ${p}, 0) END)`;
    });
    const all = has.length === 0 ? "1" : has.join(" AND ");
    if (op === "_contains" || op === "_contains_nocase") return `${col} IS NOT NULL AND ${all}`;
    if (op === "_not_contains" || op === "_not_contains_nocase") return `${col} IS NOT NULL AND NOT (${all})`;
    throw new GraphQLError(`unsupported list filter \`${c.name}${op}\``);
  }

  /** `field_: {…}`: some referenced (or, for derived fields, referencing) entity matches. */
  private nested(src: Source, a: string, f: FieldModel, where: Record<string, unknown>): string {
    if (f.type.kind !== "ref") throw new Error("not a reference");
    if (this.nesting >= this.maxNesting) {
      throw new GraphQLError(
        `child filter \`${f.name}_\` is nested inside another child filter; at most ${this.maxNesting} level` +
          `${this.maxNesting === 1 ? " is" : "s are"} allowed`,
      );
    }
    const target = this.sources.get(f.type.target);
    const x = this.alias();
    // tt_live() runs per candidate row: the deadline check inside a running statement.
    const alive = `tt_live(${x}."id") AND ${atBlock(x, this.block, this.current)}`;
    this.nesting++;
    try {
      return this.childFilter(src, a, f, target, x, alive, where);
    } finally {
      this.nesting--;
    }
  }

  private childFilter(
    src: Source,
    a: string,
    f: FieldModel,
    target: Source,
    x: string,
    alive: string,
    where: Record<string, unknown>,
  ): string {
    if (f.derivedFrom !== undefined) {
      const back = target.columns.get(f.derivedFrom)!;
      const link = back.list
        ? `EXISTS (SELECT 1 FROM ${listEach(`${x}.${back.quoted}`, back.kind)} j WHERE ${jsonAsColumn(back.kind, "j.value")} = ${a}."id")`
        : `${x}.${back.quoted} = ${a}."id"`;
      return `EXISTS (SELECT 1 FROM ${fromAt(target, this.current)} ${x} WHERE ${link} AND ${alive} AND (${this.filter(target, x, where)}))`;
    }
    const col = src.columns.get(f.name)!;
    if (col.list) {
      return (
        `EXISTS (SELECT 1 FROM ${listEach(`${a}.${col.quoted}`, col.kind)} j JOIN ${fromAt(target, this.current)} ${x} ON ${x}."id" = ${jsonAsColumn(col.kind, "j.value")} ` +
        `WHERE ${alive} AND (${this.filter(target, x, where)}))`
      );
    }
    return `${a}.${col.quoted} IN (SELECT ${x}."id" FROM ${fromAt(target, this.current)} ${x} WHERE ${alive} AND (${this.filter(target, x, where)}))`;
  }

  /**
   * ORDER BY terms (ties broken by id in the same direction) and the joins a nested order needs. With `sort`,
   * the column is written `+a.col`, so that SQLite sorts the rows a filter's index found instead of walking the
   * column's own index.
   */
  order(
    src: Source,
    a: string,
    orderBy: string | null | undefined,
    direction: string | null | undefined,
    sort = false,
  ) {
    const dir = direction === "desc" ? "DESC" : "ASC";
    const idTerm = `${a}."id" ${dir}`;
    if (!orderBy || orderBy === "id") return { joins: "", terms: idTerm };
    // The ORDER BY indexes break ties by a Bytes id's prefix (TableLayout.idPrefixed): ordering by it, then by
    // the id, is the same order, stated so that they serve it.
    const tieTerms = src.idPrefixed ? `${keyPrefix(`${a}."id"`)} ${dir}, ${idTerm}` : idTerm;
    const [name, sub] = orderBy.split("__");
    const c = src.columns.get(name);
    if (!c || c.list) throw new GraphQLError(`cannot order ${src.name} by \`${orderBy}\``);
    if (sub === undefined) {
      const nulls = c.field.nonNull ? "" : " NULLS LAST";
      return { joins: "", terms: `${sort ? "+" : ""}${a}.${c.quoted} ${dir}${nulls}, ${tieTerms}` };
    }
    if (c.field.type.kind !== "ref") throw new GraphQLError(`cannot order ${src.name} by \`${orderBy}\``);
    const target = this.sources.get(c.field.type.target);
    const tc = target.columns.get(sub);
    if (!tc || tc.list) throw new GraphQLError(`cannot order ${src.name} by \`${orderBy}\``);
    const o = this.alias();
    return {
      joins: ` LEFT JOIN ${fromAt(target, this.current)} ${o} ON ${o}."id" = ${a}.${c.quoted} AND ${atBlock(o, this.block, this.current)}`,
      terms: `${o}.${tc.quoted} ${dir} NULLS LAST, ${idTerm}`,
    };
  }
}
