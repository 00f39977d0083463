/**
 * `POST /app/relay`: gasless submission. A trade party signs an EIP-712 payload in its wallet; the page sends the
 * registry call that carries it (`{ to, data }`: one of the registries' `...BySig` functions with the signer's
 * address, deadline and signature as arguments), and the server sends it from the operator's relayer account,
 * which pays the gas. The registry checks the signature itself; the relayer only decides whether to pay:
 *
 * - only calls of a deployed registry's `...BySig` function (nothing else can be made to cost the operator gas,
 *   and the relayer's own authority is never lent out: no other function runs as the relayer);
 * - simulated first (estimateGas from the relayer): a payload that would revert is refused with the registry's
 *   reason in words, and costs nothing;
 * - rate-limited per IP and per signing address (429 with Retry-After), with a bounded body.
 *
 * Answers `{ txHash }` once the node accepted the transaction, or `{ error }` with a 4xx status.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  Interface,
  JsonRpcProvider,
  NonceManager,
  getAddress,
  isAddress,
  isHexString,
  type Signer,
  type TransactionDescription,
} from "ethers";
import type { HttpRoute } from "../../indexer/graphql/http-route";
import { describeChainError } from "../../scripts/lib/chain-errors";
import { RateLimiter, type RateWindow } from "./rate-limit";
import { registryAbis, type RegistryAddresses } from "./registries";

export const RELAY_PATH = "/app/relay";

/** What the operator can tune (web/README.md, "Relayer"). */
export interface RelayLimits {
  /** Requests per signing address. */
  perAddress: RateWindow;
  /** Requests per client IP. */
  perIp: RateWindow;
  /** Largest request body, in bytes (a payload with a few hundred records fits in 64 KiB). */
  maxBodyBytes: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = {
  perAddress: { max: 10, windowMs: 60_000 },
  perIp: { max: 30, windowMs: 60_000 },
  maxBodyBytes: 64 * 1024,
};

export interface RelayerOptions {
  /** The chain's JSON-RPC URL. */
  rpcUrl: string;
  /** The relayer account (its key never leaves this process and is never printed). */
  signer: Signer;
  /** The deployed registries: only these are relayed to. */
  registries: RegistryAddresses;
  limits?: Partial<RelayLimits>;
  /** The clock of the rate limits (tests). */
  now?: () => number;
}

/** A refusal: HTTP status and one line for the page. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

interface Target {
  name: string;
  address: string;
  iface: Interface;
}

/** The relay route for the web server, with its own rate limits. */
export function relayRoute(options: RelayerOptions): HttpRoute {
  const limits = { ...DEFAULT_RELAY_LIMITS, ...options.limits };
  const perIp = new RateLimiter(limits.perIp, options.now);
  const perAddress = new RateLimiter(limits.perAddress, options.now);
  const provider = new JsonRpcProvider(options.rpcUrl, undefined, { staticNetwork: true });
  // One nonce sequence for concurrent relays; a failed send resets it from the node.
  const sender = new NonceManager(options.signer.connect(provider));
  const abis = registryAbis();
  const targets = new Map<string, Target>();
  for (const [name, address] of Object.entries(options.registries)) {
    if (address) targets.set(address.toLowerCase(), { name, address: getAddress(address), iface: abis[name] });
  }

  async function relay(req: IncomingMessage, body: Buffer | undefined): Promise<{ txHash: string }> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== RELAY_PATH) throw new Refusal(404, `no endpoint ${url.pathname}`);
    if (req.method !== "POST") throw new Refusal(405, `${RELAY_PATH} takes POST`);
    const ipWait = perIp.take(req.socket.remoteAddress ?? "unknown");
    if (ipWait !== undefined) throw new Refusal(429, `too many relay requests from this address`, ipWait);
    // The server hands every route its POST body (HttpRoute); the relayer's own, smaller limit applies on top.
    const { to, data } = parseRequest(body ?? Buffer.alloc(0), limits.maxBodyBytes);
    const target = targets.get(to.toLowerCase());
    if (target === undefined) {
      throw new Refusal(403, `${to} is not a TradeTrace registry of this deployment: the relayer sends only to them`);
    }
    const call = decodeCall(target, data);
    const signer = signerOf(call);
    const wait = perAddress.take(signer.toLowerCase());
    if (wait !== undefined) throw new Refusal(429, `too many relay requests for ${signer}`, wait);
    const from = await sender.getAddress();
    let gasLimit: bigint;
    try {
      gasLimit = await provider.estimateGas({ from, to: target.address, data });
    } catch (error) {
      throw new Refusal(422, `${target.name}.${call.name} would revert: ${describeChainError(error)}`);
    }
    try {
      // A margin over the estimate: state may change between simulation and inclusion.
      const tx = await sender.sendTransaction({ to: target.address, data, gasLimit: (gasLimit * 12n) / 10n });
      return { txHash: tx.hash };
    } catch (error) {
      sender.reset();
      throw new Refusal(502, `the relayer could not send the transaction: ${describeChainError(error)}`);
    }
  }

  return {
    method: "POST",
    prefix: RELAY_PATH,
    async handle(req: IncomingMessage, res: ServerResponse, body?: Buffer): Promise<void> {
      try {
        sendJson(res, 200, await relay(req, body));
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        if (error.retryAfter !== undefined) res.setHeader("Retry-After", String(error.retryAfter));
        sendJson(res, error.status, { error: error.message });
      }
    },
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
}

/** `{ to, data }` and nothing else: the registry and the ABI-encoded call. */
function parseRequest(body: Buffer, max: number): { to: string; data: string } {
  if (body.length > max) throw new Refusal(413, `the request body exceeds ${max} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new Refusal(400, "the request body is not JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Refusal(400, "the request body must be a JSON object { to, data }");
  }
  const { to, data, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new Refusal(400, `unexpected member ${extra[0]}: the body is { to, data }`);
  if (typeof to !== "string" || !isAddress(to)) throw new Refusal(400, "to must be a registry address");
  if (typeof data !== "string" || !isHexString(data) || data.length < 10) {
    throw new Refusal(400, "data must be the 0x-hex encoded registry call");
  }
  return { to, data };
}

/** The registry function `data` calls; only `...BySig` functions are relayed. */
function decodeCall(target: Target, data: string): TransactionDescription {
  let call: TransactionDescription | null;
  try {
    call = target.iface.parseTransaction({ data });
  } catch {
    call = null;
  }
  if (call === null) throw new Refusal(400, `data is not a call of a ${target.name} function`);
  if (!call.name.endsWith("BySig")) {
    const allowed: string[] = [];
    target.iface.forEachFunction((f) => {
      if (f.name.endsWith("BySig")) allowed.push(f.name);
    });
    throw new Refusal(
      403,
      `${target.name}.${call.name} is not relayed: only signed (BySig) calls are, here ${allowed.join(", ")}`,
    );
  }
  return call;
}

/** The address that signed the payload: every BySig function takes it right before `deadline`. */
function signerOf(call: TransactionDescription): string {
  const inputs = call.fragment.inputs;
  const deadline = inputs.findIndex((p) => p.name === "deadline");
  const param = inputs[deadline - 1];
  if (deadline < 1 || param.type !== "address") {
    throw new Refusal(403, `${call.name} has no signer argument before its deadline: not relayed`);
  }
  return getAddress(String(call.args[deadline - 1]));
}
