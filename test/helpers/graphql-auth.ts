/**
 * Credentials for the query API tests, made with node:crypto only: an API key file holding SHA-256 hashes, and
 * an OAuth2/OIDC issuer's signing keys, JWKS and access tokens (ES256, RS256, and the forged kinds a verifier
 * must refuse).
 */
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const READ_SCOPE = "tradetrace:read";
export const ISSUER = "https://issuer.test/realms/cbp";
export const AUDIENCE = "tradetrace-graphql";

/** A random API key in the server's format and a key file (0600) holding its hash with `scopes`. */
export function writeApiKeyFile(dir: string, scopes = [READ_SCOPE]): { file: string; key: string; other: string } {
  const key = "tt_" + randomBytes(32).toString("base64url");
  const other = "tt_" + randomBytes(32).toString("base64url");
  const file = path.join(dir, "api-keys.json");
  const sha256 = createHash("sha256").update(key).digest("hex");
  fs.writeFileSync(file, JSON.stringify({ keys: [{ id: "analyst", sha256, scopes }] }), { mode: 0o600 });
  return { file, key, other };
}

export interface Issuer {
  es: { privateKey: KeyObject; kid: string };
  rs: { privateKey: KeyObject; kid: string };
  jwks: { keys: Record<string, unknown>[] };
}

export function makeIssuer(): Issuer {
  const es = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const rs = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = (k: KeyObject, kid: string, alg: string) => ({ ...k.export({ format: "jwk" }), kid, alg, use: "sig" });
  return {
    es: { privateKey: es.privateKey, kid: "es-1" },
    rs: { privateKey: rs.privateKey, kid: "rs-1" },
    jwks: { keys: [jwk(es.publicKey, "es-1", "ES256"), jwk(rs.publicKey, "rs-1", "RS256")] },
  };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** Claims of a valid access token; override any of them. */
export function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISSUER, aud: AUDIENCE, sub: "analyst-7", scope: `openid ${READ_SCOPE}`, exp: now() + 300, ...extra };
}

/** A JWS compact token signed by the issuer's ES256 or RS256 key. */
export function signJwt(issuer: Issuer, alg: "ES256" | "RS256", payload = claims()): string {
  const key = alg === "ES256" ? issuer.es : issuer.rs;
  const input = `${b64({ alg, typ: "JWT", kid: key.kid })}.${b64(payload)}`;
  const signature =
    alg === "ES256"
      ? sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" })
      : sign("sha256", Buffer.from(input), key.privateKey);
  return `${input}.${signature.toString("base64url")}`;
}

/** Unsigned (`alg: none`) and HS256-with-the-public-key forgeries of a valid token. */
export function forgeries(issuer: Issuer, payload = claims()): Record<string, string> {
  const none = `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`;
  const hsInput = `${b64({ alg: "HS256", typ: "JWT", kid: issuer.es.kid })}.${b64(payload)}`;
  const secret = JSON.stringify(issuer.jwks.keys[0]);
  const hs = `${hsInput}.${createHmac("sha256", secret).update(hsInput).digest("base64url")}`;
  const valid = signJwt(issuer, "ES256", payload).split(".");
  const tampered = `${valid[0]}.${b64({ ...payload, sub: "someone-else" })}.${valid[2]}`;
  return { none, hs, tampered };
}
