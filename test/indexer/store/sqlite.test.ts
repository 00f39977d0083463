import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { SqliteStore, OPEN_BLOCK } from "../../../indexer/store/sqlite";
import { idToSql } from "../../../indexer/store/encoding";
import { QueryEngine } from "../../../indexer/graphql/engine";
import { parseIndexPlan } from "../../../indexer/schema/index-plan";
import { loadSubgraphSchema } from "../../../indexer/schema/parse";
import { MemoryStore } from "../../../indexer/store/memory";
import {
  EntityValidationError,
  type BlockWriter,
  type EntityData,
  type StoreValue,
} from "../../../indexer/store/types";
import {
  actor,
  addr,
  arr,
  big,
  block,
  bool,
  bytes,
  dec,
  entity,
  int,
  int8,
  nul,
  openTradeStore,
  shipment,
  TRADE_SCHEMA,
  str,
  ts,
} from "../../helpers/store";

const A = addr("aa");
const B = addr("bb");

type Row = Record<string, unknown>;

function versions(store: SqliteStore, type: string, id: string): Row[] {
  return store.db
    .prepare(`SELECT block_from, block_to, * FROM "e_${type}" WHERE "id" = ? ORDER BY block_from`)
    .all(idToSql(store.layout.table(type).idKind, id)) as Row[];
}

function ranges(store: SqliteStore, type: string, id: string): [number, number][] {
  return versions(store, type, id).map((r) => [Number(r.block_from), Number(r.block_to)]);
}

function field(data: EntityData | null, name: string): StoreValue | undefined {
  return data?.get(name);
}

/** A shipment with a value of every scalar kind, each at an edge of its encoding. */
function everyKind(flagged: boolean): EntityData {
  return shipment(A, {
    weightKg: big(-(2n ** 200n + 12345n)),
    value: dec(-123456789012345678901234567890123n, -30),
    sequence: int8(-(2n ** 63n)),
    createdAt: ts(2n ** 62n),
    documentHash: bytes("0x00ff10"),
    hsCodes: arr(str("7304.19"), str("7306.30")),
    flagged: bool(flagged),
    consignee: bytes(B),
  });
}

/** Commits one block with the given writes. */
function write(store: SqliteStore, n: number, fn: (w: ReturnType<SqliteStore["beginBlock"]>) => void): void {
  const w = store.beginBlock(block(n));
  fn(w);
  w.commit();
}

