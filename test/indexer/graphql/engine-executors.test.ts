/**
 * The engine's two executors give the same JSON text for every request: the lean one (the default) and
 * graphql-js's `execute`, over the trade data set (every field kind, time travel, failures), over an
 * aggregation season, and over the real subgraph schema with its saved queries and a few hundred seeded
 * mutations of them.
 */
import { expect } from "chai";
import path from "node:path";
import { QueryEngine, type GraphQLRequest, type QueryEngineOptions } from "../../../indexer/graphql/engine";
import { loadSubgraphSchema } from "../../../indexer/schema/parse";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { savedQuery, savedQueryNames } from "../../../scripts/season/report";
import { AGG_SDL, A as AGG_A, D, season } from "../../helpers/aggregation-schema";
import { Prng } from "../../helpers/prng";
import { mutate, randomVariables, tokens } from "../../helpers/query-mutator";
import { fillStore, fillerId } from "../../helpers/schema-filler";
import { addr, blockHash, block, bytes, entity, openTradeStore, shipment, str } from "../../helpers/store";
import { A, B, seedTrade } from "../../helpers/trade-data";

type Json = Record<string, unknown>;

/** Answers `req` with both executors over `store`; asserts the same JSON text and returns it parsed. */
class Pair {
  readonly lean: QueryEngine;
  readonly reference: QueryEngine;

  constructor(store: SqliteStore, options: QueryEngineOptions = {}) {
    this.lean = new QueryEngine(store, options);
    this.reference = new QueryEngine(store, { ...options, executor: "graphql-js" });
  }

  async same(req: GraphQLRequest): Promise<Json> {
    const lean = JSON.stringify(await this.lean.execute(req));
    const reference = JSON.stringify(await this.reference.execute(req));
    expect(lean, `${String(req.query)}\n${JSON.stringify(req.variables)}`).to.equal(reference);
    return JSON.parse(lean) as Json;
  }
}

const paths = (r: Json): unknown[] => ((r.errors ?? []) as Json[]).map((e) => e.path);

