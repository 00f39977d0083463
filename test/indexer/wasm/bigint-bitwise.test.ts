import { expect } from "chai";
import { bigIntFromBytes, bigIntToBytes, bitAndBytes, bitOrBytes, shiftRightBytes } from "../../../indexer/wasm/bigint";
import { Prng } from "../../helpers/prng";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Random bytes of 0..40 bytes, often with sign bytes on top (non-minimal forms a mapping may build). */
function randomBytes(rng: Prng): Uint8Array {
  const len = rng.int(0, 40);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = rng.int(0, 255);
  if (len > 1 && rng.chance(0.3)) out[len - 1] = rng.pick([0x00, 0xff]);
  if (len > 2 && rng.chance(0.2)) out[len - 2] = rng.pick([0x00, 0x80, 0x7f, 0xff]);
  return out;
}

describe("indexer/wasm BigInt bitwise operations on the wire format", () => {
  const edges: Uint8Array[] = [
    [],
    [0],
    [0xff],
    [0x80],
    [0x7f],
    [0x00, 0x00],
    [0xff, 0xff],
    [0x80, 0xff],
    [0x7f, 0x00],
    [0, 0x80],
  ]
    .map((b): Uint8Array => Uint8Array.from(b))
    .concat([2n ** 255n - 1n, -(2n ** 255n), 2n ** 256n - 1n, -1n, 0xffffffn].map(bigIntToBytes));

  it("shiftRightBytes gives the bytes of an arithmetic shift for every amount 0..255", () => {
    const rng = new Prng(19);
    const inputs = [...edges, ...Array.from({ length: 60 }, () => randomBytes(rng))];
    for (const a of inputs) {
      for (let bits = 0; bits <= 255; bits++) {
        const want = bigIntToBytes(bigIntFromBytes(a) >> BigInt(bits));
        expect(hex(shiftRightBytes(a, bits)), `${hex(a)} >> ${bits}`).to.equal(hex(want));
      }
    }
  });

  it("bitAndBytes and bitOrBytes give the bytes of & and | of both signs and any lengths", () => {
    const rng = new Prng(0xb17);
    const inputs = [...edges, ...Array.from({ length: 80 }, () => randomBytes(rng))];
    for (const a of inputs) {
      for (const b of inputs) {
        const [x, y] = [bigIntFromBytes(a), bigIntFromBytes(b)];
        expect(hex(bitAndBytes(a, b)), `${hex(a)} & ${hex(b)}`).to.equal(hex(bigIntToBytes(x & y)));
        expect(hex(bitOrBytes(a, b)), `${hex(a)} | ${hex(b)}`).to.equal(hex(bigIntToBytes(x | y)));
      }
    }
  });

  it("unpacks a packed 32-byte word as the mill test report mapping does", () => {
    const fields = Array.from({ length: 10 }, (_, i) => BigInt(0x123456 * (i + 1)) & 0xffffffn);
    const word = fields.reduce((acc, f, i) => acc | (f << BigInt(24 * i)), 0n);
    const mask = bigIntToBytes(0xffffffn);
    const got = fields.map((_, i) => bigIntFromBytes(bitAndBytes(shiftRightBytes(bigIntToBytes(word), 24 * i), mask)));
    expect(got).to.deep.equal(fields);
  });
});
