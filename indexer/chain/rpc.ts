/**
 * JSON-RPC access: an HTTP client whose JSON-RPC errors carry `code`/`data` (so that reverts can be told
 * apart), and a wrapper that retries transport failures with exponential backoff while the node is down.
 */
import type { RpcFunction } from "./types";

/** A JSON-RPC error answer (the node is up; retrying the same request gives the same answer). */
export class RpcError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = "RpcError";
  }
}

/** The node could not be reached or answered garbage. */
export class RpcTransportError extends Error {
  override name = "RpcTransportError";
}

type RpcAnswer = { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };

/**
 * A JSON-RPC answer's result, or an RpcError for an error answer. Anything else (not an object, an answer to
 * another request, neither result nor error) is garbage from a proxy or a broken node: a transport failure.
 */
function unwrap(method: string, status: number, id: number, body: unknown): unknown {
  const bad = (why: string): RpcTransportError => new RpcTransportError(`${method}: HTTP ${status}: ${why}`);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw bad("not a JSON-RPC answer");
  const answer = body as RpcAnswer;
  if (answer.id !== id) throw bad(`answer to request ${JSON.stringify(answer.id)}, not ${id}`);
  if (answer.error !== undefined) {
    const { code, message, data } = answer.error ?? {};
    if (typeof code !== "number") throw bad("malformed error answer");
    throw new RpcError(typeof message === "string" ? message : `error ${code}`, code, data);
  }
  if (!("result" in answer)) throw bad("neither result nor error");
  if (status < 200 || status >= 300) throw bad("HTTP error with a result");
  return answer.result;
}

export function httpRpc(url: string, timeoutMs = 30_000): RpcFunction {
  let nextId = 1;
  return async (method, params) => {
    const id = nextId++;
    let res: Response;
    let body: unknown;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new RpcTransportError(`${method}: ${(e as Error).message}`);
    }
    try {
      body = await res.json();
    } catch (e) {
      throw new RpcTransportError(`${method}: HTTP ${res.status}: ${(e as Error).message}`);
    }
    return unwrap(method, res.status, id, body);
  };
}

/** An EIP-1193 provider (hardhat's in-process network) as an RpcFunction. */
export function providerRpc(provider: {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}): RpcFunction {
  return async (method, params) => {
    try {
      return await provider.request({ method, params });
    } catch (e) {
      const err = e as { code?: unknown; message?: string; data?: unknown };
      if (typeof err.code === "number") throw new RpcError(err.message ?? String(e), err.code, err.data);
      throw new RpcError(err.message ?? String(e), -32603, err.data);
    }
  };
}

export interface RetryOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this many attempts (default: never). */
  maxAttempts?: number;
  onRetry?(error: Error, attempt: number, delayMs: number): void;
  /** Stops waiting when aborted. */
  signal?: AbortSignal;
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolveSleep, reject) => {
    if (signal?.aborted) return reject(new Error("aborted"));
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolveSleep();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Retries transport failures (never JSON-RPC error answers) with exponential backoff. */
export function withRetry(rpc: RpcFunction, opts: RetryOptions = {}): RpcFunction {
  const initial = opts.initialDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 30_000;
  return async (method, params) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await rpc(method, params);
      } catch (e) {
        if (!(e instanceof RpcTransportError) || (opts.maxAttempts && attempt >= opts.maxAttempts)) throw e;
        const delay = Math.min(max, initial * 2 ** (attempt - 1));
        opts.onRetry?.(e, attempt, delay);
        await sleep(delay, opts.signal);
      }
    }
  };
}
