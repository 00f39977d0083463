import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CredentialError } from "../../../scripts/credentials/errors";
import { parseJson } from "../../../scripts/credentials/json";
import { readJsonFile } from "../../../scripts/credentials/node-loader";

describe("scripts/credentials/json", function () {
  it("parses JSON as JSON.parse does", function () {
    const text = '{"a":[1,-2.5e3,0,true,false,null,"x\\u00e9\\n\\/"],"b":{"c":{}},"d":[]}';
    expect(parseJson(text)).to.deep.equal(JSON.parse(text));
    expect(parseJson(' \t\r\n"s" ')).to.equal("s");
    expect(parseJson("-0.0189")).to.equal(-0.0189);
  });

  it("keeps a member named __proto__ as an ordinary member", function () {
    const parsed = parseJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.keys(parsed)).to.deep.equal(["__proto__"]);
    expect(Object.getPrototypeOf(parsed)).to.equal(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it("refuses duplicate member names, with where", function () {
    expect(() => parseJson('{"a":1,\n "b":{"c":1,"c":2}}', "mtr.json")).to.throw(
      CredentialError,
      'malformed JSON in mtr.json at line 2 column 13: duplicate member name "c"',
    );
    expect(() => parseJson('{"a":1,"\\u0061":2}')).to.throw(CredentialError, 'duplicate member name "a"');
    expect(parseJson('[{"a":1},{"a":2}]')).to.deep.equal([{ a: 1 }, { a: 2 }]);
  });

  it("reports malformed text in one line with line and column", function () {
    const cases: [string, string][] = [
      ["", "at line 1 column 1: unexpected end of input"],
      ['{"a":1,}', "line 1 column 8: expected a member name"],
      ['{"a" 1}', "expected ':'"],
      ["[1 2]", "expected ']'"],
      ['{"a":1', "unexpected end of input, expected '}'"],
      ["[01]", "expected ']'"],
      ["{'a':1}", "expected a member name"],
      ['"tab\there"', "malformed string"],
      ['"\\x"', "malformed string"],
      ["NaN", 'unexpected character "N"'],
      ["1e400", "number 1e400 is out of range"],
      ["[1] [2]", "unexpected text after the JSON value"],
      ["\n\n  tru", "at line 3 column 3"],
    ];
    for (const [text, message] of cases) {
      expect(() => parseJson(text), JSON.stringify(text)).to.throw(CredentialError, message);
      try {
        parseJson(text);
      } catch (error) {
        expect((error as Error).message).to.not.match(/\n/);
      }
    }
    expect(() => parseJson("[".repeat(300) + "]".repeat(300))).to.throw(CredentialError, "nesting deeper than 256");
    expect(parseJson("[".repeat(200) + "]".repeat(200))).to.be.an("array");
  });

  it("reads files, ignoring a byte order mark, and names unreadable ones", function () {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tt-json-"));
    const file = path.join(dir, "c.json");
    writeFileSync(file, '\uFEFF{"x": 1}');
    expect(readJsonFile(file)).to.deep.equal({ x: 1 });
    writeFileSync(file, '{"x": }');
    expect(() => readJsonFile(file)).to.throw(CredentialError, `malformed JSON in ${file} at line 1 column 7`);
    expect(() => readJsonFile(path.join(dir, "missing.json"))).to.throw(CredentialError, "cannot read");
  });
});
