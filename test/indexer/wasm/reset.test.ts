/**
 * Resettable instances (indexer/wasm/reset.ts): a mapping run on its one reset instance must behave exactly like
 * one run on a fresh instance per trigger (graph-node's semantics), including after a trap or an abort, and
 * modules whose state a reset could miss must not be rewritten.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { getBytes } from "ethers";
import { loadManifest, type Manifest } from "../../../indexer/manifest";
import { DataSourceInfo, MappingModule, acquire, release, runEventHandler } from "../../../indexer/wasm/host";
import { resettableModule } from "../../../indexer/wasm/reset";
import { MemoryStore } from "../../helpers/memory-store";
import { buildSubgraph } from "../../helpers/subgraph-build";
import { fakeTrigger, fill, opParams } from "../../helpers/triggers";

/** A module of a memory and `data` sections as given (flags 0 active, 1 passive). */
function moduleWithData(flags: number): Uint8Array {
  const segment = flags === 0 ? [0x00, 0x41, 0x00, 0x0b, 0x01, 0x2a] : [0x01, 0x01, 0x2a]; // "*" at 0, or passive "*"
  const data = [0x01, ...segment];
  const exportMemory = [0x01, 0x06, ...Buffer.from("memory"), 0x02, 0x00];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x05, 0x03, 0x01, 0x00, 0x01, // memory 1 page
    0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x07, 0x0b, // global (mut i32) = 7
    0x07, exportMemory.length, ...exportMemory,
    0x0b, data.length, ...data,
  ]); // prettier-ignore
}

describe("indexer/wasm resettable instances", function () {
  this.timeout(180_000);
  let manifest: Manifest;
  let dir: string;

  before(() => {
    dir = buildSubgraph("values");
    manifest = loadManifest(dir);
  });

  it("exports the mutable globals of a graph-cli build and of a hand-made module", function () {
    const file = join(dir, "build", "ValueEmitter", "ValueEmitter.wasm");
    const r = resettableModule(readFileSync(file));
    expect(r).to.not.equal(null);
    expect(r!.globals.length).to.be.greaterThan(0);
    const exported = WebAssembly.Module.exports(r!.module).map((e) => e.name);
    for (const g of r!.globals) expect(exported).to.include(g);
    expect(manifest.dataSources[0].module.resettable).to.not.equal(null);

    const small = resettableModule(moduleWithData(0));
    expect(small!.globals).to.deep.equal(["__tt_global_0"]);
    const instance = new WebAssembly.Instance(small!.module, {});
    expect((instance.exports.__tt_global_0 as WebAssembly.Global).value).to.equal(7);
  });

  it("keeps fresh instances for modules with passive data, imported memory, or that do not parse", function () {
    expect(resettableModule(moduleWithData(1))).to.equal(null);
    const importsMemory = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x02, 0x0a, 0x01, 0x01, 0x65, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, // import "e" "mem" memory 1
      0x07, 0x01, 0x00,
    ]); // prettier-ignore
    new WebAssembly.Module(importsMemory); // a valid module
    expect(resettableModule(importsMemory)).to.equal(null);
    expect(resettableModule(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x07, 0x05]))).to.equal(
      null,
    );
  });

  it("runs every trigger on a reset instance exactly as on a fresh one, also after traps and aborts", async function () {
    const pooled = manifest.dataSources[0].module;
    const fresh = new MappingModule(pooled.module, pooled.apiVersion);
    expect(fresh.resettable).to.equal(null);
    const info: DataSourceInfo = {
      name: "ValueEmitter",
      address: getBytes(fill(0x44, 20)),
      network: "hardhat",
      context: null,
      abis: manifest.dataSources[0].abis,
      templates: new Set(["Child"]),
    };
    // counters, big numbers, strings of growing length (memory grows), an abort, a trap, json, logs
    const ops: [number, bigint, string][] = [
      [7, 5n, ""],
      [1, 123456789012345678901234567890n, "x"],
      [6, 255n, "a".repeat(70_000)],
      [10, 0n, "assertion"],
      [7, 2n, ""],
      [12, 0n, "1.5"],
      [5, 0n, '{"b":[1,2.5,"s"],"a":null}'],
      [6, 3n, "logged"],
      [3, 255n, "bytes"],
      [3, 1n, "short"],
      [7, 1n, "remove"],
      [4, 0n, "hash me"],
    ];
    const run = async (mod: MappingModule): Promise<string[]> => {
      const store = new MemoryStore(manifest.schema);
      const out: string[] = [];
      for (let i = 0; i < ops.length; i++) {
        const [op, n, text] = ops[i];
        const writer = store.beginBlock({ number: 10 + i, hash: fill(0xb0 + i, 32) });
        try {
          const r = await runEventHandler(mod, "handleOp", fakeTrigger(opParams(op, n, text)), info, {
            store: writer,
            schema: manifest.schema,
            blockNumber: 10 + i,
          });
          r.layer.applyTo(writer);
          out.push(
            JSON.stringify({ ops: r.layer.ops, logs: r.logs }, (_k, v: unknown) =>
              typeof v === "bigint"
                ? `${v}n`
                : v instanceof Uint8Array
                  ? Buffer.from(v).toString("hex")
                  : v instanceof Map
                    ? [...v]
                    : v,
            ),
          );
          writer.commit();
        } catch (e) {
          out.push(`${(e as Error).constructor.name}: ${(e as Error).message}`);
          writer.discard();
        }
      }
      return out;
    };
    const expected = await run(fresh);
    expect(expected.filter((x) => x.startsWith("DeterministicError")).length).to.equal(2);
    expect(expected[0]).to.include('"count",{"kind":"Int","value":5}');
    expect(await run(pooled)).to.deep.equal(expected);
    // the instance was reused, and its state moved on: the next trigger depends on the reset
    const idle = pooled.idle!;
    expect(idle).to.not.equal(null);
    expect(idle.globals.some(([g, initial]) => g.value !== initial)).to.equal(true);
    expect(idle.memory.buffer.byteLength).to.be.greaterThan(idle.image.length); // the 70 kB string grew it
    const memory = new Uint8Array(idle.memory.buffer);
    expect(Buffer.compare(memory.subarray(0, idle.image.length), idle.image)).to.not.equal(0);
    // taking it for the next trigger puts memory and globals back as instantiation left them
    const again = acquire(pooled, {});
    expect(again).to.equal(idle);
    expect(Buffer.compare(memory.subarray(0, idle.image.length), idle.image)).to.equal(0);
    expect(memory.subarray(idle.image.length).every((b) => b === 0)).to.equal(true);
    expect(idle.globals.every(([g, initial]) => g.value === initial)).to.equal(true);
    release(pooled, again);
    expect(await run(pooled)).to.deep.equal(expected);
  });
});
