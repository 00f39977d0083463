/**
 * List filters on lists of Bytes references and of BigInts, which the shared spec's trade schema has none of:
 * whole-list equality (also with an element no Bytes id can be) and `_contains`, at an older block and the head,
 * the same from the memory store, a SQLite store's own connection and a read-only snapshot (element tables).
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { QueryEngine } from "../../../indexer/graphql/engine";
import { parseIndexPlan } from "../../../indexer/schema/index-plan";
import { parseSubgraphSchema } from "../../../indexer/schema/parse";
import { MemoryStore } from "../../../indexer/store/memory";
import { SqliteStore } from "../../../indexer/store/sqlite";
import type { EntityStore, StoreValue } from "../../../indexer/store/types";
import type { Queryable } from "../../../indexer/store/query-store";

const SDL = `
type Heat @entity(immutable: false) {
  id: Bytes!
  buyers: [Buyer!]!
  grades: [BigInt!]!
}
type Buyer @entity(immutable: true) {
  id: Bytes!
}
`;
const hex = (byte: string, n: number) => "0x" + byte.repeat(n);
const [H1, H2, H3] = ["01", "02", "03"].map((b) => hex(b, 4));
const [B1, B2, B3] = ["b1", "b2", "b3"].map((b) => hex(b, 20));
const bytesList = (...h: string[]): StoreValue => ({
  kind: "Array",
  value: h.map((x) => ({ kind: "Bytes", value: Buffer.from(x.slice(2), "hex") })),
});
const bigList = (...v: bigint[]): StoreValue => ({
  kind: "Array",
  value: v.map((x) => ({ kind: "BigInt", value: x })),
});

function seed(store: EntityStore): void {
  let w = store.beginBlock({ number: 1, hash: hex("a1", 32) });
  w.set(
    "Heat",
    H1,
    new Map([
      ["buyers", bytesList(B1, B2)],
      ["grades", bigList(5n, -5n)],
    ]),
  );
  w.set(
    "Heat",
    H2,
    new Map([
      ["buyers", bytesList(B2)],
      ["grades", bigList(7n)],
    ]),
  );
  w.set(
    "Heat",
    H3,
    new Map([
      ["buyers", bytesList()],
      ["grades", bigList()],
    ]),
  );
  w.commit();
  w = store.beginBlock({ number: 2, hash: hex("a2", 32) });
  w.set(
    "Heat",
    H1,
    new Map([
      ["buyers", bytesList(B3)],
      ["grades", bigList(5n, -5n)],
    ]),
  );
  w.commit();
}

/** [filter, ids at block 1, ids at the head (block 2)] */
const CASES: [string, string[], string[]][] = [
  [`buyers: ["${B1}", "${B2}"]`, [H1], []],
  [`buyers: []`, [H3], [H3]],
  [`buyers: ["not hex"]`, [], []],
  [`buyers_not: ["not hex"]`, [H1, H2, H3], [H1, H2, H3]],
  [`buyers_not: ["${B2}"]`, [H1, H3], [H1, H3]],
  [`buyers_contains: ["${B2}"]`, [H1, H2], [H2]],
  [`buyers_contains: ["${B3}"]`, [], [H1]],
  [`buyers_contains: ["${B3.toUpperCase().replace("0X", "0x")}"]`, [], [H1]],
  [`buyers_not_contains: ["${B2}"]`, [H3], [H1, H3]],
  [`grades_contains: ["5"]`, [H1], [H1]],
  [`grades: ["7"]`, [H2], [H2]],
  [`grades_contains: ["-5", "5"]`, [H1], [H1]],
];

async function ids(store: Queryable, filter: string, block?: number): Promise<string[]> {
  const at = block === undefined ? "" : `, block: { number: ${block} }`;
  const r = await new QueryEngine(store).execute({ query: `{ heats(where: { ${filter} }${at}, orderBy: id) { id } }` });
  expect(r.errors, filter).to.equal(undefined);
  return (r.data!.heats as { id: string }[]).map((h) => h.id);
}

describe("indexer/store list filters on lists of Bytes references and BigInts", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), "tt-list-filters-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const model = () => {
    const m = parseSubgraphSchema(SDL);
    m.indexes = parseIndexPlan({ Heat: { filter: ["buyers", "grades"] } }, m);
    return m;
  };

  it("answers alike from the memory store, a SQLite writer and a read-only snapshot at the head", async () => {
    const memory = new MemoryStore(model());
    seed(memory);
    const file = path.join(dir, "store.sqlite");
    const sqlite = new SqliteStore(file, model());
    seed(sqlite);
    const reader = new SqliteStore(file, model(), { readonly: true });
    try {
      for (const [filter, atOne, atHead] of CASES) {
        for (const [name, store] of [
          ["memory", memory],
          ["sqlite", sqlite],
        ] as const) {
          expect(await ids(store, filter, 1), `${name} ${filter} at 1`).to.deep.equal(atOne);
          expect(await ids(store, filter), `${name} ${filter} at head`).to.deep.equal(atHead);
        }
        const q = reader.queryStore();
        expect(await q.snapshot(() => ids(reader, filter)), `snapshot ${filter}`).to.deep.equal(atHead);
        expect(await q.snapshot(() => ids(reader, filter, 1)), `snapshot ${filter} at 1`).to.deep.equal(atOne);
      }
    } finally {
      reader.close();
      sqlite.close();
    }
  });
});
