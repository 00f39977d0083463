import { existsSync } from "node:fs";
import path from "node:path";
import type { JsonObject } from "../../scripts/credentials/jcs";
import { REPO_ROOT, readJsonFile } from "../../scripts/credentials/node-loader";

/** The project's own credential fixtures (test/fixtures/credentials). */
export const CREDENTIAL_FIXTURES = path.resolve(__dirname, "..", "fixtures", "credentials");

/**
 * The shared test data folder `shared/fixtures` (test data only: the tool itself never reads it):
 * TRADETRACE_SHARED_FIXTURES, else beside the repository, else beside the folder of git worktrees that holds it.
 */
export const SHARED_FIXTURES =
  process.env.TRADETRACE_SHARED_FIXTURES ??
  [path.resolve(REPO_ROOT, "..", "shared", "fixtures"), path.resolve(REPO_ROOT, "..", "..", "shared", "fixtures")].find(
    (dir) => existsSync(dir),
  ) ??
  path.resolve(REPO_ROOT, "..", "shared", "fixtures");

/** The W3C CCG traceability-vocab fixture folder: every schema and example, as published. */
export const SHARED_VOCAB_DIR = path.join(SHARED_FIXTURES, "traceability-vocab");

/** A fresh copy of an example from the shared traceability-vocab fixtures, e.g. "MillTestReportCredential". */
export function vocabExample(type: string): JsonObject {
  return readJsonFile(path.join(SHARED_VOCAB_DIR, `${type}.example.json`)) as JsonObject;
}

/** A fresh copy of a file from test/fixtures/credentials. */
export function credentialFixture(name: string): JsonObject {
  return readJsonFile(path.join(CREDENTIAL_FIXTURES, name)) as JsonObject;
}

/** Deep copy of a JSON value, for tests that edit a credential. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Reads `obj` at a JSON Pointer, for assertions against the example files. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function at(obj: unknown, pointer: string): any {
  return pointer
    .split("/")
    .slice(1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], obj);
}

/** Sets `obj` at a JSON Pointer (the parent must exist). */
export function setAt(obj: unknown, pointer: string, value: unknown): void {
  const keys = pointer.split("/").slice(1);
  const last = keys.pop() as string;
  const parent = keys.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], obj) as Record<
    string,
    unknown
  >;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}
