import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AccessPolicy } from "../../../indexer/graphql/access/policy";
import { QueryEngine } from "../../../indexer/graphql/engine";
import { parseServeArgs, serve } from "../../../indexer/graphql/serve";
import { GraphQLServer } from "../../../indexer/graphql/server";
import type { SqliteStore } from "../../../indexer/store/sqlite";
import { bearer, call } from "../../helpers/http";
import { writeApiKeyFile } from "../../helpers/graphql-auth";
import { TRADE_SCHEMA, openTradeStore } from "../../helpers/store";
import { seedTrade } from "../../helpers/trade-data";

describe("indexer/graphql GraphQLServer", () => {
  let store: SqliteStore;
  let server: GraphQLServer;
  let port: number;
  let keyDir: string;
  let access: AccessPolicy;
  let auth: Record<string, string>;
  const subgraph = "/subgraphs/name/tradetrace/customs";

  before(async () => {
    store = openTradeStore();
    seedTrade(store);
    keyDir = mkdtempSync(path.join(tmpdir(), "tt-server-"));
    const keys = writeApiKeyFile(keyDir);
    auth = bearer(keys.key);
    access = new AccessPolicy({ apiKeysFile: keys.file });
    server = new GraphQLServer({ subgraphs: { "tradetrace/customs": new QueryEngine(store) }, port: 0, access });
    const started = await server.start();
    port = started.port;
    expect(started.url).to.equal(`http://127.0.0.1:${port}`);
  });
  after(async () => {
    await server.stop();
    store.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  const post = (body: unknown, p = subgraph) =>
    call(port, "POST", p, typeof body === "string" ? body : JSON.stringify(body), {
      "Content-Type": "application/json",
      ...auth,
    });

  it("answers POSTed queries with variables and an operation name", async () => {
    const r = await post({
      query: `query A($id: ID!) { shipment(id: $id) { reference } } query B { _meta { block { number } } }`,
      variables: { id: "s2" },
      operationName: "A",
    });
    expect(r.status).to.equal(200);
    expect(r.type).to.match(/^application\/json/);
    expect(JSON.parse(r.body)).to.deep.equal({ data: { shipment: { reference: "pipe-002" } } });
  });

  it("answers GET queries from the query string", async () => {
    const q = encodeURIComponent(`query($n: Int) { shipments(first: $n, orderBy: id) { id } }`);
    const v = encodeURIComponent(JSON.stringify({ n: 2 }));
    const r = await call(port, "GET", `${subgraph}?query=${q}&variables=${v}`, undefined, auth);
    expect(r.status).to.equal(200);
    expect(JSON.parse(r.body)).to.deep.equal({ data: { shipments: [{ id: "s1" }, { id: "s2" }] } });
  });

  it("reports query errors as GraphQL errors with status 200", async () => {
    const r = await post({ query: `{ shipments(first: 5000) { id } }` });
    expect(r.status).to.equal(200);
    const body = JSON.parse(r.body) as { errors: { message: string }[] };
    expect(body.errors[0].message).to.match(/`first` argument must be between 0 and 1000/);
    expect(r.body).to.not.match(/at .*\.ts:\d+/);
  });

  it("rejects bad requests with JSON errors and no stack trace", async () => {
    const bad = await post("{not json");
    expect(bad.status).to.equal(400);
    expect(JSON.parse(bad.body).errors[0].message).to.match(/not valid JSON/);
    const arr = await post("[1]");
    expect(arr.status).to.equal(400);
    const badVars = await call(port, "GET", `${subgraph}?query=%7Bx%7D&variables=%7B`, undefined, auth);
    expect(badVars.status).to.equal(400);
    const missing = await post({ query: "{ shipments { id } }" }, "/subgraphs/name/other");
    expect(missing.status).to.equal(404);
    expect(JSON.parse(missing.body).errors[0].message).to.match(/subgraph `other` not found/);
    const malformed = await call(port, "GET", "/subgraphs/name/%E0%A4%A");
    expect(malformed.status).to.equal(400);
    expect(JSON.parse(malformed.body).errors[0].message).to.equal("malformed URL");
    const elsewhere = await call(port, "GET", "/");
    expect(elsewhere.status).to.equal(404);
    const put = await call(port, "PUT", subgraph, "{}", auth);
    expect(put.status).to.equal(405);
    const big = await post({ query: "{ shipments { id } }", pad: "x".repeat(1_100_000) });
    expect(big.status).to.equal(413);
  });

  it("serves GraphiQL to a browser with its assets from node_modules", async () => {
    const page = await call(port, "GET", subgraph, undefined, { Accept: "text/html,application/xhtml+xml" });
    expect(page.status).to.equal(200);
    expect(page.type).to.match(/^text\/html/);
    expect(page.body).to.include("GraphiQL.createFetcher");
    expect(page.body).to.include("tradetrace/customs");
    const sources = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).to.have.length(4);
    for (const src of sources) {
      expect(src.startsWith("/graphiql/"), src).to.equal(true);
      const asset = await call(port, "GET", src);
      expect(asset.status, src).to.equal(200);
      expect(asset.body.length, src).to.be.greaterThan(1000);
    }
    for (const bad of ["/graphiql/../../package.json", "/graphiql/constructor", "/graphiql/graphiql.min.js.map"]) {
      expect((await call(port, "GET", bad)).status, bad).to.equal(404);
    }
  });

  it("stops listening on stop() and can be restarted on a fixed port", async () => {
    const other = new GraphQLServer({ subgraphs: {}, port: 0, access });
    const { port: p } = await other.start();
    await other.stop();
    let failed = false;
    await call(p, "GET", "/").catch(() => (failed = true));
    expect(failed).to.equal(true);
    const again = new GraphQLServer({ subgraphs: {}, port: p, access });
    await again.start();
    expect((await call(p, "GET", "/")).status).to.equal(404);
    await again.stop();
  });
});

describe("indexer/graphql serve", () => {
  it("serves a store file read-only from command-line arguments", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tt-serve-"));
    try {
      const file = path.join(dir, "store.sqlite");
      const writer = openTradeStore(file);
      seedTrade(writer);
      const keys = writeApiKeyFile(dir);
      const opts = parseServeArgs([
        ...["--db", file, "--schema", TRADE_SCHEMA, "--name", "tt/test", "--port", "0", "--api-keys", keys.file],
      ]);
      const { server, pool, url } = await serve(opts);
      try {
        const u = new URL(url);
        expect(u.hostname).to.equal("127.0.0.1");
        expect(u.pathname).to.equal("/subgraphs/name/tt/test");
        const r = await call(
          Number(u.port),
          "POST",
          u.pathname,
          JSON.stringify({ query: "{ _meta { block { number } } }" }),
          bearer(keys.key),
        );
        expect(JSON.parse(r.body)).to.deep.equal({ data: { _meta: { block: { number: 3 } } } });
      } finally {
        await server.stop();
        await pool.close();
        writer.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("explains missing or bad arguments", () => {
    expect(() => parseServeArgs([])).to.throw(/usage: serve.ts --db/);
    expect(() => parseServeArgs(["--db"])).to.throw(/unexpected argument --db/);
    expect(() => parseServeArgs(["--db", "x", "--schema", "y", "--port", "http", "--open"])).to.throw(
      /invalid port http/,
    );
    expect(() => parseServeArgs(["--db", "x", "--schema", "y", "--open", "--bogus", "1"])).to.throw(
      /unknown argument --bogus/,
    );
    expect(parseServeArgs(["--db", "x", "--schema", "y", "--api-keys", "k.json"])).to.deep.equal({
      db: "x",
      schema: "y",
      name: "tradetrace",
      port: 8000,
      access: { apiKeysFile: "k.json" },
      workers: 2,
      deadlineMs: 10_000,
    });
  });
});