describe("indexer/graphql QueryEngine executors", () => {
  describe("over the trade data set", () => {
    let store: SqliteStore;
    let pair: Pair;
    let strict: Pair;
    const same = (query: string, variables?: Json, operationName?: string) =>
      pair.same({ query, variables, operationName });

    before(() => {
      store = openTradeStore();
      seedTrade(store);
      // Block 4: s5 names a shipper that was never written (a non-null reference to nothing) and a consignee
      // that was never written either (a nullable one).
      const w = store.beginBlock(block(4));
      w.set("Shipment", "s5", shipment(addr("dd"), { consignee: bytes(addr("ee")) }));
      w.commit();
      pair = new Pair(store);
      // Four shipments at the head: a query of them may read one more row.
      strict = new Pair(store, { maxRows: 4 });
    });
    after(() => store.close());

    it("answers scalars of every kind, enums and single references, present and absent", async () => {
      const r = await same(`{ shipments(block: { number: 3 }, orderBy: id) {
        id reference status weightKg value containers sequence hsCodes flagged createdAt documentHash
        shipper { id name country roles } consignee { id name } } }`);
      expect(r.errors).to.equal(undefined);
      const rows = (r.data as Json).shipments as Json[];
      expect(rows.map((s) => s.id)).to.deep.equal(["s1", "s2", "s3"]);
      expect(rows[1]).to.deep.include({ status: "SHIPPED", consignee: { id: A, name: "Acme Steel AG" } });
      expect(rows[0].consignee).to.equal(null);
    });

    it("answers derived lists and lists of references with paging, filters and order, through variables", async () => {
      const r = await same(
        `query ($n: Int, $dir: OrderDirection, $origin: String) {
          actors(orderBy: name) {
            name
            shipments(first: $n, orderBy: reference, orderDirection: $dir) { reference events { status } }
            all: shipments { id }
            certificates(where: { origin: $origin }) { id shipments(orderBy: id) { id } }
          }
          shipment(id: "s2") { certificates(orderBy: origin, orderDirection: desc) { id origin issuer { name } }
            first: certificates(first: 1, skip: 1) { id } }
        }`,
        { n: 1, dir: "desc", origin: "DE" },
      );
      expect(r.errors).to.equal(undefined);
      const s2 = (r.data as Json).shipment as Json;
      expect((s2.certificates as Json[]).map((c) => c.origin)).to.deep.equal(["US", "DE"]);
      expect(s2.first).to.deep.equal([{ id: "c2" }]);
    });

    it("answers aliases, named and inline fragments, interfaces, directives and __typename", async () => {
      const r = await same(
        `query Docs($skip: Boolean!) {
          __typename
          documents(orderBy: id) { __typename id ...Issued ... on Certificate { origin } ... on MillReport { heatNumber } }
          a: shipment(id: "s1") { t: __typename ref: reference ...S again: reference @skip(if: $skip) }
          b: shipment(id: "s1", block: { number: 1 }) { ... { status } status @include(if: $skip) }
          document(id: "m1") { ... on MillReport { heatNumber issuer { name } } }
        }
        fragment Issued on Document { issuedAt issuer { id __typename } }
        fragment S on Shipment { status shipper { ... on Actor { name } } }`,
        { skip: true },
      );
      expect(r.errors).to.equal(undefined);
      const d = r.data as Json;
      expect((d.documents as Json[]).map((x) => x.__typename)).to.deep.equal([
        "Certificate",
        "Certificate",
        "MillReport",
      ]);
      expect(d.a).to.deep.equal({
        t: "Shipment",
        ref: "PIPE-001",
        status: "SHIPPED",
        shipper: { name: "Acme Steel AG" },
      });
      expect(d.b).to.deep.equal({ status: "DRAFT" });
    });

    it("travels in time by number, hash and number_gte, and answers _meta", async () => {
      const r = await same(`{ n: actor(id: "${A}", block: { number: 1 }) { name shipments { id status } }
        h: actors(block: { hash: "${blockHash(2)}" }, orderBy: name) { name }
        g: shipments(block: { number_gte: 1 }, where: { flagged: true }) { id }
        _meta { block { number hash timestamp parentHash } deployment hasIndexingErrors } }`);
      expect(r.errors).to.equal(undefined);
      expect(((r.data as Json).n as Json).name).to.equal("Acme Steel");
    });

    it("fails a non-null reference to nothing up to data: null, and nulls a nullable one", async () => {
      const r = await same(`{ shipments(where: { id: "s5" }) { id consignee { id } shipper { id } } }`);
      expect(r.data).to.equal(null);
      expect(paths(r)).to.deep.equal([["shipments", 0, "shipper"]]);
      const nullable = await same(`{ shipment(id: "s5") { consignee { id } } }`);
      expect(nullable).to.deep.equal({ data: { shipment: { consignee: null } } });
    });

    it("answers the other root fields when one fails, and reports each failing nested field at its path", async () => {
      const r = await same(`{ late: shipment(id: "s1", block: { number: 99 }) { id }
        ok: shipment(id: "s1") { id events(first: 5000) { id } }
        bad: actors(first: -1) { id }
        actor(id: "${B}") { name shipments(skip: 99999) { id } } }`);
      expect(r.data).to.equal(null); // `actors` is non-null
      const partial = await same(`{ late: shipment(id: "s1", block: { number: 99 }) { id }
        ok: shipment(id: "s1") { id events(first: 5000) { id } } fine: shipment(id: "s2") { id } }`);
      expect(paths(partial)).to.deep.equal([["late"], ["ok", "events"]]);
      expect((partial.data as Json).fine).to.deep.equal({ id: "s2" });
    });

    it("reports a failed batched read once, however many siblings needed it", async () => {
      // s2's and s5's consignees are read together, and fail together.
      const nullable = await strict.same({ query: `{ shipments(orderBy: id) { id consignee { name } } }` });
      expect(paths(nullable)).to.deep.equal([["shipments", 1, "consignee"]]);
      expect(((nullable.data as Json).shipments as Json[]).map((s) => s.consignee)).to.deep.equal([
        null,
        null,
        null,
        null,
      ]);
      const r = await strict.same({ query: `{ shipments(block: { number: 3 }) { id shipper { name } } }` });
      expect(r.data).to.equal(null);
    });

    it("reports request errors: variables, operations, unknown fields", async () => {
      for (const [query, variables, operationName] of [
        [`query ($n: Int!) { shipments(first: $n) { id } }`, {}, undefined],
        [`query ($n: Int!) { shipments(first: $n) { id } }`, { n: "many" }, undefined],
        [`query A { shipments { id } } query B { actors { id } }`, {}, undefined],
        [`query A { shipments { id } } query B { actors { name } }`, {}, "B"],
        [`query A { shipments { id } }`, {}, "C"],
        [`{ shipments { nope } }`, {}, undefined],
        [`mutation { shipments { id } }`, {}, undefined],
      ] as const) {
        const r = await same(query, variables, operationName);
        if (operationName !== "B") expect(r.errors, query).to.be.an("array").that.is.not.empty;
      }
    });

    it("leaves introspection to graphql-js and answers it", async () => {
      const r = await same(`{ __schema { queryType { name } } __type(name: "Status") { enumValues { name } } }`);
      expect((r.data as Json).__type).to.deep.equal({
        enumValues: [{ name: "DRAFT" }, { name: "SHIPPED" }, { name: "DELIVERED" }],
      });
    });
  });

  it("answers aggregations alike", async () => {
    const store = SqliteStore.fromSdl(":memory:", AGG_SDL);
    const w = store.beginBlock({ number: 0, hash: blockHash(0), timestamp: D - 100 });
    w.set("Actor", AGG_A, entity({ name: str("A") }));
    w.commit();
    season(store);
    const pair = new Pair(store);
    const r = await pair.same({
      query: `{ exporterTonnages(interval: "hour", where: { exporter: "${AGG_A}" }) { id timestamp kg lines exporter { id name } }
        d: meltCountryTonnages(interval: day, current: include) { totalKg }
        bad: allTonnages(interval: day) { id } }`,
    });
    expect(paths(r)).to.deep.equal([["bad"]]);
    store.close();
  });

  describe("over the subgraph schema", function () {
    this.timeout(120_000);
    let store: SqliteStore;
    let pair: Pair;
    const VARIABLES: Record<string, Json> = {
      "high-risk-arrivals": { now: "5000" },
      "party-shipments": { party: fillerId("Bytes", "Actor", 1) },
      "pipe-lineage": { id: fillerId("Bytes", "MillTestReport", 3) },
    };

    before(() => {
      store = new SqliteStore(
        ":memory:",
        loadSubgraphSchema(path.resolve(__dirname, "../../../subgraph/schema.graphql")),
      );
      fillStore(store, 20, 3);
      pair = new Pair(store);
    });
    after(() => store.close());

    it("answers every saved query alike", async () => {
      for (const name of savedQueryNames()) {
        const r = await pair.same({ query: savedQuery(name), variables: VARIABLES[name] ?? {} });
        expect(r.data, name).to.not.equal(undefined);
      }
    });

    it("answers 2000 seeded mutations of the saved queries alike", async () => {
      const rng = new Prng(0x1ea7);
      const bases = savedQueryNames().map((n) => ({ name: n, toks: tokens(savedQuery(n)) }));
      const names = [...new Set(bases.flatMap((b) => b.toks.filter((t) => /^[A-Za-z_]\w*$/.test(t))))];
      let withData = 0;
      let withErrors = 0;
      for (let i = 0; i < 2000; i++) {
        const base = rng.pick(bases);
        const req = {
          query: mutate(base.toks, names, rng),
          variables: randomVariables(rng, VARIABLES[base.name] ?? {}),
        };
        const r = await pair.same(req);
        if (r.data) withData++;
        if (r.errors) withErrors++;
      }
      // The mutations must reach execution often enough to compare executors, not only the validator.
      console.log(`      ${withData} with data, ${withErrors} with errors`);
      expect(withData).to.be.greaterThan(100);
      expect(withErrors).to.be.greaterThan(100);
    });
  });
});
