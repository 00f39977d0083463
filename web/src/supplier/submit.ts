/**
 * Signing and submitting a registry payload: the wallet signs EIP-712 typed data (eth_signTypedData_v4), then the
 * `...BySig` call goes either from the wallet (it pays gas) or to the server's relayer (`POST /app/relay`).
 */
import { encodeFunctionData, type Address, type Hash, type Hex } from "viem";
import { ABIS, type RegistryName } from "../lib/abis";
import type { AppConfig } from "../lib/config";
import { clients, sendTransaction, signTypedData, type TypedData } from "../lib/wallet";
import { messageOf } from "../../../lib/errors";

export type SubmitPath = "wallet" | "relay";

/** How long a signature stays valid: an hour from the latest block. */
const VALIDITY_SECONDS = 3600n;

/** The registry's address in the config. */
export function registryAddress(config: AppConfig, registry: RegistryName): Address {
  return config.contracts[registry] as Address;
}

/** The signer's next nonce at the registry and a deadline an hour after the latest block. */
export async function nonceAndDeadline(
  config: AppConfig,
  registry: RegistryName,
  signer: Address,
): Promise<{ nonce: bigint; deadline: bigint }> {
  const { reader } = clients(config);
  const nonce = (await reader.readContract({
    address: registryAddress(config, registry),
    abi: ABIS[registry],
    functionName: "nonces",
    args: [signer],
  })) as bigint;
  const block = await reader.getBlock({ blockTag: "latest" });
  return { nonce, deadline: block.timestamp + VALIDITY_SECONDS };
}

/** The EIP-712 domain of a registry, as it initialises it (version "1"). */
export function domainOf(config: AppConfig, registry: RegistryName, name: string): TypedData["domain"] {
  return { name, version: "1", chainId: config.chain.chainId, verifyingContract: registryAddress(config, registry) };
}

export interface SignedCall {
  registry: RegistryName;
  functionName: string;
  /** The call's arguments before the signer, deadline and signature. */
  args: readonly unknown[];
}

/**
 * Signs `typed` in the wallet and submits `call` with `[signer, deadline, signature]` appended, by `path`.
 * Resolves with the transaction hash; throws a WalletError or a relay refusal in words.
 */
export async function signAndSubmit(
  config: AppConfig,
  signer: Address,
  typed: TypedData,
  call: SignedCall,
  deadline: bigint,
  path: SubmitPath,
): Promise<Hash> {
  const signature = await signTypedData(config, signer, typed);
  const data = encodeFunctionData({
    abi: ABIS[call.registry],
    functionName: call.functionName,
    args: [...call.args, signer, deadline, signature],
  });
  const to = registryAddress(config, call.registry);
  return path === "wallet" ? sendTransaction(config, signer, { to, data }) : relay(to, data);
}

/** Sends an unsigned call from the wallet (the account itself acts, e.g. linking documents or CBP actions). */
export function sendCall(
  config: AppConfig,
  account: Address,
  registry: RegistryName,
  functionName: string,
  args: readonly unknown[],
): Promise<Hash> {
  const data = encodeFunctionData({ abi: ABIS[registry], functionName, args });
  return sendTransaction(config, account, { to: registryAddress(config, registry), data });
}

/** `POST /app/relay`: the server's relayer sends the call; its refusal comes back in words. */
export async function relay(to: Address, data: Hex): Promise<Hash> {
  let response: Response;
  try {
    response = await fetch("app/relay", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ to, data }),
    });
  } catch (error) {
    throw new Error(`the relayer cannot be reached: ${messageOf(error)}`);
  }
  const body = (await response.json().catch(() => ({}))) as { txHash?: Hash; error?: string };
  if (!response.ok || !body.txHash) {
    const wait = response.headers.get("Retry-After");
    const retry = response.status === 429 && wait ? ` (try again in ${wait} s)` : "";
    throw new Error(`the relayer refused: ${body.error ?? `HTTP ${response.status}`}${retry}`);
  }
  return body.txHash;
}

/** The receipt page of a submission, with the record ids to wait for in the index. */
export function receiptHash(tx: Hash, kind: string, ids: readonly string[]): string {
  return `#/supplier/receipt/${tx}?kind=${kind}&ids=${ids.join(",")}`;
}
