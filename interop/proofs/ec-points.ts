/**
 * Compressed ↔ uncompressed points of the short-Weierstrass curves did:key uses (P-256, secp256k1), so that a
 * did:key's 33-byte key becomes a JWK with x and y. Both primes are ≡ 3 (mod 4): √a = a^((p+1)/4).
 */
import { bigIntToBytes, bytesToBigInt } from "./encoding";

export type WeierstrassCurve = "P-256" | "secp256k1";

const CURVES: Record<WeierstrassCurve, { p: bigint; a: bigint; b: bigint }> = {
  "P-256": {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    a: -3n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  },
  secp256k1: {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn,
    a: 0n,
    b: 7n,
  },
};

function mod(value: bigint, p: bigint): bigint {
  const r = value % p;
  return r < 0n ? r + p : r;
}

function powMod(base: bigint, exponent: bigint, p: bigint): bigint {
  let result = 1n;
  base = mod(base, p);
  while (exponent > 0n) {
    if (exponent & 1n) result = (result * base) % p;
    base = (base * base) % p;
    exponent >>= 1n;
  }
  return result;
}

/** The affine (x, y) of a SEC1 compressed point; throws when the bytes are not a point of the curve. */
export function decompressPoint(curve: WeierstrassCurve, compressed: Uint8Array): { x: Uint8Array; y: Uint8Array } {
  if (compressed.length !== 33 || (compressed[0] !== 2 && compressed[0] !== 3)) {
    throw new Error(`a compressed ${curve} key is 33 bytes starting with 02 or 03`);
  }
  const { p, a, b } = CURVES[curve];
  const x = bytesToBigInt(compressed.subarray(1));
  if (x >= p) throw new Error(`not a ${curve} point`);
  const ySquared = mod(x * x * x + a * x + b, p);
  let y = powMod(ySquared, (p + 1n) / 4n, p);
  if ((y * y) % p !== ySquared) throw new Error(`not a ${curve} point`);
  if (Number(y & 1n) !== (compressed[0] & 1)) y = p - y;
  return { x: bigIntToBytes(x, 32), y: bigIntToBytes(y, 32) };
}

/** The SEC1 compressed form of an affine point. */
export function compressPoint(x: Uint8Array, y: Uint8Array): Uint8Array {
  const out = new Uint8Array(33);
  out[0] = (y[31] & 1) === 1 ? 3 : 2;
  out.set(x, 1);
  return out;
}
