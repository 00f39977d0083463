import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { staleReason, WEB_SOURCES } from "../../../web/server/build";

describe("web/server build when stale", () => {
  let dir: string;
  let dist: string;
  let src: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tt-webbuild-"));
    dist = path.join(dir, "dist");
    src = path.join(dir, "src");
    fs.mkdirSync(path.join(src, "deep"), { recursive: true });
    fs.writeFileSync(path.join(src, "deep", "a.tsx"), "x");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const touch = (file: string, secondsAgo: number): void => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(file, t, t);
  };

  it("builds when the bundle is missing", () => {
    expect(staleReason(dist, [src])).to.match(/dist is missing|missing/);
  });

  it("builds when a source, however deep, is newer than the bundle", () => {
    fs.mkdirSync(dist);
    fs.writeFileSync(path.join(dist, "index.html"), "");
    touch(path.join(dist, "index.html"), 60);
    touch(path.join(src, "deep"), 120);
    touch(src, 120);
    expect(staleReason(dist, [src])).to.match(/changed since the last build/);
  });

  it("does not build when the bundle is newer than every source; missing sources are ignored", () => {
    fs.mkdirSync(dist);
    fs.writeFileSync(path.join(dist, "index.html"), "");
    for (const p of [path.join(src, "deep", "a.tsx"), path.join(src, "deep"), src]) touch(p, 120);
    expect(staleReason(dist, [src, path.join(dir, "absent")])).to.equal(null);
  });

  it("watches the app and the shared modules it bundles", () => {
    const rel = WEB_SOURCES.map((p) => path.relative(path.resolve(__dirname, "..", "..", ".."), p));
    expect(rel).to.include.members(["web/src", "web/index.html", "scripts/lib/vocabulary.ts"]);
  });
});
