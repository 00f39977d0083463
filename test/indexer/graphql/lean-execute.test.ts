/**
 * The lean executor against graphql-js's `execute` on a hand-made schema whose resolvers misbehave in every way
 * graphql-js has an answer for: each answer (data, errors, their paths and locations) must be the same JSON.
 */
import { expect } from "chai";
import { buildSchema, execute, parse, type GraphQLSchema } from "graphql";
import { leanExecute } from "../../../indexer/graphql/lean-execute";

type Json = Record<string, unknown>;

const SDL = `
  enum Colour { RED GREEN }
  interface Named { name: String }
  type Item implements Named {
    name: String
    size: Int
    colour: Colour
    tags: [String!]
    strictTags: [String!]!
    must: String!
    child: Item
    strictChild: Item!
    children(first: Int = 2, where: String): [Item]
    strictChildren: [Item!]
    other: Named
  }
  type Other implements Named { name: String }
  type Query {
    item(id: Int!): Item
    strictItem: Item!
    items(first: Int): [Item!]!
    named(kind: String): Named
    list: [Named]
    greeting: String
  }
`;

/** Items whose fields answer from `fields`; a function field is called as the resolver would be. */
function schema(): GraphQLSchema {
  const s = buildSchema(SDL);
  const item = (id: number, extra: Json = {}): Json => ({
    id,
    name: `item ${id}`,
    size: id,
    colour: id % 2 ? "RED" : "GREEN",
    tags: ["a", "b"],
    strictTags: ["x"],
    must: "m",
    ...extra,
  });
  const items: Record<number, Json> = {
    1: item(1),
    2: item(2, { must: null }),
    3: item(3, { size: "three", colour: "BLUE", tags: ["a", null] }),
    4: item(4, { tags: 7, strictTags: [null] }),
    5: item(5, { name: () => new Error("resolver gave an Error") }),
  };
  const q = s.getQueryType()!.getFields();
  q.item.resolve = (_r, a: { id: number }) => items[a.id] ?? null;
  q.strictItem.resolve = () => items[2];
  q.items.resolve = (_r, a: { first?: number }) => Object.values(items).slice(0, a.first ?? 5);
  q.named.resolve = (_r, a: { kind?: string }) => ({ kind: a.kind, name: "n" });
  q.list.resolve = () => new Set([{ kind: "Item", name: "i" }, { kind: "Other", name: "o" }, null]);
  q.greeting.resolve = () => {
    throw new Error("no greeting");
  };
  const i = (s.getType("Item") as ReturnType<typeof s.getQueryType> & object).getFields();
  i.child.resolve = (src: Json) => items[(src.id as number) + 1] ?? null;
  i.strictChild.resolve = (src: Json) => items[(src.id as number) + 1] ?? null;
  i.children.resolve = (src: Json, a: { first: number; where?: string }) => {
    if (a.where === "boom") throw new Error(`children of ${String(src.id)} failed`);
    return [1, 2, 3, 4, 5].slice(0, a.first).map((n) => items[n]);
  };
  i.strictChildren.resolve = () => [items[1], null, items[2]];
  i.other.resolve = (src: Json) => ({ kind: src.id === 1 ? "Other" : "Item", name: "x", id: 9 });
  (s.getType("Named") as unknown as { resolveType: (v: Json) => unknown }).resolveType = (v: Json) => {
    if (v.kind === "object") return s.getType("Other");
    if (v.kind === 42) return 42;
    return v.kind;
  };
  return s;
}

