/**
 * How store values live in SQLite columns. BigInt (a BLOB) and BigDecimal (text) are kept in encodings whose
 * byte order is their numeric order, so that SQL comparisons, ORDER BY and indexes are exact for any size;
 * Bytes are BLOBs.
 */
import type { FieldModel, IdKind, SchemaModel } from "../schema/model";
import { targetIdKind } from "../schema/model";
import { decodeList, encodeList } from "./list-encoding";
import type { BigDecimalValue, StoreValue } from "./types";

const LEN_WIDTH = 6;
const EXP_OFFSET = 500_000;

function pad(n: number): string {
  if (n < 0 || n > 999_999) throw new RangeError(`value out of the sortable encoding's range (${n})`);
  return n.toString().padStart(LEN_WIDTH, "0");
}

function complement(digits: string): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) out += String.fromCharCode(105 - digits.charCodeAt(i)); // '0'+'9' = 105
  return out;
}

/** Magnitudes up to this many bytes say their length in the first byte; longer ones in four more. */
const SHORT_MAX = 126;
const ZERO = 0x80;

/**
 * A BigInt as a BLOB whose byte order (memcmp) is its numeric order: a length byte around 0x80 (0x80 + n for
 * n magnitude bytes, 0x80 - n for a negative; 0xff / 0x00 and four length bytes beyond 126), then the
 * magnitude big-endian, complemented for a negative so that a larger magnitude sorts first. A timestamp takes
 * 5 bytes instead of 17 characters of text.
 */
export function encodeBigInt(v: bigint): Buffer {
  if (v === 0n) return Buffer.from([ZERO]);
  const neg = v < 0n;
  let hex = (neg ? -v : v).toString(16);
  if (hex.length % 2) hex = "0" + hex;
  // Head and magnitude written into one buffer: every BigInt a store writes passes here.
  const n = hex.length / 2;
  const head = n <= SHORT_MAX ? 1 : 5;
  const out = Buffer.allocUnsafe(head + n);
  out.write(hex, head, "hex");
  if (n <= SHORT_MAX) out[0] = neg ? ZERO - n : ZERO + n;
  else {
    out[0] = neg ? 0x00 : 0xff;
    out.writeUInt32BE(neg ? 0xffffffff - n : n, 1);
  }
  if (neg) for (let i = head; i < head + n; i++) out[i] = 0xff - out[i];
  return out;
}

export function decodeBigInt(b: Uint8Array): bigint {
  return decodeBigIntHex(Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex"));
}

/** decodeBigInt of the BLOB's hex text, as SQLite's `hex()` spells it (queries read BigInts so: no Buffer each). */
export function decodeBigIntHex(hex: string): bigint {
  const first = parseInt(hex.slice(0, 2), 16);
  if (first === ZERO) return 0n;
  const mag = hex.slice(first === 0x00 || first === 0xff ? 10 : 2);
  if (first > ZERO) return BigInt("0x" + mag);
  let complement = "";
  for (let i = 0; i < mag.length; i++) complement += (15 - parseInt(mag[i], 16)).toString(16);
  return -BigInt("0x" + complement);
}

/** graph-node's normal form: no trailing zero digits, zero is (0, 0). */
export function normalizeBigDecimal(v: BigDecimalValue): BigDecimalValue {
  if (v.digits === 0n) return { digits: 0n, exp: 0 };
  let { digits, exp } = v;
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp += 1;
  }
  return { digits, exp };
}

/** Sortable text for a BigDecimal: sign, adjusted exponent, then the significant digits. */
export function encodeBigDecimal(value: BigDecimalValue): string {
  const v = normalizeBigDecimal(value);
  if (v.digits === 0n) return "o";
  const neg = v.digits < 0n;
  const s = (neg ? -v.digits : v.digits).toString();
  const adj = v.exp + s.length - 1;
  if (!neg) return "p" + pad(adj + EXP_OFFSET) + s;
  // '~' sorts after every digit, so a longer mantissa (a larger magnitude) sorts first among negatives.
  return "n" + pad(EXP_OFFSET - adj) + complement(s) + "~";
}

export function decodeBigDecimal(s: string): BigDecimalValue {
  if (s === "o") return { digits: 0n, exp: 0 };
  const neg = s[0] === "n";
  const e = Number(s.slice(1, 1 + LEN_WIDTH));
  const body = neg ? complement(s.slice(1 + LEN_WIDTH, s.length - 1)) : s.slice(1 + LEN_WIDTH);
  const adj = neg ? EXP_OFFSET - e : e - EXP_OFFSET;
  const digits = BigInt(body);
  return { digits: neg ? -digits : digits, exp: adj - body.length + 1 };
}

/** Plain positional notation, never an exponent, as graph-node's BigDecimal `Display`. */
export function bigDecimalToString(value: BigDecimalValue): string {
  const v = normalizeBigDecimal(value);
  const neg = v.digits < 0n;
  const s = (neg ? -v.digits : v.digits).toString();
  let out: string;
  if (v.exp >= 0) out = s + "0".repeat(v.exp);
  else if (-v.exp < s.length) out = s.slice(0, s.length + v.exp) + "." + s.slice(s.length + v.exp);
  else out = "0." + "0".repeat(-v.exp - s.length) + s;
  return neg ? "-" + out : out;
}

