import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { SqliteStore } from "../../../indexer/store/sqlite";
import { actor, addr, block, entity, openTradeStore, str } from "../../helpers/store";

const A = addr("aa");
const B = addr("bb");

/** Commits block `n` setting the name of actor `id` (created when it is new). */
function write(store: SqliteStore, n: number, name: string, id = A): void {
  const w = store.beginBlock(block(n));
  w.set("Actor", id, w.get("Actor", id) ? entity({ name: str(name) }) : actor(name));
  w.commit();
}

/** The head and Actor A's name as another connection (the query worker's) sees them. */
function seenElsewhere(file: string): { head: string | null; names: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const head = db.prepare(`SELECT value FROM meta WHERE key = 'head'`).get() as { value: string } | undefined;
    const names = db.prepare(`SELECT "name" FROM "e_Actor" ORDER BY block_from`).all() as { name: string }[];
    return { head: head?.value ?? null, names: names.map((r) => r.name) };
  } finally {
    db.close();
  }
}

describe("indexer/store SqliteStore write batches", () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "tt-batch-"));
    file = path.join(dir, "store.db");
    store = openTradeStore(file);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows a batch's blocks to the store at once and to other connections when it ends", () => {
    write(store, 1, "one");
    store.beginBatch();
    write(store, 2, "two");
    write(store, 3, "three");
    expect(store.head()?.number).to.equal(3);
    expect(store.loadCurrent("Actor", A)?.get("name")).to.deep.equal(str("three"));
    expect(seenElsewhere(file)).to.deep.equal({ head: "1", names: ["one"] });
    store.endBatch();
    expect(seenElsewhere(file)).to.deep.equal({ head: "3", names: ["one", "two", "three"] });
  });

  it("writes exactly what block-by-block commits write (same digest)", () => {
    const plain = openTradeStore();
    try {
      for (const s of [plain, store]) {
        if (s === store) store.beginBatch();
        write(s, 1, "one");
        write(s, 2, "two", B);
        write(s, 4, "four");
        s.revertTo(2); // a reorg inside the batch
        write(s, 3, "three");
        if (s === store) store.endBatch();
      }
      expect(store.digest()).to.equal(plain.digest());
      expect(store.head()?.number).to.equal(3);
    } finally {
      plain.close();
    }
  });

  it("keeps the batch's whole blocks when a later block fails to commit or is discarded", () => {
    store.db.exec(
      `CREATE TRIGGER fail_block_3 BEFORE INSERT ON blocks WHEN NEW.number = 3 BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`,
    );
    store.beginBatch();
    write(store, 1, "one");
    write(store, 2, "two");
    const failing = store.beginBlock(block(3));
    failing.set("Actor", A, entity({ name: str("three") }));
    expect(() => failing.commit()).to.throw(/disk trouble/);
    failing.discard(); // as the runner does
    const discarded = store.beginBlock(block(3));
    discarded.set("Actor", A, entity({ name: str("never") }));
    discarded.discard();
    store.endBatch();
    expect(store.head()?.number).to.equal(2);
    expect(seenElsewhere(file)).to.deep.equal({ head: "2", names: ["one", "two"] });
  });

  it("keeps an open batch's blocks when the store is closed, and ignores repeated begins and stray ends", () => {
    store.endBatch(); // none open: nothing happens
    store.beginBatch();
    store.beginBatch();
    write(store, 1, "one");
    store.close();
    store = openTradeStore(file);
    expect(store.head()?.number).to.equal(1);
    expect(store.loadCurrent("Actor", A)?.get("name")).to.deep.equal(str("one"));
  });
});
