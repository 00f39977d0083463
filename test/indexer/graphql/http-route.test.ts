import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AccessPolicy } from "../../../indexer/graphql/access/policy";
import { matchRoute, type HttpRoute } from "../../../indexer/graphql/http-route";
import { QueryEngine } from "../../../indexer/graphql/engine";
import { GraphQLServer } from "../../../indexer/graphql/server";
import type { SqliteStore } from "../../../indexer/store/sqlite";
import { writeApiKeyFile } from "../../helpers/graphql-auth";
import { bearer, call } from "../../helpers/http";
import { openTradeStore } from "../../helpers/store";
import { seedTrade } from "../../helpers/trade-data";

describe("indexer/graphql HttpRoute", () => {
  let store: SqliteStore;
  let server: GraphQLServer;
  let port: number;
  let keyDir: string;
  let auth: Record<string, string>;
  const received: { path: string; body?: string }[] = [];

  const routes: HttpRoute[] = [
    {
      method: "GET",
      prefix: "/app/config.json",
      handle: (req, res) => {
        received.push({ path: req.url ?? "" });
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end('{"hello":"route"}');
      },
    },
    {
      method: "POST",
      prefix: "/app/echo",
      handle: (_req, res, body) => {
        received.push({ path: "/app/echo", body: body?.toString("utf8") });
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.end(body);
      },
    },
    {
      method: "GET",
      prefix: "/",
      fallback: true,
      handle: (req, res) => {
        if (req.url !== "/") {
          res.writeHead(404, { "Content-Type": "text/plain" });
          res.end("not a file");
          return;
        }
        res.writeHead(200, { "Content-Type": "text/html" });
        res.end("<!doctype html><title>app</title>");
      },
    },
  ];

  before(async () => {
    store = openTradeStore();
    seedTrade(store);
    keyDir = mkdtempSync(path.join(tmpdir(), "tt-route-"));
    const keys = writeApiKeyFile(keyDir);
    auth = bearer(keys.key);
    const access = new AccessPolicy({ apiKeysFile: keys.file });
    server = new GraphQLServer({ subgraphs: { tradetrace: new QueryEngine(store) }, port: 0, access, routes });
    port = (await server.start()).port;
  });
  after(async () => {
    await server.stop();
    store.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it("serves a route without a bearer token, before the server's own paths", async () => {
    const r = await call(port, "GET", "/app/config.json");
    expect(r.status).to.equal(200);
    expect(JSON.parse(r.body)).to.deep.equal({ hello: "route" });
    expect(received.at(-1)?.path).to.equal("/app/config.json");
  });

  it("passes a POST route its request body, within the size limit", async () => {
    const r = await call(port, "POST", "/app/echo", "ping", { "Content-Type": "text/plain" });
    expect(r.status).to.equal(200);
    expect(r.body).to.equal("ping");
    const big = await call(port, "POST", "/app/echo", "x".repeat(1_100_000), { "Content-Type": "text/plain" });
    expect(big.status).to.equal(413);
    expect(received.filter((x) => x.path === "/app/echo")).to.have.length(1);
  });

  it("still 404s an unknown path that no route takes", async () => {
    const r = await call(port, "GET", "/nowhere");
    expect(r.status).to.equal(404);
    expect(r.body).to.equal("not a file");
    const wrongMethod = await call(port, "POST", "/app/config.json", "{}");
    expect(wrongMethod.status).to.equal(404);
    expect(JSON.parse(wrongMethod.body).errors[0].message).to.match(/unknown path \/app\/config.json/);
  });

  it("keeps the query API and GraphiQL reachable under a fallback route at /", async () => {
    const home = await call(port, "GET", "/");
    expect(home.status).to.equal(200);
    expect(home.body).to.include("<title>app</title>");
    const q = await call(
      port,
      "POST",
      "/subgraphs/name/tradetrace",
      JSON.stringify({ query: "{ _meta { block { number } } }" }),
      {
        "Content-Type": "application/json",
        ...auth,
      },
    );
    expect(q.status).to.equal(200);
    expect(JSON.parse(q.body).data._meta.block.number).to.be.a("number");
    const unauth = await call(port, "POST", "/subgraphs/name/tradetrace", "{}", { "Content-Type": "application/json" });
    expect(unauth.status).to.equal(401);
  });

  it("applies the Host and Origin checks to routes too", async () => {
    const before = received.length;
    const badHost = await call(port, "GET", "/app/config.json", undefined, { Host: "evil.example" });
    expect(badHost.status).to.equal(403);
    const badOrigin = await call(port, "POST", "/app/echo", "x", { Origin: "http://evil.example" });
    expect(badOrigin.status).to.equal(403);
    expect(JSON.parse(badOrigin.body).errors[0].message).to.match(/origin "http:\/\/evil.example" is not allowed/);
    expect(received).to.have.length(before);
  });

  it("matches by prefix, method (GET also takes HEAD) and fallback flag", () => {
    expect(matchRoute(routes, "GET", "/app/config.json")?.prefix).to.equal("/app/config.json");
    expect(matchRoute(routes, "HEAD", "/app/config.json")?.prefix).to.equal("/app/config.json");
    expect(matchRoute(routes, "PUT", "/app/echo")).to.equal(undefined);
    expect(matchRoute(routes, "GET", "/x")).to.equal(undefined);
    expect(matchRoute(routes, "GET", "/x", true)?.prefix).to.equal("/");
    expect(matchRoute([{ method: "*", prefix: "/a", handle: () => {} }], "DELETE", "/a/b")?.prefix).to.equal("/a");
  });
});
