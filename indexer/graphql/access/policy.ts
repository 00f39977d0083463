/**
 * Who may talk to the query API, decided before a query runs: the Host header (against DNS rebinding), the
 * Origin header (against other web pages), CORS headers only for configured origins, and a bearer token
 * (an API key or a JWT from the configured issuer) carrying the read scope. `open` skips only the token.
 * A request without a bearer token may instead carry a wallet session (Sign-In with Ethereum, web/server/siwe.ts):
 * the chain data the subgraph serves is public, and a signed-in trade party reads it to see its own records.
 */
import type { IncomingMessage } from "node:http";
import { ApiKeyVerifier, looksLikeApiKey } from "./api-keys";
import { JwtVerifier, type JwtOptions } from "./jwt";
import { AuthError, type Principal } from "./types";

export const DEFAULT_SCOPE = "tradetrace:read";
const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

export interface AccessOptions {
  /** Serve without authentication (the local demo, started so on purpose). */
  open?: boolean;
  /** API key file (hashes). */
  apiKeysFile?: string;
  jwt?: JwtOptions;
  /** The scope a token must carry. Default `tradetrace:read`. */
  scope?: string;
  /** Origins (scheme://host[:port]) other than the server's own that may call it from a browser (CORS). */
  corsOrigins?: string[];
  /** Host names, besides the loopback ones, this server is reached by (a reverse proxy's name). */
  hostNames?: string[];
  /** Wallet sessions (SIWE cookies) admitted with the read scope when no bearer token is sent. */
  sessions?: SessionSource;
}

/** Who is signed in with a wallet on this request (its session cookie), if anyone. */
export interface SessionSource {
  sessionOf(req: IncomingMessage): { address: string } | undefined;
}

export class AccessPolicy {
  private readonly apiKeys?: ApiKeyVerifier;
  private readonly jwt?: JwtVerifier;
  readonly scope: string;
  readonly open: boolean;
  private readonly corsOrigins: Set<string>;
  private readonly hostNames: string[];
  private readonly sessions?: SessionSource;

  constructor(options: AccessOptions) {
    this.open = options.open === true;
    this.scope = options.scope ?? DEFAULT_SCOPE;
    if (options.apiKeysFile) this.apiKeys = ApiKeyVerifier.fromFile(options.apiKeysFile);
    if (options.jwt) this.jwt = new JwtVerifier(options.jwt);
    if (!this.open && !this.apiKeys && !this.jwt) {
      throw new Error("the query API needs an API key file or a JWT issuer, or must be started open (--open)");
    }
    this.corsOrigins = new Set((options.corsOrigins ?? []).map(normalizeOrigin));
    this.hostNames = [...LOOPBACK_NAMES, ...(options.hostNames ?? []).map((h) => h.toLowerCase())];
    this.sessions = options.sessions;
  }

  /** Why the Host or Origin of a request is refused (403), or null when both are fine. */
  refusal(req: IncomingMessage, port: number): string | null {
    const host = (req.headers.host ?? "").toLowerCase();
    const hosts = this.hostNames.flatMap((n) => (port === 80 ? [n, `${n}:80`] : [`${n}:${port}`]));
    if (!hosts.includes(host)) return `host ${JSON.stringify(req.headers.host ?? "")} is not served here`;
    const origin = req.headers.origin;
    if (origin === undefined) return null;
    if (this.corsOrigins.has(origin.toLowerCase())) return null;
    if (hosts.some((h) => origin.toLowerCase() === `http://${h}`)) return null; // same origin (the web app)
    return `origin ${JSON.stringify(origin)} is not allowed`;
  }

  /** CORS headers for an allowed foreign origin; none otherwise. */
  corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (origin === undefined || !this.corsOrigins.has(origin.toLowerCase())) return {};
    return {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Headers": "Authorization, Content-Type",
      "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
      "Access-Control-Max-Age": "600",
      Vary: "Origin",
    };
  }

  /** The caller behind the request's bearer token; throws AuthError (401/403). */
  async authenticate(req: IncomingMessage): Promise<Principal> {
    if (this.open) return { subject: "anonymous (--open)", scopes: [this.scope] };
    const header = req.headers.authorization;
    if (header === undefined) {
      const session = this.sessions?.sessionOf(req);
      if (session) return { subject: `wallet:${session.address}`, scopes: [this.scope] };
      throw new AuthError(401, undefined, "authentication required: send a bearer token");
    }
    const m = /^Bearer ([\x21-\x7e]+)$/.exec(header);
    if (!m) throw new AuthError(401, "invalid_request", "the Authorization header must be `Bearer <token>`");
    const token = m[1];
    let principal: Principal;
    if (looksLikeApiKey(token)) {
      if (!this.apiKeys) throw new AuthError(401, "invalid_token", "API keys are not accepted here");
      principal = this.apiKeys.verify(token);
    } else {
      if (!this.jwt) throw new AuthError(401, "invalid_token", "unknown token");
      principal = await this.jwt.verify(token);
    }
    if (!principal.scopes.includes(this.scope)) {
      throw new AuthError(403, "insufficient_scope", `the token lacks the ${this.scope} scope`);
    }
    return principal;
  }

  /** The `WWW-Authenticate` header of a refusal (RFC 6750). */
  challenge(e: AuthError): string {
    const base = `Bearer realm="tradetrace", scope="${this.scope}"`;
    if (e.code === undefined) return base;
    return `${base}, error="${e.code}", error_description="${e.message.replace(/["\\]/g, "'")}"`;
  }

  /** What to print at startup about who may query. */
  describe(): string {
    if (this.open) {
      return "WARNING: the GraphQL API is OPEN (--open): no authentication, any local process can read it";
    }
    const ways = [this.apiKeys ? "API keys" : "", this.jwt ? "JWTs from the configured issuer" : ""].filter(Boolean);
    return `GraphQL requires a bearer token (${ways.join(" or ")}) with scope ${this.scope}`;
  }
}

function normalizeOrigin(o: string): string {
  const u = new URL(o);
  if (u.origin === "null") throw new Error(`not an origin: ${o}`);
  return u.origin.toLowerCase();
}
