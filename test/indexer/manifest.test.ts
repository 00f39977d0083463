import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { id as keccakText } from "ethers";
import { ManifestError, loadManifest, topic0Of } from "../../indexer/manifest";
import { parseJson, jsonInteger } from "../../indexer/wasm/json";
import { buildSubgraph } from "../helpers/subgraph-build";

describe("indexer/manifest", function () {
  this.timeout(180_000);
  let tmp: string;
  let yamlText: string;

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), "manifest-"));
    cpSync(join(buildSubgraph("values"), "build"), tmp, { recursive: true });
    yamlText = readFileSync(join(tmp, "subgraph.yaml"), "utf8");
  });

  after(() => rmSync(tmp, { recursive: true, force: true }));

  const withYaml = (edit: (y: string) => string): string => {
    writeFileSync(join(tmp, "subgraph.yaml"), edit(yamlText));
    return tmp;
  };

  it("loads data sources, handlers, templates and the schema from the build", () => {
    const m = loadManifest(withYaml((y) => y));
    expect(m.specVersion).to.equal("1.3.0");
    expect(m.dataSources.map((d) => [d.name, d.address, d.startBlock, d.apiVersion, d.network])).to.deep.equal([
      ["ValueEmitter", "0x5fbdb2315678afecb367f032d93f642f64180aa3", 1, "0.0.9", "hardhat"],
    ]);
    const h = m.dataSources[0].handlers.find((x) => x.handler === "handleScalars")!;
    expect(h.receipt).to.equal(true);
    expect(h.topic0).to.equal(
      keccakText("ScalarsEmitted(address,bool,bytes4,bytes32,bytes,int8,uint8,int256,uint256,string)"),
    );
    expect(m.dataSources[0].handlers.filter((x) => x.receipt)).to.have.length(1);
    expect(m.templates.map((t) => [t.name, t.handlers.map((x) => x.handler)])).to.deep.equal([
      ["Child", ["handlePinged"]],
    ]);
    expect(m.schema.get("Child")?.derived.get("pings")).to.deep.equal({ entityType: "Ping", field: "child" });
    expect(m.schema.get("Scalars")?.idType).to.equal("Bytes");
  });

  it("computes topic0 without `indexed` and spaces, honours topic0/topic1 overrides, and reads contexts", () => {
    expect(topic0Of("Pinged(indexed address, uint256)")).to.equal(keccakText("Pinged(address,uint256)"));
    const m = loadManifest(
      withYaml((y) =>
        y
          .replace(
            "handler: handleIndexed",
            'handler: handleIndexed\n          topic0: "0xABCD"\n          topic1: ["0xAA", "0xBB"]',
          )
          .replace(
            "    network: hardhat\n    source:\n      address",
            "    network: hardhat\n    context:\n      label:\n        type: String\n        data: main\n" +
              "      n:\n        type: BigInt\n        data: '12'\n      flags:\n        type: List\n" +
              "        data:\n          - type: Bool\n            data: true\n    source:\n      address",
          ),
      ),
    );
    const h = m.dataSources[0].handlers.find((x) => x.handler === "handleIndexed")!;
    expect(h.topic0).to.equal("0xabcd");
    expect(h.topicFilters).to.deep.equal([["0xaa", "0xbb"], undefined, undefined]);
    expect([...m.dataSources[0].context!]).to.deep.equal([
      ["label", { kind: "String", value: "main" }],
      ["n", { kind: "BigInt", value: 12n }],
      ["flags", { kind: "Array", value: [{ kind: "Bool", value: true }] }],
    ]);
  });

  it("rejects block handlers, unknown events and unlisted ABIs", () => {
    expect(() =>
      loadManifest(
        withYaml((y) =>
          y.replace("      eventHandlers:", "      blockHandlers:\n        - handler: x\n      eventHandlers:"),
        ),
      ),
    ).to.throw(ManifestError, "block and call handlers are not supported");
    expect(() => loadManifest(withYaml((y) => y.replace("ChildSpawned(address,string)", "Nope(address)")))).to.throw(
      ManifestError,
      "event `Nope(address)` not found in ABI `ValueEmitter`",
    );
    expect(() => loadManifest(withYaml((y) => y.replace("      abi: ValueEmitter", "      abi: Missing")))).to.throw(
      ManifestError,
      "ABI `Missing` is not listed under mapping.abis",
    );
    expect(() => loadManifest(withYaml((y) => y.replace("handler: handleTuples", "handler: handleMissing")))).to.throw(
      ManifestError,
      "the mapping does not export handler `handleMissing`",
    );
    expect(() => loadManifest(join(tmp, "nowhere"))).to.throw(ManifestError, "no built subgraph");
  });
});

describe("indexer/wasm JSON parser", () => {
  it("keeps number text, decodes escapes and sorts keys by UTF-8 bytes", () => {
    const v = parseJson(' {"é":1, "b":"\\u00e9\\n", "a":[0, -0.5e-3, 1E+2]} ');
    expect(v).to.deep.equal({
      kind: "object",
      value: [
        [
          "a",
          {
            kind: "array",
            value: [
              { kind: "number", text: "0" },
              { kind: "number", text: "-0.5e-3" },
              { kind: "number", text: "1E+2" },
            ],
          },
        ],
        ["b", { kind: "string", value: "é\n" }],
        ["é", { kind: "number", text: "1" }],
      ],
    });
  });

  it("rejects malformed input", () => {
    for (const bad of ["", "01", "[1,]", '{"a" 1}', '"\u0001"', "tru", "[1] x", "{", '{"a":1,}', "+1"]) {
      expect(() => parseJson(bad), JSON.stringify(bad)).to.throw();
    }
    expect(() => parseJson("[".repeat(200) + "]".repeat(200))).to.throw("recursion limit");
  });

  it("accepts only integer literals for toI64/toU64/toBigInt", () => {
    expect(jsonInteger("-12")).to.equal(-12n);
    for (const bad of ["1.0", "1e3", " 1", ""]) expect(() => jsonInteger(bad), bad).to.throw();
  });
});
