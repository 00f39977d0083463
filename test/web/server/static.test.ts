import { expect } from "chai";
import fs from "node:fs";
import { createServer, get, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import {
  acceptsGzip,
  CONTENT_SECURITY_POLICY,
  fileFor,
  gzippedFile,
  serveStatic,
  staticRoutes,
} from "../../../web/server/static";
import { call } from "../../helpers/http";

const BIG_JS = "export const rows = [" + Array.from({ length: 400 }, (_, i) => `"row ${i}"`).join(",") + "];\n";

/** GET `urlPath` with the given Accept-Encoding and the raw (still encoded) body. */
function fetchRaw(port: number, urlPath: string, acceptEncoding?: string): Promise<IncomingMessage & { raw: Buffer }> {
  return new Promise((ok, fail) => {
    const headers = acceptEncoding === undefined ? {} : { "Accept-Encoding": acceptEncoding };
    get({ host: "127.0.0.1", port, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => ok(Object.assign(res, { raw: Buffer.concat(chunks) })));
    }).on("error", fail);
  });
}

describe("web/server static files", () => {
  let dir: string;
  let root: string;
  let server: Server;
  let port: number;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tt-static-"));
    root = path.join(dir, "web");
    fs.mkdirSync(path.join(root, "assets"), { recursive: true });
    fs.writeFileSync(path.join(root, "index.html"), "<!doctype html><title>app</title>");
    fs.writeFileSync(path.join(root, "assets", "index-abc123.js"), "console.log(1)");
    fs.writeFileSync(path.join(root, "assets", "index-abc123.css"), "body{}");
    fs.writeFileSync(path.join(root, "logo.svg"), "<svg/>");
    fs.writeFileSync(path.join(root, "assets", "big-abc123.js"), BIG_JS);
    fs.writeFileSync(path.join(root, "assets", "pixel-abc123.png"), Buffer.alloc(4096, 7));
    fs.writeFileSync(path.join(dir, "secret.txt"), "outside");
    fs.symlinkSync(path.join(dir, "secret.txt"), path.join(root, "link.txt"));
    const handle = serveStatic(root);
    server = createServer((req, res) => handle(req, res));
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((ok) => server.close(ok));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves index.html at / with no-cache and a same-origin content security policy", async () => {
    const r = await call(port, "GET", "/");
    expect(r.status).to.equal(200);
    expect(r.type).to.equal("text/html; charset=utf-8");
    expect(r.body).to.include("<title>app</title>");
    expect(r.headers["cache-control"]).to.equal("no-cache");
    expect(r.headers["content-security-policy"]).to.equal(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).to.include("connect-src 'self'");
  });

  it("serves hashed assets with their content type and an immutable cache", async () => {
    const js = await call(port, "GET", "/assets/index-abc123.js");
    expect(js.status).to.equal(200);
    expect(js.type).to.equal("text/javascript; charset=utf-8");
    expect(js.body).to.equal("console.log(1)");
    expect(js.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
    expect(js.headers["x-content-type-options"]).to.equal("nosniff");
    const css = await call(port, "GET", "/assets/index-abc123.css");
    expect(css.type).to.equal("text/css; charset=utf-8");
    const svg = await call(port, "GET", "/logo.svg");
    expect(svg.type).to.equal("image/svg+xml");
    expect(svg.headers["cache-control"]).to.equal("no-cache");
    const head = await call(port, "HEAD", "/assets/index-abc123.js");
    expect(head.status).to.equal(200);
    expect(head.body).to.equal("");
  });

  it("gzips text assets for a client that accepts it, and only then", async () => {
    const gz = await fetchRaw(port, "/assets/big-abc123.js", "br, gzip;q=0.8");
    expect(gz.statusCode).to.equal(200);
    expect(gz.headers["content-encoding"]).to.equal("gzip");
    expect(gz.headers["vary"]).to.equal("Accept-Encoding");
    expect(gz.headers["cache-control"]).to.equal("public, max-age=31536000, immutable");
    expect(Number(gz.headers["content-length"])).to.equal(gz.raw.length);
    expect(gz.raw.length).to.be.lessThan(BIG_JS.length / 2);
    expect(gunzipSync(gz.raw).toString()).to.equal(BIG_JS);
    for (const refused of [undefined, "identity", "gzip;q=0", "br", "*;q=0"]) {
      const plain = await fetchRaw(port, "/assets/big-abc123.js", refused);
      expect(plain.headers["content-encoding"], String(refused)).to.equal(undefined);
      expect(plain.headers["vary"], String(refused)).to.equal("Accept-Encoding");
      expect(plain.raw.toString(), String(refused)).to.equal(BIG_JS);
    }
    const png = await fetchRaw(port, "/assets/pixel-abc123.png", "gzip");
    expect(png.headers["content-encoding"]).to.equal(undefined);
    expect(png.raw.length).to.equal(4096);
    const small = await fetchRaw(port, "/assets/index-abc123.js", "gzip");
    expect(small.headers["content-encoding"]).to.equal(undefined);
    expect(small.raw.toString()).to.equal("console.log(1)");
  });

  it("reads Accept-Encoding by its qualities", () => {
    expect(acceptsGzip("gzip")).to.equal(true);
    expect(acceptsGzip("deflate, GZIP;q=0.5")).to.equal(true);
    expect(acceptsGzip(["br", "gzip"])).to.equal(true);
    expect(acceptsGzip("*")).to.equal(true);
    expect(acceptsGzip("gzip;q=0, *")).to.equal(false);
    expect(acceptsGzip("gzip;q=0.0")).to.equal(false);
    expect(acceptsGzip("*;q=0")).to.equal(false);
    expect(acceptsGzip("br, deflate")).to.equal(false);
    expect(acceptsGzip("")).to.equal(false);
    expect(acceptsGzip(undefined)).to.equal(false);
  });

  it("compresses a file once and again only when it changes", () => {
    const file = path.join(root, "assets", "cached-abc123.js");
    fs.writeFileSync(file, BIG_JS);
    const first = gzippedFile(file);
    expect(gzippedFile(file)).to.equal(first);
    const changed = BIG_JS.replace("row 1", "row X");
    fs.writeFileSync(file, changed);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const second = gzippedFile(file);
    expect(second).to.not.equal(first);
    expect(gunzipSync(second).toString()).to.equal(changed);
  });

  it("falls back to index.html for a route-like path, and 404s a missing file", async () => {
    const route = await call(port, "GET", "/shipment/0x12");
    expect(route.status).to.equal(200);
    expect(route.body).to.include("<title>app</title>");
    expect((await call(port, "GET", "/assets/gone-123.js")).status).to.equal(404);
    expect((await call(port, "GET", "/favicon.ico")).status).to.equal(404);
  });

  it("never serves a file outside its folder", async () => {
    for (const p of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt", "/link.txt"]) {
      const r = await call(port, "GET", p);
      expect(r.body, p).to.not.include("outside");
      expect(r.status, p).to.be.oneOf([200, 404]);
    }
    expect(fileFor(root, "/../secret.txt")).to.equal(null);
    expect(fileFor(root, "/link.txt")).to.equal(null);
    expect(fileFor(root, "/assets")).to.equal(null);
    expect(fileFor(root, "/a\0b")).to.equal(null);
    expect(fileFor(root, "/logo.svg")).to.equal(fs.realpathSync(path.join(root, "logo.svg")));
    expect((await call(port, "GET", "/%E0%A4%A")).status).to.equal(400);
    expect((await call(port, "POST", "/", "x")).status).to.equal(405);
  });

  it("says how to build when the bundle is missing", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "tt-static-empty-"));
    try {
      const [route] = staticRoutes(empty);
      expect(route.fallback).to.equal(true);
      expect(route.prefix).to.equal("/");
      const s = createServer((req, res) => void route.handle(req, res));
      await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
      const r = await call((s.address() as AddressInfo).port, "GET", "/");
      await new Promise((ok) => s.close(ok));
      expect(r.status).to.equal(503);
      expect(r.body).to.match(/npm run web:build/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