/** `[+|-]digits[.digits][(e|E)[+|-]int]`, normalised. Throws on anything else. */
export function parseBigDecimal(text: string): BigDecimalValue {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.replace(/_/g, ""));
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`invalid BigDecimal \`${text}\``);
  const frac = m[3] ?? "";
  const digits = BigInt((m[2] || "0") + frac) * (m[1] === "-" ? -1n : 1n);
  return normalizeBigDecimal({ digits, exp: Number(m[4] ?? "0") - frac.length });
}

export function bytesToHex(b: Uint8Array): string {
  return "0x" + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
}

/** Hex with or without `0x`, an even number of digits, as a Buffer (a small one may share Node's pool). */
export function hexToBuffer(hex: string): Buffer {
  const h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.slice(2) : hex;
  const b = Buffer.from(h, "hex");
  // Buffer.from stops at the first pair that is not two hex digits: a short result is a bad digit or an odd count.
  if (b.length * 2 !== h.length) throw new Error(`invalid hex \`${hex}\``);
  return b;
}

/** Hex with or without `0x`, an even number of digits, in bytes of their own. */
export function hexToBytes(hex: string): Uint8Array {
  return new Uint8Array(hexToBuffer(hex));
}

export type SqlType = "TEXT" | "INTEGER" | "BLOB";

/**
 * The SQL column type for a stored field. Bytes are BLOBs: half the size of hex text, in the same order; so
 * are lists (list-encoding.ts).
 */
export function columnType(schema: SchemaModel, f: FieldModel): SqlType {
  if (f.list) return "BLOB";
  const t = f.type;
  if (t.kind === "enum") return "TEXT";
  if (t.kind === "ref") {
    const kind = targetIdKind(schema, t.target);
    return kind === "Int8" ? "INTEGER" : kind === "Bytes" ? "BLOB" : "TEXT";
  }
  switch (t.scalar) {
    case "Bytes":
    case "BigInt":
      return "BLOB";
    case "Int":
    case "Int8":
    case "Timestamp":
    case "Boolean":
      return "INTEGER";
    default:
      return "TEXT";
  }
}

/** What a field's element is, for encoding: the scalar, or the id kind of a reference. */
export type ElementKind = "String" | "Bytes" | "BigInt" | "BigDecimal" | "Int" | "Int8" | "Boolean" | "Timestamp";

export function elementKind(schema: SchemaModel, f: FieldModel): ElementKind {
  const t = f.type;
  if (t.kind === "enum") return "String";
  if (t.kind === "ref") return targetIdKind(schema, t.target);
  return t.scalar === "ID" ? "String" : t.scalar;
}

/** The StoreValue kind a field element must have. */
export function storeKindOf(k: ElementKind): StoreValue["kind"] {
  return k === "Boolean" ? "Bool" : k;
}

/** A SQL value as better-sqlite3 binds and returns it (BLOBs as Buffers). */
export type SqlValue = string | number | bigint | Buffer | null;

/** The BLOB of Bytes (a copy: the value may be a view of a handler's memory). */
export function bytesToSql(b: Uint8Array): Buffer {
  return Buffer.from(b);
}

/** SQL value of one (non-list) element. */
export function toSql(k: ElementKind, v: StoreValue): SqlValue {
  switch (v.kind) {
    case "Null":
      return null;
    case "String":
      return v.value;
    case "Bytes":
      return bytesToSql(v.value);
    case "BigInt":
      return encodeBigInt(v.value);
    case "BigDecimal":
      return encodeBigDecimal(v.value);
    case "Int":
      return v.value;
    case "Int8":
    case "Timestamp":
      return v.value;
    case "Bool":
      return v.value ? 1 : 0;
    default:
      throw new Error(`cannot store a ${v.kind} as ${k}`);
  }
}

export function fromSql(k: ElementKind, raw: unknown): StoreValue {
  switch (k) {
    case "String":
      return { kind: "String", value: raw as string };
    case "Bytes":
      return { kind: "Bytes", value: new Uint8Array(raw as Buffer) };
    case "BigInt":
      return { kind: "BigInt", value: decodeBigInt(raw as Buffer) };
    case "BigDecimal":
      return { kind: "BigDecimal", value: decodeBigDecimal(raw as string) };
    case "Int":
      return { kind: "Int", value: Number(raw) };
    case "Int8":
      return { kind: "Int8", value: BigInt(raw as bigint) };
    case "Timestamp":
      return { kind: "Timestamp", value: BigInt(raw as bigint) };
    case "Boolean":
      return { kind: "Bool", value: Number(raw) !== 0 };
  }
}

/** JSON element of a list column: strings for everything that may not fit a double. */
export function toJsonElement(v: StoreValue): unknown {
  switch (v.kind) {
    case "Null":
      return null;
    case "String":
      return v.value;
    case "Bytes":
      return bytesToHex(v.value);
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return v.value.toString();
    case "BigDecimal":
      return bigDecimalToString(v.value);
    case "Int":
      return v.value;
    case "Bool":
      return v.value;
    default:
      throw new Error(`cannot store a ${v.kind} in a list`);
  }
}

