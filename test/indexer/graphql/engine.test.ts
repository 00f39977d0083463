import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { QueryEngine } from "../../../indexer/graphql/engine";
import { parseIndexPlan } from "../../../indexer/schema/index-plan";
import { parseSubgraphSchema } from "../../../indexer/schema/parse";
import { MemoryStore } from "../../../indexer/store/memory";
import { SqliteStore } from "../../../indexer/store/sqlite";
import type { BlockWriter, StoreValue } from "../../../indexer/store/types";
import { block, blockHash, bytes, entity, openTradeStore, storeFromSdl } from "../../helpers/store";
import { A, B, C, seedTrade } from "../../helpers/trade-data";

type Json = Record<string, unknown>;

describe("indexer/graphql QueryEngine", () => {
  let store: SqliteStore;
  let engine: QueryEngine;

  before(() => {
    store = openTradeStore();
    seedTrade(store);
    engine = new QueryEngine(store);
  });
  after(() => store.close());

  /** Runs a query that must succeed. */
  async function data(query: string, variables?: Json): Promise<Json> {
    const r = await engine.execute({ query, variables });
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return r.data as Json;
  }

  /** Runs a query that must fail; returns the first error message. */
  async function error(query: string, variables?: unknown, e: QueryEngine = engine): Promise<string> {
    const r = await e.execute({ query, variables });
    expect(r.errors, "expected errors").to.be.an("array").that.is.not.empty;
    return r.errors![0].message;
  }

  async function ids(query: string, e: QueryEngine = engine): Promise<string[]> {
    const r = await e.execute({ query });
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return (Object.values(r.data as Json)[0] as { id: string }[]).map((x) => x.id);
  }

  describe("single entities and time travel", () => {
    it("finds an entity by id at the head and at earlier blocks", async () => {
      const d = await data(`{
        now: shipment(id: "s1") { status }
        then: shipment(id: "s1", block: { number: 1 }) { status }
        byHash: shipment(id: "s1", block: { hash: "${blockHash(1)}" }) { status }
        gte: shipment(id: "s1", block: { number_gte: 2 }) { status }
        gone: shipment(id: "s4") { id }
        wasThere: shipment(id: "s4", block: { number: 2 }) { id }
        missing: shipment(id: "nope") { id }
      }`);
      expect(d).to.deep.equal({
        now: { status: "SHIPPED" },
        then: { status: "DRAFT" },
        byHash: { status: "DRAFT" },
        gte: { status: "SHIPPED" },
        gone: null,
        wasThere: { id: "s4" },
        missing: null,
      });
    });

    it("serialises every scalar as graph-node does", async () => {
      const d = await data(`{ shipment(id: "s1") {
        id reference status weightKg value containers sequence hsCodes flagged createdAt documentHash
        shipper { id } consignee { id }
      } }`);
      expect(d.shipment).to.deep.equal({
        id: "s1",
        reference: "PIPE-001",
        status: "SHIPPED",
        weightKg: "1180591620717411303424",
        value: "12.5",
        containers: 3,
        sequence: "10",
        hsCodes: ["7304", "7306"],
        flagged: false,
        createdAt: "1000",
        documentHash: "0x00ff10",
        shipper: { id: A },
        consignee: null,
      });
    });

    it("looks up Bytes ids in any case", async () => {
      const d = await data(
        `{ actor(id: "${A.toUpperCase().replace("0X", "0x")}") { name } bad: actor(id: "zz") { name } }`,
      );
      expect(d).to.deep.equal({ actor: { name: "Acme Steel AG" }, bad: null });
    });

    it("travels back in time for nested fields too", async () => {
      const d = await data(`{ shipments(block: { number: 1 }, where: { id: "s1" }) { status shipper { name } } }`);
      expect(d.shipments).to.deep.equal([{ status: "DRAFT", shipper: { name: "Acme Steel" } }]);
    });

    it("refuses blocks that are not indexed yet or unknown hashes", async () => {
      expect(await error(`{ shipments(block: { number: 9 }) { id } }`)).to.match(
        /only indexed up to block number 3 and data for block number 9/,
      );
      expect(await error(`{ shipments(block: { number_gte: 4 }) { id } }`)).to.match(/block number 4/);
      expect(await error(`{ shipments(block: { hash: "0x${"ee".repeat(32)}" }) { id } }`)).to.match(
        /no block with hash/,
      );
    });
  });

  describe("filters", () => {
    // Evaluated at block 2, when s1–s4 all exist and s1 is SHIPPED.
    const cases: [string, string[]][] = [
      [`reference: "PIPE-001"`, ["s1"]],
      [`reference_not: "PIPE-001"`, ["s2", "s3", "s4"]],
      [`reference_gt: "P"`, ["s1", "s2", "s3"]],
      [`reference_lt: "P"`, ["s4"]],
      [`reference_gte: "Steel-003"`, ["s2", "s3"]],
      [`reference_lte: "BAR-004"`, ["s4"]],
      [`reference_in: ["PIPE-001", "BAR-004"]`, ["s1", "s4"]],
      [`reference_not_in: ["PIPE-001", "BAR-004"]`, ["s2", "s3"]],
      [`reference_contains: "IPE"`, ["s1"]],
      [`reference_contains_nocase: "ipe"`, ["s1", "s2"]],
      [`reference_not_contains: "IPE"`, ["s2", "s3", "s4"]],
      [`reference_not_contains_nocase: "ipe"`, ["s3", "s4"]],
      [`reference_starts_with: "PIPE"`, ["s1"]],
      [`reference_starts_with_nocase: "pipe"`, ["s1", "s2"]],
      [`reference_not_starts_with: "PIPE"`, ["s2", "s3", "s4"]],
      [`reference_not_starts_with_nocase: "pipe"`, ["s3", "s4"]],
      [`reference_ends_with: "003"`, ["s3"]],
      [`reference_ends_with_nocase: "STEEL-003"`, ["s3"]],
      [`reference_not_ends_with: "003"`, ["s1", "s2", "s4"]],
      [`reference_not_ends_with_nocase: "bar-004"`, ["s1", "s2", "s3"]],
      [`reference_ends_with: ""`, ["s1", "s2", "s3", "s4"]],
      [`weightKg: "5"`, ["s3"]],
      [`weightKg_gt: "18446744073709551616"`, ["s1", "s2"]],
      [`weightKg_lt: "0"`, ["s4"]],
      [`weightKg_gte: 5`, ["s1", "s2", "s3"]],
      [`weightKg_lte: "5"`, ["s3", "s4"]],
      [`weightKg_in: ["5", "-36893488147419103232"]`, ["s3", "s4"]],
      [`weightKg_not_in: ["5"]`, ["s1", "s2", "s4"]],
      [`value_gt: "0"`, ["s1", "s4"]],
      [`value_lt: "0.001"`, ["s2"]],
      [`value: "12.50"`, ["s1"]],
      [`value: null`, ["s3"]],
      [`value_not: null`, ["s1", "s2", "s4"]],
      [`containers_gte: 2`, ["s1", "s3", "s4"]],
      [`containers_in: [1, 3]`, ["s1", "s2"]],
      [`containers_not: 2`, ["s1", "s2"]],
      [`sequence_lt: "0"`, ["s2"]],
      [`sequence_gt: 1000000`, ["s3"]],
      [`createdAt_gte: "3000"`, ["s3", "s4"]],
      [`flagged: true`, ["s2", "s4"]],
      [`flagged_not: true`, ["s1", "s3"]],
      [`flagged_in: [false]`, ["s1", "s3"]],
      [`flagged_not_in: [false]`, ["s2", "s4"]],
      [`status: DRAFT`, ["s4"]],
      [`status_not: DRAFT`, ["s1", "s2", "s3"]],
      [`status_in: [SHIPPED, DELIVERED]`, ["s1", "s2", "s3"]],
      [`status_not_in: [SHIPPED]`, ["s3", "s4"]],
      [`documentHash: "0x00FF10"`, ["s1"]],
      [`documentHash_contains: "0xff10"`, ["s1"]],
      [`documentHash_contains: "0xff"`, ["s1", "s3"]],
      [`documentHash_contains: "0x0ff1"`, []],
      [`documentHash_not_contains: "0xff10"`, ["s3"]],
      [`documentHash_gt: "0x0100"`, ["s3"]],
      [`id_in: ["s1", "s3"]`, ["s1", "s3"]],
      [`id_gt: "s2"`, ["s3", "s4"]],
      [`shipper: "${A}"`, ["s1", "s3"]],
      [`shipper_not: "${A}"`, ["s2", "s4"]],
      [`shipper_in: ["${B}", "${C}"]`, ["s2", "s4"]],
      [`shipper_contains: "bbbb"`, ["s2"]],
      [`shipper: "${A.toUpperCase().slice(2)}"`, ["s1", "s3"]],
      [`shipper_starts_with_nocase: "0xAA"`, ["s1", "s3"]],
      [`shipper_not_in: ["${A}"]`, ["s2", "s4"]],
      [`shipper: "not hex"`, []],
      [`certificates_contains: ["c2"]`, ["s2"]],
      [`consignee: null`, ["s1", "s3", "s4"]],
      [`hsCodes: []`, ["s3"]],
      [`hsCodes_not: ["7306"]`, ["s1", "s3", "s4"]],
      [`hsCodes_contains: ["7306"]`, ["s1", "s2"]],
      [`hsCodes_contains: ["7304", "7306"]`, ["s1"]],
      [`hsCodes_not_contains: ["7306"]`, ["s3", "s4"]],
      [`certificates_contains_nocase: ["C1"]`, ["s1", "s2"]],
      [`certificates_not_contains_nocase: ["C2"]`, ["s1", "s3", "s4"]],
      [`shipper_: { name_starts_with: "Acme" }`, ["s1", "s3"]],
      [`shipper_: { country: "US" }`, ["s2"]],
      [`consignee_: { name_contains: "Acme" }`, ["s2"]],
      [`certificates_: { origin: "US" }`, ["s2"]],
      [`events_: { status: SHIPPED }`, ["s1", "s2"]],
      [`or: [{ status: DELIVERED }, { flagged: true }]`, ["s2", "s3", "s4"]],
      [`and: [{ flagged: true }, { containers: 2 }]`, ["s4"]],
      [`flagged: false, or: [{ containers: 3 }, { containers: 2 }]`, ["s1", "s3"]],
      [`or: [{ shipper_: { country: "DE" } }, { and: [{ flagged: true }, { weightKg_lt: 0 }] }]`, ["s1", "s3", "s4"]],
    ];
    for (const [where, expected] of cases) {
      it(`where { ${where} }`, async () => {
        expect(await ids(`{ shipments(block: { number: 2 }, where: { ${where} }) { id } }`)).to.deep.equal(expected);
      });
    }

    it("filters on derived fields and derived fields through lists", async () => {
      expect(await ids(`{ actors(where: { shipments_: { status: SHIPPED } }) { id } }`)).to.deep.equal([A, B]);
      expect(await ids(`{ actors(where: { shipments_: { reference_contains: "003" } }) { id } }`)).to.deep.equal([A]);
      expect(await ids(`{ certificates(where: { shipments_: { flagged: true } }) { id } }`)).to.deep.equal([
        "c1",
        "c2",
      ]);
      expect(await ids(`{ certificates(where: { shipments_: { reference: "PIPE-001" } }) { id } }`)).to.deep.equal([
        "c1",
      ]);
    });

    it("filters on entities changed since a block", async () => {
      expect(await ids(`{ shipments(where: { _change_block: { number_gte: 2 } }) { id } }`)).to.deep.equal(["s1"]);
    });

    it("accepts filters in variables", async () => {
      const d = await data(`query($w: Shipment_filter) { shipments(where: $w) { id } }`, {
        w: { weightKg_gt: "5", hsCodes_contains: ["7306"] },
      });
      expect(d.shipments).to.deep.equal([{ id: "s1" }, { id: "s2" }]);
    });
  });

  describe("ordering and paging", () => {
    const order = async (args: string) => ids(`{ shipments(block: { number: 2 }, ${args}) { id } }`);

    it("orders BigInt values exactly beyond 2^64 and across signs", async () => {
      expect(await order(`orderBy: weightKg`)).to.deep.equal(["s4", "s3", "s2", "s1"]);
      expect(await order(`orderBy: weightKg, orderDirection: desc`)).to.deep.equal(["s1", "s2", "s3", "s4"]);
    });

    it("orders BigDecimal with nulls last", async () => {
      expect(await order(`orderBy: value`)).to.deep.equal(["s2", "s4", "s1", "s3"]);
      expect(await order(`orderBy: value, orderDirection: desc`)).to.deep.equal(["s1", "s4", "s2", "s3"]);
    });

    it("breaks ties by id in the order's direction", async () => {
      expect(await order(`orderBy: containers`)).to.deep.equal(["s2", "s3", "s4", "s1"]);
      expect(await order(`orderBy: containers, orderDirection: desc`)).to.deep.equal(["s1", "s4", "s3", "s2"]);
      expect(await order(`orderBy: status`)).to.deep.equal(["s3", "s4", "s1", "s2"]);
    });

    it("orders by a field of a referenced entity", async () => {
      expect(await order(`orderBy: shipper__name`)).to.deep.equal(["s1", "s3", "s4", "s2"]);
      expect(await order(`orderBy: shipper__name, orderDirection: desc`)).to.deep.equal(["s2", "s4", "s3", "s1"]);
      expect(await order(`orderBy: consignee__name`)).to.deep.equal(["s2", "s1", "s3", "s4"]);
    });

    it("pages with first and skip and enforces graph-node's limits", async () => {
      expect(await order(`orderBy: weightKg, first: 2, skip: 1`)).to.deep.equal(["s3", "s2"]);
      expect(await order(`first: 0`)).to.deep.equal([]);
      expect(await error(`{ shipments(first: 1001) { id } }`)).to.equal(
        "The `first` argument must be between 0 and 1000, but is 1001",
      );
      expect(await error(`{ shipments(first: -1) { id } }`)).to.match(/`first` argument must be between 0 and 1000/);
      expect(await error(`{ shipments(skip: 5001) { id } }`)).to.equal(
        "The `skip` argument must be between 0 and 5000, but is 5001",
      );
      expect(await error(`{ actor(id: "${A}") { shipments(first: 2000) { id } } }`)).to.match(/`first` argument/);
    });

    it("returns 100 entities by default and at most 1000", async () => {
      const s = storeFromSdl(`type Item @entity { id: ID! n: Int! }`);
      try {
        const w = s.beginBlock(block(1));
        for (let i = 0; i < 1005; i++)
          w.set(
            "Item",
            `i${String(i).padStart(4, "0")}`,
            new Map<string, StoreValue>([["n", { kind: "Int", value: i }]]),
          );
        w.commit();
        const e = new QueryEngine(s);
        const all = await e.execute({
          query: `{ items { id } many: items(first: 1000, orderBy: n, orderDirection: desc) { n } }`,
        });
        const d = all.data as { items: unknown[]; many: { n: number }[] };
        expect(d.items).to.have.length(100);
        expect(d.many).to.have.length(1000);
        expect(d.many[0].n).to.equal(1004);
      } finally {
        s.close();
      }
    });

    it("lets the ORDER BY index drive when the other filters match many rows", async () => {
      const s = storeFromSdl(`type Item @entity { id: ID! kind: String! n: Int! rare: Boolean! }`);
      try {
        const w = s.beginBlock(block(1));
        for (let i = 0; i < 2500; i++) {
          w.set(
            "Item",
            `i${String(i).padStart(4, "0")}`,
            new Map<string, StoreValue>([
              ["kind", { kind: "String", value: i % 10 === 0 ? "other" : "common" }],
              ["n", { kind: "Int", value: (i * 7919) % 2500 }],
              ["rare", { kind: "Bool", value: i === 1234 }],
            ]),
          );
        }
        w.commit();
        const statements: string[] = [];
        const e = new QueryEngine(s, { trace: (sql) => statements.push(sql) });
        const run = async (query: string) => {
          statements.length = 0;
          const r = await e.execute({ query });
          expect(r.errors).to.equal(undefined);
          return { data: r.data as Json, sql: statements[statements.length - 1] };
        };
        const common = await run(
          `{ items(where: { kind: "common" }, orderBy: n, orderDirection: desc, first: 3, skip: 1) { n } }`,
        );
        expect(common.sql).to.include(`+a."kind" = `);
        expect(common.data.items).to.deep.equal([{ n: 2498 }, { n: 2497 }, { n: 2496 }]);
        expect(common.sql).to.include(`ORDER BY a."n" DESC`); // walks n's index
        const other = await run(`{ items(where: { kind: "other" }, orderBy: n, first: 2) { id n } }`);
        expect(other.sql).to.not.include(`+a."kind"`);
        // kind "other" (250 rows) drives and its rows are sorted: n's index must not be walked instead
        expect(other.sql).to.include(`ORDER BY +a."n" ASC`);
        expect(other.data.items).to.deep.equal([
          { id: "i0000", n: 0 },
          { id: "i1790", n: 10 },
        ]);
        const mixed = await run(`{ items(where: { kind: "common", rare: true }, orderBy: n) { id } }`);
        // the selective filter drives; the broad one is kept off its index
        expect(mixed.sql).to.include(`+a."kind" = `);
        expect(mixed.sql).to.not.include(`+a."rare"`);
        expect(mixed.sql).to.include(`ORDER BY +a."n" ASC`);
        expect(mixed.data.items).to.deep.equal([{ id: "i1234" }]);
      } finally {
        s.close();
      }
    });
  });

  describe("index choice", () => {
    it("walks the ORDER BY index when matches are dense, or bounded by the column's own filter", async () => {
      const s = storeFromSdl(`type Item @entity { id: ID! kind: String! n: Int! }`);
      try {
        const w = s.beginBlock(block(1));
        for (let i = 0; i < 6000; i++) {
          w.set(
            "Item",
            `i${String(i).padStart(4, "0")}`,
            new Map<string, StoreValue>([
              ["kind", { kind: "String", value: i % 12 < 5 ? "a" : "b" }],
              ["n", { kind: "Int", value: i }],
            ]),
          );
        }
        w.commit();
        const statements: string[] = [];
        const e = new QueryEngine(s, { trace: (sql) => statements.push(sql) });
        const run = async (where: string) => {
          statements.length = 0;
          const r = await e.execute({
            query: `{ items(where: ${where}, orderBy: n, orderDirection: desc, first: 2) { id } }`,
          });
          expect(r.errors).to.equal(undefined);
          return { data: r.data as Json, sql: statements[statements.length - 1] };
        };
        // kind "a" (2500 rows) is narrower than n >= 0 (6000) but dense: the ORDER BY walk meets two of its
        // rows within about five, far fewer than the 2500 driving by kind would read and sort
        const narrower = await run(`{ kind: "a", n_gte: 0 }`);
        expect(narrower.sql).to.include(`+a."kind" = `);
        expect(narrower.data.items).to.deep.equal([{ id: "i5992" }, { id: "i5991" }]);
        expect(narrower.sql).to.include(`ORDER BY a."n" DESC`);
        // n >= 5000 (1000 rows) bounds the ORDER BY walk more tightly than kind "b" (3500 rows)
        const bounded = await run(`{ kind: "b", n_gte: 5000 }`);
        expect(bounded.sql).to.include(`+a."kind" = `);
        expect(bounded.data.items).to.deep.equal([{ id: "i5999" }, { id: "i5998" }]);
        expect(bounded.sql).to.include(`ORDER BY a."n" DESC`);
      } finally {
        s.close();
      }
    });
  });

  describe("index plans", () => {
    type Planned = { reader: SqliteStore; planned: SqliteStore; plain: SqliteStore; memory: MemoryStore };
    /**
     * Items `row(i)` for i < n in a store file with index plan `plan`, read through a read-only snapshot at the
     * head as the server reads (its indexes hold current versions only), and in a store without a plan, whose
     * answers (a scan and a sort) the planned store must give.
     */
    async function withPlan(
      sdl: string,
      plan: unknown,
      n: number,
      row: (i: number) => [string, StoreValue][],
      run: (s: Planned) => Promise<void>,
      /** Item i's id (`i0000`… by default), and what else the block writes. */
      ids: { item?: (i: number) => string; more?: (w: BlockWriter) => void } = {},
    ): Promise<void> {
      const schema = parseSubgraphSchema(sdl);
      schema.indexes = parseIndexPlan(plan, schema);
      const dir = mkdtempSync(path.join(tmpdir(), "tt-index-plan-"));
      const file = path.join(dir, "store.sqlite");
      const planned = new SqliteStore(file, schema);
      const plain = storeFromSdl(sdl);
      const memory = new MemoryStore(parseSubgraphSchema(sdl));
      let reader: SqliteStore | undefined;
      try {
        for (const s of [planned, plain, memory]) {
          const w = s.beginBlock(block(1));
          for (let i = 0; i < n; i++) w.set("Item", ids.item?.(i) ?? `i${String(i).padStart(4, "0")}`, new Map(row(i)));
          ids.more?.(w);
          w.commit();
        }
        reader = new SqliteStore(file, schema, { readonly: true });
        await run({ reader, planned, plain, memory });
      } finally {
        reader?.close();
        planned.close();
        plain.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }

    /** Runs `query` on the planned store's snapshot: its data, the statements it ran and the last one's plan. */
    async function answer({ reader, planned, plain, memory }: Planned, query: string) {
      const statements: { sql: string; params: unknown }[] = [];
      const e = new QueryEngine(reader, { trace: (sql, params) => statements.push({ sql, params }) });
      const got = await reader.queryStore().snapshot(() => e.execute({ query }));
      expect(got.errors).to.equal(undefined);
      const { sql, params } = statements[statements.length - 1];
      const plan = (planned.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[])
        .map((r) => r.detail)
        .join(" | ");
      expect(got.data).to.deep.equal((await new QueryEngine(plain).execute({ query })).data);
      // the store that holds no SQL at all: ids and values compared whole
      expect(got.data, `memory store: ${query}`).to.deep.equal((await new QueryEngine(memory).execute({ query })).data);
      return { data: got.data as { items: unknown[] }, statements: statements.map((x) => x.sql), sql, plan };
    }

    it("walks an equality filter's index in ORDER BY order when it holds that field next", async () => {
      const sdl = `type Item @entity { id: ID! flagged: Boolean! at: Int }`;
      const row = (i: number): [string, StoreValue][] => [
        ["flagged", { kind: "Bool", value: i % 3 === 0 }],
        ["at", i % 7 === 0 ? { kind: "Null" } : { kind: "Int", value: (i * 37) % 50 }],
      ];
      await withPlan(sdl, { Item: { order: ["at"], filter: ["flagged+at"] } }, 3000, row, async (s) => {
        for (const dir of ["asc", "desc"]) {
          const query = `{ items(where: { flagged: true }, orderBy: at, orderDirection: ${dir}, first: 40, skip: 300) { id at } }`;
          const got = await answer(s, query);
          // `flagged` drives (1000 matches) and its index yields them by at, id: nothing is sorted, nothing probed
          expect(got.sql).to.include(`ORDER BY a."at" ${dir.toUpperCase()}`);
          expect(got.statements.filter((q) => q.includes("count(*)"))).to.deep.equal([]);
          expect(got.plan).to.match(/USING (COVERING )?INDEX e_Item__flagged__at__filter/);
          expect(got.plan).to.not.include("TEMP B-TREE");
          expect(got.data.items).to.have.length(40);
        }
      });
    });

    /** Items with an arrival `at`, a window opening `opens` and a `score`, like the shipments high-risk-arrivals reads. */
    const windowSdl = `type Item @entity { id: ID! at: Int! opens: Int! score: Int! }`;
    const windowRow = (i: number): [string, StoreValue][] => [
      ["at", { kind: "Int", value: i }],
      ["opens", { kind: "Int", value: (i * 7) % 6000 }],
      ["score", { kind: "Int", value: (i * 13) % 100 }],
    ];

    it("counts a filter with the filters on the fields its index holds, and drives when they are few", async () => {
      await withPlan(windowSdl, { Item: { order: ["score"], filter: ["at+opens"] } }, 6000, windowRow, async (s) => {
        // at >= 1000 alone holds 5,000 items (a walk of score's index looked cheaper); with opens <= 300, 43
        const query = `{ items(where: { at_gte: 1000, opens_lte: 300, score_gte: 0 }, orderBy: score, orderDirection: desc, first: 5) { id score } }`;
        const got = await answer(s, query);
        expect(got.statements.some((q) => /count\(\*\).*"opens" <= .*"at" >= /.test(q))).to.equal(true);
        expect(got.sql).to.include(`ORDER BY +a."score" DESC`); // the window drives and its matches are sorted
        expect(got.data.items).to.have.length(5);
      });
    });

    it("counts the ORDER BY field's own filter with a filter index that holds it, and drives by that index", async () => {
      const plan = { Item: { order: ["score"], filter: ["at+score+opens"] } };
      await withPlan(windowSdl, plan, 6000, windowRow, async (s) => {
        // the window alone holds about 2,500 items (over the probe's cap of 2,000); with score >= 90, about 250
        const query = `{ items(where: { at_gte: 1000, opens_lte: 3000, score_gte: 90 }, orderBy: score, orderDirection: desc, first: 5) { id score } }`;
        const got = await answer(s, query);
        const probes = got.statements.filter((q) => q.includes("count(*)"));
        expect(probes).to.have.length(1); // one probe under the cap: no second round with a higher one
        expect(probes[0]).to.match(/"score" >= .*LIMIT 2000\)$/);
        expect(got.sql).to.include(`ORDER BY +a."score" DESC`); // the window drives and its matches are sorted
        expect(got.plan).to.match(/USING (COVERING )?INDEX e_Item__at__score__opens__filter/);
        expect(got.data.items.map((x) => (x as { score: number }).score)).to.deep.equal([99, 99, 99, 99, 99]);
      });
    });

    it("walks an order field's index testing the filter fields it holds on the entries", async () => {
      const sdl = `type Item @entity { id: ID! rank: Int! status: String! port: String! }`;
      const row = (i: number): [string, StoreValue][] => [
        ["rank", { kind: "Int", value: (i * 31) % 500 }],
        // 3,000 each: both filters broad, so the walk in rank order drives
        ["status", { kind: "String", value: i % 2 === 0 ? "OPEN" : "DONE" }],
        ["port", { kind: "String", value: `P${Math.floor(i / 2) % 2}` }],
      ];
      const plan = { Item: { order: ["rank+status+port"], filter: ["status", "port"] } };
      await withPlan(sdl, plan, 6000, row, async (s) => {
        const query = `{ items(where: { status_in: ["OPEN"], port: "P1" }, orderBy: rank, orderDirection: desc, first: 7, skip: 20) { id rank } }`;
        const got = await answer(s, query);
        expect(got.plan).to.match(/^SCAN a USING (COVERING )?INDEX e_Item__rank__status__port__order$/);
        expect(got.data.items).to.have.length(7);
      });
    });
    describe("Bytes values and ids that share their first 8 bytes", () => {
      // Ids, keys and owners in groups that share their first 8 bytes, some shorter than 8 bytes: a Bytes filter's
      // index and an ORDER BY index's tie-break tell them apart only by prefix, so every answer depends on the
      // whole value being compared too.
      const prefix = "0x" + "5a".repeat(8);
      const byteHex = (k: number) => k.toString(16).padStart(2, "0");
      const itemId = (i: number) =>
        i % 5 === 0 ? "0x" + byteHex(i % 256) : prefix + byteHex(i % 7) + i.toString(16).padStart(4, "0");
      const keyOf = (i: number) =>
        i % 13 === 0 ? "0x" : ["0x5a", prefix, prefix + "00", prefix + byteHex(i % 3), "0x" + "5b".repeat(9)][i % 5];
      const owners = [prefix + "01", prefix + "02", "0x" + "5a".repeat(4)];
      const sdl = `type Item @entity { id: Bytes! key: Bytes rank: Int! owner: Owner! }
        type Owner @entity { id: Bytes! picks: [Item!]! items: [Item!]! @derivedFrom(field: "owner") }`;
      const row = (i: number): [string, StoreValue][] => [
        ["key", i % 11 === 0 ? { kind: "Null" } : { kind: "Bytes", value: Buffer.from(keyOf(i).slice(2), "hex") }],
        ["rank", { kind: "Int", value: i % 4 }],
        ["owner", { kind: "Bytes", value: Buffer.from(owners[i % 3].slice(2), "hex") }],
      ];
      const setup = {
        item: itemId,
        more: (w: BlockWriter) => {
          // each owner picks two items whose ids share their first 8 bytes with every other long id
          owners.forEach((o, k) => {
            const picks = [itemId(1 + k), itemId(8 + k)].map((id): StoreValue => ({
              kind: "Bytes",
              value: Buffer.from(id.slice(2), "hex"),
            }));
            w.set("Owner", o, new Map<string, StoreValue>([["picks", { kind: "Array", value: picks }]]));
          });
        },
      };
      const plan = { Item: { order: ["rank"], filter: ["key"] } };
      const withItems = (run: (s: Planned) => Promise<void>) => withPlan(sdl, plan, 300, row, run, setup);

      it("answers every comparison of a Bytes filter as a store holding whole values does, through the prefix", async () => {
        await withItems(async (s) => {
          const probes = [
            "0x",
            "0x5a",
            prefix,
            prefix + "00",
            prefix + "01",
            prefix + "ff",
            "0x5a5a5a5a5a5a5a5b",
            "0x5b",
          ];
          for (const op of ["", "_not", "_gt", "_lt", "_gte", "_lte"]) {
            for (const v of probes) {
              const query = `{ items(where: { key${op}: "${v}" }, orderBy: rank, orderDirection: desc, first: 1000) { id key rank } }`;
              const got = await answer(s, query);
              if (op === "" && v === prefix) expect(got.plan).to.match(/USING INDEX e_Item__key_p8__filter/);
            }
          }
          // ids that share their first 8 bytes, looked up, filtered and ranged on
          const ids = [itemId(1), itemId(8), itemId(5), prefix + "00"];
          await answer(s, `{ items(where: { id_in: ${JSON.stringify(ids)} }, orderBy: id) { id } }`);
          for (const op of ["", "_gt", "_lte"])
            await answer(s, `{ items(where: { id${op}: "${itemId(8)}" }, first: 1000) { id } }`);
          const one = await answer(s, `{ item(id: "${itemId(8)}") { id rank } a: item(id: "${prefix}") { id } }`);
          expect((one.data as unknown as { item: { id: string } }).item.id).to.equal(itemId(8));
          await answer(s, `{ items(orderBy: id, orderDirection: desc, first: 50, skip: 20) { id } }`);
          for (const list of [
            [prefix, "0x5a"],
            [prefix + "01", prefix + "02", "0x5b"],
          ]) {
            for (const op of ["_in", "_not_in"]) {
              await answer(s, `{ items(where: { key${op}: ${JSON.stringify(list)} }, first: 1000) { id key } }`);
            }
          }
        });
      });

      it("orders by a field and then the id, ties broken by the whole id past the prefix", async () => {
        await withItems(async (s) => {
          for (const dir of ["asc", "desc"]) {
            const got = await answer(
              s,
              `{ items(orderBy: rank, orderDirection: ${dir}, first: 60, skip: 50) { id rank } }`,
            );
            expect(got.plan).to.match(/USING INDEX e_Item__rank_p8__order/);
            expect(got.data.items).to.have.length(60);
          }
        });
      });

      it("follows a back-reference to the owners' own items only, and ids looked up whole", async () => {
        await withItems(async (s) => {
          s.planned.queryStore(); // registers the SQL functions the plan of a nested filter names
          const got = await answer(s, `{ owners(orderBy: id) { id items(first: 1000, orderBy: rank) { id rank } } }`);
          const counts = (got.data as unknown as { owners: { items: unknown[] }[] }).owners.map((o) => o.items.length);
          expect(counts).to.deep.equal([100, 100, 100]);
          const picked = await answer(
            s,
            `{ owners(orderBy: id) { id picks(orderBy: id) { id rank } one: picks(where: { rank: 1 }) { id } } }`,
          );
          const picks = (picked.data as unknown as { owners: { picks: unknown[] }[] }).owners.map(
            (o) => o.picks.length,
          );
          expect(picks).to.deep.equal([2, 2, 2]);
          await answer(s, `{ items(where: { owner_: { id_in: ["${owners[0]}"] } }, first: 1000) { id } }`);
          await answer(s, `{ owners(where: { items_: { rank: 3 } }) { id } }`);
          // item 1 is owner 1's; owner 0's id shares its first 8 bytes
          const one = await answer(s, `{ owners(where: { items_: { id: "${itemId(1)}" } }) { id } }`);
          expect(one.data).to.deep.equal({ owners: [{ id: owners[1] }] });
        });
      });
    });
  });

  describe("column projection", () => {
    it("reads only the selected columns and the same answer comes back through fragments", async () => {
      const statements: string[] = [];
      const e = new QueryEngine(store, { trace: (sql) => statements.push(sql) });
      const plain = await e.execute({ query: `{ shipments(orderBy: id) { id status } }` });
      expect(plain.errors).to.equal(undefined);
      expect(statements[0]).to.match(/^SELECT a\."id", a\."status" FROM/);
      statements.length = 0;
      const viaFragments = await e.execute({
        query: `{ shipments(orderBy: id) { id ...S ... on Shipment { status } } } fragment S on Shipment { status }`,
      });
      expect(viaFragments.data).to.deep.equal(plain.data);
      expect(statements[0]).to.match(/^SELECT a\."id", a\."status" FROM/);
    });
  });

  describe("references and derived fields", () => {
    it("resolves derived fields by reverse lookup, with arguments", async () => {
      const d = await data(`{ actor(id: "${A}") {
        shipments { id }
        certificates { id }
        heaviest: shipments(orderBy: weightKg, orderDirection: desc, first: 1) { id }
        delivered: shipments(where: { status: DELIVERED }) { id }
        skipped: shipments(skip: 1) { id }
      } }`);
      expect(d.actor).to.deep.equal({
        shipments: [{ id: "s1" }, { id: "s3" }],
        certificates: [{ id: "c1" }],
        heaviest: [{ id: "s1" }],
        delivered: [{ id: "s3" }],
        skipped: [{ id: "s3" }],
      });
    });

    it("pages derived fields per parent", async () => {
      const d = await data(`{ actors(orderBy: id) { id shipments(first: 1, orderBy: weightKg) { id } } }`);
      expect(d.actors).to.deep.equal([
        { id: A, shipments: [{ id: "s3" }] },
        { id: B, shipments: [{ id: "s2" }] },
        { id: C, shipments: [] },
      ]);
    });

    it("looks derived and listed references up by the parents' ids, not through a filter's index", async () => {
      const statements: string[] = [];
      const e = new QueryEngine(store, { trace: (sql) => statements.push(sql) });
      const r = await e.execute({
        query: `{ actor(id: "${A}") { delivered: shipments(where: { status: DELIVERED }) { id } } }`,
      });
      expect(r.errors).to.equal(undefined);
      expect(r.data).to.deep.equal({ actor: { delivered: [{ id: "s3" }] } });
      const lookup = statements.find((sql) => sql.includes("PARTITION BY"))!;
      expect(lookup).to.include(`+a."status" = `);
      statements.length = 0;
      const l = await e.execute({
        query: `{ shipment(id: "s2") { us: certificates(where: { origin: "US" }) { id } } }`,
      });
      expect(l.data).to.deep.equal({ shipment: { us: [{ id: "c2" }] } });
      expect(statements.find((sql) => sql.includes(`"origin"`))).to.include(`+a."origin" = `);
    });

    it("resolves stored lists of references and derived fields through them", async () => {
      const d = await data(`{
        shipment(id: "s2") {
          certificates { id origin }
          us: certificates(where: { origin: "US" }) { id }
          firstOne: certificates(first: 1, orderBy: origin, orderDirection: desc) { id }
          events { id status }
        }
        certificate(id: "c1") { shipments { id } issuer { name } }
      }`);
      expect(d).to.deep.equal({
        shipment: {
          certificates: [
            { id: "c1", origin: "DE" },
            { id: "c2", origin: "US" },
          ],
          us: [{ id: "c2" }],
          firstOne: [{ id: "c2" }],
          events: [{ id: "e3", status: "SHIPPED" }],
        },
        certificate: { shipments: [{ id: "s1" }, { id: "s2" }], issuer: { name: "Acme Steel AG" } },
      });
    });

    it("resolves nested levels for many parents", async () => {
      const d = await data(`{ shipments { id shipper { name shipments { id events { id } } } } }`);
      const byId = Object.fromEntries((d.shipments as { id: string; shipper: Json }[]).map((s) => [s.id, s.shipper]));
      expect(byId.s3).to.deep.equal({
        name: "Acme Steel AG",
        shipments: [
          { id: "s1", events: [{ id: "e1" }, { id: "e2" }] },
          { id: "s3", events: [] },
        ],
      });
      expect(byId.s2).to.deep.equal({ name: "beta pipes", shipments: [{ id: "s2", events: [{ id: "e3" }] }] });
    });
  });

  describe("interfaces", () => {
    it("queries every implementation with fragments", async () => {
      const d = await data(`{ documents(orderBy: issuedAt) {
        __typename id issuedAt issuer { name }
        ... on Certificate { origin }
        ... on MillReport { heatNumber }
      } }`);
      expect(d.documents).to.deep.equal([
        { __typename: "Certificate", id: "c1", issuedAt: "100", issuer: { name: "Acme Steel AG" }, origin: "DE" },
        { __typename: "MillReport", id: "m1", issuedAt: "150", issuer: { name: "Acme Steel AG" }, heatNumber: "H1" },
        { __typename: "Certificate", id: "c2", issuedAt: "200", issuer: { name: "beta pipes" }, origin: "US" },
      ]);
    });

    it("filters interfaces and finds one by id", async () => {
      expect(await ids(`{ documents(where: { issuer: "${A}" }) { id } }`)).to.deep.equal(["c1", "m1"]);
      const d = await data(`{ document(id: "m1") { __typename ... on MillReport { heatNumber } } }`);
      expect(d.document).to.deep.equal({ __typename: "MillReport", heatNumber: "H1" });
    });
  });

  describe("_meta", () => {
    it("reports the head, the deployment and indexing errors", async () => {
      const d = await data(`{ _meta { block { number hash timestamp parentHash } deployment hasIndexingErrors } }`);
      expect(d._meta).to.deep.equal({
        block: { number: 3, hash: blockHash(3), timestamp: block(3).timestamp, parentHash: blockHash(2) },
        deployment: store.deployment(),
        hasIndexingErrors: false,
      });
      expect(store.deployment()).to.match(/^embedded-[0-9a-f]{16}$/);
      const old = await data(`{ _meta(block: { number: 1 }) { block { number hash } } }`);
      expect(old._meta).to.deep.equal({ block: { number: 1, hash: blockHash(1) } });
      store.setFailure({ message: "handler failed", handler: "handleX", block: block(4) });
      try {
        expect((await data(`{ _meta { hasIndexingErrors } }`))._meta).to.deep.equal({ hasIndexingErrors: true });
      } finally {
        store.setFailure(null);
      }
      expect((await data(`{ _meta { hasIndexingErrors } }`))._meta).to.deep.equal({ hasIndexingErrors: false });
    });

    it("answers for an empty store", async () => {
      const s = storeFromSdl(`type Item @entity { id: ID! }`);
      try {
        const r = await new QueryEngine(s).execute({ query: `{ items { id } _meta { block { number hash } } }` });
        expect(r).to.deep.equal({ data: { items: [], _meta: { block: { number: 0, hash: null } } } });
      } finally {
        s.close();
      }
    });
  });

  describe("generated schema", () => {
    it("names root fields like graph-node and exposes the filter and order types", () => {
      const sdl = engine.sdl;
      expect(sdl).to.include("shipmentEvents(skip: Int = 0, first: Int = 100, orderBy: ShipmentEvent_orderBy");
      expect(sdl).to.include("actor(id: ID!, block: Block_height");
      expect(sdl).to.match(/input Shipment_filter \{[^}]*weightKg_not_in: \[BigInt!\][^}]*\}/);
      expect(sdl).to.match(/input Shipment_filter \{[^}]*shipper_: Actor_filter[^}]*\}/);
      expect(sdl).to.match(/input Actor_filter \{[^}]*shipments_: Shipment_filter[^}]*\}/);
      expect(sdl).to.match(/enum Shipment_orderBy \{[^}]*shipper__name[^}]*\}/);
      expect(sdl).to.match(/enum Shipment_orderBy \{[^}]*hsCodes[^}]*\}/);
      expect(sdl).to.not.match(/enum Shipment_orderBy \{[^}]*shipper__shipments[^}]*\}/);
      expect(sdl).to.match(/input Shipment_filter \{[^}]*shipper_starts_with_nocase: String[^}]*\}/);
      expect(sdl).to.match(/input Shipment_filter \{[^}]*certificates_contains: \[String!\][^}]*\}/);
      expect(sdl).to.match(/input Actor_filter \{[^}]*id_contains: Bytes[^}]*\}/);
    });

    it("answers an interface nobody implements with nothing", async () => {
      const s = storeFromSdl(`interface Thing { id: ID! size: Int! } type Item @entity { id: ID! }`);
      try {
        const r = await new QueryEngine(s).execute({
          query: `{ things(where: { size_gt: 1 }, orderBy: size) { id } thing(id: "x") { id } }`,
        });
        expect(r).to.deep.equal({ data: { things: [], thing: null } });
      } finally {
        s.close();
      }
    });

    it("pluralises irregular and uncountable names and camel-cases acronyms", () => {
      const s = storeFromSdl(`
        type Person @entity { id: ID! }
        type Series @entity { id: ID! }
        type Category @entity { id: ID! }
        type Address @entity { id: ID! }
        type CBPHold @entity { id: ID! }
        type WatchEntry @entity { id: ID! }
      `);
      try {
        const sdl = new QueryEngine(s).sdl;
        const fields = [
          "people(",
          "series_collection(",
          "categories(",
          "addresses(",
          "cbpHold(",
          "cbpHolds(",
          "watchEntries(",
        ];
        for (const f of fields) expect(sdl).to.include(f);
      } finally {
        s.close();
      }
    });
  });

  describe("malformed queries", () => {
    it("answers with errors, never by throwing", async () => {
      expect(await error(`{ shipments { id `)).to.match(/Syntax Error/);
      expect(await error(`{ nope }`)).to.match(/Cannot query field "nope"/);
      expect(await error(`{ shipments(first: "x") { id } }`)).to.match(/Int cannot represent/);
      expect(await error(`{ shipments(where: { weightKg_gt: "abc" }) { id } }`)).to.match(/BigInt must be an integer/);
      expect(await error(`{ shipments(where: { value: "1.2.3" }) { id } }`)).to.match(/invalid BigDecimal/);
      expect(await error(`{ shipments(where: { documentHash: "0xabc" }) { id } }`)).to.match(
        /Bytes must be 0x-prefixed hex/,
      );
      expect(await error(`{ shipments(where: { sequence: "99999999999999999999" }) { id } }`)).to.match(/out of range/);
      expect(await error(`query($n: Int) { shipments(first: $n) { id } }`, { n: "many" })).to.match(
        /Int cannot represent/,
      );
      expect(await error(`mutation { x }`)).to.match(/Schema is not configured to execute mutation/);
      expect(await error(`{ shipments(orderBy: hsCodes) { id } }`)).to.match(/cannot order Shipment by `hsCodes`/);
      expect(await error(`{ actors(orderBy: shipments) { id } }`)).to.match(/cannot order Actor by `shipments`/);
      expect(await error(`{ shipments(orderBy: nope) { id } }`)).to.match(/does not exist in "Shipment_orderBy"/);
    });

    it("parses custom scalars from variables and rejects bad ones", async () => {
      const q = `query($b: BigInt, $d: BigDecimal, $x: Bytes) {
        shipments(orderBy: id, where: { weightKg_gte: $b, value_gt: $d, documentHash_not: $x }) { id } }`;
      expect((await data(q, { b: 5, d: 0, x: "0x00FF10" })).shipments).to.deep.equal([]);
      expect((await data(q, { b: "5", d: "-10", x: "0x10ff00" })).shipments).to.deep.equal([{ id: "s1" }]);
      expect(await error(q, { b: 1.5 })).to.match(/BigInt must be an integer/);
      expect(await error(q, { d: { v: 1 } })).to.match(/BigDecimal must be a string/);
      expect(await error(q, { d: "1..2" })).to.match(/invalid BigDecimal/);
      expect(await error(q, { x: "xyz" })).to.match(/Bytes must be 0x-prefixed hex/);
      expect(await error(`{ shipments(where: { weightKg: 1.5 }) { id } }`)).to.match(
        /BigInt must be an integer or a string/,
      );
      expect(await error(`{ shipments(where: { value: true }) { id } }`)).to.match(/BigDecimal must be a string/);
      expect(await error(`{ shipments(where: { documentHash: 12 }) { id } }`)).to.match(/Bytes must be a hex string/);
      expect(await error(`{ shipments(block: { number: -1 }) { id } }`)).to.match(/must not be negative/);
    });

    it("rejects requests without a query string or with bad variables", async () => {
      for (const bad of [undefined, 42, "", {}]) {
        const r = await engine.execute({ query: bad });
        expect(r.errors![0].message).to.match(/no `query` string/);
      }
      const r = await engine.execute({ query: `{ shipments { id } }`, variables: [1] });
      expect(r.errors![0].message).to.match(/`variables` must be an object/);
      const o = await engine.execute({ query: `{ shipments { id } }`, operationName: 5 });
      expect(o.errors![0].message).to.match(/`operationName` must be a string/);
    });

    it("limits query depth", async () => {
      let q = "id";
      for (let i = 0; i < 15; i++) q = `shipments { shipper { ${q} } }`;
      expect(await error(`{ actors { ${q} } }`)).to.match(/nested \d+ levels deep; at most 24/);
      expect(await error(`query { ...F } fragment F on Query { ...F }`)).to.match(
        /Cannot spread fragment "F" within itself/,
      );
    });

    it("abandons queries past the time limit and the row limit", async () => {
      const slow = new QueryEngine(store, { timeoutMs: -1 });
      expect(await error(`{ shipments { id } }`, undefined, slow)).to.match(/timed out/);
      const small = new QueryEngine(store, { maxRows: 4 });
      expect(await error(`{ shipments { id } }`, undefined, new QueryEngine(store, { maxRows: 2 }))).to.match(
        /more than 2 entities/,
      );
      const nested = await small.execute({
        query: `{ shipments(first: 3) { id shipper { name } consignee { name } } }`,
      });
      expect(nested.errors!.map((e) => e.message)).to.deep.equal(["query loads more than 4 entities; narrow it down"]);
    });
  });

  describe("consistency while indexing", () => {
    it("reads all levels of one query at the head it started with", async () => {
      const s = openTradeStore();
      try {
        seedTrade(s);
        const e = new QueryEngine(s);
        const pending = e.execute({ query: `{ actors(orderBy: id) { id shipments { id } } }` });
        // The nested level runs after this commit; it must still read block 3.
        const w = s.beginBlock(block(4));
        w.set("Shipment", "s3", entity({ shipper: bytes(B) }));
        w.commit();
        const r = await pending;
        expect((r.data as { actors: unknown[] }).actors).to.deep.equal([
          { id: A, shipments: [{ id: "s1" }, { id: "s3" }] },
          { id: B, shipments: [{ id: "s2" }] },
          { id: C, shipments: [] },
        ]);
        expect(await ids(`{ shipments(where: { shipper: "${B}" }) { id } }`, e)).to.deep.equal(["s2", "s3"]);
      } finally {
        s.close();
      }
    });
  });
});
