import { expect } from "chai";
import { QueryEngine } from "../../../indexer/graphql/engine";
import { loadSubgraphSchema } from "../../../indexer/schema/parse";
import { MemoryStore } from "../../../indexer/store/memory";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { TRADE_SCHEMA } from "../../helpers/store";
import { describeQueryStore, seedQuerySpec } from "./query-store.spec";

describeQueryStore("MemoryQueryStore", (schema) => new MemoryStore(schema));

describe("MemoryQueryStore beside the SQLite store", () => {
  const schema = loadSubgraphSchema(TRADE_SCHEMA);
  const memory = new MemoryStore(schema);
  const sqlite = new SqliteStore(":memory:", schema);
  before(() => {
    seedQuerySpec(memory);
    seedQuerySpec(sqlite);
  });
  after(() => sqlite.close());

  const EVERY_FIELD = `id reference status weightKg value containers sequence hsCodes flagged createdAt documentHash
    shipper { id name country roles shipments { id } certificates { id } }
    consignee { id name } certificates { id issuedAt origin shipments { id } } events { id status at note }`;

  for (const n of [1, 2, 3, 4]) {
    it(`gives the same answers for every field at block ${n}`, async () => {
      const query = `{
        shipments(block: { number: ${n} }, first: 1000) { ${EVERY_FIELD} }
        byRef: shipments(block: { number: ${n} }, orderBy: reference, orderDirection: desc) { id }
        documents(block: { number: ${n} }) { __typename id issuedAt issuer { id } ... on Certificate { origin } }
        actors(block: { number: ${n} }, orderBy: name) { id name country roles }
        shipmentEvents(block: { number: ${n} }, orderBy: shipment__reference) { id shipment { id } }
      }`;
      const fromMemory = await new QueryEngine(memory).execute({ query });
      const fromSqlite = await new QueryEngine(sqlite).execute({ query });
      expect(fromMemory.errors).to.equal(undefined);
      expect(fromMemory).to.deep.equal(fromSqlite);
      expect((fromMemory.data as { shipments: unknown[] }).shipments).to.have.length(n >= 3 ? (n === 4 ? 4 : 3) : 4);
    });
  }

  it("refuses aggregations with a clear error (the memory store does not roll up timeseries)", () => {
    const agg = memory.queryStore();
    const guard = { check() {}, deadline: Infinity, timeoutMs: 1000, maxFilterNesting: 1, loaded() {} };
    expect(() =>
      agg.buckets(guard, {
        aggregation: "Tonnage",
        interval: "day",
        current: false,
        block: 4,
        first: 10,
        skip: 0,
      }),
    ).to.throw("aggregation Tonnage: the memory store does not carry aggregations");
  });
});