export function fromJsonElement(k: ElementKind, j: unknown): StoreValue {
  if (j === null) return { kind: "Null" };
  switch (k) {
    case "String":
      return { kind: "String", value: j as string };
    case "Bytes":
      return { kind: "Bytes", value: hexToBytes(j as string) };
    case "BigInt":
      return { kind: "BigInt", value: BigInt(j as string) };
    case "BigDecimal":
      return { kind: "BigDecimal", value: parseBigDecimal(j as string) };
    case "Int":
      return { kind: "Int", value: j as number };
    case "Int8":
      return { kind: "Int8", value: BigInt(j as string) };
    case "Timestamp":
      return { kind: "Timestamp", value: BigInt(j as string) };
    case "Boolean":
      return { kind: "Bool", value: j as boolean };
  }
}

/** SQL value of a whole field (lists as one BLOB: list-encoding.ts). */
export function fieldToSql(k: ElementKind, list: boolean, v: StoreValue): SqlValue {
  if (v.kind === "Null") return null;
  if (!list) return toSql(k, v);
  if (v.kind !== "Array") throw new Error(`expected a list`);
  return encodeList(
    k,
    v.value.map((x) => toSql(k, x)),
  );
}

export function fieldFromSql(k: ElementKind, list: boolean, raw: unknown): StoreValue {
  if (raw === null || raw === undefined) return { kind: "Null" };
  if (!list) return fromSql(k, raw);
  return {
    kind: "Array",
    value: decodeList(k, raw as Buffer).map((x): StoreValue => (x === null ? { kind: "Null" } : fromSql(k, x))),
  };
}

/** The id string the store API uses for an id value: strings as is, Bytes as 0x hex, Int8 in decimal. */
export function idToString(v: StoreValue): string {
  switch (v.kind) {
    case "String":
      return v.value;
    case "Bytes":
      return bytesToHex(v.value);
    case "Int8":
      return v.value.toString();
    default:
      throw new Error(`an id must be String, Bytes or Int8, not ${v.kind}`);
  }
}

/** Parses an id string for an id kind into its SQL value; throws like graph-node for a bad id. */
export function idToSql(kind: IdKind, id: string): string | bigint | Buffer {
  if (kind === "String") return id;
  if (kind === "Bytes") {
    try {
      return hexToBuffer(id);
    } catch {
      throw new Error(`can not convert \`${id}\` to Id::Bytes`);
    }
  }
  if (!/^-?\d+$/.test(id)) throw new Error(`can not convert \`${id}\` to Id::Int8`);
  const v = BigInt(id);
  if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new Error(`can not convert \`${id}\` to Id::Int8`);
  return v;
}

export function idFromSql(kind: IdKind, raw: unknown): string {
  if (kind === "Int8") return BigInt(raw as bigint).toString();
  return kind === "Bytes" ? bytesToHex(raw as Buffer) : (raw as string);
}

/** An id in the one text form the store API uses (Bytes as lowercase 0x hex); throws for a bad id. */
export function canonicalIdText(kind: IdKind, id: string): string {
  return idFromSql(kind, idToSql(kind, id));
}

export function idValue(kind: IdKind, id: string): StoreValue {
  if (kind === "String") return { kind: "String", value: id };
  if (kind === "Bytes") return { kind: "Bytes", value: hexToBytes(id) };
  return { kind: "Int8", value: BigInt(id) };
}

/** Any store value as self-describing JSON (kind tag included), for data source contexts. */
export function taggedToJson(v: StoreValue): unknown {
  switch (v.kind) {
    case "Null":
      return { k: "Null" };
    case "Array":
      return { k: "Array", v: v.value.map(taggedToJson) };
    case "BigDecimal":
      return { k: "BigDecimal", v: { digits: v.value.digits.toString(), exp: v.value.exp } };
    case "Bytes":
      return { k: "Bytes", v: bytesToHex(v.value) };
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return { k: v.kind, v: v.value.toString() };
    default:
      return { k: v.kind, v: v.value };
  }
}

export function taggedFromJson(j: unknown): StoreValue {
  const { k, v } = j as { k: StoreValue["kind"]; v: unknown };
  switch (k) {
    case "Null":
      return { kind: "Null" };
    case "Array":
      return { kind: "Array", value: (v as unknown[]).map(taggedFromJson) };
    case "BigDecimal": {
      const d = v as { digits: string; exp: number };
      return { kind: "BigDecimal", value: { digits: BigInt(d.digits), exp: d.exp } };
    }
    case "Bytes":
      return { kind: "Bytes", value: hexToBytes(v as string) };
    case "BigInt":
    case "Int8":
    case "Timestamp":
      return { kind: k, value: BigInt(v as string) };
    case "String":
      return { kind: k, value: v as string };
    case "Int":
      return { kind: k, value: v as number };
    case "Bool":
      return { kind: k, value: v as boolean };
  }
}
