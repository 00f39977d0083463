/** jsonBytes writes exactly the bytes of Buffer.from(JSON.stringify(value)), for every kind of value. */
import { expect } from "chai";
import { GraphQLError } from "graphql";
import { jsonBytes } from "../../../indexer/graphql/json-bytes";
import { Prng } from "../../helpers/prng";

function same(value: unknown, hint?: number): Buffer {
  const bytes = jsonBytes(value, hint);
  expect(bytes.toString("utf8")).to.equal(JSON.stringify(value));
  expect(bytes.equals(Buffer.from(JSON.stringify(value)))).to.equal(true);
  return bytes;
}

/** A string of random UTF-16 code units, weighted towards the ones that need care. */
function randomString(rng: Prng): string {
  const units: number[] = [];
  for (let i = rng.int(0, 12); i > 0; i--) {
    const kind = rng.weighted({ ascii: 4, control: 2, escape: 2, latin: 1, bmp: 1, pair: 1, lone: 1 });
    if (kind === "ascii") units.push(rng.int(0x20, 0x7f));
    else if (kind === "control") units.push(rng.int(0, 0x1f));
    else if (kind === "escape") units.push(rng.pick([0x22, 0x5c, 0x2f, 0x7f]));
    else if (kind === "latin") units.push(rng.int(0x80, 0x7ff));
    else if (kind === "bmp") units.push(rng.pick([0x800, 0x9341, 0xfffd, 0xffff, 0xe000]));
    else if (kind === "pair") units.push(rng.int(0xd800, 0xdbff), rng.int(0xdc00, 0xdfff));
    else units.push(rng.int(0xd800, 0xdfff));
  }
  return String.fromCharCode(...units);
}

function randomValue(rng: Prng, depth: number): unknown {
  const kind = rng.weighted({ string: 4, number: 2, scalar: 2, array: depth > 0 ? 2 : 0, object: depth > 0 ? 2 : 0 });
  if (kind === "string") return randomString(rng);
  if (kind === "number")
    return rng.pick([0, -0, 1, -7, 0.1, 1e21, 5e-7, 2 ** 53 + 2, NaN, Infinity, rng.int(-1e9, 1e9)]);
  if (kind === "scalar") return rng.pick([true, false, null, undefined]);
  if (kind === "array") return Array.from({ length: rng.int(0, 4) }, () => randomValue(rng, depth - 1));
  const o: Record<string, unknown> = rng.int(0, 3) === 0 ? Object.create(null) : {};
  for (let i = rng.int(0, 4); i > 0; i--) o[randomString(rng)] = randomValue(rng, depth - 1);
  return o;
}

describe("indexer/graphql jsonBytes", () => {
  it("escapes every control character, quotes and backslashes as JSON.stringify does", () => {
    same(Array.from({ length: 0x80 }, (_, c) => String.fromCharCode(c)).join(""));
    same({ 'a"b\\c': "\u2028\u2029 / \u007f" });
  });

  it("writes non-ASCII as UTF-8 and lone surrogates as escapes", () => {
    same("Ω≈ç√∫ 鋼 🚢 \uffff \ue000");
    same(["\ud800", "\udfff", "a\ud83d", "\ude00b", "\ud83d\ude00", "\udbff\udfff", "\ud800\ud800\udc00"]);
  });

  it("writes numbers, booleans and null, and omits or nulls what JSON has no form for", () => {
    same([0, -0, 1.5, -1e-7, 1e21, 2 ** 64, NaN, -Infinity, true, false, null]);
    same([undefined, () => 1, Symbol("s")]);
    same({ a: undefined, b: () => 1, c: Symbol("s"), d: 1 });
  });

  it("hands toJSON, boxed primitives and class instances to JSON.stringify", () => {
    const error = new GraphQLError("boom", { path: ["a", 0] });
    same({ errors: [error], data: { d: new Date(0), s: Object("x") as string, m: new Map([[1, 2]]) } });
    same([{ toJSON: () => undefined }, { toJSON: () => "t" }]);
    same({ gone: { toJSON: () => undefined }, kept: { toJSON: () => ({ x: [1] }) } });
    expect(() => jsonBytes({ n: 1n })).to.throw(TypeError);
    expect(() => jsonBytes(undefined)).to.throw(TypeError, /no JSON form/);
  });

  it("writes prototype-less objects, as graphql-js answers are, and grows past its first buffer", () => {
    const o = Object.create(null) as Record<string, unknown>;
    o.__proto__ = "kept";
    o.list = Array.from({ length: 5000 }, (_, i) => ({ id: `0x${i.toString(16).padStart(64, "0")}`, n: i }));
    const bytes = same(o, 16);
    expect(bytes.length).to.be.greaterThan(400_000);
  });

  it("answers in a buffer of its own, which can move to another thread", () => {
    const bytes = jsonBytes({ small: "x" });
    expect(bytes.buffer).to.not.equal(Buffer.from("pool").buffer);
    const moved = structuredClone(bytes.buffer, { transfer: [bytes.buffer as ArrayBuffer] });
    expect(Buffer.from(moved, 0, 13).toString()).to.equal('{"small":"x"}');
  });

  it("matches JSON.stringify on 1500 random values", () => {
    const rng = new Prng(0x15011);
    for (let i = 0; i < 1500; i++) {
      const value = randomValue(rng, 4);
      if (value !== undefined) same(value, rng.pick([8, 256, 65536]));
    }
  });
});
