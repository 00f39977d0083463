/**
 * The typed meaning of the host functions (indexer/wasm/host-exports/), called without WASM memory: what
 * store.set accepts and writes, and that the pointer glue (indexer/wasm/imports.ts) links exactly the host
 * functions graph-node names.
 */
import { expect } from "chai";
import type { EntityData, StoreValue } from "../../../../indexer/store/types";
import { DeterministicError } from "../../../../indexer/wasm/errors";
import type { HostContext, RunState } from "../../../../indexer/wasm/host-exports/context";
import { storeGet, storeSet } from "../../../../indexer/wasm/host-exports/store";
import { HOST_FUNCTIONS, hostFunctions } from "../../../../indexer/wasm/imports";
import { HandlerLayer, type EntityReader } from "../../../../indexer/wasm/layer";
import { schemaInfo } from "../../../../indexer/wasm/schema-info";

const SCHEMA = schemaInfo(`
  type Pinger @entity { id: Bytes!, pings: Int! }
  type Tick @entity(immutable: true) { id: Int8!, n: Int! }
  type Note @entity { id: ID!, text: String! }
`);
const empty: EntityReader = { get: () => null, getInBlock: () => null, loadRelated: () => [] };

function context(apiVersion = "0.0.9"): HostContext {
  const state: RunState = { heap: null, layer: new HandlerLayer(empty, SCHEMA), created: [], logs: [] };
  return { state, apiVersion, ds: null, env: { store: empty, schema: SCHEMA, blockNumber: 1 }, cache: new Map() };
}

const entity = (fields: Record<string, StoreValue>): EntityData => new Map(Object.entries(fields));

describe("indexer/wasm host functions: typed meaning", function () {
  it("store.set adds the id attribute in the schema's id type and normalises Bytes ids", function () {
    const ctx = context();
    storeSet(ctx, "Pinger", "0xAB", entity({ pings: { kind: "Int", value: 1 } }));
    const saved = storeGet(ctx, "Pinger", "0xab")!;
    expect(saved.get("id")).to.deep.equal({ kind: "Bytes", value: Uint8Array.from([0xab]) });
    storeSet(ctx, "Tick", "-7", entity({ n: { kind: "Int", value: 2 } }));
    expect(storeGet(ctx, "Tick", "-7")!.get("id")).to.deep.equal({ kind: "Int8", value: -7n });
  });

  it("store.set refuses an id that isn't of the id type or disagrees with the entity's id", function () {
    const ctx = context();
    expect(() => storeSet(ctx, "Tick", "1.5", entity({})))
      .to.throw(DeterministicError)
      .with.property("message", "can not convert `1.5` to Id::Int8");
    expect(() => storeSet(ctx, "Note", "a", entity({ id: { kind: "String", value: "b" } })))
      .to.throw(DeterministicError)
      .with.property("message", "Value of `Note.id` `b` conflicts with ID passed to `store.set()` `a`");
    expect(() => storeSet(ctx, "Nope", "a", entity({})))
      .to.throw(DeterministicError)
      .with.property("message", "Entity type `Nope` is not defined in the schema");
    expect(ctx.state!.layer.ops).to.deep.equal([]);
  });

  it("store.set fails on undefined fields from apiVersion 0.0.8 on and drops them before", function () {
    const extra = (): EntityData =>
      entity({ text: { kind: "String", value: "t" }, color: { kind: "String", value: "red" } });
    expect(() => storeSet(context("0.0.8"), "Note", "a", extra())).to.throw(
      DeterministicError,
      "Attempted to set undefined fields [color] for the entity type `Note`",
    );
    const old = context("0.0.7");
    storeSet(old, "Note", "a", extra());
    expect([...storeGet(old, "Note", "a")!.keys()].sort()).to.deep.equal(["id", "text"]);
  });

  it("the glue links exactly the host functions graph-node names", function () {
    const fns = hostFunctions(null, { apiVersion: "0.0.9" }, null, { store: empty, blockNumber: 0 }, new Map());
    expect(Object.keys(fns).sort()).to.deep.equal([...HOST_FUNCTIONS].sort());
  });
});
