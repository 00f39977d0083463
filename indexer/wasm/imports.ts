/**
 * The pointer glue of the graph-node host functions: each import reads its arguments out of the instance's
 * memory (AssemblyScript pointers, ./asc.ts and ./values.ts), calls the function that gives it its meaning
 * (./host-exports/), and writes the result back. Grouped as graph-ts groups them.
 */
import { hexlify } from "ethers";
import type { BigDecimalValue } from "../store/types";
import { AscHeap, TypeId } from "./asc";
import * as bd from "./bigdecimal";
import {
  BYTE_OPS_MAX_LENGTH,
  bigIntDiv,
  bigIntFromString,
  bigIntMod,
  bitAndBytes,
  bitOrBytes,
  shiftRightBytes,
} from "./bigint";
import { DeterministicError, MappingAbort, NeedsRpc, NonDeterministicError, formatAbort } from "./errors";
import type { HostContext, RunState } from "./host-exports/context";
import * as conv from "./host-exports/conversions";
import { createDataSource } from "./host-exports/data-source";
import * as eth from "./host-exports/ethereum";
import * as json from "./host-exports/json";
import { logMessage } from "./host-exports/log";
import * as num from "./host-exports/numbers";
import * as store from "./host-exports/store";
import {
  readBigDecimal,
  readBigInt,
  readEntity,
  readEthValue,
  writeBigDecimal,
  writeBigInt,
  writeEntity,
  writeEthValue,
  writeJson,
} from "./values";

export type HostFn = (...args: never[]) => number | bigint | void;
type Imports = Record<string, HostFn>;

/** Function names graph-node links (every apiVersion); `gas` is graph-node's own metering import. */
export const HOST_FUNCTIONS = [
  "abort",
  "gas",
  "store.get",
  "store.get_in_block",
  "store.loadRelated",
  "store.set",
  "store.remove",
  "ethereum.call",
  "ethereum.getBalance",
  "ethereum.hasCode",
  "ethereum.encode",
  "ethereum.decode",
  "typeConversion.bytesToString",
  "typeConversion.bytesToHex",
  "typeConversion.bigIntToString",
  "typeConversion.bigIntToHex",
  "typeConversion.stringToH160",
  "typeConversion.bytesToBase58",
  "bigInt.plus",
  "bigInt.minus",
  "bigInt.times",
  "bigInt.dividedBy",
  "bigInt.dividedByDecimal",
  "bigInt.mod",
  "bigInt.pow",
  "bigInt.fromString",
  "bigInt.bitOr",
  "bigInt.bitAnd",
  "bigInt.leftShift",
  "bigInt.rightShift",
  "bigDecimal.plus",
  "bigDecimal.minus",
  "bigDecimal.times",
  "bigDecimal.dividedBy",
  "bigDecimal.equals",
  "bigDecimal.toString",
  "bigDecimal.fromString",
  "json.fromBytes",
  "json.try_fromBytes",
  "json.toI64",
  "json.toU64",
  "json.toF64",
  "json.toBigInt",
  "crypto.keccak256",
  "log.log",
  "dataSource.create",
  "dataSource.createWithContext",
  "dataSource.address",
  "dataSource.network",
  "dataSource.context",
  "ens.nameByHash",
  "ipfs.cat",
  "ipfs.getBlock",
  "ipfs.map",
  "arweave.transactionData",
  "box.profile",
] as const;

/** Readers and writers of the current instance's memory. */
interface Memory {
  heap(): AscHeap;
  str(p: number): string;
  bytes(p: number): Uint8Array;
  big(p: number): bigint;
  dec(p: number): BigDecimalValue;
  wstr(s: string): number;
  wbytes(b: Uint8Array): number;
  wbig(x: bigint): number;
  wdec(v: BigDecimalValue): number;
}

function memoryOf(ctx: HostContext): Memory {
  const heap = (): AscHeap => ctx.state!.heap!;
  return {
    heap,
    str: (p) => heap().readString(p),
    bytes: (p) => heap().readBytes(p),
    big: (p) => readBigInt(heap(), p),
    dec: (p) => readBigDecimal(heap(), p),
    wstr: (s) => heap().writeString(s),
    wbytes: (b) => heap().writeBytes(b),
    wbig: (x) => writeBigInt(heap(), x),
    wdec: (v) => writeBigDecimal(heap(), v),
  };
}

function storeImports(ctx: HostContext, m: Memory): Imports {
  const entity = (e: ReturnType<typeof store.storeGet>): number => (e ? writeEntity(m.heap(), e) : 0);
  return {
    "store.get": (t: number, i: number) => entity(store.storeGet(ctx, m.str(t), m.str(i))),
    "store.get_in_block": (t: number, i: number) => entity(store.storeGetInBlock(ctx, m.str(t), m.str(i))),
    "store.loadRelated": (t: number, i: number, f: number) => {
      const entityType = m.str(t);
      const field = m.str(f);
      const found = store.storeLoadRelated(ctx, entityType, m.str(i), field);
      const items = found.map((e) => writeEntity(m.heap(), e));
      return m.heap().writePtrArray(TypeId.ArrayTypedMapStringStoreValue, items);
    },
    "store.set": (t: number, i: number, d: number) => store.storeSet(ctx, m.str(t), m.str(i), readEntity(m.heap(), d)),
    "store.remove": (t: number, i: number) => store.storeRemove(ctx, m.str(t), m.str(i)),
  };
}

