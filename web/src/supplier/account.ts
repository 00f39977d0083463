/**
 * The trade party's connection, shared by every supplier page: the server's config, the wallet account, the
 * wallet's chain, and the Sign-In with Ethereum session (an HttpOnly cookie the server set; the page only asks
 * `GET /app/session` who it is). Pages subscribe with `useAccount()`.
 */
import { useEffect, useState } from "react";
import type { Address } from "viem";
import { createSiweMessage } from "viem/siwe";
import { loadConfig, type AppConfig } from "../lib/config";
import { clients, connect, ensureChain, walletChainId, walletError } from "../lib/wallet";

export interface AccountState {
  config: AppConfig | null;
  account: Address | null;
  chainId: number | null;
  /** The address signed in with SIWE (the server's session), or null. */
  session: string | null;
  /** The last failure, in words; cleared by the next successful action. */
  error: string | null;
  busy: boolean;
}

let state: AccountState = { config: null, account: null, chainId: null, session: null, error: null, busy: false };
const listeners = new Set<(s: AccountState) => void>();

function update(patch: Partial<AccountState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener(state);
}

export function accountState(): AccountState {
  return state;
}

/** Runs a user action: busy while it runs, its failure in `error`. */
async function act(work: () => Promise<void>): Promise<void> {
  update({ busy: true, error: null });
  try {
    await work();
  } catch (error) {
    update({ error: walletError(error).message });
  } finally {
    update({ busy: false });
  }
}

async function requireConfig(): Promise<AppConfig> {
  const config = state.config ?? (await loadConfig());
  if (!config) throw new Error("the server gives no chain parameters (app/config.json): is this npm start's server?");
  update({ config });
  return config;
}

/** What the page knows without asking the user: the config, an already-authorised account, the session. */
export async function refresh(): Promise<void> {
  const config = await loadConfig();
  update({ config });
  const session = await fetch("app/session", { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? (r.json() as Promise<{ address: string | null }>) : { address: null }))
    .catch(() => ({ address: null }));
  update({ session: session.address });
  const ethereum = window.ethereum;
  if (!config || !ethereum) return;
  try {
    const accounts = (await ethereum.request({ method: "eth_accounts" })) as Address[];
    update({ account: accounts[0] ?? null, chainId: await walletChainId(config) });
  } catch {
    // a wallet that refuses silent reads is asked when the user presses Connect
  }
}

export const connectWallet = (): Promise<void> =>
  act(async () => {
    const config = await requireConfig();
    const account = await connect(config);
    update({ account, chainId: await walletChainId(config) });
  });

export const switchNetwork = (): Promise<void> =>
  act(async () => {
    const config = await requireConfig();
    await ensureChain(config);
    update({ chainId: await walletChainId(config) });
  });

/** Signs in with EIP-4361: a server nonce, a message for this host and chain, signed with personal_sign. */
export const signIn = (): Promise<void> =>
  act(async () => {
    const config = await requireConfig();
    const account = state.account ?? (await connect(config));
    await ensureChain(config);
    const nonceResponse = await fetch("app/siwe/nonce", { method: "POST" });
    if (!nonceResponse.ok) throw new Error(`the server gave no sign-in nonce (HTTP ${nonceResponse.status})`);
    const { nonce } = (await nonceResponse.json()) as { nonce: string };
    const message = createSiweMessage({
      domain: window.location.host,
      address: account,
      statement: "Sign in to TradeTrace with this account.",
      uri: window.location.origin,
      version: "1",
      chainId: config.chain.chainId,
      nonce,
      issuedAt: new Date(),
      expirationTime: new Date(Date.now() + 8 * 3600_000),
    });
    const signature = await clients(config).wallet.signMessage({ account, message });
    const verified = await fetch("app/siwe/verify", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message, signature }),
    });
    const body = (await verified.json()) as { address?: string; error?: string };
    if (!verified.ok) throw new Error(`sign-in refused: ${body.error ?? `HTTP ${verified.status}`}`);
    update({ account, session: body.address ?? null, chainId: config.chain.chainId });
  });

export const signOut = (): Promise<void> =>
  act(async () => {
    await fetch("app/logout", { method: "POST" });
    update({ session: null });
  });

/** The shared state, re-rendered on every change; the first use refreshes it and follows the wallet's events. */
export function useAccount(): AccountState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    listeners.add(setCurrent);
    void refresh();
    const ethereum = window.ethereum;
    const onAccounts = (accounts: Address[]): void => update({ account: accounts[0] ?? null });
    const onChain = (chainId: string): void => update({ chainId: Number(chainId) });
    ethereum?.on?.("accountsChanged", onAccounts);
    ethereum?.on?.("chainChanged", onChain);
    return () => {
      listeners.delete(setCurrent);
      ethereum?.removeListener?.("accountsChanged", onAccounts);
      ethereum?.removeListener?.("chainChanged", onChain);
    };
  }, []);
  return current;
}
