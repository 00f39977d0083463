/**
 * The local content-addressed store of submitted credentials. The chain keeps only hashes, so `export` needs the
 * original JSON: `submit` writes it to `<dir>/<credentialHash>.json`, byte for byte as given. A record whose id is
 * not the credential hash (every record: ids bind the hash to the issuer) gets `<dir>/records/<recordId>`, a text
 * file holding the credential hash. Trade documents are confidential business data: the store's directories are
 * created 0700 and its files 0600 (owner only), and an existing store is tightened to that when written to.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CliError } from "./cli-error";
import { contentHash } from "./jcs";
import { parseJson } from "./json";

export const STORE_ENV = "TRADETRACE_CREDENTIAL_STORE";
export const DEFAULT_STORE = path.join(".tradetrace", "credentials");

/** The store directory: `--store`, else TRADETRACE_CREDENTIAL_STORE, else `.tradetrace/credentials` (from cwd). */
export function storeDir(option: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  return path.resolve(cwd, option ?? env[STORE_ENV] ?? DEFAULT_STORE);
}

/** Owner-only modes of the store's directories and files. */
export const STORE_DIR_MODE = 0o700;
export const STORE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) owner-only, and tightens it if it already existed. */
function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: STORE_DIR_MODE });
  chmodSync(dir, STORE_DIR_MODE);
}

/** Writes `file` owner-only, also when it already existed with a wider mode. */
function privateFile(file: string, text: string): void {
  writeFileSync(file, text, { mode: STORE_FILE_MODE });
  chmodSync(file, STORE_FILE_MODE);
}

/** Saves the credential text under its hash and links every other record id to it. */
export function storeCredential(dir: string, text: string, credentialHash: string, recordIds: string[]): string {
  const file = path.join(dir, `${credentialHash}.json`);
  privateDir(dir);
  privateFile(file, text);
  const links = recordIds.filter((id) => id !== credentialHash);
  if (links.length > 0) privateDir(path.join(dir, "records"));
  for (const id of links) privateFile(path.join(dir, "records", id), `${credentialHash}\n`);
  return file;
}

/** The stored credential text for `recordId`, checked against its file name; CliError if there is none. */
export function loadCredential(dir: string, recordId: string): { text: string; credentialHash: string; file: string } {
  const id = recordId.toLowerCase();
  let credentialHash = id;
  const link = path.join(dir, "records", id);
  if (existsSync(link)) credentialHash = readFileSync(link, "utf8").trim();
  const file = path.join(dir, `${credentialHash}.json`);
  if (!existsSync(file)) {
    throw new CliError(`no stored credential for ${id} in ${dir} (export needs the JSON written by submit)`);
  }
  const text = readFileSync(file, "utf8");
  const actual = contentHash(parseJson(text.replace(/^\uFEFF/, ""), file));
  if (actual !== credentialHash)
    throw new CliError(`stored credential ${file} has hash ${actual}, not ${credentialHash}`);
  return { text, credentialHash, file };
}
