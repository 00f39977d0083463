import { expect } from "chai";
import { AbiCoder, getBytes, hexlify, id as keccakText } from "ethers";
import { loadManifest, type Manifest } from "../../../indexer/manifest";
import type { EntityData, StoreValue } from "../../../indexer/store/types";
import { AscHeap, TypeId } from "../../../indexer/wasm/asc";
import { DeterministicError, MappingAbort, ModuleLoadError } from "../../../indexer/wasm/errors";
import { DataSourceInfo, MappingModule, runEventHandler, type HandlerResult } from "../../../indexer/wasm/host";
import { readBigInt, readStoreValue, writeBigInt, writeStoreValue } from "../../../indexer/wasm/values";
import { MemoryStore } from "../../helpers/memory-store";
import { buildSubgraph } from "../../helpers/subgraph-build";
import { fakeTrigger, fill, opParams } from "../../helpers/triggers";

const strings = (v: StoreValue | undefined): string[] => {
  if (v?.kind !== "Array") throw new Error("not a list");
  return v.value.map((x) => (x.kind === "String" ? x.value : `<${x.kind}>`));
};

describe("indexer/wasm host (graph-cli built mapping, apiVersion 0.0.9)", function () {
  this.timeout(180_000);
  let manifest: Manifest;
  let mod: MappingModule;
  let info: DataSourceInfo;
  let store: MemoryStore;
  let randomImportDir: string;

  before(() => {
    randomImportDir = buildSubgraph("random-import");
    manifest = loadManifest(buildSubgraph("values"));
    mod = manifest.dataSources[0].module;
  });

  beforeEach(() => {
    store = new MemoryStore(manifest.schema);
    info = {
      name: "ValueEmitter",
      address: getBytes(fill(0x44, 20)),
      network: "hardhat",
      context: null,
      abis: manifest.dataSources[0].abis,
      templates: new Set(["Child"]),
    };
  });

  async function op(n: number, x: bigint, text: string): Promise<{ result: HandlerResult; entity: EntityData }> {
    const writer = store.beginBlock({ number: 5, hash: fill(0xb1, 32) });
    const result = await runEventHandler(mod, "handleOp", fakeTrigger(opParams(n, x, text)), info, {
      store: writer,
      schema: manifest.schema,
      blockNumber: 5,
    });
    result.layer.applyTo(writer);
    const entity = writer.get("OpResult", `${fill(0x7a, 32)}-2`);
    writer.commit();
    return { result, entity: entity! };
  }

  /** The test module's heap with every host import a no-op: for the memory ABI alone. */
  function bareHeap() {
    const instance = new WebAssembly.Instance(mod.module, {
      env: { abort: () => 0, seed: () => 0 },
      index: new Proxy({}, { get: () => () => 0 }),
      conversion: new Proxy({}, { get: () => () => 0 }),
      ethereum: new Proxy({}, { get: () => () => 0 }),
      numbers: new Proxy({}, { get: () => () => 0 }),
      json: new Proxy({}, { get: () => () => 0 }),
      datasource: new Proxy({}, { get: () => () => 0 }),
    } as unknown as WebAssembly.Imports);
    const ex = instance.exports as unknown as ConstructorParameters<typeof AscHeap>[0] & { _start(): void };
    ex._start();
    return { ex, heap: new AscHeap(ex, new Map()) };
  }

  describe("memory ABI", () => {
    it("writes objects with graph-node's 20-byte header, 16-aligned payloads and id_of_type class ids", () => {
      const { ex, heap } = bareHeap();
      const p = heap.writeString("héllo");
      expect(p % 16).to.equal(0);
      expect(heap.u32(p - 4), "rtSize = 2·units").to.equal(10);
      expect(heap.u32(p - 8), "rtId").to.equal(ex.id_of_type(TypeId.String));
      expect(heap.u32(p - 20), "mmInfo = 16 + padded payload").to.equal(16 + 12);
      expect(heap.readString(p)).to.equal("héllo");
      const b = heap.writeBytes(Uint8Array.of(1, 2, 3));
      expect(heap.u32(b - 8)).to.equal(ex.id_of_type(TypeId.Uint8Array));
      expect(heap.u32(b + 8), "byteLength").to.equal(3);
      expect(heap.u32(b + 4), "dataStart").to.equal(heap.u32(b));
      expect([...heap.readBytes(b)]).to.deep.equal([1, 2, 3]);
      const e = heap.writeEnum(TypeId.StoreValue, 1, -5n);
      expect(heap.u32(e - 4), "class rtSize includes padding").to.equal(28);
      expect(heap.readEnum(e)).to.deep.equal({ kind: 1, payload: 2n ** 64n - 5n });
      const a = heap.writePtrArray(TypeId.ArrayString, [p, p]);
      expect(heap.u32(a + 12)).to.equal(2);
      expect(heap.readPtrArray(a)).to.deep.equal([p, p]);
      expect(() => heap.readString(0)).to.throw("Tried to read AssemblyScript value that is 'null'");
    });

    it("writes store values and BigInts as their BigInt-payload forms did, and reads them back", () => {
      const { heap } = bareHeap();
      const payload = (p: number) => heap.readEnum(p).payload;
      expect(payload(writeStoreValue(heap, { kind: "Int", value: -5 }))).to.equal(2n ** 64n - 5n);
      expect(payload(writeStoreValue(heap, { kind: "Int", value: 2 ** 31 - 1 }))).to.equal(2n ** 31n - 1n);
      expect(payload(writeStoreValue(heap, { kind: "Bool", value: true }))).to.equal(1n);
      const values: StoreValue[] = [
        { kind: "Int", value: -(2 ** 31) },
        { kind: "Int8", value: -(2n ** 63n) },
        { kind: "Bool", value: false },
        { kind: "String", value: "héllo" },
        { kind: "BigInt", value: -(2n ** 47n) },
        { kind: "BigInt", value: 2n ** 255n + 7n },
        { kind: "Array", value: [{ kind: "Null" }, { kind: "Bytes", value: Uint8Array.of(9) }] },
      ];
      for (const v of values) expect(readStoreValue(heap, writeStoreValue(heap, v))).to.deep.equal(v);
      // the same large bytes read twice, then others: each read gives its own value
      const big = (x: bigint) => readBigInt(heap, writeBigInt(heap, x));
      for (const x of [2n ** 200n, 2n ** 200n, -(2n ** 200n), 2n ** 200n + 1n, 2n ** 200n, 255n, -129n, 2n ** 48n]) {
        expect(big(x)).to.equal(x);
      }
      const tooBig = writeBigInt(heap, 1n << 435_500n);
      expect(() => readBigInt(heap, tooBig)).to.throw(/BigInt is too big/);
      expect(() => readBigInt(heap, tooBig)).to.throw(/BigInt is too big/);
    });
  });

  describe("host functions", () => {
    it("bigInt.*: arithmetic, pow, bit operations, shifts, fromString, toHex, divDecimal", async () => {
      const n = 1_999_999_999n; // toI32 must not overflow
      const m = -7n;
      const { entity } = await op(1, n, m.toString());
      const r = strings(entity.get("results"));
      expect(r.slice(0, 10)).to.deep.equal(
        [n + m, n - m, n * m, n / m, n % m, n ** 3n, n | m, n & m, n << 5n, n >> 3n].map(String),
      );
      expect(r[10]).to.equal("0x" + n.toString(16));
      expect(r[12]).to.equal("-128");
      expect(r[11]).to.equal(n.toString());
      // negative: truncated, not rounded, with 35 significant digits from the bit-length estimate
      expect(r[13]).to.equal("-285714285.57142857142857142857142857");
      expect(entity.get("big")).to.deep.equal({ kind: "BigInt", value: n * n });
    });

    it("bigInt.rightShift is arithmetic and mod takes the dividend's sign for negatives", async () => {
      const n = -1001n;
      const { entity } = await op(1, n, "12");
      const r = strings(entity.get("results"));
      expect(r[3]).to.equal("-83");
      expect(r[4]).to.equal("-5");
      expect(r[9]).to.equal((-1001n >> 3n).toString());
      expect(r[9]).to.equal("-126");
    });

    it("bigDecimal.*: 34-digit division, rounding, equality and toString", async () => {
      const { entity } = await op(2, 0n, "2/3");
      expect(strings(entity.get("results"))).to.deep.equal([
        "5",
        "-1",
        "6",
        "0.6666666666666666666666666666666667",
        "different",
        "2",
        "2",
      ]);
      expect(entity.get("dec")).to.deep.equal({
        kind: "BigDecimal",
        value: { digits: 6666666666666666666666666666666667n, exp: -34 },
      });
      const neg = await op(2, 0n, "-1/3");
      expect(strings(neg.entity.get("results"))[3]).to.equal("-0.33333333333333333333333333333333333");
      const eq = await op(2, 0n, "1.50/1.5");
      expect(strings(eq.entity.get("results"))[4]).to.equal("equal");
    });

    it("typeConversion.*: strings, hex, base58, H160, BigInt hex drops the sign", async () => {
      const { entity } = await op(3, -255n, "héllo");
      expect(strings(entity.get("results"))).to.deep.equal([
        "héllo",
        hexlify(Buffer.from("héllo")),
        "uAqQtLcn",
        "-255",
        "0xff",
        "ab", // only trailing NULs are trimmed, then every NUL is dropped reading the string back
        "0x00000000000000000000000000000000000000ff",
        "0xfeffffff",
        "0x00000000", // graph-ts's Bytes.empty() is fromI32(0)
        "0x0",
      ]);
    });

    it("crypto.keccak256", async () => {
      const { entity } = await op(4, 0n, "Transfer(address,address,uint256)");
      expect(entity.get("bytes")).to.deep.equal({
        kind: "Bytes",
        value: getBytes(keccakText("Transfer(address,address,uint256)")),
      });
    });

    it("json.*: keeps number text, sorts keys, try_fromBytes errors, toI64/toU64/toF64/toBigInt", async () => {
      const { entity } = await op(5, 0n, '{"z":[1.50,true,null,{"k":"v"}],"a":-12345678901234567890.5e3,"a":"dup"}');
      expect(strings(entity.get("results"))).to.deep.equal([
        "object:2",
        "key:a",
        "string:dup",
        "key:z",
        "array:4",
        "number:1.50",
        "bool:true",
        "null",
        "object:1",
        "key:k",
        "string:v",
        "error",
        "-9007199254740993",
        "18446744073709551615",
        "2.5",
        "-123456789012345678901234567890",
      ]);
    });

    it("json.fromBytes on invalid JSON fails the handler deterministically", async () => {
      let err: unknown;
      try {
        await op(5, 0n, "[1,");
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(DeterministicError);
      expect((err as Error).message).to.match(/^Failed to parse JSON/);
    });

    it("log.log at each level", async () => {
      const { result } = await op(6, 9n, "hi");
      expect(result.logs).to.deep.equal([
        { level: "info", message: "info hi 9" },
        { level: "warning", message: "warning hi" },
        { level: "error", message: "error hi" },
        { level: "debug", message: "debug hi" },
      ]);
    });

    it("store.get/get_in_block/set/remove across blocks", async () => {
      const first = await op(7, 5n, "");
      expect(strings(first.entity.get("results"))).to.deep.equal(["5", "missing", "5", "entity"]);
      const writer = store.beginBlock({ number: 6, hash: fill(0xb2, 32) });
      const r = await runEventHandler(mod, "handleOp", fakeTrigger(opParams(7, 2n, "remove"), { block: 6 }), info, {
        store: writer,
        schema: manifest.schema,
        blockNumber: 6,
      });
      r.layer.applyTo(writer);
      expect(strings(writer.get("OpResult", `${fill(0x7a, 32)}-2`)!.get("results"))).to.deep.equal([
        "7",
        "missing",
        "removed",
        "null",
      ]);
      writer.commit();
      expect(store.latest("Counter", "c")).to.equal(null);
      expect(store.versionCount("Counter", "c")).to.equal(1);
    });

    it("ethereum.encode/decode round-trips a tuple and decode returns null on bad input", async () => {
      const { entity } = await op(9, -42n, "str");
      const expected = AbiCoder.defaultAbiCoder().encode(["(int256,string,address)"], [[-42n, "str", fill(0x44, 20)]]);
      expect(hexlify((entity.get("bytes") as { value: Uint8Array }).value)).to.equal(expected);
      expect(strings(entity.get("results"))).to.deep.equal(["-42", "str", fill(0x44, 20), "null"]);
    });

    it("dataSource.address/network/context and ens.nameByHash", async () => {
      const { entity } = await op(13, 7n, "");
      expect(entity.get("flag")).to.deep.equal({ kind: "Bool", value: true });
      expect(entity.get("bytes")).to.deep.equal({ kind: "Bytes", value: getBytes(fill(0x44, 20)) });
      expect(entity.get("int8")).to.deep.equal({ kind: "Int8", value: 7n });
      expect(strings(entity.get("results"))).to.deep.equal(["0", "null"]);
    });
  });

  describe("data sources and apiVersions", () => {
    it("dataSource.create queues a template instance; an unknown template fails", async () => {
      const { result } = await op(18, 0n, "Child");
      expect(result.created).to.deep.equal([{ template: "Child", params: [fill(0x44, 20)], context: null }]);
      let err: Error | undefined;
      try {
        await op(18, 0n, "Nope");
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message).to.equal(
        "Failed to create data source from name `Nope`: No template with this name in parent data sources. " +
          "Available names: Child",
      );
    });

    it("store.loadRelated refuses a field that is not derived", async () => {
      let err: Error | undefined;
      try {
        await op(19, 0n, "");
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message).to.equal("field `label` is not derived");
    });

    it("ethereum.getBalance/hasCode need apiVersion 0.0.9 and an RPC endpoint", async () => {
      const writer = store.beginBlock({ number: 5, hash: fill(0xb1, 32) });
      const old = new MappingModule(mod.module, "0.0.8");
      const run = (m: MappingModule) =>
        runEventHandler(m, "handleOp", fakeTrigger(opParams(17, 0n, "")), info, { store: writer, blockNumber: 5 });
      await expect(run(old)).to.be.rejectedWith("ethereum.getBalance is only available for apiVersion 0.0.9 and later");
      await expect(run(mod)).to.be.rejectedWith("eth_getBalance is not available: no JSON-RPC endpoint was configured");
    });

    it("the trigger layout follows apiVersion (0.0.5: no receipt, no nonce, no baseFeePerGas)", async () => {
      const old = new MappingModule(mod.module, "0.0.5");
      const writer = store.beginBlock({ number: 5, hash: fill(0xb1, 32) });
      const r = await runEventHandler(old, "handleOp", fakeTrigger(opParams(13, 3n, "")), info, {
        store: writer,
        schema: manifest.schema,
        blockNumber: 5,
      });
      expect(r.layer.ops.map((o) => o.entityType)).to.deep.equal(["OpResult"]);
    });
  });

  describe("failures", () => {
    async function failure(n: number, text: string): Promise<Error> {
      try {
        await op(n, 0n, text);
      } catch (e) {
        return e as Error;
      }
      throw new Error("the handler did not fail");
    }

    it("assert → abort with file, line, column and message", async () => {
      const e = await failure(10, "boom!");
      expect(e).to.be.instanceOf(MappingAbort);
      expect(e.message).to.match(/^Mapping aborted at src\/values\.ts, line \d+, column \d+, with message: boom!$/);
    });

    it("throw new Error → abort", async () => {
      const e = await failure(15, "thrown");
      expect(e.message).to.match(/^Mapping aborted at src\/values\.ts, line \d+, column \d+, with message: thrown$/);
    });

    it("log.critical fails the handler", async () => {
      const e = await failure(11, "bad");
      expect(e.message).to.equal("Critical error logged in mapping with log message: critical bad");
    });

    it("BigDecimal division by zero", async () => {
      expect((await failure(12, "1.5")).message).to.equal("attempted to divide BigDecimal `1.5` by zero");
    });

    it("stringToH160 requires 40 hex digits", async () => {
      expect((await failure(16, "0x12")).message).to.match(/^Failed to convert string to Address\/H160: '0x12'/);
    });

    it("setting a field the schema lacks fails for apiVersion >= 0.0.8", async () => {
      expect((await failure(14, "x")).message).to.equal(
        "Attempted to set undefined fields [notInSchema] for the entity type `OpResult`. " +
          "Make sure those fields are defined in the schema.",
      );
    });

    it("a failed handler leaves nothing behind", async () => {
      await failure(10, "x");
      expect(store.all("OpResult").size).to.equal(0);
    });

    it("a mapping importing a function graph-node lacks fails to load, naming the import", () => {
      expect(() => loadManifest(randomImportDir)).to.throw(
        ModuleLoadError,
        "unknown import: `env::seed` has not been defined",
      );
    });

    it("rejects apiVersion below 0.0.5", () => {
      expect(() => new MappingModule(mod.module, "0.0.4")).to.throw(ModuleLoadError, "apiVersion 0.0.4");
    });
  });
});
