/**
 * Fills a store with valid entities of every type of its schema, whatever the schema: the bad-input tests
 * need the real subgraph schema with rows behind every root field, not a season on a chain.
 */
import type { FieldModel, IdKind, SchemaModel } from "../../indexer/schema/model";
import type { SqliteStore } from "../../indexer/store/sqlite";
import type { EntityData, StoreValue } from "../../indexer/store/types";
import { Prng } from "./prng";
import { block } from "./store";

/** The id of the `i`-th filler entity of a type, as a string the query API accepts. */
export function fillerId(kind: IdKind, type: string, i: number): string {
  if (kind === "Int8") return String(i);
  if (kind === "Bytes") return "0x" + Buffer.from(`${type}:${i}`).toString("hex");
  return `${type}-${i}`;
}

function idValue(kind: IdKind, id: string): StoreValue {
  if (kind === "Int8") return { kind: "Int8", value: BigInt(id) };
  if (kind === "Bytes") return { kind: "Bytes", value: new Uint8Array(Buffer.from(id.slice(2), "hex")) };
  return { kind: "String", value: id };
}

function value(schema: SchemaModel, f: FieldModel, rng: Prng, perType: number): StoreValue {
  const t = f.type;
  if (t.kind === "enum") return { kind: "String", value: rng.pick(schema.enums.get(t.name)!.values) };
  if (t.kind === "ref") {
    const target =
      schema.entities.get(t.target) ?? schema.entities.get(rng.pick(schema.interfaces.get(t.target)!.implementations))!;
    return idValue(target.idKind, fillerId(target.idKind, target.name, rng.int(0, perType - 1)));
  }
  const n = rng.int(0, 10_000);
  switch (t.scalar) {
    case "ID":
    case "String":
      return { kind: "String", value: rng.pick(["CN", "KR", "MX", "steel", "pipe ü €", ""]) + n };
    case "Bytes":
      return { kind: "Bytes", value: new Uint8Array(Buffer.from(n.toString(16).padStart(40, "0"), "hex")) };
    case "BigInt":
      return { kind: "BigInt", value: BigInt(n) };
    case "BigDecimal":
      return { kind: "BigDecimal", value: { digits: BigInt(n), exp: -2 } };
    case "Int":
      return { kind: "Int", value: n };
    case "Int8":
      return { kind: "Int8", value: BigInt(n) };
    case "Timestamp":
      return { kind: "Timestamp", value: BigInt(n) * 1_000_000n };
    case "Boolean":
      return { kind: "Bool", value: rng.chance(0.5) };
  }
}

/** Writes `perType` entities of every entity type over `blocks` blocks (block 1…blocks), each field filled. */
export function fillStore(store: SqliteStore, perType = 20, blocks = 3, seed = 1): void {
  const rng = new Prng(seed);
  const schema = store.schema;
  for (let b = 1; b <= blocks; b++) {
    const w = store.beginBlock(block(b));
    for (const e of schema.entities.values()) {
      if (b > 1 && e.immutable) continue;
      for (let i = 0; i < perType; i++) {
        const id = fillerId(e.idKind, e.name, i);
        const data: EntityData = new Map([["id", idValue(e.idKind, id)]]);
        for (const f of e.fields) {
          if (f.name === "id" || f.derivedFrom !== undefined) continue;
          const one = () => value(schema, f, rng, perType);
          data.set(f.name, f.list ? { kind: "Array", value: [one(), one()] } : one());
        }
        w.set(e.name, id, data);
      }
    }
    w.commit();
  }
}
