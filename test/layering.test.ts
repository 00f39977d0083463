/**
 * The folders' import rules that no compiler checks: `lib/` is the bottom layer (it imports nothing of the
 * project), the benchmarks never import the tests (tests may import `bench/lib` to run short benchmarks;
 * what both need lives in `lib/` or `scripts/`), and the GraphQL layer (`indexer/graphql/`) reaches stored
 * entities only through the QueryStore interface: no SQLite store, no SQL of its own.
 */
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|(?:^|\n)\s*import\s+"([^"]+)"|require\("([^"]+)"\)/g;

/** Every .ts file under `dir` (repository-relative). */
function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "results" ? [] : sources(file);
    return entry.name.endsWith(".ts") ? [file] : [];
  });
}

/** The repository-relative targets of a file's relative imports. */
function relativeImports(file: string): string[] {
  const source = readFileSync(path.join(ROOT, file), "utf8");
  return [...source.matchAll(IMPORT)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((spec) => spec.startsWith("."))
    .map((spec) => path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), spec)));
}

/** `file → target` for every relative import from `dir` that lands in a folder `forbidden` names. */
function crossings(dir: string, forbidden: (target: string) => boolean): string[] {
  return sources(dir).flatMap((file) =>
    relativeImports(file)
      .filter(forbidden)
      .map((target) => `${file} → ${target}`),
  );
}

describe("layering", function () {
  it("finds the imports it checks", function () {
    expect(relativeImports("bench/lib/gas.ts")).to.include("scripts/season/filings");
    expect(crossings("test/bench", (target) => target.startsWith("bench/"))).to.not.be.empty;
  });

  it("keeps bench/ from importing test/", function () {
    expect(crossings("bench", (target) => target.split(path.sep)[0] === "test")).to.deep.equal([]);
  });

  it("keeps indexer/graphql/ from importing the SQLite store and its SQL", function () {
    const sqlite = (target: string) =>
      /^indexer\/store\/(sqlite|sqlite-query-store|sqlite-rollup|sql|current-bucket|layout)$/.test(
        target.split(path.sep).join("/"),
      );
    expect(crossings("indexer/graphql", sqlite)).to.deep.equal([]);
    expect(sqlite("indexer/store/sqlite")).to.equal(true);
  });

  it("keeps SQL statements out of indexer/graphql/", function () {
    const statement = /\b(SELECT\s[\s\S]{0,300}?\sFROM\s|INSERT\s+INTO\s|DELETE\s+FROM\s|UPDATE\s+\S+\s+SET\s)/;
    const offenders = sources("indexer/graphql").filter((file) =>
      statement.test(readFileSync(path.join(ROOT, file), "utf8")),
    );
    expect(offenders).to.deep.equal([]);
    expect(statement.test('`SELECT ${cols}, a."id" AS __parent FROM ${src.sql} a`')).to.equal(true);
  });

  it("keeps lib/ from importing anything of the project outside lib/", function () {
    expect(crossings("lib", (target) => target.split(path.sep)[0] !== "lib")).to.deep.equal([]);
  });
});