/** graph-ts' `SmartContractCall` struct: five pointers. */
export function readContractCall(h: AscHeap, p: number): eth.ContractCall {
  h.nonNull(p);
  return {
    contractName: h.readString(h.u32(p)),
    address: h.readBytes(h.u32(p + 4)),
    functionName: h.readString(h.u32(p + 8)),
    signature: h.readNullableString(h.u32(p + 12)) ?? "",
    args: h.readPtrArray(h.u32(p + 16)).map((x) => readEthValue(h, x)),
  };
}

function ethereumImports(ctx: HostContext, m: Memory): Imports {
  return {
    "ethereum.call": (p: number) => {
      const h = m.heap();
      const outputs = eth.ethereumCall(ctx, readContractCall(h, p));
      if (outputs === null) return 0;
      return h.writePtrArray(
        TypeId.ArrayEthereumValue,
        outputs.map((v) => writeEthValue(h, v)),
      );
    },
    "ethereum.getBalance": (p: number) => m.wbig(eth.ethereumGetBalance(ctx, m.bytes(p))),
    "ethereum.hasCode": (p: number) => m.heap().writeWrappedBool(eth.ethereumHasCode(ctx, m.bytes(p))),
    "ethereum.encode": (p: number) => {
      const encoded = eth.ethereumEncode(readEthValue(m.heap(), p));
      return encoded ? m.wbytes(encoded) : 0;
    },
    "ethereum.decode": (t: number, d: number) => {
      const v = eth.ethereumDecode(m.str(t), m.bytes(d));
      return v ? writeEthValue(m.heap(), v) : 0;
    },
  };
}

function conversionImports(m: Memory): Imports {
  return {
    "typeConversion.bytesToString": (p: number) => m.wstr(conv.bytesToString(m.bytes(p))),
    "typeConversion.bytesToHex": (p: number) => m.wstr(hexlify(m.bytes(p))),
    "typeConversion.bigIntToString": (p: number) => m.wstr(m.big(p).toString()),
    "typeConversion.bigIntToHex": (p: number) => m.wstr(conv.bigIntToHex(m.big(p))),
    "typeConversion.stringToH160": (p: number) => m.wbytes(conv.stringToH160(m.str(p))),
    "typeConversion.bytesToBase58": (p: number) => m.wstr(conv.bytesToBase58(m.bytes(p))),
    "crypto.keccak256": (p: number) => m.wbytes(conv.cryptoKeccak256(m.bytes(p))),
  };
}

function bigIntImports(m: Memory): Imports {
  const { big, wbig } = m;
  const short = (b: Uint8Array): boolean => b.length <= BYTE_OPS_MAX_LENGTH;
  /** `op` over the operands' bytes when both are short (./bigint.ts), else `slow` through bigint. */
  const bitwise =
    (op: (x: Uint8Array, y: Uint8Array) => Uint8Array, slow: (x: bigint, y: bigint) => bigint) =>
    (a: number, b: number): number => {
      const x = m.bytes(a);
      const y = m.bytes(b);
      return short(x) && short(y) ? m.wbytes(op(x, y)) : wbig(slow(big(a), big(b)));
    };
  return {
    "bigInt.plus": (a: number, b: number) => wbig(big(a) + big(b)),
    "bigInt.minus": (a: number, b: number) => wbig(big(a) - big(b)),
    "bigInt.times": (a: number, b: number) => wbig(big(a) * big(b)),
    "bigInt.dividedBy": (a: number, b: number) => wbig(bigIntDiv(big(a), big(b))),
    "bigInt.dividedByDecimal": (a: number, b: number) => m.wdec(num.bigIntDividedByDecimal(big(a), m.dec(b))),
    "bigInt.mod": (a: number, b: number) => wbig(bigIntMod(big(a), big(b))),
    "bigInt.pow": (a: number, e: number) => wbig(num.bigIntPow(big(a), e)),
    "bigInt.fromString": (p: number) => wbig(bigIntFromString(m.str(p))),
    "bigInt.bitOr": bitwise(bitOrBytes, (x, y) => x | y),
    "bigInt.bitAnd": bitwise(bitAndBytes, (x, y) => x & y),
    "bigInt.leftShift": (a: number, n: number) => wbig(big(a) << num.shiftBits(n)),
    "bigInt.rightShift": (a: number, n: number) => {
      const x = m.bytes(a);
      const bits = num.shiftBits(n);
      return short(x) ? m.wbytes(shiftRightBytes(x, Number(bits))) : wbig(big(a) >> bits);
    },
  };
}

