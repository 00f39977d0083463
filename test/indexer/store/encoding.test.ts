import { expect } from "chai";
import {
  bigDecimalToString,
  decodeBigDecimal,
  decodeBigInt,
  decodeBigIntHex,
  encodeBigDecimal,
  encodeBigInt,
  hexToBuffer,
  hexToBytes,
  idToSql,
  parseBigDecimal,
} from "../../../indexer/store/encoding";
import type { BigDecimalValue } from "../../../indexer/store/types";

/** Deterministic pseudo-random numbers (xorshift) so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("indexer/store encoding", () => {
  it("reads hex with or without 0x, any case, and refuses an odd count or a bad digit anywhere", () => {
    for (const [hex, bytes] of [
      ["", []],
      ["0x", []],
      ["0xAbcD", [0xab, 0xcd]],
      ["00ff10", [0x00, 0xff, 0x10]],
      ["0X" + "9f".repeat(32), Array(32).fill(0x9f)],
    ] as [string, number[]][]) {
      expect([...hexToBuffer(hex)], hex).to.deep.equal(bytes);
      expect([...hexToBytes(hex)], hex).to.deep.equal(bytes);
      expect(hexToBytes(hex).byteOffset, hex).to.equal(0);
      expect(hexToBytes(hex).buffer.byteLength, hex).to.equal(bytes.length);
    }
    const good = "ab".repeat(16);
    const bad = ["a", "0xabc", "g0", "0g", "abzz", "ab cd", "0x0x", "+1", "ab\u0000c"];
    for (let at = 0; at < good.length; at++) bad.push(good.slice(0, at) + "x" + good.slice(at + 1));
    for (const hex of bad) {
      expect(() => hexToBuffer(hex), hex).to.throw(`invalid hex \`${hex}\``);
      expect(() => idToSql("Bytes", hex), hex).to.throw(`can not convert \`${hex}\` to Id::Bytes`);
    }
    expect(idToSql("Bytes", "0x" + good)).to.deep.equal(Buffer.from(good, "hex"));
  });

  it("encodes BigInt so that byte order is numeric order, beyond 64 bits, 126 bytes and for negatives", () => {
    const rand = rng(7);
    const values: bigint[] = [
      0n,
      1n,
      -1n,
      9n,
      10n,
      -9n,
      -10n,
      2n ** 64n,
      2n ** 64n + 1n,
      -(2n ** 64n),
      2n ** 300n,
      -(2n ** 300n),
      // magnitudes of 126 and 127 bytes: the short and the long length form
      2n ** 1000n,
      2n ** 1008n,
      2n ** 1008n - 1n,
      2n ** 2000n,
      -(2n ** 1000n),
      -(2n ** 1008n),
      -(2n ** 1008n - 1n),
      -(2n ** 2000n),
      255n,
      256n,
      -255n,
      -256n,
    ];
    for (let i = 0; i < 300; i++) {
      const digits = 1 + Math.floor(rand() * 60);
      let s = "";
      for (let d = 0; d < digits; d++) s += Math.floor(rand() * 10);
      values.push(BigInt(s) * (rand() < 0.5 ? -1n : 1n));
    }
    const byNumber = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const byBytes = [...values].sort((a, b) => Buffer.compare(encodeBigInt(a), encodeBigInt(b)));
    expect(byBytes).to.deep.equal(byNumber);
    expect(encodeBigInt(1_767_474_000n).length).to.equal(5);
    for (const v of values) expect(decodeBigInt(encodeBigInt(v))).to.equal(v);
    // as a query reads it: SQLite's hex() of the BLOB
    for (const v of values)
      expect(decodeBigIntHex(encodeBigInt(v).toString("hex").toUpperCase()), String(v)).to.equal(v);
  });

  it("encodes BigDecimal so that text order is numeric order", () => {
    const rand = rng(11);
    const values: BigDecimalValue[] = [
      { digits: 0n, exp: 0 },
      { digits: 15n, exp: -1 },
      { digits: 151n, exp: -2 },
      { digits: -15n, exp: -1 },
      { digits: -151n, exp: -2 },
      { digits: 1n, exp: 20 },
      { digits: 1n, exp: -7 },
      { digits: -1n, exp: -7 },
    ];
    for (let i = 0; i < 300; i++) {
      values.push({ digits: BigInt(Math.floor(rand() * 1e9) - 5e8), exp: Math.floor(rand() * 40) - 20 });
    }
    // Compare exactly: a·10^x vs b·10^y by scaling to a common exponent.
    const num = (a: BigDecimalValue, b: BigDecimalValue) => {
      const e = Math.min(a.exp, b.exp);
      const x = a.digits * 10n ** BigInt(a.exp - e);
      const y = b.digits * 10n ** BigInt(b.exp - e);
      return x < y ? -1 : x > y ? 1 : 0;
    };
    const byNumber = [...values].sort(num).map(bigDecimalToString);
    const byText = [...values].sort((a, b) => cmp(encodeBigDecimal(a), encodeBigDecimal(b))).map(bigDecimalToString);
    expect(byText).to.deep.equal(byNumber);
    for (const v of values) expect(num(decodeBigDecimal(encodeBigDecimal(v)), v)).to.equal(0);
  });

  it("prints BigDecimal positionally and parses graph-node's decimal syntax", () => {
    expect(bigDecimalToString({ digits: 1n, exp: 20 })).to.equal("100000000000000000000");
    expect(bigDecimalToString({ digits: 1n, exp: -7 })).to.equal("0.0000001");
    expect(bigDecimalToString({ digits: -5n, exp: -1 })).to.equal("-0.5");
    expect(bigDecimalToString({ digits: 1500n, exp: -2 })).to.equal("15");
    expect(bigDecimalToString({ digits: 0n, exp: 5 })).to.equal("0");
    expect(parseBigDecimal("1.50")).to.deep.equal({ digits: 15n, exp: -1 });
    expect(parseBigDecimal("-.5e3")).to.deep.equal({ digits: -5n, exp: 2 });
    expect(parseBigDecimal("100")).to.deep.equal({ digits: 1n, exp: 2 });
    expect(parseBigDecimal("5.")).to.deep.equal({ digits: 5n, exp: 0 });
    expect(() => parseBigDecimal("1.2.3")).to.throw(/invalid BigDecimal/);
    expect(() => parseBigDecimal("")).to.throw(/invalid BigDecimal/);
  });
});
