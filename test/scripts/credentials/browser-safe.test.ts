/**
 * The web app validates and maps credentials with the command-line tool's own modules (issue #17: one
 * implementation, not a copy). This holds those modules, and everything they import, free of Node: no `node:` or
 * built-in module, no Node global, only packages that run in a browser. File reading lives in node-loader.ts.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { REPO_ROOT } from "../../../scripts/credentials/node-loader";

/** The modules the web app imports (scripts/credentials/README.md lists them as browser-safe). */
const BROWSER_SAFE_MODULES = [
  "scripts/credentials/anchor.ts",
  "scripts/credentials/coo.ts",
  "scripts/credentials/countries.ts",
  "scripts/credentials/documents.ts",
  "scripts/credentials/eip712.ts",
  "scripts/credentials/errors.ts",
  "scripts/credentials/fields.ts",
  "scripts/credentials/hts.ts",
  "scripts/credentials/jcs.ts",
  "scripts/credentials/kinds.ts",
  "scripts/credentials/json.ts",
  "scripts/credentials/mtr.ts",
  "scripts/credentials/schemas.ts",
  "scripts/credentials/steelCodec.ts",
  "scripts/credentials/units.ts",
  "scripts/credentials/vocab.ts",
  "lib/errors.ts",
  "scripts/lib/record-id.ts",
  "scripts/lib/shipment-eip712.ts",
  "scripts/lib/revert-reasons.ts",
  "scripts/lib/vocabulary.ts",
];

/** Packages that run in a browser as well as in Node. */
const BROWSER_PACKAGES = new Set(["ajv", "ajv-formats", "ethers"]);
const NODE_GLOBALS = /\b(?:Buffer|process|__dirname|__filename|require)\b\s*[.(]/;
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|(?:^|\n)\s*import\s+"([^"]+)"/g;

/** The import specifiers of a TypeScript source (static imports and re-exports). */
function importsOf(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

/** Every relative module reachable from `roots` (repository-relative .ts or .json paths), with its imports. */
function moduleGraph(roots: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const imports = file.endsWith(".json") ? [] : importsOf(readFileSync(path.join(REPO_ROOT, file), "utf8"));
    graph.set(file, imports);
    for (const spec of imports.filter((s) => s.startsWith("."))) {
      const target = path.join(path.dirname(file), spec);
      visit(target.endsWith(".json") ? target : `${target}.ts`);
    }
  };
  roots.forEach(visit);
  return graph;
}

describe("scripts/credentials: browser-safe modules", function () {
  const graph = moduleGraph(BROWSER_SAFE_MODULES);

  it("reach only each other, bundled JSON and browser packages", function () {
    expect(graph.size).to.be.at.least(BROWSER_SAFE_MODULES.length);
    for (const [file, imports] of graph) {
      for (const spec of imports) {
        if (spec.startsWith(".")) continue;
        expect(spec.startsWith("node:") || builtinModules.includes(spec), `${file} imports ${spec}`).to.equal(false);
        expect(BROWSER_PACKAGES.has(spec), `${file} imports the package ${spec}`).to.equal(true);
      }
    }
    for (const file of graph.keys()) {
      if (file.endsWith(".json")) continue;
      expect(BROWSER_SAFE_MODULES, `${file} is reached but not listed as browser-safe`).to.include(file);
    }
  });

  it("use no Node global (Buffer, process, __dirname, require)", function () {
    for (const file of graph.keys()) {
      if (file.endsWith(".json")) continue;
      const code = withoutComments(readFileSync(path.join(REPO_ROOT, file), "utf8"));
      expect(NODE_GLOBALS.exec(code)?.[0], file).to.equal(undefined);
    }
  });

  it("would catch a Node import or global (the checks can fail)", function () {
    expect(importsOf('import { readFileSync } from "node:fs";\nimport x from "./y";')).to.deep.equal([
      "node:fs",
      "./y",
    ]);
    expect(importsOf('export { a } from "path";')).to.deep.equal(["path"]);
    expect(NODE_GLOBALS.test(withoutComments("const b = Buffer.from(x);"))).to.equal(true);
    expect(NODE_GLOBALS.test(withoutComments("// Buffer.from in a comment\n/* process.env */"))).to.equal(false);
  });
});
