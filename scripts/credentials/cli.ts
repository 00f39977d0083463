/**
 * The TradeTrace credentials tool for trade parties: `npm run credentials -- <command> ...` (see HELP).
 * `main(argv, io)` does everything and returns the exit code, so that tests run it in-process; the bottom of the
 * file is the process entry point.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  Contract,
  JsonRpcProvider,
  Wallet,
  getAddress,
  isAddress,
  isHexString,
  verifyTypedData,
  type Provider,
  type TransactionReceipt,
  type TypedDataDomain,
  type TypedDataField,
} from "ethers";
import type { IActorRegistry } from "../../typechain-types";
import { requirePartyRole, requireSignerIsIssuer } from "./actors";
import { issuedInReceipt } from "./anchored";
import { chainLookup, issuedEvents, type ChainContext } from "./chain-lookup";
import { describeChainError } from "../lib/chain-errors";
import { CliError, failureLine, parseCommandLine, processIo, runAsProcess } from "../lib/cli";
import { batchTypes, issueTypes } from "./eip712";
import { CredentialError } from "./errors";
import { parseJson } from "./json";
import { mapCredential, findRecord, type MappedCredential } from "./documents";
import {
  isRegistryName,
  kindOfRegistry,
  kindOfWord,
  partyAddress,
  type DocumentKind,
  type DocumentStruct,
  type MappedRecord,
  type RegistryName,
} from "./kinds";
import { KDF_MINIMUM, loadWallet, PASSWORD_ENV, PRIVATE_KEY_ENV } from "./keys";
import { vocabularySchemas } from "./node-loader";
import { MIN_PASSWORD_LENGTH, keystoreCommand, terminalPrompt } from "./keystore";
import { recordIdOf } from "../lib/record-id";
import { DEFAULT_STORE, STORE_ENV, loadCredential, storeCredential, storeDir } from "./store";
import type { CredentialVerification, RecordVerification } from "./verify";
import type { DidDocument, DidResolver } from "../../interop/proofs";
import { messageOf } from "../../lib/errors";

/** The proofs library and the checks, loaded by verify only: jsonld and the contexts take a second to load. */
type Proofs = typeof import("../../interop/proofs");
type Checks = typeof import("./verify");

/** The longest `--deadline`: a signed payload is a bearer instrument until then (a relayer may hold it back). */
export const MAX_DEADLINE_SECONDS = 7 * 86_400;

