/**
 * The browser wallet (an EIP-1193 provider that an extension such as MetaMask, Rabby or Frame injects as
 * `window.ethereum`), through viem: connect, add or switch to the server's chain, sign typed data (v4), send
 * transactions, and errors in words. Reads go through the wallet too: the page fetches nothing but its own origin.
 */
import {
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  numberToHex,
  type Address,
  type Chain,
  type EIP1193Provider,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from "viem";
import type { AppConfig } from "./config";
import { describeRevertError } from "./reverts";

declare global {
  interface Window {
    ethereum?: EIP1193Provider;
  }
}

export type WalletErrorKind = "no-wallet" | "rejected" | "wrong-chain" | "reverted" | "other";

/** A wallet failure a person can act on. */
export class WalletError extends Error {
  constructor(
    readonly kind: WalletErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "WalletError";
  }
}

/** The chain of the server's `/app/config.json`, as viem describes chains. */
export function chainOf(config: AppConfig): Chain {
  return defineChain({
    id: config.chain.chainId,
    name: config.chain.chainName,
    nativeCurrency: config.chain.nativeCurrency,
    rpcUrls: { default: { http: config.chain.rpcUrls } },
  });
}

function provider(): EIP1193Provider {
  const injected = typeof window === "undefined" ? undefined : window.ethereum;
  if (!injected) {
    throw new WalletError(
      "no-wallet",
      "no browser wallet found: install MetaMask, Rabby or Frame (or open this page in a browser that has one)",
    );
  }
  return injected;
}

/** A wallet client and a public client, both over the injected provider. */
export function clients(config: AppConfig): { wallet: WalletClient; reader: PublicClient } {
  const transport = custom(provider());
  const chain = chainOf(config);
  return {
    wallet: createWalletClient({ chain, transport }),
    reader: createPublicClient({ chain, transport }),
  };
}

/** Asks the wallet for its account (eth_requestAccounts). */
export async function connect(config: AppConfig): Promise<Address> {
  try {
    const [account] = await clients(config).wallet.requestAddresses();
    if (!account) throw new WalletError("rejected", "the wallet gave no account: unlock it and connect again");
    return account;
  } catch (error) {
    throw walletError(error);
  }
}

/** The chain id the wallet is on now. */
export async function walletChainId(config: AppConfig): Promise<number> {
  try {
    return await clients(config).wallet.getChainId();
  } catch (error) {
    throw walletError(error);
  }
}

/**
 * Switches the wallet to the server's chain (wallet_switchEthereumChain), adding it first when the wallet does
 * not know it (error 4902: wallet_addEthereumChain with the server's parameters).
 */
export async function ensureChain(config: AppConfig): Promise<void> {
  const wanted = config.chain.chainId;
  if ((await walletChainId(config)) === wanted) return;
  const ethereum = provider();
  try {
    await ethereum.request({ method: "wallet_switchEthereumChain", params: [{ chainId: numberToHex(wanted) }] });
  } catch (error) {
    if (errorCode(error) !== 4902) throw walletError(error);
    try {
      await ethereum.request({
        method: "wallet_addEthereumChain",
        params: [
          {
            chainId: numberToHex(wanted),
            chainName: config.chain.chainName,
            nativeCurrency: config.chain.nativeCurrency,
            rpcUrls: config.chain.rpcUrls,
          },
        ],
      });
    } catch (addError) {
      throw walletError(addError);
    }
  }
  if ((await walletChainId(config)) !== wanted) {
    throw new WalletError("wrong-chain", `the wallet is not on ${config.chain.chainName} (chain ${wanted}): switch it`);
  }
}

/** Throws a WalletError unless the wallet is on the server's chain. */
export async function requireChain(config: AppConfig): Promise<void> {
  const current = await walletChainId(config);
  if (current !== config.chain.chainId) {
    throw new WalletError(
      "wrong-chain",
      `the wallet is on chain ${current}, not ${config.chain.chainName} (chain ${config.chain.chainId}): ` +
        "press “Switch network” or switch it in the wallet",
    );
  }
}

/** EIP-712 typed data as eth_signTypedData_v4 takes it. */
export interface TypedData {
  domain: { name: string; version: string; chainId: number; verifyingContract: Address };
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  message: Record<string, unknown>;
}

/** Signs `data` in the wallet (eth_signTypedData_v4), on the server's chain only. */
export async function signTypedData(config: AppConfig, account: Address, data: TypedData): Promise<Hex> {
  await requireChain(config);
  try {
    return await clients(config).wallet.signTypedData({ account, ...data });
  } catch (error) {
    throw walletError(error);
  }
}

/**
 * Simulates the call (a revert is refused here with the registry's reason, before the wallet asks anything),
 * then has the wallet send it; the account pays the gas.
 */
export async function sendTransaction(
  config: AppConfig,
  account: Address,
  call: { to: Address; data: Hex },
): Promise<Hash> {
  await requireChain(config);
  const { wallet, reader } = clients(config);
  try {
    await reader.call({ account, to: call.to, data: call.data });
  } catch (error) {
    throw walletError(error);
  }
  try {
    return await wallet.sendTransaction({ account, chain: chainOf(config), to: call.to, data: call.data });
  } catch (error) {
    throw walletError(error);
  }
}

/** Waits for the transaction's receipt (through the wallet's node). */
export async function waitForReceipt(config: AppConfig, hash: Hash): Promise<TransactionReceipt> {
  try {
    return await clients(config).reader.waitForTransactionReceipt({ hash, pollingInterval: 500, timeout: 120_000 });
  } catch (error) {
    throw walletError(error);
  }
}

/** The EIP-1193 / JSON-RPC error code somewhere in a viem error chain. */
function errorCode(error: unknown): number | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 8; e = e.cause as never, i++) {
    if (typeof e.code === "number") return e.code;
  }
  return undefined;
}

/** Any wallet or node failure as a WalletError with a sentence a person can act on. */
export function walletError(error: unknown): WalletError {
  if (error instanceof WalletError) return error;
  const code = errorCode(error);
  if (code === 4001) return new WalletError("rejected", "you rejected the request in your wallet: nothing was sent");
  if (code === 4100) return new WalletError("rejected", "the wallet has not authorised this page: connect first");
  if (code === 4901 || code === 4900) {
    return new WalletError("wrong-chain", "the wallet is not connected to this chain: switch network");
  }
  const reverted = describeRevertError(error);
  if (reverted) return new WalletError("reverted", `the registry refuses: ${reverted}`);
  const message = (error as { shortMessage?: string; message?: string })?.shortMessage ?? String(error);
  if (/chain ?id .* does not match|ChainMismatch/i.test(message)) {
    return new WalletError("wrong-chain", "the wallet is on another chain: switch network");
  }
  return new WalletError("other", message.split("\n")[0]);
}
