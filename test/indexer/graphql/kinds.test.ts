import { expect } from "chai";
import { QueryEngine } from "../../../indexer/graphql/engine";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { EntityValidationError, type EntityData } from "../../../indexer/store/types";
import { KINDS_SCHEMA, arr, big, block, bool, bytes, dec, entity, int, int8, nul, str, ts } from "../../helpers/store";

type Json = Record<string, unknown>;

/** Int8 ids beyond 2^53 must survive JSON lists, references and the query API exactly. */
const LONG = 2n ** 53n + 1n;

describe("indexer Int8 ids and lists of every kind", () => {
  let store: SqliteStore;
  let engine: QueryEngine;
  let h10: EntityData;

  before(() => {
    store = SqliteStore.open(":memory:", KINDS_SCHEMA, { deployment: "QmKinds" });
    h10 = entity({
      label: str("ten"),
      bigs: arr(big(2n ** 64n + 1n), big(-7n)),
      decs: arr(dec(15n, -1), dec(-2n, 3)),
      blobs: arr(bytes("0xabcd"), bytes("0x")),
      flags: arr(bool(true)),
      stamps: arr(ts(1_700_000_000_000_000n)),
      longs: arr(int8(LONG), int8(-1n)),
      ints: arr(int(3), nul),
      parts: arr(int8(LONG), int8(2n)),
    });
    const w = store.beginBlock(block(1));
    w.set("Holder", "10", h10);
    w.set("Holder", "-3", entity({ label: str("minus three"), flags: arr(bool(false)) }));
    w.set("Holder", "5", entity({ label: str("five") }));
    w.set(
      "Part",
      LONG.toString(),
      entity({ holder: int8(10n), holders: arr(int8(10n), int8(5n)), size: dec(25n, -1) }),
    );
    w.set("Part", "2", entity({ holder: int8(10n), holders: arr(int8(-3n)), primaryOf: int8(10n) }));
    w.set("Part", "9", entity({ holder: int8(5n), holders: arr(int8(10n)), size: dec(5n, -1) }));
    w.commit();
    engine = new QueryEngine(store);
  });
  after(() => store.close());

  async function data(query: string): Promise<Json> {
    const r = await engine.execute({ query });
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    return r.data as Json;
  }

  describe("store", () => {
    it("reads back lists of every kind exactly", () => {
      const back = store.loadCurrent("Holder", "10")!;
      for (const [k, v] of h10) expect(back.get(k), k).to.deep.equal(v);
      expect(back.get("id")).to.deep.equal(int8(10n));
    });

    it("loads related entities through Int8 references, in numeric id order", () => {
      const w = store.beginBlock(block(2));
      try {
        const owned = w.loadRelated("Holder", "10", "owned").map((e) => e.get("id"));
        expect(owned).to.deep.equal([int8(2n), int8(LONG)]);
        const tagged = w.loadRelated("Holder", "10", "tagged").map((e) => e.get("id"));
        expect(tagged).to.deep.equal([int8(9n), int8(LONG)]);
        w.set("Part", "1", entity({ holders: arr(int8(10n)) }));
        expect(w.loadRelated("Holder", "10", "tagged").map((e) => e.get("id"))).to.deep.equal([
          int8(1n),
          int8(9n),
          int8(LONG),
        ]);
      } finally {
        w.discard();
      }
    });

    it("rejects ids that are not Int8 and Int8 values beyond 64 bits", () => {
      const w = store.beginBlock(block(2));
      try {
        expect(() => w.set("Holder", "ten", entity({ label: str("x") }))).to.throw(EntityValidationError, /Id::Int8/);
        expect(() => w.set("Holder", (2n ** 63n).toString(), entity({ label: str("x") }))).to.throw(/Id::Int8/);
        expect(() => w.set("Holder", "7", entity({ label: str("x"), longs: arr(int8(2n ** 63n)) }))).to.throw(
          EntityValidationError,
          /`longs`.*does not fit 64 bits/,
        );
        expect(() => w.set("Holder", "7", entity({ label: str("x"), ints: arr(arr(int(1))) }))).to.throw(
          EntityValidationError,
          /nested list/,
        );
        expect(() => w.set("Holder", "7", entity({ label: str("x"), ints: int(1) }))).to.throw(
          EntityValidationError,
          /`ints` must have type \[Int\] but has type Int/,
        );
        expect(() => w.set("Holder", "7", entity({ id: str("7"), label: str("x") }))).to.throw(
          EntityValidationError,
          /`id` must have type Int8!/,
        );
      } finally {
        w.discard();
      }
    });

    it("uses the deployment it was opened with", async () => {
      expect(store.deployment()).to.equal("QmKinds");
      expect((await data(`{ _meta { deployment } }`))._meta).to.deep.equal({ deployment: "QmKinds" });
    });
  });

  describe("query API", () => {
    it("orders Int8 ids numerically and prints them as strings", async () => {
      const d = await data(`{ holders(orderBy: id) { id } parts(orderBy: id, orderDirection: desc) { id } }`);
      expect(d).to.deep.equal({
        holders: [{ id: "-3" }, { id: "5" }, { id: "10" }],
        parts: [{ id: LONG.toString() }, { id: "9" }, { id: "2" }],
      });
    });

    it("serialises lists of every kind", async () => {
      const d = await data(`{ holder(id: "10") { bigs decs blobs flags stamps longs ints } }`);
      expect(d.holder).to.deep.equal({
        bigs: ["18446744073709551617", "-7"],
        decs: ["1.5", "-2000"],
        blobs: ["0xabcd", "0x"],
        flags: [true],
        stamps: ["1700000000000000"],
        longs: [LONG.toString(), "-1"],
        ints: [3, null],
      });
    });

    it("resolves references, lists of references and derived fields through Int8 ids", async () => {
      const d = await data(`{ holder(id: "10") {
        parts { id size }
        owned { id }
        tagged(orderBy: size) { id }
        main { id }
      } part(id: "9") { holder { label } holders { label } } }`);
      expect(d).to.deep.equal({
        holder: {
          parts: [
            { id: "2", size: null },
            { id: LONG.toString(), size: "2.5" },
          ],
          owned: [{ id: "2" }, { id: LONG.toString() }],
          tagged: [{ id: "9" }, { id: LONG.toString() }],
          main: { id: "2" },
        },
        part: { holder: { label: "five" }, holders: [{ label: "ten" }] },
      });
    });

    const cases: [string, string[]][] = [
      [`bigs_contains: ["18446744073709551617"]`, ["10"]],
      [`bigs_not_contains: ["-7"]`, []],
      [`decs_contains: ["1.50", "-2e3"]`, ["10"]],
      [`blobs_contains: ["0xABCD"]`, ["10"]],
      [`flags_contains: [true]`, ["10"]],
      [`flags_contains: [false]`, ["-3"]],
      [`flags: null`, ["5"]],
      [`flags_not: null`, ["-3", "10"]],
      [`stamps_contains: ["1700000000000000"]`, ["10"]],
      [`longs_contains: ["${LONG}"]`, ["10"]],
      [`longs_contains: ["${LONG - 1n}"]`, []],
      [`ints_contains: [3]`, ["10"]],
      [`parts_contains: [2]`, ["10"]],
      [`parts_: { size_gt: "2" }`, ["10"]],
      [`owned_: { id: "${LONG}" }`, ["10"]],
      [`tagged_: { size: "0.5" }`, ["10"]],
      [`main_: { id_gte: 0 }`, ["10"]],
      [`id_in: []`, []],
      [`id_not_in: []`, ["-3", "5", "10"]],
      [`id_gt: "-4", id_lt: 10`, ["-3", "5"]],
    ];
    for (const [where, expected] of cases) {
      it(`where { ${where} }`, async () => {
        const d = await data(`{ holders(orderBy: id, where: { ${where} }) { id } }`);
        expect((d.holders as { id: string }[]).map((h) => h.id)).to.deep.equal(expected);
      });
    }

    it("filters parts by Int8 references", async () => {
      const d = await data(
        `{ parts(orderBy: id, where: { holder: 10 }) { id } tagged: parts(where: { holders_contains: [-3] }) { id } }`,
      );
      expect(d).to.deep.equal({ parts: [{ id: "2" }, { id: LONG.toString() }], tagged: [{ id: "2" }] });
    });

    it("rejects null for comparison filters", async () => {
      const r = await engine.execute({ query: `{ holders(where: { label_gt: null }) { id } }` });
      expect(r.errors![0].message).to.match(/`label_gt` does not accept null/);
      const l = await engine.execute({ query: `{ holders(where: { bigs_contains: null }) { id } }` });
      expect(l.errors![0].message).to.match(/`bigs_contains` does not accept null/);
    });
  });
});