export const HELP = `TradeTrace credentials tool

Usage: npm run credentials -- <command> [options]

Commands
  mtr submit FILE   Validate a MillTestReportCredential, map every inspection to a mill test report record, sign
                    the EIP-712 payload with the mill's key and issue it (issueBySig / issueBatchBySig, relayed by
                    the same key; --direct calls issue / issueBatch instead). With --out FILE, write the signed
                    payload for a relayer instead of sending anything.
  coo submit FILE   The same for a CertificationOfOrigin or USMCACertificationOfOrigin. Credentials name parties
                    by DID, the registry by actor address: give --exporter 0x.. and --importer 0x.. (required).
                    A USMCA certification has no export date: give --export-date YYYY-MM-DD.
                    Checks first that the signing key is the onboarded actor the credential names as issuer
                    (same DID, same country), that the credential is valid at the chain's time, and for a
                    certificate that --exporter is an active EXPORTER and --importer an active IMPORTER.
  relay FILE        Send a signed payload written by submit --out, from any funded account. Checks first that the
                    chain id and the registry address match the deployment and that the signature is the signer's.
  verify FILE       Recompute the hash of every record of a credential and report whether the chain holds it, who
                    issued it, whether the issuer is an active actor for the role, and whether the record is
                    revoked, superseded, expired or not yet valid. MISMATCH when the record was anchored by an
                    actor other than the credential's issuer (DIDs compared) or with fields other than the file's.
                    Exit code 0 only if every record is valid, 1 otherwise.
                    A record id binds the hash to its issuer: verify finds the anchors of the hash by their
                    events and judges the one of the actor whose DID the credential names (--issuer 0x.. picks
                    an anchor by address; AMBIGUOUS when several anchors and none is the credential's issuer).
                    FILE may be JSON or a VC-JOSE compact JWS; a JWS or a linked-data proof is verified against
                    the issuer's DID document (see --did-document), and a proof that fails makes it invalid.
  export ID         Write the credential JSON behind on-chain record ID (stdout, or --out FILE). The chain keeps
                    only hashes, so export reads the local store that submit writes
                    (${DEFAULT_STORE}/<hash>.json; --store DIR or ${STORE_ENV}), checks that the
                    file hashes to the anchor and that the record exists on chain.
  keystore create --out FILE
                    Make a new key and write it as an encrypted JSON keystore (scrypt N=${KDF_MINIMUM.scryptN}, mode
                    0600, never over an existing file); prints the address. Password from --password-file FILE,
                    ${PASSWORD_ENV}, or asked on the terminal (at least ${MIN_PASSWORD_LENGTH} characters).
  keystore import --key-file FILE --out FILE
                    The same for an existing raw hex key (as MetaMask's "Export private key" shows it).
  keystore show FILE
                    Print a keystore's address (no password needed).

Options
  --rpc URL            JSON-RPC endpoint (default http://127.0.0.1:8545)
  --deployment FILE    deployments file (default deployments/localhost.json)
  --keystore FILE      encrypted JSON keystore of the signing (or relaying) key; password from --password-file FILE
                       or ${PASSWORD_ENV}. Without --keystore the key is taken from ${PRIVATE_KEY_ENV}.
                       Keystores whose KDF is weaker than scrypt N=${KDF_MINIMUM.scryptN} (r=${KDF_MINIMUM.scryptR}) or pbkdf2 with
                       ${KDF_MINIMUM.pbkdf2Iterations} iterations are refused.
  --uri URI            where the full credential can be fetched, carried in the event (default: none)
  --deadline SECONDS   how long a signature stays valid, from the latest block (default 3600;
                       at most ${MAX_DEADLINE_SECONDS} (7 days): a relayer can hold a payload back until then)
  --out FILE           submit: write the signed payload here; export: write the credential here
  --store DIR          the local credential store (default ${DEFAULT_STORE})
  --direct             submit: call issue / issueBatch from the key's account instead of issueBySig
  --key-file FILE      keystore import: the raw hex private key
  --issuer ADDRESS     verify: the issuer's actor address (record id = recordIdOf(issuer, content hash))
  --did-document FILE  verify: a DID document (JSON) to check proofs with, for issuers that are not did:key or
                       did:jwk (those resolve by themselves); repeatable. Nothing is fetched from the network.
  --help               this text

Keys are never printed. Bad input (unreadable or malformed file, schema violation, unknown unit or country, wrong
password, missing deployment) is reported in one line on stderr with exit code 2, and nothing is sent.
`;

/** Where the tool writes and how it reaches the chain; tests give their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Opens a provider for `--rpc`; a JSON-RPC provider by default. */
  connect?(rpcUrl: string): Provider;
  /** Asks for a password without echo; only when a terminal is attached. */
  prompt?(question: string): Promise<string>;
}

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_ERROR = 2;

export const DEFAULT_RPC = "http://127.0.0.1:8545";
export const DEFAULT_DEPLOYMENT = path.join("deployments", "localhost.json");
export const PAYLOAD_FORMAT = "tradetrace/signed-payload@1";

const OPTIONS = {
  rpc: { type: "string" },
  deployment: { type: "string" },
  keystore: { type: "string" },
  "password-file": { type: "string" },
  uri: { type: "string" },
  deadline: { type: "string" },
  out: { type: "string" },
  store: { type: "string" },
  exporter: { type: "string" },
  "key-file": { type: "string" },
  importer: { type: "string" },
  "export-date": { type: "string" },
  direct: { type: "boolean" },
  issuer: { type: "string" },
  "did-document": { type: "string", multiple: true },
  help: { type: "boolean" },
} as const;

interface Options {
  rpc?: string;
  deployment?: string;
  keystore?: string;
  "password-file"?: string;
  uri?: string;
  deadline?: string;
  out?: string;
  store?: string;
  exporter?: string;
  "key-file"?: string;
  importer?: string;
  "export-date"?: string;
  direct?: boolean;
  issuer?: string;
  "did-document"?: string[];
  help?: boolean;
}

/** A session: options, io, and the provider once opened (closed by `main`). */
class Session {
  provider: Provider | undefined;
  private owned: JsonRpcProvider | undefined;

  constructor(
    readonly options: Options,
    readonly io: CliIo,
  ) {}

