/**
 * graph-node's BigInt wire format: signed little-endian two's complement of minimal length
 * (num-bigint 0.2 `to_signed_bytes_le`), and the size limit it enforces when reading.
 */

/** Largest magnitude bit count + 1 graph-node accepts (graph/src/data/store/scalar/bigint.rs). */
export const BIGINT_MAX_BITS = 435_412;

export function bitLength(x: bigint): number {
  const m = x < 0n ? -x : x;
  if (m <= 0xffffffffn) return 32 - Math.clz32(Number(m)); // most values: no hex string
  const hex = m.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
}

export function checkBigIntSize(x: bigint): bigint {
  if (x <= 0xffffffffffffn && x >= -0xffffffffffffn) return x; // most values, without bitLength's hex string
  const bits = bitLength(x) + 1;
  if (bits > BIGINT_MAX_BITS) throw new Error(`BigInt is too big, total bits ${bits} (max ${BIGINT_MAX_BITS})`);
  return x;
}

/** Minimal signed little-endian bytes: 0 → [00], 128 → [80 00], −1 → [ff], −128 → [80]. */
export function bigIntToBytes(x: bigint): Uint8Array {
  if (x === 0n) return new Uint8Array([0]);
  if (x > 0n && x < 0x80000000n) {
    // small counts and amounts, the usual case: bytes of a 31-bit number without a hex string
    let n = Number(x);
    const out = new Uint8Array(n < 0x80 ? 1 : n < 0x8000 ? 2 : n < 0x800000 ? 3 : 4);
    for (let i = 0; i < out.length; i++, n >>>= 8) out[i] = n & 0xff;
    return out;
  }
  if (x > 0n) {
    // through hex: the magnitude's bytes reversed, and a zero byte when the top bit would read as a sign
    let hex = x.toString(16);
    if (hex.length % 2) hex = "0" + hex;
    const be = Buffer.from(hex, "hex");
    const out = new Uint8Array(be.length + (be[0] & 0x80 ? 1 : 0));
    for (let i = 0; i < be.length; i++) out[i] = be[be.length - 1 - i];
    return out;
  }
  const out: number[] = [];
  let v = x;
  // Emit bytes until the remaining value is pure sign extension of the last byte written.
  for (;;) {
    const byte = Number(v & 0xffn);
    out.push(byte);
    v >>= 8n;
    const signBit = (byte & 0x80) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) break;
  }
  return Uint8Array.from(out);
}

/** Any length is accepted; empty is zero. */
export function bigIntFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let v: bigint;
  if (bytes.length > 6) {
    const be = Buffer.from(bytes).reverse();
    v = BigInt("0x" + be.toString("hex"));
  } else {
    v = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  }
  if (bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

/** Unsigned big-endian bytes (as in ABI words and hex strings) to a bigint. */
export function bigIntFromUnsignedBE(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Truncating division (Rust semantics), throwing graph-node's message on zero. */
export function bigIntDiv(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new Error(`attempted to divide BigInt \`${x}\` by zero`);
  return x / y;
}

export function bigIntMod(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new Error(`attempted to calculate the remainder of \`${x}\` with a divisor of zero`);
  return x % y;
}

/** num-bigint `from_str_radix(10)`: optional sign, digits with `_` separators (not leading), no whitespace. */
export function bigIntFromString(s: string): bigint {
  const m = /^([+-]?)([0-9][0-9_]*)$/.exec(s);
  if (!m) throw new Error(`invalid BigInt string \`${s}\``);
  const v = BigInt(m[2].replace(/_/g, ""));
  return checkBigIntSize(m[1] === "-" ? -v : v);
}

// ----- bitwise operations on the wire format -----
// Mappings unpack fields out of packed words with a shift and a mask each (the registry's mill test reports: 26
// fields of a 32-byte word, about 800,000 host calls at 50,000 events). Done byte by byte on the little-endian
// two's complement bytes these give the same bytes as through bigint and back, without the hex strings.

/** Up to this many bytes an operand takes the byte path; longer ones (rare) go through bigint. */
export const BYTE_OPS_MAX_LENGTH = 64;

/** The byte at `i` of `b` sign-extended to any length. */
const byteAt = (b: Uint8Array, i: number): number =>
  i < b.length ? b[i] : b.length > 0 && b[b.length - 1] & 0x80 ? 0xff : 0;

/** `out` without the high bytes that only repeat the sign: the minimal bytes bigIntToBytes gives ([00] for 0). */
function minimal(out: Uint8Array): Uint8Array {
  let n = out.length;
  while (n > 1) {
    const top = out[n - 1];
    const below = out[n - 2] & 0x80;
    if ((top === 0 && !below) || (top === 0xff && below)) n--;
    else break;
  }
  return n === out.length ? out : out.slice(0, n);
}

/** bigIntToBytes(bigIntFromBytes(a) >> bits), for 0 <= bits. */
export function shiftRightBytes(a: Uint8Array, bits: number): Uint8Array {
  const q = bits >>> 3;
  const r = bits & 7;
  const out = new Uint8Array(Math.max(1, a.length - q));
  for (let i = 0; i < out.length; i++) {
    out[i] = ((byteAt(a, i + q) >>> r) | (byteAt(a, i + q + 1) << (8 - r))) & 0xff;
  }
  return minimal(out);
}

/** bigIntToBytes(bigIntFromBytes(a) & bigIntFromBytes(b)). */
export function bitAndBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(1, a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = byteAt(a, i) & byteAt(b, i);
  return minimal(out);
}

/** bigIntToBytes(bigIntFromBytes(a) | bigIntFromBytes(b)). */
export function bitOrBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.max(1, a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = byteAt(a, i) | byteAt(b, i);
  return minimal(out);
}
