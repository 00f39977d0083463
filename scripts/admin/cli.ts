/**
 * The TradeTrace admin tool for whoever runs a deployment: `npm run admin -- <command> ...` (see HELP).
 * `main(argv, io)` does everything and returns the exit code, so that tests run it in-process; the bottom of the
 * file is the process entry point. The registry calls live in registry-calls.ts.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Wallet, ZeroHash, formatEther, hexlify, id, randomBytes, type Signer } from "ethers";
import { CliError, failureLine, parseCommandLine, processIo, runAsProcess } from "../lib/cli";
import { PASSWORD_ENV, PRIVATE_KEY_ENV, loadWallet } from "../credentials/keys";
import { formatRoles } from "../lib/vocabulary";
import type { ActorCredential } from "../season/actors";
import {
  parseAddress,
  parseBytes32,
  parseCount,
  parseCountry,
  parseDate,
  parseEtherAmount,
  parseGrantableRole,
  parseRoles,
} from "./inputs";
import {
  CREDENTIAL_FORMAT,
  authorizeBroker,
  devAccount,
  fund,
  openChain,
  readStanding,
  removeIssuer,
  setRole,
  signCredential,
  submitCredential,
  trustIssuer,
  type AdminChain,
  type RegistryName,
  type SignedCredential,
  type Standing,
} from "./registry-calls";

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const DEFAULT_DEPLOYMENTS = path.join("deployments", "localhost.json");
const DAY = 86_400n;

export interface AdminIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** The directory relative paths start from. */
  cwd: string;
}

const OPTIONS = {
  rpc: { type: "string" },
  deployments: { type: "string" },
  keystore: { type: "string" },
  "password-file": { type: "string" },
  "dev-account": { type: "string" },
  roles: { type: "string" },
  country: { type: "string" },
  "legal-name": { type: "string" },
  identifiers: { type: "string" },
  did: { type: "string" },
  "valid-from": { type: "string" },
  "valid-until": { type: "string" },
  days: { type: "string" },
  "credential-id": { type: "string" },
  out: { type: "string" },
  registry: { type: "string" },
  revoke: { type: "boolean" },
  amount: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean" },
} as const;

type Options = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

const CONNECTION = `  --rpc URL             JSON-RPC node (default: LOCALHOST_RPC_URL, else http://127.0.0.1:8545)
  --deployments FILE    deployments file of that chain (default ${DEFAULT_DEPLOYMENTS})`;
const KEY = (
  whose: string,
): string => `  --keystore FILE       ${whose}: an encrypted JSON keystore; its password from --password-file FILE or
                        ${PASSWORD_ENV} (without --keystore: the key in ${PRIVATE_KEY_ENV})
  --dev-account N       on a devnet (chain id 31337): sign with the node's unlocked account #N instead
                        (#0 deployed the registries and holds every governance role)`;

/** One command: its usage line, a summary for the overview, its own help, and what it does. */
interface Command {
  usage: string;
  summary: string;
  details: string;
  run(session: Session, args: string[]): Promise<void>;
}

/** The state of one run: options, io, and the chain once opened (closed by `main`). */
class Session {
  private opened: AdminChain | undefined;
  private signing: Promise<Signer> | undefined;

  constructor(
    readonly options: Options,
    readonly io: AdminIo,
  ) {}

  resolve(file: string): string {
    return path.resolve(this.io.cwd, file);
  }

  get rpcUrl(): string {
    return this.options.rpc ?? this.io.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545";
  }

  async chain(): Promise<AdminChain> {
    this.opened ??= await openChain(this.rpcUrl, this.resolve(this.options.deployments ?? DEFAULT_DEPLOYMENTS));
    return this.opened;
  }

  /** The signing account: `--dev-account N`, else the keystore (or environment key), connected to the node. */
  signer(): Promise<Signer> {
    this.signing ??= this.openSigner();
    return this.signing;
  }