  resolve(file: string): string {
    return path.resolve(this.io.cwd, file);
  }

  /** `deployments/<network>.json`: the chain id and the registry addresses. */
  deployment(): {
    file: string;
    chainId: number;
    contracts: Record<string, { address: string; blockNumber?: number }>;
  } {
    const file = this.resolve(this.options.deployment ?? DEFAULT_DEPLOYMENT);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new CliError(`no deployment file ${file} (deploy first, or give --deployment FILE)`);
    }
    let parsed: { chainId?: unknown; contracts?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new CliError(`deployment file ${file} is not JSON`);
    }
    if (typeof parsed.chainId !== "number" || typeof parsed.contracts !== "object" || parsed.contracts === null) {
      throw new CliError(`${file} is not a deployment file (no chainId or contracts)`);
    }
    return {
      file,
      chainId: parsed.chainId,
      contracts: parsed.contracts as Record<string, { address: string; blockNumber?: number }>,
    };
  }

  registryAddress(name: RegistryName): { address: string; chainId: number; fromBlock: number } {
    const deployment = this.deployment();
    const entry = deployment.contracts[name];
    if (!entry || typeof entry.address !== "string" || !isAddress(entry.address)) {
      throw new CliError(`${deployment.file} has no ${name}`);
    }
    return { address: getAddress(entry.address), chainId: deployment.chainId, fromBlock: entry.blockNumber ?? 0 };
  }

  /** Opens the provider and checks that it serves `chainId` and that `address` holds code. */
  async connect(chainId: number, address: string): Promise<Provider> {
    const url = this.options.rpc ?? DEFAULT_RPC;
    if (this.io.connect) this.provider = this.io.connect(url);
    else {
      this.owned = new JsonRpcProvider(url, undefined, { staticNetwork: true });
      this.provider = this.owned;
    }
    let actual: bigint;
    try {
      actual = (await this.provider.getNetwork()).chainId;
    } catch {
      throw new CliError(`cannot reach a JSON-RPC node at ${url}`);
    }
    if (actual !== BigInt(chainId)) {
      throw new CliError(`the node at ${url} serves chain id ${actual}, the deployment is for chain id ${chainId}`);
    }
    if ((await this.provider.getCode(address)) === "0x") {
      throw new CliError(`no contract at ${address} on chain id ${chainId} (restarted node? deploy again)`);
    }
    return this.provider;
  }

  /** The ActorRegistry of `registry`, and the block its events start from. */
  async actorRegistry(registry: Contract): Promise<{ actors: IActorRegistry; fromBlock: number }> {
    const actors = factories().IActorRegistry__factory.connect(
      (await registry.actorRegistry()) as string,
      this.provider,
    );
    return { actors, fromBlock: this.deployment().contracts.ActorRegistry?.blockNumber ?? 0 };
  }

  close(): void {
    this.owned?.destroy();
  }
}

/**
 * The registries' TypeChain factories, loaded by the commands that reach a chain: `--help` and the offline
 * checks start without them, and work in a fresh clone before `hardhat compile` has written typechain-types/.
 */
function factories(): typeof import("../../typechain-types") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("../../typechain-types") as typeof import("../../typechain-types");
}

function registryContract(name: RegistryName, address: string, runner: Provider | Wallet): Contract {
  return new Contract(address, factories()[`${name}__factory`].abi, runner);
}

async function latestTimestamp(provider: Provider): Promise<bigint> {
  const block = await provider.getBlock("latest");
  if (!block) throw new CliError("the node returned no latest block");
  return BigInt(block.timestamp);
}

async function domainOf(registry: Contract): Promise<TypedDataDomain> {
  const [, name, version, chainId, verifyingContract] = (await registry.eip712Domain()) as [
    string,
    string,
    string,
    bigint,
    string,
  ];
  return { name, version, chainId, verifyingContract };
}

/** JSON text with bigints as decimal strings. */
function toJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
}

