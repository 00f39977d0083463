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

/** Shared by every heap (a decoder is stateless between whole-buffer decodes; making one per trigger is not free). */
const UTF16 = new TextDecoder("utf-16le", { fatal: true });

/** Strings up to this many bytes (16 UTF-16 code units; measured break-even 16-24) are read without the decoder. */
const SHORT_STRING = 32;

/**
 * Strings longer than this many UTF-16 code units are written by Buffer's native UTF-16 write; shorter ones by a
 * loop (measured: a 66-character hex string 170 ns by the loop, 60 ns native; break-even about 20 units).
 */
const NATIVE_WRITE_UNITS = 24;

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
  /** Views of the memory; growing the memory detaches the buffer (byteLength 0), which `views` notices. */
  private buffer: ArrayBuffer | null = null;
  private bytesView = new Uint8Array(0);
  private dataView = new DataView(new ArrayBuffer(0));
  /** The same memory as a Buffer, for its native UTF-16 writes. */
  private nodeView = Buffer.alloc(0);

  constructor(
    private readonly exports: AscExports,
    private readonly idCache: Map<number, number>,
  ) {}

  // ----- raw access -----

  private views(): { buffer: ArrayBuffer; bytes: Uint8Array; dv: DataView } {
    if (this.buffer === null || this.buffer.byteLength === 0) {
      this.buffer = this.exports.memory.buffer;
      this.bytesView = new Uint8Array(this.buffer);
      this.dataView = new DataView(this.buffer);
      this.nodeView = Buffer.from(this.buffer);
    }
    return { buffer: this.buffer, bytes: this.bytesView, dv: this.dataView };
  }

  private dv(): DataView {
    if (this.buffer === null || this.buffer.byteLength === 0) this.views();
    return this.dataView;
  }

  private bytes(): Uint8Array {
    if (this.buffer === null || this.buffer.byteLength === 0) this.views();
    return this.bytesView;
  }

  u8(ptr: number, len: number): Uint8Array {
    const mem = this.bytes();
    if (ptr + len > mem.length) throw new DeterministicError(`heap access out of bounds at ${ptr}`);
    return mem.slice(ptr, ptr + len);
  }

  u32(ptr: number): number {
    return this.dv().getUint32(ptr, true);
  }

  i32(ptr: number): number {
    return this.dv().getInt32(ptr, true);
  }

  u64(ptr: number): bigint {
    return this.dv().getBigUint64(ptr, true);
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
    this.enter();
    try {
      return fn();
    } finally {
      this.leave();
    }
  }

  /** `nested` without a closure, for the hottest conversions: `enter(); try { … } finally { leave(); }`. */
  enter(): void {
    if (++this.depth > MAX_RECURSION) {
      this.depth = 0;
      throw new DeterministicError("recursion limit reached");
    }
  }

  leave(): void {
    this.depth--;
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

  /** Reserves `size` bytes of the current arena (a new one when it is too small); returns their address. */
  private reserve(size: number): number {
    if (size > this.arenaFree) {
      const arena = Math.max(size + 12, MIN_ARENA);
      this.arenaPtr = this.exports.allocate(arena) + 12; // header at ≡12 mod 16, payload 16-aligned
      this.arenaFree = arena - 12;
    }
    const ptr = this.arenaPtr;
    this.arenaPtr += size;
    this.arenaFree -= size;
    return ptr;
  }

  /**
   * Allocates an object and writes its header and the zeros after its first `len` payload bytes (the payload
   * extended with zeros to `extendedLen`, then padded to 16); the caller writes the payload at the returned
   * pointer, straight into memory (trigger data such as a transaction's input can be large).
   */
  private alloc(typeIndex: number, len: number, extendedLen = len, rtSize?: number): number {
    const padded = extendedLen + padTo16(extendedLen);
    const id = this.typeId(typeIndex); // may call into the module: before taking views of memory
    const ptr = this.reserve(HEADER + padded);
    const dv = this.dv(); // refreshes both views after a memory growth
    const bytes = this.bytesView;
    dv.setUint32(ptr, 16 + padded, true);
    dv.setUint32(ptr + 4, 0, true);
    dv.setUint32(ptr + 8, 0, true);
    dv.setUint32(ptr + 12, id, true);
    dv.setUint32(ptr + 16, rtSize ?? padded, true);
    bytes.fill(0, ptr + HEADER + len, ptr + HEADER + padded);
    return ptr + HEADER;
  }

  /** Writes header + payload; returns the payload pointer. `rtSize` defaults to the padded length. */
  writeObject(typeIndex: number, payload: Uint8Array, rtSize?: number): number {
    const ptr = this.alloc(typeIndex, payload.length, payload.length, rtSize);
    this.bytesView.set(payload, ptr);
    return ptr;
  }

  /** String / ArrayBuffer payloads are first zero-extended so that 20 + len is a power of two. */
  private writeBuffer(typeIndex: number, data: Uint8Array): number {
    const ptr = this.alloc(typeIndex, data.length, nextPowerOfTwo(HEADER + data.length) - HEADER, data.length);
    this.bytesView.set(data, ptr);
    return ptr;
  }

  /** A struct of u32 fields (pointers or scalars). */
  writeStruct(typeIndex: number, fields: number[]): number {
    const ptr = this.alloc(typeIndex, fields.length * 4);
    const dv = this.dataView;
    for (let i = 0; i < fields.length; i++) dv.setUint32(ptr + i * 4, fields[i] >>> 0, true);
    return ptr;
  }

  // ----- strings and buffers -----

  writeString(s: string): number {
    const len = s.length * 2;
    const ptr = this.alloc(TypeId.String, len, nextPowerOfTwo(HEADER + len) - HEADER, len);
    if (s.length > NATIVE_WRITE_UNITS) {
      // code units as they are, lone surrogates included, as the loop below writes them
      this.nodeView.write(s, ptr, len, "utf16le");
      return ptr;
    }
    const dv = this.dataView;
    for (let i = 0; i < s.length; i++) dv.setUint16(ptr + i * 2, s.charCodeAt(i), true);
    return ptr;
  }

  readString(ptr: number): string {
    this.nonNull(ptr);
    const len = this.rtSize(ptr);
    let s: string;
    const mem = this.bytes();
    if (ptr + len > mem.length) throw new DeterministicError(`heap access out of bounds at ${ptr}`);
    if (len <= SHORT_STRING && (len & 1) === 0) {
      // Entity types, field names and enum values: a loop costs less than a TextDecoder call. Surrogates
      // are left to the decoder, which rejects unpaired ones; NULs are dropped as below.
      s = "";
      for (let i = ptr; i < ptr + len; i += 2) {
        const c = mem[i] | (mem[i + 1] << 8);
        if (c >= 0xd800 && c <= 0xdfff) return this.decodeString(ptr, len);
        if (c !== 0) s += String.fromCharCode(c);
      }
      return s;
    }
    return this.decodeString(ptr, len);
  }

  private decodeString(ptr: number, len: number): string {
    let s: string;
    const mem = this.bytesView;
    try {
      s = UTF16.decode(mem.subarray(ptr, ptr + len)); // decoded in place: no copy of the bytes
    } catch {
      throw new DeterministicError("invalid UTF-16 in an AssemblyScript string");
    }
    return s.includes("\u0000") ? s.split("\u0000").join("") : s;
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
    const ptr = this.alloc(TypeId.Uint8Array, 12);
    const dv = this.dataView;
    dv.setUint32(ptr, buffer, true);
    dv.setUint32(ptr + 4, buffer, true);
    dv.setUint32(ptr + 8, data.length, true);
    return ptr;
  }

  /**
   * A Uint8Array's bytes as a signed little-endian number when there are at most 6 of them (exact as a double),
   * else null: reads the BigInts of counts and amounts without copying their bytes out first.
   */
  readSmallSigned(ptr: number): number | null {
    this.nonNull(ptr);
    const dv = this.dv();
    const dataStart = dv.getUint32(ptr + 4, true);
    const byteLength = dv.getUint32(ptr + 8, true);
    if (byteLength > 6) return null;
    const mem = this.bytesView;
    if (dataStart + byteLength > mem.length) throw new DeterministicError(`heap access out of bounds at ${dataStart}`);
    if (byteLength === 0) return 0;
    let v = 0;
    for (let i = dataStart + byteLength - 1; i >= dataStart; i--) v = v * 256 + mem[i];
    return mem[dataStart + byteLength - 1] & 0x80 ? v - 2 ** (8 * byteLength) : v;
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
    const len = items.length * 4;
    const buffer = this.alloc(TypeId.ArrayBuffer, len, nextPowerOfTwo(HEADER + len) - HEADER, len);
    const dv = this.dataView;
    for (let i = 0; i < items.length; i++) dv.setUint32(buffer + i * 4, items[i] >>> 0, true);
    return this.writeStruct(typeIndex, [buffer, buffer, len, items.length]);
  }

  readPtrArray(ptr: number): number[] {
    this.nonNull(ptr);
    const dv = this.dv();
    const dataStart = dv.getUint32(ptr + 4, true);
    const length = dv.getInt32(ptr + 12, true);
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(dv.getUint32(dataStart + i * 4, true));
    return out;
  }

  // ----- enums: kind u32, pad u32, payload u64 -----

  writeEnum(typeIndex: number, kind: number, payload: bigint): number {
    const ptr = this.alloc(typeIndex, 16);
    const dv = this.dataView;
    dv.setUint32(ptr, kind, true);
    dv.setUint32(ptr + 4, 0, true);
    dv.setBigUint64(ptr + 8, BigInt.asUintN(64, payload), true);
    return ptr;
  }

  /** An enum whose payload is a pointer or another u32 (zero-extended): no bigint on the way. */
  writeEnumU32(typeIndex: number, kind: number, payload: number): number {
    return this.writeEnumWords(typeIndex, kind, payload >>> 0, 0);
  }

  /** An enum whose payload is an i32, sign-extended to 64 bits as `BigInt(i32)` would be. */
  writeEnumI32(typeIndex: number, kind: number, payload: number): number {
    return this.writeEnumWords(typeIndex, kind, payload >>> 0, payload < 0 ? 0xffffffff : 0);
  }

  private writeEnumWords(typeIndex: number, kind: number, low: number, high: number): number {
    const ptr = this.alloc(typeIndex, 16);
    const dv = this.dataView;
    dv.setUint32(ptr, kind, true);
    dv.setUint32(ptr + 4, 0, true);
    dv.setUint32(ptr + 8, low, true);
    dv.setUint32(ptr + 12, high, true);
    return ptr;
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
