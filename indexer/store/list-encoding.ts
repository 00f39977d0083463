/**
 * How a list field lives in its SQLite column: one BLOB of its elements in order, each a length header (an
 * unsigned LEB128 varint of the payload's length plus one; zero for a null element) and the element's column
 * encoding (encoding.ts): Bytes as they are, BigInt in its sortable bytes, strings and BigDecimal's sortable text
 * as UTF-8, Int as 4 bytes, Int8 and Timestamp as 8 (big-endian two's complement), Boolean as one byte.
 * A list of shipment parties takes 21 bytes per address instead of the 45 characters of JSON hex, and equal
 * lists have equal BLOBs, so a whole-list filter compares them directly. The SQL functions that read these
 * BLOBs inside a statement are in list-sql.ts.
 */
import { bigDecimalToString, decodeBigDecimal, decodeBigInt, type ElementKind, type SqlValue } from "./encoding";

/** The column encodings of a list's elements (toSql of each; null for a null element). */
export function encodeList(kind: ElementKind, elements: readonly SqlValue[]): Buffer {
  const payloads = elements.map((e) => (e === null ? null : payloadOf(kind, e)));
  let size = 0;
  for (const p of payloads) size += p === null ? 1 : varintLength(p.length + 1) + p.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of payloads) {
    if (p === null) {
      out[at++] = 0;
      continue;
    }
    at = writeVarint(out, at, p.length + 1);
    at += p.copy(out, at);
  }
  return out;
}

/** A list BLOB's elements in their column encodings (null for a null element). */
export function decodeList(kind: ElementKind, blob: Uint8Array): SqlValue[] {
  const buf = Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const out: SqlValue[] = [];
  let at = 0;
  while (at < buf.length) {
    let header = 0;
    let shift = 0;
    for (;;) {
      if (at >= buf.length) throw new Error("truncated list element header");
      const b = buf[at++];
      header += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    if (header === 0) {
      out.push(null);
      continue;
    }
    const end = at + header - 1;
    if (end > buf.length) throw new Error("truncated list element");
    out.push(valueOf(kind, buf.subarray(at, end)));
    at = end;
  }
  return out;
}

/**
 * A list element as list JSON held it before lists were BLOBs, as queries answer it: Bytes as 0x hex, BigInt,
 * Int8 and Timestamp as decimal strings, BigDecimal in plain notation, Int as a number, Boolean as a boolean.
 */
export function elementJson(kind: ElementKind, v: SqlValue): unknown {
  if (v === null) return null;
  switch (kind) {
    case "Bytes":
      return "0x" + (v as Buffer).toString("hex");
    case "BigInt":
      return decodeBigInt(v as Buffer).toString();
    case "BigDecimal":
      return bigDecimalToString(decodeBigDecimal(v as string));
    case "Int8":
    case "Timestamp":
      return (v as bigint).toString();
    case "Boolean":
      return v === 1;
    default:
      return v;
  }
}

/** A list BLOB as the JSON array of its elements (elementJson). */
export function listJson(kind: ElementKind, blob: Uint8Array): unknown[] {
  return decodeList(kind, blob).map((v) => elementJson(kind, v));
}

function payloadOf(kind: ElementKind, v: SqlValue): Buffer {
  switch (kind) {
    case "Bytes":
    case "BigInt":
      return v as Buffer;
    case "Int": {
      const b = Buffer.allocUnsafe(4);
      b.writeInt32BE(Number(v));
      return b;
    }
    case "Int8":
    case "Timestamp": {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(BigInt(v as bigint));
      return b;
    }
    case "Boolean":
      return Buffer.from([Number(v) ? 1 : 0]);
    default:
      return Buffer.from(v as string, "utf8");
  }
}

function valueOf(kind: ElementKind, p: Buffer): SqlValue {
  switch (kind) {
    case "Bytes":
    case "BigInt":
      return Buffer.from(p); // a copy: the BLOB's buffer may be reused
    case "Int":
      return p.readInt32BE(0);
    case "Int8":
    case "Timestamp":
      return p.readBigInt64BE(0);
    case "Boolean":
      return p[0];
    default:
      return p.toString("utf8");
  }
}

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

function writeVarint(out: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}
