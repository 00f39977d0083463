import { expect } from "chai";
import { loadSubgraphSchema } from "../../../indexer/schema/parse";
import { MemoryStore } from "../../../indexer/store/memory";
import { EntityValidationError, type SubgraphFailure } from "../../../indexer/store/types";
import { TRADE_SCHEMA, actor, block, blockHash, entity, shipment, str, ts } from "../../helpers/store";
import { A, B, seedTrade } from "../../helpers/trade-data";

describe("indexer/store MemoryStore", () => {
  const schema = loadSubgraphSchema(TRADE_SCHEMA);
  let store: MemoryStore;

  beforeEach(() => {
    store = new MemoryStore(schema, "QmMemory");
    seedTrade(store);
  });

  it("keeps every version with its block range and the block pointers", () => {
    expect(store.history("Shipment", "s1").map((v) => [v.from, v.to])).to.deep.equal([
      [1, 2],
      [2, 2_147_483_647],
    ]);
    expect(store.history("Shipment", "s4").map((v) => [v.from, v.to])).to.deep.equal([[1, 3]]);
    expect(store.head()?.number).to.equal(3);
    expect(store.blockByHash(blockHash(2).toUpperCase().replace("0X", "0x"))?.number).to.equal(2);
    expect(store.deployment()).to.equal("QmMemory");
  });

  it("reads a block's own writes and the committed state, and skips no-op writes", () => {
    const w = store.beginBlock(block(4));
    expect(w.get("Shipment", "s1")?.get("status")).to.deep.equal(str("SHIPPED"));
    expect(w.getInBlock("Shipment", "s1")).to.equal(null);
    w.set("Shipment", "s1", entity({ status: str("SHIPPED") }));
    expect(w.getInBlock("Shipment", "s1")?.get("reference")).to.deep.equal(str("PIPE-001"));
    expect(w.loadRelated("Actor", A, "shipments").map((d) => d.get("id"))).to.deep.equal([str("s1"), str("s3")]);
    w.commit();
    expect(store.history("Shipment", "s1")).to.have.length(2);
  });

  it("reverts to a block: later versions go, closed ones reopen, with data sources and errors", () => {
    const failure: SubgraphFailure = { message: "boom", handler: "h", block: block(4) };
    const w = store.beginBlock(block(4));
    w.set("Shipment", "s5", shipment(B));
    w.remove("Shipment", "s1");
    w.addDataSource({ template: "T", params: ["0x01"], context: null, createdAt: 4 });
    w.addNonFatalError(failure);
    w.commit();
    const before = store.digest();
    expect(store.hasIndexingErrors(4)).to.equal(true);
    expect(store.hasIndexingErrors(3)).to.equal(false);
    store.revertTo(3);
    expect(store.head()?.number).to.equal(3);
    expect(store.history("Shipment", "s5")).to.deep.equal([]);
    expect(store.history("Shipment", "s1").at(-1)?.to).to.equal(2_147_483_647);
    expect(store.dataSources()).to.deep.equal([]);
    expect(store.hasIndexingErrors(4)).to.equal(false);
    expect(store.digest()).to.not.equal(before);
    const again = new MemoryStore(schema, "QmMemory");
    seedTrade(again);
    expect(store.digest()).to.equal(again.digest());
  });

  it("records and clears the fatal failure", () => {
    const failure: SubgraphFailure = { message: "fatal", handler: null, block: block(3) };
    store.setFailure(failure);
    expect(store.failure()).to.deep.equal(failure);
    expect(store.hasIndexingErrors(0)).to.equal(true);
    store.setFailure(null);
    expect(store.failure()).to.equal(null);
  });

  it("refuses bad writes with the entity named, and changes nothing", () => {
    const digest = store.digest();
    const w = store.beginBlock(block(4));
    const refused = (f: () => void, message: RegExp) => expect(f).to.throw(EntityValidationError, message);
    refused(() => w.set("Document", "d1", entity({})), /`Document` is an interface/);
    refused(() => w.set("Nope", "x", entity({})), /`Nope` is not an entity type/);
    refused(() => w.set("Actor", "not hex", actor("X")), /Entity Actor\[not hex\]/);
    refused(() => w.set("Actor", A, entity({ colour: str("red") })), /undefined fields \[colour\]/);
    refused(() => w.set("Actor", A, entity({ shipments: str("s1") })), /derived and cannot be set/);
    refused(() => w.set("Shipment", "s9", entity({ reference: str("R") })), /missing value for non-nullable/);
    refused(() => w.set("ShipmentEvent", "e1", entity({ at: ts(9n) })), /immutable/);
    refused(() => w.remove("ShipmentEvent", "e1"), /immutable and only allows inserts/);
    refused(() => w.loadRelated("Actor", A, "name"), /not derived/);
    expect(() => store.beginBlock(block(5))).to.throw(/block 4 is still open/);
    w.discard();
    expect(() => w.commit()).to.throw(/already committed or discarded/);
    expect(() => store.beginBlock(block(3))).to.throw(/not after the head 3/);
    expect(store.digest()).to.equal(digest);
  });
});
