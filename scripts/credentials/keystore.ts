/**
 * `keystore create | import | show`: the tool's own way to hold a signing key as an encrypted JSON keystore (Web3
 * Secret Storage, scrypt at `KDF_MINIMUM`), written owner-only (0600) and never over an existing file. `import`
 * takes the raw hex key that MetaMask's "Export private key" shows; `show` prints the address without the password.
 * Keys and passwords are never printed.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Wallet, encryptKeystoreJson, getAddress } from "ethers";
import { CliError } from "./cli-error";
import { KDF_MINIMUM, PASSWORD_ENV, requireStrongKdf } from "./keys";

/** The shortest password `create` and `import` accept: a keystore is only as strong as its password. */
export const MIN_PASSWORD_LENGTH = 12;
/** The mode of a keystore file: owner read/write only. */
export const KEYSTORE_FILE_MODE = 0o600;

export interface KeystoreIo {
  stdout(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Asks for a password on the terminal without echo; absent when there is no terminal (tests, scripts). */
  prompt?(question: string): Promise<string>;
}

export interface KeystoreOptions {
  out?: string;
  "key-file"?: string;
  "password-file"?: string;
}

function readText(io: KeystoreIo, file: string, what: string): string {
  try {
    return readFileSync(path.resolve(io.cwd, file), "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
  }
}

/** The password of a new keystore: --password-file, else the environment, else asked twice on the terminal. */
async function newPassword(io: KeystoreIo, options: KeystoreOptions): Promise<string> {
  let password: string | undefined;
  if (options["password-file"] !== undefined) {
    password = readText(io, options["password-file"], "password file").replace(/\r?\n$/, "");
  } else if (io.env[PASSWORD_ENV] !== undefined) password = io.env[PASSWORD_ENV];
  else if (io.prompt !== undefined) {
    password = await io.prompt("Password for the new keystore: ");
    if ((await io.prompt("Repeat the password: ")) !== password) throw new CliError("the passwords differ");
  }
  if (password === undefined) {
    throw new CliError(
      `no password for the new keystore: give --password-file FILE, set ${PASSWORD_ENV}, or run it in a terminal`,
    );
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new CliError(`the keystore password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  return password;
}

/** The --out file, refused if it exists (a keystore is never overwritten: it may hold the only copy of a key). */
function outFile(io: KeystoreIo, options: KeystoreOptions, command: string): string {
  if (options.out === undefined) throw new CliError(`keystore ${command} needs --out FILE (see --help)`);
  const file = path.resolve(io.cwd, options.out);
  if (existsSync(file)) throw new CliError(`${options.out} already exists (a keystore is never overwritten)`);
  return file;
}

async function writeKeystore(io: KeystoreIo, options: KeystoreOptions, file: string, key: string): Promise<string> {
  const wallet = new Wallet(key);
  const json = await encryptKeystoreJson(wallet, await newPassword(io, options), {
    scrypt: { N: KDF_MINIMUM.scryptN },
  });
  try {
    writeFileSync(file, json, { mode: KEYSTORE_FILE_MODE, flag: "wx" });
  } catch (error) {
    throw new CliError(`cannot write ${options.out}: ${(error as NodeJS.ErrnoException).code ?? "unwritable"}`);
  }
  return wallet.address;
}

async function create(io: KeystoreIo, options: KeystoreOptions): Promise<void> {
  const file = outFile(io, options, "create");
  const address = await writeKeystore(io, options, file, Wallet.createRandom().privateKey);
  io.stdout(`created keystore ${options.out} for ${address} (scrypt N=${KDF_MINIMUM.scryptN}, mode 0600)\n`);
  io.stdout(`have ${address} onboarded as an actor before it signs documents; keep a backup of the file\n`);
}

async function importKey(io: KeystoreIo, options: KeystoreOptions): Promise<void> {
  const keyFile = options["key-file"];
  if (keyFile === undefined) throw new CliError("keystore import needs --key-file FILE (see --help)");
  const file = outFile(io, options, "import");
  const text = readText(io, keyFile, "key file").trim();
  const bad = new CliError(
    `${keyFile} does not hold a private key (64 hex digits), as MetaMask's "Export private key" shows it`,
  );
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(text)) throw bad;
  let address: string;
  try {
    address = await writeKeystore(io, options, file, text.startsWith("0x") ? text : `0x${text}`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw bad;
  }
  io.stdout(`imported the key of ${address} into ${options.out} (scrypt N=${KDF_MINIMUM.scryptN}, mode 0600)\n`);
  io.stdout(`delete ${keyFile} once you have checked the keystore: it holds the key unencrypted\n`);
}

function show(io: KeystoreIo, file: string): void {
  const text = readText(io, file, "keystore");
  let json: { address?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new CliError(`${file} is not an encrypted JSON keystore`);
  }
  const address = typeof json === "object" && json !== null ? json.address : undefined;
  if (typeof address !== "string" || !/^(0x)?[0-9a-fA-F]{40}$/.test(address)) {
    throw new CliError(`${file} is not an encrypted JSON keystore (no address)`);
  }
  requireStrongKdf(json, file);
  io.stdout(`${getAddress(address.startsWith("0x") ? address : `0x${address}`)}\n`);
}

/** Runs `keystore <sub> ...`. */
export async function keystoreCommand(io: KeystoreIo, options: KeystoreOptions, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === "create" && rest.length === 0) return create(io, options);
  if (sub === "import" && rest.length === 0) return importKey(io, options);
  if (sub === "show" && rest.length === 1) return show(io, rest[0]);
  throw new CliError(
    "usage: keystore create --out FILE | keystore import --key-file FILE --out FILE | keystore show FILE (see --help)",
  );
}

/** Reads a line from the terminal without echoing it (for `CliIo.prompt`). */
export function terminalPrompt(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let text = "";
    const finish = (): void => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          finish();
          resolve(text);
          return;
        }
        if (ch === "\u0003") {
          finish();
          reject(new CliError("cancelled"));
          return;
        }
        text = ch === "\u007f" || ch === "\b" ? text.slice(0, -1) : text + ch;
      }
    };
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.setEncoding("utf8");
    stdin.resume();
    stdin.on("data", onData);
  });
}
