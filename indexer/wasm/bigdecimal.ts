/**
 * graph-node's BigDecimal: bigdecimal-rs 0.1.2 arithmetic followed by graph-node's normalisation
 * (34 significant digits, trailing zeros stripped). The asymmetry for negatives is deliberate: the crate
 * never rounds them and estimates their digit count from the bit length (graph-node's `BigDecimal::normalized`
 * over bigdecimal 0.1.2's `with_prec`; test/indexer/wasm/numbers.test.ts pins the cases).
 */
import type { BigDecimalValue } from "../store/types";
import { bitLength } from "./bigint";

export const MAX_SIGNIFICANT_DIGITS = 34;
export const MIN_EXP = -6143;
export const MAX_EXP = 6144;
const LOG2_10 = 3.321928094887362; // std::f64::consts::LOG2_10
const COUNT_DIGITS_DIVISOR = 3.3219280949; // the constant count_decimal_digits uses

/** The crate's internal form: value = int · 10^(−scale). */
interface Crate {
  int: bigint;
  scale: number;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** count_decimal_digits: a bit-length estimate corrected upwards, which never fires for negatives. */
function countDecimalDigits(int: bigint): number {
  if (int === 0n) return 1;
  let digits = Math.floor(bitLength(int) / COUNT_DIGITS_DIVISOR);
  let num = pow10(digits);
  while (int >= num) {
    num *= 10n;
    digits += 1;
  }
  return digits;
}

/** get_rounding_term: 1 when the leading digit of `num` is 5 or more. */
function roundingTerm(num: bigint): bigint {
  if (num === 0n) return 0n;
  const digits = Math.floor(bitLength(num) / LOG2_10);
  let n = pow10(digits);
  for (;;) {
    if (num < n) return 1n;
    n *= 5n;
    if (num < n) return 0n;
    n *= 2n;
  }
}

/** Rust's div_rem on BigInt truncates toward zero, like JS bigint. */
function withPrec(x: Crate, prec: number): Crate {
  const digits = countDecimalDigits(x.int);
  if (digits > prec) {
    const diff = digits - prec;
    const p = pow10(diff);
    let q = x.int / p;
    const r = x.int % p;
    if (p < 10n * r) q += roundingTerm(r);
    return { int: q, scale: x.scale - diff };
  }
  if (digits < prec) {
    const diff = prec - digits;
    return { int: x.int * pow10(diff), scale: x.scale + diff };
  }
  return x;
}

/** graph-node `BigDecimal::normalized`. */
export function normalize(v: BigDecimalValue): BigDecimalValue {
  if (v.digits === 0n) return { digits: 0n, exp: 0 };
  const r = withPrec({ int: v.digits, scale: -v.exp }, MAX_SIGNIFICANT_DIGITS);
  let int = r.int;
  let scale = r.scale;
  if (int === 0n) return { digits: 0n, exp: 0 };
  while (int % 10n === 0n) {
    int /= 10n;
    scale -= 1;
  }
  return { digits: int, exp: -scale };
}

export function checkExponent(v: BigDecimalValue): BigDecimalValue {
  if (v.exp < MIN_EXP || v.exp > MAX_EXP) {
    throw new Error(`big decimal exponent \`${v.exp}\` is outside the \`${MIN_EXP}\` to \`${MAX_EXP}\` range`);
  }
  return v;
}

function align(a: BigDecimalValue, b: BigDecimalValue): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * pow10(a.exp - exp), b.digits * pow10(b.exp - exp), exp];
}

export function plus(a: BigDecimalValue, b: BigDecimalValue): BigDecimalValue {
  const [x, y, exp] = align(a, b);
  return normalize({ digits: x + y, exp });
}

export function minus(a: BigDecimalValue, b: BigDecimalValue): BigDecimalValue {
  const [x, y, exp] = align(a, b);
  return normalize({ digits: x - y, exp });
}

export function times(a: BigDecimalValue, b: BigDecimalValue): BigDecimalValue {
  return normalize({ digits: a.digits * b.digits, exp: a.exp + b.exp });
}

export function equals(a: BigDecimalValue, b: BigDecimalValue): boolean {
  const [x, y] = align(a, b);
  return x === y;
}

/** The crate's impl_division: long division to `maxPrecision` digits, half-up on the next one. */
function implDivision(num: bigint, den: bigint, scale: number, maxPrecision: number): Crate {
  if (num === 0n) return { int: 0n, scale: 0 };
  if (num < 0n && den < 0n) return implDivision(-num, -den, scale, maxPrecision);
  if (num < 0n) {
    const r = implDivision(-num, den, scale, maxPrecision);
    return { int: -r.int, scale: r.scale };
  }
  if (den < 0n) {
    const r = implDivision(num, -den, scale, maxPrecision);
    return { int: -r.int, scale: r.scale };
  }
  while (num < den) {
    scale += 1;
    num *= 10n;
  }
  let quotient = num / den;
  let remainder = num % den;
  if (remainder === 0n) return { int: quotient, scale };
  let precision = countDecimalDigits(quotient);
  remainder *= 10n;
  while (remainder !== 0n && precision < maxPrecision) {
    quotient = quotient * 10n + remainder / den;
    remainder = (remainder % den) * 10n;
    precision += 1;
    scale += 1;
  }
  if (remainder !== 0n) quotient += roundingTerm(remainder / den);
  return { int: quotient, scale };
}

export function dividedBy(a: BigDecimalValue, b: BigDecimalValue): BigDecimalValue {
  if (b.digits === 0n) throw new Error(`attempted to divide BigDecimal \`${toString(a)}\` by zero`);
  if (a.digits === 0n || (b.digits === 1n && b.exp === 0)) return normalize(a);
  const scale = -a.exp - -b.exp;
  if (a.digits === b.digits) return normalize({ digits: 1n, exp: -scale });
  const r = implDivision(a.digits, b.digits, scale, 100);
  return normalize({ digits: r.int, exp: -r.scale });
}

/** Plain positional notation, never an exponent (the crate's Display). */
export function toString(v: BigDecimalValue): string {
  const neg = v.digits < 0n;
  const abs = (neg ? -v.digits : v.digits).toString();
  const scale = -v.exp;
  let text: string;
  if (scale >= abs.length) {
    text = "0." + "0".repeat(scale - abs.length) + abs;
    if (scale === 0) text = "0";
  } else if (scale <= 0) {
    text = abs + "0".repeat(-scale);
  } else {
    text = abs.slice(0, abs.length - scale) + "." + abs.slice(abs.length - scale);
  }
  return (neg ? "-" : "") + text;
}

/** `[+|-]digits[.digits][(e|E)[+|-]int]`, `_` allowed inside digits; the result is normalised. */
export function fromString(s: string): BigDecimalValue {
  const m = /^([+-]?)([0-9_]*)(?:\.([0-9_]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(s);
  const intPart = m?.[2] ?? "";
  const fracPart = m?.[3] ?? "";
  const all = intPart + fracPart;
  if (!m || all.replace(/_/g, "").length === 0 || all.startsWith("_")) {
    throw new Error(`invalid BigDecimal string \`${s}\``);
  }
  const digits = BigInt(all.replace(/_/g, ""));
  const fracDigits = fracPart.replace(/_/g, "").length;
  const exp = Number(m[4] ?? "0") - fracDigits;
  return normalize({ digits: m[1] === "-" ? -digits : digits, exp });
}

export function fromBigInt(x: bigint): BigDecimalValue {
  return normalize({ digits: x, exp: 0 });
}
