/**
 * The signing key of the command-line tool: an encrypted JSON keystore (password from a file or
 * TRADETRACE_KEYSTORE_PASSWORD) or a raw key in TRADETRACE_PRIVATE_KEY. Messages never contain key material.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Wallet } from "ethers";
import { CliError } from "./cli-error";

export const PRIVATE_KEY_ENV = "TRADETRACE_PRIVATE_KEY";
export const PASSWORD_ENV = "TRADETRACE_KEYSTORE_PASSWORD";

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
    try {
      JSON.parse(json);
    } catch {
      throw new CliError(`keystore ${options.keystore} is not JSON`);
    }
    try {
      const wallet = await Wallet.fromEncryptedJson(json, password);
      return new Wallet(wallet.privateKey);
    } catch (error) {
      const message = (error as Error).message;
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
