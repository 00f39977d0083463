/**
 * The AssemblyScript memory ABI for apiVersion >= 0.0.5 (graph-node graph/src/runtime/asc_ptr.rs,
 * runtime/wasm/src/asc_abi/v0_0_5.rs): objects carry a 20-byte header before the payload, payloads are
 * padded to 16 bytes, and the host allocates arenas through the module's `allocate` export.
 */
import { DeterministicError } from "./errors";

/** graph-node's IndexForAscTypeId values used by the Ethereum host. */
export enum TypeId {
  String = 0,
  ArrayBuffer = 1,
  Uint8Array = 6,
  BigDecimal = 12,
  ArrayBool = 13,
  ArrayUint8Array = 14,
  ArrayEthereumValue = 15,
  ArrayStoreValue = 16,
  ArrayJsonValue = 17,
  ArrayString = 18,
  ArrayEventParam = 19,
  ArrayTypedMapEntryStringJsonValue = 20,
  ArrayTypedMapEntryStringStoreValue = 21,
  SmartContractCall = 22,
  EventParam = 23,
  EthereumTransaction = 24,
  EthereumBlock = 25,
  WrappedTypedMapStringJsonValue = 27,
  WrappedBool = 28,
  WrappedJsonValue = 29,
  EthereumValue = 30,
  StoreValue = 31,
  JsonValue = 32,
  EthereumEvent = 33,
  TypedMapEntryStringStoreValue = 34,
  TypedMapEntryStringJsonValue = 35,
  TypedMapStringStoreValue = 36,
  TypedMapStringJsonValue = 37,
  ResultJsonValueBool = 40,
  TransactionReceipt = 1000,
  Log = 1001,
  ArrayB256 = 1002,
  ArrayLog = 1003,
  ArrayTypedMapStringStoreValue = 1004,
}

const HEADER = 20;
const MIN_ARENA = 10_000;
const MAX_RECURSION = 128;

export interface AscExports {
  memory: WebAssembly.Memory;
  allocate(size: number): number;
  id_of_type(index: number): number;
}

