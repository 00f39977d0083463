import { expect } from "chai";
import { id } from "ethers";
import {
  didBook,
  documentStanding,
  formatCents,
  formatDate,
  formatEnum,
  formatHts,
  formatKg,
  formatLocode,
  formatParty,
  formatReason,
  formatRoleSet,
  formatRule,
  htsChapter,
  shortHex,
} from "../../../web/src/lib/format";
import { BUSINESS_ROLES } from "../../../scripts/lib/vocabulary";

describe("web/src/lib/format", () => {
  it("dates unix seconds in UTC, and shows nothing for none", () => {
    expect(formatDate(1_767_225_600)).to.equal("2026-01-01 00:00 UTC");
    expect(formatDate("1767270300")).to.equal("2026-01-01 12:25 UTC");
    expect(formatDate(1_767_225_600n)).to.equal("2026-01-01 00:00 UTC");
    for (const none of [null, undefined, "", 0, "0", "x", -5])
      expect(formatDate(none as never), String(none)).to.equal("");
  });

  it("writes HTS numbers with dots, padding a leading zero, and finds the chapter of any spelling", () => {
    expect(formatHts("7306191010")).to.equal("7306.19.1010");
    expect(formatHts(7208510030n)).to.equal("7208.51.0030");
    expect(formatHts(401110010)).to.equal("0401.11.0010");
    expect(formatHts("12345678901")).to.equal("12345678901");
    expect(formatHts(null)).to.equal("");
    expect(htsChapter("73")).to.equal(73);
    expect(htsChapter("7306.19.1010")).to.equal(73);
    expect(htsChapter("7")).to.equal(null);
    expect(htsChapter("00")).to.equal(null);
    expect(htsChapter("")).to.equal(null);
  });

  it("formats kilograms and US cents", () => {
    expect(formatKg("1234567")).to.equal("1,234,567 kg");
    expect(formatKg(0)).to.equal("0 kg");
    expect(formatKg(undefined)).to.equal("");
    expect(formatCents("123456")).to.equal("$1,234.56");
    expect(formatCents(5)).to.equal("$0.05");
    expect(formatCents(-250)).to.equal("-$2.50");
  });

  it("names roles from the one vocabulary, keeping unknown bits visible", () => {
    expect(formatRoleSet(BUSINESS_ROLES.MILL | BUSINESS_ROLES.EXPORTER)).to.equal("MILL, EXPORTER");
    expect(formatRoleSet(0)).to.equal("none");
    expect(formatRoleSet(1 << 9)).to.equal("bit 9");
  });

  it("names reason codes by their word, zero as none, and shortens an unknown hash", () => {
    expect(formatReason(id("CF28"))).to.equal("CF28");
    expect(formatReason(id("ISSUED-IN-ERROR").toUpperCase().replace("0X", "0x"))).to.equal("ISSUED-IN-ERROR");
    expect(formatReason(`0x${"0".repeat(64)}`)).to.equal("none");
    const unknown = id("SOMETHING-ELSE");
    expect(formatReason(unknown)).to.equal(`${unknown.slice(0, 6)}…${unknown.slice(-4)}`);
    expect(formatReason(null)).to.equal("");
    expect(shortHex("0x12")).to.equal("0x12");
  });

  it("shows a known actor by DID and another by its full address", () => {
    const book = didBook([{ id: "0xAbC0000000000000000000000000000000000001", did: "did:web:mill.example" }]);
    expect(formatParty("0xabc0000000000000000000000000000000000001", book)).to.equal("did:web:mill.example");
    expect(formatParty("0xDEF0000000000000000000000000000000000002", book)).to.equal(
      "0xdef0000000000000000000000000000000000002",
    );
    expect(formatParty(null, book)).to.equal("");
  });

  it("says a document is expired when it is active past its expiry, else its status", () => {
    expect(documentStanding("ACTIVE", "0", 1000)).to.equal("active");
    expect(documentStanding("ACTIVE", "999", 1000)).to.equal("expired");
    expect(documentStanding("ACTIVE", 1000, 1000)).to.equal("active");
    expect(documentStanding("REVOKED", "999", 1000)).to.equal("revoked");
    expect(documentStanding("SUPERSEDED", "0", 1000)).to.equal("superseded");
  });

  it("writes rules, enums and ports in words", () => {
    expect(formatRule("MELT_POUR_MISMATCH")).to.equal("Melt pour mismatch");
    expect(formatRule("MISSING_MTR")).to.equal("Missing MTR");
    expect(formatRule("COO_MISMATCH")).to.equal("COO mismatch");
    expect(formatEnum("HOLD_PLACED")).to.equal("hold placed");
    expect(formatEnum(undefined)).to.equal("");
    expect(formatLocode("USHOU")).to.equal("US HOU");
    expect(formatLocode("bad")).to.equal("bad");
  });
});
