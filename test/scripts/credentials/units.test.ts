import { expect } from "chai";
import { CredentialError } from "../../../scripts/credentials/errors";
import {
  SUPPORTED_UNITS,
  convertMeasured,
  convertValue,
  divideRoundHalfUp,
  lookupUnit,
  parseDecimal,
  percentTo,
  type Target,
} from "../../../scripts/credentials/units";

const kg = (value: unknown, unitCode: string): bigint => convertValue(value, unitCode, "kilogram", "/v", "/u").value;
const cMPa = (value: unknown, unitCode: string): bigint =>
  convertValue(value, unitCode, "centiMegapascal", "/v", "/u").value;

describe("scripts/credentials/units", function () {
  describe("parseDecimal", function () {
    it("reads strings and JSON numbers exactly", function () {
      expect(parseDecimal("289600", "/x")).to.deep.equal({ coefficient: 289600n, exponent: 0 });
      expect(parseDecimal("367.22", "/x")).to.deep.equal({ coefficient: 36722n, exponent: -2 });
      expect(parseDecimal(0.0189, "/x")).to.deep.equal({ coefficient: 189n, exponent: -4 });
      expect(parseDecimal(1e-7, "/x")).to.deep.equal({ coefficient: 1n, exponent: -7 });
      expect(parseDecimal("-1.5E3", "/x")).to.deep.equal({ coefficient: -15n, exponent: 2 });
      expect(parseDecimal(" 0.000 ", "/x")).to.deep.equal({ coefficient: 0n, exponent: 0 });
    });

    it("refuses what is not a decimal number, naming the value and path", function () {
      for (const bad of ["", "12,5", "1.2.3", "0x10", "abc", ".5", "NaN", null, true, NaN, {}]) {
        expect(() => parseDecimal(bad, "/a/value"), String(bad)).to.throw(CredentialError, "at /a/value");
      }
      expect(() => parseDecimal("12,5", "/w/value")).to.throw(CredentialError, "invalid number '12,5' at /w/value");
      expect(() => parseDecimal("1e999", "/w")).to.throw(CredentialError, "number '1e999' out of range at /w");
      expect(() => parseDecimal("1e-999", "/w")).to.throw(CredentialError, "out of range");
      expect(parseDecimal("0e999", "/w").coefficient).to.equal(0n);
    });
  });

  describe("divideRoundHalfUp", function () {
    it("rounds half away from zero and otherwise to nearest", function () {
      expect(divideRoundHalfUp(5n, 10n)).to.equal(1n);
      expect(divideRoundHalfUp(4n, 10n)).to.equal(0n);
      expect(divideRoundHalfUp(15n, 10n)).to.equal(2n);
      expect(divideRoundHalfUp(-5n, 10n)).to.equal(-1n);
      expect(divideRoundHalfUp(-14n, 10n)).to.equal(-1n);
      expect(divideRoundHalfUp(7n, 3n)).to.equal(2n);
      expect(divideRoundHalfUp(8n, 3n)).to.equal(3n);
    });
  });

  describe("weights to kilograms", function () {
    it("converts the metric Rec 20 units exactly", function () {
      expect(kg("289600", "KGM")).to.equal(289600n);
      expect(kg("1.5", "TNE")).to.equal(1500n);
      expect(kg("2", "KTN")).to.equal(2_000_000n);
      expect(kg("12", "DTN")).to.equal(1200n);
      expect(kg("3", "2U")).to.equal(3000n);
      expect(kg("2499", "GRM")).to.equal(2n); // 2.499 kg
      expect(kg("2500", "GRM")).to.equal(3n); // 2.5 kg rounds half up
      expect(kg("1500000", "MGM")).to.equal(2n); // 1.5 kg
      expect(kg("7", "58")).to.equal(7n);
      expect(kg("7", "E4")).to.equal(7n);
    });

    it("converts pounds and tons from their exact definitions", function () {
      expect(kg("1000", "LBR")).to.equal(454n); // 453.59237
      expect(kg("100000", "LBR")).to.equal(45359n); // 45359.237
      expect(kg("1", "STN")).to.equal(907n); // 907.18474
      expect(kg("1000", "STN")).to.equal(907185n); // 907184.74
      expect(kg("1", "LTN")).to.equal(1016n); // 1016.0469088
      expect(kg("1000", "LTN")).to.equal(1016047n);
      expect(kg("16000", "ONZ")).to.equal(454n); // 1000 lb
      expect(kg("10", "CWA")).to.equal(454n); // 1000 lb
      expect(kg("20", "CWI")).to.equal(1016n); // 2240 lb
    });

    it("reads the fixtures' 'KG' as KGM with a note", function () {
      const result = convertValue("289600", "KG", "kilogram", "/w/value", "/w/unitCode");
      expect(result.value).to.equal(289600n);
      expect(result.unitCode).to.equal("KGM");
      expect(result.note).to.equal("unit 'KG' at /w/unitCode is not a UN/ECE Rec 20 code; read as KGM (kilogram)");
      expect(convertValue("1", "KGM", "kilogram", "/v", "/u").note).to.equal(undefined);
    });
  });

  describe("strengths to 0.01 MPa", function () {
    it("converts pascal multiples", function () {
      expect(cMPa("367.22", "MPA")).to.equal(36722n);
      expect(cMPa("367.225", "MPA")).to.equal(36723n); // half up
      expect(cMPa("367.2249", "MPA")).to.equal(36722n);
      expect(cMPa("450", "C56")).to.equal(45000n); // N/mm2 = MPa
      expect(cMPa("0.21", "A89")).to.equal(21000n); // 210 MPa
      expect(cMPa("250000", "KPA")).to.equal(25000n);
      expect(cMPa("250000000", "PAL")).to.equal(25000n);
      expect(cMPa("250000000", "C55")).to.equal(25000n);
      expect(cMPa("2500000", "A97")).to.equal(25000n);
      expect(cMPa("2500", "BAR")).to.equal(25000n);
      expect(cMPa("25000", "E01")).to.equal(25000n);
      expect(cMPa("45", "E41")).to.equal(44130n); // 441.29925 MPa
    });

    it("converts psi and ksi from the exact pound-force and inch", function () {
      expect(cMPa("1", "PS")).to.equal(1n); // 0.006894757... MPa
      expect(cMPa("52000", "PS")).to.equal(35853n); // 358.5273792 MPa (API 5L X52 yield)
      expect(cMPa("60000", "PS")).to.equal(41369n); // 413.6854376 MPa
      expect(cMPa("52", "N20")).to.equal(35853n);
      expect(cMPa("66", "N20")).to.equal(45505n); // 455.0539813 MPa
    });

    it("reads the fixtures' 'MPa' as MPA with a note", function () {
      const result = convertMeasured({ value: "648.71", unitCode: "MPa" }, "centiMegapascal", "/y");
      expect(result).to.deep.equal({
        value: 64871n,
        unitCode: "MPA",
        note: "unit 'MPa' at /y/unitCode is not a UN/ECE Rec 20 code; read as MPA (megapascal)",
      });
    });
  });

  describe("fractions and lengths", function () {
    it("converts percentages to ppm and to 0.01 %", function () {
      expect(percentTo(0.0189, "ppm", "/c")).to.equal(189n);
      expect(percentTo(16.558, "ppm", "/cr")).to.equal(165580n);
      expect(percentTo(0, "ppm", "/nb")).to.equal(0n);
      expect(percentTo(0.00005, "ppm", "/x")).to.equal(1n); // 0.5 ppm rounds half up
      expect(percentTo(0.00004, "ppm", "/x")).to.equal(0n);
      expect(percentTo(100, "ppm", "/x")).to.equal(1_000_000n);
      expect(convertValue("32", "%", "hundredthPercent", "/e/value", "/e/unitCode").value).to.equal(3200n);
      expect(convertValue("32.5", "P1", "hundredthPercent", "/v", "/u").value).to.equal(3250n);
      expect(convertValue("32.5", "60", "hundredthPercent", "/v", "/u").value).to.equal(3250n);
      expect(convertValue("189", "59", "ppm", "/v", "/u").value).to.equal(189n);
      expect(convertValue("1500", "61", "ppm", "/v", "/u").value).to.equal(2n);
      expect(() => percentTo("x", "ppm", "/c")).to.throw(CredentialError, "invalid number 'x' at /c");
    });

    it("converts lengths to micrometres", function () {
      const um = (value: string, unitCode: string): bigint =>
        convertValue(value, unitCode, "micrometre", "/v", "/u").value;
      expect(um("6000", "MM")).to.equal(6_000_000n);
      expect(um("12.7", "MMT")).to.equal(12_700n);
      expect(um("1", "INH")).to.equal(25_400n);
      expect(um("0.375", "INH")).to.equal(9_525n);
      expect(um("40", "FOT")).to.equal(12_192_000n);
      expect(um("1", "YRD")).to.equal(914_400n);
      expect(um("2", "MTR")).to.equal(2_000_000n);
      expect(um("2", "CMT")).to.equal(20_000n);
      expect(um("2", "DMT")).to.equal(200_000n);
      expect(um("0.001", "KMT")).to.equal(1_000_000n);
      expect(um("250", "77")).to.equal(6_350n);
      expect(um("5", "4H")).to.equal(5n);
    });
  });

  describe("errors", function () {
    it("names an unknown unit code and its path", function () {
      expect(() => convertMeasured({ value: "1", unitCode: "lbs" }, "kilogram", "/credentialSubject/w")).to.throw(
        CredentialError,
        "unknown unit code 'lbs' at /credentialSubject/w/unitCode",
      );
      // Rec 20 codes are case-sensitive, and only the fixtures' own symbols are aliased.
      for (const code of ["kgm", "kg", "Kg", "mpa", "N/mm2", "psi", "ksi", "HRB", "J", "", "toString", "__proto__"]) {
        expect(() => lookupUnit(code, "/u"), code).to.throw(CredentialError, "unknown unit code");
      }
      expect(() => lookupUnit(undefined, "/u")).to.throw(CredentialError, "unknown unit code");
      expect(() => lookupUnit(5, "/u")).to.throw(CredentialError, "unknown unit code '5' at /u");
    });

    it("refuses a unit of the wrong quantity", function () {
      expect(() => convertMeasured({ value: "1", unitCode: "MPA" }, "kilogram", "/w")).to.throw(
        CredentialError,
        "unit 'MPA' at /w/unitCode measures stress, expected mass",
      );
      expect(() => convertMeasured({ value: "1", unitCode: "KGM" }, "ppm", "/c")).to.throw(
        CredentialError,
        "measures mass, expected fraction",
      );
    });

    it("names a bad value's path", function () {
      expect(() => convertMeasured({ value: "heavy", unitCode: "KGM" }, "kilogram", "/w")).to.throw(
        CredentialError,
        "invalid number 'heavy' at /w/value",
      );
    });
  });

  it("lists each supported code once, each converting to its quantity's target", function () {
    const codes = SUPPORTED_UNITS.map((u) => u.code);
    expect(new Set(codes).size).to.equal(codes.length);
    const targetOf: Record<string, Target> = {
      mass: "kilogram",
      stress: "centiMegapascal",
      fraction: "ppm",
      length: "micrometre",
    };
    for (const u of SUPPORTED_UNITS) {
      expect(u.si.num > 0n && u.si.den > 0n, u.code).to.equal(true);
      expect(convertValue("1000000000", u.code, targetOf[u.quantity], "/v", "/u").value > 0n, u.code).to.equal(true);
    }
  });
});
