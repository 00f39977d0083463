/**
 * graph-node's roll-up, the same for both stores, against hand-computed buckets. Day D starts at
 * 1_700_006_400 (also an hour start); block n's points get ids (n << 32) + sequence.
 */
import { expect } from "chai";
import type { AggregationInterval } from "../../../indexer/schema/model";
import { parseSubgraphSchema } from "../../../indexer/schema/parse";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { sqliteBucketRows } from "../../../indexer/store/sqlite-rollup";
import type { EntityData, EntityStore } from "../../../indexer/store/types";
import { schemaInfo } from "../../../indexer/wasm/schema-info";
import { MemoryStore, plain } from "../../helpers/memory-store";
import { A, AGG_SDL, B, D, commit, season } from "../../helpers/aggregation-schema";
import { big, blockHash, dec } from "../../helpers/store";

const us = (seconds: number) => BigInt(seconds) * 1_000_000n;
const id = (block: number, seq: number) => ((BigInt(block) << 32n) + BigInt(seq)).toString();

interface Harness {
  store: EntityStore;
  rows(agg: string, interval: AggregationInterval, block?: number): EntityData[];
}

const harnesses: [string, () => Harness][] = [
  [
    "SqliteStore",
    () => {
      const store = SqliteStore.fromSdl(":memory:", AGG_SDL);
      return { store, rows: (agg, interval, block) => sqliteBucketRows(store, agg, interval, block) };
    },
  ],
  [
    "MemoryStore",
    () => {
      const store = new MemoryStore(schemaInfo(AGG_SDL), parseSubgraphSchema(AGG_SDL));
      return { store, rows: (agg, interval, block) => store.bucketRows(agg, interval, block) };
    },
  ],
];

const EXP = ["id", "timestamp", "exporter", "kg", "lines", "maxLineKg"];
const MELT = ["timestamp", "meltCountry", "kg", "minLineKg", "firstKg", "lastKg", "totalKg", "totalLines"];

/** Rows as plain objects with the fields a test names. */
function view(rows: EntityData[], fields: string[]): Record<string, unknown>[] {
  return rows.map((r) =>
    Object.fromEntries(fields.map((f) => [f, r.has(f) ? plain((r.get(f) as { value: unknown }).value) : null])),
  );
}

