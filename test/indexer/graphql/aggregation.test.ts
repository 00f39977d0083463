/** The aggregation query API over the hand-computed season of test/helpers/aggregation-schema.ts. */
import { expect } from "chai";
import { QueryEngine } from "../../../indexer/graphql/engine";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { A, AGG_SDL, B, D, commit, season } from "../../helpers/aggregation-schema";
import { blockHash, entity, str } from "../../helpers/store";

const us = (seconds: number) => (BigInt(seconds) * 1_000_000n).toString();

describe("indexer/graphql aggregations", () => {
  let store: SqliteStore;
  let engine: QueryEngine;

  before(() => {
    store = SqliteStore.fromSdl(":memory:", AGG_SDL);
    // Only A is an Actor: B's buckets name an entity that does not exist (as for an actor never onboarded).
    const w = store.beginBlock({ number: 0, hash: blockHash(0), timestamp: D - 100 });
    w.set("Actor", A, entity({ name: str("A") }));
    w.commit();
    season(store);
    engine = new QueryEngine(store);
  });
  after(() => store.close());

  async function data(query: string): Promise<Record<string, unknown>> {
    const r = await engine.execute({ query });
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return r.data as Record<string, unknown>;
  }
  async function error(query: string): Promise<string> {
    const r = await engine.execute({ query });
    expect(r.errors, "expected an error").to.not.equal(undefined);
    return r.errors![0].message;
  }

  it("publishes graph-node's API: a collection with interval, current and a restricted filter", () => {
    expect(engine.sdl).to.match(/enum Aggregation_interval \{\s+hour\s+day\s+\}/);
    expect(engine.sdl).to.match(
      /exporterTonnages\(skip: Int = 0, first: Int = 100, interval: Aggregation_interval!, orderBy: ExporterTonnage_orderBy, orderDirection: OrderDirection, current: Aggregation_current, where: ExporterTonnage_filter, block: Block_height/,
    );
    const filter = /input ExporterTonnage_filter \{([^}]*)\}/
      .exec(engine.sdl)![1]
      .trim()
      .split(/\s*\n\s*/);
    expect(filter).to.deep.equal([
      "id: Int8",
      "id_gt: Int8",
      "id_lt: Int8",
      "id_gte: Int8",
      "id_lte: Int8",
      "id_in: [Int8!]",
      "timestamp: Timestamp",
      "timestamp_gt: Timestamp",
      "timestamp_lt: Timestamp",
      "timestamp_gte: Timestamp",
      "timestamp_lte: Timestamp",
      "timestamp_in: [Timestamp!]",
      "exporter: String",
      "exporter_: Actor_filter",
      "_change_block: BlockChangedFilter",
      "and: [ExporterTonnage_filter]",
      "or: [ExporterTonnage_filter]",
    ]);
    expect(engine.sdl).to.not.match(/exporterTonnage\(id/); // no single-bucket field
    expect(engine.sdl).to.match(/shippedTonnages\(/); // timeseries are entities
  });

  it("answers newest bucket first by default, with dimensions as references", async () => {
    const d = await data(`{ exporterTonnages(interval: "hour") { id timestamp kg lines maxLineKg } }`);
    expect(d.exporterTonnages).to.deep.equal([
      { id: (4n << 32n).toString(), timestamp: us(D + 7200), kg: "1", lines: "1", maxLineKg: "1" },
      { id: (3n << 32n).toString(), timestamp: us(D + 3600), kg: "7", lines: "1", maxLineKg: "7" },
      { id: (2n << 32n).toString(), timestamp: us(D), kg: "130", lines: "2", maxLineKg: "100" },
      { id: ((1n << 32n) + 1n).toString(), timestamp: us(D), kg: "50", lines: "1", maxLineKg: "50" },
    ]);
    const a = await data(`{ exporterTonnages(interval: "day", where: { exporter: "${A}" }) { exporter { id name } } }`);
    expect(a.exporterTonnages).to.deep.equal([{ exporter: { id: A, name: "A" } }]);
    // a non-null reference to an entity that was never written fails the field, as in graph-node
    expect(
      await error(`{ exporterTonnages(interval: "day", where: { exporter: "${B}" }) { exporter { id } } }`),
    ).to.equal("Cannot return null for non-nullable field ExporterTonnage.exporter.");
  });

  it("filters by timestamp range and dimension, orders and pages", async () => {
    const d = await data(
      `{ a: exporterTonnages(interval: day, where: { exporter: "${A}" }) { kg }
         b: exporterTonnages(interval: "hour", where: { timestamp_gte: "${us(D + 3600)}", timestamp_lt: ${us(D + 7200)} }) { kg }
         c: exporterTonnages(interval: "hour", orderBy: kg, orderDirection: desc, first: 2, skip: 1) { kg }
         d: meltCountryTonnages(interval: "hour", where: { meltCountry: "DE" }, orderBy: timestamp, orderDirection: asc) { totalKg }
         e: exporterTonnages(interval: "hour", where: { exporter_: { name: "A" } }) { kg } }`,
    );
    expect(d).to.deep.equal({
      a: [{ kg: "137" }],
      b: [{ kg: "7" }],
      c: [{ kg: "50" }, { kg: "7" }],
      d: [{ totalKg: "150" }, { totalKg: "157" }, { totalKg: "158" }],
      e: [{ kg: "7" }, { kg: "130" }],
    });
  });

  it("travels in time by the block that rolled a bucket up", async () => {
    const d = await data(
      `{ b2: exporterTonnages(interval: "hour", block: { number: 2 }) { kg }
         b3: exporterTonnages(interval: "hour", block: { number: 3 }) { kg }
         d4: exporterTonnages(interval: "day", block: { number: 4 }) { kg } }`,
    );
    expect(d).to.deep.equal({ b2: [], b3: [{ kg: "130" }, { kg: "50" }], d4: [] });
  });

  it("refuses what graph-node refuses, and the current bucket", async () => {
    expect(await error(`{ exporterTonnages { kg } }`)).to.match(
      /argument "interval" of type "Aggregation_interval!" is required/,
    );
    expect(await error(`{ exporterTonnages(interval: "week") { kg } }`)).to.match(/Aggregation_interval/);
    expect(await error(`{ exporterTonnages(interval: "hour", where: { kg: 5 }) { kg } }`)).to.match(
      /"kg" is not defined/,
    );
    expect(await error(`{ exporterTonnages(interval: "hour", where: { exporter_not: "x" }) { kg } }`)).to.match(
      /exporter_not/,
    );
    expect(await error(`{ allTonnages(interval: "day") { kg } }`)).to.match(/AllTonnage has no `day` interval/);
    expect(await error(`{ allTonnages(interval: "hour", current: include) { kg } }`)).to.match(
      /current: include.*not supported/,
    );
  });

  it("sees the buckets a reorg rolls up again", async () => {
    const s = SqliteStore.fromSdl(":memory:", AGG_SDL);
    season(s);
    s.revertTo(3);
    commit(s, 4, D + 3700, [{ exporter: A, melt: "DE", kg: 1000n }], 1);
    commit(s, 5, D + 7200, [], 1);
    const e = new QueryEngine(s);
    const r = await e.execute({
      query: `{ exporterTonnages(interval: "hour", first: 1) { kg lines } exporterTonnages_day: meltCountryTonnages(interval: "day") { kg } }`,
    });
    expect(r.data).to.deep.equal({ exporterTonnages: [{ kg: "1007", lines: "2" }], exporterTonnages_day: [] });
    s.close();
  });
});
