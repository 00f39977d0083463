import { expect } from "chai";
import { parseSubgraphSchema } from "../../../indexer/schema/parse";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { EntityValidationError, type EntityStore } from "../../../indexer/store/types";
import { schemaInfo } from "../../../indexer/wasm/schema-info";
import { MemoryStore } from "../../helpers/memory-store";
import { AGG_SDL } from "../../helpers/aggregation-schema";
import { addr, big, block, bytes, entity, int8, ts } from "../../helpers/store";

const EXPORTER = bytes(addr("e1"));

/** The same behaviour from both store implementations. */
const stores: [string, () => EntityStore][] = [
  ["SqliteStore", () => SqliteStore.fromSdl(":memory:", AGG_SDL)],
  ["MemoryStore", () => new MemoryStore(schemaInfo(AGG_SDL), parseSubgraphSchema(AGG_SDL))],
];

for (const [name, make] of stores) {
  describe(`indexer/store timeseries data points (${name})`, () => {
    it("gives each save a new id (block << 32 | sequence) and the block's timestamp", () => {
      const store = make();
      const b = block(7, 3600);
      const w = store.beginBlock(b);
      const point = (kg: bigint) =>
        entity({
          id: int8(0n),
          timestamp: ts(1n),
          exporter: EXPORTER,
          meltCountry: { kind: "String", value: "DE" },
          kg: big(kg),
        });
      w.set("ShippedTonnage", "0", point(10n)); // the mapping's id and timestamp are ignored, as in graph-node
      w.set("ShippedTonnage", "0", point(20n));
      w.set("CertifiedTonnage", "5", entity({ id: int8(5n), timestamp: ts(1n), mill: EXPORTER, kg: big(1n) }));
      w.commit();
      const r = store.beginBlock(block(8, 3612));
      const first = (7n << 32n).toString();
      expect(r.get("ShippedTonnage", first)!.get("kg")).to.deep.equal(big(10n));
      expect(r.get("ShippedTonnage", first)!.get("id")).to.deep.equal(int8(7n << 32n));
      expect(r.get("ShippedTonnage", first)!.get("timestamp")).to.deep.equal(ts(3_600_000_000n));
      expect(r.get("ShippedTonnage", String((7n << 32n) + 1n))!.get("kg")).to.deep.equal(big(20n));
      // the sequence is shared by every timeseries of the block
      expect(r.get("CertifiedTonnage", String((7n << 32n) + 2n))!.get("kg")).to.deep.equal(big(1n));
      expect(r.get("ShippedTonnage", "0")).to.equal(null);
      r.discard();
    });
  });
}

describe("indexer/store timeseries data points (SqliteStore only)", () => {
  it("refuses a data point in a block without a timestamp and keeps the block unchanged", () => {
    const store = SqliteStore.fromSdl(":memory:", AGG_SDL);
    const w = store.beginBlock({ number: 1, hash: "0x01" });
    expect(() => w.set("CertifiedTonnage", "1", entity({ mill: EXPORTER, kg: big(1n) }))).to.throw(
      EntityValidationError,
      /need the block's timestamp, and block 1 has none/,
    );
    w.commit();
    expect(store.beginBlock(block(2)).get("CertifiedTonnage", String(1n << 32n))).to.equal(null);
  });
});
