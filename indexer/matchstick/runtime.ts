/**
 * Runs one compiled matchstick test module: the graph-node host functions of indexer/wasm plus the host
 * functions matchstick-as 0.6 imports (test registration, hooks, assertions, mocks). `_start` registers
 * the tests; `describe` bodies run as they are registered, so the whole tree is known before any test
 * runs. Tests then run in registration order on the same instance, sharing its mocked store.
 */
import { getBytes, hexlify, isHexString } from "ethers";
import { readFileSync } from "fs";
import { resolve } from "path";
import type { EntityData } from "../store/types";
import { AscHeap, TypeId, type AscExports } from "../wasm/asc";
import { DeterministicError } from "../wasm/errors";
import type { EthValue } from "../wasm/ethvalue";
import { MappingModule, linkImports, type DataSourceInfo, type LogLevel, type RunState } from "../wasm/host";
import { hostFunctions, readContractCall, type HostFn } from "../wasm/imports";
import type { SchemaInfo } from "../wasm/schema-info";
import { parseJson } from "../wasm/json";
import {
  readEntity,
  readEthValue,
  readStoreValue,
  writeEntity,
  writeEthValue,
  writeJson,
  writeStoreValue,
} from "../wasm/values";
import { MockStore, entityJson, storeValueText, type RequiredFields } from "./store";
import { messageOf } from "../../lib/errors";

export interface TestResult {
  name: string;
  /** Names of the enclosing describe blocks, outermost first. */
  path: string[];
  passed: boolean;
  shouldFail: boolean;
  /** Why it failed (assertion messages and the error), or null. */
  error: string | null;
  logs: string[];
  ms: number;
}

export interface FileResult {
  file: string;
  tests: TestResult[];
  /** The module could not be compiled, linked or started; no test ran. */
  error: string | null;
}

export interface ModuleOptions {
  apiVersion: string;
  schema?: SchemaInfo;
  required?: RequiredFields;
  templates: Set<string>;
  /** Where `readFile` and `mockIpfsFile` paths are resolved. */
  baseDir: string;
}

type HookKind = "beforeAll" | "afterAll" | "beforeEach" | "afterEach";
interface TestItem {
  kind: "test";
  name: string;
  shouldFail: boolean;
  fn: number;
}
interface Group {
  kind: "group";
  name: string;
  items: (TestItem | Group)[];
  hooks: Record<HookKind, number[]>;
  /** The describe body itself failed. */
  error: string | null;
}

interface MockedCall {
  returns: EthValue[];
  reverts: boolean;
}

const ZERO_ADDRESS = new Uint8Array(20);
const ZERO_TEXT = "0x0000000000000000000000000000000000000000";
const LOG_LEVELS = ["critical", "error", "warning", "info", "debug", "success"];

const newGroup = (name: string): Group => ({
  kind: "group",
  name,
  items: [],
  hooks: { beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] },
  error: null,
});

/** A value as it appears in messages. */
export function ethValueText(v: EthValue): string {
  switch (v.kind) {
    case "address":
    case "fixedBytes":
    case "bytes":
    case "function":
      return hexlify(v.value);
    case "int":
    case "uint":
      return v.value.toString();
    case "bool":
      return v.value ? "true" : "false";
    case "string":
      return v.value;
    default:
      return `[${v.value.map(ethValueText).join(", ")}]`;
  }
}

/** A canonical key; `looseInts` makes int and uint of the same value equal (for matching mocked calls). */
function ethKey(v: EthValue, looseInts: boolean): string {
  const kind = looseInts && v.kind === "uint" ? "int" : v.kind;
  if (v.kind === "fixedArray" || v.kind === "array" || v.kind === "tuple") {
    return `${kind}(${v.value.map((x) => ethKey(x, looseInts)).join(",")})`;
  }
  if (v.kind === "string") return `${kind}:${JSON.stringify(v.value)}`;
  return `${kind}:${ethValueText(v).toLowerCase()}`;
}

