/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4). The operator registers clients in `<dataDir>/clients.json`
 * (`npm run interop -- add-client`), each with the scopes of the Traceability API it may use; secrets are stored
 * only as salted scrypt hashes. `POST /oauth/token` takes the client's id and secret in the form or JSON body
 * (client_secret_post) or as HTTP Basic, and answers an ES256 JWT signed by the node's current P-256 key with `iss`,
 * `sub` (the client), `aud`, `scope`, `iat`, `exp` and `jti`.
 *
 * A token request without `scope` gets every scope the client is registered for (RFC 6749 §3.3 lets the server
 * apply a default; the suites ask without one): the operator's registration is what limits a client. A request
 * naming scopes gets exactly those, and only if the client holds them all.
 */
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SignJWT, decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { HttpError, MESSAGES } from "./errors";
import type { NodeIdentity } from "./identity";

export const CLIENTS_FILE = "clients.json";

/** The scopes of the Traceability Interoperability OpenAPI. */
export const SCOPES = [
  "resolve:dids",
  "issue:credentials",
  "verify:credentials",
  "read:credentials",
  "update:credentials",
  "prove:presentations",
  "verify:presentations",
  "submit:presentations",
] as const;

export interface RegisteredClient {
  clientId: string;
  name: string;
  /** `scrypt$N$r$p$salt$hash`, base64 salt and hash. */
  secretHash: string;
  scopes: string[];
  added: string;
}

/** Client secrets are 32 random bytes, so a moderate scrypt suffices: it only has to make a stolen file useless. */
const SECRET_KDF = { N: 16_384, r: 8, p: 1 };

function hashSecret(secret: string, salt = randomBytes(16)): string {
  const hash = scryptSync(secret, salt, 32, SECRET_KDF);
  return `scrypt$${SECRET_KDF.N}$${SECRET_KDF.r}$${SECRET_KDF.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

function secretMatches(secret: string, stored: string): boolean {
  const [kind, n, r, p, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = scryptSync(secret, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

export function readClients(file: string): RegisteredClient[] {
  if (!existsSync(file)) return [];
  const json = JSON.parse(readFileSync(file, "utf8")) as { clients?: RegisteredClient[] };
  return Array.isArray(json.clients) ? json.clients : [];
}

/** Registers a client; the secret is returned once and stored only as a hash. */
export function addClient(
  file: string,
  name: string,
  scopes: readonly string[],
): { clientId: string; clientSecret: string } {
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`unknown scope ${unknown.join(", ")} (known: ${SCOPES.join(" ")})`);
  const clients = readClients(file);
  const clientId = `client-${randomBytes(8).toString("hex")}`;
  const clientSecret = randomBytes(32).toString("base64url");
  clients.push({
    clientId,
    name,
    secretHash: hashSecret(clientSecret),
    scopes: [...scopes],
    added: new Date().toISOString(),
  });
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ clients }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
  return { clientId, clientSecret };
}

/** An OAuth error answer (RFC 6749 §5.2), with the node's `message` beside it. */
export class OAuthError extends HttpError {
  constructor(
    status: number,
    readonly code: string,
    description: string,
  ) {
    super(status, description);
  }
}

export interface TokenRequest {
  fields: Record<string, unknown>;
  authorization?: string;
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

export interface TokenClaims {
  clientId: string;
  scopes: string[];
}

export class TokenService {
  constructor(
    private readonly identity: NodeIdentity,
    private readonly clientsFile: string,
    /** The `aud` of the node's tokens; a token request naming another audience is refused. */
    readonly audience: string,
    private readonly lifetimeSeconds = 3600,
  ) {}

  async issue(request: TokenRequest): Promise<object> {
    const { fields } = request;
    const text = (name: string): string | undefined =>
      typeof fields[name] === "string" ? (fields[name] as string) : undefined;
    if (text("grant_type") !== "client_credentials") {
      throw new OAuthError(400, "unsupported_grant_type", "Bad Request: grant_type must be client_credentials");
    }
    const basic = basicCredentials(request.authorization);
    const clientId = basic?.id ?? text("client_id");
    const secret = basic?.secret ?? text("client_secret");
    const client = readClients(this.clientsFile).find((c) => c.clientId === clientId);
    if (client === undefined || secret === undefined || !secretMatches(secret, client.secretHash)) {
      throw new OAuthError(401, "invalid_client", "Unauthorized: unknown client or wrong client secret");
    }
    const audience = text("audience");
    if (audience !== undefined && audience !== "" && audience !== this.audience) {
      throw new OAuthError(400, "invalid_target", `Bad Request: this node's token audience is ${this.audience}`);
    }
    const requested = (text("scope") ?? "").split(/\s+/).filter((s) => s !== "");
    const scopes = requested.length === 0 ? client.scopes : requested;
    if (!scopes.every((s) => client.scopes.includes(s))) {
      throw new OAuthError(400, "invalid_scope", "Bad Request: the client is not registered for a requested scope");
    }
    const { kid, privateJwk } = this.identity.tokenKey();
    const token = await new SignJWT({ scope: scopes.join(" "), client_id: client.clientId })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid })
      .setIssuer(this.identity.baseUrl)
      .setSubject(client.clientId)
      .setAudience(this.audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + this.lifetimeSeconds)
      .setJti(randomUUID())
      .sign(await importJWK(privateJwk, "ES256"));
    return { access_token: token, token_type: "Bearer", expires_in: this.lifetimeSeconds, scope: scopes.join(" ") };
  }

  /** The claims of a request's bearer token: 401 without a valid one, 403 when it lacks `scope`. */
  async authorize(authorization: string | undefined, scope: string): Promise<TokenClaims> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (match === null) throw new HttpError(401, MESSAGES.unauthorized);
    let claims: TokenClaims;
    try {
      const { kid } = decodeProtectedHeader(match[1]);
      const jwk = kid === undefined ? undefined : this.identity.tokenVerificationKeys().get(kid);
      if (jwk === undefined) throw new Error("unknown key");
      const { payload } = await jwtVerify(match[1], await importJWK(jwk, "ES256"), {
        issuer: this.identity.baseUrl,
        audience: this.audience,
        algorithms: ["ES256"],
        typ: "at+jwt",
        requiredClaims: ["exp", "sub"],
      });
      claims = {
        clientId: String(payload.sub),
        scopes: String(payload.scope ?? "")
          .split(" ")
          .filter(Boolean),
      };
    } catch {
      throw new HttpError(401, MESSAGES.unauthorized);
    }
    if (!claims.scopes.includes(scope)) throw new HttpError(403, MESSAGES.forbidden);
    return claims;
  }
}
