/**
 * Compiles a matchstick test file to WASM as matchstick does: the AssemblyScript 0.19 compiler that
 * graph-cli uses, the stub runtime with its exports (`--exportRuntime`), `_start` called by the host
 * (`--explicitStart`), the function table exported (tests and hooks are registered by table index), and
 * graph-ts' global.ts as a second entry so that `allocate` and `id_of_type` are exported.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { basename, dirname, join, resolve } from "path";

export class CompileError extends Error {}

/** Every `node_modules` from `dir` up to the root, nearest first (graph-cli's library search). */
export function libDirs(dir: string): string[] {
  const out: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, "node_modules"))) out.push(join(d, "node_modules"));
    if (dirname(d) === d) break;
  }
  return out;
}

/** The `asc` of the AssemblyScript 0.19.x that graph-cli depends on, nearest to the subgraph first. */
export function findAsc(subgraphDir: string): string {
  const candidates = [...libDirs(subgraphDir), ...libDirs(__dirname)].flatMap((lib) => [
    join(lib, "@graphprotocol", "graph-cli", "node_modules", "assemblyscript"),
    join(lib, "assemblyscript"),
  ]);
  for (const pkg of candidates) {
    const manifest = join(pkg, "package.json");
    if (!existsSync(manifest)) continue;
    const version = (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
    if (version.startsWith("0.19.")) return join(pkg, "bin", "asc");
  }
  throw new CompileError("AssemblyScript 0.19.x (graph-cli's compiler) was not found under node_modules");
}

/** Compiles `testFile` (inside `subgraphDir`) and returns the WASM bytes; `extraLibs` are searched first. */
export function compileTest(subgraphDir: string, testFile: string, extraLibs: string[] = []): Uint8Array {
  const libs = [
    ...new Set([...extraLibs.map((l) => resolve(subgraphDir, l)), ...libDirs(subgraphDir), ...libDirs(__dirname)]),
  ].filter((l) => existsSync(l));
  const globalTs = libs
    .map((lib) => join(lib, "@graphprotocol", "graph-ts", "global", "global.ts"))
    .find((f) => existsSync(f));
  if (!globalTs) throw new CompileError("@graphprotocol/graph-ts was not found under node_modules");
  const out = mkdtempSync(join(tmpdir(), "matchstick-"));
  const wasm = join(out, basename(testFile).replace(/\.ts$/, "") + ".wasm");
  const args = [
    findAsc(subgraphDir),
    resolve(subgraphDir, testFile),
    globalTs,
    "--baseDir",
    resolve(subgraphDir),
    "--lib",
    libs.join(","),
    "--exportRuntime",
    "--runtime",
    "stub",
    "--explicitStart",
    "--exportTable",
    "--debug",
    "--outFile",
    wasm,
  ];
  try {
    execFileSync(process.execPath, args, { cwd: subgraphDir, stdio: "pipe" });
    return readFileSync(wasm);
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
    const text = `${err.stdout?.toString() ?? ""}${err.stderr?.toString() ?? ""}`.trim() || err.message;
    throw new CompileError(`compiling ${testFile} failed:\n${text}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