/** The parameter types of `name(t1,t2):(r)`, split at top-level commas. */
function signatureInputs(signature: string): string[] {
  const open = signature.indexOf("(");
  let depth = 0;
  let end = -1;
  for (let i = open; i < signature.length && open >= 0; i++) {
    if (signature[i] === "(") depth++;
    else if (signature[i] === ")" && --depth === 0) {
      end = i;
      break;
    }
  }
  if (open < 0 || end < 0) return [];
  const inner = signature.slice(open + 1, end);
  const out: string[] = [];
  let start = 0;
  depth = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === "(") depth++;
    else if (inner[i] === ")") depth--;
    else if (inner[i] === "," && depth === 0) {
      out.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (inner.trim() !== "") out.push(inner.slice(start).trim());
  return out;
}

/** matchstick refuses a mock whose name or argument count disagrees with its signature. */
function checkMockSignature(name: string, signature: string, argCount: number): void {
  if (signature.split("(")[0] !== name) {
    throw new DeterministicError(
      `createMockedFunction: function name \`${name}\` should match the name in the function signature \`${signature}\``,
    );
  }
  const expected = signatureInputs(signature).length;
  if (expected !== argCount) {
    throw new DeterministicError(`${name} expected ${expected} arguments, but received ${argCount}`);
  }
}

function errorText(e: unknown): string {
  if (e instanceof WebAssembly.RuntimeError) {
    return e.message === "unreachable" ? "wasm trap: `unreachable` instruction executed" : `wasm trap: ${e.message}`;
  }
  return messageOf(e);
}

