/** Conversions between host values and their AssemblyScript objects (graph-node asc_abi/class.rs). */
import type { BigDecimalValue, EntityData, StoreValue } from "../store/types";
import { AscHeap, TypeId } from "./asc";
import { checkExponent, normalize } from "./bigdecimal";
import { bigIntFromBytes, bigIntToBytes, checkBigIntSize } from "./bigint";
import { DeterministicError } from "./errors";
import { ETH_KIND, EthValue, checkEthValue } from "./ethvalue";
import type { JsonValue } from "./json";
import { messageOf } from "../../lib/errors";

const STORE_KIND = {
  String: 0,
  Int: 1,
  BigDecimal: 2,
  Bool: 3,
  Array: 4,
  Null: 5,
  Bytes: 6,
  BigInt: 7,
  Int8: 8,
  Timestamp: 9,
} as const;

// ----- BigInt / BigDecimal -----

export function writeBigInt(heap: AscHeap, x: bigint): number {
  return heap.writeBytes(bigIntToBytes(x));
}

/**
 * The last large BigInt read, by its bytes: mappings unpack fields out of one packed word with a shift and a mask
 * each (the benchmark's mill test reports: 26 fields of a 32-byte word), reading the same bytes again and again.
 */
let lastLarge: { bytes: Uint8Array; value: bigint } | null = null;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function readBigInt(heap: AscHeap, ptr: number): bigint {
  const small = heap.readSmallSigned(ptr);
  if (small !== null) return BigInt(small);
  const bytes = heap.readBytes(ptr);
  if (lastLarge && sameBytes(lastLarge.bytes, bytes)) return lastLarge.value;
  const value = checkBigIntSize(bigIntFromBytes(bytes));
  lastLarge = { bytes, value };
  return value;
}

export function writeBigDecimal(heap: AscHeap, v: BigDecimalValue): number {
  const digits = writeBigInt(heap, v.digits);
  const exp = writeBigInt(heap, BigInt(v.exp));
  return heap.writeStruct(TypeId.BigDecimal, [digits, exp]);
}

export function readBigDecimal(heap: AscHeap, ptr: number): BigDecimalValue {
  heap.nonNull(ptr);
  const digits = readBigInt(heap, heap.u32(ptr));
  const exp = readBigInt(heap, heap.u32(ptr + 4));
  if (exp < -(2n ** 63n) || exp >= 2n ** 63n) throw new DeterministicError("big decimal exponent out of range");
  try {
    return checkExponent(normalize({ digits, exp: Number(exp) }));
  } catch (e) {
    throw new DeterministicError(messageOf(e));
  }
}

// ----- StoreValue and entities -----

export function writeStoreValue(heap: AscHeap, v: StoreValue): number {
  heap.enter();
  try {
    return writeStoreValueIn(heap, v);
  } finally {
    heap.leave();
  }
}

/** Pointers and 32-bit numbers go in as words (writeEnumU32/I32): the same bytes as writeEnum's BigInt payload. */
function writeStoreValueIn(heap: AscHeap, v: StoreValue): number {
  const k = STORE_KIND[v.kind];
  const T = TypeId.StoreValue;
  switch (v.kind) {
    case "String":
      return heap.writeEnumU32(T, k, heap.writeString(v.value));
    case "Int":
      // sign-extended; a value that is no 32-bit integer is left to BigInt (which throws for a fraction)
      return v.value === (v.value | 0) ? heap.writeEnumI32(T, k, v.value) : heap.writeEnum(T, k, BigInt(v.value));
    case "Int8":
    case "Timestamp":
      return heap.writeEnum(T, k, v.value);
    case "BigDecimal":
      return heap.writeEnumU32(T, k, writeBigDecimal(heap, v.value));
    case "Bool":
      return heap.writeEnumU32(T, k, v.value ? 1 : 0);
    case "Array": {
      const items = v.value.map((x) => writeStoreValue(heap, x));
      return heap.writeEnumU32(T, k, heap.writePtrArray(TypeId.ArrayStoreValue, items));
    }
    case "Null":
      return heap.writeEnumU32(T, k, 0);
    case "Bytes":
      return heap.writeEnumU32(T, k, heap.writeBytes(v.value));
    case "BigInt":
      return heap.writeEnumU32(T, k, writeBigInt(heap, v.value));
  }
}

/** Reads the enum's kind and payload words as readEnum does, without a BigInt but for Int8 and Timestamp. */
export function readStoreValue(heap: AscHeap, ptr: number): StoreValue {
  heap.nonNull(ptr);
  const kind = heap.u32(ptr);
  const p = heap.u32(ptr + 8); // the payload's low word: a pointer, an i32, a bool
  const high = heap.u32(ptr + 12);
  heap.enter();
  try {
    switch (kind) {
      case STORE_KIND.String:
        return { kind: "String", value: heap.readString(p) };
      case STORE_KIND.Int:
        return { kind: "Int", value: p | 0 };
      case STORE_KIND.BigDecimal:
        return { kind: "BigDecimal", value: readBigDecimal(heap, p) };
      case STORE_KIND.Bool:
        return { kind: "Bool", value: p !== 0 || high !== 0 };
      case STORE_KIND.Array:
        return { kind: "Array", value: heap.readPtrArray(p).map((x) => readStoreValue(heap, x)) };
      case STORE_KIND.Null:
        return { kind: "Null" };
      case STORE_KIND.Bytes:
        return { kind: "Bytes", value: heap.readBytes(p) };
      case STORE_KIND.BigInt:
        return { kind: "BigInt", value: readBigInt(heap, p) };
      case STORE_KIND.Int8:
        return { kind: "Int8", value: BigInt.asIntN(64, heap.u64(ptr + 8)) };
      case STORE_KIND.Timestamp:
        return { kind: "Timestamp", value: BigInt.asIntN(64, heap.u64(ptr + 8)) };
      default:
        throw new DeterministicError(`invalid StoreValue kind ${kind}`);
    }
  } finally {
    heap.leave();
  }
}