function isoDate(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/** Reads and maps a credential file; the raw text is kept for the store. */
function readCredentialFile(session: Session, file: string): { text: string; mapped: MappedCredential } {
  const resolved = session.resolve(file);
  let text: string;
  try {
    text = readFileSync(resolved, "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
  }
  return { text, mapped: mapCredential(parseJson(text.replace(/^\uFEFF/, ""), file), vocabularySchemas()) };
}

function requireAddress(value: string | undefined, flag: string, command: string): string {
  if (value === undefined) throw new CliError(`${command} needs ${flag} 0x.. (the actor address)`);
  if (/^0x[0-9a-fA-F]{40}$/.test(value) && !isAddress(value)) {
    // Mixed case that fails EIP-55 (all-lower-case is always accepted); isAddress narrows `value` to never here.
    const checksummed = getAddress(`0x${String(value).slice(2).toLowerCase()}`);
    throw new CliError(
      `${flag} ${value} has a wrong checksum (a mistyped character?); if it is the intended address, its checksummed form is ${checksummed}`,
    );
  }
  if (!isAddress(value)) throw new CliError(`${flag} ${JSON.stringify(value)} is not an address`);
  return getAddress(value);
}

function deadlineSeconds(option: string | undefined): bigint {
  if (option === undefined) return 3600n;
  if (!/^[1-9][0-9]{0,9}$/.test(option))
    throw new CliError(`--deadline ${JSON.stringify(option)} is not a positive number of seconds`);
  if (Number(option) > MAX_DEADLINE_SECONDS) {
    throw new CliError(`--deadline ${option} is more than the maximum ${MAX_DEADLINE_SECONDS} seconds (7 days)`);
  }
  return BigInt(option);
}

/** Throws unless the credential is valid at chain time `now`: not before its validFrom, not after its expiry. */
function requireValidNow(
  structs: { certificateNumber: string; expiresAt: bigint }[],
  issuedAt: bigint,
  now: bigint,
): void {
  for (const struct of structs) {
    if (issuedAt > now) {
      throw new CliError(
        `${struct.certificateNumber} is not valid before ${isoDate(issuedAt)} (its validFrom; chain time ${isoDate(now)}): submit it once it is valid`,
      );
    }
    if (struct.expiresAt !== 0n && struct.expiresAt <= now) {
      throw new CliError(
        `${struct.certificateNumber} expired at ${isoDate(struct.expiresAt)} (chain time ${isoDate(now)}); the registry takes no expired record`,
      );
    }
  }
}

/** Prints the records the transaction issued, as its events report them (not as any input claims). */
function printIssued(io: CliIo, registry: Contract, name: RegistryName, receipt: TransactionReceipt): void {
  for (const [recordId, certificateNumber] of issuedInReceipt(registry, name, receipt)) {
    io.stdout(`anchored ${recordId} ${certificateNumber}\n`);
  }
}

// ---------------------------------------------------------------- submit

/** The registry structs of the credential's records, with the parties the options give (for kinds that name any). */
function structsOf(options: Options, kind: DocumentKind, records: MappedRecord[]): DocumentStruct[] {
  const command = `${kind.word} submit`;
  const parties = () => ({
    exporter: requireAddress(options.exporter, "--exporter", command),
    importer: requireAddress(options.importer, "--importer", command),
    exportDate: options["export-date"],
  });
  return records.map((record) => kind.toStruct(record, { uri: options.uri ?? "", parties }));
}

async function submit(session: Session, kind: DocumentKind, file: string): Promise<number> {
  const { options, io } = session;
  const { text, mapped } = readCredentialFile(session, file);
  if (mapped.registry !== kind.registry) {
    throw new CliError(`${file} is a ${mapped.type}: use \`${kindOfRegistry(mapped.registry).word} submit\``);
  }
  const structs = structsOf(options, kind, mapped.records);
  const validity = deadlineSeconds(options.deadline);
  const { address, chainId } = session.registryAddress(mapped.registry);
  const wallet = await loadWallet(
    { keystore: options.keystore, passwordFile: options["password-file"], cwd: io.cwd },
    io.env,
  );
  const provider = await session.connect(chainId, address);
  const signer = wallet.connect(provider);
  const registry = registryContract(mapped.registry, address, signer);

  const now = await latestTimestamp(provider);
  requireValidNow(structs, mapped.records[0].issuedAt, now);
  const { actors, fromBlock } = await session.actorRegistry(registry);
  await requireSignerIsIssuer(actors, wallet.address, mapped.records[0], fromBlock);
  for (const struct of structs) {
    for (const party of kind.parties) {
      await requirePartyRole(actors, partyAddress(struct, party), party.role, `--${party.field}`);
    }
  }
  // Record ids bind the content hash to the issuer: nobody else's anchor of the same hash is ours.
  const recordIds = structs.map((s) => recordIdOf(wallet.address, s.contentHash));
  for (const recordId of recordIds) {
    if ((await registry.recordOf(recordId)).status !== 0n) {
      throw new CliError(`record ${recordId} is already anchored (verify ${file} to see its state)`);
    }
  }

  const batch = structs.length > 1;
  const types = kind.eip712;
  let fn: string;
  let args: unknown[];
  let deadline: bigint | undefined;
  let signature: string | undefined;
  let nonce: bigint | undefined;
  const payloadArg = batch ? structs : structs[0];
  if (options.direct && options.out === undefined) {
    fn = batch ? "issueBatch" : "issue";
    args = [payloadArg];
  } else {
    nonce = (await registry.nonces(wallet.address)) as bigint;
    deadline = now + validity;
    const typed: Record<string, TypedDataField[]> = batch ? batchTypes(types) : issueTypes(types);
    const value = { [batch ? types.batch : types.single]: payloadArg, nonce, deadline };
    signature = await wallet.signTypedData(await domainOf(registry), typed, value);
    fn = batch ? "issueBatchBySig" : "issueBySig";
    args = [payloadArg, wallet.address, deadline, signature];
  }
  const store = storeDir(options.store, io.env, io.cwd);

  if (options.out !== undefined) {
    const payload = {
      format: PAYLOAD_FORMAT,
      registryName: mapped.registry,
      registry: address,
      chainId,
      function: fn,
      args,
      signer: wallet.address,
      nonce,
      deadline,
      signature,
      credentialHash: mapped.credentialHash,
      recordIds,
    };
    writeFileSync(session.resolve(options.out), toJson(payload));
    storeCredential(store, text, mapped.credentialHash, recordIds);
    io.stdout(
      `signed ${fn} for ${recordIds.length} record(s) by ${wallet.address}, valid until ${isoDate(deadline!)}: ${options.out}\n`,
    );
    return EXIT_OK;
  }

  const method = registry.getFunction(fn);
  try {
    await method.staticCall(...args);
  } catch (error) {
    throw new CliError(`${mapped.registry} would refuse ${fn}: ${describeChainError(error)}`);
  }
  const tx = await method.send(...args);
  const receipt = await tx.wait();
  if (!receipt || receipt.status !== 1) throw new CliError(`transaction ${tx.hash} failed`);
  storeCredential(store, text, mapped.credentialHash, recordIds);
  printIssued(io, registry, mapped.registry, receipt);
  io.stdout(`${fn} in ${mapped.registry} ${address}, transaction ${tx.hash} (block ${receipt.blockNumber})\n`);
  return EXIT_OK;
}

// ---------------------------------------------------------------- relay

interface SignedPayload {
  format: string;
  registryName: RegistryName;
  registry: string;
  chainId: number;
  function: "issueBySig" | "issueBatchBySig";
  args: [unknown, string, string, string];
  signer: string;
  deadline: string;
  signature: string;
  recordIds?: string[];
}

function readPayload(session: Session, file: string): SignedPayload {
  let text: string;
  try {
    text = readFileSync(session.resolve(file), "utf8");
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
  }
  const p = parseJson(text, file) as unknown as SignedPayload;
  const bad = (what: string): never => {
    throw new CliError(`${file} is not a signed payload: ${what}`);
  };
  if (typeof p !== "object" || p === null || Array.isArray(p)) bad("not a JSON object");
  if (p.format !== PAYLOAD_FORMAT) bad(`format is not ${PAYLOAD_FORMAT}`);
  if (!isRegistryName(p.registryName)) bad("unknown registryName");
  if (typeof p.registry !== "string" || !isAddress(p.registry)) bad("registry is not an address");
  if (!Number.isSafeInteger(p.chainId)) bad("chainId is not a number");
  if (p.function !== "issueBySig" && p.function !== "issueBatchBySig")
    bad("function is not issueBySig or issueBatchBySig");
  if (typeof p.signer !== "string" || !isAddress(p.signer)) bad("signer is not an address");
  if (typeof p.deadline !== "string" || !/^[0-9]+$/.test(p.deadline)) bad("deadline is not a decimal string");
  if (typeof p.signature !== "string" || !isHexString(p.signature)) bad("signature is not hex");
  if (!Array.isArray(p.args) || p.args.length !== 4) bad("args is not [payload, signer, deadline, signature]");
  const [, signer, deadline, signature] = p.args;
  if (signer !== p.signer || String(deadline) !== p.deadline || signature !== p.signature) {
    bad("args disagree with signer, deadline or signature");
  }
  if (p.function === "issueBatchBySig" && !Array.isArray(p.args[0])) bad("issueBatchBySig needs a list of records");
  return p;
}

async function relay(session: Session, file: string): Promise<number> {
  const { options, io } = session;
  const payload = readPayload(session, file);
  const { address, chainId } = session.registryAddress(payload.registryName);
  if (getAddress(payload.registry) !== address) {
    throw new CliError(`the payload is for ${payload.registryName} ${payload.registry}, the deployment has ${address}`);
  }
  if (payload.chainId !== chainId) {
    throw new CliError(`the payload is for chain id ${payload.chainId}, the deployment is for chain id ${chainId}`);
  }
  const wallet = await loadWallet(
    { keystore: options.keystore, passwordFile: options["password-file"], cwd: io.cwd },
    io.env,
  );
  const provider = await session.connect(chainId, address);
  const registry = registryContract(payload.registryName, address, wallet.connect(provider));
  const now = await latestTimestamp(provider);
  if (BigInt(payload.deadline) < now) {
    throw new CliError(`the signature expired at ${isoDate(BigInt(payload.deadline))} (chain time ${isoDate(now)})`);
  }
  // An EOA's signature can be checked here; a contract wallet's (ERC-1271) only by the registry.
  if ((await provider.getCode(payload.signer)) === "0x") {
    // ethers also reads 64-byte (EIP-2098) signatures; the registries (OpenZeppelin ECDSA) take only 65 bytes.
    const length = (payload.signature.length - 2) / 2;
    if (length !== 65) {
      throw new CliError(`the payload's signature is ${length} bytes; an account (EOA) signature is 65 bytes`);
    }
    const types = kindOfRegistry(payload.registryName).eip712;
    const batch = payload.function === "issueBatchBySig";
    const nonce = (await registry.nonces(payload.signer)) as bigint;
    const value = { [batch ? types.batch : types.single]: payload.args[0], nonce, deadline: payload.deadline };
    let recovered: string;
    try {
      recovered = verifyTypedData(
        await domainOf(registry),
        batch ? batchTypes(types) : issueTypes(types),
        value,
        payload.signature,
      );
    } catch (error) {
      throw new CliError(`the payload does not hold a valid signature: ${describeChainError(error)}`);
    }
    if (recovered !== getAddress(payload.signer)) {
      throw new CliError(
        `the signature is not ${payload.signer}'s for nonce ${nonce} (already relayed, or the payload was changed)`,
      );
    }
  }
  const method = registry.getFunction(payload.function);
  try {
    await method.staticCall(...payload.args);
  } catch (error) {
    throw new CliError(`${payload.registryName} would refuse ${payload.function}: ${describeChainError(error)}`);
  }
  const tx = await method.send(...payload.args);
  const receipt = await tx.wait();
  if (!receipt || receipt.status !== 1) throw new CliError(`transaction ${tx.hash} failed`);
  printIssued(io, registry, payload.registryName, receipt);
  io.stdout(
    `relayed ${payload.function} for ${payload.signer} from ${wallet.address}, transaction ${tx.hash} (block ${receipt.blockNumber})\n`,
  );
  return EXIT_OK;
}

// ---------------------------------------------------------------- verify

interface OnChainRecord {
  issuer: string;
  expiresAt: bigint;
  status: bigint;
  successor: string;
}

/** When a record is not anchored: the anchored record with the same certificate number, if any. */
async function findByCertificateNumber(
  context: ChainContext,
  certificateNumber: string,
): Promise<{ recordId: string; issuer: string } | undefined> {
  const documentArg = kindOfRegistry(context.name).eip712.single;
  for (const args of await issuedEvents(context)) {
    const document = args[documentArg] as { certificateNumber: string };
    if (document.certificateNumber === certificateNumber) {
      return { recordId: args.recordId as string, issuer: args.issuer as string };
    }
  }
  return undefined;
}

/** The DID documents given with --did-document, as a resolver (did:key and did:jwk resolve without one). */
function didDocuments(session: Session, proofs: Proofs): DidResolver {
  const documents = (session.options["did-document"] ?? []).map((file) => {
    let text: string;
    try {
      text = readFileSync(session.resolve(file), "utf8");
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
    }
    const document = parseJson(text.replace(/^\uFEFF/, ""), file) as { id?: unknown };
    if (typeof document !== "object" || document === null || typeof document.id !== "string") {
      throw new CliError(`${file} is not a DID document (no "id")`);
    }
    return document as DidDocument;
  });
  return proofs.staticDidResolver(documents);
}

/** Reads a credential for verify: JSON, or a VC-JOSE compact JWS (verified with its proof). */
function readVerifiable(session: Session, file: string, proofs: Proofs, checks: Checks): object | string {
  let text: string;
  try {
    text = readFileSync(session.resolve(file), "utf8").replace(/^\uFEFF/, "");
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
  }
  if (!checks.isCompactJws(text)) return parseJson(text, file) as object;
  try {
    proofs.decodeVcJwt(text.trim());
  } catch (error) {
    throw new CliError(`${file}: ${messageOf(error)}`);
  }
  return text.trim();
}

/** The line verify prints for one record, from the three checks of verify.ts. */
function recordLine(checked: RecordVerification, record: MappedRecord, certificateNumber: string): string {
  const { anchor, integrity, issuer, status } = checked;
  if (anchor === undefined) {
    return `${checked.contentHash} AMBIGUOUS: ${issuer.detail}; give --issuer with the address of the actor the credential is from\n`;
  }
  const id = anchor.recordId;
  if (!issuer.ok) return `${id} MISMATCH: ${issuer.detail} (certificate ${certificateNumber})\n`;
  if (!integrity.ok) return `${id} MISMATCH: ${integrity.detail} (certificate ${certificateNumber})\n`;
  const role = status.standing ? ` (${status.standing.active ? "active" : "not active"} ${status.standing.role})` : "";
  const expiry = anchor.expiresAt === 0n ? "no expiry" : `expires ${isoDate(anchor.expiresAt)}`;
  const facts = `certificate ${certificateNumber}, issued by ${anchor.issuer}${role} as ${record.issuerDid}, ${anchor.status}, ${expiry}`;
  return status.ok ? `${id} VALID: ${facts}\n` : `${id} INVALID (${status.problems.join("; ")}): ${facts}\n`;
}

function proofLine(result: CredentialVerification): string {
  const { proof, format } = result;
  if (proof === undefined) return "";
  const kind = format === "vc-jwt" ? "VC-JOSE" : String((result.credential.proof as { type?: unknown }).type);
  return proof.verified
    ? `proof: ${kind} verified against the issuer's DID document\n`
    : `proof: ${kind} NOT VERIFIED: ${proof.errors.join("; ")}\n`;
}

async function verify(session: Session, file: string): Promise<number> {
  const { io, options } = session;
  const expectedIssuer =
    options.issuer === undefined ? undefined : requireAddress(options.issuer, "--issuer", "verify");
  const [proofs, checks] = await Promise.all([import("../../interop/proofs"), import("./verify")]);
  const input = readVerifiable(session, file, proofs, checks);
  const resolver = didDocuments(session, proofs);
  // Map first (bad input is an error before any chain access), then judge against the registry it maps to.
  const credential = typeof input === "string" ? proofs.decodeVcJwt(input).credential : input;
  const registryName = mapCredential(credential).registry;
  const { address, chainId, fromBlock } = session.registryAddress(registryName);
  const provider = await session.connect(chainId, address);
  const registry = registryContract(registryName, address, provider);
  const { actors, fromBlock: actorsFrom } = await session.actorRegistry(registry);
  const context: ChainContext = { registry, name: registryName, actors, fromBlock, actorsFrom };
  const result = await checks.verifyAnchoredCredential(input, chainLookup(context, expectedIssuer), {
    mapCredential: (vc) => mapCredential(vc),
    now: await latestTimestamp(provider),
    issuerAddress: expectedIssuer,
    resolver,
  });
  const { mapped } = result;
  const records = mapped.records as MappedRecord[];
  io.stdout(`${file}: ${mapped.type}, credential hash ${mapped.credentialHash}, ${records.length} record(s)\n`);
  io.stdout(proofLine(result));
  const kind = kindOfRegistry(mapped.registry);
  for (const [index, checked] of result.records.entries()) {
    const certificateNumber = kind.certificateNumber(records[index]);
    if (checked.status.state === "not anchored") {
      const other = await findByCertificateNumber(context, certificateNumber);
      const by = expectedIssuer === undefined ? "" : ` by ${expectedIssuer}`;
      io.stdout(
        other
          ? `${checked.contentHash} NOT ANCHORED${by}: mismatch, certificate ${certificateNumber} is anchored as ${other.recordId} by ${other.issuer}; this file differs from what was signed\n`
          : `${checked.contentHash} NOT ANCHORED${by}: no record with this hash (certificate ${certificateNumber})\n`,
      );
    } else io.stdout(recordLine(checked, records[index], certificateNumber));
  }
  const valid = result.records.filter((r) => r.valid).length;
  io.stdout(`${valid} of ${records.length} record(s) valid\n`);
  return result.valid ? EXIT_OK : EXIT_INVALID;
}

// ---------------------------------------------------------------- export

async function exportRecord(session: Session, id: string): Promise<number> {
  const { options, io } = session;
  if (!/^0x[0-9a-fA-F]{64}$/.test(id))
    throw new CliError(`${JSON.stringify(id)} is not a record id (0x + 64 hex digits)`);
  const stored = loadCredential(storeDir(options.store, io.env, io.cwd), id);
  const mapped = mapCredential(parseJson(stored.text.replace(/^\uFEFF/, ""), stored.file), vocabularySchemas());
  const { address, chainId } = session.registryAddress(mapped.registry);
  const provider = await session.connect(chainId, address);
  const registry = registryContract(mapped.registry, address, provider);
  const onChain = (await registry.recordOf(id)) as OnChainRecord;
  if (onChain.status === 0n) {
    throw new CliError(`record ${id} is not anchored in ${mapped.registry} ${address}`);
  }
  // The id binds the content hash to the issuer, so the file must yield it with the issuer the chain records.
  if (!findRecord(mapped, id, onChain.issuer)) {
    throw new CliError(`stored credential ${stored.file} does not yield record ${id} (issued by ${onChain.issuer})`);
  }
  if (options.out !== undefined) {
    writeFileSync(session.resolve(options.out), stored.text);
    io.stderr(`wrote ${mapped.type} ${mapped.credentialHash} to ${options.out}\n`);
  } else io.stdout(stored.text.endsWith("\n") ? stored.text : `${stored.text}\n`);
  return EXIT_OK;
}

// ---------------------------------------------------------------- main

async function run(session: Session, positionals: string[]): Promise<number> {
  const [command, ...rest] = positionals;
  const one = (usage: string): string => {
    if (rest.length !== 1) throw new CliError(`usage: ${usage} (see --help)`);
    return rest[0];
  };
  const kind = kindOfWord(command);
  if (kind !== undefined) {
    if (rest[0] !== "submit" || rest.length !== 2) throw new CliError(`usage: ${command} submit FILE (see --help)`);
    return submit(session, kind, rest[1]);
  }
  switch (command) {
    case "relay":
      return relay(session, one("relay FILE"));
    case "verify":
      return verify(session, one("verify FILE"));
    case "export":
      return exportRecord(session, one("export ID"));
    case "keystore":
      await keystoreCommand(session.io, session.options, rest);
      return EXIT_OK;
    case undefined:
      throw new CliError("no command (see --help)");
    default:
      throw new CliError(`unknown command ${JSON.stringify(command)} (see --help)`);
  }
}

/** Runs the tool on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let session: Session | undefined;
  try {
    const parsed = parseCommandLine(argv, OPTIONS);
    if (parsed.values.help || parsed.positionals[0] === "help") {
      io.stdout(HELP);
      return EXIT_OK;
    }
    session = new Session(parsed.values as Options, io);
    return await run(session, parsed.positionals);
  } catch (error) {
    io.stderr(failureLine(error, isUsersToFix, session?.options.rpc ?? DEFAULT_RPC));
    return EXIT_ERROR;
  } finally {
    session?.close();
  }
}

/** Errors the user can fix from their message alone: bad input or a refused command. */
function isUsersToFix(error: unknown): error is Error {
  return error instanceof CliError || error instanceof CredentialError;
}

if (require.main === module) {
  const io = { ...processIo(), prompt: process.stdin.isTTY ? terminalPrompt : undefined };
  runAsProcess((argv) => main(argv, io), EXIT_ERROR);
}
