/**
 * The runtime's layering: chain/ (JSON-RPC types, client, block stream) knows nothing of the WASM host or the
 * subgraph runner; wasm/ may use chain types but never the runner. A new import across these lines fails here.
 */
import { expect } from "chai";
import { readFileSync, readdirSync } from "fs";
import { join, resolve } from "path";

const INDEXER = resolve(__dirname, "..", "..", "..", "indexer");

/** Every relative module `dir`'s TypeScript files import (recursively), by file. */
function importsUnder(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const entry of readdirSync(join(INDEXER, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const file = join(entry.parentPath, entry.name);
    const text = readFileSync(file, "utf8");
    const specs = [...text.matchAll(/^(?:import|export)[^;]*?from "(\.[^"]+)";/gms)].map((m) => m[1]);
    out.set(file.slice(INDEXER.length + 1), specs);
  }
  return out;
}

function crossing(dir: string, forbidden: RegExp): string[] {
  return [...importsUnder(dir)].flatMap(([file, specs]) =>
    specs.filter((s) => forbidden.test(s)).map((s) => `${file} imports ${s}`),
  );
}

describe("indexer layering", function () {
  it("finds the imports it checks", function () {
    expect(importsUnder("chain").get("chain/block-stream.ts")).to.include("./types");
    expect(importsUnder("wasm").get("wasm/host-exports/context.ts")).to.include("../../chain/types");
  });

  it("chain/ imports neither wasm/ nor runner/", function () {
    expect(crossing("chain", /(^|\/)(wasm|runner)\//)).to.deep.equal([]);
  });

  it("wasm/ imports no runner/ and only chain/types from chain/", function () {
    expect(crossing("wasm", /(^|\/)runner\/|(^|\/)chain\/(?!types$)/)).to.deep.equal([]);
  });
});
