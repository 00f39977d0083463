/**
 * One line for a failed chain call: what is wrong and what to do. Custom errors of the four registries are decoded
 * from their ABIs (role bitmasks and AccessControl role ids by name, times as dates), and the answers of a node
 * that ethers does not understand (Hardhat's "doesn't have enough funds", which ethers reports as "could not
 * coalesce error") or cannot get (no node at the URL) are recognised. Used by every command-line tool.
 */
import { Transaction } from "ethers";
import { describeRevert, errorsOf, type KnownError } from "./revert-reasons";

/** What the caller knows that the error may not say. */
export interface ChainErrorContext {
  /** The JSON-RPC URL the tool talked to. */
  rpcUrl?: string;
  /** The Hardhat network name, when the tool is run by `hardhat run --network NAME`. */
  network?: string;
}

let knownErrors: ReadonlyMap<string, KnownError> | undefined;

/**
 * Every custom error of the registries (and the OpenZeppelin bases they inherit) by 4-byte selector. Loaded on
 * the first failure, not at start-up: the tools start (and answer --help) before `hardhat compile` has written
 * typechain-types/.
 */
function errorsBySelector(): ReadonlyMap<string, KnownError> {
  if (knownErrors) return knownErrors;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const types = require("../../typechain-types") as typeof import("../../typechain-types");
  const { ActorRegistry__factory, CertificateOfOriginRegistry__factory, MillTestReportRegistry__factory } = types;
  knownErrors = errorsOf([
    ActorRegistry__factory.abi,
    CertificateOfOriginRegistry__factory.abi,
    MillTestReportRegistry__factory.abi,
    types.ShipmentRegistry__factory.abi,
  ]);
  return knownErrors;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The error and every error nested in it (ethers wraps the node's answer in `error`, `info.error`, `cause`). */
function chain(error: unknown): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (!isRecord(value) || depth > 5 || seen.includes(value)) return;
    seen.push(value);
    for (const key of ["error", "info", "cause", "data"]) visit(value[key], depth + 1);
  };
  visit(error, 0);
  return seen;
}

/** Revert data somewhere in the error: a `data` hex string starting with a selector. */
function revertData(errors: Record<string, unknown>[]): string | undefined {
  for (const e of errors) {
    const data = e.data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data)) return data;
  }
  return undefined;
}

/** The sender of the transaction in the failed request, if the error carries it. */
function sender(errors: Record<string, unknown>[]): string | undefined {
  for (const e of errors) {
    const tx = e.transaction;
    if (isRecord(tx) && typeof tx.from === "string") return tx.from;
    const payload = e.payload;
    if (isRecord(payload) && Array.isArray(payload.params)) {
      const [first] = payload.params as unknown[];
      if (payload.method === "eth_sendRawTransaction" && typeof first === "string") {
        try {
          return Transaction.from(first).from ?? undefined;
        } catch {
          return undefined;
        }
      }
      if (isRecord(first) && typeof first.from === "string") return first.from;
    }
  }
  return undefined;
}

function messages(errors: Record<string, unknown>[]): string[] {
  return errors.flatMap((e) => [e.message, e.shortMessage, e.reason].filter((m): m is string => typeof m === "string"));
}

const NO_FUNDS = /doesn't have enough funds|insufficient funds|exceeds balance|balance is too low/i;
const UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|EAI_AGAIN|Cannot connect to the network|failed to detect network/i;

function noFunds(errors: Record<string, unknown>[]): string {
  const from = sender(errors);
  const account = from ? `account ${from}` : "the sending account";
  return (
    `${account} has no ether to pay for gas: fund it (on a devnet: npm run admin -- fund ${from ?? "ADDRESS"}), ` +
    "or go gasless: sign with npm run credentials -- <mtr|coo> submit FILE --out payload.json and let a funded " +
    "account send it with npm run credentials -- relay payload.json"
  );
}

function unreachable(context: ChainErrorContext): string {
  const where = context.rpcUrl ? `at ${context.rpcUrl}` : "at the configured RPC URL";
  if (context.network === "localhost") {
    return (
      `no JSON-RPC node answers ${where} (network localhost): start one with npx hardhat node --hostname ` +
      "127.0.0.1, or point LOCALHOST_RPC_URL at yours (LOCALHOST_RPC_URL=http://127.0.0.1:PORT npm run deploy -- " +
      "--network localhost), or choose another --network"
    );
  }
  if (context.network !== undefined) {
    return `no JSON-RPC node answers ${where} (network ${context.network}): start it, or choose another --network`;
  }
  return (
    `no JSON-RPC node answers ${where}: start one (npx hardhat node --hostname 127.0.0.1) or give --rpc URL ` +
    "(default: LOCALHOST_RPC_URL, else http://127.0.0.1:8545)"
  );
}

/**
 * One line for `error`: a decoded registry error with what to do, a known node answer with what to do, or the
 * first line of the error's own message.
 */
export function describeChainError(error: unknown, context: ChainErrorContext = {}): string {
  const errors = chain(error);
  const data = revertData(errors);
  const decoded = data === undefined ? undefined : describeRevert(data, errorsBySelector());
  if (decoded) return decoded;
  const text = messages(errors);
  const codes = errors.map((e) => e.code).filter((c) => typeof c === "string");
  if (codes.includes("INSUFFICIENT_FUNDS") || text.some((m) => NO_FUNDS.test(m))) return noFunds(errors);
  if (
    codes.some((c) => /^E[A-Z_]+$/.test(c as string) && UNREACHABLE.test(c as string)) ||
    errors.some((e) => e.number === 108) ||
    text.some((m) => UNREACHABLE.test(m))
  ) {
    return unreachable(context);
  }
  if (text.some((m) => /nonce too low|nonce has already been used/i.test(m))) {
    return "another transaction from this account took its nonce first: run the command again";
  }
  if (codes.includes("CALL_EXCEPTION")) {
    return "the call reverted without a reason: is the address a registry of this deployment (deployed again?)";
  }
  if (codes.includes("BAD_DATA") && text.some((m) => /could not decode result data/.test(m))) {
    return "no registry answers at the recorded address: is the deployments file for this chain? (deploy again)";
  }
  const first = text.find((m) => m.trim() !== "") ?? String(error);
  return first.split("\n")[0].trim();
}
