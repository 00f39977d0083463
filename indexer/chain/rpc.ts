/**
 * JSON-RPC access: an HTTP client whose JSON-RPC errors carry `code`/`data` (so that reverts can be told
 * apart), and a wrapper that retries transport failures with exponential backoff while the node is down.
 */
import type { RpcBatchFunction, RpcFunction, RpcRequest } from "./types";

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

/** The node answered a JSON-RPC batch with one error for all of it: it does not take batches. */
export class RpcBatchRefusedError extends Error {
  override name = "RpcBatchRefusedError";
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

/** POSTs `payload` and parses the answer; `what` names the request in errors. */
async function post(url: string, timeoutMs: number, what: string, payload: unknown): Promise<[number, unknown]> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new RpcTransportError(`${what}: ${(e as Error).message}`);
  }
  try {
    return [res.status, await res.json()];
  } catch (e) {
    throw new RpcTransportError(`${what}: HTTP ${res.status}: ${(e as Error).message}`);
  }
}

/** Request ids of every client in this process: a batch's answers are told apart by them. */
let nextId = 1;

export function httpRpc(url: string, timeoutMs = 30_000): RpcFunction {
  return async (method, params) => {
    const id = nextId++;
    const [status, body] = await post(url, timeoutMs, method, { jsonrpc: "2.0", id, method, params });
    return unwrap(method, status, id, body);
  };
}

/**
 * JSON-RPC batches over HTTP. The answers may come in any order (JSON-RPC 2.0); they are matched by id. A body
 * that is no array, or lacks or repeats an answer, is a transport failure (retried by `withRetry`); an error
 * answer rejects the batch with its RpcError, as `httpRpc` would for that request.
 */
export function httpRpcBatch(url: string, timeoutMs = 30_000): RpcBatchFunction {
  return async (requests: RpcRequest[]) => {
    if (requests.length === 0) return [];
    const first = nextId;
    nextId += requests.length;
    const what = `batch of ${requests.length} (${requests[0].method}…)`;
    const payload = requests.map((r, i) => ({ jsonrpc: "2.0", id: first + i, method: r.method, params: r.params }));
    const [status, body] = await post(url, timeoutMs, what, payload);
    if (!Array.isArray(body)) {
      const error = (body as RpcAnswer | null)?.error;
      // a node (or proxy) without batches answers one error object for the whole batch
      if (error && typeof error === "object") throw new RpcBatchRefusedError(`${what}: ${JSON.stringify(error)}`);
      throw new RpcTransportError(`${what}: HTTP ${status}: not a JSON-RPC batch answer`);
    }
    const byId = new Map<number, unknown>();
    for (const answer of body) {
      const id = (answer as { id?: unknown } | null)?.id;
      if (typeof id !== "number" || id < first || id >= first + requests.length || byId.has(id)) {
        throw new RpcTransportError(`${what}: HTTP ${status}: an answer to request ${JSON.stringify(id)}`);
      }
      byId.set(id, answer);
    }
    return requests.map((r, i) => {
      if (!byId.has(first + i)) throw new RpcTransportError(`${what}: HTTP ${status}: no answer to ${r.method}`);
      return unwrap(r.method, status, first + i, byId.get(first + i));
    });
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

/** Retries transport failures (never JSON-RPC error answers) with exponential backoff: of an RpcFunction or an RpcBatchFunction. */
export function withRetry<A extends unknown[], R>(
  rpc: (...args: A) => Promise<R>,
  opts: RetryOptions = {},
): (...args: A) => Promise<R> {
  const initial = opts.initialDelayMs ?? 250;
  const max = opts.maxDelayMs ?? 30_000;
  return async (...args: A) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await rpc(...args);
      } catch (e) {
        if (!(e instanceof RpcTransportError) || (opts.maxAttempts && attempt >= opts.maxAttempts)) throw e;
        const delay = Math.min(max, initial * 2 ** (attempt - 1));
        opts.onRetry?.(e, attempt, delay);
        await sleep(delay, opts.signal);
      }
    }
  };
}
