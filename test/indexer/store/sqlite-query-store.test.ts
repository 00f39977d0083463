import { expect } from "chai";
import { parseIndexPlan } from "../../../indexer/schema/index-plan";
import { loadSubgraphSchema } from "../../../indexer/schema/parse";
import type { QueryGuard } from "../../../indexer/store/query-store";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { TRADE_SCHEMA, actor, block } from "../../helpers/store";
import { A, B, C } from "../../helpers/trade-data";
import { describeQueryStore, seedQuerySpec } from "./query-store.spec";

describeQueryStore("SqliteQueryStore", (schema) => new SqliteStore(":memory:", schema));

// The same answers through a declared plan: Bytes filters indexed by their 8-byte prefix, Actors (Bytes ids)
// ordered through (field, id prefix) indexes.
describeQueryStore("SqliteQueryStore with an index plan", (schema) => {
  schema.indexes = parseIndexPlan(
    {
      Actor: { order: ["name", "roles"], filter: ["country"] },
      Shipment: { order: ["weightKg", "sequence"], filter: ["consignee", "documentHash", "status", "reference"] },
    },
    schema,
  );
  const store = new SqliteStore(":memory:", schema);
  const prefixed = store.layout.allTables().flatMap(([, t]) => t.columns.filter((c) => c.prefixed).map((c) => c.name));
  expect(prefixed).to.deep.equal(["consignee", "documentHash"]);
  expect(store.layout.table("Actor").idPrefixed).to.equal(true);
  return store;
});

describe("SqliteQueryStore: a reference read for its id alone", () => {
  const store = new SqliteStore(":memory:", loadSubgraphSchema(TRADE_SCHEMA));
  seedQuerySpec(store);
  const statements: string[] = [];
  const guard: QueryGuard = {
    check: () => undefined,
    deadline: Infinity,
    timeoutMs: 60_000,
    loaded: () => undefined,
    maxFilterNesting: 1,
    trace: (sql) => statements.push(sql),
  };
  const missing = "0x" + "00".repeat(20);
  const ids = (block: number, keys: string[], columns: string[], type = "Actor"): string[] =>
    store
      .queryStore()
      .byIds(guard, { type, block, ids: keys, columns })
      .map((r) => String(r.id))
      .sort();

  after(() => store.close());

  it("finds exactly what a read of more columns finds, and only counts when every id is there", () => {
    const sets = [[A, B, C], [A, missing], [A, A.toUpperCase().replace("0X", "0x")], [missing], [B.toUpperCase()]];
    for (const block of [1, 4]) {
      for (const keys of sets) {
        statements.length = 0;
        const alone = ids(block, keys, ["id"]);
        const counted = statements.length === 1 && /^SELECT count\(\*\)/.test(statements[0]);
        expect(alone, `${keys} at ${block}`).to.deep.equal(ids(block, keys, ["id", "name"]));
        expect(counted, `${keys} at ${block}: ${statements.join("; ")}`).to.equal(
          new Set(keys.map((k) => k.toLowerCase())).size === keys.length && !keys.includes(missing),
        );
      }
    }
    expect(ids(4, [B.toUpperCase().replace("0X", "0x")], ["id"])).to.deep.equal([B]);
    // a missing id whose first 8 bytes another actor's id shares is still missing
    const twin = "0x" + "cc".repeat(8) + "01".repeat(12);
    const absent = "0x" + "cc".repeat(8) + "02".repeat(12);
    const w = store.beginBlock(block(5));
    w.set("Actor", twin, actor("Twin"));
    w.commit();
    for (const columns of [["id"], ["id", "name"]]) {
      expect(ids(5, [A, absent], columns), columns.join()).to.deep.equal([A]);
      expect(ids(5, [absent], columns), columns.join()).to.deep.equal([]);
      expect(ids(5, [twin, absent], columns), columns.join()).to.deep.equal([twin]);
    }
    // s5 is written at block 4: at block 3 the count falls short and the rows are read
    for (const block of [3, 4]) {
      statements.length = 0;
      expect(ids(block, ["s1", "s5"], ["id"], "Shipment")).to.deep.equal(block === 4 ? ["s1", "s5"] : ["s1"]);
      expect(statements.length, statements.join("; ")).to.equal(block === 4 ? 1 : 2);
    }
  });
});