const padTo16 = (len: number): number => (16 - ((HEADER + len) % 16)) % 16;

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export class AscHeap {
  private arenaPtr = 0;
  private arenaFree = 0;
  private depth = 0;
  private readonly utf16 = new TextDecoder("utf-16le", { fatal: true });

  constructor(
    private readonly exports: AscExports,
    private readonly idCache: Map<number, number>,
  ) {}

  // ----- raw access -----

  private get buf(): ArrayBuffer {
    return this.exports.memory.buffer;
  }

  u8(ptr: number, len: number): Uint8Array {
    if (ptr + len > this.buf.byteLength) throw new DeterministicError(`heap access out of bounds at ${ptr}`);
    return new Uint8Array(this.buf, ptr, len).slice();
  }

  u32(ptr: number): number {
    return new DataView(this.buf).getUint32(ptr, true);
  }

  i32(ptr: number): number {
    return new DataView(this.buf).getInt32(ptr, true);
  }

  u64(ptr: number): bigint {
    return new DataView(this.buf).getBigUint64(ptr, true);
  }

  /** rtSize: the payload length AssemblyScript keeps in the header. */
  rtSize(ptr: number): number {
    return this.u32(ptr - 4);
  }

  typeId(index: number): number {
    let id = this.idCache.get(index);
    if (id === undefined) {
      id = this.exports.id_of_type(index) >>> 0;
      this.idCache.set(index, id);
    }
    return id;
  }

  /** Guards recursion into nested objects, as graph-node does (limit 128). */
  nested<T>(fn: () => T): T {
    if (++this.depth > MAX_RECURSION) {
      this.depth = 0;
      throw new DeterministicError("recursion limit reached");
    }
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  nonNull(ptr: number): number {
    if (ptr === 0) {
      throw new DeterministicError(
        "Tried to read AssemblyScript value that is 'null'. Suggestion: look into the function that the " +
          "error happened and add 'log' calls till you find where a 'null' value is being used as non-nullable.",
      );
    }
    return ptr;
  }

  // ----- allocation -----

  private rawNew(bytes: Uint8Array): number {
    const size = bytes.length;
    if (size > this.arenaFree) {
      const arena = Math.max(size + 12, MIN_ARENA);
      this.arenaPtr = this.exports.allocate(arena) + 12; // header at ≡12 mod 16, payload 16-aligned
      this.arenaFree = arena - 12;
    }
    const ptr = this.arenaPtr;
    new Uint8Array(this.buf, ptr, size).set(bytes);
    this.arenaPtr += size;
    this.arenaFree -= size;
    return ptr;
  }

  /** Writes header + payload; returns the payload pointer. `rtSize` defaults to the padded length. */
  writeObject(typeIndex: number, payload: Uint8Array, rtSize?: number): number {
    const padded = payload.length + padTo16(payload.length);
    const bytes = new Uint8Array(HEADER + padded);
    const dv = new DataView(bytes.buffer);
    dv.setUint32(0, 16 + padded, true);
    dv.setUint32(12, this.typeId(typeIndex), true);
    dv.setUint32(16, rtSize ?? padded, true);
    bytes.set(payload, HEADER);
    return this.rawNew(bytes) + HEADER;
  }

  /** String / ArrayBuffer payloads are first zero-extended so that 20 + len is a power of two. */
  private writeBuffer(typeIndex: number, data: Uint8Array): number {
    const extended = new Uint8Array(nextPowerOfTwo(HEADER + data.length) - HEADER);
    extended.set(data);
    return this.writeObject(typeIndex, extended, data.length);
  }

  /** A struct of u32 fields (pointers or scalars). */
  writeStruct(typeIndex: number, fields: number[]): number {
    const payload = new Uint8Array(fields.length * 4);
    const dv = new DataView(payload.buffer);
    fields.forEach((f, i) => dv.setUint32(i * 4, f >>> 0, true));
    return this.writeObject(typeIndex, payload);
  }

  // ----- strings and buffers -----

  writeString(s: string): number {
    const data = new Uint8Array(s.length * 2);
    const dv = new DataView(data.buffer);
    for (let i = 0; i < s.length; i++) dv.setUint16(i * 2, s.charCodeAt(i), true);
    return this.writeBuffer(TypeId.String, data);
  }

  readString(ptr: number): string {
    this.nonNull(ptr);
    const len = this.rtSize(ptr);
    let s: string;
    try {
      s = this.utf16.decode(this.u8(ptr, len));
    } catch {
      throw new DeterministicError("invalid UTF-16 in an AssemblyScript string");
    }
    return s.split("\u0000").join("");
  }

  readNullableString(ptr: number): string | null {
    return ptr === 0 ? null : this.readString(ptr);
  }

  writeArrayBuffer(data: Uint8Array): number {
    return this.writeBuffer(TypeId.ArrayBuffer, data);
  }

  /** Uint8Array (Bytes, BigInt, Address): `buffer, dataStart, byteLength`. */
  writeBytes(data: Uint8Array): number {
    const buffer = this.writeArrayBuffer(data);
    return this.writeStruct(TypeId.Uint8Array, [buffer, buffer, data.length]);
  }

  readBytes(ptr: number): Uint8Array {
    this.nonNull(ptr);
    const dataStart = this.u32(ptr + 4);
    const byteLength = this.u32(ptr + 8);
    return this.u8(dataStart, byteLength);
  }

  // ----- arrays -----

  /** Array<T> of pointers (or u32 scalars): `buffer, dataStart, byteLength, length`. */
  writePtrArray(typeIndex: number, items: number[]): number {
    const data = new Uint8Array(items.length * 4);
    const dv = new DataView(data.buffer);
    items.forEach((p, i) => dv.setUint32(i * 4, p >>> 0, true));
    const buffer = this.writeArrayBuffer(data);
    return this.writeStruct(typeIndex, [buffer, buffer, data.length, items.length]);
  }

  readPtrArray(ptr: number): number[] {
    this.nonNull(ptr);
    const dataStart = this.u32(ptr + 4);
    const length = this.i32(ptr + 12);
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(this.u32(dataStart + i * 4));
    return out;
  }

  // ----- enums: kind u32, pad u32, payload u64 -----

  writeEnum(typeIndex: number, kind: number, payload: bigint): number {
    const data = new Uint8Array(16);
    const dv = new DataView(data.buffer);
    dv.setUint32(0, kind, true);
    dv.setBigUint64(8, BigInt.asUintN(64, payload), true);
    return this.writeObject(typeIndex, data);
  }

  readEnum(ptr: number): { kind: number; payload: bigint } {
    this.nonNull(ptr);
    return { kind: this.u32(ptr), payload: this.u64(ptr + 8) };
  }

  /** Wrapped<bool>: a single byte. */
  writeWrappedBool(value: boolean): number {
    return this.writeObject(TypeId.WrappedBool, Uint8Array.of(value ? 1 : 0));
  }
}
