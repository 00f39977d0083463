/**
 * Compiles a matchstick test file to WASM as matchstick does: the AssemblyScript compiler in the subgraph's
 * `libsFolder` (see `chooseAsc`), the stub runtime with its exports (`--exportRuntime`), `_start` called by
 * the host (`--explicitStart`), the function table exported (tests and hooks are registered by table index),
 * and graph-ts' global.ts as a second entry so that `allocate` and `id_of_type` are exported.
 */
import { execFileSync } from "child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "fs";
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

/** Overrides the compiler choice (the CLI's `--asc`): an `assemblyscript` package folder or its `bin/asc`. */
export const ASC_ENV = "MATCHSTICK_ASC";

export interface AscChoice {
  /** The `bin/asc` script to run with node. */
  asc: string;
  /** Where it came from, for messages. */
  source: "override" | "libsFolder" | "search";
}

function packageVersion(pkg: string): string | null {
  const manifest = join(pkg, "package.json");
  if (!existsSync(manifest)) return null;
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version?: string }).version ?? null;
}

/** `bin/asc` of an override: a package folder or the script itself. */
function overrideAsc(path: string): string {
  if (!existsSync(path)) throw new CompileError(`no AssemblyScript compiler at ${path}: no such file or folder`);
  if (!statSync(path).isDirectory()) return path;
  const asc = join(path, "bin", "asc");
  if (!existsSync(asc)) throw new CompileError(`no AssemblyScript compiler at ${path} (no ${asc})`);
  return asc;
}

/**
 * The AssemblyScript compiler for a subgraph's tests, chosen as matchstick chooses it:
 * `<libsFolder>/assemblyscript` (whatever its version). `override` (the CLI's `--asc`, else the
 * MATCHSTICK_ASC environment variable) wins over it. Where libsFolder has none (matchstick would stop), the
 * first AssemblyScript 0.19.x (graph-ts' compiler) in each `node_modules` from the subgraph up, then the
 * runner's own: a folder's `assemblyscript` before graph-cli's nested copy.
 */
export function chooseAsc(
  subgraphDir: string,
  libsFolder = "./node_modules",
  override: string | undefined = process.env[ASC_ENV],
): AscChoice {
  if (override) return { asc: overrideAsc(resolve(subgraphDir, override)), source: "override" };
  const fromLibs = join(resolve(subgraphDir, libsFolder), "assemblyscript");
  if (packageVersion(fromLibs) !== null && existsSync(join(fromLibs, "bin", "asc"))) {
    return { asc: join(fromLibs, "bin", "asc"), source: "libsFolder" };
  }
  const candidates = [...libDirs(subgraphDir), ...libDirs(__dirname)].flatMap((lib) => [
    join(lib, "assemblyscript"),
    join(lib, "@graphprotocol", "graph-cli", "node_modules", "assemblyscript"),
  ]);
  for (const pkg of candidates) {
    if (packageVersion(pkg)?.startsWith("0.19.")) return { asc: join(pkg, "bin", "asc"), source: "search" };
  }
  throw new CompileError(
    `no AssemblyScript compiler: none in ${fromLibs}, and no 0.19.x (graph-ts' compiler) under node_modules; ` +
      `name one with --asc or ${ASC_ENV}`,
  );
}

export interface CompileOptions {
  /** matchstick.yaml's `libsFolder`, relative to the subgraph: searched first for libraries and the compiler. */
  libsFolder?: string;
  /** An AssemblyScript package folder or its `bin/asc`, instead of `chooseAsc`'s choice. */
  asc?: string;
}

/** Compiles `testFile` (inside `subgraphDir`) and returns the WASM bytes. */
export function compileTest(subgraphDir: string, testFile: string, opts: CompileOptions = {}): Uint8Array {
  const libsFolder = opts.libsFolder ?? "./node_modules";
  const asc = chooseAsc(subgraphDir, libsFolder, opts.asc).asc;
  const libs = [...new Set([resolve(subgraphDir, libsFolder), ...libDirs(subgraphDir), ...libDirs(__dirname)])].filter(
    (l) => existsSync(l),
  );
  const globalTs = libs
    .map((lib) => join(lib, "@graphprotocol", "graph-ts", "global", "global.ts"))
    .find((f) => existsSync(f));
  if (!globalTs) throw new CompileError("@graphprotocol/graph-ts was not found under node_modules");
  const out = mkdtempSync(join(tmpdir(), "matchstick-"));
  const wasm = join(out, basename(testFile).replace(/\.ts$/, "") + ".wasm");
  const args = [
    asc,
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
