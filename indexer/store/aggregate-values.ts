/**
 * Arithmetic on store values for the roll-up: exact sums (as Postgres' `sum` over int/numeric), comparisons
 * for min/max, and the widening of a source value to the aggregate field's type (Int → Int8 → BigInt →
 * BigDecimal). A sum that does not fit an Int or Int8 field fails, as the insert into such a column would.
 */
import type { BigDecimalValue, StoreValue } from "./types";
import { normalizeBigDecimal } from "./encoding";

const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

export class AggregateOverflowError extends Error {}

function asBigInt(v: StoreValue): bigint | undefined {
  if (v.kind === "Int") return BigInt(v.value);
  if (v.kind === "Int8" || v.kind === "BigInt") return v.value;
  return undefined;
}

function asDecimal(v: StoreValue): BigDecimalValue | undefined {
  if (v.kind === "BigDecimal") return v.value;
  const i = asBigInt(v);
  return i === undefined ? undefined : { digits: i, exp: 0 };
}

function checked(kind: "Int" | "Int8", x: bigint): StoreValue {
  const [min, max] = kind === "Int" ? [INT_MIN, INT_MAX] : [INT8_MIN, INT8_MAX];
  if (x < min || x > max) throw new AggregateOverflowError(`aggregate value ${x} does not fit the ${kind} field`);
  return kind === "Int" ? { kind, value: Number(x) } : { kind, value: x };
}

/** `v` as the field's scalar kind (unchanged for non-numeric fields and values). */
export function convertNumber(v: StoreValue, kind: string | undefined): StoreValue {
  if (kind === undefined || v.kind === kind) return v;
  const i = asBigInt(v);
  switch (kind) {
    case "Int":
    case "Int8":
      return i === undefined ? v : checked(kind, i);
    case "BigInt":
      return i === undefined ? v : { kind: "BigInt", value: i };
    case "BigDecimal": {
      const d = asDecimal(v);
      return d === undefined ? v : { kind: "BigDecimal", value: normalizeBigDecimal(d) };
    }
    default:
      return v;
  }
}

function alignedDigits(a: BigDecimalValue, b: BigDecimalValue): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * 10n ** BigInt(a.exp - exp), b.digits * 10n ** BigInt(b.exp - exp), exp];
}

/** a + b for two values of the same numeric kind, exactly. */
export function sumValues(a: StoreValue, b: StoreValue): StoreValue {
  if (a.kind === "BigDecimal" && b.kind === "BigDecimal") {
    const [x, y, exp] = alignedDigits(a.value, b.value);
    return { kind: "BigDecimal", value: normalizeBigDecimal({ digits: x + y, exp }) };
  }
  const x = asBigInt(a);
  const y = asBigInt(b);
  if (x === undefined || y === undefined || a.kind !== b.kind) {
    throw new Error(`cannot add ${a.kind} and ${b.kind}`);
  }
  if (a.kind === "Int" || a.kind === "Int8") return checked(a.kind, x + y);
  return { kind: "BigInt", value: x + y };
}

/** Orders two numeric values (of any numeric kinds), or two strings/bytes by their text. */
export function compareValues(a: StoreValue, b: StoreValue): number {
  const x = asDecimal(a);
  const y = asDecimal(b);
  if (x && y) {
    const [p, q] = alignedDigits(x, y);
    return p < q ? -1 : p > q ? 1 : 0;
  }
  const s = a.kind === "String" ? a.value : a.kind === "Bytes" ? Buffer.from(a.value).toString("hex") : "";
  const t = b.kind === "String" ? b.value : b.kind === "Bytes" ? Buffer.from(b.value).toString("hex") : "";
  return s < t ? -1 : s > t ? 1 : 0;
}
