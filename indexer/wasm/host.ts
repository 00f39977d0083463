/**
 * Runs AssemblyScript mappings as graph-node does: a mapping module with one pooled instance reset before each
 * trigger (./reset.ts), imports linked by name only, `_start` before the handler, the handler's writes buffered
 * in a layer, failures sorted into graph-node's deterministic / non-deterministic classes (./errors.ts), and
 * handlers that need a JSON-RPC answer replayed once it is in. The host functions themselves are in
 * ./imports.ts (pointer glue) and ./host-exports/ (what each one means).
 */
import type { AscExports } from "./asc";
import { AscHeap } from "./asc";
import { DeterministicError, ModuleLoadError, NeedsRpc, NonDeterministicError } from "./errors";
import { compareVersion, writeEvent, type EventTrigger } from "./ethereum";
import type {
  CreatedDataSource,
  DataSourceInfo,
  HostContext,
  LogEntry,
  RunEnv,
  RunState,
} from "./host-exports/context";
import { contextHostFunctions, hostFunctions, type HostFn } from "./imports";
import { EntityReader, HandlerLayer } from "./layer";
import { resettableModule, type ResettableModule } from "./reset";

export type { CreatedDataSource, DataSourceInfo, LogEntry, LogLevel, RunEnv, RunState } from "./host-exports/context";
export type { HostFn } from "./imports";

/**
 * A compiled mapping; `id_of_type` answers are cached per module, as graph-node does. Built from bytes it also
 * keeps a resettable copy (./reset.ts) and one idle instance of it, reset before each trigger.
 */
export class MappingModule {
  readonly idCache = new Map<number, number>();
  /** @internal the instance between triggers */
  idle: PooledInstance | null = null;
  /** @internal the module's host functions, pointed at the running trigger through `ctx` */
  host: { ctx: Mutable<HostContext>; fns: Record<string, HostFn> } | null = null;
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

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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

export interface HandlerResult {
  layer: HandlerLayer;
  created: CreatedDataSource[];
  logs: LogEntry[];
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
/** What a module's host functions see between triggers. */
const IDLE_ENV: RunEnv = { store: nullReader, blockNumber: 0 };
const IDLE_CACHE = new Map<string, unknown>();

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
  // Triggers run one at a time (this function is synchronous): the module's host functions are built once.
  if (!mod.host) {
    const ctx: Mutable<HostContext> = { state: null, apiVersion: mod.apiVersion, ds, env, cache };
    mod.host = { ctx, fns: contextHostFunctions(ctx) };
  }
  const { ctx, fns } = mod.host;
  Object.assign(ctx, { state, ds, env, cache });
  try {
    return runWith(mod, handler, writeTrigger, state, fns);
  } finally {
    Object.assign(ctx, { state: null, ds: null, env: IDLE_ENV, cache: IDLE_CACHE }); // keep nothing of the trigger alive
  }
}

function runWith(
  mod: MappingModule,
  handler: string,
  writeTrigger: (heap: AscHeap) => number,
  state: RunState,
  fns: Record<string, HostFn>,
): HandlerResult {
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