  private async openSigner(): Promise<Signer> {
    const chain = await this.chain();
    if (this.options["dev-account"] !== undefined) {
      if (this.options.keystore !== undefined) throw new CliError("give --keystore or --dev-account, not both");
      const index = this.options["dev-account"];
      if (!/^\d+$/.test(index)) throw new CliError(`--dev-account ${JSON.stringify(index)} is not an account number`);
      return devAccount(chain, Number(index));
    }
    if (this.options.keystore === undefined && !this.io.env[PRIVATE_KEY_ENV]) {
      throw new CliError(
        `no signing key: give --keystore FILE (password from --password-file FILE or ${PASSWORD_ENV}), ` +
          `--dev-account N on a devnet, or set ${PRIVATE_KEY_ENV}`,
      );
    }
    const wallet = await loadWallet(
      { keystore: this.options.keystore, passwordFile: this.options["password-file"], cwd: this.io.cwd },
      this.io.env,
    );
    return wallet.connect(chain.provider);
  }

  print(line: string): void {
    this.io.stdout(`${line}\n`);
  }

  close(): void {
    this.opened?.provider.destroy();
  }
}

function positional(args: string[], count: number, usage: string): string[] {
  if (args.length !== count) throw new CliError(`usage: npm run admin -- ${usage} (see --help)`);
  return args;
}

// ---------------------------------------------------------------- the commands

async function trustIssuerCommand(session: Session, args: string[]): Promise<void> {
  const [raw] = positional(args, 1, COMMANDS["trust-issuer"].usage);
  const issuer = parseAddress(raw, "issuer");
  const roles = parseRoles(session.options.roles);
  const chain = await session.chain();
  const { previous, tx } = await trustIssuer(chain, await session.signer(), issuer, roles);
  session.print(`trusted ${issuer} to credential ${formatRoles(roles)} (before: ${formatRoles(previous)}); tx ${tx}`);
}

async function untrustIssuerCommand(session: Session, args: string[]): Promise<void> {
  const [raw] = positional(args, 1, COMMANDS["untrust-issuer"].usage);
  const issuer = parseAddress(raw, "issuer");
  const { previous, tx } = await removeIssuer(await session.chain(), await session.signer(), issuer);
  session.print(`${issuer} is no longer a trusted issuer (was trusted for ${formatRoles(previous)}); tx ${tx}`);
}

/** The credential `onboard` signs, from the options; dates default to a year from the latest block. */
async function credentialFromOptions(session: Session, subject: string): Promise<ActorCredential> {
  const { options } = session;
  const roles = parseRoles(options.roles);
  const country = parseCountry(options.country);
  if (options["legal-name"] === undefined || options["legal-name"].trim() === "") {
    throw new CliError("--legal-name is missing (the actor's legal name; only its hash goes on chain)");
  }
  const chain = await session.chain();
  const latest = BigInt((await chain.provider.getBlock("latest"))?.timestamp ?? 0);
  const validFrom = options["valid-from"] ? parseDate(options["valid-from"], "--valid-from") : latest;
  if (options["valid-until"] !== undefined && options.days !== undefined) {
    throw new CliError("give --valid-until or --days, not both");
  }
  const validUntil = options["valid-until"]
    ? parseDate(options["valid-until"], "--valid-until")
    : validFrom + BigInt(parseCount(options.days ?? "365", "--days")) * DAY;
  return {
    subject,
    did: options.did ?? `did:pkh:eip155:${chain.chainId}:${subject}`,
    roles,
    country,
    legalNameHash: id(options["legal-name"]),
    identifiersHash: options.identifiers === undefined ? ZeroHash : id(options.identifiers),
    validFrom,
    validUntil,
    credentialId: options["credential-id"]
      ? parseBytes32(options["credential-id"], "--credential-id")
      : hexlify(randomBytes(32)),
  };
}

/** JSON with bigints as decimal strings. */
function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}

async function onboardCommand(session: Session, args: string[]): Promise<void> {
  const [raw] = positional(args, 1, COMMANDS.onboard.usage);
  const subject = parseAddress(raw, "subject");
  const credential = await credentialFromOptions(session, subject);
  const chain = await session.chain();
  const signed = await signCredential(chain, await session.signer(), credential);
  const what = `${subject} as ${formatRoles(credential.roles)} (credential ${credential.credentialId})`;
  if (session.options.out !== undefined) {
    const file = session.resolve(session.options.out);
    writeFileSync(file, toJson(signed));
    session.print(
      `wrote the credential of ${what}, signed by ${signed.issuer}, to ${file}; any funded account submits it with ` +
        `npm run admin -- submit-credential ${session.options.out} --keystore FILE`,
    );
    return;
  }
  const tx = await submitCredential(chain, await session.signer(), signed);
  session.print(`onboarded ${what}, issuer ${signed.issuer}; tx ${tx}`);
}

