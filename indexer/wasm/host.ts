/**
 * The graph-node host for AssemblyScript mappings: a fresh instance per trigger, imports resolved by name
 * only, `_start` before the handler, and the host functions of graph-ts (see the fact sheet §4).
 */
import { Interface, FunctionFragment, getBytes, hexlify, keccak256, toBeHex } from "ethers";
import type { BigDecimalValue, EntityData } from "../store/types";
import { AscExports, AscHeap, TypeId } from "./asc";
import * as bd from "./bigdecimal";
import { bigIntDiv, bigIntFromString, bigIntMod, checkBigIntSize } from "./bigint";
import {
  DeterministicError,
  MappingAbort,
  ModuleLoadError,
  NeedsRpc,
  NonDeterministicError,
  formatAbort,
} from "./errors";
import { compareVersion, writeEvent, type EventTrigger } from "./ethereum";
import { decodeValue, encodeValue, fromEthers, type EthValue } from "./ethvalue";
import { jsonInteger, parseJson } from "./json";
import { EntityReader, HandlerLayer } from "./layer";
import { resettableModule, type ResettableModule } from "./reset";
import type { SchemaInfo } from "./schema-info";
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

/**
 * A compiled mapping; `id_of_type` answers are cached per module, as graph-node does. Built from bytes it also
 * keeps a resettable copy (./reset.ts) and one idle instance of it, reset before each trigger.
 */
export class MappingModule {
  readonly idCache = new Map<number, number>();
  /** @internal the instance between triggers */
  idle: PooledInstance | null = null;
  constructor(
    readonly module: WebAssembly.Module,
    readonly apiVersion: string,
    readonly resettable: ResettableModule | null = null,
  ) {
    if (compareVersion(apiVersion, "0.0.5") < 0) {
      throw new ModuleLoadError(`apiVersion ${apiVersion} is not supported (0.0.5 or later is)`);
    }
  }

  static fromBytes(wasm: Uint8Array, apiVersion: string): MappingModule {
    return new MappingModule(
      new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>),
      apiVersion,
      resettableModule(wasm),
    );
  }
}

/** An instance of a resettable module whose imports call the host functions of the current trigger. */
export interface PooledInstance {
  instance: WebAssembly.Instance;
  /** The host functions of the trigger being run. */
  fns: Record<string, HostFn>;
  memory: WebAssembly.Memory;
  /** Memory and mutable globals as instantiation left them. */
  image: Uint8Array;
  globals: [WebAssembly.Global, number | bigint][];
}

/** A pooled instance that grew its memory past this is dropped rather than zeroed before each trigger. */
const MAX_POOLED_MEMORY = 64 * 1024 * 1024;

function instantiate(module: WebAssembly.Module, imports: WebAssembly.Imports): WebAssembly.Instance {
  try {
    return new WebAssembly.Instance(module, imports);
  } catch (e) {
    throw new ModuleLoadError(`failed to instantiate the module: ${(e as Error).message}`);
  }
}

/** The module's idle instance reset to its instantiation state, or a new one, running `fns`. @internal */
export function acquire(mod: MappingModule, fns: Record<string, HostFn>): PooledInstance {
  const r = mod.resettable!;
  let p = mod.idle;
  mod.idle = null;
  if (p) {
    p.fns = fns;
    const mem = new Uint8Array(p.memory.buffer);
    mem.set(p.image);
    if (mem.length > p.image.length) mem.fill(0, p.image.length);
    for (const [g, v] of p.globals) g.value = v;
    return p;
  }
  const holder = { fns };
  const trampolines: Record<string, HostFn> = {};
  for (const name of Object.keys(fns)) {
    trampolines[name] = ((...args: never[]) => holder.fns[name](...args)) as HostFn;
  }
  const instance = instantiate(r.module, linkImports(r.module, trampolines));
  const ex = instance.exports as Record<string, unknown>;
  const memory = ex.memory as WebAssembly.Memory;
  p = {
    instance,
    get fns() {
      return holder.fns;
    },
    set fns(f: Record<string, HostFn>) {
      holder.fns = f;
    },
    memory,
    image: memory instanceof WebAssembly.Memory ? new Uint8Array(memory.buffer).slice() : new Uint8Array(),
    globals: r.globals.map((name) => {
      const g = ex[name] as WebAssembly.Global;
      return [g, g.value as number | bigint];
    }),
  };
  return p;
}

