import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { buildInChild, type Built } from "../../../bench/lib/query-build";
import { SCHEMA_PATH, savedQueries } from "../../../bench/lib/query-cases";

/**
 * bench:query's build half runs in a process of its own (node's flags for the build are not the server's): what
 * it writes is what the timing half reads back, and a build it cannot do leaves nothing half-made behind.
 */
describe("bench/lib/query-build: the build in a child process", function () {
  this.timeout(300_000);
  const SHIPMENTS = 300;
  let dir: string;
  let built: Built;

  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "tt-query-build-test-"));
    built = await buildInChild(SHIPMENTS, dir, () => undefined);
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes the store and the description the timing half reads", function () {
    expect(built.shipments).to.equal(SHIPMENTS);
    expect(built.entities.Shipment).to.equal(SHIPMENTS);
    expect(built.peakRssMB).to.be.greaterThan(0);
    expect(built.storeBytes.fileAfterClose).to.equal(statSync(join(dir, "store.sqlite")).size);
    const store = SqliteStore.open(join(dir, "store.sqlite"), SCHEMA_PATH, { readonly: true });
    try {
      expect(store.head()?.number).to.equal(built.blocks);
      expect(store.loadCurrent("Shipment", built.web.picks.shipment.id)).to.not.equal(null);
    } finally {
      store.close();
    }
    const names = built.cases.map((c) => c.name);
    for (const saved of savedQueries().keys()) expect(names.some((n) => n.startsWith(saved))).to.equal(true);
    expect(JSON.parse(readFileSync(join(dir, "web-built.json"), "utf8"))).to.deep.equal(built.web);
  });

  it("refuses to build over an existing store and leaves it as it was", async function () {
    const before = statSync(join(dir, "store.sqlite"));
    let error: Error | undefined;
    await buildInChild(SHIPMENTS, dir).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/store\.sqlite exists; remove it first/);
    const after = statSync(join(dir, "store.sqlite"));
    expect([after.size, after.mtimeMs]).to.deep.equal([before.size, before.mtimeMs]);
  });

  it("fails with the child's exit code when the build fails", async function () {
    const empty = mkdtempSync(join(tmpdir(), "tt-query-build-test-"));
    try {
      let error: Error | undefined;
      let stderr = "";
      await buildInChild(0, empty, (t) => (stderr += t)).catch((e: Error) => (error = e));
      expect(error?.message).to.equal("the build process exited with 1");
      expect(stderr).to.contain("--shipments needs a positive integer");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
