import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { QueryEngine } from "../../../indexer/graphql/engine";
import type { SqliteStore } from "../../../indexer/store/sqlite";
import type { StoredDataSource, SubgraphFailure } from "../../../indexer/store/types";
import {
  actor,
  addr,
  arr,
  big,
  block,
  bool,
  bytes,
  dec,
  int,
  int8,
  nul,
  openTradeStore,
  str,
  ts,
} from "../../helpers/store";

const A = addr("aa");

function ds(template: string, address: string, createdAt: number, context: StoredDataSource["context"] = null) {
  return { template, params: [address], context, createdAt };
}

function failure(n: number, message = `boom at ${n}`): SubgraphFailure {
  return { message, handler: "handleThing", block: block(n) };
}

async function hasErrors(store: SqliteStore, at?: number): Promise<unknown> {
  const arg = at === undefined ? "" : `(block: { number: ${at} })`;
  const r = await new QueryEngine(store).execute({ query: `{ _meta${arg} { hasIndexingErrors } }` });
  expect(r.errors).to.equal(undefined);
  return (r.data as { _meta: { hasIndexingErrors: boolean } })._meta.hasIndexingErrors;
}

describe("indexer/store SqliteStore: dynamic data sources and indexing errors", () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "tt-runtime-state-"));
    file = path.join(dir, "store.db");
    store = openTradeStore(file);
  });

  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("data sources created from templates", () => {
    it("are committed with their block and survive reopening the file, context values included", () => {
      const context = new Map([
        ["label", str("kid")],
        ["n", int(-7)],
        ["big", big(-(2n ** 200n))],
        ["i8", int8(2n ** 62n)],
        ["at", ts(1_700_000_000_000_000n)],
        ["price", dec(-12345n, -3)],
        ["ok", bool(true)],
        ["raw", bytes("0x00ff10")],
        ["none", nul],
        ["list", arr(str("a"), arr(int(1)), nul)],
      ]);
      const w = store.beginBlock(block(5));
      w.set("Actor", A, actor("a"));
      w.addDataSource(ds("Child", addr("01"), 5, context));
      w.addDataSource(ds("Child", addr("02"), 5));
      expect(store.dataSources()).to.deep.equal([]); // not before the commit
      w.commit();
      const w2 = store.beginBlock(block(6));
      w2.addDataSource(ds("Other", addr("03"), 6));
      w2.commit();
      const expected = [ds("Child", addr("01"), 5, context), ds("Child", addr("02"), 5), ds("Other", addr("03"), 6)];
      expect(store.dataSources()).to.deep.equal(expected);

      store.close();
      store = openTradeStore(file);
      expect(store.dataSources()).to.deep.equal(expected);
      expect(store.head()?.number).to.equal(6);
    });

    it("are dropped by discard and by a revert below their block", () => {
      const w = store.beginBlock(block(3));
      w.addDataSource(ds("Child", addr("01"), 3));
      w.discard();
      expect(store.dataSources()).to.deep.equal([]);
      for (const n of [4, 7, 9]) {
        const b = store.beginBlock(block(n));
        b.addDataSource(ds("Child", addr(n.toString().padStart(2, "0")), n));
        b.commit();
      }
      store.revertTo(7);
      expect(store.dataSources().map((d) => d.createdAt)).to.deep.equal([4, 7]);
      store.revertTo(6);
      expect(store.dataSources().map((d) => d.createdAt)).to.deep.equal([4]);
      expect(() => w.addDataSource(ds("Child", addr("05"), 3))).to.throw(/already committed or discarded/);
    });
  });

  describe("failures and non-fatal errors", () => {
    it("keeps the fatal failure across reopening, reports it in _meta, and a revert below it clears it", async () => {
      for (const n of [1, 2]) store.beginBlock(block(n)).commit();
      expect(store.failure()).to.equal(null);
      expect(await hasErrors(store)).to.equal(false);

      store.setFailure(failure(3, "first"));
      store.setFailure(failure(3, "second")); // replaces, one failure at a time
      expect(store.failure()).to.deep.equal(failure(3, "second"));
      expect(await hasErrors(store)).to.equal(true);
      expect(await hasErrors(store, 1)).to.equal(true);

      store.close();
      store = openTradeStore(file);
      expect(store.failure()).to.deep.equal(failure(3, "second"));

      store.revertTo(2);
      expect(store.failure()).to.equal(null);
      expect(await hasErrors(store)).to.equal(false);

      store.setFailure(failure(3));
      store.setFailure(null);
      expect(store.failure()).to.equal(null);
    });

    it("commits non-fatal errors with their block; _meta sees them from that block on; a revert drops them", async () => {
      store.beginBlock(block(1)).commit();
      const w = store.beginBlock(block(2));
      w.addNonFatalError(failure(2, "soft"));
      expect(store.nonFatalErrors()).to.deep.equal([]);
      w.commit();
      const d = store.beginBlock(block(3));
      d.addNonFatalError(failure(3, "dropped with the block"));
      d.discard();
      store.beginBlock(block(3)).commit();

      expect(store.nonFatalErrors()).to.deep.equal([failure(2, "soft")]);
      expect(store.failure()).to.equal(null);
      expect(await hasErrors(store)).to.equal(true);
      expect(await hasErrors(store, 2)).to.equal(true);
      expect(await hasErrors(store, 1)).to.equal(false);

      store.close();
      store = openTradeStore(file);
      expect(store.nonFatalErrors()).to.deep.equal([failure(2, "soft")]);

      store.revertTo(1);
      expect(store.nonFatalErrors()).to.deep.equal([]);
      expect(await hasErrors(store)).to.equal(false);
    });
  });
});