/** Reads a file written by `onboard --out`, with bigints restored. */
function readSignedCredential(session: Session, file: string): SignedCredential {
  let parsed: SignedCredential;
  try {
    parsed = JSON.parse(readFileSync(session.resolve(file), "utf8")) as SignedCredential;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code ? `cannot read ${file}: ${code}` : `${file} is not JSON`);
  }
  if (parsed?.format !== CREDENTIAL_FORMAT || typeof parsed.credential !== "object") {
    throw new CliError(`${file} is not a signed actor credential (${CREDENTIAL_FORMAT}) written by onboard --out`);
  }
  const c = parsed.credential;
  return {
    ...parsed,
    credential: { ...c, validFrom: BigInt(c.validFrom), validUntil: BigInt(c.validUntil) },
  };
}

async function submitCredentialCommand(session: Session, args: string[]): Promise<void> {
  const [file] = positional(args, 1, COMMANDS["submit-credential"].usage);
  const signed = readSignedCredential(session, file);
  const chain = await session.chain();
  const tx = await submitCredential(chain, await session.signer(), signed);
  const { subject, roles, credentialId } = signed.credential;
  session.print(
    `onboarded ${subject} as ${formatRoles(roles)} (credential ${credentialId}), issuer ${signed.issuer}; tx ${tx}`,
  );
}

const REGISTRIES: RegistryName[] = [
  "ActorRegistry",
  "CertificateOfOriginRegistry",
  "MillTestReportRegistry",
  "ShipmentRegistry",
];

async function roleCommand(session: Session, args: string[], grant: boolean): Promise<void> {
  const command = grant ? "grant-role" : "revoke-role";
  const [rawRole, rawAccount] = positional(args, 2, COMMANDS[command].usage);
  const role = parseGrantableRole(rawRole);
  const account = parseAddress(rawAccount, "account");
  const only = session.options.registry;
  if (only !== undefined && !REGISTRIES.includes(only as RegistryName)) {
    throw new CliError(`unknown --registry ${JSON.stringify(only)}: one of ${REGISTRIES.join(", ")}`);
  }
  const chain = await session.chain();
  const changes = await setRole(chain, await session.signer(), role, account, grant, only as RegistryName);
  for (const change of changes) {
    if (change.done === "unchanged") {
      session.print(`${account} ${grant ? "already holds" : "does not hold"} ${role} on ${change.registry}`);
    } else
      session.print(
        `${change.done} ${role} ${grant ? "to" : "from"} ${account} on ${change.registry}; tx ${change.tx}`,
      );
  }
}

async function authorizeBrokerCommand(session: Session, args: string[]): Promise<void> {
  const [raw] = positional(args, 1, COMMANDS["authorize-broker"].usage);
  const broker = parseAddress(raw, "broker");
  const authorized = !session.options.revoke;
  const importer = await session.signer();
  const tx = await authorizeBroker(await session.chain(), importer, broker, authorized);
  const verb = authorized ? "authorised" : "withdrew the authorisation of";
  session.print(`importer ${await importer.getAddress()} ${verb} broker ${broker}; tx ${tx}`);
}

async function fundCommand(session: Session, args: string[]): Promise<void> {
  const [raw] = positional(args, 1, COMMANDS.fund.usage);
  const to = parseAddress(raw, "account");
  const wei = parseEtherAmount(session.options.amount ?? "10");
  const from = session.options["dev-account"] ?? "0";
  if (!/^\d+$/.test(from)) throw new CliError(`--dev-account ${JSON.stringify(from)} is not an account number`);
  const balance = await fund(await session.chain(), to, wei, Number(from));
  session.print(
    `sent ${formatEther(wei)} ETH to ${to} from dev account #${from}; balance now ${formatEther(balance)} ETH`,
  );
}

