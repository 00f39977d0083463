/**
 * The Node-only side of the credential modules: reading credential files and folders of schemas. Everything
 * else in `scripts/credentials/` that validates or maps a credential imports no Node module, so that the web app
 * bundles the same code (test/scripts/credentials/browser-safe.test.ts holds them to it).
 *
 * The vocabulary folder is TRADETRACE_VOCAB_DIR if set, else the bundled `scripts/credentials/vocab` (nothing
 * outside the repository is read at run time).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { mapCredential, type MappedCredential } from "./documents";
import { CredentialError } from "./errors";
import type { JsonValue } from "./jcs";
import { parseJson } from "./json";
import { SchemaSet, type SchemaSource } from "./schemas";
import { defaultSchemas } from "./vocab";
import { messageOf } from "../../lib/errors";

/** The environment variable that overrides the vocabulary directory. */
export const VOCAB_DIR_ENV = "TRADETRACE_VOCAB_DIR";

/** The repository root (this file lives in <repo>/scripts/credentials). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The schemas bundled with the tool (see `vocab/NOTICE.md`). */
export const BUNDLED_VOCAB_DIR = path.join(__dirname, "vocab");

const SCHEMA_SUFFIX = ".schema.json";

/** TRADETRACE_VOCAB_DIR if set, else the bundled `scripts/credentials/vocab`. */
export function defaultVocabDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[VOCAB_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== "") return path.resolve(fromEnv);
  return BUNDLED_VOCAB_DIR;
}

/** Reads and parses a JSON file (a leading byte order mark is ignored). */
export function readJsonFile(file: string): JsonValue {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CredentialError(`cannot read ${file}: ${messageOf(error)}`);
  }
  return parseJson(text.replace(/^\uFEFF/, ""), file);
}

/** The schemas of a folder of `<Type>.schema.json` files; each file is read when its type is first validated. */
export function loadSchemaDir(dir: string = defaultVocabDir()): SchemaSet {
  const resolved = path.resolve(dir);
  let names: string[];
  try {
    names = readdirSync(resolved);
  } catch (error) {
    throw new CredentialError(`cannot read the vocabulary directory ${resolved}: ${messageOf(error)}`);
  }
  const sources = new Map<string, SchemaSource>();
  for (const name of names.filter((n) => n.endsWith(SCHEMA_SUFFIX))) {
    const file = path.join(resolved, name);
    sources.set(name.slice(0, -SCHEMA_SUFFIX.length), { name: file, load: () => readJsonFile(file) });
  }
  if (sources.size === 0) {
    throw new CredentialError(`no *${SCHEMA_SUFFIX} files in the vocabulary directory ${resolved}`);
  }
  return new SchemaSet(resolved, sources);
}

let cached: SchemaSet | undefined;

/**
 * The command-line tool's schema set: the bundled one (shared with `defaultSchemas()`), or the folder that
 * TRADETRACE_VOCAB_DIR names, loaded once per folder.
 */
export function vocabularySchemas(): SchemaSet {
  const dir = defaultVocabDir();
  if (dir === BUNDLED_VOCAB_DIR) return defaultSchemas();
  if (cached === undefined || cached.dir !== dir) cached = loadSchemaDir(dir);
  return cached;
}

/** Reads a credential file and maps it (see `mapCredential`). */
export function readCredential(file: string, schemas: SchemaSet = vocabularySchemas()): MappedCredential {
  return mapCredential(readJsonFile(file), schemas);
}
