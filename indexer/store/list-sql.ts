/**
 * SQL functions over list BLOBs (list-encoding.ts), registered on every connection of a store. They stand where
 * SQLite's json_each read list JSON: elements come out in the form list JSON held them (elementJson; Bytes as
 * 0x hex text, booleans as 1/0), so the statements around them compare exactly as before.
 *
 * - `tt_list_has(list, kind, value, nocase)`: 1 if an element equals `value` (`nocase`: a string element
 *   lower-cased, for a lower-cased `value`), else 0; one call per row, for a list filter read from the row.
 * - `tt_list_each(list, kind)`: the elements as rows with a `value` column, for joins through a list.
 */
import type Database from "better-sqlite3";
import {
  bigDecimalToString,
  encodeBigDecimal,
  encodeBigInt,
  parseBigDecimal,
  type ElementKind,
  type SqlValue,
} from "./encoding";
import { decodeList, elementJson, encodeList } from "./list-encoding";

/** An element in the form SQLite held a json_each value: booleans as integers. */
function sqlForm(kind: ElementKind, element: SqlValue): string | number | null {
  const j = elementJson(kind, element);
  if (j === null) return null;
  if (typeof j === "boolean") return j ? 1 : 0;
  return j as string | number;
}

/** SQLite's `=` between a json_each value and a bound parameter: text equals text, numbers equal numbers. */
function sqlEquals(element: string | number | null, value: unknown): boolean {
  if (element === null || value === null || value === undefined) return false;
  if (typeof element === "string") return typeof value === "string" && element === value;
  return (typeof value === "number" || typeof value === "bigint") && Number(value) === element;
}

/** A decimal integer written as the element's JSON form would write it (no sign on zero, no leading zeros). */
function canonicalInteger(text: string | null): bigint | null {
  if (text === null || !/^-?\d+$/.test(text)) return null;
  const v = BigInt(text);
  return v.toString() === text ? v : null;
}
const HEX = /^0x(?:[0-9a-f]{2})*$/;

/**
 * The column encoding of the one element whose JSON form `sqlEquals` `value`, or null if no element's can: a
 * filter value is compared with each list's bytes without decoding them.
 */
function elementFor(kind: ElementKind, value: unknown): SqlValue {
  const text = typeof value === "string" ? value : null;
  const num = typeof value === "number" || typeof value === "bigint" ? Number(value) : null;
  switch (kind) {
    case "Bytes":
      return text !== null && HEX.test(text) ? Buffer.from(text.slice(2), "hex") : null;
    case "BigInt": {
      const v = canonicalInteger(text);
      return v === null ? null : encodeBigInt(v);
    }
    case "Int8":
    case "Timestamp": {
      const v = canonicalInteger(text);
      return v !== null && v >= -(2n ** 63n) && v < 2n ** 63n ? v : null;
    }
    case "BigDecimal": {
      if (text === null) return null;
      try {
        const v = parseBigDecimal(text);
        return bigDecimalToString(v) === text ? encodeBigDecimal(v) : null;
      } catch {
        return null;
      }
    }
    case "Int":
      return num !== null && Number.isInteger(num) && num >= -(2 ** 31) && num < 2 ** 31 ? num : null;
    case "Boolean":
      return num === 0 || num === 1 ? num : null;
    default:
      return text;
  }
}

/** The last filter value's encoded element (one per statement run: every row compares the same value). */
let needleKey: unknown = undefined;
let needleKind: string | undefined;
let needle: Buffer | null = null;

/** Whether `list` holds the encoded element `element` (`encodeList` of it: header and payload). */
function holds(list: Buffer, element: Buffer): boolean {
  for (let at = list.indexOf(element); at >= 0; at = list.indexOf(element, at + 1)) {
    if (startsElement(list, at) && at + element.length <= list.length) return true;
  }
  return false;
}

/** Whether an element's header starts at byte `at` of `list` (walking the headers from the start). */
function startsElement(list: Buffer, at: number): boolean {
  let i = 0;
  while (i < at) {
    let header = 0;
    let shift = 0;
    for (;;) {
      const b = list[i++];
      header += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) break;
    }
    i += header === 0 ? 0 : header - 1;
  }
  return i === at;
}

function listHas(list: Buffer, kind: ElementKind, value: unknown, nocase: boolean): boolean {
  if (nocase) {
    for (const e of decodeList(kind, list)) {
      const v = sqlForm(kind, e);
      if (sqlEquals(typeof v === "string" ? v.toLowerCase() : v, value)) return true;
    }
    return false;
  }
  if (value !== needleKey || kind !== needleKind) {
    needle = listNeedle(kind, value);
    needleKey = value;
    needleKind = kind;
  }
  return needle !== null && holds(list, needle);
}

/**
 * The bytes of the one element (header and payload) a list holds if it holds an element equal to `value` (as
 * `tt_list_has` compares), or null if no element can be. SQLite's own `instr` finds them in a list's BLOB, so a
 * statement can pass over most rows natively and call `tt_list_has` only where they occur (it also checks that
 * they start an element).
 */
export function listNeedle(kind: ElementKind, value: unknown): Buffer | null {
  const element = elementFor(kind, value);
  return element === null ? null : encodeList(kind, [element]);
}

export function registerListFunctions(db: Database.Database): void {
  db.function(
    "tt_list_has",
    { deterministic: true },
    (list: unknown, kind: unknown, value: unknown, nocase: unknown): number =>
      Buffer.isBuffer(list) && listHas(list, kind as ElementKind, value, Number(nocase) !== 0) ? 1 : 0,
  );
  db.table("tt_list_each", {
    columns: ["value"],
    parameters: ["list", "kind"],
    *rows(list: unknown, kind: unknown) {
      if (!Buffer.isBuffer(list)) return;
      const k = kind as ElementKind;
      for (const e of decodeList(k, list)) yield { value: sqlForm(k, e) };
    },
  });
}
