/** The BLOB a list field is stored as (indexer/store/list-encoding.ts): every element kind, nulls, bad BLOBs. */
import { expect } from "chai";
import {
  encodeBigDecimal,
  encodeBigInt,
  fieldFromSql,
  fieldToSql,
  type ElementKind,
  type SqlValue,
} from "../../../indexer/store/encoding";
import { decodeList, elementJson, encodeList, listJson } from "../../../indexer/store/list-encoding";
import type { StoreValue } from "../../../indexer/store/types";

const bytes = (hex: string): Buffer => Buffer.from(hex, "hex");

/** One list per element kind, in column encodings, with the JSON the list held before it was a BLOB. */
const LISTS: { kind: ElementKind; elements: SqlValue[]; json: unknown[] }[] = [
  { kind: "Bytes", elements: [bytes("aa".repeat(20)), null, bytes("")], json: ["0x" + "aa".repeat(20), null, "0x"] },
  {
    kind: "BigInt",
    elements: [encodeBigInt(0n), encodeBigInt(-(2n ** 255n)), encodeBigInt(2n ** 1100n)],
    json: ["0", (-(2n ** 255n)).toString(), (2n ** 1100n).toString()],
  },
  { kind: "String", elements: ["7304.19", "", "ünïcødé ✓", null], json: ["7304.19", "", "ünïcødé ✓", null] },
  {
    kind: "BigDecimal",
    elements: [encodeBigDecimal({ digits: -15n, exp: -1 }), encodeBigDecimal({ digits: 0n, exp: 0 })],
    json: ["-1.5", "0"],
  },
  { kind: "Int", elements: [0, -(2 ** 31), 2 ** 31 - 1], json: [0, -(2 ** 31), 2 ** 31 - 1] },
  {
    kind: "Int8",
    elements: [-(2n ** 63n), 2n ** 63n - 1n],
    json: [(-(2n ** 63n)).toString(), (2n ** 63n - 1n).toString()],
  },
  { kind: "Timestamp", elements: [1_798_758_000_000_000n], json: ["1798758000000000"] },
  { kind: "Boolean", elements: [1, 0, null], json: [true, false, null] },
];

describe("indexer/store list encoding", () => {
  for (const { kind, elements, json } of LISTS) {
    it(`round-trips a ${kind} list with its nulls, and reads it as the JSON lists were`, () => {
      const blob = encodeList(kind, elements);
      expect(decodeList(kind, blob)).to.deep.equal(elements);
      expect(listJson(kind, blob)).to.deep.equal(json);
      expect(elements.map((e) => elementJson(kind, e))).to.deep.equal(json);
    });
  }

  it("stores an empty list as an empty BLOB, distinct from a null field", () => {
    const empty = fieldToSql("String", true, { kind: "Array", value: [] });
    expect(Buffer.isBuffer(empty) && empty.length).to.equal(0);
    expect(fieldFromSql("String", true, empty)).to.deep.equal({ kind: "Array", value: [] });
    expect(fieldToSql("String", true, { kind: "Null" })).to.equal(null);
    expect(fieldFromSql("String", true, null)).to.deep.equal({ kind: "Null" });
  });

  it("round-trips store values through fieldToSql and fieldFromSql", () => {
    const v: StoreValue = {
      kind: "Array",
      value: [{ kind: "BigInt", value: -7n }, { kind: "Null" }, { kind: "BigInt", value: 2n ** 70n }],
    };
    expect(fieldFromSql("BigInt", true, fieldToSql("BigInt", true, v))).to.deep.equal(v);
  });

  it("gives equal lists equal BLOBs and different lists different ones", () => {
    const a = encodeList("Bytes", [bytes("01"), bytes("0203")]);
    expect(encodeList("Bytes", [bytes("01"), bytes("0203")]).equals(a)).to.equal(true);
    expect(encodeList("Bytes", [bytes("0102"), bytes("03")]).equals(a)).to.equal(false); // same bytes, other split
    expect(encodeList("Bytes", [bytes("0203"), bytes("01")]).equals(a)).to.equal(false); // order counts
  });

  it("takes an element's length plus one byte up to 126 bytes, and a longer header beyond", () => {
    expect(encodeList("Bytes", [bytes("aa".repeat(20))]).length).to.equal(21);
    expect(encodeList("Bytes", [bytes("aa".repeat(126))]).length).to.equal(127);
    const long = "x".repeat(20_000);
    const blob = encodeList("String", [long, "y"]);
    expect(blob.length).to.equal(3 + 20_000 + 2);
    expect(decodeList("String", blob)).to.deep.equal([long, "y"]);
  });

  it("refuses a truncated BLOB with a clear error", () => {
    const blob = encodeList("String", ["abc", "x".repeat(300)]);
    expect(() => decodeList("String", blob.subarray(0, blob.length - 1))).to.throw(/truncated list element$/);
    expect(() => decodeList("String", blob.subarray(0, 5))).to.throw(/truncated list element header/);
  });
});
