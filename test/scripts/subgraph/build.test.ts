/**
 * The subgraph build of `npm start` is skipped when its inputs are unchanged (scripts/subgraph/build.ts): the digest
 * covers the rendered manifest (template + deployment addresses), schema, mappings and ABIs, and nothing else.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { buildSubgraphIfChanged, subgraphBuildIsCurrent, subgraphInputsDigest } from "../../../scripts/subgraph/build";

describe("subgraph build cache", function () {
  let dir: string;
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };

  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-subgraph-"));
    write("subgraph.yaml", "address: 0x01\n");
    write("schema.graphql", "type A @entity { id: ID! }\n");
    write("src/risk.ts", "export const X = 1;\n");
    write("src/nested/util.ts", "export const Y = 2;\n");
    write("abis/ActorRegistry.json", "[]\n");
    write("subgraph.template.yaml", "template\n");
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("changes with the manifest, the schema, any mapping (nested too) and any ABI", function () {
    const seen = new Set([subgraphInputsDigest(dir)]);
    for (const [file, text] of [
      ["subgraph.yaml", "address: 0x02\n"],
      ["schema.graphql", "type B @entity { id: ID! }\n"],
      ["src/risk.ts", "export const X = 3;\n"],
      ["src/nested/util.ts", "export const Y = 4;\n"],
      ["abis/ActorRegistry.json", "[{}]\n"],
      ["abis/Other.json", "[]\n"],
    ]) {
      write(file, text);
      const digest = subgraphInputsDigest(dir);
      expect(seen.has(digest), file).to.equal(false);
      seen.add(digest);
    }
  });

  it("does not change with what the build does not read (the template, the build output, other files)", function () {
    const before = subgraphInputsDigest(dir);
    write("subgraph.template.yaml", "another template\n");
    write("build/subgraph.yaml", "built\n");
    write("README.md", "docs\n");
    expect(subgraphInputsDigest(dir)).to.equal(before);
  });

  it("skips the build when the stamp matches, and runs graph-cli when it does not", async function () {
    write("build/.inputs-sha256", subgraphInputsDigest(dir));
    expect(subgraphBuildIsCurrent(dir)).to.equal(true);
    const steps: string[] = [];
    expect(await buildSubgraphIfChanged(dir, (s) => steps.push(s))).to.equal("skipped");
    expect(steps).to.deep.equal([]);

    write("src/risk.ts", "export const X = 5;\n");
    expect(subgraphBuildIsCurrent(dir)).to.equal(false);
    // Not a real subgraph: graph codegen fails, and the stale stamp is gone so no later run trusts the old build.
    await buildSubgraphIfChanged(dir, (s) => steps.push(s)).then(
      () => expect.fail("built a subgraph with no data sources"),
      (e: Error) => expect(e.message).to.match(/^graph codegen failed/),
    );
    expect(steps).to.deep.equal(["codegen"]);
    expect(fs.existsSync(path.join(dir, "build", ".inputs-sha256"))).to.equal(false);
  });
});