/** Keeps `p` as the module's idle instance unless its memory grew too large to reset cheaply. @internal */
export function release(mod: MappingModule, p: PooledInstance): void {
  if (p.memory.buffer.byteLength <= MAX_POOLED_MEMORY) mod.idle = p;
}

/** The data source whose handler runs. */
export interface DataSourceInfo {
  name: string;
  /** Empty for a data source without an address. */
  address: Uint8Array | null;
  network: string;
  context: EntityData | null;
  /** ABIs by name, as listed under the mapping's `abis`. */
  abis: Map<string, Interface>;
  /** Template names `dataSource.create` accepts. */
  templates: Set<string>;
}

export interface CreatedDataSource {
  template: string;
  params: string[];
  context: EntityData | null;
}

export type LogLevel = "critical" | "error" | "warning" | "info" | "debug";
export interface LogEntry {
  level: LogLevel;
  message: string;
}

/** JSON-RPC: resolves with the result; a JSON-RPC error rejects with an Error carrying `code` (and `data`). */
export type RpcFunction = (method: string, params: unknown[]) => Promise<unknown>;

export interface RunEnv {
  /** Entity reads (the block's writer); writes are buffered and returned. */
  store: EntityReader;
  schema?: SchemaInfo;
  /** The trigger's block, for `ethereum.call` and friends. */
  blockNumber: number;
  rpc?: RpcFunction;
  /** Answers of asynchronous requests, shared by the handlers of a block. */
  rpcCache?: Map<string, unknown>;
}

export interface HandlerResult {
  layer: HandlerLayer;
  created: CreatedDataSource[];
  logs: LogEntry[];
}

const LEVELS: LogLevel[] = ["critical", "error", "warning", "info", "debug"];

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

export type HostFn = (...args: never[]) => number | bigint | void;

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let out = "";
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = "1" + out;
  }
  return out;
}

function rpcErrorIsRevert(e: unknown): boolean {
  const err = e as { code?: unknown; message?: string; data?: unknown };
  if (typeof err?.code !== "number") return false;
  if (err.code === 3) return true;
  return /revert|VM Exception|invalid opcode|out of gas|stack underflow/i.test(err.message ?? "");
}

/** `name(in,…):(out,…)` as graph-ts writes function signatures. */
function signatureOf(f: FunctionFragment): string {
  return `${f.name}(${f.inputs.map((p) => p.format("sighash")).join(",")}):(${f.outputs.map((p) => p.format("sighash")).join(",")})`;
}

function u32(n: number): number {
  return n >>> 0;
}

/**
 * Runs `handler` for an Ethereum event. Returns the handler's buffered writes, created data sources and
 * logs. Throws DeterministicError (the subgraph fails) or NonDeterministicError (retry the block).
 */
export async function runEventHandler(
  mod: MappingModule,
  handler: string,
  trigger: EventTrigger,
  ds: DataSourceInfo,
  env: RunEnv,
): Promise<HandlerResult> {
  const cache = env.rpcCache ?? new Map<string, unknown>();
  for (let attempts = 0; ; attempts++) {
    try {
      return runOnce(mod, handler, (heap) => writeEvent(heap, trigger, mod.apiVersion), ds, env, cache);
    } catch (e) {
      if (!(e instanceof NeedsRpc) || attempts > 1000) throw e;
      cache.set(e.key, await e.fetch());
    }
  }
}

/** Resolves each import by its name alone; an unknown name fails like graph-node's linker. */
export function linkImports(module: WebAssembly.Module, fns: Record<string, HostFn>): WebAssembly.Imports {
  const imports: Record<string, Record<string, HostFn>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    const fn = fns[imp.name];
    if (imp.kind !== "function" || !fn) {
      throw new ModuleLoadError(`unknown import: \`${imp.module}::${imp.name}\` has not been defined`);
    }
    (imports[imp.module] ??= {})[imp.name] = fn;
  }
  return imports as WebAssembly.Imports;
}

