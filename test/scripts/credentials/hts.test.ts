import { expect } from "chai";
import { CredentialError } from "../../../scripts/credentials/errors";
import { formatHts, normaliseHts } from "../../../scripts/credentials/hts";

describe("scripts/credentials/hts", function () {
  it("normalises dotted, spaced and plain 10-digit codes", function () {
    for (const input of ["7304.19.1020", "7304.19.10.20", "7304 19 10 20", "7304191020", " 7304.19.1020 "]) {
      expect(normaliseHts(input, "/c"), input).to.deep.equal({ hts: "7304191020", htsNumber: 7304191020n, digits: 10 });
    }
  });

  it("pads 6- and 8-digit codes with zeros and keeps the digit count", function () {
    expect(normaliseHts("851671", "/c")).to.deep.equal({ hts: "8516710000", htsNumber: 8516710000n, digits: 6 });
    expect(normaliseHts("7306.19", "/c")).to.deep.equal({ hts: "7306190000", htsNumber: 7306190000n, digits: 6 });
    expect(normaliseHts("7208.51.00", "/c")).to.deep.equal({ hts: "7208510000", htsNumber: 7208510000n, digits: 8 });
    // Chapters 01-09 keep their leading zero as text; the number has nine digits, as TradeCodes.isHts allows.
    expect(normaliseHts("0101.21.0010", "/c")).to.deep.equal({ hts: "0101210010", htsNumber: 101210010n, digits: 10 });
  });

  it("refuses malformed codes with the value and path", function () {
    for (const bad of [
      "7304",
      "73041",
      "7304191",
      "730419102",
      "73041910201",
      "7304.19.102A",
      "7304-19-1020",
      "7304..19",
      ".730419",
      "730419.",
      "",
      "HS 730419",
    ]) {
      expect(() => normaliseHts(bad, "/credentialSubject/goods/0/commodityCode"), bad).to.throw(
        CredentialError,
        "at /credentialSubject/goods/0/commodityCode: expected 6, 8 or 10 digits (e.g. 7304.19.1020)",
      );
    }
    expect(() => normaliseHts("7304", "/c")).to.throw(CredentialError, "malformed HTS/HS code '7304' at /c");
    expect(() => normaliseHts(7304191020, "/c")).to.throw(CredentialError, "malformed HTS/HS code '7304191020'");
    expect(() => normaliseHts(undefined, "/c")).to.throw(CredentialError, "malformed HTS/HS code");
  });

  it("says that chapter 00 is invalid, whatever the length", function () {
    for (const bad of ["000419", "00.04.19", "00041910", "0012345678"]) {
      expect(() => normaliseHts(bad, "/c"), bad).to.throw(
        CredentialError,
        `HTS/HS code '${bad}' at /c has chapter 00, which does not exist (chapters are 01-99)`,
      );
    }
  });

  it("formats the HTSUS way", function () {
    expect(formatHts("7304191020")).to.equal("7304.19.1020");
  });
});
