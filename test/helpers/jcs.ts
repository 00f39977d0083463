import { createHash } from "node:crypto";

/**
 * RFC 8785 (JCS) canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers and strings
 * serialised as ECMAScript does (which is what JSON.stringify does for finite numbers and strings).
 */
export function canonicalize(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`JCS cannot encode ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(",")}}`;
  }
  throw new Error(`JCS cannot encode a ${typeof value}`);
}

/** The record id of a credential: SHA-256 of its canonical JSON, as 0x-prefixed hex. */
export function contentHashOf(credential: unknown): string {
  return "0x" + createHash("sha256").update(canonicalize(credential), "utf8").digest("hex");
}
