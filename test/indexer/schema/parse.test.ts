import { expect } from "chai";
import { SchemaError } from "../../../indexer/schema/model";
import { loadSubgraphSchema, parseSubgraphSchema } from "../../../indexer/schema/parse";
import { TRADE_SCHEMA } from "../../helpers/store";

describe("indexer/schema parseSubgraphSchema", () => {
  it("models entities, fields, enums, references, lists, derived fields and interfaces", () => {
    const m = loadSubgraphSchema(TRADE_SCHEMA);
    expect([...m.entities.keys()]).to.deep.equal(["Actor", "Shipment", "ShipmentEvent", "Certificate", "MillReport"]);
    expect(m.enums.get("Status")!.values).to.deep.equal(["DRAFT", "SHIPPED", "DELIVERED"]);

    const actor = m.entities.get("Actor")!;
    expect(actor.idKind).to.equal("Bytes");
    expect(actor.immutable).to.equal(false);
    expect(actor.fieldsByName.get("country")).to.deep.equal({
      name: "country",
      type: { kind: "scalar", scalar: "String" },
      nonNull: false,
      list: false,
      elementNonNull: false,
    });
    expect(actor.fieldsByName.get("shipments")).to.deep.include({
      type: { kind: "ref", target: "Shipment" },
      list: true,
      nonNull: true,
      elementNonNull: true,
      derivedFrom: "shipper",
    });

    const shipment = m.entities.get("Shipment")!;
    expect(shipment.idKind).to.equal("String");
    expect(shipment.fieldsByName.get("status")!.type).to.deep.equal({ kind: "enum", name: "Status" });
    expect(shipment.fieldsByName.get("hsCodes")).to.deep.include({ list: true, elementNonNull: true });
    expect(shipment.fieldsByName.get("sequence")!.type).to.deep.equal({ kind: "scalar", scalar: "Int8" });

    expect(m.entities.get("ShipmentEvent")!.immutable).to.equal(true);
    expect(m.interfaces.get("Document")!.implementations).to.deep.equal(["Certificate", "MillReport"]);
    expect(m.entities.get("Certificate")!.interfaces).to.deep.equal(["Document"]);
  });

  it("treats timeseries entities as immutable and accepts Int8 ids", () => {
    const m = parseSubgraphSchema(
      `type Tick @entity(timeseries: true) { id: Int8! timestamp: Timestamp! price: BigDecimal! }`,
    );
    expect(m.entities.get("Tick")).to.deep.include({ immutable: true, timeseries: true, idKind: "Int8" });
  });

  const rejected: [string, string, RegExp][] = [
    ["a syntax error", `type A @entity { id: ID! `, /does not parse/],
    ["a type without @entity", `type A { id: ID! }`, /`A` lacks the @entity directive/],
    [
      "an aggregation without source",
      `type A @aggregation(intervals: ["hour"]) { id: Int8! timestamp: Timestamp! }`,
      /A is missing the `source` argument/,
    ],
    ["fulltext search", `type _Schema_ @fulltext(name: "s") type A @entity { id: ID! }`, /unsupported schema feature/],
    ["a union", `type A @entity { id: ID! } union U = A`, /unsupported schema feature: UnionTypeDefinition `U`/],
    ["a custom scalar", `scalar Date type A @entity { id: ID! }`, /unsupported schema feature: ScalarTypeDefinition/],
    ["an input type", `input I { a: Int } type A @entity { id: ID! }`, /unsupported schema feature/],
    ["a missing id", `type A @entity { name: String }`, /`A` has no `id` field/],
    ["a nullable id", `type A @entity { id: ID }`, /`id` must be one of/],
    ["an Int id", `type A @entity { id: Int! }`, /`id` must be one of/],
    ["an unknown field type", `type A @entity { id: ID! when: Date }`, /`A.when` has unknown type `Date`/],
    ["a list of lists", `type A @entity { id: ID! m: [[Int!]!]! }`, /`A.m`: lists of lists/],
    ["a reserved column name", `type A @entity { id: ID! block_from: Int }`, /`A.block_from` uses a reserved name/],
    ["a field with arguments", `type A @entity { id: ID! f(x: Int): Int }`, /`A.f` may not have arguments/],
    ["an unknown @entity argument", `type A @entity(foo: true) { id: ID! }`, /unsupported @entity argument `foo`/],
    [
      "@derivedFrom naming a missing field",
      `type A @entity { id: ID! bs: [B!]! @derivedFrom(field: "a") } type B @entity { id: ID! }`,
      /`A.bs`: @derivedFrom field `a` does not exist on `B`/,
    ],
    [
      "@derivedFrom on a scalar",
      `type A @entity { id: ID! n: Int @derivedFrom(field: "x") }`,
      /only allowed on entity fields/,
    ],
    [
      "@derivedFrom naming a field that points elsewhere",
      `type A @entity { id: ID! bs: [B!]! @derivedFrom(field: "c") } type B @entity { id: ID! c: C! } type C @entity { id: ID! }`,
      /`B.c` does not reference `A`/,
    ],
    [
      "an implementation missing an interface field",
      `interface I { id: ID! name: String! } type A implements I @entity { id: ID! }`,
      /`A` must have field `name` as declared by interface `I`/,
    ],
    ["a type defined twice", `type A @entity { id: ID! } type A @entity { id: ID! }`, /defined twice/],
    ["a field defined twice", `type A @entity { id: ID! x: Int x: Int }`, /`A.x` is defined twice/],
    ["an unknown field directive", `type A @entity { id: ID! x: Int @index }`, /unsupported directive @index/],
  ];
  for (const [what, sdl, message] of rejected) {
    it(`rejects ${what} with a clear error`, () => {
      expect(() => parseSubgraphSchema(sdl)).to.throw(SchemaError, message);
    });
  }
});