function formatStanding(s: Standing): string {
  const lines = [`${s.address} on chain id ${s.chainId} at ${s.blockTime}`, `  balance          ${s.balanceEther} ETH`];
  if (s.actor === undefined) lines.push("  actor            none (never onboarded)");
  else {
    const a = s.actor;
    const active = Object.entries(a.active).map(([role, yes]) => `${role} ${yes ? "yes" : "no"}`);
    lines.push(
      `  actor roles      ${a.roles.join(", ")} (country ${a.country})`,
      `  DID              ${a.did ?? "(no ActorOnboarded event found)"}`,
      `  credential       ${a.credentialId}: ${a.credentialStatus}`,
      `  valid            ${a.validFrom} .. ${a.validUntil} (onboarded ${a.onboardedAt})`,
      `  issuer           ${a.issuer}, trusted for ${a.issuerTrustedFor.join(", ") || "nothing (no longer trusted)"}`,
      `  suspended        ${a.suspended ? "yes" : "no"}`,
      `  active           ${active.join(", ")}`,
    );
  }
  lines.push(`  trusted issuer   ${s.trustedIssuerFor.length ? `for ${s.trustedIssuerFor.join(", ")}` : "no"}`);
  const governance = Object.entries(s.governanceRoles).map(([registry, roles]) => `${registry}: ${roles.join(", ")}`);
  lines.push(`  governance       ${governance.length ? governance.join("; ") : "none"}`);
  return lines.join("\n");
}

async function showCommand(session: Session, args: string[]): Promise<void> {
  const [raw] = positional(args, 1, COMMANDS.show.usage);
  const standing = await readStanding(await session.chain(), parseAddress(raw, "address"));
  session.io.stdout(session.options.json ? toJson(standing) : `${formatStanding(standing)}\n`);
}

async function newKeyCommand(session: Session, args: string[]): Promise<void> {
  positional(args, 0, COMMANDS["new-key"].usage);
  const out = session.options.out;
  if (out === undefined) throw new CliError("--out FILE is missing (where to write the keystore)");
  const file = session.resolve(out);
  if (existsSync(file)) throw new CliError(`${out} exists: choose another --out (a keystore is never overwritten)`);
  const passwordFile = session.options["password-file"];
  let password = session.io.env[PASSWORD_ENV];
  if (passwordFile !== undefined) {
    try {
      password = readFileSync(session.resolve(passwordFile), "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      throw new CliError(`cannot read password file ${passwordFile}: ${(error as NodeJS.ErrnoException).code}`);
    }
  }
  if (!password) throw new CliError(`no password: give --password-file FILE or set ${PASSWORD_ENV}`);
  const wallet = Wallet.createRandom();
  writeFileSync(file, await wallet.encrypt(password), { mode: 0o600 });
  session.print(
    `wrote a new key for ${wallet.address} to ${out} (fund it on a devnet: npm run admin -- fund ${wallet.address})`,
  );
}

const COMMANDS: Record<string, Command> = {
  "trust-issuer": {
    usage: "trust-issuer ISSUER --roles ROLE,... [key]",
    summary: "governance trusts ISSUER to credential actors for ROLES (replacing its earlier set)",
    details: `Needs CBP_ROLE on the ActorRegistry. ROLES are the names of contracts/libraries/BusinessRoles.sol:
MILL, PROCESSOR, EXPORTER, IMPORTER, CUSTOMS_BROKER, CARRIER, CERTIFIER, LABORATORY (any case), or ALL.`,
    run: trustIssuerCommand,
  },
  "untrust-issuer": {
    usage: "untrust-issuer ISSUER [key]",
    summary: "governance stops trusting ISSUER: the actors it credentialed become inactive",
    details: "Needs CBP_ROLE on the ActorRegistry.",
    run: untrustIssuerCommand,
  },
  onboard: {
    usage: "onboard SUBJECT --roles ROLE,... --country CC --legal-name NAME [options] [issuer key] [--out FILE]",
    summary: "an issuer signs an actor credential (EIP-712) for SUBJECT and submits it, or writes it to --out",
    details: `The key is the issuer's, who must be trusted for every role. The registry is asked first whether it
would take the credential. Without --out the issuer's account submits it (it needs gas); with --out FILE the
signed credential is written there and any funded account submits it with submit-credential.
  --roles ROLE,...       business roles granted (see trust-issuer)
  --country CC           where the actor is established (ISO 3166-1 alpha-2)
  --legal-name NAME      the actor's legal name (only its keccak256 goes on chain)
  --identifiers TEXT     e.g. "IOR 12-3456789, LEI ..." (only its keccak256 goes on chain; default none)
  --did DID              the actor's DID (default did:pkh:eip155:<chain id>:<SUBJECT>)
  --valid-from DATE      YYYY-MM-DD or ISO date-time (default: the latest block's time)
  --valid-until DATE     (default: --days after --valid-from)
  --days N               validity in days (default 365)
  --credential-id 0x..   32 bytes (default random)`,
    run: onboardCommand,
  },
  "submit-credential": {
    usage: "submit-credential FILE [key]",
    summary: "submit a credential written by onboard --out, from any funded account",
    details: "Checks first that it is for this chain and ActorRegistry and signed by its issuer.",
    run: submitCredentialCommand,
  },
  "grant-role": {
    usage: "grant-role ROLE ACCOUNT [--registry NAME] [key]",
    summary: "governance grants CBP_ROLE or PAUSER_ROLE on every registry",
    details: `CBP_ROLE (CBP's authority) and PAUSER_ROLE live on all four registries. --registry NAME limits it to one. Needs DEFAULT_ADMIN_ROLE on
each; every registry is asked first, so a caller who may not change one changes none.`,
    run: (session, args) => roleCommand(session, args, true),
  },
  "revoke-role": {
    usage: "revoke-role ROLE ACCOUNT [--registry NAME] [key]",
    summary: "governance revokes such a role",
    details: "The same registries and rules as grant-role.",
    run: (session, args) => roleCommand(session, args, false),
  },
  "authorize-broker": {
    usage: "authorize-broker BROKER [--revoke] [importer key]",
    summary: "an importer authorises BROKER to file its shipments (--revoke withdraws it)",
    details: "The key is the importer's, an active IMPORTER.",
    run: authorizeBrokerCommand,
  },
  fund: {
    usage: "fund ACCOUNT [--amount ETH] [--dev-account N]",
    summary: "devnet only: send ether (default 10) from the node's dev account #0 (or #N)",
    details: "Refused unless the node serves chain id 31337 (Hardhat); on any other chain fund accounts yourself.",
    run: fundCommand,
  },
  show: {
    usage: "show ADDRESS [--json]",
    summary: "the standing of ADDRESS: actor record, DID, roles, issuer and its trust, validity, activity, balance",
    details: "Also whether ADDRESS is a trusted issuer and which governance roles it holds on each registry.",
    run: showCommand,
  },
  "new-key": {
    usage: "new-key --out FILE [--password-file FILE]",
    summary: "create a key in an encrypted JSON keystore (for an issuer, an actor, a relayer)",
    details: `The password comes from --password-file FILE or ${PASSWORD_ENV}. Prints the address, never the key.`,
    run: newKeyCommand,
  },
};

const KEY_COMMANDS = new Set([
  "trust-issuer",
  "untrust-issuer",
  "onboard",
  "submit-credential",
  "grant-role",
  "revoke-role",
  "authorize-broker",
]);

export const HELP = `TradeTrace admin tool: governance, issuers and actors of a deployment

Usage: npm run admin -- <command> [options]      npm run admin -- <command> --help

Commands
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`)
  .join("\n")}

