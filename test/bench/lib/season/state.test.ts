import { expect } from "chai";
import { SqliteStore } from "../../../../indexer/store/sqlite";
import { SCHEMA_PATH } from "../../../../bench/lib/query-cases";
import { SeasonState, addr, recOf, recordId, sha } from "../../../../bench/lib/season/state";
import { recordIdOf } from "../../../../scripts/lib/record-id";

/** The season's records in memory: what is forgotten when, and what the store gets. */
describe("bench/lib/season/state", function () {
  let store: SqliteStore;
  let block: number;

  beforeEach(function () {
    store = SqliteStore.open(":memory:", SCHEMA_PATH);
    block = 0;
  });
  afterEach(function () {
    store.close();
  });

  const country = (id: string) => ({ id, activeWatchEntries: [] });
  const heat = (id: string) => ({ id, mill: addr("mill"), heatNumber: "H1", countryOfMeltAndPour: "CN" });
  const next = (state: SeasonState): void => {
    state.block = ++block;
    state.ts = 1_700_000_000 + block;
  };

  it("recordId is recordIdOf without the ABI coder", function () {
    for (const i of [0, 1, 77]) {
      const issuer = addr(`issuer:${i}`);
      const hash = sha(`content:${i}`);
      expect(recordId(issuer, hash)).to.equal(recordIdOf(issuer, hash));
    }
  });

  it("forgets a retired record once its block is written, and write-once records at once", function () {
    const state = new SeasonState(store.schema, false);
    next(state);
    state.put("Country", "CN", country("CN"));
    state.put("Heat", "0x01", heat("0x01"));
    state.retire("Country", "CN");
    expect(state.get("Country", "CN")).to.not.equal(undefined); // still this block's
    state.flush(store);
    expect(state.world.Country.size).to.equal(0);
    expect(state.world.Heat.size).to.equal(0);
    expect(recOf(store.loadCurrent("Country", "CN")!)).to.deep.equal(country("CN"));
    expect(recOf(store.loadCurrent("Heat", "0x01")!)).to.deep.equal(heat("0x01"));
    expect(state.entities.Country).to.equal(1);
    expect(state.entities.Heat).to.equal(1);
  });

  it("writes a new version per block that touches a record, and counts each id once", function () {
    const state = new SeasonState(store.schema, false);
    next(state);
    const c = state.put("Country", "CN", country("CN"));
    state.flush(store);
    next(state);
    c.activeWatchEntries = [sha("watch")];
    state.touch("Country", "CN");
    state.flush(store);
    expect(state.versions.Country).to.equal(2);
    expect(state.entities.Country).to.equal(1);
    expect(recOf(store.loadCurrent("Country", "CN")!).activeWatchEntries).to.deep.equal([sha("watch")]);
  });

  it("with keepWorld keeps every record, and throws when a retired one is used again", function () {
    const state = new SeasonState(store.schema, true);
    next(state);
    state.put("Country", "CN", country("CN"));
    state.put("Heat", "0x01", heat("0x01"));
    state.retire("Country", "CN");
    expect(() => state.touch("Country", "CN")).to.throw(/Country CN was retired/);
    state.flush(store);
    expect(state.world.Country.size).to.equal(1);
    expect(state.world.Heat.size).to.equal(1);
    expect(() => state.get("Country", "CN")).to.throw(/retired/);
    expect(() => state.get("Heat", "0x01")).to.throw(/Heat 0x01 was retired/);
    expect(() => state.put("Heat", "0x01", heat("0x01"))).to.throw(/retired/);
    expect(state.get("Country", "US")).to.equal(undefined);
  });
});