describe("indexer/graphql lean executor", () => {
  const s = schema();

  /** Both executors' answers as JSON; the lean one must take the operation. */
  function both(query: string, variables?: Json, operationName?: string): { lean: string; reference: string } {
    const args = { schema: s, document: parse(query), variableValues: variables, operationName };
    const lean = leanExecute(args);
    expect(lean, "the lean executor declined").to.not.equal(undefined);
    return { lean: JSON.stringify(lean), reference: JSON.stringify(execute(args)) };
  }

  /** Asserts both executors answer alike; returns the answer. */
  function same(query: string, variables?: Json, operationName?: string): Json {
    const { lean, reference } = both(query, variables, operationName);
    expect(lean).to.equal(reference);
    return JSON.parse(lean) as Json;
  }

  it("answers scalars, enums, lists of scalars, nested objects, arguments and defaults", () => {
    const r = same(`{ item(id: 1) { name size colour tags strictTags must child { name child { size } }
      children { name } three: children(first: 3) { size } } greeting2: item(id: 2) { name } }`);
    // item 3's size is not an Int.
    expect((r.errors as Json[]).map((e) => e.path)).to.deep.equal([
      ["item", "child", "child", "size"],
      ["item", "three", 2, "size"],
    ]);
    expect((r.data as Json).item).to.deep.include({ name: "item 1", colour: "RED", tags: ["a", "b"] });
    expect(((r.data as Json).item as Json).three).to.have.length(3);
  });

  it("answers aliases, fragments, inline fragments, directives and __typename", () => {
    const r = same(
      `query Q($skip: Boolean!, $n: Int) {
        __typename
        a: item(id: 1) { ...F t: __typename b: name @skip(if: $skip) c: name @include(if: $skip) ... { size } }
        list { __typename ... on Item { size } ... on Other { name } ...N }
        items(first: $n) { ...F }
      }
      fragment F on Item { name colour children(first: $n) { __typename name } }
      fragment N on Named { name }`,
      { skip: true, n: 2 },
    );
    expect(r.errors).to.equal(undefined);
    expect((r.data as Json).__typename).to.equal("Query");
    expect((r.data as Json).list).to.deep.equal([
      { __typename: "Item", size: null, name: "i" },
      { __typename: "Other", name: "o" },
      null,
    ]);
  });

  it("reports resolver errors, thrown and returned, at their paths and nulls the nearest nullable parent", () => {
    const r = same(
      `{ greeting item(id: 5) { name size } strict: item(id: 2) { must } sc: item(id: 1) { strictChild { must } } }`,
    );
    expect((r.errors as Json[]).map((e) => e.path)).to.deep.equal([
      ["greeting"],
      ["item", "name"],
      ["strict", "must"],
      ["sc", "strictChild", "must"],
    ]);
    expect((r.data as Json).strict).to.equal(null);
    expect((r.data as Json).sc).to.equal(null);
    expect((r.data as Json).item).to.deep.equal({ name: null, size: 5 });
  });

  it("propagates a non-null failure to data: null", () => {
    const r = same(`{ greeting strictItem { must } }`);
    expect(r.data).to.equal(null);
    expect(r.errors).to.have.length(2);
  });

  it("reports list items that fail to complete, nullable and non-null", () => {
    const r = same(`{ item(id: 3) { tags size colour } b: item(id: 4) { tags } c: item(id: 4) { strictTags }
      d: item(id: 1) { strictChildren { name } } items { must } }`);
    expect(r.errors).to.have.length.greaterThan(4);
  });

  it("reports abstract types that resolve badly", () => {
    const r = same(`{ a: named(kind: "Nope") { name } b: named(kind: "Query") { name } c: named(kind: "Colour") { name }
      d: named(kind: "object") { name } e: named { name } f: named(kind: "Item") { name ... on Item { must } }
      g: item(id: 1) { other { name } } }`);
    expect((r.errors as Json[]).map((e) => (e.path as string[])[0])).to.deep.equal(["a", "b", "c", "d", "e", "f"]);
    expect((r.data as Json).g).to.deep.equal({ other: { name: "x" } });
  });

  it("reports argument errors for each object at its own path, and variable errors before executing", () => {
    const r = same(`query ($n: Int) { items { children(first: $n, where: "boom") { name } } }`, { n: 1 });
    expect((r.errors as Json[]).map((e) => e.path)).to.deep.equal([0, 1, 2, 3, 4].map((i) => ["items", i, "children"]));
    expect((r.data as Json).items).to.deep.equal(Array(5).fill({ children: null }));
    same(`query ($n: Int!) { item(id: $n) { name } }`, {});
    same(`query ($n: Int!) { item(id: $n) { name } }`, { n: "x" });
    // A non-null field that fails takes its parent with it: items' entries are non-null, so data is null.
    const strict = same(`{ items { name strictChild { must } } }`);
    expect(strict.data).to.equal(null);
  });

  it("picks the operation by name and reports missing or ambiguous ones", () => {
    expect(
      same(`query A { greeting2: item(id: 1) { name } } query B { item(id: 2) { size } }`, {}, "B").data,
    ).to.deep.equal({ item: { size: 2 } });
    same(`query A { item(id: 1) { name } } query B { item(id: 2) { size } }`);
    same(`query A { item(id: 1) { name } }`, {}, "C");
  });

  it("keeps a __proto__ response name as data", () => {
    const r = same(`{ __proto__: item(id: 1) { __proto__: name } }`);
    expect(JSON.stringify(r)).to.contain(`"__proto__":{"__proto__":"item 1"}`);
  });

  it("leaves introspection and other operation types to graphql-js", () => {
    for (const query of [
      `{ __schema { queryType { name } } }`,
      `{ __type(name: "Item") { name } }`,
      `mutation { x }`,
    ]) {
      expect(leanExecute({ schema: s, document: parse(query) }), query).to.equal(undefined);
    }
  });
});
