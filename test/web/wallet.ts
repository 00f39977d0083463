/**
 * A test wallet: an EIP-1193 provider injected into the page before its scripts run, the way an extension
 * injects `window.ethereum` (`page.addInitScript` defines it; `page.exposeFunction` carries each request to Node).
 * Reads are forwarded to the devnet's JSON-RPC; signatures and transactions are made with the given private key.
 * Switches simulate what users do: reject a signature or a transaction, sit on the wrong chain. Every request is
 * logged, so a test can assert that nothing was signed or sent.
 */
import type { Page } from "playwright-core";
import { JsonRpcProvider, Wallet, getBytes, toQuantity } from "ethers";

type Hex = `0x${string}`;

/** Methods after which something left the wallet: a signature or a transaction. */
export const SIGNING_METHODS = ["personal_sign", "eth_signTypedData_v4", "eth_sendTransaction"];

interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

export interface TestWalletOptions {
  /** The devnet's JSON-RPC URL (127.0.0.1). */
  rpcUrl: string;
  privateKey: Hex;
  /** The chain the wallet is on at first (default: the devnet's; another id simulates a wrong chain). */
  chainId?: number;
}

export class TestWallet {
  readonly account: Wallet;
  /** Every request the page made, in order. */
  readonly requests: { method: string; params: unknown }[] = [];
  /** The user rejects the next signatures (personal_sign, eth_signTypedData_v4). */
  rejectSignatures = false;
  /** The user rejects the next transactions. */
  rejectTransactions = false;
  /** Transactions the wallet sent. */
  readonly sent: Hex[] = [];
  chainId = 0;
  private readonly knownChains = new Set<number>();
  private devnetChainId = 0;

  constructor(private readonly options: TestWalletOptions) {
    this.account = new Wallet(options.privateKey);
  }

  get address(): string {
    return this.account.address;
  }

  /** The requests that signed or sent something. */
  signed(): string[] {
    return this.requests.map((r) => r.method).filter((m) => SIGNING_METHODS.includes(m));
  }

  /** Installs the provider in `page` (before navigation: the harness's `wallet` hook). */
  async install(page: Page): Promise<void> {
    this.devnetChainId = Number(await this.rpc("eth_chainId", []));
    this.chainId = this.options.chainId ?? this.devnetChainId;
    this.knownChains.add(this.chainId);
    await page.exposeFunction("__tradetraceWallet", (text: string) => this.handle(text));
    await page.addInitScript(PROVIDER_SCRIPT);
  }

  private async handle(text: string): Promise<string> {
    const { method, params } = JSON.parse(text) as { method: string; params?: unknown[] };
    this.requests.push({ method, params });
    try {
      return JSON.stringify({ result: await this.answer(method, params ?? []) });
    } catch (error) {
      const e = error as Partial<RpcError>;
      return JSON.stringify({ error: { code: e.code ?? -32603, message: e.message ?? String(error), data: e.data } });
    }
  }

  private async answer(method: string, params: unknown[]): Promise<unknown> {
    switch (method) {
      case "eth_requestAccounts":
      case "eth_accounts":
        return [this.account.address];
      case "eth_chainId":
        return toQuantity(this.chainId);
      case "net_version":
        return String(this.chainId);
      case "wallet_switchEthereumChain": {
        const wanted = Number((params[0] as { chainId: string }).chainId);
        if (!this.knownChains.has(wanted)) throw rpcError(4902, `Unrecognized chain ID ${wanted}`);
        this.chainId = wanted;
        return null;
      }
      case "wallet_addEthereumChain": {
        const wanted = Number((params[0] as { chainId: string }).chainId);
        this.knownChains.add(wanted);
        this.chainId = wanted;
        return null;
      }
      case "personal_sign": {
        if (this.rejectSignatures) throw rpcError(4001, "User rejected the request.");
        return this.account.signMessage(getBytes(params[0] as string));
      }
      case "eth_signTypedData_v4": {
        if (this.rejectSignatures) throw rpcError(4001, "User rejected the request.");
        const typed = JSON.parse(params[1] as string) as {
          domain: Record<string, unknown>;
          types: Record<string, { name: string; type: string }[]>;
          primaryType: string;
          message: Record<string, unknown>;
        };
        const types = { ...typed.types };
        delete types.EIP712Domain;
        return this.account.signTypedData(typed.domain, types, typed.message);
      }
      case "eth_sendTransaction":
        return this.send(params[0] as { to: Hex; data?: Hex; value?: Hex; gas?: Hex });
      default:
        this.requireDevnet(method);
        return this.rpc(method, params);
    }
  }

  private requireDevnet(method: string): void {
    if (this.chainId !== this.devnetChainId) {
      throw rpcError(4901, `the test wallet reaches only the devnet (chain ${this.devnetChainId}), asked ${method}`);
    }
  }

  private async send(tx: { to: Hex; data?: Hex; value?: Hex; gas?: Hex }): Promise<Hex> {
    if (this.rejectTransactions) throw rpcError(4001, "User rejected the request.");
    this.requireDevnet("eth_sendTransaction");
    const provider = new JsonRpcProvider(this.options.rpcUrl, undefined, { staticNetwork: true });
    try {
      const sent = await this.account.connect(provider).sendTransaction({
        to: tx.to,
        data: tx.data,
        value: tx.value ? BigInt(tx.value) : undefined,
        gasLimit: tx.gas ? BigInt(tx.gas) : undefined,
      });
      this.sent.push(sent.hash as Hex);
      return sent.hash as Hex;
    } finally {
      provider.destroy();
    }
  }

  private async rpc(method: string, params: unknown[]): Promise<unknown> {
    const response = await fetch(this.options.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: RpcError };
    if (body.error) throw body.error;
    return body.result;
  }
}

function rpcError(code: number, message: string): RpcError {
  return { code, message };
}

/** The page side: `window.ethereum` with request/on/removeListener, as extensions provide it. */
const PROVIDER_SCRIPT = `(() => {
  const listeners = {};
  const emit = (event, value) => (listeners[event] || []).forEach((fn) => fn(value));
  window.ethereum = {
    isTradeTraceTestWallet: true,
    async request({ method, params }) {
      const answer = JSON.parse(await window.__tradetraceWallet(JSON.stringify({ method, params })));
      if (answer.error) {
        const error = new Error(answer.error.message);
        error.code = answer.error.code;
        if (answer.error.data !== undefined) error.data = answer.error.data;
        throw error;
      }
      if (method === "wallet_switchEthereumChain" || method === "wallet_addEthereumChain") {
        emit("chainChanged", await this.request({ method: "eth_chainId" }));
      }
      return answer.result;
    },
    on(event, fn) {
      (listeners[event] = listeners[event] || []).push(fn);
      return this;
    },
    removeListener(event, fn) {
      listeners[event] = (listeners[event] || []).filter((f) => f !== fn);
      return this;
    },
  };
})();`;
