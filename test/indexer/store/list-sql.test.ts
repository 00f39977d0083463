/** The SQL functions over list BLOBs (indexer/store/list-sql.ts): they compare as json_each did over list JSON. */
import { expect } from "chai";
import Database from "better-sqlite3";
import { encodeBigDecimal, encodeBigInt, type ElementKind, type SqlValue } from "../../../indexer/store/encoding";
import { encodeList } from "../../../indexer/store/list-encoding";
import { registerListFunctions } from "../../../indexer/store/list-sql";

describe("indexer/store list SQL functions", () => {
  let db: Database.Database;
  before(() => {
    db = new Database(":memory:");
    db.defaultSafeIntegers(true); // as a store's connection is
    registerListFunctions(db);
  });
  after(() => db.close());

  const has = (kind: ElementKind, list: SqlValue[] | null, value: unknown, nocase = 0): number =>
    Number(
      (
        db
          .prepare(`SELECT tt_list_has(?, ?, ?, ?) AS r`)
          .get(list === null ? null : encodeList(kind, list), kind, value, nocase) as { r: bigint }
      ).r,
    );
  const each = (kind: ElementKind, list: SqlValue[]): unknown[] =>
    (db.prepare(`SELECT value FROM tt_list_each(?, ?)`).all(encodeList(kind, list), kind) as { value: unknown }[]).map(
      (r) => r.value,
    );

  it("finds a Bytes element by its 0x hex text, in any case only with nocase", () => {
    const list = [Buffer.from("ab".repeat(20), "hex"), null];
    expect(has("Bytes", list, "0x" + "ab".repeat(20))).to.equal(1);
    expect(has("Bytes", list, "0x" + "AB".repeat(20))).to.equal(0);
    expect(has("Bytes", list, "0x" + "ab".repeat(20), 1)).to.equal(1);
    expect(has("Bytes", list, "0x" + "cd".repeat(20))).to.equal(0);
    expect(has("Bytes", list, null)).to.equal(0); // a null element equals nothing
  });

  it("compares text with text and numbers with numbers, as SQLite compared json_each values", () => {
    expect(has("Int", [5, -3], 5)).to.equal(1);
    expect(has("Int", [5, -3], 5n)).to.equal(1);
    expect(has("Int", [5, -3], "5")).to.equal(0);
    expect(has("BigInt", [encodeBigInt(10n ** 30n)], (10n ** 30n).toString())).to.equal(1);
    expect(has("BigInt", [encodeBigInt(7n)], 7)).to.equal(0); // BigInt elements were decimal strings
    expect(has("Boolean", [1], 1)).to.equal(1);
    expect(has("Boolean", [0], 1)).to.equal(0);
    expect(has("String", ["Acme"], "acme")).to.equal(0);
    expect(has("String", ["Acme"], "acme", 1)).to.equal(1);
  });

  it("matches only the text the element's JSON form was, as json_each compared it", () => {
    expect(has("BigInt", [encodeBigInt(5n)], "05")).to.equal(0);
    expect(has("BigInt", [encodeBigInt(0n)], "-0")).to.equal(0);
    expect(has("BigInt", [encodeBigInt(0n)], "0")).to.equal(1);
    expect(has("Int8", [-5n], "-5")).to.equal(1);
    expect(has("Int8", [-5n], -5)).to.equal(0);
    expect(has("Int8", [5n], (2n ** 64n).toString())).to.equal(0);
    const dec = encodeBigDecimal({ digits: 15n, exp: -1 });
    expect(has("BigDecimal", [dec], "1.5")).to.equal(1);
    expect(has("BigDecimal", [dec], "1.50")).to.equal(0);
    expect(has("BigDecimal", [dec], "not a number")).to.equal(0);
    expect(has("Bytes", [Buffer.from("0a", "hex")], "0x0")).to.equal(0);
    expect(has("Int", [7], 7.5)).to.equal(0);
    expect(has("Boolean", [1], 2)).to.equal(0);
  });

  it("finds an element only where one starts, not inside another or across two", () => {
    const list = [Buffer.from("0203ff", "hex"), Buffer.from("01", "hex")];
    // the encoded element 0x02 0x03 would be (length 1, byte 03): inside the first element's header and bytes
    expect(has("Bytes", list, "0x03")).to.equal(0);
    expect(has("Bytes", list, "0x01")).to.equal(1);
    expect(has("Bytes", list, "0x0203ff")).to.equal(1);
    expect(has("String", ["ab", "b"], "b")).to.equal(1);
    expect(has("String", ["xb"], "b")).to.equal(0);
  });

  it("finds nothing in a null list or an empty one", () => {
    expect(has("String", null, "x")).to.equal(0);
    expect(has("String", [], "x")).to.equal(0);
  });

  it("lists the elements as rows in order, in their JSON forms", () => {
    expect(each("Bytes", [Buffer.from("0102", "hex"), null])).to.deep.equal(["0x0102", null]);
    expect(each("Int8", [-(2n ** 63n)])).to.deep.equal([(-(2n ** 63n)).toString()]);
    expect(each("Boolean", [1, 0]).map(Number)).to.deep.equal([1, 0]);
    expect(each("String", [])).to.deep.equal([]);
    const joined = db
      .prepare(`SELECT count(*) AS n FROM tt_list_each(?, 'String') j WHERE j.value IN ('a', 'c')`)
      .get(encodeList("String", ["a", "b", "c", "a"])) as { n: bigint };
    expect(Number(joined.n)).to.equal(3);
  });
});
