/**
 * The index plan (indexer/schema/index-plan.ts) and how a store file follows it (indexer/store/sqlite-schema.ts):
 * which columns get which index, the plan's bad input, and a changed plan applied to a store that has data.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseIndexPlan, loadIndexPlan } from "../../../indexer/schema/index-plan";
import { SchemaError } from "../../../indexer/schema/model";
import { parseSubgraphSchema } from "../../../indexer/schema/parse";
import { decodeBigInt } from "../../../indexer/store/encoding";
import { Layout } from "../../../indexer/store/layout";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { QueryEngine } from "../../../indexer/graphql/engine";
import Database from "better-sqlite3";
import type { EntityData, StoreValue } from "../../../indexer/store/types";

const SDL = `
type Mill @entity(immutable: false) {
  id: Bytes!
  name: String!
  heats: [Heat!]! @derivedFrom(field: "mill")
}
type Heat @entity(immutable: false) {
  id: Bytes!
  mill: Mill!
  number: String!
  kg: BigInt!
  grades: [BigInt!]!
  buyers: [Bytes!]!
  code: Bytes
}
`;

const hex = (byte: string, n: number) => "0x" + byte.repeat(n);
const MILL = hex("aa", 20);
const bytes = (h: string): StoreValue => ({ kind: "Bytes", value: Buffer.from(h.slice(2), "hex") });
const big = (v: bigint): StoreValue => ({ kind: "BigInt", value: v });

function model(plan: unknown) {
  const m = parseSubgraphSchema(SDL);
  m.indexes = plan === null ? null : parseIndexPlan(plan, m);
  return m;
}

function heat(n: number): EntityData {
  return new Map<string, StoreValue>([
    ["mill", bytes(MILL)],
    ["number", { kind: "String", value: `H${n}` }],
    ["kg", big(BigInt(n) * 1000n)],
    ["grades", { kind: "Array", value: [big(BigInt(n)), big(-BigInt(n))] }],
    ["buyers", { kind: "Array", value: [bytes(hex("0" + (n % 10), 20))] }],
  ]);
}

describe("indexer/store index plan and store schema", () => {
  describe("the plan", () => {
    it("indexes declared fields over current versions, back-references by column, the rest not at all", () => {
      const t = new Layout(model({ Heat: { order: ["number"], filter: ["kg", "buyers"] } })).table("Heat");
      const kinds = Object.fromEntries(t.columns.map((c) => [c.name, c.index]));
      expect(kinds).to.deep.equal({
        id: "all",
        mill: "reference",
        number: "order",
        kg: "filter",
        grades: null,
        buyers: "filter",
        code: null,
      });
      expect(t.byField.get("buyers")!.elements).to.be.a("string");
      expect(t.byField.get("grades")!.elements).to.equal(undefined);
    });

    it("indexes filter fields together, the first one leading", () => {
      const layout = new Layout(model({ Heat: { filter: ["kg+number"] } }));
      const t = layout.table("Heat");
      expect(t.byField.get("kg")!.index).to.equal("filter");
      expect(t.byField.get("kg")!.indexWith).to.deep.equal(["number"]);
      expect(t.byField.get("number")!.index).to.equal(null);
      expect(layout.indexes(t).map((i) => i.sql)).to.include(
        `CREATE INDEX IF NOT EXISTS "e_Heat__kg__number__filter" ON "e_Heat" ("kg", "number") WHERE block_to = 2147483647`,
      );
    });

    it("ends a filter's index with id when the field after it is an order field", () => {
      const layout = new Layout(model({ Heat: { order: ["number"], filter: ["kg+number"] } }));
      expect(layout.indexes(layout.table("Heat")).map((i) => i.sql)).to.include(
        `CREATE INDEX IF NOT EXISTS "e_Heat__kg__number_p8__filter" ON "e_Heat" ("kg", "number", ifnull(substr("id", 1, 8), X'')) WHERE block_to = 2147483647`,
      );
    });

    it("indexes an order field with the id, then the filter fields declared with it", () => {
      const layout = new Layout(model({ Heat: { order: ["number+kg"] } }));
      const t = layout.table("Heat");
      expect(t.byField.get("number")!.index).to.equal("order");
      expect(t.byField.get("number")!.indexWith).to.deep.equal(["kg"]);
      expect(layout.indexes(t).map((i) => i.sql)).to.include(
        `CREATE INDEX IF NOT EXISTS "e_Heat__number__kg_p8__order" ON "e_Heat" ("number", ifnull(substr("id", 1, 8), X''), "kg") WHERE block_to = 2147483647`,
      );
    });

    it("holds a Bytes filter by its 8-byte prefix and breaks an order field's ties by a Bytes id's prefix", () => {
      const layout = new Layout(model({ Heat: { order: ["number"], filter: ["code", "kg"] } }));
      const t = layout.table("Heat");
      expect(t.idPrefixed).to.equal(true);
      expect(t.columns.filter((c) => c.prefixed).map((c) => c.name)).to.deep.equal(["code"]);
      expect(layout.indexes(t).map((i) => i.sql)).to.deep.equal([
        `CREATE UNIQUE INDEX IF NOT EXISTS "e_Heat__id" ON "e_Heat" ("id", block_to)`,
        `CREATE INDEX IF NOT EXISTS "e_Heat__mill" ON "e_Heat" ("mill")`,
        `CREATE INDEX IF NOT EXISTS "e_Heat__number_p8__order" ON "e_Heat" ("number", ifnull(substr("id", 1, 8), X'')) WHERE block_to = 2147483647`,
        `CREATE INDEX IF NOT EXISTS "e_Heat__kg__filter" ON "e_Heat" ("kg") WHERE block_to = 2147483647`,
        `CREATE INDEX IF NOT EXISTS "e_Heat__code_p8__filter" ON "e_Heat" (ifnull(substr("code", 1, 8), X'')) WHERE block_to = 2147483647`,
      ]);
    });

    it("lets a closed version leave out every column but the id and back-references, whatever the plan", () => {
      for (const plan of [null, {}, { Heat: { order: ["number"], filter: ["code", "kg"] } }]) {
        const t = new Layout(model(plan)).table("Heat");
        expect(t.leavable.map((l) => [l.column.name, l.position, l.bit])).to.deep.equal([
          ["number", 2, 2n],
          ["kg", 3, 4n],
          ["grades", 4, 8n],
          ["buyers", 5, 16n],
          ["code", 6, 32n],
        ]);
        expect(t.versions).to.equal(`"e_Heat#versions"`);
      }
      const wide = parseSubgraphSchema(
        `type Wide @entity { id: ID! ${[...Array(70).keys()].map((i) => `f${i}: Int`).join(" ")} }
         type Event @entity(immutable: true) { id: ID! at: Int! }`,
      );
      const layout = new Layout(wide);
      const leavable = layout.table("Wide").leavable;
      expect(leavable.length).to.equal(62);
      expect(leavable[61]).to.deep.include({ position: 62, bit: 2n ** 61n });
      expect(layout.table("Event").leavable).to.deep.equal([]);
      expect(layout.table("Event").versions).to.equal(`"e_Event"`);
    });

    it("keeps String and Int8 ids whole after an order field: their prefixes need not tell ids apart", () => {
      for (const idType of ["String", "Int8"]) {
        const m = parseSubgraphSchema(
          SDL.replace(
            "type Heat @entity(immutable: false) {\n  id: Bytes!",
            `type Heat @entity(immutable: false) {\n  id: ${idType}!`,
          ),
        );
        m.indexes = parseIndexPlan({ Heat: { order: ["number"] } }, m);
        const layout = new Layout(m);
        const t = layout.table("Heat");
        expect(t.idPrefixed).to.equal(false);
        expect(layout.indexes(t).map((i) => i.sql)[0]).to.equal(
          `CREATE UNIQUE INDEX IF NOT EXISTS "e_Heat__id" ON "e_Heat" ("id", block_to)`,
        );
        expect(layout.indexes(t).map((i) => i.sql)).to.include(
          `CREATE INDEX IF NOT EXISTS "e_Heat__number__order" ON "e_Heat" ("number", "id") WHERE block_to = 2147483647`,
        );
      }
    });

    it("indexes every field over every version without a plan, as graph-node does", () => {
      const t = new Layout(model(null)).table("Heat");
      expect(t.columns.every((c) => c.index === "all")).to.equal(true);
    });

    for (const [what, plan, message] of [
      ["not an object", ["Heat"], /expected an object/],
      ["an unknown type", { Furnace: { filter: ["x"] } }, /`Furnace` is not an entity type/],
      ["a list instead of uses", { Heat: ["number"] }, /`Heat` must be an object with "order" and\/or "filter"/],
      ["an unknown use", { Heat: { sort: ["number"] } }, /`Heat` has `sort`; only "order" and "filter"/],
      ["an unknown field", { Heat: { filter: ["colour"] } }, /`Heat` has no field `colour`/],
      ["a derived field", { Mill: { filter: ["heats"] } }, /`Mill.heats` is derived, not stored: index `mill`/],
      ["names that are not strings", { Heat: { order: [1] } }, /`Heat.order` must list field names/],
      ["a list to order on", { Heat: { order: ["buyers"] } }, /`Heat.buyers` is a list: filter only/],
      ["a field twice", { Heat: { order: ["kg"], filter: ["kg"] } }, /`Heat.kg` is declared twice/],
      ["a list indexed with another field", { Heat: { filter: ["kg+buyers"] } }, /`Heat.buyers` is a list/],
      ["a list indexed with an order field", { Heat: { order: ["number+buyers"] } }, /`Heat.buyers` is a list/],
      ["an unknown field indexed with another", { Heat: { filter: ["kg+colour"] } }, /no field `colour`/],
    ] as const) {
      it(`refuses a plan with ${what}`, () => {
        expect(() => parseIndexPlan(plan, parseSubgraphSchema(SDL))).to.throw(SchemaError, message);
      });
    }

    it("reads indexes.json beside the schema, and none when there is no such file", () => {
      const dir = mkdtempSync(path.join(tmpdir(), "tt-plan-"));
      try {
        const schemaFile = path.join(dir, "schema.graphql");
        expect(loadIndexPlan(schemaFile, parseSubgraphSchema(SDL))).to.equal(null);
        writeFileSync(path.join(dir, "indexes.json"), `{ "$comment": "x", "Heat": { "filter": ["number"] } }`);
        expect([...loadIndexPlan(schemaFile, parseSubgraphSchema(SDL))!.get("Heat")!]).to.deep.equal([
          ["number", { use: "filter", with: [] }],
        ]);
        writeFileSync(path.join(dir, "indexes.json"), `{ "Heat": [`);
        expect(() => loadIndexPlan(schemaFile, parseSubgraphSchema(SDL))).to.throw(SchemaError, /is not JSON/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("reads the source subgraph's indexes.json for the schema `graph build` copied into build/", () => {
      const dir = mkdtempSync(path.join(tmpdir(), "tt-plan-"));
      try {
        mkdirSync(path.join(dir, "build"));
        const built = path.join(dir, "build", "schema.graphql");
        expect(loadIndexPlan(built, parseSubgraphSchema(SDL))).to.equal(null);
        writeFileSync(path.join(dir, "indexes.json"), `{ "Heat": { "filter": ["number"] } }`);
        expect([...loadIndexPlan(built, parseSubgraphSchema(SDL))!.get("Heat")!]).to.deep.equal([
          ["number", { use: "filter", with: [] }],
        ]);
        // a plan beside the built schema comes first
        writeFileSync(path.join(dir, "build", "indexes.json"), `{ "Heat": { "order": ["kg"] } }`);
        expect([...loadIndexPlan(built, parseSubgraphSchema(SDL))!.get("Heat")!]).to.deep.equal([
          ["kg", { use: "order", with: [] }],
        ]);
        // only a build/ folder looks one level up
        const other = path.join(dir, "other");
        mkdirSync(other);
        expect(loadIndexPlan(path.join(other, "schema.graphql"), parseSubgraphSchema(SDL))).to.equal(null);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("a store file whose plan changes", () => {
    let dir: string;
    let file: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), "tt-plan-store-"));
      file = path.join(dir, "store.sqlite");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const indexes = (s: SqliteStore) =>
      (
        s.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'e_Heat'`).all() as {
          name: string;
        }[]
      )
        .map((r) => r.name)
        .filter((n) => !n.startsWith("sqlite_"))
        .sort();

    it("drops indexes no longer declared, builds new ones and fills new element tables from current versions", () => {
      const first = new SqliteStore(file, model({ Heat: { order: ["number"] } }));
      for (const n of [1, 2]) {
        const w = first.beginBlock({ number: n, hash: hex(String(n).padStart(2, "0"), 32) });
        w.set("Mill", MILL, new Map([["name", { kind: "String", value: "Acme" }]]));
        w.set("Heat", hex("0" + n, 32), heat(n));
        if (n === 2) w.set("Heat", hex("01", 32), heat(7)); // a second version of heat 1
        w.commit();
      }
      expect(indexes(first)).to.deep.equal(["e_Heat__id", "e_Heat__mill", "e_Heat__number_p8__order"]);
      first.close();

      const second = new SqliteStore(file, model({ Heat: { filter: ["kg", "grades"] } }));
      try {
        expect(indexes(second)).to.deep.equal(["e_Heat__id", "e_Heat__kg__filter", "e_Heat__mill"]);
        const elements = second.db.prepare(`SELECT value, vid FROM "e_Heat__grades" ORDER BY vid, value`).all() as {
          value: Buffer;
          vid: bigint;
        }[];
        // the current versions (heat 2, heat 1 again at block 2; not heat 1 at block 1), two grades each
        expect(elements.map((e) => decodeBigInt(e.value))).to.deep.equal([-2n, 2n, -7n, 7n]);
        const tables = (
          second.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
        )
          .map((r) => r.name)
          .filter((n) => n.startsWith("e_Heat__"));
        expect(tables).to.deep.equal(["e_Heat__grades"]);
      } finally {
        second.close();
      }
    });
  });

  describe("query-only indexes left out while a store catches up", () => {
    let dir: string;
    let file: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), "tt-defer-store-"));
      file = path.join(dir, "store.sqlite");
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const PLAN = { Heat: { order: ["number"], filter: ["kg"] } };
    const QUERY = `{ heats(where: { kg_gt: "1000" }, orderBy: number, orderDirection: desc) { id number mill { name } } }`;
    const indexNames = (s: SqliteStore) =>
      (
        s.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'e_Heat'`).all() as {
          name: string;
        }[]
      )
        .map((r) => r.name)
        .filter((n) => !n.startsWith("sqlite_"))
        .sort();
    const write = (s: SqliteStore, from: number, to: number) => {
      for (let n = from; n <= to; n++) {
        const w = s.beginBlock({ number: n, hash: hex(String(n % 100).padStart(2, "0"), 32) });
        if (n === 1) w.set("Mill", MILL, new Map([["name", { kind: "String", value: "Acme" }]]));
        w.set("Heat", hex("0" + (n % 10), 32), heat(n));
        w.commit();
      }
    };

    const ALL_INDEXES = ["e_Heat__id", "e_Heat__kg__filter", "e_Heat__mill", "e_Heat__number_p8__order"];
    /** The answer to QUERY from a store that kept every index while blocks 1-12 were written. */
    const referenceAnswer = async () => {
      const reference = new SqliteStore(path.join(dir, "reference.sqlite"), model(PLAN));
      write(reference, 1, 12);
      const expected = await new QueryEngine(reference).execute({ query: QUERY });
      reference.close();
      return expected;
    };

    it("rebuilds the indexes it kept once caught up, so that their pages are full", () => {
      const store = new SqliteStore(file, model(PLAN));
      try {
        store.deferQueryIndexes();
        // ids in random order, as hashes arrive: the id index splits its pages and leaves them part empty
        let x = 7;
        for (let n = 1; n <= 40; n++) {
          const w = store.beginBlock({ number: n, hash: hex(String(n % 100).padStart(2, "0"), 32) });
          if (n === 1) w.set("Mill", MILL, new Map([["name", { kind: "String", value: "Acme" }]]));
          for (let i = 0; i < 100; i++) {
            x = (x * 48271) % 2147483647;
            w.set("Heat", "0x" + x.toString(16).padStart(8, "0").repeat(8), heat(n));
          }
          w.commit();
        }
        const pages = (name: string) =>
          Number((store.db.prepare(`SELECT count(*) AS n FROM dbstat WHERE name = ?`).get(name) as { n: number }).n);
        const before = { id: pages("e_Heat__id"), mill: pages("e_Heat__mill") };
        store.buildQueryIndexes();
        const after = { id: pages("e_Heat__id"), mill: pages("e_Heat__mill") };
        expect(after.id).to.be.lessThan(before.id);
        // rebuilt once more, they take no fewer pages: they are as full as they get
        store.db.exec(`REINDEX "e_Heat__id"; REINDEX "e_Heat__mill"`);
        expect({ id: pages("e_Heat__id"), mill: pages("e_Heat__mill") }).to.deep.equal(after);
      } finally {
        store.close();
      }
    });

    it("gives back the space closed versions left out once caught up, and reads them whole", async () => {
      const store = new SqliteStore(file, model(PLAN));
      try {
        store.deferQueryIndexes();
        const ids = [...Array(200).keys()].map((i) => hex(i.toString(16).padStart(4, "0"), 32));
        for (let n = 1; n <= 12; n++) {
          const w = store.beginBlock({ number: n, hash: hex(String(n).padStart(2, "0"), 32) });
          if (n === 1) w.set("Mill", MILL, new Map([["name", { kind: "String", value: "Acme" }]]));
          // each block changes a heat's weight only: its closed versions leave the rest out
          for (const id of ids) w.set("Heat", id, new Map([...heat(1), ["kg", big(BigInt(n))]]));
          w.commit();
        }
        const pages = () =>
          Number((store.db.prepare(`SELECT count(*) AS n FROM dbstat WHERE name = 'e_Heat'`).get() as { n: number }).n);
        const leftOut = store.db.prepare(`SELECT count(*) AS n FROM "e_Heat" WHERE same_as_next IS NOT NULL`).get() as {
          n: bigint;
        };
        expect(Number(leftOut.n)).to.equal(200 * 11);
        const before = pages();
        const expected = await new QueryEngine(store).execute({
          query: `{ heats(block: { number: 5 }) { id number kg buyers } }`,
        });
        store.buildQueryIndexes();
        expect(pages()).to.be.lessThan(before * 0.9); // 43 pages to 34 when written
        // rewritten once more, the table takes no fewer pages
        store.db.exec("VACUUM");
        const after = pages();
        store.buildQueryIndexes();
        expect(pages()).to.equal(after);
        const again = await new QueryEngine(store).execute({
          query: `{ heats(block: { number: 5 }) { id number kg buyers } }`,
        });
        expect(again).to.deep.equal(expected);
        expect((again.data!.heats as { kg: string }[]).map((h) => h.kg)).to.include("5");
      } finally {
        store.close();
      }
    });

    it("keeps the id and back-reference indexes, answers the same, and builds the rest once", async () => {
      const expected = await referenceAnswer();
      expect((expected.data!.heats as unknown[]).length).to.be.greaterThan(3);

      const store = new SqliteStore(file, model(PLAN));
      try {
        write(store, 1, 3);
        store.deferQueryIndexes();
        expect(store.queryIndexesDeferred).to.equal(true);
        expect(indexNames(store)).to.deep.equal(["e_Heat__id", "e_Heat__mill"]);
        store.beginBatch();
        write(store, 4, 12);
        store.endBatch();
        expect(await new QueryEngine(store).execute({ query: QUERY })).to.deep.equal(expected);
        expect(store.buildQueryIndexes()).to.equal(true);
        expect(store.buildQueryIndexes()).to.equal(false);
        expect(store.queryIndexesDeferred).to.equal(false);
        expect(indexNames(store)).to.deep.equal(ALL_INDEXES);
        expect(await new QueryEngine(store).execute({ query: QUERY })).to.deep.equal(expected);
      } finally {
        store.close();
      }
    });

    it("keeps only the id index for a bulk load (`writes`), remembers it, and builds the rest once", async () => {
      const expected = await referenceAnswer();

      const store = new SqliteStore(file, model(PLAN));
      write(store, 1, 3);
      store.deferQueryIndexes("writes");
      expect(indexNames(store)).to.deep.equal(["e_Heat__id"]);
      write(store, 4, 8);
      store.close();
      const reopened = new SqliteStore(file, model(PLAN));
      try {
        expect(reopened.queryIndexesDeferred).to.equal(true);
        expect(indexNames(reopened)).to.deep.equal(["e_Heat__id"]);
        reopened.deferQueryIndexes(); // back to what handlers read: the back-reference index returns
        expect(indexNames(reopened)).to.deep.equal(["e_Heat__id", "e_Heat__mill"]);
        reopened.deferQueryIndexes("writes");
        write(reopened, 9, 12);
        expect(await new QueryEngine(reopened).execute({ query: QUERY })).to.deep.equal(expected);
        expect(reopened.buildQueryIndexes()).to.equal(true);
        expect(indexNames(reopened)).to.deep.equal(ALL_INDEXES);
        expect(await new QueryEngine(reopened).execute({ query: QUERY })).to.deep.equal(expected);
      } finally {
        reopened.close();
      }
    });

    it("leaves the element tables empty while waiting; list filters at the head answer the same", async () => {
      const plan = { Heat: { order: ["number"], filter: ["buyers"] } };
      const listQuery = `{ heats(where: { buyers_contains: ["${hex("03", 20)}"] }) { id number buyers } }`;
      const answer = async (f: string) => {
        const reader = new SqliteStore(f, model(plan), { readonly: true });
        try {
          const q = reader.queryStore();
          return await q.snapshot(() => new QueryEngine(reader).execute({ query: listQuery }));
        } finally {
          reader.close();
        }
      };
      const elements = (s: SqliteStore) =>
        (s.db.prepare(`SELECT count(*) AS n FROM "e_Heat__buyers"`).get() as { n: number }).n;
      const referenceFile = path.join(dir, "reference.sqlite");
      const reference = new SqliteStore(referenceFile, model(plan));
      write(reference, 1, 14);
      expect(elements(reference)).to.equal(10); // one buyer for each of the ten current heats
      reference.close();
      const expected = await answer(referenceFile);
      expect((expected.data!.heats as unknown[]).length).to.equal(1);

      const store = new SqliteStore(file, model(plan));
      try {
        write(store, 1, 3);
        store.deferQueryIndexes();
        expect(elements(store)).to.equal(0);
        write(store, 4, 14);
        expect(elements(store)).to.equal(0);
        expect(await answer(file)).to.deep.equal(expected);
        store.revertTo(12); // a revert while waiting reopens versions: still nothing to enter
        write(store, 13, 14);
        expect(elements(store)).to.equal(0);
        store.buildQueryIndexes();
        expect(elements(store)).to.equal(10);
        expect(await answer(file)).to.deep.equal(expected);
      } finally {
        store.close();
      }
    });

    it("stays without them when reopened, and commits an open write batch before dropping them", () => {
      const store = new SqliteStore(file, model(PLAN));
      store.beginBatch();
      write(store, 1, 2);
      store.deferQueryIndexes();
      write(store, 3, 4);
      store.close();
      const reopened = new SqliteStore(file, model(PLAN));
      try {
        expect(reopened.head()?.number).to.equal(4);
        expect(reopened.queryIndexesDeferred).to.equal(true);
        expect(indexNames(reopened)).to.deep.equal(["e_Heat__id", "e_Heat__mill"]);
        reopened.buildQueryIndexes();
        expect(indexNames(reopened)).to.deep.equal(ALL_INDEXES);
      } finally {
        reopened.close();
      }
    });

    it("keeps every index without an index plan (graph-node's every-column indexes serve lookups too)", () => {
      const store = new SqliteStore(file, model(null));
      try {
        const all = indexNames(store);
        expect(all.length).to.be.greaterThan(3);
        store.deferQueryIndexes();
        expect(indexNames(store)).to.deep.equal(all);
      } finally {
        store.close();
      }
    });
  });

  describe("page size", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "tt-page-store-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const pragma = (store: SqliteStore, name: string): number => Number(store.db.pragma(name, { simple: true }));

    /** Opens a store over an existing file of 4 KB pages (made by SQLite alone) and runs `check` on it. */
    function withFourKbFile(check: (store: SqliteStore) => void): void {
      const old = path.join(dir, "old.sqlite");
      const db = new Database(old);
      db.pragma("page_size = 4096");
      db.exec("CREATE TABLE other (x)");
      db.close();
      const existing = new SqliteStore(old, model(null));
      try {
        check(existing);
      } finally {
        existing.close();
      }
    }

    it("gives a new store file 8 KB pages and leaves an existing file's page size alone", () => {
      const fresh = new SqliteStore(path.join(dir, "new.sqlite"), model(null));
      expect(pragma(fresh, "page_size")).to.equal(8192);
      fresh.close();
      withFourKbFile((existing) => expect(pragma(existing, "page_size")).to.equal(4096));
    });

    // 64 MiB of the file's own pages: a cache sized before a new file took its 8 KB pages held twice the memory.
    it("sizes the page cache in the file's own pages: new, reopened, read-only and 4 KB files", () => {
      const file = path.join(dir, "new.sqlite");
      const fresh = new SqliteStore(file, model(null));
      expect(pragma(fresh, "cache_size")).to.equal((64 * 1024 * 1024) / 8192);
      fresh.close();
      for (const readonly of [false, true]) {
        const again = new SqliteStore(file, model(null), { readonly });
        try {
          expect(pragma(again, "cache_size"), readonly ? "read-only" : "reopened").to.equal((64 * 1024 * 1024) / 8192);
        } finally {
          again.close();
        }
      }
      withFourKbFile((existing) => expect(pragma(existing, "cache_size")).to.equal((64 * 1024 * 1024) / 4096));
    });
  });
});
