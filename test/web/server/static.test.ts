import { expect } from "chai";
import fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { CONTENT_SECURITY_POLICY, fileFor, serveStatic, staticRoutes } from "../../../web/server/static";
import { call } from "../../helpers/http";

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
