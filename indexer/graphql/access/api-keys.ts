/**
 * API keys for the query API, kept as SHA-256 hashes in a JSON file (`.tradetrace/api-keys.json` for `npm start`):
 *
 *   { "keys": [{ "id": "local-analyst", "sha256": "<hex>", "scopes": ["tradetrace:read"], "created": "<ISO>" }] }
 *
 * A key is 32 random bytes (`tt_` + base64url), so a fast hash is enough: nobody can guess it back from its hash,
 * and no slow KDF is needed against dictionary attacks on a value that was never chosen by a person.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AuthError, type Principal } from "./types";
import { messageOf } from "../../../lib/errors";

export interface ApiKeyRecord {
  id: string;
  sha256: string;
  scopes: string[];
  created?: string;
}

const KEY_PREFIX = "tt_";
const KEY_SHAPE = /^tt_[A-Za-z0-9_-]{43}$/;
const HASH_SHAPE = /^[0-9a-f]{64}$/;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** A new random API key (shown once; only its hash is stored). */
export function newApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** Whether a bearer token has the shape of one of our API keys (else it is taken for a JWT). */
export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(KEY_PREFIX);
}

/** Reads and checks an API key file; throws with the file name and what is wrong. */
export function readApiKeyFile(file: string): ApiKeyRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read the API key file ${file}: ${messageOf(e)}`);
  }
  const keys = (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new Error(`${file}: expected {"keys": [...]}`);
  return keys.map((k: Partial<ApiKeyRecord>, i) => {
    if (typeof k?.id !== "string" || typeof k.sha256 !== "string" || !HASH_SHAPE.test(k.sha256)) {
      throw new Error(`${file}: key ${i} needs an "id" and a "sha256" of 64 lowercase hex digits`);
    }
    if (!Array.isArray(k.scopes) || !k.scopes.every((s) => typeof s === "string")) {
      throw new Error(`${file}: key ${k.id} needs "scopes": an array of strings`);
    }
    return { id: k.id, sha256: k.sha256, scopes: k.scopes, created: k.created };
  });
}

/** Adds a key record to the file (created 0600 if missing; other keys kept). */
export function addApiKey(file: string, id: string, key: string, scopes: string[]): void {
  const keys = fs.existsSync(file) ? readApiKeyFile(file).filter((k) => k.id !== id) : [];
  keys.push({ id, sha256: hashApiKey(key), scopes, created: new Date().toISOString() });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ keys }, null, 2) + "\n", { mode: 0o600 });
}

/** Checks presented API keys against the hashes of a key file (read once). */
export class ApiKeyVerifier {
  private readonly hashes: { record: ApiKeyRecord; hash: Buffer }[];

  constructor(records: ApiKeyRecord[]) {
    this.hashes = records.map((record) => ({ record, hash: Buffer.from(record.sha256, "hex") }));
  }

  static fromFile(file: string): ApiKeyVerifier {
    return new ApiKeyVerifier(readApiKeyFile(file));
  }

  verify(key: string): Principal {
    if (!KEY_SHAPE.test(key)) throw new AuthError(401, "invalid_token", "malformed API key");
    const presented = createHash("sha256").update(key, "utf8").digest();
    // Compare with every stored hash in constant time, so the answer time says nothing about which one is close.
    let found: ApiKeyRecord | undefined;
    for (const { record, hash } of this.hashes) if (timingSafeEqual(presented, hash)) found = record;
    if (!found) throw new AuthError(401, "invalid_token", "unknown API key");
    return { subject: `api-key:${found.id}`, scopes: found.scopes };
  }
}
