/**
 * JSON.stringify straight to UTF-8 bytes, for answers that leave as bytes (a query worker's). JSON.stringify's
 * text of a large answer is a rope of many pieces that V8 must flatten before it can encode it, and flattening
 * one of a megabyte costs more than writing the bytes directly. The bytes are exactly those of
 * `Buffer.from(JSON.stringify(value))`: the same escapes (well-formed, lone surrogates as `\uXXXX`), number
 * forms, `toJSON` calls and omissions; values this writer does not know (a `toJSON`, a boxed primitive, a
 * BigInt) are handed to JSON.stringify.
 */

/** How JSON.stringify escapes the characters below 0x20, `"` and `\`. */
const ESCAPES: string[] = Array.from({ length: 0x60 }, (_, c) => {
  if (c === 0x22) return '\\"';
  if (c === 0x5c) return "\\\\";
  if (c >= 0x20) return "";
  const short: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r" };
  return short[c] ?? `\\u${c.toString(16).padStart(4, "0")}`;
});

class ByteWriter {
  bytes: Buffer;
  at = 0;

  constructor(size: number) {
    this.bytes = Buffer.allocUnsafeSlow(size);
  }

  private room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.at + n));
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
  }

  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.bytes[this.at++] = s.charCodeAt(i);
  }

  /** A JSON string literal: ASCII byte by byte, the rest as UTF-8, escapes as JSON.stringify writes them. */
  string(s: string): void {
    // At most 6 bytes per UTF-16 unit (`\u001f`, or 3 UTF-8 bytes of a BMP character), plus the quotes.
    this.room(s.length * 6 + 2);
    const b = this.bytes;
    let at = this.at;
    b[at++] = 0x22;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 0x22 && c !== 0x5c) b[at++] = c;
        else {
          const e = ESCAPES[c];
          for (let k = 0; k < e.length; k++) b[at++] = e.charCodeAt(k);
        }
      } else if (c < 0x800) {
        b[at++] = 0xc0 | (c >> 6);
        b[at++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const p = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          b[at++] = 0xf0 | (p >> 18);
          b[at++] = 0x80 | ((p >> 12) & 0x3f);
          b[at++] = 0x80 | ((p >> 6) & 0x3f);
          b[at++] = 0x80 | (p & 0x3f);
          i++;
        } else {
          const e = `\\u${c.toString(16)}`;
          for (let k = 0; k < e.length; k++) b[at++] = e.charCodeAt(k);
        }
      } else {
        b[at++] = 0xe0 | (c >> 12);
        b[at++] = 0x80 | ((c >> 6) & 0x3f);
        b[at++] = 0x80 | (c & 0x3f);
      }
    }
    b[at++] = 0x22;
    this.at = at;
  }

  /** Text JSON.stringify made (for values this writer leaves to it). */
  text(s: string): void {
    const n = Buffer.byteLength(s);
    this.room(n);
    this.bytes.write(s, this.at);
    this.at += n;
  }
}

/**
 * The text JSON.stringify gives a value this writer leaves to it (an object with `toJSON`, a boxed primitive, a
 * class instance, a BigInt, which throws), or undefined where it gives none (`toJSON` is called with an empty
 * key: the answers' GraphQLErrors ignore it).
 */
function foreign(v: unknown): string | undefined {
  return JSON.stringify(v) as string | undefined;
}

/** Whether the writer itself writes `v` (else `foreign`): strings, numbers, booleans, null, arrays, plain objects. */
function own(v: unknown): boolean {
  switch (typeof v) {
    case "string":
    case "number":
    case "boolean":
      return true;
    case "object":
      return (
        v === null || Array.isArray(v) || (typeof (v as { toJSON?: unknown }).toJSON !== "function" && isPlainRecord(v))
      );
    default:
      return false;
  }
}

function write(w: ByteWriter, v: unknown): void {
  switch (typeof v) {
    case "string":
      return w.string(v);
    case "number":
      return w.ascii(Number.isFinite(v) ? String(v) : "null");
    case "boolean":
      return w.ascii(v ? "true" : "false");
  }
  if (v === null) return w.ascii("null");
  if (Array.isArray(v)) {
    w.ascii("[");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) w.ascii(",");
      const item: unknown = v[i];
      if (own(item)) write(w, item);
      else w.ascii(foreign(item) ?? "null");
    }
    return w.ascii("]");
  }
  w.ascii("{");
  let first = true;
  for (const k of Object.keys(v as object)) {
    const item: unknown = (v as Record<string, unknown>)[k];
    const text = own(item) ? undefined : foreign(item);
    if (text === undefined && !own(item)) continue;
    if (!first) w.ascii(",");
    first = false;
    w.string(k);
    w.ascii(":");
    if (text === undefined) write(w, item);
    else w.text(text);
  }
  w.ascii("}");
}

/** Objects JSON.stringify writes key by key: plain or prototype-less ones (not boxed primitives, dates…). */
function isPlainRecord(v: object): boolean {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` as JSON in UTF-8, in a buffer of its own (it can be transferred to another thread); throws where
 * JSON.stringify throws, and a TypeError for a value JSON.stringify has no text for (undefined, a function).
 */
export function jsonBytes(value: unknown, sizeHint = 64 * 1024): Buffer {
  const w = new ByteWriter(sizeHint);
  if (own(value)) write(w, value);
  else {
    const text = foreign(value);
    if (text === undefined) throw new TypeError(`${typeof value} has no JSON form`);
    w.text(text);
  }
  return w.bytes.subarray(0, w.at);
}
