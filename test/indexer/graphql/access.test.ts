/**
 * Finding G1 (the query API was readable by any web page): over HTTP against the real server started the way
 * `serve.ts` starts it. No CORS headers unless an origin is configured, foreign Host and Origin refused,
 * a bearer token (API key or JWT from the configured issuer) with the read scope required, `--open` only
 * on purpose.
 */
import { expect } from "chai";
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseServeArgs, serve } from "../../../indexer/graphql/serve";
import { bearer, call, postJson, type Reply } from "../../helpers/http";
import {
  AUDIENCE,
  ISSUER,
  claims,
  forgeries,
  makeIssuer,
  signJwt,
  writeApiKeyFile,
  type Issuer,
} from "../../helpers/graphql-auth";
import { TRADE_SCHEMA, openTradeStore } from "../../helpers/store";
import { seedTrade } from "../../helpers/trade-data";

const NAME = "tradetrace";
const PATH = `/subgraphs/name/${NAME}`;
const QUERY = { query: '{ shipment(id: "s2") { reference } }' };
const DATA = { data: { shipment: { reference: "pipe-002" } } };
const FOREIGN = "https://evil.example";

type Running = Awaited<ReturnType<typeof serve>>;

describe("indexer/graphql access (finding G1)", function () {
  this.timeout(60_000);
  let dir: string;
  let db: string;
  let keys: ReturnType<typeof writeApiKeyFile>;
  let issuer: Issuer;
  let jwksFile: string;
  const running: Running[] = [];

  async function start(...extra: string[]): Promise<{ port: number; notice: string }> {
    const r = await serve(
      parseServeArgs(["--db", db, "--schema", TRADE_SCHEMA, "--port", "0", "--workers", "1", ...extra]),
    );
    running.push(r);
    return { port: Number(new URL(r.url).port), notice: r.notice };
  }
  const authArgs = () => ["--api-keys", keys.file, "--jwks", jwksFile, "--issuer", ISSUER, "--audience", AUDIENCE];

  before(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), "tt-access-"));
    db = path.join(dir, "store.sqlite");
    const writer = openTradeStore(db);
    seedTrade(writer);
    writer.close();
    keys = writeApiKeyFile(dir);
    issuer = makeIssuer();
    jwksFile = path.join(dir, "jwks.json");
    fs.writeFileSync(jwksFile, JSON.stringify(issuer.jwks));
  });
  after(async () => {
    for (const r of running) {
      await r.server.stop();
      await r.pool.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const noCors = (r: Reply) => {
    for (const h of Object.keys(r.headers)) expect(h, r.status + " " + h).to.not.match(/^access-control-/);
  };
  const message = (r: Reply): string => (JSON.parse(r.body) as { errors: { message: string }[] }).errors[0].message;

  describe("with API keys and a JWT issuer, no CORS origin", () => {
    let port: number;
    before(async () => {
      ({ port } = await start(...authArgs()));
    });
    const post = (token?: string, headers: Record<string, string> = {}) =>
      call(port, "POST", PATH, JSON.stringify(QUERY), {
        "Content-Type": "application/json",
        ...bearer(token),
        ...headers,
      });

    it("refuses a request without a token with 401 and a Bearer challenge, and sends no CORS headers", async () => {
      const r = await post();
      expect(r.status).to.equal(401);
      expect(r.type).to.match(/^application\/json/);
      expect(String(r.headers["www-authenticate"])).to.match(/^Bearer realm="tradetrace", scope="tradetrace:read"/);
      expect(message(r)).to.match(/authentication required/);
      noCors(r);
      const get = await call(port, "GET", `${PATH}?query=${encodeURIComponent(QUERY.query)}`);
      expect(get.status).to.equal(401);
    });

    it("answers a valid API key, with no CORS headers", async () => {
      const r = await post(keys.key);
      expect(r.status).to.equal(200);
      expect(JSON.parse(r.body)).to.deep.equal(DATA);
      noCors(r);
    });

    it("refuses an unknown API key and a malformed Authorization header with 401", async () => {
      for (const [headers, why] of [
        [bearer(keys.other), /unknown API key/],
        [{ Authorization: `Basic ${Buffer.from("a:b").toString("base64")}` }, /Bearer <token>/],
        [bearer("tt_short"), /malformed API key/],
      ] as const) {
        const r = await post(undefined, headers);
        expect(r.status, JSON.stringify(headers)).to.equal(401);
        expect(message(r)).to.match(why);
        expect(String(r.headers["www-authenticate"])).to.match(/error="invalid_(token|request)"/);
      }
    });

    it("answers valid ES256 and RS256 JWTs from the configured issuer", async () => {
      for (const alg of ["ES256", "RS256"] as const) {
        const r = await post(signJwt(issuer, alg));
        expect(r.status, alg).to.equal(200);
        expect(JSON.parse(r.body)).to.deep.equal(DATA);
      }
    });

    it("refuses expired, foreign-audience, foreign-issuer, unsigned, HS256 and tampered JWTs with 401", async () => {
      const f = forgeries(issuer);
      const cases: [string, string, RegExp][] = [
        ["expired", signJwt(issuer, "ES256", claims({ exp: Math.floor(Date.now() / 1000) - 120 })), /expired/],
        ["audience", signJwt(issuer, "ES256", claims({ aud: "another-api" })), /not meant for/],
        ["issuer", signJwt(issuer, "RS256", claims({ iss: "https://other.example" })), /issued by/],
        ["no exp", signJwt(issuer, "ES256", claims({ exp: undefined })), /no expiry/],
        ["not yet", signJwt(issuer, "ES256", claims({ nbf: Math.floor(Date.now() / 1000) + 600 })), /not valid yet/],
        ["none", f.none, /not a signed JWT/],
        ["hs256", f.hs, /algorithm "HS256" is not accepted/],
        ["tampered", f.tampered, /bad signature/],
        ["foreign key", signJwt(makeIssuer(), "ES256"), /bad signature/],
      ];
      for (const [name, token, why] of cases) {
        const r = await post(token);
        expect(r.status, name).to.equal(401);
        expect(message(r), name).to.match(why);
        expect(String(r.headers["www-authenticate"]), name).to.include('error="invalid_token"');
      }
    });

    it("refuses a valid token without the read scope with 403", async () => {
      const r = await post(signJwt(issuer, "ES256", claims({ scope: "openid profile" })));
      expect(r.status).to.equal(403);
      expect(message(r)).to.match(/lacks the tradetrace:read scope/);
      expect(String(r.headers["www-authenticate"])).to.include('error="insufficient_scope"');
      const noScope = writeApiKeyFile(fs.mkdtempSync(path.join(dir, "k-")), ["tradetrace:admin"]);
      const { port: p2 } = await start("--api-keys", noScope.file);
      const r2 = await postJson(p2, PATH, QUERY, undefined, noScope.key);
      expect(r2.status).to.equal(403);
    });

    it("refuses a foreign Host (DNS rebinding) with 403, even with a valid token", async () => {
      for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1:${port + 1}`, `127.0.0.2:${port}`]) {
        const r = await post(keys.key, { Host: host });
        expect(r.status, host).to.equal(403);
        expect(message(r), host).to.match(/is not served here/);
        noCors(r);
      }
      expect((await post(keys.key, { Host: `localhost:${port}` })).status).to.equal(200);
    });

    it("refuses a foreign Origin with 403 and lets the same origin (the web app) through with its token", async () => {
      for (const origin of [FOREIGN, "null", `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`]) {
        const r = await post(keys.key, { Origin: origin });
        expect(r.status, origin).to.equal(403);
        expect(message(r)).to.match(/origin .* is not allowed/);
        noCors(r);
        const pre = await call(port, "OPTIONS", PATH, undefined, {
          Origin: origin,
          "Access-Control-Request-Method": "POST",
        });
        expect(pre.status, origin).to.equal(403);
        noCors(pre);
      }
      const same = await post(keys.key, { Origin: `http://127.0.0.1:${port}` });
      expect(same.status).to.equal(200);
      expect(JSON.parse(same.body)).to.deep.equal(DATA);
      expect((await post(undefined, { Origin: `http://127.0.0.1:${port}` })).status).to.equal(401);
    });

    it("serves GraphiQL without data or token, taking the token in its headers editor", async () => {
      const page = await call(port, "GET", PATH, undefined, { Accept: "text/html" });
      expect(page.status).to.equal(200);
      expect(page.body).to.include("defaultHeaders");
      expect(page.body).to.include("shouldPersistHeaders: false");
      expect(page.body).to.not.include(keys.key);
      const asset = await call(port, "GET", "/graphiql/graphiql.min.js");
      expect(asset.status).to.equal(200);
      expect((await call(port, "GET", PATH, undefined, { Accept: "text/html", Host: "evil.example" })).status).to.equal(
        403,
      );
    });
  });

  describe("with a configured CORS origin", () => {
    const CONSOLE = "https://console.cbp.example";
    let port: number;
    before(async () => {
      ({ port } = await start("--api-keys", keys.file, "--cors-origin", CONSOLE));
    });

    it("answers the preflight and the request of that origin with CORS headers for it alone", async () => {
      const pre = await call(port, "OPTIONS", PATH, undefined, {
        Origin: CONSOLE,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      });
      expect(pre.status).to.equal(204);
      expect(pre.headers["access-control-allow-origin"]).to.equal(CONSOLE);
      expect(String(pre.headers["access-control-allow-headers"])).to.match(/Authorization/);
      expect(pre.headers.vary).to.equal("Origin");
      const r = await call(port, "POST", PATH, JSON.stringify(QUERY), {
        "Content-Type": "application/json",
        Origin: CONSOLE,
        ...bearer(keys.key),
      });
      expect(r.status).to.equal(200);
      expect(r.headers["access-control-allow-origin"]).to.equal(CONSOLE);
      const other = await call(port, "OPTIONS", PATH, undefined, { Origin: FOREIGN });
      expect(other.status).to.equal(403);
      noCors(other);
      const plain = await call(port, "OPTIONS", PATH);
      expect(plain.status).to.equal(204);
      noCors(plain);
    });
  });

  describe("a JWKS URL", () => {
    let jwks: Server;
    before(async () => {
      jwks = createServer((_req, res) => res.end(JSON.stringify(issuer.jwks)));
      await new Promise<void>((ok) => jwks.listen(0, "127.0.0.1", ok));
    });
    after(() => new Promise<void>((ok) => jwks.close(() => ok())));

    it("verifies tokens against the issuer's keys fetched from its URL", async () => {
      const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
      const { port } = await start("--jwks", url, "--issuer", ISSUER, "--audience", AUDIENCE);
      expect((await postJson(port, PATH, QUERY, undefined, signJwt(issuer, "RS256"))).status).to.equal(200);
      expect((await postJson(port, PATH, QUERY, undefined, forgeries(issuer).tampered)).status).to.equal(401);
      expect(() =>
        parseServeArgs([
          "--db",
          db,
          "--schema",
          TRADE_SCHEMA,
          "--jwks",
          "http://issuer.example/jwks",
          "--issuer",
          ISSUER,
        ]),
      ).to.throw(/--jwks, --issuer and --audience together/);
    });
  });

  describe("--open", () => {
    it("is refused unless asked for: without a way to authenticate the server does not start", () => {
      expect(() => parseServeArgs(["--db", db, "--schema", TRADE_SCHEMA])).to.throw(/choose how analysts authenticate/);
      expect(() => parseServeArgs(["--db", db, "--schema", TRADE_SCHEMA, "--open", "--api-keys", keys.file])).to.throw(
        /--open serves without authentication/,
      );
    });

    it("serves without a token when started so, says so, and still checks Host and Origin", async () => {
      const { port, notice } = await start("--open");
      expect(notice).to.match(/^WARNING: the GraphQL API is OPEN \(--open\)/);
      const r = await postJson(port, PATH, QUERY);
      expect(r.status).to.equal(200);
      expect(JSON.parse(r.body)).to.deep.equal(DATA);
      noCors(r);
      const foreign = await call(port, "POST", PATH, JSON.stringify(QUERY), {
        "Content-Type": "application/json",
        Origin: FOREIGN,
      });
      expect(foreign.status).to.equal(403);
      expect(
        (await call(port, "GET", `${PATH}?query=%7B_meta%7Bdeployment%7D%7D`, undefined, { Host: "a.test" })).status,
      ).to.equal(403);
    });
  });
});
