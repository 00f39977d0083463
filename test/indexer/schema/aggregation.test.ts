import { expect } from "chai";
import { SchemaError } from "../../../indexer/schema/model";
import { parseSubgraphSchema } from "../../../indexer/schema/parse";
import { AGG_SDL } from "../../helpers/aggregation-schema";

const TS = `type Data @entity(timeseries: true) { id: Int8! timestamp: Timestamp! amount: BigInt! price: BigDecimal! who: Bytes! name: String! }`;

describe("indexer/schema timeseries and aggregations", () => {
  it("models aggregations with their source, intervals, dimensions and aggregates", () => {
    const m = parseSubgraphSchema(AGG_SDL);
    expect(m.entities.get("ShippedTonnage")).to.deep.include({ timeseries: true, immutable: true, idKind: "Int8" });
    expect(m.entities.has("ExporterTonnage")).to.equal(false);
    const exp = m.aggregations.get("ExporterTonnage")!;
    expect(exp.source).to.equal("ShippedTonnage");
    expect(exp.intervals).to.deep.equal(["hour", "day"]);
    expect(exp.dimensions.map((f) => f.name)).to.deep.equal(["exporter"]);
    expect(exp.dimensions[0].type).to.deep.equal({ kind: "ref", target: "Actor" });
    expect(exp.aggregates.map((a) => [a.field.name, a.fn, a.arg, a.cumulative])).to.deep.equal([
      ["kg", "sum", "kg", false],
      ["lines", "count", undefined, false],
      ["maxLineKg", "max", "kg", false],
    ]);
    const melt = m.aggregations.get("MeltCountryTonnage")!;
    expect(melt.intervals).to.deep.equal(["hour", "day"]); // smallest first, as graph-node rolls them up
    expect(melt.aggregates.filter((a) => a.cumulative).map((a) => a.field.name)).to.deep.equal([
      "totalKg",
      "totalLines",
    ]);
    expect(m.aggregations.get("AllTonnage")!.dimensions).to.deep.equal([]);
  });

  it("accepts fn as an enum value and widening args (Int into BigDecimal)", () => {
    const m = parseSubgraphSchema(
      `type D @entity(timeseries: true) { id: Int8! timestamp: Timestamp! n: Int! }
       type S @aggregation(intervals: ["day"], source: "D") { id: Int8! timestamp: Timestamp! s: BigDecimal! @aggregate(fn: sum, arg: "n") }`,
    );
    expect(m.aggregations.get("S")!.aggregates[0]).to.deep.include({ fn: "sum", arg: "n" });
  });

  const agg = (body: string, head = `intervals: ["hour"], source: "Data"`) =>
    `${TS} type Stats @aggregation(${head}) { id: Int8! timestamp: Timestamp! ${body} }`;
  const rejected: [string, string, RegExp][] = [
    [
      "a mutable timeseries",
      `type D @entity(timeseries: true, immutable: false) { id: Int8! timestamp: Timestamp! }`,
      /Timeseries D is marked as mutable/,
    ],
    [
      "a timeseries with a Bytes id",
      `type D @entity(timeseries: true) { id: Bytes! timestamp: Timestamp! }`,
      /Timeseries D must have an `id` of type Int8!/,
    ],
    [
      "a timeseries without timestamp",
      `type D @entity(timeseries: true) { id: Int8! }`,
      /Timeseries D is missing a `timestamp` field/,
    ],
    [
      "a timeseries with an Int8 timestamp",
      `type D @entity(timeseries: true) { id: Int8! timestamp: Int8! }`,
      /`timestamp` field of type Int8, but it must be of type Timestamp/,
    ],
    [
      "a missing source",
      agg(`s: BigInt! @aggregate(fn: "sum", arg: "amount")`, `intervals: ["hour"]`),
      /Stats is missing the `source` argument/,
    ],
    [
      "a source that is no string",
      agg(`s: BigInt! @aggregate(fn: "sum", arg: "amount")`, `intervals: ["hour"], source: 1`),
      /invalid argument for `source`/,
    ],
    [
      "an unknown source",
      agg(`s: BigInt! @aggregate(fn: "sum", arg: "amount")`, `intervals: ["hour"], source: "Nope"`),
      /uses Nope as the source, but there is no such type/,
    ],
    [
      "a source that is no timeseries",
      `type E @entity { id: Int8! timestamp: Timestamp! n: Int! } type S @aggregation(intervals: ["hour"], source: "E") { id: Int8! timestamp: Timestamp! s: Int! @aggregate(fn: "sum", arg: "n") }`,
      /uses E as the source, but that type is not a timeseries/,
    ],
    [
      "missing intervals",
      agg(`s: BigInt! @aggregate(fn: "sum", arg: "amount")`, `source: "Data"`),
      /Stats is missing an `intervals` argument/,
    ],
    [
      "empty intervals",
      agg(`s: BigInt! @aggregate(fn: "sum", arg: "amount")`, `intervals: [], source: "Data"`),
      /must be a non-empty list of strings/,
    ],
    [
      "an unknown interval",
      agg(`s: BigInt! @aggregate(fn: "sum", arg: "amount")`, `intervals: ["week"], source: "Data"`),
      /the interval week is not supported/,
    ],
    ["no aggregate", agg(`amount: BigInt!`), /Stats has no @aggregate fields/],
    [
      "a String id",
      `${TS} type Stats @aggregation(intervals: ["hour"], source: "Data") { id: ID! timestamp: Timestamp! s: BigInt! @aggregate(fn: "sum", arg: "amount") }`,
      /`id` field for aggregation Stats must be Int8!/,
    ],
    [
      "a missing timestamp",
      `${TS} type Stats @aggregation(intervals: ["hour"], source: "Data") { id: Int8! s: BigInt! @aggregate(fn: "sum", arg: "amount") }`,
      /Aggregation Stats is missing a `timestamp` field/,
    ],
    [
      "an unknown fn",
      agg(`s: BigInt! @aggregate(fn: "avg", arg: "amount")`),
      /uses the unknown aggregation function `avg`/,
    ],
    [
      "a missing fn",
      agg(`s: BigInt! @aggregate(arg: "amount")`),
      /s in aggregation Stats is missing the `fn` argument/,
    ],
    [
      "a missing arg",
      agg(`s: BigInt! @aggregate(fn: "max")`),
      /missing the `arg` argument since the function max requires it/,
    ],
    [
      "an arg that is no string",
      agg(`s: BigInt! @aggregate(fn: "max", arg: 3)`),
      /invalid argument for `arg`: it must be a string/,
    ],
    [
      "an unknown arg",
      agg(`s: BigInt! @aggregate(fn: "sum", arg: "nope")`),
      /`arg` nope but the source type does not have such a field/,
    ],
    [
      "a narrowing arg",
      agg(`s: Int8! @aggregate(fn: "sum", arg: "amount")`),
      /of type Int8 but it is of the wider type BigInt in the source/,
    ],
    [
      "a non-numeric sum",
      agg(`s: String! @aggregate(fn: "sum", arg: "name")`),
      /has type String, but aggregates must be numeric/,
    ],
    [
      "a sum over bytes",
      agg(`s: BigInt! @aggregate(fn: "sum", arg: "who")`),
      /arg `who` but that is not a numeric field in Data/,
    ],
    [
      "a non-boolean cumulative",
      agg(`s: BigInt! @aggregate(fn: "sum", arg: "amount", cumulative: "yes")`),
      /invalid value for `cumulative`/,
    ],
    [
      "an arg expression",
      agg(`s: BigDecimal! @aggregate(fn: "sum", arg: "price * amount")`),
      /expressions \(price \* amount\) are not supported/,
    ],
    [
      "a dimension the source lacks",
      agg(`token: Bytes! s: BigInt! @aggregate(fn: "sum", arg: "amount")`),
      /does not have a field token/,
    ],
    [
      "a dimension of another type",
      agg(`name: Bytes! s: BigInt! @aggregate(fn: "sum", arg: "amount")`),
      /name in aggregation Stats has type Bytes but its type in the source is String/,
    ],
    [
      "a derived field",
      `${TS} type T @entity { id: Bytes! d: Bytes! } type Stats @aggregation(intervals: ["hour"], source: "Data") { id: Int8! timestamp: Timestamp! ts: [T!]! @derivedFrom(field: "d") s: BigInt! @aggregate(fn: "sum", arg: "amount") }`,
      /fields in aggregations can not be derived/,
    ],
    [
      "@aggregate outside an aggregation",
      `type A @entity { id: ID! n: Int! @aggregate(fn: "sum", arg: "n") }`,
      /unsupported directive @aggregate/,
    ],
    [
      "an entity field of aggregation type",
      `${agg(`s: BigInt! @aggregate(fn: "sum", arg: "amount")`)} type U @entity { id: ID! stats: [Stats!]! }`,
      /fields of aggregation type `Stats` are not supported/,
    ],
  ];
  for (const [what, sdl, message] of rejected) {
    it(`rejects ${what}`, () => {
      expect(() => parseSubgraphSchema(sdl)).to.throw(SchemaError, message);
    });
  }
});
