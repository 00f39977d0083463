import { expect } from "chai";
import { csvField, csvFileName, toCsv } from "../../../web/src/lib/csv";

describe("web/src/lib/csv", () => {
  it("quotes fields with commas, quotes or line breaks, and leaves others alone", () => {
    expect(csvField("plain")).to.equal("plain");
    expect(csvField("a,b")).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField("two\nlines")).to.equal('"two\nlines"');
    expect(csvField(null)).to.equal("");
    expect(csvField(undefined)).to.equal("");
    expect(csvField(12)).to.equal("12");
    expect(csvField(12n)).to.equal("12");
    expect(csvField(false)).to.equal("false");
  });

  it("defuses text a spreadsheet would run as a formula, but keeps negative numbers", () => {
    expect(csvField('=HYPERLINK("x")')).to.equal('"\'=HYPERLINK(""x"")"');
    expect(csvField("+1+1")).to.equal("'+1+1");
    expect(csvField("@SUM(A1)")).to.equal("'@SUM(A1)");
    expect(csvField("-2.5")).to.equal("-2.5");
    expect(csvField("-x")).to.equal("'-x");
  });

  it("writes a header and rows with CRLF line ends", () => {
    expect(
      toCsv(
        ["a", "b"],
        [
          [1, "x,y"],
          [null, "z"],
        ],
      ),
    ).to.equal('a,b\r\n1,"x,y"\r\n,z\r\n');
    expect(toCsv(["only"], [])).to.equal("only\r\n");
  });

  it("refuses a row whose width differs from the header", () => {
    expect(() => toCsv(["a", "b"], [[1]])).to.throw("row 1 has 1 fields, the header 2");
  });

  it("names the file after the table", () => {
    expect(csvFileName("Risk queue, page 2")).to.equal("risk-queue-page-2.csv");
    expect(csvFileName("Search results for did:web:x")).to.equal("search-results-for-did-web-x.csv");
    expect(csvFileName("***")).to.equal("table.csv");
  });
});
