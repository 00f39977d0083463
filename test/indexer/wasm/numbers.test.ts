import { expect } from "chai";
import * as bd from "../../../indexer/wasm/bigdecimal";
import { bigIntFromBytes, bigIntFromString, bigIntToBytes, checkBigIntSize } from "../../../indexer/wasm/bigint";

const s = (x: string): string => bd.toString(bd.fromString(x));
const div = (a: string, b: string): string => bd.toString(bd.dividedBy(bd.fromString(a), bd.fromString(b)));

describe("indexer/wasm numbers (graph-node semantics)", () => {
  describe("BigInt wire format", () => {
    const cases: [bigint, number[]][] = [
      [0n, [0x00]],
      [127n, [0x7f]],
      [128n, [0x80, 0x00]],
      [-1n, [0xff]],
      [-128n, [0x80]],
      [-129n, [0x7f, 0xff]],
      [256n, [0x00, 0x01]],
    ];
    for (const [v, bytes] of cases) {
      it(`${v} is minimal signed little-endian ${bytes.map((b) => b.toString(16)).join(" ")}`, () => {
        expect([...bigIntToBytes(v)]).to.deep.equal(bytes);
        expect(bigIntFromBytes(Uint8Array.from(bytes))).to.equal(v);
      });
    }

    it("round-trips 256-bit values of both signs and reads empty bytes as zero", () => {
      for (const v of [2n ** 255n - 1n, -(2n ** 255n), 2n ** 256n - 1n])
        expect(bigIntFromBytes(bigIntToBytes(v))).to.equal(v);
      expect(bigIntFromBytes(new Uint8Array())).to.equal(0n);
    });

    it("parses strings with sign and `_` separators, rejects whitespace and leading `_`", () => {
      expect(bigIntFromString("-1_000")).to.equal(-1000n);
      expect(bigIntFromString("+42")).to.equal(42n);
      for (const bad of [" 1", "", "_1", "0x10", "1.5"]) expect(() => bigIntFromString(bad), bad).to.throw();
    });

    it("rejects values above 435412 bits", () => {
      expect(() => checkBigIntSize(2n ** 435410n)).not.to.throw();
      expect(() => checkBigIntSize(2n ** 435411n)).to.throw("BigInt is too big, total bits 435413 (max 435412)");
    });
  });

  describe("BigDecimal", () => {
    it("normalises: 34 significant digits, trailing zeros stripped, zero is (0, 0)", () => {
      expect(bd.fromString("100")).to.deep.equal({ digits: 1n, exp: 2 });
      expect(bd.fromString("1.50")).to.deep.equal({ digits: 15n, exp: -1 });
      expect(bd.fromString("-0.000")).to.deep.equal({ digits: 0n, exp: 0 });
    });

    it("rounds positives half-up on the first dropped digit", () => {
      expect(s("1.0000000000000000000000000000000005")).to.equal("1.000000000000000000000000000000001");
      expect(s("1.0000000000000000000000000000000004")).to.equal("1");
      expect(s("9999999999999999999999999999999999.5")).to.equal("10000000000000000000000000000000000");
    });

    it("truncates negatives, keeping 34 or 35 digits (bigdecimal 0.1.2 estimate)", () => {
      expect(s("-1.00000000000000000000000000000000059")).to.equal("-1.0000000000000000000000000000000005");
      expect(div("-1", "3")).to.equal("-0.33333333333333333333333333333333333");
    });

    it("divides through 100 digits then normalises", () => {
      expect(div("1", "3")).to.equal("0.3333333333333333333333333333333333");
      expect(div("2", "3")).to.equal("0.6666666666666666666666666666666667");
      expect(div("100", "3")).to.equal("33.33333333333333333333333333333333");
      expect(div("7", "1")).to.equal("7");
      expect(div("0", "5")).to.equal("0");
      expect(div("5", "5")).to.equal("1");
      expect(div("1.5", "0.5")).to.equal("3");
      expect(() => div("1", "0")).to.throw("attempted to divide BigDecimal `1` by zero");
    });

    it("prints positional notation, never an exponent", () => {
      expect(s("1e20")).to.equal("100000000000000000000");
      expect(s("1e-7")).to.equal("0.0000001");
      expect(s("-0.5")).to.equal("-0.5");
      expect(s("0")).to.equal("0");
      expect(s(".5")).to.equal("0.5");
      expect(s("5.")).to.equal("5");
      expect(s("1_000.25")).to.equal("1000.25");
    });

    it("rejects malformed strings and out-of-range exponents", () => {
      for (const bad of ["", " 1", "1 ", "abc", "1e", "--1", "."]) expect(() => bd.fromString(bad), bad).to.throw();
      expect(() => bd.checkExponent(bd.fromString("1e6145"))).to.throw("outside");
      expect(() => bd.checkExponent(bd.fromString("1e-6144"))).to.throw("outside");
      expect(bd.checkExponent(bd.fromString("1e6144")).exp).to.equal(6144);
    });

    it("adds, subtracts and multiplies exactly before normalising; equals is numeric", () => {
      const a = bd.fromString("0.1");
      const b = bd.fromString("0.2");
      expect(bd.toString(bd.plus(a, b))).to.equal("0.3");
      expect(bd.toString(bd.minus(a, b))).to.equal("-0.1");
      expect(bd.toString(bd.times(a, b))).to.equal("0.02");
      expect(bd.equals(bd.fromString("1.0"), bd.fromString("1"))).to.equal(true);
      expect(bd.equals(a, b)).to.equal(false);
    });
  });
});