/** Instantiates `wasm`, registers its tests and runs them. Never throws: failures are in the result. */
export function runTestModule(file: string, wasm: Uint8Array, opts: ModuleOptions): FileResult {
  const result: FileResult = { file, tests: [], error: null };
  const store = new MockStore(opts.schema, opts.required);
  const ds: DataSourceInfo = {
    name: "matchstick",
    address: ZERO_ADDRESS,
    network: "mainnet",
    context: new Map(),
    abis: new Map(),
    templates: opts.templates,
  };
  const state: RunState = { heap: null, layer: store, created: [], logs: [] };
  const mocks = new Map<string, MockedCall>();
  const ipfsFiles = new Map<string, string>();
  /** Assertion messages of what runs now (a hook or a test). */
  let failures: string[] = [];
  let logs: string[] = [];
  const root = newGroup("");
  let current = root;
  let ex: AscExports & Record<string, unknown> = {} as AscExports & Record<string, unknown>;

  let mod: MappingModule;
  let fns: Record<string, HostFn>;
  try {
    mod = MappingModule.fromBytes(wasm, opts.apiVersion);
    fns = hostFunctions(state, mod, ds, { store, schema: opts.schema, blockNumber: 0 }, new Map());
  } catch (e) {
    result.error = errorText(e);
    return result;
  }

  const heap = (): AscHeap => state.heap!;
  const str = (p: number): string => heap().readString(p);
  let table: WebAssembly.Table | null = null;
  const call = (idx: number): void => {
    const f = table!.get(idx >>> 0) as (() => void) | null;
    if (typeof f !== "function") throw new DeterministicError(`no function at table index ${idx >>> 0}`);
    f();
  };
  const check = (ok: boolean, message: string, custom?: number): number => {
    if (!ok) failures.push(custom !== undefined ? `${str(custom)} (${message})` : message);
    return ok ? 1 : 0;
  };
  const normalizeId = (entityType: string, id: string): string => {
    const t = opts.schema?.get(entityType)?.idType;
    return t === "Bytes" ? id.toLowerCase() : id;
  };
  const mockKey = (address: Uint8Array, name: string, signature: string, args: EthValue[]): string =>
    [hexlify(address), name, signature, ...args.map((a) => ethKey(a, true))].join("|");

  const fieldEquals = (t: number, i: number, f: number, v: number, m?: number): number => {
    const entityType = str(t);
    const id = normalizeId(entityType, str(i));
    const field = str(f);
    const expected = str(v);
    const entity = store.get(entityType, id);
    if (!entity) return check(false, `${entityType} with id '${id}' is not in the store`, m);
    const value = entity.get(field);
    if (!value) return check(false, `${entityType} '${id}' has no field '${field}'`, m);
    const actual = storeValueText(value);
    const same = value.kind === "Bytes" ? actual === expected.toLowerCase() : actual === expected;
    return check(same, `${entityType} '${id}' field '${field}': expected '${expected}' but it is '${actual}'`, m);
  };
  const equals = (a: number, b: number, m?: number): number => {
    const expected = readEthValue(heap(), a);
    const actual = readEthValue(heap(), b);
    return check(
      ethKey(expected, false) === ethKey(actual, false),
      `expected '${ethValueText(expected)}' but got '${ethValueText(actual)}'`,
      m,
    );
  };
  const notInStore = (t: number, i: number, m?: number): number => {
    const entityType = str(t);
    const id = normalizeId(entityType, str(i));
    return check(store.get(entityType, id) === null, `${entityType} with id '${id}' is in the store`, m);
  };
  const dataSourceCount = (t: number, n: number, m?: number): number => {
    const template = str(t);
    const count = state.created.filter((c) => c.template === template).length;
    return check(count === n, `expected ${n} data sources of template ${template}, found ${count}`, m);
  };
  const dataSourceExists = (t: number, a: number, m?: number): number => {
    const template = str(t);
    const address = str(a).toLowerCase();
    const found = state.created.some((c) => c.template === template && c.params[0]?.toLowerCase() === address);
    return check(found, `no data source of template ${template} with address ${address}`, m);
  };

  const matchstick: Record<string, HostFn> = {
    _registerTest: (n: number, shouldFail: number, fn: number) => {
      current.items.push({ kind: "test", name: str(n), shouldFail: shouldFail !== 0, fn });
    },
    _registerDescribe: (n: number, fn: number) => {
      const group = newGroup(str(n));
      current.items.push(group);
      const parent = current;
      current = group;
      try {
        call(fn);
      } catch (e) {
        group.error = errorText(e);
      } finally {
        current = parent;
      }
    },
    _registerHook: (fn: number, kind: number) => {
      const k = str(kind) as HookKind;
      if (!(k in current.hooks)) throw new DeterministicError(`unknown hook type ${k}`);
      current.hooks[k].push(fn);
    },

    clearStore: () => store.clear(),
    clearInBlockStore: () => store.clearInBlock(),
    mockInBlockStore: (t: number, i: number, d: number) => {
      const entityType = str(t);
      store.setInBlock(entityType, normalizeId(entityType, str(i)), readEntity(heap(), d));
    },
    countEntities: (t: number) => store.count(str(t)),
    logStore: () => {
      logs.push(...JSON.stringify(store.dump(), null, 2).split("\n"));
    },
    logEntity: (t: number, i: number, related: number) => {
      const entityType = str(t);
      const id = normalizeId(entityType, str(i));
      const e = store.get(entityType, id);
      const out: Record<string, unknown> = e ? entityJson(e) : { error: `${entityType} '${id}' not found` };
      if (e && related) {
        for (const [field] of opts.schema?.get(entityType)?.derived ?? []) {
          out[field] = store.loadRelated(entityType, id, field).map(entityJson);
        }
      }
      logs.push(...JSON.stringify(out, null, 2).split("\n"));
    },
    logDataSources: (t: number) => {
      const template = str(t);
      const found = state.created.filter((c) => c.template === template).map((c) => c.params[0] ?? "");
      logs.push(`data sources of ${template}: ${JSON.stringify(found)}`);
    },

    "_assert.fieldEquals": (t: number, i: number, f: number, v: number) => fieldEquals(t, i, f, v),
    "_assert.fieldEqualsWithMessage": (t: number, i: number, f: number, v: number, m: number) =>
      fieldEquals(t, i, f, v, m),
    "_assert.equals": (a: number, b: number) => equals(a, b),
    "_assert.equalsWithMessage": (a: number, b: number, m: number) => equals(a, b, m),
    "_assert.notInStore": (t: number, i: number) => notInStore(t, i),
    "_assert.notInStoreWithMessage": (t: number, i: number, m: number) => notInStore(t, i, m),
    "_assert.dataSourceCount": (t: number, n: number) => dataSourceCount(t, n),
    "_assert.dataSourceCountWithMessage": (t: number, n: number, m: number) => dataSourceCount(t, n, m),
    "_assert.dataSourceExists": (t: number, a: number) => dataSourceExists(t, a),
    "_assert.dataSourceExistsWithMessage": (t: number, a: number, m: number) => dataSourceExists(t, a, m),

    mockFunction: (a: number, n: number, s: number, args: number, ret: number, reverts: number) => {
      const h = heap();
      const params = h.readPtrArray(args).map((p) => readEthValue(h, p));
      const returns = h.readPtrArray(ret).map((p) => readEthValue(h, p));
      const name = str(n);
      const signature = str(s);
      checkMockSignature(name, signature, params.length);
      mocks.set(mockKey(h.readBytes(a), name, signature, params), { returns, reverts: reverts !== 0 });
    },
    "ethereum.call": (p: number) => {
      const h = heap();
      const { address, functionName: name, signature, args } = readContractCall(h, p);
      const mock = mocks.get(mockKey(address, name, signature, args));
      if (!mock) {
        throw new DeterministicError(
          `Could not find a mocked function for ${hexlify(address)} ${name} "${signature}" with arguments ` +
            `[${args.map(ethValueText).join(", ")}]; mock it with createMockedFunction`,
        );
      }
      if (mock.reverts) return 0;
      return h.writePtrArray(
        TypeId.ArrayEthereumValue,
        mock.returns.map((v) => writeEthValue(h, v)),
      );
    },

    "dataSourceMock.setReturnValues": (a: number, n: number, c: number) => {
      // A valid non-zero address (or the zero address spelled out) is an address; anything else, e.g. the
      // CID of a file data source, is kept as its UTF-8 bytes (what `dataSource.stringParam()` decodes).
      const address = str(a);
      const isAddress = isHexString(address, 20) && (/[1-9a-f]/i.test(address.slice(2)) || address === ZERO_TEXT);
      ds.address = isAddress ? getBytes(address) : new TextEncoder().encode(address);
      ds.network = str(n);
      ds.context = readEntity(heap(), c);
    },
    "dataSource.context": () => writeEntity(heap(), ds.context ?? (new Map() as EntityData)),

    readFile: (p: number) => heap().writeBytes(readFileSync(resolve(opts.baseDir, str(p)))),
    mockIpfsFile: (h: number, p: number) => {
      ipfsFiles.set(str(h), str(p));
    },
    "ipfs.cat": (h: number) => {
      const hash = str(h);
      const path = ipfsFiles.get(hash);
      if (path === undefined) throw new DeterministicError(`ipfs.cat: ${hash} is not mocked (use mockIpfsFile)`);
      return heap().writeBytes(readFileSync(resolve(opts.baseDir, path)));
    },

    "ipfs.map": (l: number, c: number, u: number) => {
      const link = str(l);
      const callback = str(c);
      const path = ipfsFiles.get(link);
      if (path === undefined) throw new DeterministicError(`ipfs.map: ${link} is not mocked (use mockIpfsFile)`);
      const parsed = parseJson(readFileSync(resolve(opts.baseDir, path), "utf8"));
      if (parsed.kind !== "array") throw new DeterministicError(`ipfs.map: ${path} does not hold a JSON array`);
      const fn = ex[callback];
      if (typeof fn !== "function") throw new DeterministicError(`ipfs.map: no exported function \`${callback}\``);
      const userData = readStoreValue(heap(), u);
      for (const item of parsed.value) {
        (fn as (v: number, d: number) => void)(writeJson(heap(), item), writeStoreValue(heap(), userData));
      }
    },
    "log.log": (level: number, p: number) => {
      const message = str(p);
      const l = LOG_LEVELS[level >>> 0] ?? "debug";
      logs.push(`${l.toUpperCase()} ${message}`);
      state.logs.push({ level: (l === "success" ? "info" : l) as LogLevel, message });
      if (l === "critical") throw new DeterministicError(`critical error logged: ${message}`);
    },
  };

  try {
    const imports = linkImports(mod.module, { ...fns, ...matchstick });
    ex = new WebAssembly.Instance(mod.module, imports).exports as unknown as AscExports & Record<string, unknown>;
    for (const req of ["memory", "allocate", "id_of_type", "_start", "table"]) {
      if (!ex[req]) throw new DeterministicError(`the test module does not export \`${req}\``);
    }
    table = ex.table as WebAssembly.Table;
    state.heap = new AscHeap(ex, mod.idCache);
    (ex._start as () => void)();
  } catch (e) {
    result.error = errorText(e);
    return result;
  }

  /** Runs a test, hook or describe body; returns why it failed, or null. */
  const run = (fn: number): string | null => {
    failures = [];
    let thrown: string | null = null;
    try {
      call(fn);
    } catch (e) {
      thrown = errorText(e);
    }
    const why = [...failures, ...(thrown ? [thrown] : [])];
    failures = [];
    return why.length > 0 ? why.join("\n") : null;
  };

  const runGroup = (g: Group, path: string[], befores: number[], afters: number[]): void => {
    logs = [];
    let groupError = g.error ? `describe block failed: ${g.error}` : null;
    for (const h of g.hooks.beforeAll) {
      if (groupError) break;
      const err = run(h);
      if (err) groupError = `beforeAll hook failed: ${err}`;
    }
    const groupLogs = logs;
    const allBefore = [...befores, ...g.hooks.beforeEach];
    const allAfter = [...g.hooks.afterEach, ...afters];
    for (const item of g.items) {
      if (item.kind === "group") {
        runGroup(item, [...path, item.name], allBefore, allAfter);
        continue;
      }
      const t: TestResult = {
        name: item.name,
        path,
        passed: false,
        shouldFail: item.shouldFail,
        error: groupError,
        logs: [...groupLogs],
        ms: 0,
      };
      groupLogs.length = 0;
      if (!groupError) {
        logs = t.logs;
        const start = process.hrtime.bigint();
        let hookError: string | null = null;
        for (const h of allBefore) {
          const err = run(h);
          if (err) {
            hookError = `beforeEach hook failed: ${err}`;
            break;
          }
        }
        const testError = hookError ? null : run(item.fn);
        for (const h of allAfter) {
          const err = run(h);
          if (err && !hookError) hookError = `afterEach hook failed: ${err}`;
        }
        t.ms = Number(process.hrtime.bigint() - start) / 1e6;
        if (hookError) t.error = hookError;
        else if (item.shouldFail) {
          t.passed = testError !== null;
          t.error = t.passed ? null : "the test was expected to fail (shouldFail) but it passed";
        } else {
          t.passed = testError === null;
          t.error = testError;
        }
      }
      result.tests.push(t);
    }
    logs = [];
    for (const h of g.hooks.afterAll) {
      const err = run(h);
      if (err) {
        result.tests.push({
          name: "afterAll hook",
          path,
          passed: false,
          shouldFail: false,
          error: err,
          logs,
          ms: 0,
        });
        break;
      }
    }
  };
  runGroup(root, [], [], []);
  return result;
}