/** Checks that a module links and exports what graph-node requires, without running it. */
export function validateModule(mod: MappingModule): void {
  linkImports(mod.module, hostFunctions(null, mod, null, { store: nullReader, blockNumber: 0 }, new Map()));
  const names = new Set(WebAssembly.Module.exports(mod.module).map((e) => e.name));
  for (const req of ["memory", "allocate", "id_of_type", "_start"]) {
    if (!names.has(req)) throw new ModuleLoadError(`the module does not export \`${req}\``);
  }
}

const nullReader: EntityReader = { get: () => null, getInBlock: () => null, loadRelated: () => [] };

/** What the host functions of one instance write to; exported for the matchstick runner. */
export interface RunState {
  heap: AscHeap | null;
  layer: HandlerLayer;
  created: CreatedDataSource[];
  logs: LogEntry[];
}

function runOnce(
  mod: MappingModule,
  handler: string,
  writeTrigger: (heap: AscHeap) => number,
  ds: DataSourceInfo,
  env: RunEnv,
  cache: Map<string, unknown>,
): HandlerResult {
  const state: RunState = {
    heap: null,
    layer: new HandlerLayer(env.store, env.schema),
    created: [],
    logs: [],
  };
  const fns = hostFunctions(state, mod, ds, env, cache);
  const pooled = mod.resettable ? acquire(mod, fns) : null;
  const instance = pooled ? pooled.instance : instantiate(mod.module, linkImports(mod.module, fns));
  const ex = instance.exports as unknown as AscExports & Record<string, unknown>;
  for (const req of ["memory", "allocate", "id_of_type", "_start"]) {
    if (!ex[req]) throw new ModuleLoadError(`the module does not export \`${req}\``);
  }
  const fn = ex[handler];
  if (typeof fn !== "function") throw new DeterministicError(`the module does not export the handler \`${handler}\``);
  try {
    state.heap = new AscHeap(ex, mod.idCache);
    (ex._start as () => void)();
    const ptr = writeTrigger(state.heap);
    (fn as (p: number) => void)(ptr);
  } catch (e) {
    // whatever state the failed trigger left is reset before the next one, like any other
    if (pooled) release(mod, pooled);
    throw classify(e);
  }
  if (pooled) release(mod, pooled);
  return { layer: state.layer, created: state.created, logs: state.logs };
}

/** Maps JS and wasm errors onto graph-node's deterministic / non-deterministic classes. */
function classify(e: unknown): Error {
  if (e instanceof DeterministicError || e instanceof NonDeterministicError || e instanceof NeedsRpc) return e;
  if (e instanceof WebAssembly.RuntimeError) {
    const msg = e.message === "unreachable" ? "wasm `unreachable` instruction executed" : e.message;
    return new DeterministicError(`wasm trap: ${msg}`);
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new NonDeterministicError(`stack overflow: ${e.message}`);
  }
  return new DeterministicError((e as Error)?.message ?? String(e));
}

