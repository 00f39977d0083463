/**
 * The trace-interop node's connection to a chain: the deployment's registries, a JSON-RPC provider and the node's
 * own relayer account (which pays the gas of `anchorSigned` and signs nothing of the issuers'). `npm start` uses
 * Hardhat's funded devnet account #18 (the season uses #0 and keys of its own, the web relayer #19: a separate
 * account keeps the two relayers' nonces apart); `npm run interop` takes the key from the environment or an
 * encrypted keystore. Messages never contain key material.
 */
import { HDNodeWallet, JsonRpcProvider, Network, Wallet } from "ethers";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Anchoring } from "../../interop/server/anchoring";
import { loadWallet, PASSWORD_ENV } from "../credentials/keys";
import type { DeploymentFile } from "../lib/deployments";
import { messageOf } from "../../lib/errors";

export const INTEROP_RELAYER_KEY_ENV = "TRADETRACE_INTEROP_RELAYER_KEY";
export const INTEROP_RELAYER_KEYSTORE_ENV = "TRADETRACE_INTEROP_RELAYER_KEYSTORE";
export const INTEROP_RELAYER_PASSWORD_FILE_ENV = "TRADETRACE_INTEROP_RELAYER_PASSWORD_FILE";

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
/** The devnet account `npm start` gives the node: funded in every fresh `hardhat node`, used by nobody else. */
export const DEVNET_INTEROP_RELAYER_INDEX = 18;

/** The node's relayer on the devnet `npm start` runs. */
export function devnetInteropRelayerWallet(): Wallet {
  const node = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${DEVNET_INTEROP_RELAYER_INDEX}`);
  return new Wallet(node.privateKey);
}

/** The relayer the operator configured (keystore first, then a raw key), or undefined when none is. */
export async function interopRelayerFromEnv(env: NodeJS.ProcessEnv, cwd: string): Promise<Wallet | undefined> {
  const keystore = env[INTEROP_RELAYER_KEYSTORE_ENV];
  if (keystore !== undefined && keystore !== "") {
    return loadWallet(
      { keystore, passwordFile: env[INTEROP_RELAYER_PASSWORD_FILE_ENV] || undefined, cwd },
      { [PASSWORD_ENV]: env[PASSWORD_ENV] },
    );
  }
  const key = env[INTEROP_RELAYER_KEY_ENV];
  if (key === undefined || key === "") return undefined;
  try {
    return new Wallet(key.trim());
  } catch {
    throw new Error(`${INTEROP_RELAYER_KEY_ENV} is not a valid private key`);
  }
}

/** A deployments file, read and checked for the three registries the anchoring needs. */
export function readAnchorDeployment(file: string): DeploymentFile {
  let parsed: DeploymentFile;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as DeploymentFile;
  } catch (error) {
    throw new Error(`cannot read deployment ${file}: ${(error as NodeJS.ErrnoException).code ?? "not JSON"}`);
  }
  for (const name of ANCHOR_REGISTRIES) {
    if (typeof parsed.contracts?.[name]?.address !== "string") throw new Error(`deployment ${file} has no ${name}`);
  }
  if (typeof parsed.chainId !== "number") throw new Error(`deployment ${file} has no chainId`);
  return parsed;
}

/** The deployments file of `network` under `dir` (deployments/<network>.json). */
export function deploymentFileOf(dir: string, network: string): string {
  return path.join(dir, `${network}.json`);
}

const ANCHOR_REGISTRIES = ["ActorRegistry", "MillTestReportRegistry", "CertificateOfOriginRegistry"] as const;

/** The anchoring of a connected node, and how to let go of its provider. */
export interface ChainAnchoring extends Anchoring {
  relayer: string;
  close(): void;
}

/**
 * Anchoring over the chain at `rpc` with `deployment`'s registries, submitted by `relayer`. Checks that the chain
 * is the deployment's (a mismatched chain id would anchor nowhere useful) before the node serves.
 */
export async function connectAnchoring(opts: {
  rpc: string;
  deployment: DeploymentFile;
  relayer: Wallet;
  pollIntervalMs?: number;
}): Promise<ChainAnchoring> {
  const { chainId } = opts.deployment;
  const provider = new JsonRpcProvider(opts.rpc, undefined, {
    staticNetwork: Network.from(chainId),
    pollingInterval: 250,
  });
  let actual: bigint;
  try {
    actual = BigInt((await provider.send("eth_chainId", [])) as string);
  } catch (error) {
    provider.destroy();
    throw new Error(`cannot reach the chain at ${opts.rpc}: ${messageOf(error).split("\n")[0]}`);
  }
  if (actual !== BigInt(chainId)) {
    provider.destroy();
    throw new Error(`the chain at ${opts.rpc} has chain id ${actual}, the deployment is for ${chainId}`);
  }
  const address = (name: (typeof ANCHOR_REGISTRIES)[number]): string => opts.deployment.contracts[name].address;
  // Required here, not at the top: the anchor module loads the TypeChain factories, which a fresh clone has only
  // after npm start compiled the contracts (npm start and npm run interop import this file before that).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createAnchor } = require("../../interop/anchor") as typeof import("../../interop/anchor");
  const anchor = createAnchor({
    provider,
    relayer: opts.relayer.connect(provider),
    addresses: {
      actorRegistry: address("ActorRegistry"),
      millTestReportRegistry: address("MillTestReportRegistry"),
      certificateOfOriginRegistry: address("CertificateOfOriginRegistry"),
    },
    pollIntervalMs: opts.pollIntervalMs,
  });
  // Revocations are read from the deployment's first block: every restart re-reads them, and setting a bit twice
  // changes nothing.
  const fromBlock = opts.deployment.startBlock ?? 0;
  return {
    relayer: opts.relayer.address,
    anchorVerifiedCredential: (vc, ctx) => anchor.anchorVerifiedCredential(vc, ctx),
    watchRevocations: (onRevoked) => anchor.watchRevocations(onRevoked, { fromBlock }),
    close: () => provider.destroy(),
  };
}
