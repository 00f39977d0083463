import { expect } from "chai";
import type { EntityData, StoreValue } from "../../../indexer/store/types";
import { HandlerLayer, type EntityReader } from "../../../indexer/wasm/layer";
import { schemaInfo } from "../../../indexer/wasm/schema-info";

const SCHEMA = schemaInfo(`
  type Shipment @entity { id: ID!, status: String!, lines: [Line!]! @derivedFrom(field: "shipment") }
  type Line @entity { id: ID!, shipment: Shipment!, kg: Int! }
`);

const s = (value: string): StoreValue => ({ kind: "String", value });
const i = (value: number): StoreValue => ({ kind: "Int", value });
const entity = (fields: Record<string, StoreValue>): EntityData => new Map(Object.entries(fields));

/** The block's versions, journalling what the layer asks for. */
function block(): EntityReader & { asked: string[] } {
  const versions = new Map<string, EntityData>([
    ["Shipment:s1", entity({ id: s("s1"), status: s("FILED") })],
    ["Line:l1", entity({ id: s("l1"), shipment: s("s1"), kg: i(10) })],
    ["Line:l2", entity({ id: s("l2"), shipment: s("s1"), kg: i(20) })],
  ]);
  const asked: string[] = [];
  return {
    asked,
    get: (t, id) => {
      asked.push(`get ${t}:${id}`);
      const e = versions.get(`${t}:${id}`);
      return e ? new Map(e) : null;
    },
    getInBlock: (t, id) => {
      asked.push(`getInBlock ${t}:${id}`);
      return null;
    },
    loadRelated: (t, id, field) => {
      asked.push(`loadRelated ${t}:${id}.${field}`);
      return [...versions.values()].filter(
        (e) =>
          t === "Shipment" && field === "lines" && (e.get("shipment") as { value?: unknown } | undefined)?.value === id,
      );
    },
  };
}

const plain = (e: EntityData | null): Record<string, unknown> | null =>
  e && Object.fromEntries([...e].map(([k, v]) => [k, "value" in v ? v.value : null]));

describe("indexer/wasm handler layer", () => {
  it("saves without looking the entity up; a later read merges the saved fields over the block's version", () => {
    const base = block();
    const layer = new HandlerLayer(base, SCHEMA);
    layer.set("Shipment", "s1", entity({ status: s("LINKED") }));
    layer.set("Line", "l3", entity({ id: s("l3"), shipment: s("s1"), kg: i(5) }));
    expect(base.asked).to.deep.equal([]);
    expect(plain(layer.get("Shipment", "s1"))).to.deep.equal({ id: "s1", status: "LINKED" });
    expect(plain(layer.get("Line", "l3"))).to.deep.equal({ id: "l3", shipment: "s1", kg: 5 });
    expect(base.asked).to.deep.equal(["get Shipment:s1", "get Line:l3"]);
    expect(layer.ops.map((o) => o.op === "set" && plain(o.data))).to.deep.equal([
      { status: "LINKED" },
      { id: "l3", shipment: "s1", kg: 5 },
    ]);
  });

  it("reads the block's version once per handler and hands out copies", () => {
    const base = block();
    const layer = new HandlerLayer(base, SCHEMA);
    const first = layer.get("Shipment", "s1")!;
    first.set("status", s("CHANGED"));
    expect(plain(layer.get("Shipment", "s1"))).to.deep.equal({ id: "s1", status: "FILED" });
    expect(layer.get("Shipment", "nope")).to.equal(null);
    expect(layer.get("Shipment", "nope")).to.equal(null);
    expect(base.asked).to.deep.equal(["get Shipment:s1", "get Shipment:nope"]);
  });

  it("saves over a removal start from nothing; saves over saves accumulate", () => {
    const layer = new HandlerLayer(block(), SCHEMA);
    layer.remove("Line", "l1");
    expect(layer.get("Line", "l1")).to.equal(null);
    layer.set("Line", "l1", entity({ kg: i(1) }));
    expect(plain(layer.get("Line", "l1"))).to.deep.equal({ kg: 1 });
    layer.set("Line", "l2", entity({ kg: i(2) }));
    layer.set("Line", "l2", entity({ shipment: s("s9") }));
    expect(plain(layer.get("Line", "l2"))).to.deep.equal({ id: "l2", shipment: "s9", kg: 2 });
  });

  it("getInBlock of a saved entity is the whole entity, as get gives it", () => {
    const base = block();
    const layer = new HandlerLayer(base, SCHEMA);
    layer.set("Shipment", "s1", entity({ status: s("LINKED") }));
    expect(plain(layer.getInBlock("Shipment", "s1"))).to.deep.equal({ id: "s1", status: "LINKED" });
    expect(layer.getInBlock("Shipment", "s2")).to.equal(null);
    expect(base.asked).to.deep.equal(["get Shipment:s1", "getInBlock Shipment:s2"]);
  });

  it("loadRelated judges saved entities whole: a partial save keeps the block's reference", () => {
    const layer = new HandlerLayer(block(), SCHEMA);
    layer.set("Line", "l1", entity({ kg: i(11) })); // still points at s1 through the block's version
    layer.set("Line", "l2", entity({ shipment: s("s2") })); // moved away
    layer.set("Line", "l0", entity({ id: s("l0"), shipment: s("s1"), kg: i(1) }));
    expect(layer.loadRelated("Shipment", "s1", "lines").map(plain)).to.deep.equal([
      { id: "l0", shipment: "s1", kg: 1 },
      { id: "l1", shipment: "s1", kg: 11 },
    ]);
  });
});
