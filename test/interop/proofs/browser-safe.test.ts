/**
 * interop/proofs and scripts/credentials/verify.ts are bundled by the web app: neither they nor anything they import
 * may use a `node:` / built-in module or a Node global. Type-only imports are erased by the compiler and skipped.
 */
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { expect } from "chai";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const ROOTS = ["interop/proofs/index.ts", "scripts/credentials/verify.ts"];
const BROWSER_PACKAGES = new Set(["jose", "jsonld"]);
const NODE_GLOBALS = /\b(?:Buffer|process|__dirname|__filename|require)\b\s*[.(]/;
const VALUE_IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+"([^"]+)"/g;

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** Every module reachable from ROOTS through value imports, with its import specifiers. */
function moduleGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const source = file.endsWith(".json") ? "" : withoutComments(readFileSync(path.join(ROOT, file), "utf8"));
    const imports = [...source.matchAll(VALUE_IMPORT)].map((match) => match[1]);
    graph.set(file, imports);
    for (const spec of imports.filter((s) => s.startsWith("."))) {
      const target = path.join(path.dirname(file), spec);
      visit(
        target.endsWith(".json")
          ? target
          : `${target}${target.endsWith("proofs") || target.endsWith("contexts") ? "/index" : ""}.ts`,
      );
    }
  };
  ROOTS.forEach(visit);
  return graph;
}

describe("interop/proofs is browser-safe", function () {
  const graph = moduleGraph();

  it("reaches the proofs library, the bundled contexts and verify.ts", function () {
    expect([...graph.keys()]).to.include.members([
      "interop/proofs/ld-proof.ts",
      "interop/proofs/vc-jwt.ts",
      "interop/contexts/index.ts",
      "interop/contexts/traceability-v1.json",
      "scripts/credentials/verify.ts",
    ]);
  });

  it("imports no Node built-in and only browser packages", function () {
    const builtins = new Set(builtinModules);
    for (const [file, imports] of graph) {
      for (const spec of imports.filter((s) => !s.startsWith("."))) {
        expect(spec.startsWith("node:") || builtins.has(spec), `${file} imports ${spec}`).to.equal(false);
        expect(BROWSER_PACKAGES.has(spec), `${file} imports the package ${spec}`).to.equal(true);
      }
    }
  });

  it("uses no Node global", function () {
    for (const file of [...graph.keys()].filter((f) => f.endsWith(".ts"))) {
      const source = withoutComments(readFileSync(path.join(ROOT, file), "utf8"));
      expect(NODE_GLOBALS.test(source), `${file} uses a Node global`).to.equal(false);
    }
  });
});
