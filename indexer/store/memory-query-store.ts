/**
 * The QueryStore over a MemoryStore: graph-node's filters, ordering, paging, time travel and derived fields
 * evaluated in JS over the versions alive at the queried block. Values are compared as what they are
 * (bigints, decimals, hex strings), never through an encoding; null compares as SQL's NULL (it matches no
 * comparison), so that both stores answer alike. Aggregations are not carried (see `memory.ts`).
 */
import { GraphQLError } from "graphql";
import { isStored, type FieldModel, type IdKind } from "../schema/model";
import {
  bigDecimalToString,
  bytesToHex,
  elementKind,
  canonicalIdText,
  normalizeBigDecimal,
  type ElementKind,
} from "./encoding";
import type { MemoryStore, MemoryVersion } from "./memory";
import type {
  ByIdRequest,
  BucketsRequest,
  CollectionRequest,
  DerivedRequest,
  QueryGuard,
  QueryRow,
  QueryStore,
  ReferencedRequest,
  Selection,
} from "./query-store";
import { splitFilterName } from "./query-store";
import type { BigDecimalValue, BlockPtr, StoreValue } from "./types";

/** A value as filters and orders compare it. */
type Plain = string | number | bigint | boolean | BigDecimalValue | null;

/** A type rows come from: an entity type, or the implementations of an interface. */
interface TypeInfo {
  name: string;
  concrete: boolean;
  idKind: IdKind;
  fields: Map<string, FieldModel>;
  kinds: Map<string, ElementKind>;
  /** The entity types whose versions make up its rows. */
  tables: string[];
}

/** A version alive at the queried block, with the type it is of. */
interface Hit {
  type: string;
  key: string;
  version: MemoryVersion;
}

type Predicate = (h: Hit) => boolean;

function plainOf(v: StoreValue | undefined): Plain | Plain[] {
  if (v === undefined) return null;
  switch (v.kind) {
    case "Null":
      return null;
    case "Array":
      return v.value.map((x) => plainOf(x) as Plain);
    case "Bytes":
      return bytesToHex(v.value);
    case "BigDecimal":
      return normalizeBigDecimal(v.value);
    default:
      return v.value;
  }
}

/** A filter value of a column kind as the store's values compare with it. */
function filterPlain(kind: ElementKind, isRef: boolean, v: unknown): Plain {
  if (v === null || v === undefined) return null;
  if (kind === "Bytes" && isRef && typeof v === "string") {
    const m = /^(?:0x)?((?:[0-9a-fA-F]{2})*)$/.exec(v);
    return m ? "0x" + m[1].toLowerCase() : v.toLowerCase();
  }
  if ((kind === "Int8" || kind === "Timestamp" || kind === "BigInt") && typeof v === "string" && /^-?\d+$/.test(v))
    return BigInt(v);
  if (kind === "Int8" || kind === "Timestamp" || kind === "BigInt")
    return typeof v === "number" ? BigInt(v) : (v as bigint);
  if (kind === "BigDecimal") return normalizeBigDecimal(v as BigDecimalValue);
  return v as Plain;
}