for (const [name, make] of harnesses) {
  describe(`indexer/store roll-up of aggregations (${name})`, () => {
    it("rolls up a bucket only when a block past its end is committed", () => {
      const h = make();
      commit(h.store, 1, D + 10, [{ exporter: A, melt: "DE", kg: 100n }]);
      commit(h.store, 2, D + 3599, [{ exporter: A, melt: "CN", kg: 30n }]);
      expect(h.rows("ExporterTonnage", "hour")).to.deep.equal([]);
      commit(h.store, 3, D + 3600, []);
      expect(view(h.rows("ExporterTonnage", "hour"), EXP)).to.deep.equal([
        { id: id(2, 0), timestamp: us(D).toString(), exporter: A, kg: "130", lines: "2", maxLineKg: "100" },
      ]);
      expect(h.rows("ExporterTonnage", "day")).to.deep.equal([]);
    });

    it("puts a point exactly at the hour into the next bucket", () => {
      const h = make();
      season(h.store);
      const hours = view(h.rows("ExporterTonnage", "hour"), EXP);
      expect(hours).to.deep.equal([
        { id: id(1, 1), timestamp: us(D).toString(), exporter: B, kg: "50", lines: "1", maxLineKg: "50" },
        { id: id(2, 0), timestamp: us(D).toString(), exporter: A, kg: "130", lines: "2", maxLineKg: "100" },
        { id: id(3, 0), timestamp: us(D + 3600).toString(), exporter: A, kg: "7", lines: "1", maxLineKg: "7" },
        { id: id(4, 0), timestamp: us(D + 7200).toString(), exporter: B, kg: "1", lines: "1", maxLineKg: "1" },
      ]);
      expect(view(h.rows("ExporterTonnage", "day"), EXP)).to.deep.equal([
        { id: id(3, 0), timestamp: us(D).toString(), exporter: A, kg: "137", lines: "3", maxLineKg: "100" },
        { id: id(4, 0), timestamp: us(D).toString(), exporter: B, kg: "51", lines: "2", maxLineKg: "50" },
      ]);
    });

    it("computes min, first, last and cumulative sums and counts per dimension", () => {
      const h = make();
      season(h.store);
      const melt = view(h.rows("MeltCountryTonnage", "hour"), MELT);
      const at = (s: number) => us(s).toString();
      expect(melt).to.deep.equal([
        {
          timestamp: at(D),
          meltCountry: "DE",
          kg: "150",
          minLineKg: "50",
          firstKg: "100",
          lastKg: "50",
          totalKg: "150",
          totalLines: "2",
        },
        {
          timestamp: at(D),
          meltCountry: "CN",
          kg: "30",
          minLineKg: "30",
          firstKg: "30",
          lastKg: "30",
          totalKg: "30",
          totalLines: "1",
        },
        // CN has no points after hour 0, so it has no later rows; DE's totals carry on
        {
          timestamp: at(D + 3600),
          meltCountry: "DE",
          kg: "7",
          minLineKg: "7",
          firstKg: "7",
          lastKg: "7",
          totalKg: "157",
          totalLines: "3",
        },
        {
          timestamp: at(D + 7200),
          meltCountry: "DE",
          kg: "1",
          minLineKg: "1",
          firstKg: "1",
          lastKg: "1",
          totalKg: "158",
          totalLines: "4",
        },
      ]);
      expect(view(h.rows("MeltCountryTonnage", "day"), MELT)).to.deep.equal([
        // ordered by id within a timestamp: CN's last point (block 2) precedes DE's (block 4)
        {
          timestamp: at(D),
          meltCountry: "CN",
          kg: "30",
          minLineKg: "30",
          firstKg: "30",
          lastKg: "30",
          totalKg: "30",
          totalLines: "1",
        },
        {
          timestamp: at(D),
          meltCountry: "DE",
          kg: "158",
          minLineKg: "1",
          firstKg: "100",
          lastKg: "1",
          totalKg: "158",
          totalLines: "4",
        },
      ]);
    });

    it("widens into BigDecimal, skips nulls and aggregates references without dimensions", () => {
      const h = make();
      commit(h.store, 1, D, [
        { exporter: A, melt: "DE", kg: 5n, price: dec(15n, -1), grade: 3 },
        { exporter: B, melt: "DE", kg: 6n, grade: 9 },
        { exporter: A, melt: "DE", kg: 7n, price: dec(25n, -2) },
      ]);
      commit(h.store, 2, D + 3600, [{ exporter: B, melt: "DE", kg: 1n }]);
      commit(h.store, 3, D + 7200, []);
      const rows = view(h.rows("AllTonnage", "hour"), ["timestamp", "kg", "priceSum", "maxGrade", "lastExporter"]);
      expect(rows).to.deep.equal([
        {
          timestamp: us(D).toString(),
          kg: { digits: "18", exp: 0 },
          priceSum: { digits: "175", exp: -2 },
          maxGrade: 9,
          lastExporter: A,
        },
        {
          timestamp: us(D + 3600).toString(),
          kg: { digits: "1", exp: 0 },
          priceSum: null,
          maxGrade: null,
          lastExporter: B,
        },
      ]);
    });

    it("answers time travel with the rows of blocks up to the one asked for", () => {
      const h = make();
      season(h.store);
      expect(h.rows("ExporterTonnage", "hour", 2)).to.deep.equal([]);
      expect(h.rows("ExporterTonnage", "hour", 3).length).to.equal(2);
      expect(h.rows("ExporterTonnage", "hour", 4).length).to.equal(3);
      expect(h.rows("ExporterTonnage", "day", 4)).to.deep.equal([]);
      expect(h.rows("ExporterTonnage", "day", 5).length).to.equal(2);
    });

    it("removes data points and buckets of reverted blocks and rolls the bucket up again", () => {
      const h = make();
      season(h.store);
      h.store.revertTo(3);
      expect(view(h.rows("ExporterTonnage", "hour"), ["timestamp", "exporter", "kg"])).to.deep.equal([
        { timestamp: us(D).toString(), exporter: B, kg: "50" },
        { timestamp: us(D).toString(), exporter: A, kg: "130" },
      ]);
      expect(h.rows("ExporterTonnage", "day")).to.deep.equal([]);
      // the new branch stays in hour 1 at block 4, so only block 5 closes it, with the new point
      commit(h.store, 4, D + 3700, [{ exporter: A, melt: "DE", kg: 1000n }], 1);
      expect(h.rows("ExporterTonnage", "hour").length).to.equal(2);
      commit(h.store, 5, D + 7200, [], 1);
      expect(view(h.rows("ExporterTonnage", "hour"), EXP).slice(2)).to.deep.equal([
        { id: id(4, 0), timestamp: us(D + 3600).toString(), exporter: A, kg: "1007", lines: "2", maxLineKg: "1000" },
      ]);
      expect(view(h.rows("MeltCountryTonnage", "hour"), MELT)[2]).to.deep.include({ totalKg: "1157", totalLines: "4" });
      const w = h.store.beginBlock({ number: 6, hash: blockHash(6), timestamp: D + 7300 });
      expect(w.get("ShippedTonnage", id(4, 0))!.get("kg")).to.deep.equal(big(1000n));
      w.discard();
    });
  });
}
