/**
 * The signing key of the command-line tool: an encrypted JSON keystore (password from a file or
 * TRADETRACE_KEYSTORE_PASSWORD) or a raw key in TRADETRACE_PRIVATE_KEY. Messages never contain key material.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Wallet } from "ethers";
import { CliError } from "./cli-error";
import { messageOf } from "../../lib/errors";

export const PRIVATE_KEY_ENV = "TRADETRACE_PRIVATE_KEY";
export const PASSWORD_ENV = "TRADETRACE_KEYSTORE_PASSWORD";

/**
 * The weakest key derivation a keystore may use (the one home of these numbers; README and SECURITY.md quote
 * them). They are the Web3 Secret Storage defaults of geth and ethers: scrypt N = 2^17 with r = 8 (128 MiB per
 * guess), PBKDF2-HMAC-SHA256 with 262144 iterations. A weaker keystore (geth --lightkdf, test keystores) lets a
 * stolen file be brute-forced cheaply, so the tool refuses it and says how to re-encrypt the key.
 */
export const KDF_MINIMUM = { scryptN: 131_072, scryptR: 8, pbkdf2Iterations: 262_144 } as const;

interface KeystoreKdf {
  kdf?: unknown;
  kdfparams?: { n?: unknown; r?: unknown; c?: unknown };
}

/** Throws `CliError` unless keystore `json` (named `name` in messages) uses a KDF at least as strong as the minimum. */
export function requireStrongKdf(json: unknown, name: string): void {
  const file = (json ?? {}) as { crypto?: KeystoreKdf; Crypto?: KeystoreKdf };
  const crypto = file.crypto ?? file.Crypto;
  if (crypto === undefined || typeof crypto !== "object") {
    throw new CliError(`keystore ${name} is not an encrypted JSON keystore`);
  }
  const params = crypto.kdfparams ?? {};
  const redo = "re-encrypt the key with `keystore import` (see --help)";
  if (crypto.kdf === "scrypt") {
    const { scryptN, scryptR } = KDF_MINIMUM;
    if (!(Number(params.n) >= scryptN) || !(Number(params.r) >= scryptR)) {
      throw new CliError(
        `keystore ${name} uses scrypt N=${String(params.n)}, r=${String(params.r)}, weaker than the minimum N=${scryptN}, r=${scryptR}: ${redo}`,
      );
    }
  } else if (crypto.kdf === "pbkdf2") {
    if (!(Number(params.c) >= KDF_MINIMUM.pbkdf2Iterations)) {
      throw new CliError(
        `keystore ${name} uses pbkdf2 with ${String(params.c)} iterations, weaker than the minimum ${KDF_MINIMUM.pbkdf2Iterations}: ${redo}`,
      );
    }
  } else {
    throw new CliError(
      `keystore ${name} uses the unknown KDF ${JSON.stringify(crypto.kdf)} (scrypt or pbkdf2 expected)`,
    );
  }
}

export interface KeyOptions {
  keystore?: string;
  passwordFile?: string;
  /** The directory relative paths start from. */
  cwd: string;
}

function readText(cwd: string, file: string, what: string): string {
  try {
    return readFileSync(path.resolve(cwd, file), "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
  }
}

/** The wallet to sign with (not connected to a provider). */
export async function loadWallet(options: KeyOptions, env: NodeJS.ProcessEnv): Promise<Wallet> {
  if (options.keystore !== undefined) {
    const json = readText(options.cwd, options.keystore, "keystore");
    let password: string | undefined;
    if (options.passwordFile !== undefined) {
      // A trailing line break is an artefact of the editor, not part of the password.
      password = readText(options.cwd, options.passwordFile, "password file").replace(/\r?\n$/, "");
    } else password = env[PASSWORD_ENV];
    if (password === undefined) {
      throw new CliError(
        `no password for keystore ${options.keystore}: give --password-file FILE or set ${PASSWORD_ENV}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new CliError(`keystore ${options.keystore} is not JSON`);
    }
    requireStrongKdf(parsed, options.keystore);
    try {
      const wallet = await Wallet.fromEncryptedJson(json, password);
      return new Wallet(wallet.privateKey);
    } catch (error) {
      const message = messageOf(error);
      if (/incorrect password/i.test(message)) throw new CliError(`wrong password for keystore ${options.keystore}`);
      throw new CliError(`keystore ${options.keystore} is not an encrypted JSON keystore`);
    }
  }
  const key = env[PRIVATE_KEY_ENV];
  if (key === undefined || key === "") {
    throw new CliError(`no signing key: give --keystore FILE or set ${PRIVATE_KEY_ENV}`);
  }
  try {
    return new Wallet(key.trim());
  } catch {
    throw new CliError(`${PRIVATE_KEY_ENV} is not a valid private key`);
  }
}
