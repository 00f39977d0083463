/**
 * A small, strict verifier for OAuth2/OIDC access tokens (JWS compact JWTs) from one issuer the operator
 * configures: ES256 or RS256 only (never `none`, never HMAC, so a public key can't be used as a shared secret),
 * keys from the issuer's JWKS (a URL or a local file), and `iss`, `aud`, `exp`, `nbf` and the read scope checked.
 */
import { createPublicKey, verify as verifySignature, type JsonWebKey, type KeyObject } from "node:crypto";
import fs from "node:fs";
import { AuthError, type Principal } from "./types";
import { messageOf } from "../../../lib/errors";

export interface JwtOptions {
  issuer: string;
  audience: string;
  /** JWKS as an https URL (http only on loopback) or a local file path. */
  jwks: string;
  /** Tolerated clock difference, in seconds. Default 60. */
  clockSkewSec?: number;
  /** Injected clock (tests), in seconds. */
  now?: () => number;
}

/** The accepted algorithms and the key type each needs. */
const ALGORITHMS: Record<string, { kty: string; crv?: string }> = {
  ES256: { kty: "EC", crv: "P-256" },
  RS256: { kty: "RSA" },
};
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const JWKS_TTL_MS = 10 * 60_000;
const JWKS_REFRESH_MIN_MS = 30_000;
const JWKS_FETCH_TIMEOUT_MS = 5_000;

type Jwk = JsonWebKey & { kid?: string; use?: string; alg?: string };

function bad(message: string): AuthError {
  return new AuthError(401, "invalid_token", message);
}

function decodeJson(segment: string, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw bad(`the token's ${what} is not a JSON object`);
}

/** Where the JWKS comes from; a URL is refetched after a while or when a token names an unknown key. */
export function jwksSource(spec: string): () => Promise<Jwk[]> {
  const parse = (text: string, from: string): Jwk[] => {
    const keys = (JSON.parse(text) as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) throw new Error(`${from} is not a JWKS ({"keys": [...]})`);
    return keys as Jwk[];
  };
  if (!/^https?:\/\//i.test(spec)) {
    const keys = parse(fs.readFileSync(spec, "utf8"), spec);
    return () => Promise.resolve(keys);
  }
  const url = new URL(spec);
  const loopback = ["127.0.0.1", "[::1]", "localhost"].includes(url.hostname);
  if (url.protocol !== "https:" && !loopback) throw new Error(`the JWKS URL must use https: ${spec}`);
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(JWKS_FETCH_TIMEOUT_MS), redirect: "error" });
    if (!res.ok) throw new Error(`JWKS ${spec} answered ${res.status}`);
    return parse(await res.text(), spec);
  };
}

export class JwtVerifier {
  private keys: Jwk[] = [];
  private fetchedAt = 0;
  private readonly load: () => Promise<Jwk[]>;
  private readonly skew: number;
  private readonly now: () => number;

  constructor(private readonly options: JwtOptions) {
    this.load = jwksSource(options.jwks);
    this.skew = options.clockSkewSec ?? 60;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** Verifies a token; resolves with its subject and scopes (the scope itself is checked by the caller). */
  async verify(token: string): Promise<Principal> {
    const parts = token.split(".");
    if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) throw bad("the token is not a signed JWT");
    const header = decodeJson(parts[0], "header");
    const alg = header.alg;
    if (typeof alg !== "string" || !Object.hasOwn(ALGORITHMS, alg)) {
      throw bad(`algorithm ${JSON.stringify(alg)} is not accepted (only ${Object.keys(ALGORITHMS).join(", ")})`);
    }
    if (header.crit !== undefined) throw bad("the token has critical header parameters this server does not know");
    const key = await this.keyFor(alg, typeof header.kid === "string" ? header.kid : undefined);
    const signed = Buffer.from(`${parts[0]}.${parts[1]}`, "ascii");
    const signature = Buffer.from(parts[2], "base64url");
    const ok =
      alg === "ES256"
        ? signature.length === 64 && verifySignature("sha256", signed, { key, dsaEncoding: "ieee-p1363" }, signature)
        : verifySignature("sha256", signed, key, signature);
    if (!ok) throw bad("bad signature");
    return this.claims(decodeJson(parts[1], "payload"));
  }

  private claims(c: Record<string, unknown>): Principal {
    const now = this.now();
    if (c.iss !== this.options.issuer) throw bad(`the token was issued by ${JSON.stringify(c.iss)}`);
    const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
    if (!aud.includes(this.options.audience)) throw bad(`the token is not meant for ${this.options.audience}`);
    if (typeof c.exp !== "number") throw bad("the token has no expiry");
    if (now - this.skew >= c.exp) throw bad("the token has expired");
    if (c.nbf !== undefined && (typeof c.nbf !== "number" || c.nbf > now + this.skew)) {
      throw bad("the token is not valid yet");
    }
    // OAuth2 (RFC 9068) puts scopes in a space-separated `scope`; some issuers use an `scp` array.
    const scopes =
      typeof c.scope === "string"
        ? c.scope.split(" ").filter(Boolean)
        : Array.isArray(c.scp)
          ? c.scp.filter((s): s is string => typeof s === "string")
          : [];
    return { subject: `${this.options.issuer}#${String(c.sub ?? c.client_id ?? "?")}`, scopes };
  }

  /** The issuer's key for `alg` (and `kid`); the JWKS is reloaded when stale or when `kid` is unknown. */
  private async keyFor(alg: string, kid: string | undefined): Promise<KeyObject> {
    const stale = Date.now() - this.fetchedAt > JWKS_TTL_MS;
    let jwk = stale ? undefined : this.pick(alg, kid);
    if (!jwk && (stale || Date.now() - this.fetchedAt > JWKS_REFRESH_MIN_MS)) {
      try {
        this.keys = await this.load();
        this.fetchedAt = Date.now();
      } catch (e) {
        if (this.keys.length === 0) throw bad(`the issuer's keys are unavailable (${messageOf(e)})`);
      }
      jwk = this.pick(alg, kid);
    }
    if (!jwk) throw bad(`no ${alg} key${kid ? ` with kid ${kid}` : ""} in the issuer's JWKS`);
    const key = createPublicKey({ key: jwk, format: "jwk" });
    if (alg === "RS256" && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw bad("RSA key under 2048 bits");
    return key;
  }

  private pick(alg: string, kid: string | undefined): Jwk | undefined {
    const want = ALGORITHMS[alg];
    const fits = this.keys.filter(
      (k) =>
        k.kty === want.kty &&
        (want.crv === undefined || k.crv === want.crv) &&
        (k.use === undefined || k.use === "sig") &&
        (k.alg === undefined || k.alg === alg) &&
        (kid === undefined || k.kid === kid),
    );
    // Without a kid the key must be unambiguous.
    return fits.length === 1 || (kid !== undefined && fits.length > 0) ? fits[0] : undefined;
  }
}