describe("indexer/store SqliteStore", () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = openTradeStore();
  });
  afterEach(() => store.close());

  describe("versions by block range", () => {
    it("opens a version at its block and closes it when the entity changes", () => {
      write(store, 1, (w) => w.set("Actor", A, actor("Acme")));
      write(store, 3, (w) => w.set("Actor", A, entity({ name: str("Acme Steel") })));
      write(store, 7, (w) => w.set("Actor", A, entity({ roles: int(5) })));
      expect(ranges(store, "Actor", A)).to.deep.equal([
        [1, 3],
        [3, 7],
        [7, OPEN_BLOCK],
      ]);
      const current = store.loadCurrent("Actor", A)!;
      expect(field(current, "name")).to.deep.equal(str("Acme Steel"));
      expect(field(current, "roles")).to.deep.equal(int(5));
      expect(field(current, "id")).to.deep.equal(bytes(A));
    });

    it("merges a partial set with the stored entity and drops no-op writes", () => {
      write(store, 1, (w) => w.set("Actor", A, actor("Acme", { country: str("DE") })));
      write(store, 2, (w) => w.set("Actor", A, entity({ name: str("Acme") })));
      expect(ranges(store, "Actor", A)).to.deep.equal([[1, OPEN_BLOCK]]);
      write(store, 3, (w) => w.set("Actor", A, entity({ country: nul })));
      expect(ranges(store, "Actor", A)).to.deep.equal([
        [1, 3],
        [3, OPEN_BLOCK],
      ]);
      expect(store.loadCurrent("Actor", A)!.has("country")).to.equal(false);
    });

    it("keeps one version per block however often a block sets the entity", () => {
      write(store, 1, (w) => {
        w.set("Actor", A, actor("one"));
        w.set("Actor", A, entity({ name: str("two") }));
        w.set("Actor", A, entity({ roles: int(9) }));
      });
      expect(ranges(store, "Actor", A)).to.deep.equal([[1, OPEN_BLOCK]]);
      expect(field(store.loadCurrent("Actor", A), "name")).to.deep.equal(str("two"));
    });

    it("closes the version on remove, ignores removing a missing entity, and overwrites after remove", () => {
      write(store, 1, (w) => w.set("Actor", A, actor("Acme", { country: str("DE") })));
      write(store, 2, (w) => {
        w.remove("Actor", A);
        w.remove("Actor", B);
        expect(w.get("Actor", A)).to.equal(null);
      });
      expect(ranges(store, "Actor", A)).to.deep.equal([[1, 2]]);
      expect(store.loadCurrent("Actor", A)).to.equal(null);
      expect(ranges(store, "Actor", B)).to.deep.equal([]);
      write(store, 3, (w) => w.set("Actor", A, actor("Back")));
      write(store, 4, (w) => {
        w.remove("Actor", A);
        w.set("Actor", A, actor("Fresh"));
      });
      const now = store.loadCurrent("Actor", A)!;
      expect(field(now, "name")).to.deep.equal(str("Fresh"));
      expect(now.has("country")).to.equal(false);
      expect(ranges(store, "Actor", A)).to.deep.equal([
        [1, 2],
        [3, 4],
        [4, OPEN_BLOCK],
      ]);
    });

    it("stores every scalar kind and reads it back exactly", () => {
      const data = everyKind(true);
      write(store, 1, (w) => w.set("Shipment", "s1", data));
      const back = store.loadCurrent("Shipment", "s1")!;
      for (const [k, v] of data) expect(back.get(k), k).to.deep.equal(v);
      expect(back.get("id")).to.deep.equal(str("s1"));
    });
  });

  describe("block writer reads", () => {
    it("sees its own writes in get, only them in getInBlock, and nothing before commit elsewhere", () => {
      write(store, 1, (w) => w.set("Actor", A, actor("Acme")));
      const w = store.beginBlock(block(2));
      w.set("Actor", B, actor("Beta"));
      w.set("Actor", A, entity({ roles: int(2) }));
      expect(field(w.get("Actor", B), "name")).to.deep.equal(str("Beta"));
      expect(field(w.get("Actor", A), "roles")).to.deep.equal(int(2));
      expect(field(w.getInBlock("Actor", A), "name")).to.deep.equal(str("Acme"));
      expect(w.getInBlock("Actor", addr("cc"))).to.equal(null);
      expect(store.loadCurrent("Actor", B)).to.equal(null);
      expect(store.head()!.number).to.equal(1);
      w.discard();
      expect(store.loadCurrent("Actor", B)).to.equal(null);
      expect(field(store.loadCurrent("Actor", A), "roles")).to.deep.equal(int(1));
      expect(() => w.set("Actor", B, actor("late"))).to.throw(/already committed or discarded/);
    });

    it("getInBlock of an entity untouched by the block is null even when stored", () => {
      write(store, 1, (w) => w.set("Actor", A, actor("Acme")));
      const w = store.beginBlock(block(2));
      expect(w.getInBlock("Actor", A)).to.equal(null);
      expect(w.get("Actor", A)).to.not.equal(null);
      w.discard();
    });

    it("loadRelated combines stored and in-block entities by their final state, sorted by id", () => {
      write(store, 1, (w) => {
        w.set("Actor", A, actor("Acme"));
        w.set("Actor", B, actor("Beta"));
        w.set("Shipment", "s3", shipment(A));
        w.set("Shipment", "s1", shipment(A));
        w.set("Shipment", "s9", shipment(A));
      });
      const w = store.beginBlock(block(2));
      w.set("Shipment", "s2", shipment(A));
      w.set("Shipment", "s9", entity({ shipper: bytes(B) }));
      w.remove("Shipment", "s3");
      const ids = w.loadRelated("Actor", A, "shipments").map((e) => (e.get("id") as { value: string }).value);
      expect(ids).to.deep.equal(["s1", "s2"]);
      expect(w.loadRelated("Actor", B, "shipments")).to.have.length(1);
      expect(() => w.loadRelated("Actor", A, "name")).to.throw(EntityValidationError, /not derived/);
      expect(() => w.loadRelated("Actor", A, "nope")).to.throw(EntityValidationError, /unknown field `nope`/);
      w.discard();
    });

    it("loadRelated finds only the parent's own back-references when parents' ids share their first 8 bytes", () => {
      const schema = loadSubgraphSchema(TRADE_SCHEMA);
      schema.indexes = parseIndexPlan({ Shipment: { filter: ["reference"] } }, schema);
      const planned = new SqliteStore(":memory:", schema);
      try {
        const twin = "0x" + "aa".repeat(8) + "bb".repeat(12); // A's first 8 bytes
        write(planned, 1, (w) => {
          for (const [who, ids] of [
            [A, ["s1", "s4"]],
            [twin, ["s2", "s3"]],
          ] as const) {
            w.set("Actor", who, actor(who));
            for (const id of ids) w.set("Shipment", id, shipment(who));
          }
        });
        const w = planned.beginBlock(block(2));
        const ids = (who: string) =>
          w.loadRelated("Actor", who, "shipments").map((e) => (e.get("id") as { value: string }).value);
        expect(ids(A)).to.deep.equal(["s1", "s4"]);
        expect(ids(twin)).to.deep.equal(["s2", "s3"]);
        w.discard();
      } finally {
        planned.close();
      }
    });

    it("keeps the versions of entities whose Bytes ids share their first 8 bytes apart", () => {
      const twin = "0x" + "aa".repeat(8) + "bb".repeat(12); // A's first 8 bytes
      write(store, 1, (w) => w.set("Actor", A, actor("Acme")));
      write(store, 2, (w) => w.set("Actor", twin, actor("Twin")));
      write(store, 3, (w) => w.set("Actor", A, actor("Acme 2")));
      expect(ranges(store, "Actor", A)).to.deep.equal([
        [1, 3],
        [3, OPEN_BLOCK],
      ]);
      expect(ranges(store, "Actor", twin)).to.deep.equal([[2, OPEN_BLOCK]]);
      expect(store.loadCurrent("Actor", twin)!.get("name")).to.deep.equal(str("Twin"));
      expect(store.loadCurrent("Actor", A)!.get("name")).to.deep.equal(str("Acme 2"));
    });

    it("loadRelated follows a derived field through a list of references", () => {
      write(store, 1, (w) => {
        w.set("Actor", A, actor("Acme"));
        w.set("Certificate", "c1", entity({ issuedAt: ts(1n), issuer: bytes(A), origin: str("DE") }));
        w.set("Shipment", "s1", shipment(A, { certificates: arr(str("c1")) }));
        w.set("Shipment", "s2", shipment(A, { certificates: arr(str("c2"), str("c1")) }));
        w.set("Shipment", "s3", shipment(A));
      });
      const w = store.beginBlock(block(2));
      const ids = w.loadRelated("Certificate", "c1", "shipments").map((e) => (e.get("id") as { value: string }).value);
      expect(ids).to.deep.equal(["s1", "s2"]);
      w.discard();
    });

    it("reads a version it just committed as the stored row: same values, no-op writes, merges", () => {
      const data = everyKind(false);
      write(store, 1, (w) => w.set("Shipment", "s1", data));
      const seen = (n: number) => {
        const w = store.beginBlock(block(n));
        const v = w.get("Shipment", "s1");
        w.commit();
        return v;
      };
      const stored = store.loadCurrent("Shipment", "s1")!;
      expect(seen(2)).to.deep.equal(stored); // the committed row, not one read back
      write(store, 3, (w) => w.set("Shipment", "s1", data)); // the same values: no new version
      expect(ranges(store, "Shipment", "s1")).to.deep.equal([[1, OPEN_BLOCK]]);
      write(store, 4, (w) => w.set("Shipment", "s1", entity({ flagged: bool(true) })));
      expect(ranges(store, "Shipment", "s1")).to.deep.equal([
        [1, 4],
        [4, OPEN_BLOCK],
      ]);
      const merged = store.loadCurrent("Shipment", "s1")!;
      for (const [k, v] of data) if (k !== "flagged") expect(merged.get(k), k).to.deep.equal(v);
      expect(merged.get("flagged")).to.deep.equal(bool(true));
      expect(seen(5)).to.deep.equal(merged);
    });

    it("reads what the latest blocks wrote, although rows are kept across blocks", () => {
      const read = (n: number) => {
        const w = store.beginBlock(block(n));
        const v = field(w.get("Actor", A), "name");
        w.commit();
        return v;
      };
      expect(read(1)).to.equal(undefined); // absent: kept as absent ...
      write(store, 2, (w) => w.set("Actor", A, actor("Acme"))); // ... until a block writes it
      expect(read(3)).to.deep.equal(str("Acme"));
      write(store, 4, (w) => w.set("Actor", A, entity({ name: str("Acme II") })));
      expect(read(5)).to.deep.equal(str("Acme II"));
      // a block that fails at commit leaves no stale row behind
      const w = store.beginBlock(block(6));
      w.set("Actor", A, entity({ name: str("Acme III") }));
      store.db.exec(`CREATE TRIGGER fail6 BEFORE INSERT ON "e_Actor" BEGIN SELECT RAISE(ABORT, 'no'); END`);
      expect(() => w.commit()).to.throw(/no/);
      w.discard();
      store.db.exec(`DROP TRIGGER fail6`);
      expect(read(6)).to.deep.equal(str("Acme II"));
      store.revertTo(3);
      expect(read(4)).to.deep.equal(str("Acme"));
      store.revertTo(1);
      expect(read(2)).to.equal(undefined);
    });

    it("refuses a block that is not after the head and a second open block", () => {
      write(store, 5, (w) => w.set("Actor", A, actor("Acme")));
      expect(() => store.beginBlock(block(5))).to.throw(/not after the head 5/);
      expect(() => store.beginBlock(block(4))).to.throw(/not after the head 5/);
      const w = store.beginBlock(block(6));
      expect(() => store.beginBlock(block(7))).to.throw(/still open/);
      expect(() => store.revertTo(3)).to.throw(/while block 6 is open/);
      w.commit();
      expect(() => w.commit()).to.throw(/already committed/);
    });
  });

  describe("block pointers and revert", () => {
    it("records block pointers with the head atomically with the changes", () => {
      expect(store.head()).to.equal(null);
      write(store, 1, () => {});
      write(store, 4, (w) => w.set("Actor", A, actor("Acme")));
      expect(store.head()).to.deep.equal(block(4));
      expect(store.blockAt(1)).to.deep.equal(block(1));
      expect(store.blockAt(2)).to.equal(null);
      expect(store.blockByHash(block(4).hash)!.number).to.equal(4);
    });

    it("revertTo deletes later versions, reopens closed ranges and moves the head", () => {
      write(store, 1, (w) => w.set("Actor", A, actor("v1")));
      write(store, 2, (w) => w.set("Actor", A, entity({ name: str("v2") })));
      const atTwo = store.digest();
      write(store, 3, (w) => {
        w.set("Actor", A, entity({ name: str("v3") }));
        w.set("Actor", B, actor("new"));
      });
      write(store, 4, (w) => w.remove("Actor", A));
      store.revertTo(2);
      expect(ranges(store, "Actor", A)).to.deep.equal([
        [1, 2],
        [2, OPEN_BLOCK],
      ]);
      expect(store.loadCurrent("Actor", B)).to.equal(null);
      expect(field(store.loadCurrent("Actor", A), "name")).to.deep.equal(str("v2"));
      expect(store.head()).to.deep.equal(block(2));
      expect(store.blockAt(3)).to.equal(null);
      expect(store.digest()).to.equal(atTwo);
      write(store, 3, (w) => w.set("Actor", A, entity({ name: str("v3b") })));
      expect(field(store.loadCurrent("Actor", A), "name")).to.deep.equal(str("v3b"));
    });

    it("keeps the current version's list elements in the side table, and the reopened ones on revert", () => {
      const elements = () =>
        (store.db.prepare(`SELECT value, vid FROM "e_Shipment__hsCodes" ORDER BY vid, value`).all() as Row[]).map(
          (r) => `${String(r.vid)}:${String(r.value)}`,
        );
      write(store, 1, (w) => {
        w.set("Actor", A, actor("Acme"));
        w.set("Shipment", "s1", shipment(A, { hsCodes: arr(str("7304"), str("7306"), str("7304")) }));
      });
      write(store, 2, (w) => w.set("Shipment", "s1", entity({ hsCodes: arr(str("7208")) })));
      const vids = versions(store, "Shipment", "s1").map((r) => String(r.vid));
      expect(elements()).to.deep.equal([`${vids[1]}:7208`]);
      store.revertTo(1);
      expect(elements()).to.deep.equal([`${vids[0]}:7304`, `${vids[0]}:7306`]);
      write(store, 2, (w) => w.remove("Shipment", "s1"));
      expect(elements()).to.deep.equal([]);
      store.revertTo(1);
      expect(elements()).to.deep.equal([`${vids[0]}:7304`, `${vids[0]}:7306`]);
    });

    it("answers a list filter at an older block from the versions then, and at the head from the side table", async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "tt-elements-"));
      const file = path.join(dir, "store.sqlite");
      const store = openTradeStore(file);
      try {
        write(store, 1, (w) => {
          w.set("Actor", A, actor("Acme"));
          w.set("Shipment", "s1", shipment(A, { hsCodes: arr(str("7304")) }));
        });
        write(store, 2, (w) => w.set("Shipment", "s1", entity({ hsCodes: arr(str("7208")) })));
        const engine = new QueryEngine(store);
        const ids = async (block: string) =>
          (
            (await engine.execute({ query: `{ shipments(${block} where: { hsCodes_contains: ["7304"] }) { id } }` }))
              .data as { shipments: { id: string }[] }
          ).shipments.map((x) => x.id);
        expect(await ids("block: { number: 1 }")).to.deep.equal(["s1"]);
        expect(await ids("")).to.deep.equal([]);
        const reader = new SqliteStore(file, store.schema, { readonly: true });
        try {
          const statements: string[] = [];
          const head = new QueryEngine(reader, { trace: (sql) => statements.push(sql) });
          const r = await head.execute({ query: `{ shipments(where: { hsCodes_contains: ["7208"] }) { id } }` });
          expect(r.data).to.deep.equal({ shipments: [{ id: "s1" }] });
          expect(statements.join("\n")).to.include(`"e_Shipment__hsCodes"`);
        } finally {
          reader.close();
        }
      } finally {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("refuses a store file with an older table layout", () => {
      const dir = mkdtempSync(path.join(tmpdir(), "tt-layout-"));
      try {
        const file = path.join(dir, "old.sqlite");
        openTradeStore(file).close();
        const db = new Database(file);
        db.prepare(`UPDATE meta SET value = '1' WHERE key = 'layout'`).run();
        db.close();
        expect(() => openTradeStore(file)).to.throw(/older table layout/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("revertTo a block that was never committed falls back to the last one below it", () => {
      write(store, 2, (w) => w.set("Actor", A, actor("a")));
      write(store, 6, (w) => w.set("Actor", B, actor("b")));
      store.revertTo(5);
      expect(store.head()!.number).to.equal(2);
      store.revertTo(0);
      expect(store.head()).to.equal(null);
      expect(store.loadCurrent("Actor", A)).to.equal(null);
    });
  });

  describe("closed versions keep what the next version changed", () => {
    const stored = (id: string) => versions(store, "Shipment", id);

    it("leaves out the columns equal to the next version's, and keeps the back-references", () => {
      write(store, 1, (w) => {
        w.set("Actor", A, actor("Acme"));
        w.set("Shipment", "s1", shipment(A, { documentHash: bytes("0x01") }));
      });
      write(store, 2, (w) => w.set("Shipment", "s1", entity({ status: str("SHIPPED") })));
      write(store, 3, (w) => w.set("Shipment", "s1", entity({ status: str("DELIVERED"), weightKg: big(2000n) })));
      const [first, second, current] = stored("s1");
      expect(first.status).to.equal("DRAFT");
      expect([first.reference, first.weightKg, first.documentHash, first.containers]).to.deep.equal([
        null,
        null,
        null,
        null,
      ]);
      expect(second.status).to.equal("SHIPPED");
      expect(second.weightKg).to.not.equal(null);
      expect(second.reference).to.equal(null);
      // back-references stay, for the index a derived field at an older block reads
      for (const v of [first, second]) expect(Buffer.from(v.shipper as Buffer).toString("hex")).to.equal(A.slice(2));
      expect([first.same_as_next, second.same_as_next, current.same_as_next].map((x) => x !== null)).to.deep.equal([
        true,
        true,
        false,
      ]);
      expect(current.reference).to.equal("REF");
    });

    it("keeps a version closed by a remove whole, and reads every version whole at its block", async () => {
      write(store, 1, (w) => {
        w.set("Actor", A, actor("Acme"));
        w.set("Shipment", "s1", shipment(A, { documentHash: bytes("0x01") }));
      });
      write(store, 2, (w) => w.set("Shipment", "s1", entity({ containers: int(2) })));
      write(store, 3, (w) => w.remove("Shipment", "s1"));
      write(store, 4, (w) => w.set("Shipment", "s1", shipment(A, { containers: int(2) })));
      expect(stored("s1").map((v) => v.same_as_next !== null)).to.deep.equal([true, false, false]);
      const engine = new QueryEngine(store);
      const at = async (n: number) =>
        (
          await engine.execute({
            query: `{ shipment(id: "s1", block: { number: ${n} }) { reference containers documentHash shipper { name shipments { id } } } }`,
          })
        ).data;
      const whole = (containers: number, documentHash: string | null) => ({
        shipment: { reference: "REF", containers, documentHash, shipper: { name: "Acme", shipments: [{ id: "s1" }] } },
      });
      expect(await at(1)).to.deep.equal(whole(1, "0x01"));
      expect(await at(2)).to.deep.equal(whole(2, "0x01"));
      expect(await at(3)).to.deep.equal({ shipment: null });
      expect(await at(4)).to.deep.equal(whole(2, null));
    });

    it("answers like the memory store at every block, after any revert, whatever was left out", async () => {
      // A seeded walk of partial sets, removes and re-creations over 40 blocks, on both stores.
      const memory = new MemoryStore(store.schema);
      let seed = 7;
      const next = (n: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0), (seed >>> 8) % n);
      const ids = ["s1", "s2", "s3"];
      const step = (w: BlockWriter, alive: Set<string>) => {
        const id = ids[next(ids.length)];
        if (!alive.has(id)) {
          w.set("Shipment", id, shipment(A, { containers: int(next(3)) }));
          alive.add(id);
        } else if (next(8) === 0) {
          w.remove("Shipment", id);
          alive.delete(id);
        } else {
          const change: Record<string, StoreValue> = {};
          if (next(2)) change.status = str(["DRAFT", "SHIPPED", "DELIVERED"][next(3)]);
          if (next(2)) change.containers = int(next(3));
          if (next(2)) change.documentHash = next(2) ? bytes(`0x0${next(3)}`) : nul;
          if (next(3) === 0) change.shipper = bytes(next(2) ? A : B);
          if (next(3) === 0) change.hsCodes = arr(...[...Array(next(3)).keys()].map((k) => str(`730${k}`)));
          w.set("Shipment", id, entity(change));
        }
      };
      const query = (n: number) =>
        `{ shipments(block: { number: ${n} }, orderBy: id) { id reference status containers documentHash hsCodes shipper { id } } ` +
        `actors(block: { number: ${n} }) { id shipments { id status } } }`;
      const same = async (head: number) => {
        for (let n = 1; n <= head; n++) {
          const [a, b] = await Promise.all([store, memory].map((s) => new QueryEngine(s).execute({ query: query(n) })));
          expect(a, `block ${n}`).to.deep.equal(b);
        }
      };
      const run = async (from: number, to: number) => {
        const alive = new Set<string>(
          (
            (await new QueryEngine(memory).execute({ query: "{ shipments { id } }" })).data!.shipments as {
              id: string;
            }[]
          ).map((x) => x.id),
        );
        for (let n = from; n <= to; n++) {
          const picks = seed;
          for (const s of [store, memory]) {
            seed = picks; // the same steps on both stores
            const aliveHere = new Set(alive);
            const w = s.beginBlock(block(n));
            if (n === 1) {
              w.set("Actor", A, actor("Acme"));
              w.set("Actor", B, actor("Bolt"));
            }
            for (let k = 0; k < 2; k++) step(w, aliveHere);
            w.commit();
            if (s === memory) for (const id of ids) aliveHere.has(id) ? alive.add(id) : alive.delete(id);
          }
        }
      };
      await run(1, 40);
      const leftOut = store.db
        .prepare(`SELECT count(*) AS n FROM "e_Shipment" WHERE same_as_next IS NOT NULL`)
        .get() as Row;
      expect(Number(leftOut.n)).to.be.greaterThan(10);
      await same(40);
      store.revertTo(23);
      memory.revertTo(23);
      await same(23);
      await run(24, 40);
      await same(40);
    });
  });

  describe("immutable entities", () => {
    const event = (status: string) => entity({ shipment: str("s1"), status: str(status), at: ts(5n) });

    it("accepts repeated sets within the inserting block and never closes the range", () => {
      write(store, 1, (w) => {
        w.set("ShipmentEvent", "e1", event("DRAFT"));
        w.set("ShipmentEvent", "e1", entity({ note: str("created") }));
      });
      write(store, 2, (w) => w.set("ShipmentEvent", "e2", event("SHIPPED")));
      expect(ranges(store, "ShipmentEvent", "e1")).to.deep.equal([[1, OPEN_BLOCK]]);
      expect(field(store.loadCurrent("ShipmentEvent", "e1"), "note")).to.deep.equal(str("created"));
    });

    it("rejects a set in a later block and any remove", () => {
      write(store, 1, (w) => w.set("ShipmentEvent", "e1", event("DRAFT")));
      const w = store.beginBlock(block(2));
      expect(() => w.set("ShipmentEvent", "e1", event("SHIPPED")))
        .to.throw(EntityValidationError)
        .with.property("message")
        .that.matches(/ShipmentEvent\[e1\].*immutable.*block 2.*already inserted at block 1/);
      expect(() => w.remove("ShipmentEvent", "e1")).to.throw(
        EntityValidationError,
        /ShipmentEvent\[e1\].*only allows inserts/,
      );
      w.commit();
      expect(ranges(store, "ShipmentEvent", "e1")).to.deep.equal([[1, OPEN_BLOCK]]);
    });
  });

  describe("validation", () => {
    let w: ReturnType<SqliteStore["beginBlock"]>;
    beforeEach(() => {
      write(store, 1, (x) => x.set("Actor", A, actor("Acme")));
      w = store.beginBlock(block(2));
    });
    afterEach(() => w.discard());

    const cases: [string, () => void, RegExp][] = [
      ["an unknown entity type", () => w.set("Ghost", "g1", entity({})), /Ghost\[g1\].*not an entity type/],
      ["an interface", () => w.set("Document", "d1", entity({})), /Document\[d1\].*interface/],
      [
        "an unknown field",
        () => w.set("Actor", A, entity({ nickname: str("x"), alias: str("y") })),
        /Actor\[0xa{40}\].*undefined fields \[nickname, alias\]/,
      ],
      [
        "a wrong value kind",
        () => w.set("Actor", A, entity({ roles: big(1n) })),
        /Actor\[0xa{40}\].*field `roles` must have type Int! but has type BigInt/,
      ],
      [
        "an Int8 where a BigInt belongs",
        () => w.set("Shipment", "s1", shipment(A, { weightKg: int8(1n) })),
        /Shipment\[s1\].*`weightKg` must have type BigInt!/,
      ],
      [
        "an Int beyond 32 bits",
        () => w.set("Actor", A, entity({ roles: int(2 ** 31) })),
        /Actor\[.*\].*`roles`.*32-bit/,
      ],
      [
        "a missing required field",
        () => w.set("Actor", B, entity({ name: str("Beta") })),
        /Actor\[0xb{40}\].*missing value for non-nullable field `roles`/,
      ],
      [
        "null in a non-null field",
        () => w.set("Actor", A, entity({ name: nul })),
        /Actor\[0xa{40}\].*null value for non-nullable field `name`/,
      ],
      [
        "setting a derived field",
        () => w.set("Actor", A, entity({ shipments: arr() })),
        /Actor\[0xa{40}\].*field `shipments` is derived and cannot be set/,
      ],
      [
        "a value outside the enum",
        () => w.set("Shipment", "s1", shipment(A, { status: str("LOST") })),
        /Shipment\[s1\].*`status`.*not one of DRAFT, SHIPPED, DELIVERED/,
      ],
      [
        "a null element in a [T!] list",
        () => w.set("Shipment", "s1", shipment(A, { hsCodes: arr(str("7304"), nul) })),
        /Shipment\[s1\].*`hsCodes`.*null element/,
      ],
      [
        "a scalar where a list belongs",
        () => w.set("Shipment", "s1", shipment(A, { hsCodes: str("7304") })),
        /Shipment\[s1\].*`hsCodes` must have type \[String!\]!/,
      ],
      [
        "an id value that differs from the id argument",
        () => w.set("Shipment", "s1", shipment(A, { id: str("s2") })),
        /Shipment\[s1\].*conflicts with the ID/,
      ],
      [
        "an id value of the wrong kind",
        () => w.set("Actor", A, actor("x", { id: str(A) })),
        /Actor\[0xa{40}\].*`id` must have type Bytes!/,
      ],
      ["an id that is not hex for a Bytes id", () => w.set("Actor", "zz", actor("x")), /Actor\[zz\].*Id::Bytes/],
      [
        "a reference of the wrong id kind",
        () => w.set("Shipment", "s1", shipment(A, { shipper: str(A) })),
        /Shipment\[s1\].*`shipper` must have type Actor! but has type String/,
      ],
    ];
    for (const [what, act, message] of cases) {
      it(`rejects ${what}`, () => {
        expect(act).to.throw(EntityValidationError, message);
      });
    }

    it("leaves the block untouched by a rejected set", () => {
      expect(() => w.set("Actor", A, entity({ name: str("Renamed"), roles: str("x") }))).to.throw(
        EntityValidationError,
      );
      expect(field(w.get("Actor", A), "name")).to.deep.equal(str("Acme"));
    });

    it("accepts a Bytes id with or without 0x and in any case, as one entity", () => {
      w.set("Actor", "0x" + "CC".repeat(20), actor("Upper"));
      w.set("Actor", "cc".repeat(20), entity({ roles: int(3) }));
      w.commit();
      expect(ranges(store, "Actor", addr("cc"))).to.deep.equal([[2, OPEN_BLOCK]]);
      expect(field(store.loadCurrent("Actor", addr("cc")), "roles")).to.deep.equal(int(3));
    });
  });

  describe("digest", () => {
    const fill = (s: SqliteStore, name: string) => {
      write(s, 1, (w) => {
        w.set("Actor", A, actor("Acme"));
        w.set("Shipment", "s1", shipment(A, { weightKg: big(2n ** 70n) }));
      });
      write(s, 2, (w) => w.set("Actor", A, entity({ name: str(name) })));
    };

    it("is equal for equal writes and differs for different ones", () => {
      const other = openTradeStore();
      const third = openTradeStore();
      try {
        fill(store, "Acme Steel");
        fill(other, "Acme Steel");
        fill(third, "Acme Steel GmbH");
        expect(store.digest()).to.match(/^[0-9a-f]{64}$/);
        expect(store.digest()).to.equal(other.digest());
        expect(store.digest()).to.not.equal(third.digest());
      } finally {
        other.close();
        third.close();
      }
    });

    it("changes with block ranges even when the final data is the same", () => {
      const other = openTradeStore();
      try {
        write(store, 1, (w) => w.set("Actor", A, actor("Acme")));
        write(other, 2, (w) => w.set("Actor", A, actor("Acme")));
        expect(store.digest()).to.not.equal(other.digest());
      } finally {
        other.close();
      }
    });
  });

  describe("persistence", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), "tt-store-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("uses WAL, survives reopening and refuses a different schema", () => {
      const file = path.join(dir, "store.sqlite");
      const s1 = openTradeStore(file);
      expect(s1.db.pragma("journal_mode", { simple: true })).to.equal("wal");
      write(s1, 3, (w) => w.set("Actor", A, actor("Acme")));
      const digest = s1.digest();
      s1.close();
      const s2 = openTradeStore(file);
      expect(s2.head()!.number).to.equal(3);
      expect(s2.digest()).to.equal(digest);
      s2.close();
      expect(() => SqliteStore.fromSdl(file, `type X @entity { id: ID! }`)).to.throw(/different schema/);
    });

    it("serves a read-only reader beside the writer", () => {
      const file = path.join(dir, "store.sqlite");
      expect(() => SqliteStore.open(file, TRADE_SCHEMA, { readonly: true })).to.throw();
      const writer = openTradeStore(file);
      const reader = SqliteStore.open(file, TRADE_SCHEMA, { readonly: true });
      try {
        write(writer, 1, (w) => w.set("Actor", A, actor("Acme")));
        expect(reader.head()!.number).to.equal(1);
        write(writer, 2, (w) => w.set("Actor", A, entity({ name: str("Acme 2") })));
        expect(field(reader.loadCurrent("Actor", A), "name")).to.deep.equal(str("Acme 2"));
        const w = reader.beginBlock(block(3));
        w.set("Actor", B, actor("Beta"));
        expect(() => w.commit()).to.throw(/readonly/);
        w.discard();
        expect(() => SqliteStore.fromSdl(file, `type X @entity { id: ID! }`, { readonly: true })).to.throw(
          /different schema/,
        );
      } finally {
        reader.close();
        writer.close();
      }
      const empty = path.join(dir, "empty.sqlite");
      new Database(empty).close();
      expect(() => SqliteStore.open(empty, TRADE_SCHEMA, { readonly: true })).to.throw(/not been initialised/);
    });
  });
});