/** The graph-node host functions over `state` (also the base of the matchstick runner's imports). */
export function hostFunctions(
  state: RunState | null,
  mod: MappingModule,
  ds: DataSourceInfo | null,
  env: RunEnv,
  cache: Map<string, unknown>,
): Record<string, HostFn> {
  const heap = (): AscHeap => state!.heap!;
  const layer = (): HandlerLayer => state!.layer;
  const dsi = (): DataSourceInfo => ds!;
  const str = (p: number): string => heap().readString(p);
  const bytes = (p: number): Uint8Array => heap().readBytes(p);
  const big = (p: number): bigint => readBigInt(heap(), p);
  const wbig = (x: bigint): number => writeBigInt(heap(), x);
  const dec = (p: number): BigDecimalValue => readBigDecimal(heap(), p);
  const wdec = (v: BigDecimalValue): number => writeBigDecimal(heap(), v);
  const wstr = (s: string): number => heap().writeString(s);
  const shiftBits = (n: number): bigint => {
    if (u32(n) > 255) throw new DeterministicError(`shift amount ${u32(n)} exceeds 255`);
    return BigInt(u32(n));
  };

  /** Parses an id the way the schema's id type requires. */
  const entityId = (entityType: string, id: string): string => {
    const t = env.schema?.get(entityType)?.idType;
    if (t === "Bytes") {
      const hex = id.startsWith("0x") ? id.slice(2) : id;
      if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new DeterministicError(`can not convert \`${id}\` to Id::Bytes`);
      return "0x" + hex.toLowerCase();
    }
    if (t === "Int8") {
      if (!/^-?[0-9]+$/.test(id) || BigInt.asIntN(64, BigInt(id)) !== BigInt(id)) {
        throw new DeterministicError(`can not convert \`${id}\` to Id::Int8`);
      }
    }
    return id;
  };

  const entityTypeKnown = (entityType: string): void => {
    if (env.schema && !env.schema.has(entityType)) {
      throw new DeterministicError(`Entity type \`${entityType}\` is not defined in the schema`);
    }
  };

  const rpcOnce = (key: string, method: string, params: unknown[]): unknown => {
    if (cache.has(key)) return cache.get(key);
    const rpc = env.rpc;
    if (!rpc) throw new DeterministicError(`${method} is not available: no JSON-RPC endpoint was configured`);
    throw new NeedsRpc(key, async () => {
      try {
        return { ok: await rpc(method, params) };
      } catch (e) {
        if (rpcErrorIsRevert(e)) return { reverted: true, message: (e as Error).message };
        throw new NonDeterministicError(`${method} failed: ${(e as Error).message}`);
      }
    });
  };
  const blockTag = (): string => toBeHex(env.blockNumber);

  const requireApi = (name: string): void => {
    if (compareVersion(mod.apiVersion, "0.0.9") < 0) {
      throw new DeterministicError(`${name} is only available for apiVersion 0.0.9 and later`);
    }
  };

  const fns: Record<string, (...args: never[]) => number | bigint | void> = {
    abort: (msg: number, file: number, line: number, col: number) => {
      const h = heap();
      throw new MappingAbort(formatAbort(h.readNullableString(msg), h.readNullableString(file), u32(line), u32(col)));
    },
    gas: () => undefined,

    // ----- store -----
    "store.get": (t: number, i: number) => {
      const entityType = str(t);
      entityTypeKnown(entityType);
      const e = layer().get(entityType, entityId(entityType, str(i)));
      return e ? writeEntity(heap(), e) : 0;
    },
    "store.get_in_block": (t: number, i: number) => {
      const entityType = str(t);
      entityTypeKnown(entityType);
      const e = layer().getInBlock(entityType, entityId(entityType, str(i)));
      return e ? writeEntity(heap(), e) : 0;
    },
    "store.loadRelated": (t: number, i: number, f: number) => {
      const entityType = str(t);
      const field = str(f);
      const info = env.schema?.get(entityType);
      if (env.schema && !info) throw new DeterministicError(`Entity type \`${entityType}\` is not defined`);
      if (info && !info.fields.has(field)) throw new DeterministicError(`unknown field \`${field}\``);
      if (info && !info.derived.has(field)) throw new DeterministicError(`field \`${field}\` is not derived`);
      const found = layer().loadRelated(entityType, entityId(entityType, str(i)), field);
      const items = found.map((e) => writeEntity(heap(), e));
      return heap().writePtrArray(TypeId.ArrayTypedMapStringStoreValue, items);
    },
    "store.set": (t: number, i: number, d: number) => {
      const entityType = str(t);
      entityTypeKnown(entityType);
      const id = entityId(entityType, str(i));
      const data = readEntity(heap(), d);
      const info = env.schema?.get(entityType);
      const idValue = data.get("id");
      if (idValue) {
        const given =
          idValue.kind === "String"
            ? idValue.value
            : idValue.kind === "Bytes"
              ? hexlify(idValue.value)
              : idValue.kind === "Int8"
                ? idValue.value.toString()
                : null;
        if (given === null) {
          throw new DeterministicError(`Attribute \`${entityType}.id\` has wrong type: ${idValue.kind}`);
        }
        if (entityId(entityType, given) !== id) {
          throw new DeterministicError(
            `Value of \`${entityType}.id\` \`${given}\` conflicts with ID passed to \`store.set()\` \`${id}\``,
          );
        }
      } else if (info) {
        data.set(
          "id",
          info.idType === "Bytes"
            ? { kind: "Bytes", value: getBytes(id) }
            : info.idType === "Int8"
              ? { kind: "Int8", value: BigInt(id) }
              : { kind: "String", value: id },
        );
      } else {
        data.set("id", { kind: "String", value: id });
      }
      if (info) {
        const unknown = [...data.keys()].filter((k) => !info.fields.has(k)).sort();
        if (unknown.length > 0) {
          if (compareVersion(mod.apiVersion, "0.0.8") >= 0) {
            throw new DeterministicError(
              `Attempted to set undefined fields [${unknown.join(", ")}] for the entity type \`${entityType}\`. ` +
                `Make sure those fields are defined in the schema.`,
            );
          }
          for (const k of unknown) data.delete(k);
        }
      }
      layer().set(entityType, id, data);
    },
    "store.remove": (t: number, i: number) => {
      const entityType = str(t);
      entityTypeKnown(entityType);
      layer().remove(entityType, entityId(entityType, str(i)));
    },

    // ----- ethereum -----
    "ethereum.call": (p: number) => {
      const h = heap();
      h.nonNull(p);
      const contractName = str(h.u32(p));
      const address = hexlify(bytes(h.u32(p + 4)));
      const functionName = str(h.u32(p + 8));
      const signature = h.readNullableString(h.u32(p + 12)) ?? "";
      const args = h.readPtrArray(h.u32(p + 16)).map((x) => readEthValue(h, x));
      const abi = dsi().abis.get(contractName);
      if (!abi) {
        throw new DeterministicError(
          `Could not find ABI for contract "${contractName}", try adding it to the 'abis' section of the subgraph manifest`,
        );
      }
      const candidates = abi.fragments.filter(
        (f): f is FunctionFragment => f instanceof FunctionFragment && f.name === functionName,
      );
      const fragment = signature ? candidates.find((f) => signatureOf(f) === signature) : candidates[0];
      if (!fragment) {
        throw new DeterministicError(`Unknown function "${contractName}::${functionName}" called from WASM runtime`);
      }
      let data: string;
      try {
        data = abi.encodeFunctionData(fragment, args.map(toCallArg));
      } catch (e) {
        throw new DeterministicError(
          `Failed to encode the arguments of ${signatureOf(fragment)}: ${(e as Error).message}`,
        );
      }
      const key = `eth_call:${env.blockNumber}:${address}:${data}`;
      const answer = rpcOnce(key, "eth_call", [{ to: address, data }, blockTag()]) as {
        ok?: string;
        reverted?: boolean;
      };
      if (answer.reverted || answer.ok === "0x" || answer.ok === undefined) {
        if (answer.ok === "0x" && fragment.outputs.length === 0) return h.writePtrArray(TypeId.ArrayEthereumValue, []);
        return 0;
      }
      let outputs: EthValue[];
      try {
        const decoded = abi.decodeFunctionResult(fragment, answer.ok);
        outputs = fragment.outputs.map((o, idx) => fromEthers(o, decoded[idx]));
      } catch (e) {
        throw new DeterministicError(
          `Failed to decode the result of ${signatureOf(fragment)}: ${(e as Error).message}`,
        );
      }
      return h.writePtrArray(
        TypeId.ArrayEthereumValue,
        outputs.map((v) => writeEthValue(h, v)),
      );
    },
    "ethereum.getBalance": (p: number) => {
      requireApi("ethereum.getBalance");
      const address = hexlify(bytes(p));
      const a = rpcOnce(`balance:${env.blockNumber}:${address}`, "eth_getBalance", [address, blockTag()]) as {
        ok?: string;
      };
      if (a.ok === undefined) throw new DeterministicError(`eth_getBalance failed for ${address}`);
      return wbig(BigInt(a.ok));
    },
    "ethereum.hasCode": (p: number) => {
      requireApi("ethereum.hasCode");
      const address = hexlify(bytes(p));
      const a = rpcOnce(`code:${env.blockNumber}:${address}`, "eth_getCode", [address, blockTag()]) as {
        ok?: string;
      };
      if (a.ok === undefined) throw new DeterministicError(`eth_getCode failed for ${address}`);
      return heap().writeWrappedBool(a.ok !== "0x" && a.ok !== "");
    },
    "ethereum.encode": (p: number) => {
      const v = readEthValue(heap(), p);
      try {
        return heap().writeBytes(encodeValue(v));
      } catch {
        return 0;
      }
    },
    "ethereum.decode": (t: number, d: number) => {
      const types = str(t);
      const data = bytes(d);
      let v: EthValue;
      try {
        v = decodeValue(types, data);
      } catch {
        return 0;
      }
      return writeEthValue(heap(), v);
    },

    // ----- conversions -----
    "typeConversion.bytesToString": (p: number) => {
      const s = new TextDecoder("utf-8").decode(bytes(p));
      let end = s.length;
      while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
      return wstr(s.slice(0, end));
    },
    "typeConversion.bytesToHex": (p: number) => wstr(hexlify(bytes(p))),
    "typeConversion.bigIntToString": (p: number) => wstr(big(p).toString()),
    "typeConversion.bigIntToHex": (p: number) => {
      const x = big(p);
      return wstr("0x" + (x < 0n ? -x : x).toString(16));
    },
    "typeConversion.stringToH160": (p: number) => {
      const s = str(p);
      const hex = s.startsWith("0x") ? s.slice(2) : s;
      if (!/^[0-9a-fA-F]{40}$/.test(hex)) {
        throw new DeterministicError(`Failed to convert string to Address/H160: '${s}': Invalid input length`);
      }
      return heap().writeBytes(getBytes("0x" + hex));
    },
    "typeConversion.bytesToBase58": (p: number) => wstr(base58(bytes(p))),

    // ----- BigInt -----
    "bigInt.plus": (a: number, b: number) => wbig(big(a) + big(b)),
    "bigInt.minus": (a: number, b: number) => wbig(big(a) - big(b)),
    "bigInt.times": (a: number, b: number) => wbig(big(a) * big(b)),
    "bigInt.dividedBy": (a: number, b: number) => wbig(bigIntDiv(big(a), big(b))),
    "bigInt.dividedByDecimal": (a: number, b: number) => wdec(bd.dividedBy(bd.fromBigInt(big(a)), dec(b))),
    "bigInt.mod": (a: number, b: number) => wbig(bigIntMod(big(a), big(b))),
    "bigInt.pow": (a: number, e: number) => {
      if (u32(e) > 255) throw new DeterministicError(`exponent ${u32(e)} exceeds 255`);
      return wbig(checkBigIntSize(big(a) ** BigInt(u32(e))));
    },
    "bigInt.fromString": (p: number) => wbig(bigIntFromString(str(p))),
    "bigInt.bitOr": (a: number, b: number) => wbig(big(a) | big(b)),
    "bigInt.bitAnd": (a: number, b: number) => wbig(big(a) & big(b)),
    "bigInt.leftShift": (a: number, n: number) => wbig(big(a) << shiftBits(n)),
    "bigInt.rightShift": (a: number, n: number) => wbig(big(a) >> shiftBits(n)),

    // ----- BigDecimal -----
    "bigDecimal.plus": (a: number, b: number) => wdec(bd.plus(dec(a), dec(b))),
    "bigDecimal.minus": (a: number, b: number) => wdec(bd.minus(dec(a), dec(b))),
    "bigDecimal.times": (a: number, b: number) => wdec(bd.times(dec(a), dec(b))),
    "bigDecimal.dividedBy": (a: number, b: number) => wdec(bd.dividedBy(dec(a), dec(b))),
    "bigDecimal.equals": (a: number, b: number) => (bd.equals(dec(a), dec(b)) ? 1 : 0),
    "bigDecimal.toString": (p: number) => wstr(bd.toString(dec(p))),
    "bigDecimal.fromString": (p: number) => wdec(bd.checkExponent(bd.fromString(str(p)))),

    // ----- JSON -----
    "json.fromBytes": (p: number) => {
      const data = bytes(p);
      if (data.length > 10_000_000) throw new DeterministicError("JSON input exceeds 10000000 bytes");
      try {
        return writeJson(heap(), parseJson(new TextDecoder("utf-8", { fatal: true }).decode(data)));
      } catch (e) {
        throw new DeterministicError(`Failed to parse JSON: ${(e as Error).message}`);
      }
    },
    "json.try_fromBytes": (p: number) => {
      const h = heap();
      const data = bytes(p);
      let parsed;
      try {
        if (data.length > 10_000_000) throw new Error("too large");
        parsed = parseJson(new TextDecoder("utf-8", { fatal: true }).decode(data));
      } catch {
        return h.writeStruct(TypeId.ResultJsonValueBool, [0, h.writeWrappedBool(true)]);
      }
      const wrapped = h.writeStruct(TypeId.WrappedJsonValue, [writeJson(h, parsed)]);
      return h.writeStruct(TypeId.ResultJsonValueBool, [wrapped, 0]);
    },
    "json.toI64": (p: number) => {
      const v = jsonInteger(str(p));
      if (BigInt.asIntN(64, v) !== v) throw new DeterministicError(`JSON number \`${v}\` does not fit i64`);
      return v;
    },
    "json.toU64": (p: number) => {
      const v = jsonInteger(str(p));
      if (BigInt.asUintN(64, v) !== v) throw new DeterministicError(`JSON number \`${v}\` does not fit u64`);
      return BigInt.asIntN(64, v);
    },
    "json.toF64": (p: number) => {
      const s = str(p);
      if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(s)) {
        throw new DeterministicError(`JSON number \`${s}\` is not a number`);
      }
      return Number(s);
    },
    "json.toBigInt": (p: number) => wbig(checkBigIntSize(jsonInteger(str(p)))),

    "crypto.keccak256": (p: number) => heap().writeBytes(getBytes(keccak256(bytes(p)))),

    "log.log": (level: number, p: number) => {
      const message = str(p);
      const l = LEVELS[u32(level)] ?? "debug";
      state!.logs.push({ level: l, message });
      if (l === "critical")
        throw new DeterministicError(`Critical error logged in mapping with log message: ${message}`);
    },

    // ----- data sources -----
    "dataSource.create": (n: number, a: number) => createDataSource(str(n), a, null),
    "dataSource.createWithContext": (n: number, a: number, c: number) =>
      createDataSource(str(n), a, readEntity(heap(), c)),
    "dataSource.address": () => heap().writeBytes(dsi().address ?? new Uint8Array()),
    "dataSource.network": () => wstr(dsi().network),
    "dataSource.context": () => writeEntity(heap(), dsi().context ?? new Map()),

    "ens.nameByHash": () => 0,

    "ipfs.cat": () => {
      throw new DeterministicError("ipfs.cat is not supported: IPFS access is non-deterministic");
    },
    "ipfs.getBlock": () => {
      throw new DeterministicError("ipfs.getBlock is not supported: IPFS access is non-deterministic");
    },
    "ipfs.map": () => {
      throw new DeterministicError("ipfs.map is not supported: IPFS access is non-deterministic");
    },
    "arweave.transactionData": () => {
      throw new DeterministicError("`arweave.transactionData` has been removed");
    },
    "box.profile": () => {
      throw new DeterministicError("`box.profile` has been removed");
    },
  };

  function createDataSource(template: string, arrayPtr: number, context: EntityData | null): void {
    const params = heap()
      .readPtrArray(arrayPtr)
      .map((p) => str(p));
    if (!dsi().templates.has(template)) {
      throw new DeterministicError(
        `Failed to create data source from name \`${template}\`: No template with this name in parent data ` +
          `sources. Available names: ${[...dsi().templates].join(", ")}`,
      );
    }
    state!.created.push({ template, params, context });
  }

  // Host errors are deterministic unless stated otherwise.
  const wrapped: Record<string, HostFn> = {};
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

/** ethers accepts int/uint as bigint and bytes as hex; tuples and arrays as nested arrays. */
function toCallArg(v: EthValue): unknown {
  switch (v.kind) {
    case "address":
    case "fixedBytes":
    case "bytes":
    case "function":
      return hexlify(v.value);
    case "fixedArray":
    case "array":
    case "tuple":
      return v.value.map(toCallArg);
    default:
      return v.value;
  }
}
