#!/usr/bin/env node
/**
 * Runs one TypeScript entry point of this repository (`node scripts/run.cjs scripts/query.ts args…`), the way
 * `npm start`, `npm run query` and `npm run credentials` start.
 *
 * Why not ts-node: it loads the TypeScript compiler (about 10 MB of JavaScript) and transpiles every module at
 * every start, several seconds per call on a busy machine, `--help` included. Here each .ts module is transpiled
 * once and kept in dist/ts-cache/ (gitignored), named by a hash of its path, its source, the compiler version and
 * the options below; a later start reads the cached JavaScript and never loads the compiler. An edited source has
 * another hash, so it is transpiled again on its next start: there is no build step to forget.
 *
 * Like `ts-node --transpile-only`, this does not type-check (`npx tsc --noEmit` and `npm run lint` do).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher: it runs before any TypeScript can */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const CACHE = path.join(ROOT, "dist", "ts-cache");
/** The options of tsconfig.json that change emitted code; inline source maps keep stack traces on the .ts lines. */
const COMPILER_OPTIONS = {
  target: "es2022",
  module: "commonjs",
  moduleResolution: "node",
  esModuleInterop: true,
  resolveJsonModule: true,
  inlineSourceMap: true,
};

let typescript;
let salt;

/** What else the cached output depends on: the compiler's version and the options. */
function cacheSalt() {
  if (salt === undefined) {
    const { version } = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8"));
    salt = `${version}\n${JSON.stringify(COMPILER_OPTIONS)}\n`;
  }
  return salt;
}

/** The CommonJS code of a .ts file: from the cache, or transpiled now and cached (atomically: a rename). */
function transpiled(filename) {
  const source = fs.readFileSync(filename, "utf8");
  const key = crypto.createHash("sha256").update(cacheSalt()).update(filename).update("\n").update(source);
  const cached = path.join(CACHE, `${key.digest("hex").slice(0, 40)}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not transpiled yet
  }
  typescript ??= require("typescript");
  const { outputText } = typescript.transpileModule(source, { fileName: filename, compilerOptions: COMPILER_OPTIONS });
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, outputText);
    fs.renameSync(temporary, cached);
  } catch {
    // a read-only checkout still runs, only slower
  }
  return outputText;
}

require.extensions[".ts"] = (module, filename) => {
  if (filename.includes(`${path.sep}node_modules${path.sep}`)) throw new Error(`not transpiling ${filename}`);
  module._compile(transpiled(filename), filename);
};
process.setSourceMapsEnabled(true);

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write("usage: node scripts/run.cjs <file.ts> [arguments…]\n");
  process.exit(2);
}
const main = path.resolve(ROOT, entry);
// The entry runs as the main module (its `require.main === module` holds) with the arguments `node file args` gives.
process.argv = [process.argv[0], main, ...args];
require("node:module").runMain();
