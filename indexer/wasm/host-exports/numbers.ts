/**
 * `bigInt.*` and `bigDecimal.*`: graph-node's number semantics. Arithmetic lives in ../bigint.ts and
 * ../bigdecimal.ts; here are the host functions' own limits (exponents and shifts up to 255).
 */
import type { BigDecimalValue } from "../../store/types";
import * as bd from "../bigdecimal";
import { checkBigIntSize } from "../bigint";
import { DeterministicError } from "../errors";

/** Host functions take u32 arguments as i32 pointers' siblings: read them unsigned. */
export const u32 = (n: number): number => n >>> 0;

export function bigIntPow(base: bigint, exponent: number): bigint {
  if (u32(exponent) > 255) throw new DeterministicError(`exponent ${u32(exponent)} exceeds 255`);
  return checkBigIntSize(base ** BigInt(u32(exponent)));
}

/** A shift amount for `leftShift`/`rightShift`. */
export function shiftBits(n: number): bigint {
  if (u32(n) > 255) throw new DeterministicError(`shift amount ${u32(n)} exceeds 255`);
  return BigInt(u32(n));
}

export function bigIntDividedByDecimal(a: bigint, b: BigDecimalValue): BigDecimalValue {
  return bd.dividedBy(bd.fromBigInt(a), b);
}

export function bigDecimalFromString(s: string): BigDecimalValue {
  return bd.checkExponent(bd.fromString(s));
}