/** Host-written entities: entries sorted by key, `vid` excluded. */
export function writeEntity(heap: AscHeap, data: EntityData): number {
  const keys = [...data.keys()].filter((k) => k !== "vid").sort();
  const entries = keys.map((k) => {
    const key = heap.writeString(k);
    const value = writeStoreValue(heap, data.get(k)!);
    return heap.writeStruct(TypeId.TypedMapEntryStringStoreValue, [key, value]);
  });
  const array = heap.writePtrArray(TypeId.ArrayTypedMapEntryStringStoreValue, entries);
  return heap.writeStruct(TypeId.TypedMapStringStoreValue, [array]);
}

/** A duplicate key keeps the last value. */
export function readEntity(heap: AscHeap, ptr: number): EntityData {
  heap.nonNull(ptr);
  const data: EntityData = new Map();
  for (const entry of heap.readPtrArray(heap.u32(ptr))) {
    heap.nonNull(entry);
    data.set(heap.readString(heap.u32(entry)), readStoreValue(heap, heap.u32(entry + 4)));
  }
  return data;
}

// ----- JSON -----

const JSON_KIND = { null: 0, bool: 1, number: 2, string: 3, array: 4, object: 5 } as const;

export function writeJson(heap: AscHeap, v: JsonValue): number {
  return heap.nested(() => {
    const k = JSON_KIND[v.kind];
    switch (v.kind) {
      case "null":
        return heap.writeEnum(TypeId.JsonValue, k, 0n);
      case "bool":
        return heap.writeEnum(TypeId.JsonValue, k, v.value ? 1n : 0n);
      case "number":
        return heap.writeEnum(TypeId.JsonValue, k, BigInt(heap.writeString(v.text)));
      case "string":
        return heap.writeEnum(TypeId.JsonValue, k, BigInt(heap.writeString(v.value)));
      case "array": {
        const items = v.value.map((x) => writeJson(heap, x));
        return heap.writeEnum(TypeId.JsonValue, k, BigInt(heap.writePtrArray(TypeId.ArrayJsonValue, items)));
      }
      case "object": {
        const entries = v.value.map(([key, value]) =>
          heap.writeStruct(TypeId.TypedMapEntryStringJsonValue, [heap.writeString(key), writeJson(heap, value)]),
        );
        const array = heap.writePtrArray(TypeId.ArrayTypedMapEntryStringJsonValue, entries);
        const map = heap.writeStruct(TypeId.TypedMapStringJsonValue, [array]);
        return heap.writeEnum(TypeId.JsonValue, k, BigInt(map));
      }
    }
  });
}

// ----- ethereum.Value -----

/** Pointers and bools go in as words (writeEnumU32): the same bytes as writeEnum's BigInt payload, every event param. */
export function writeEthValue(heap: AscHeap, v: EthValue): number {
  heap.enter();
  try {
    const k = ETH_KIND[v.kind];
    const T = TypeId.EthereumValue;
    switch (v.kind) {
      case "address":
      case "fixedBytes":
      case "bytes":
      case "function":
        return heap.writeEnumU32(T, k, heap.writeBytes(v.value));
      case "int":
      case "uint":
        return heap.writeEnumU32(T, k, writeBigInt(heap, v.value));
      case "bool":
        return heap.writeEnumU32(T, k, v.value ? 1 : 0);
      case "string":
        return heap.writeEnumU32(T, k, heap.writeString(v.value));
      case "fixedArray":
      case "array":
      case "tuple": {
        const items = v.value.map((x) => writeEthValue(heap, x));
        return heap.writeEnumU32(T, k, heap.writePtrArray(TypeId.ArrayEthereumValue, items));
      }
    }
  } finally {
    heap.leave();
  }
}

export function readEthValue(heap: AscHeap, ptr: number): EthValue {
  const { kind, payload } = heap.readEnum(ptr);
  const p = Number(payload & 0xffffffffn);
  const v = heap.nested((): EthValue => {
    switch (kind) {
      case 0:
        return { kind: "address", value: heap.readBytes(p) };
      case 1:
        return { kind: "fixedBytes", value: heap.readBytes(p) };
      case 2:
        return { kind: "bytes", value: heap.readBytes(p) };
      case 3:
        return { kind: "int", value: readBigInt(heap, p) };
      case 4:
        return { kind: "uint", value: readBigInt(heap, p) };
      case 5:
        return { kind: "bool", value: payload !== 0n };
      case 6:
        return { kind: "string", value: heap.readString(p) };
      case 7:
        return { kind: "fixedArray", value: heap.readPtrArray(p).map((x) => readEthValue(heap, x)) };
      case 8:
        return { kind: "array", value: heap.readPtrArray(p).map((x) => readEthValue(heap, x)) };
      case 9:
        return { kind: "tuple", value: heap.readPtrArray(p).map((x) => readEthValue(heap, x)) };
      case 10:
        return { kind: "function", value: heap.readBytes(p) };
      default:
        throw new DeterministicError(`invalid EthereumValue kind ${kind}`);
    }
  });
  try {
    checkEthValue(v);
  } catch (e) {
    throw new DeterministicError(messageOf(e));
  }
  return v;
}
