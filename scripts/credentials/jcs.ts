/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) and the content hash that identifies a document in TradeTrace:
 * `contentHash(json) = "0x" + hex(SHA-256(UTF-8(JCS(json))))`.
 *
 * JCS in short: no whitespace; object members sorted by their names compared as arrays of UTF-16 code units;
 * numbers written as ECMAScript's Number::toString writes them; strings with the minimal JSON escapes
 * (\b \t \n \f \r \" \\, other control characters as lower-case \u00xx, everything else literal).
 * Input must be I-JSON (RFC 7493): finite numbers, no lone surrogates (checked here), no duplicate member
 * names (checked by `parseJson` in json.ts, since a parsed object can no longer show them).
 */
import { sha256, toUtf8Bytes } from "ethers";
import { CredentialError, childPath, pathForMessage } from "./errors";

/** A JSON value as parsed from text. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object as parsed from text. */
export type JsonObject = { [key: string]: JsonValue };

/** The RFC 8785 canonical form of `value` (a JSON value: null, boolean, finite number, string, array, object). */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  write(value, "", out);
  return out.join("");
}

/** `0x` followed by the lower-case hex SHA-256 of the UTF-8 bytes of the canonical form of `value`. */
export function contentHash(value: unknown): string {
  return sha256(toUtf8Bytes(canonicalize(value)));
}

/** Whether `text` is a content hash as `contentHash` writes it. */
export function isContentHash(text: string): boolean {
  return /^0x[0-9a-f]{64}$/.test(text);
}

/**
 * ECMAScript Number::toString(x) for a finite number (ECMA-262, Number::toString, radix 10), which RFC 8785
 * section 3.2.2.3 prescribes. The shortest round-tripping digits come from `toExponential()` without an
 * argument (the same digit generation the engine uses for toString); the layout rules are applied here.
 */
export function serializeNumber(x: number, path = ""): string {
  if (!Number.isFinite(x)) {
    throw new CredentialError(`cannot canonicalise non-finite number ${String(x)} at ${pathForMessage(path)}`, path);
  }
  if (x === 0) return "0"; // also -0
  if (x < 0) return `-${serializeNumber(-x, path)}`;
  const [mantissa, exponentText] = x.toExponential().split("e");
  const digits = mantissa.replace(".", ""); // s, with k digits
  const k = digits.length;
  const n = Number(exponentText) + 1; // x = s * 10^(n-k)
  if (k <= n && n <= 21) return digits + "0".repeat(n - k);
  if (0 < n && n <= 21) return `${digits.slice(0, n)}.${digits.slice(n)}`;
  if (-6 < n && n <= 0) return `0.${"0".repeat(-n)}${digits}`;
  const e = n - 1;
  const exponent = `e${e < 0 ? "-" : "+"}${Math.abs(e)}`;
  return k === 1 ? digits + exponent : `${digits[0]}.${digits.slice(1)}${exponent}`;
}

/** A JSON string literal as RFC 8785 section 3.2.2.2 writes it. */
export function serializeString(s: string, path = ""): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      // A surrogate must be the high half of a pair followed by its low half (I-JSON forbids lone ones).
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) {
        const hex = c.toString(16).padStart(4, "0");
        throw new CredentialError(`lone surrogate \\u${hex} in a string at ${pathForMessage(path)}`, path);
      }
      out += s[i] + s[i + 1];
      i++;
      continue;
    }
    out += escapeCodeUnit(c) ?? s[i];
  }
  return `${out}"`;
}

const SHORT_ESCAPES: Record<number, string> = {
  0x08: "\\b",
  0x09: "\\t",
  0x0a: "\\n",
  0x0c: "\\f",
  0x0d: "\\r",
  0x22: '\\"',
  0x5c: "\\\\",
};

function escapeCodeUnit(c: number): string | undefined {
  const short = SHORT_ESCAPES[c];
  if (short !== undefined) return short;
  if (c < 0x20) return `\\u${c.toString(16).padStart(4, "0")}`;
  return undefined;
}

/** Orders member names by their UTF-16 code units (not by code points, not by locale). */
export function compareCodeUnits(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function write(value: unknown, path: string, out: string[]): void {
  if (value === null) {
    out.push("null");
  } else if (typeof value === "boolean") {
    out.push(value ? "true" : "false");
  } else if (typeof value === "number") {
    out.push(serializeNumber(value, path));
  } else if (typeof value === "string") {
    out.push(serializeString(value, path));
  } else if (Array.isArray(value)) {
    out.push("[");
    value.forEach((item, index) => {
      if (index > 0) out.push(",");
      write(item, childPath(path, index), out);
    });
    out.push("]");
  } else if (isPlainObject(value)) {
    out.push("{");
    Object.keys(value)
      .sort(compareCodeUnits)
      .forEach((key, index) => {
        if (index > 0) out.push(",");
        out.push(serializeString(key, path), ":");
        write(value[key], childPath(path, key), out);
      });
    out.push("}");
  } else {
    const kind = value === undefined ? "undefined" : typeof value === "object" ? "non-plain object" : typeof value;
    throw new CredentialError(`cannot canonicalise a value of type ${kind} at ${pathForMessage(path)}`, path);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
