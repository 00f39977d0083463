import { expect } from "chai";
import { createHash } from "node:crypto";
import { CredentialError } from "../../../scripts/credentials/errors";
import {
  canonicalize,
  compareCodeUnits,
  contentHash,
  isContentHash,
  serializeNumber,
} from "../../../scripts/credentials/jcs";
import { parseJson } from "../../../scripts/credentials/json";

/** The double whose IEEE 754 bits are the 16 hex digits `bits`. */
function fromBits(bits: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${bits}`));
  return view.getFloat64(0);
}

describe("scripts/credentials/jcs", function () {
  describe("numbers (ECMAScript Number::toString, RFC 8785 3.2.2.3)", function () {
    // Cases built from the rules: the boundaries 1e21 and 1e-7 where the layout switches to exponent form,
    // the extreme doubles, -0, and values whose shortest digits are not their literal.
    const cases: [string, string][] = [
      ["0000000000000000", "0"],
      ["8000000000000000", "0"], // -0
      ["0000000000000001", "5e-324"], // smallest subnormal
      ["8000000000000001", "-5e-324"],
      ["7fefffffffffffff", "1.7976931348623157e+308"], // largest double
      ["ffefffffffffffff", "-1.7976931348623157e+308"],
      ["4340000000000000", "9007199254740992"], // 2^53
      ["c340000000000000", "-9007199254740992"],
      ["4430000000000000", "295147905179352830000"], // 2^68: 21 digits, still plain
      ["444b1ae4d6e2ef4f", "999999999999999900000"], // just below 1e21
      ["444b1ae4d6e2ef50", "1e+21"], // 1e21 switches to exponent form
      ["44b52d02c7e14af5", "9.999999999999997e+22"],
      ["44b52d02c7e14af6", "1e+23"],
      ["3eb0c6f7a0b5ed8d", "0.000001"], // 1e-6 is still plain
      ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
      ["3e7ad7f29abcaf48", "1e-7"], // 1e-7 switches to exponent form
    ];
    for (const [bits, expected] of cases) {
      it(`writes 0x${bits} as ${expected}`, function () {
        expect(serializeNumber(fromBits(bits))).to.equal(expected);
      });
    }

    it("writes plain decimals and integers without exponent or trailing zeros", function () {
      expect(serializeNumber(4.5)).to.equal("4.5");
      expect(serializeNumber(0.002)).to.equal("0.002");
      expect(serializeNumber(Number("333333333.33333329"))).to.equal("333333333.3333333");
      expect(serializeNumber(1e30)).to.equal("1e+30");
      expect(serializeNumber(1.5e-9)).to.equal("1.5e-9");
      expect(serializeNumber(123e18)).to.equal("123000000000000000000");
      expect(serializeNumber(-0.0189)).to.equal("-0.0189");
    });

    it("agrees with the engine's Number.prototype.toString on many random doubles", function () {
      const view = new DataView(new ArrayBuffer(8));
      let seed = 0x2545f491n;
      const mismatches: string[] = [];
      let compared = 0;
      for (let i = 0; i < 20_000; i++) {
        seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
        view.setBigUint64(0, seed);
        // Alternate raw bit patterns (mostly huge or tiny) with values of everyday magnitude.
        const x = i % 2 === 0 ? view.getFloat64(0) : (Number(seed % 2000000n) - 1000000) / 10 ** Number(seed % 9n);
        if (!Number.isFinite(x)) continue;
        compared++;
        const expected = Object.is(x, -0) ? "0" : String(x);
        if (serializeNumber(x) !== expected) mismatches.push(`${expected} -> ${serializeNumber(x)}`);
      }
      expect(compared).to.be.greaterThan(19_000);
      expect(mismatches).to.deep.equal([]);
    });

    it("refuses NaN and infinities with the path", function () {
      expect(() => canonicalize({ a: [NaN] })).to.throw(
        CredentialError,
        "cannot canonicalise non-finite number NaN at /a/0",
      );
      expect(() => canonicalize(Infinity)).to.throw(CredentialError, "non-finite number Infinity at /");
      expect(() => canonicalize(-Infinity)).to.throw(CredentialError, "-Infinity");
    });
  });

  describe("strings (RFC 8785 3.2.2.2)", function () {
    it("uses the two-character escapes, lower-case \\u00xx for other controls, and nothing else", function () {
      const input = "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"/\b\t\f\r\u001f\u007f\u00e9";
      expect(canonicalize(input)).to.equal('"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/\\b\\t\\f\\r\\u001f\u007fé"');
    });

    it("keeps surrogate pairs literal and refuses lone surrogates", function () {
      expect(canonicalize("\ud83d\ude00")).to.equal('"\ud83d\ude00"');
      expect(() => canonicalize({ k: "a\ud800" })).to.throw(
        CredentialError,
        "lone surrogate \\ud800 in a string at /k",
      );
      expect(() => canonicalize(["\udc00x"])).to.throw(CredentialError, "lone surrogate \\udc00");
      expect(() => canonicalize({ "\ud800": 1 })).to.throw(CredentialError, "lone surrogate");
    });
  });

  describe("structure (RFC 8785 3.2.3)", function () {
    it("sorts member names by UTF-16 code units, recursively, without whitespace", function () {
      const input = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
      };
      // Read the names back by position: Object.keys would move the integer-like "1" to the front.
      const names = [...canonicalize(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`));
      // U+1F600 (surrogates D83D DE00) sorts before U+FB33 by code units though after it by code points.
      expect(names).to.deep.equal(["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"]);
      expect(compareCodeUnits("\ud83d\ude00", "\ufb33")).to.be.lessThan(0);
      expect(compareCodeUnits("ab", "a")).to.be.greaterThan(0);
      expect(compareCodeUnits("a", "a")).to.equal(0);
    });

    it("canonicalises a mixed document as RFC 8785 prescribes", function () {
      const text =
        '{ "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n' +
        '  "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n' +
        '  "literals": [null, true, false] }';
      expect(canonicalize(parseJson(text))).to.equal(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
          '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
      expect(canonicalize({ b: [], a: {}, c: { z: 1, y: [{ x: null }] } })).to.equal(
        '{"a":{},"b":[],"c":{"y":[{"x":null}],"z":1}}',
      );
    });

    it("refuses values that are not JSON", function () {
      expect(() => canonicalize({ a: undefined })).to.throw(CredentialError, "value of type undefined at /a");
      expect(() => canonicalize([new Date(0)])).to.throw(CredentialError, "non-plain object at /0");
      expect(() => canonicalize({ n: 1n })).to.throw(CredentialError, "type bigint at /n");
      expect(() => canonicalize({ "a/b~": [() => 1] })).to.throw(CredentialError, "type function at /a~1b~0/0");
      expect(canonicalize(Object.assign(Object.create(null) as object, { a: 1 }))).to.equal('{"a":1}');
    });
  });

  describe("contentHash", function () {
    it("is 0x + SHA-256 of the canonical UTF-8 bytes, independent of member order and whitespace", function () {
      const doc = { é: "€", a: [1, 2.5] };
      const expected = `0x${createHash("sha256").update(Buffer.from('{"a":[1,2.5],"é":"€"}', "utf8")).digest("hex")}`;
      expect(contentHash(doc)).to.equal(expected);
      expect(contentHash(parseJson('{ "a" : [ 1 , 2.50 ] , "\\u00e9" : "\\u20ac" }'))).to.equal(expected);
      expect(isContentHash(expected)).to.equal(true);
      expect(isContentHash(expected.toUpperCase())).to.equal(false);
    });

    it("changes when any value changes", function () {
      expect(contentHash({ a: 1 })).to.not.equal(contentHash({ a: 2 }));
      expect(contentHash({ a: "1" })).to.not.equal(contentHash({ a: 1 }));
      expect(contentHash([1, 2])).to.not.equal(contentHash([2, 1]));
    });
  });
});
