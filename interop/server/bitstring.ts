/**
 * The bitstring of StatusList2021 and RevocationList2020: bit `i` is the most significant bit first of byte
 * `i >> 3` (bit 0 is the leftmost bit of the first byte), and the list travels GZIP-compressed and base64url-encoded
 * without padding (`encodedList`).
 */
import { gunzipSync, gzipSync } from "node:zlib";

/** The smallest list the specifications allow (16 KiB): a short list would tell who holds which index. */
export const MIN_LIST_BITS = 131_072;

export function emptyBitstring(bits = MIN_LIST_BITS): Buffer {
  return Buffer.alloc(Math.ceil(bits / 8));
}

export function getBit(list: Buffer, index: number): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= list.length * 8) throw new RangeError(`no bit ${index}`);
  return (list[index >> 3] & (0x80 >> (index & 7))) !== 0;
}

/** A copy of `list` with bit `index` set to `value`. */
export function withBit(list: Buffer, index: number, value: boolean): Buffer {
  getBit(list, index);
  const copy = Buffer.from(list);
  if (value) copy[index >> 3] |= 0x80 >> (index & 7);
  else copy[index >> 3] &= ~(0x80 >> (index & 7));
  return copy;
}

export function encodeList(list: Buffer): string {
  return gzipSync(list).toString("base64url");
}

/** The bits of an `encodedList`; throws on anything that is not gzip in base64 or base64url. */
export function decodeList(encoded: string): Buffer {
  if (!/^[A-Za-z0-9_\-+/]*={0,2}$/.test(encoded)) throw new Error("encodedList is not base64url");
  return gunzipSync(Buffer.from(encoded.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""), "base64url"));
}
