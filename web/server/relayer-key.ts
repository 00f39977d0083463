/**
 * The relayer's account, as the operator configures it (web/README.md, "Relayer"): an encrypted JSON keystore
 * (TRADETRACE_RELAYER_KEYSTORE, its password in TRADETRACE_RELAYER_PASSWORD_FILE or TRADETRACE_KEYSTORE_PASSWORD,
 * read as the credentials tool reads keystores, with its KDF minimum), or a raw key in TRADETRACE_RELAYER_KEY.
 * Neither set: no relayer. Messages never contain key material.
 */
import { HDNodeWallet, Wallet } from "ethers";
import { loadWallet, PASSWORD_ENV } from "../../scripts/credentials/keys";

export const RELAYER_KEY_ENV = "TRADETRACE_RELAYER_KEY";
export const RELAYER_KEYSTORE_ENV = "TRADETRACE_RELAYER_KEYSTORE";
export const RELAYER_PASSWORD_FILE_ENV = "TRADETRACE_RELAYER_PASSWORD_FILE";

/** Hardhat's default accounts; `npm start` relays from the last one, which the season does not use. */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
export const DEVNET_RELAYER_INDEX = 19;

/** The configured relayer account, or undefined when none is configured. Throws a one-line error on a bad one. */
export async function relayerWalletFromEnv(env: NodeJS.ProcessEnv, cwd: string): Promise<Wallet | undefined> {
  const keystore = env[RELAYER_KEYSTORE_ENV];
  if (keystore !== undefined && keystore !== "") {
    return loadWallet(
      { keystore, passwordFile: env[RELAYER_PASSWORD_FILE_ENV] || undefined, cwd },
      { [PASSWORD_ENV]: env[PASSWORD_ENV] },
    );
  }
  const key = env[RELAYER_KEY_ENV];
  if (key === undefined || key === "") return undefined;
  try {
    return new Wallet(key.trim());
  } catch {
    throw new Error(`${RELAYER_KEY_ENV} is not a valid private key`);
  }
}

/** The devnet's relayer: Hardhat's account #19, funded with 10000 ETH in every fresh `hardhat node`. */
export function devnetRelayerWallet(): Wallet {
  const node = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${DEVNET_RELAYER_INDEX}`);
  return new Wallet(node.privateKey);
}
