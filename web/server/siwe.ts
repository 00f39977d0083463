/**
 * Sign-In with Ethereum (EIP-4361) for trade parties, on the web app's origin:
 *
 *   POST /app/siwe/nonce   → { nonce }                  a fresh nonce, valid once, for NONCE_TTL_MS
 *   POST /app/siwe/verify  { message, signature }      → { address, chainId, expiresAt } and a session cookie
 *   GET  /app/session      → { address, chainId, expiresAt } or { address: null }
 *   POST /app/logout       → ends the session
 *
 * The message must name this server's host as its domain (the Host the browser sent, which the server's access
 * policy has already checked), the served chain id, an unused unexpired nonce of this server, and a time window
 * that includes now; the signature must be the address's (personal_sign, EOA accounts). The session is an opaque
 * random id in an HttpOnly SameSite=Strict cookie; it lasts SESSION_TTL_MS or until the message's expiration
 * time, whichever is sooner. Sessions live in memory: a restart signs everyone out.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getAddress, isHex, recoverMessageAddress, type Hex } from "viem";
import { generateSiweNonce, parseSiweMessage } from "viem/siwe";
import type { HttpRoute } from "../../indexer/graphql/http-route";

export const NONCE_TTL_MS = 5 * 60_000;
export const SESSION_TTL_MS = 8 * 3600_000;
export const SESSION_COOKIE = "tradetrace_session";
/** Longest SIWE message accepted, in characters (a real one is a few hundred). */
const MAX_MESSAGE_CHARS = 4096;
/** Outstanding nonces or sessions before expired ones are dropped. */
const PRUNE_AT = 10_000;

export interface SiweOptions {
  /** The chain the app serves: a message for another chain is refused. */
  chainId: number;
  now?: () => number;
}

export interface Session {
  address: string;
  chainId: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The SIWE endpoints and their in-memory nonces and sessions. */
export class SiweAuth {
  private readonly nonces = new Map<string, number>();
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;

  constructor(private readonly options: SiweOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The session of `req`'s cookie, if it is live. */
  sessionOf(req: IncomingMessage): Session | undefined {
    const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  /** The routes under /app/ that this serves. */
  routes(): HttpRoute[] {
    return [
      { method: "POST", prefix: "/app/siwe/nonce", handle: (req, res) => this.answer(req, res, () => this.nonce()) },
      {
        method: "POST",
        prefix: "/app/siwe/verify",
        handle: (req, res, body) => this.answer(req, res, () => this.verify(req, res, body)),
      },
      {
        method: "GET",
        prefix: "/app/session",
        handle: (req, res) => this.answer(req, res, () => this.sessionOf(req) ?? { address: null }),
      },
      {
        method: "POST",
        prefix: "/app/logout",
        handle: (req, res) => this.answer(req, res, () => this.logout(req, res)),
      },
    ];
  }

  private async answer(
    _req: IncomingMessage,
    res: ServerResponse,
    work: () => unknown | Promise<unknown>,
  ): Promise<void> {
    let status = 200;
    let value: unknown;
    try {
      value = await work();
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      status = error.status;
      value = { error: error.message };
    }
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    res.end(JSON.stringify(value));
  }

  private nonce(): { nonce: string } {
    const now = this.now();
    if (this.nonces.size > PRUNE_AT) for (const [n, exp] of this.nonces) if (exp <= now) this.nonces.delete(n);
    const nonce = generateSiweNonce();
    this.nonces.set(nonce, now + NONCE_TTL_MS);
    return { nonce };
  }

  private async verify(req: IncomingMessage, res: ServerResponse, body: Buffer | undefined): Promise<Session> {
    const { message, signature } = parseBody(body);
    const fields = parseSiweMessage(message);
    if (!fields.address || !fields.domain || !fields.nonce || fields.chainId === undefined) {
      throw new Refusal(400, "not a Sign-In with Ethereum message (EIP-4361)");
    }
    // The nonce is spent whatever follows: a message is tried once.
    const nonceExpiry = this.nonces.get(fields.nonce);
    this.nonces.delete(fields.nonce);
    const now = this.now();
    if (nonceExpiry === undefined) throw new Refusal(401, "the nonce is unknown or was already used: sign in again");
    if (nonceExpiry <= now) throw new Refusal(401, "the nonce has expired: sign in again");
    const host = req.headers.host;
    if (fields.domain !== host) {
      throw new Refusal(401, `the message is for ${fields.domain}, not this server (${host ?? "no Host"})`);
    }
    if (fields.chainId !== this.options.chainId) {
      throw new Refusal(
        401,
        `the message is for chain ${fields.chainId}; this server serves chain ${this.options.chainId}: switch network`,
      );
    }
    if (fields.expirationTime && fields.expirationTime.getTime() <= now) {
      throw new Refusal(401, "the message has expired: sign in again");
    }
    if (fields.notBefore && fields.notBefore.getTime() > now) {
      throw new Refusal(401, "the message is not valid yet (notBefore is in the future)");
    }
    let signer: string;
    try {
      signer = await recoverMessageAddress({ message, signature });
    } catch {
      throw new Refusal(401, "the signature cannot be read");
    }
    const address = getAddress(fields.address);
    if (signer !== address) throw new Refusal(401, `the signature is not ${address}'s`);
    const expiresAt = Math.min(now + SESSION_TTL_MS, fields.expirationTime?.getTime() ?? Infinity);
    const session: Session = { address, chainId: fields.chainId, expiresAt };
    if (this.sessions.size > PRUNE_AT)
      for (const [k, s] of this.sessions) if (s.expiresAt <= now) this.sessions.delete(k);
    const id = randomBytes(32).toString("base64url");
    this.sessions.set(id, session);
    res.setHeader("Set-Cookie", sessionCookie(id, Math.floor((expiresAt - now) / 1000), isTls(req)));
    return session;
  }

  private logout(req: IncomingMessage, res: ServerResponse): { address: null } {
    const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (id !== undefined) this.sessions.delete(id);
    res.setHeader("Set-Cookie", sessionCookie("", 0, isTls(req)));
    return { address: null };
  }
}

function parseBody(body: Buffer | undefined): { message: string; signature: Hex } {
  let value: unknown;
  try {
    value = JSON.parse((body ?? Buffer.alloc(0)).toString("utf8"));
  } catch {
    throw new Refusal(400, "the request body is not JSON");
  }
  const { message, signature } = (value ?? {}) as Record<string, unknown>;
  if (typeof message !== "string" || message.length === 0 || message.length > MAX_MESSAGE_CHARS) {
    throw new Refusal(400, `message must be the signed EIP-4361 text (at most ${MAX_MESSAGE_CHARS} characters)`);
  }
  if (typeof signature !== "string" || !isHex(signature)) throw new Refusal(400, "signature must be 0x-hex");
  return { message, signature };
}

function isTls(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}

/** The session cookie: script-proof (HttpOnly), never sent cross-site (SameSite=Strict), Secure over TLS. */
function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  const parts = [`${SESSION_COOKIE}=${value}`, "Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${maxAgeSeconds}`];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

/** The value of cookie `name` in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
