/** `typeConversion.*` and `crypto.keccak256`: byte and text conversions with graph-node's edge cases. */
import { getBytes, keccak256 } from "ethers";
import { DeterministicError } from "../errors";

/** UTF-8 text of `bytes` (invalid sequences replaced), trailing NULs cut as graph-node does. */
export function bytesToString(bytes: Uint8Array): string {
  const s = new TextDecoder("utf-8").decode(bytes);
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return s.slice(0, end);
}

/** Lower-case hex of the magnitude (graph-ts `BigInt.toHex`, no sign). */
export function bigIntToHex(x: bigint): string {
  return "0x" + (x < 0n ? -x : x).toString(16);
}

/** An address from its 40 hex digits, with or without `0x`. */
export function stringToH160(s: string): Uint8Array {
  const hex = s.startsWith("0x") ? s.slice(2) : s;
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) {
    throw new DeterministicError(`Failed to convert string to Address/H160: '${s}': Invalid input length`);
  }
  return getBytes("0x" + hex);
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Bitcoin-alphabet base58, a leading `1` per leading zero byte (IPFS hashes). */
export function bytesToBase58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = "";
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = "1" + out;
  }
  return out;
}

export function cryptoKeccak256(bytes: Uint8Array): Uint8Array {
  return getBytes(keccak256(bytes));
}