Options of every command
${CONNECTION}
${KEY("the signing key")}

Errors are one line on stderr (what is wrong and what to do), exit code 1; nothing is sent after bad input.
`;

function commandHelp(name: string): string {
  const c = COMMANDS[name];
  const key = KEY_COMMANDS.has(name) ? `\n${KEY(name === "onboard" ? "the issuer's key" : "the signing key")}` : "";
  return `Usage: npm run admin -- ${c.usage}\n\n${c.summary}.\n${c.details}\n\nOptions\n${CONNECTION}${key}\n`;
}

/** Runs the tool on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: AdminIo): Promise<number> {
  let session: Session | undefined;
  try {
    const parsed = parseCommandLine(argv, OPTIONS);
    const [name, ...args] = parsed.positionals;
    if (name === undefined || name === "help") {
      io.stdout(HELP);
      return parsed.values.help || name === "help" ? EXIT_OK : EXIT_ERROR;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command)
      throw new CliError(`unknown command ${JSON.stringify(name)}: one of ${Object.keys(COMMANDS).join(", ")}`);
    if (parsed.values.help) {
      io.stdout(commandHelp(name));
      return EXIT_OK;
    }
    session = new Session(parsed.values as Options, io);
    await command.run(session, args);
    return EXIT_OK;
  } catch (error) {
    io.stderr(failureLine(error, (e): e is CliError => e instanceof CliError, session?.rpcUrl));
    return EXIT_ERROR;
  } finally {
    session?.close();
  }
}

if (require.main === module) {
  const io = processIo();
  runAsProcess((argv) => main(argv, io), EXIT_ERROR);
}