function compareDecimal(a: BigDecimalValue, b: BigDecimalValue): number {
  const e = Math.min(a.exp, b.exp);
  const x = a.digits * 10n ** BigInt(a.exp - e);
  const y = b.digits * 10n ** BigInt(b.exp - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Orders two non-null values of one kind. */
function compare(a: Plain, b: Plain): number {
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) return compareDecimal(a, b);
  const x = typeof a === "boolean" ? Number(a) : a;
  const y = typeof b === "boolean" ? Number(b) : b;
  return x! < y! ? -1 : x! > y! ? 1 : 0;
}

/** A value in the QueryStore's output form. */
function outputOf(v: StoreValue | undefined): unknown {
  if (v === undefined) return null;
  switch (v.kind) {
    case "Null":
      return null;
    case "Array":
      return v.value.map(outputOf);
    case "Bytes":
      return bytesToHex(v.value);
    case "BigDecimal":
      return bigDecimalToString(v.value);
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return v.value.toString();
    default:
      return v.value;
  }
}

export class MemoryQueryStore implements QueryStore {
  private readonly types = new Map<string, TypeInfo>();

  constructor(private readonly store: MemoryStore) {
    const schema = store.schema;
    const info = (name: string, concrete: boolean, idKind: IdKind, fields: FieldModel[], tables: string[]) => {
      const kinds = new Map(fields.filter(isStored).map((f) => [f.name, elementKind(schema, f)]));
      this.types.set(name, { name, concrete, idKind, fields: new Map(fields.map((f) => [f.name, f])), kinds, tables });
    };
    for (const e of schema.entities.values()) info(e.name, true, e.idKind, e.fields, [e.name]);
    for (const i of schema.interfaces.values()) info(i.name, false, i.idKind, i.fields, i.implementations);
  }

  get schema() {
    return this.store.schema;
  }

  /** @inheritdoc (JavaScript reads between two awaits see one state; nothing to hold) */
  snapshot<T>(run: () => Promise<T>): Promise<T> {
    return run();
  }

  head(): BlockPtr | null {
    return this.store.head();
  }

  blockAt(number: number): BlockPtr | null {
    return this.store.blockAt(number);
  }

  blockByHash(hash: string): BlockPtr | null {
    return this.store.blockByHash(hash);
  }

  deployment(): string {
    return this.store.deployment();
  }

  hasIndexingErrors(block: number): boolean {
    return this.store.hasIndexingErrors(block);
  }

  private type(name: string): TypeInfo {
    const t = this.types.get(name);
    if (!t) throw new Error(`unknown type ${name}`);
    return t;
  }

  canonicalId(type: string, id: string): string | null {
    try {
      return canonicalIdText(this.type(type).idKind, id);
    } catch {
      return null;
    }
  }

  /** The version of an entity alive at `block`. */
  private at(type: TypeInfo, key: string, block: number): Hit | null {
    for (const table of type.tables) {
      const v = this.store.history(table, key).find((x) => x.from <= block && x.to > block);
      if (v) return { type: table, key, version: v };
    }
    return null;
  }

  /** Every version of `type` alive at `block`. */
  private alive(type: TypeInfo, block: number): Hit[] {
    const out: Hit[] = [];
    for (const table of type.tables)
      for (const [key, list] of this.store.versions.get(table) ?? []) {
        const v = list.find((x) => x.from <= block && x.to > block);
        if (v) out.push({ type: table, key, version: v });
      }
    return out;
  }

  private idPlain(type: TypeInfo, key: string): Plain {
    return type.idKind === "Int8" ? BigInt(key) : key;
  }

  /** Reads, counted and traced like a store statement. */
  private read<T>(guard: QueryGuard, what: string, run: () => T[]): T[] {
    guard.check();
    const t = guard.trace ? performance.now() : 0;
    const rows = run();
    guard.trace?.(what, {}, performance.now() - t, rows.length);
    guard.loaded(rows.length);
    return rows;
  }

  private row(type: TypeInfo, h: Hit, columns: string[] | null): QueryRow {
    const o: QueryRow = {};
    if (!type.concrete) o.__typename = h.type;
    for (const name of columns ?? type.kinds.keys()) o[name] = outputOf(h.version.data.get(name));
    return o;
  }

  // ---- filters ----

  private filter(
    type: TypeInfo,
    where: Selection["where"],
    block: number,
    guard: QueryGuard,
    nesting: number,
  ): Predicate {
    if (!where) return () => true;
    const parts: Predicate[] = [];
    for (const [key, value] of Object.entries(where)) {
      if (value === undefined) continue;
      if (key === "and" || key === "or") {
        if (value === null) continue;
        const subs = (value as Record<string, unknown>[]).map((w) => this.filter(type, w, block, guard, nesting));
        if (subs.length > 0) parts.push(key === "and" ? (h) => subs.every((p) => p(h)) : (h) => subs.some((p) => p(h)));
        continue;
      }
      if (key === "_change_block") {
        if (value !== null) {
          const gte = Number((value as { number_gte: number }).number_gte);
          parts.push((h) => h.version.from >= gte);
        }
        continue;
      }
      const child = type.fields.get(key.slice(0, -1));
      if (key.endsWith("_") && child?.type.kind === "ref") {
        if (value !== null)
          parts.push(this.child(type, child, value as Record<string, unknown>, block, guard, nesting));
        continue;
      }
      const { field, op } = this.splitKey(type, key);
      if (!field || !isStored(field)) throw new GraphQLError(`unknown filter \`${key}\` on ${type.name}`);
      parts.push(field.list ? this.listOp(type, field, op, value) : this.scalarOp(type, field, op, value));
    }
    return (h) => parts.every((p) => p(h));
  }

  private splitKey(type: TypeInfo, key: string): { field?: FieldModel; op: string } {
    const { field, op } = splitFilterName(type.fields, key);
    return { field: field === undefined ? undefined : type.fields.get(field), op };
  }

  private scalarOp(type: TypeInfo, f: FieldModel, op: string, value: unknown): Predicate {
    const get = (h: Hit) => plainOf(h.version.data.get(f.name)) as Plain;
    if (value === null) {
      if (op === "") return (h) => get(h) === null;
      if (op === "_not") return (h) => get(h) !== null;
      throw new GraphQLError(`filter \`${f.name}${op}\` does not accept null`);
    }
    const kind = type.kinds.get(f.name)!;
    const isRef = f.type.kind === "ref";
    const cmp = (test: (c: number) => boolean): Predicate => {
      const v = filterPlain(kind, isRef, value);
      return (h) => {
        const x = get(h);
        return x !== null && test(compare(x, v));
      };
    };
    switch (op) {
      case "":
        return cmp((c) => c === 0);
      case "_not":
        return cmp((c) => c !== 0);
      case "_gt":
        return cmp((c) => c > 0);
      case "_lt":
        return cmp((c) => c < 0);
      case "_gte":
        return cmp((c) => c >= 0);
      case "_lte":
        return cmp((c) => c <= 0);
      case "_in":
      case "_not_in": {
        const list = (value as unknown[]).map((x) => filterPlain(kind, isRef, x));
        const has = (x: Plain) => list.some((y) => y !== null && compare(x, y) === 0);
        if (op === "_in") return (h) => get(h) !== null && has(get(h));
        return (h) => get(h) !== null && !has(get(h));
      }
    }
    return this.textOp(f, kind, isRef, op, value as string, get);
  }

  /** `_contains`, `_starts_with`, `_ends_with` and their `_not_`/`_nocase` forms. */
  private textOp(f: FieldModel, kind: ElementKind, isRef: boolean, op: string, value: string, get: (h: Hit) => Plain) {
    const s = isRef && kind === "Bytes" ? value.toLowerCase() : value;
    if (kind === "Bytes" && !isRef) {
      const n = s.slice(2);
      const contains = (hay: string) => {
        const hx = hay.slice(2);
        for (let i = hx.indexOf(n); i >= 0; i = hx.indexOf(n, i + 1)) if (i % 2 === 0) return true;
        return false;
      };
      return (h: Hit) => {
        const x = get(h);
        return typeof x === "string" && contains(x) === (op === "_contains");
      };
    }
    const nocase = op.endsWith("_nocase");
    const negate = op.startsWith("_not_");
    const how = op.replace("_nocase", "").replace("_not_", "_");
    const p = nocase ? s.toLowerCase() : s;
    const test = (x: string) =>
      how === "_contains" ? x.includes(p) : how === "_starts_with" ? x.startsWith(p) : x.endsWith(p);
    return (h: Hit) => {
      const x = get(h);
      if (x === null) return false;
      const subject = nocase ? String(x).toLowerCase() : String(x);
      return negate ? !test(subject) : test(subject);
    };
  }

  private listOp(type: TypeInfo, f: FieldModel, op: string, value: unknown): Predicate {
    const get = (h: Hit) => plainOf(h.version.data.get(f.name)) as Plain[] | null;
    if (value === null) {
      if (op === "") return (h) => get(h) === null;
      if (op === "_not") return (h) => get(h) !== null;
      throw new GraphQLError(`filter \`${f.name}${op}\` does not accept null`);
    }
    const kind = type.kinds.get(f.name)!;
    const wanted = (value as unknown[]).map((x) => filterPlain(kind, f.type.kind === "ref", x));
    const same = (x: Plain, y: Plain) => (x === null || y === null ? x === y : compare(x, y) === 0);
    if (op === "" || op === "_not") {
      const eq = (l: Plain[]) => l.length === wanted.length && l.every((x, i) => same(x, wanted[i]));
      return (h) => {
        const l = get(h);
        return l !== null && eq(l) === (op === "");
      };
    }
    const nocase = op.endsWith("_nocase");
    const fold = (x: Plain) => (nocase && typeof x === "string" ? x.toLowerCase() : x);
    const all = (l: Plain[]) => wanted.every((w) => l.some((x) => same(fold(x), fold(w))));
    if (op === "_contains" || op === "_contains_nocase") return (h) => get(h) !== null && all(get(h)!);
    if (op === "_not_contains" || op === "_not_contains_nocase") return (h) => get(h) !== null && !all(get(h)!);
    throw new GraphQLError(`unsupported list filter \`${f.name}${op}\``);
  }

  /** `field_: {…}`: some referenced (or, for derived fields, referencing) entity matches. */
  private child(
    type: TypeInfo,
    f: FieldModel,
    where: Record<string, unknown>,
    block: number,
    guard: QueryGuard,
    nesting: number,
  ): Predicate {
    if (f.type.kind !== "ref") throw new Error("not a reference");
    if (nesting >= guard.maxFilterNesting) {
      throw new GraphQLError(
        `child filter \`${f.name}_\` is nested inside another child filter; at most ${guard.maxFilterNesting} level` +
          `${guard.maxFilterNesting === 1 ? " is" : "s are"} allowed`,
      );
    }
    const target = this.type(f.type.target);
    const matches = this.filter(target, where, block, guard, nesting + 1);
    let found: Hit[] | null = null;
    const matching = () => (found ??= this.alive(target, block).filter(matches));
    if (f.derivedFrom !== undefined) {
      const back = f.derivedFrom;
      let parents: Set<string> | null = null;
      const linked = () => {
        if (parents) return parents;
        parents = new Set<string>();
        for (const h of matching()) {
          const v = plainOf(h.version.data.get(back));
          for (const x of Array.isArray(v) ? v : [v]) if (x !== null) parents.add(String(x));
        }
        return parents;
      };
      return (h) => linked().has(h.key);
    }
    let ids: Set<string> | null = null;
    const matchingIds = () => (ids ??= new Set(matching().map((h) => h.key)));
    return (h) => {
      const v = plainOf(h.version.data.get(f.name));
      if (v === null) return false;
      return Array.isArray(v)
        ? v.some((x) => x !== null && matchingIds().has(String(x)))
        : matchingIds().has(String(v));
    };
  }

  // ---- ordering ----

  private order(type: TypeInfo, req: Selection, block: number): (a: Hit, b: Hit) => number {
    const dir = req.orderDirection === "desc" ? -1 : 1;
    const byId = (a: Hit, b: Hit) => dir * compare(this.idPlain(type, a.key), this.idPlain(type, b.key));
    const orderBy = req.orderBy;
    if (!orderBy || orderBy === "id") return byId;
    const [name, sub] = orderBy.split("__");
    const f = type.fields.get(name);
    const refuse = () => new GraphQLError(`cannot order ${type.name} by \`${orderBy}\``);
    if (!f || !isStored(f) || f.list) throw refuse();
    let key: (h: Hit) => Plain;
    if (sub === undefined) key = (h) => plainOf(h.version.data.get(name)) as Plain;
    else {
      if (f.type.kind !== "ref") throw refuse();
      const target = this.type(f.type.target);
      const tf = target.fields.get(sub);
      if (!tf || !isStored(tf) || tf.list) throw refuse();
      key = (h) => {
        const ref = plainOf(h.version.data.get(name));
        const t = ref === null ? null : this.at(target, String(ref), block);
        return t ? (plainOf(t.version.data.get(sub)) as Plain) : null;
      };
    }
    return (a, b) => {
      const x = key(a);
      const y = key(b);
      if (x === null || y === null) return x === y ? byId(a, b) : x === null ? 1 : -1; // nulls last
      return dir * compare(x, y) || byId(a, b);
    };
  }

  private select(type: TypeInfo, req: Selection, hits: Hit[], guard: QueryGuard): Hit[] {
    const matches = this.filter(type, req.where, req.block, guard, 0);
    const cmp = this.order(type, req, req.block);
    return hits.filter(matches).sort(cmp);
  }

  // ---- requests ----

  collection(guard: QueryGuard, req: CollectionRequest): QueryRow[] {
    const type = this.type(req.type);
    return this.read(guard, `collection ${req.type}`, () =>
      this.select(type, req, this.alive(type, req.block), guard)
        .slice(req.skip, req.skip + req.first)
        .map((h) => this.row(type, h, req.columns)),
    );
  }

  byIds(guard: QueryGuard, req: ByIdRequest): QueryRow[] {
    const type = this.type(req.type);
    return this.read(guard, `byIds ${req.type}`, () => {
      const out: QueryRow[] = [];
      for (const key of new Set(req.ids.map((i) => this.canonicalId(req.type, i)))) {
        const h = key === null ? null : this.at(type, key, req.block);
        if (h) out.push(this.row(type, h, req.columns));
      }
      return out;
    });
  }

  derived(guard: QueryGuard, req: DerivedRequest): Map<string, QueryRow[]> {
    const type = this.type(req.type);
    const out = new Map<string, QueryRow[]>();
    const parents = new Set(req.parentIds.map((p) => this.canonicalId(req.parentType, p) ?? p));
    const rows = this.read(guard, `derived ${req.type}.${req.backRef}`, () => {
      const byParent = new Map<string, Hit[]>();
      for (const h of this.select(type, req, this.alive(type, req.block), guard)) {
        const v = plainOf(h.version.data.get(req.backRef));
        for (const x of Array.isArray(v) ? v : [v]) {
          const p = x === null ? null : String(x);
          if (p === null || !parents.has(p)) continue;
          let list = byParent.get(p);
          if (!list) byParent.set(p, (list = []));
          list.push(h);
        }
      }
      const paged: [string, QueryRow][] = [];
      for (const [p, hits] of byParent)
        for (const h of hits.slice(req.skip, req.skip + req.first)) paged.push([p, this.row(type, h, req.columns)]);
      return paged;
    });
    for (const [p, r] of rows) {
      let list = out.get(p);
      if (!list) out.set(p, (list = []));
      list.push(r);
    }
    return out;
  }

  referenced(guard: QueryGuard, req: ReferencedRequest): QueryRow[] {
    const type = this.type(req.type);
    return this.read(guard, `referenced ${req.type}`, () => {
      const hits: Hit[] = [];
      for (const key of new Set(req.ids.map((i) => this.canonicalId(req.type, i)))) {
        const h = key === null ? null : this.at(type, key, req.block);
        if (h) hits.push(h);
      }
      return this.select(type, req, hits, guard).map((h) => this.row(type, h, req.columns));
    });
  }

  buckets(_guard: QueryGuard, req: BucketsRequest): QueryRow[] {
    throw new GraphQLError(`aggregation ${req.aggregation}: the memory store does not carry aggregations`);
  }
}
