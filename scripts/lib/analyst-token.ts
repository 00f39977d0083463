/**
 * The local analyst's API key for `npm start` and `npm run query`: start makes a fresh key, keeps only its hash in
 * `.tradetrace/api-keys.json` and writes the key to `.tradetrace/analyst.token` (mode 0600, readable by its
 * owner alone); query sends it as `Authorization: Bearer <token>`, from `--token`, `TRADETRACE_TOKEN` or that file.
 */
import fs from "node:fs";
import path from "node:path";
import { addApiKey, newApiKey } from "../../indexer/graphql/access/api-keys";
import { DEFAULT_SCOPE } from "../../indexer/graphql/access/policy";

export const API_KEYS_FILE = "api-keys.json";
export const TOKEN_FILE = "analyst.token";
const KEY_ID = "local-analyst";

/** Replaces the local analyst's key with a new one; returns the key file and the token file. */
export function issueLocalToken(stateDir: string): { keysFile: string; tokenFile: string } {
  fs.mkdirSync(stateDir, { recursive: true });
  const key = newApiKey();
  const keysFile = path.join(stateDir, API_KEYS_FILE);
  const tokenFile = path.join(stateDir, TOKEN_FILE);
  addApiKey(keysFile, KEY_ID, key, [DEFAULT_SCOPE]);
  // Written under a temporary name with 0600 from the start, then renamed: never readable by others.
  const tmp = `${tokenFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${key}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, tokenFile);
  return { keysFile, tokenFile };
}

/** The token to send: `--token`, else TRADETRACE_TOKEN, else the token file of `npm start`; undefined if none. */
export function findToken(flag: string | undefined, stateDir: string, env = process.env): string | undefined {
  if (flag) return flag;
  if (env.TRADETRACE_TOKEN) return env.TRADETRACE_TOKEN.trim();
  const file = path.join(stateDir, TOKEN_FILE);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : undefined;
}
