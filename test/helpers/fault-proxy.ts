/**
 * A JSON-RPC proxy on 127.0.0.1 that sits between an indexer and its node and, driven by a seeded PRNG, answers
 * some requests the way a broken node, load balancer or network would: HTTP 500/502, connection resets, stalls
 * past the client's timeout, truncated or garbage bodies, JSON-RPC error answers a real node gives (-32005 on
 * eth_getLogs, -32000/-32603 elsewhere), answers carrying another request's id, and a stale chain head. It counts
 * what it injected by kind and what it served faithfully. Independent of the indexer: it only speaks HTTP.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Prng } from "./prng";

export const FAULT_KINDS = [
  "http500",
  "http502",
  "reset",
  "stall",
  "truncated",
  "garbage",
  "rpcError",
  "logsLimit",
  "wrongId",
  "staleHead",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultProxyOptions {
  /** The node's URL. */
  target: string;
  seed: number;
  /** Probability that a request gets a fault (0 serves everything faithfully). */
  rate: number;
  /** Relative weights of the kinds (default 1, 4 for the method-specific ones); a kind that does not fit the method is skipped. */
  weights?: Partial<Record<FaultKind, number>>;
  /** How long a stalled request is held before its connection is dropped (longer than the client's timeout). */
  stallMs?: number;
}

interface RpcRequest {
  id?: unknown;
  method?: string;
}

const GARBAGE = [
  "this is not json",
  "null",
  "[]",
  "{}",
  '{"jsonrpc":"2.0"',
  "<html><body><h1>503 Service Unavailable</h1></body></html>",
  '"0x1"',
];

export class FaultProxy {
  /** Faults injected, by kind. */
  readonly injected = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  /** Requests answered with the node's own answer. */
  served = 0;
  /** Requests received. */
  requests = 0;
  /** Requests the node could not be reached for (answered 502, not counted as injected). */
  upstreamDown = 0;
  private server: Server | null = null;
  private readonly rng: Prng;
  private rate: number;
  private readonly held = new Set<ServerResponse>();

  constructor(private readonly opts: FaultProxyOptions) {
    this.rng = new Prng(opts.seed);
    this.rate = opts.rate;
  }

  get url(): string {
    const a = this.server?.address() as AddressInfo | null;
    if (!a) throw new Error("the proxy is not listening");
    return `http://127.0.0.1:${a.port}`;
  }

  totalInjected(): number {
    return Object.values(this.injected).reduce((a, b) => a + b, 0);
  }

  setRate(rate: number): void {
    this.rate = rate;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((ok) => this.server!.listen(0, "127.0.0.1", ok));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((ok) => (this.server ? this.server.close(() => ok()) : ok()));
    this.server = null;
  }

  private pick(method: string): FaultKind | null {
    if (!this.rng.chance(this.rate)) return null;
    const weights: Partial<Record<FaultKind, number>> = {};
    for (const k of FAULT_KINDS) {
      if (k === "logsLimit" && method !== "eth_getLogs") continue;
      if (k === "staleHead" && method !== "eth_blockNumber") continue;
      // The method-specific kinds weigh more: few requests are eth_getLogs or eth_blockNumber.
      weights[k] = this.opts.weights?.[k] ?? (k === "logsLimit" || k === "staleHead" ? 4 : 1);
    }
    const kind = this.rng.weighted(weights as Record<FaultKind, number>);
    return (weights[kind] ?? 0) > 0 ? kind : null;
  }

  private async forward(body: string): Promise<{ status: number; text: string } | null> {
    try {
      const res = await fetch(this.opts.target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      return { status: res.status, text: await res.text() };
    } catch {
      return null;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString();
    this.requests++;
    let request: RpcRequest = {};
    let batch = false;
    try {
      const parsed = JSON.parse(body) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) request = parsed as RpcRequest;
      // a JSON-RPC batch gets the faults of its first request's method; an error or wrong id hits one entry
      if (Array.isArray(parsed) && parsed.length > 0)
        [request, batch] = [{ method: (parsed[0] as RpcRequest).method }, true];
    } catch {
      // forwarded as is: the node answers a parse error
    }
    const kind = request.method ? this.pick(request.method) : null;
    const json = (status: number, payload: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
    };
    const rpcError = (code: number, message: string): void =>
      json(200, { jsonrpc: "2.0", id: request.id, error: { code, message } });
    if (kind) this.injected[kind]++;

    switch (kind) {
      case "http500":
        res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
        return;
      case "http502":
        res.writeHead(502, { "content-type": "text/html" }).end("<html><body>502 Bad Gateway</body></html>");
        return;
      case "reset":
        // Half of them after the node did the work: the client must not assume it did not happen.
        if (this.rng.chance(0.5)) await this.forward(body);
        req.socket.destroy();
        return;
      case "stall": {
        this.held.add(res);
        const t = setTimeout(() => res.destroy(), this.opts.stallMs ?? 5000);
        res.once("close", () => {
          clearTimeout(t);
          this.held.delete(res);
        });
        return;
      }
      case "garbage":
        res.writeHead(200, { "content-type": "application/json" }).end(this.rng.pick(GARBAGE));
        return;
      case "rpcError":
        if (batch) break; // below, in one entry of the node's answer
        if (request.method === "eth_getBlockByNumber") rpcError(-32000, "header not found");
        else rpcError(-32603, "internal error");
        return;
      case "logsLimit":
        rpcError(-32005, "query returned more than 10000 results");
        return;
      default:
        break;
    }

    const answer = await this.forward(body);
    if (!answer) {
      this.upstreamDown++;
      res.writeHead(502, { "content-type": "text/plain" }).end("upstream unavailable");
      return;
    }
    if (kind === "truncated") {
      res.writeHead(answer.status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(answer.text),
      });
      res.write(answer.text.slice(0, Math.floor(answer.text.length / 2)));
      setTimeout(() => res.destroy(), 5);
      return;
    }
    if (batch && (kind === "wrongId" || kind === "rpcError")) {
      try {
        const entries = JSON.parse(answer.text) as { id: unknown; result?: unknown; error?: unknown }[];
        const e = entries[this.rng.int(0, entries.length - 1)];
        if (kind === "wrongId") e.id = typeof e.id === "number" ? e.id + 1 + this.rng.int(0, 9) : "other";
        else [e.error, e.result] = [{ code: -32000, message: "header not found" }, undefined];
        json(answer.status, entries);
        return;
      } catch {
        // the node's answer was not a JSON array: pass it on
      }
    }
    if (kind === "wrongId" || kind === "staleHead") {
      try {
        const parsed = JSON.parse(answer.text) as { id: unknown; result?: unknown };
        if (kind === "wrongId") {
          parsed.id = typeof parsed.id === "number" ? parsed.id + 1 + this.rng.int(0, 9) : "other";
        } else if (typeof parsed.result === "string") {
          // a lagging replica behind a load balancer: an older head
          parsed.result = `0x${Math.max(0, Number(parsed.result) - this.rng.int(1, 20)).toString(16)}`;
        }
        json(answer.status, parsed);
        return;
      } catch {
        // the node's answer was not JSON: pass it on
      }
    }
    this.served++;
    res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.text);
  }
}