function bigDecimalImports(m: Memory): Imports {
  const { dec, wdec } = m;
  return {
    "bigDecimal.plus": (a: number, b: number) => wdec(bd.plus(dec(a), dec(b))),
    "bigDecimal.minus": (a: number, b: number) => wdec(bd.minus(dec(a), dec(b))),
    "bigDecimal.times": (a: number, b: number) => wdec(bd.times(dec(a), dec(b))),
    "bigDecimal.dividedBy": (a: number, b: number) => wdec(bd.dividedBy(dec(a), dec(b))),
    "bigDecimal.equals": (a: number, b: number) => (bd.equals(dec(a), dec(b)) ? 1 : 0),
    "bigDecimal.toString": (p: number) => m.wstr(bd.toString(dec(p))),
    "bigDecimal.fromString": (p: number) => wdec(num.bigDecimalFromString(m.str(p))),
  };
}

function jsonImports(m: Memory): Imports {
  return {
    "json.fromBytes": (p: number) => writeJson(m.heap(), json.jsonFromBytes(m.bytes(p))),
    "json.try_fromBytes": (p: number) => {
      const h = m.heap();
      const parsed = json.jsonTryFromBytes(m.bytes(p));
      if (parsed === null) return h.writeStruct(TypeId.ResultJsonValueBool, [0, h.writeWrappedBool(true)]);
      const wrapped = h.writeStruct(TypeId.WrappedJsonValue, [writeJson(h, parsed)]);
      return h.writeStruct(TypeId.ResultJsonValueBool, [wrapped, 0]);
    },
    "json.toI64": (p: number) => json.jsonToI64(m.str(p)),
    "json.toU64": (p: number) => json.jsonToU64(m.str(p)),
    "json.toF64": (p: number) => json.jsonToF64(m.str(p)),
    "json.toBigInt": (p: number) => m.wbig(json.jsonToBigInt(m.str(p))),
  };
}

function dataSourceImports(ctx: HostContext, m: Memory): Imports {
  const params = (arrayPtr: number): string[] =>
    m
      .heap()
      .readPtrArray(arrayPtr)
      .map((p) => m.str(p));
  return {
    "dataSource.create": (n: number, a: number) => createDataSource(ctx, m.str(n), params(a), null),
    "dataSource.createWithContext": (n: number, a: number, c: number) =>
      createDataSource(ctx, m.str(n), params(a), readEntity(m.heap(), c)),
    "dataSource.address": () => m.wbytes(ctx.ds!.address ?? new Uint8Array()),
    "dataSource.network": () => m.wstr(ctx.ds!.network),
    "dataSource.context": () => writeEntity(m.heap(), ctx.ds!.context ?? new Map()),
  };
}

const fail = (message: string) => (): never => {
  throw new DeterministicError(message);
};

/** Host functions this runtime links but refuses, as graph-node does for removed or non-deterministic ones. */
const refusedImports: Imports = {
  "ens.nameByHash": () => 0,
  "ipfs.cat": fail("ipfs.cat is not supported: IPFS access is non-deterministic"),
  "ipfs.getBlock": fail("ipfs.getBlock is not supported: IPFS access is non-deterministic"),
  "ipfs.map": fail("ipfs.map is not supported: IPFS access is non-deterministic"),
  "arweave.transactionData": fail("`arweave.transactionData` has been removed"),
  "box.profile": fail("`box.profile` has been removed"),
};

function runtimeImports(ctx: HostContext, m: Memory): Imports {
  return {
    abort: (msg: number, file: number, line: number, col: number) => {
      const h = m.heap();
      const message = h.readNullableString(msg);
      throw new MappingAbort(formatAbort(message, h.readNullableString(file), num.u32(line), num.u32(col)));
    },
    gas: () => undefined,
    "log.log": (level: number, p: number) => logMessage(ctx, level, m.str(p)),
  };
}

/** Host errors are deterministic unless stated otherwise. */
function classifyingHostErrors(fns: Imports): Imports {
  const wrapped: Imports = {};
  for (const [name, fn] of Object.entries(fns)) {
    wrapped[name] = ((...args: never[]) => {
      try {
        return fn(...args);
      } catch (e) {
        if (e instanceof DeterministicError || e instanceof NonDeterministicError || e instanceof NeedsRpc) throw e;
        throw new DeterministicError((e as Error).message);
      }
    }) as HostFn;
  }
  return wrapped;
}

/** The graph-node host functions over `state` (also the base of the matchstick runner's imports). */
export function hostFunctions(
  state: RunState | null,
  mod: { readonly apiVersion: string },
  ds: HostContext["ds"],
  env: HostContext["env"],
  cache: Map<string, unknown>,
): Imports {
  return contextHostFunctions({ state, apiVersion: mod.apiVersion, ds, env, cache });
}

/**
 * The host functions over `ctx`, read at each call: a caller that runs one trigger at a time may build them
 * once and point `ctx` at each trigger in turn (./host.ts does, per module) instead of building ~60
 * closures per trigger.
 */
export function contextHostFunctions(ctx: HostContext): Imports {
  const m = memoryOf(ctx);
  return classifyingHostErrors({
    ...runtimeImports(ctx, m),
    ...storeImports(ctx, m),
    ...ethereumImports(ctx, m),
    ...conversionImports(m),
    ...bigIntImports(m),
    ...bigDecimalImports(m),
    ...jsonImports(m),
    ...dataSourceImports(ctx, m),
    ...refusedImports,
  });
}
