/**
 * Registry reverts in words: a custom error of the registries decoded from their ABIs (role bitmasks and
 * AccessControl role ids by name, times as dates) with what to do about the ones people meet while setting up.
 * Browser-safe (the web app shows the same words as the command-line tools): the ABIs are the caller's, from
 * TypeChain in Node (chain-errors.ts) or from the compiled artifacts in the web bundle.
 */
import { AbiCoder, ErrorFragment, Interface, type InterfaceAbi, type ParamType } from "ethers";
import { formatRoles, governanceRoleName } from "./vocabulary";

/** One custom error and the interface that decodes it. */
export interface KnownError {
  fragment: ErrorFragment;
  iface: Interface;
}

/** Every custom error of `abis`, by 4-byte selector. */
export function errorsOf(abis: readonly InterfaceAbi[]): ReadonlyMap<string, KnownError> {
  const map = new Map<string, KnownError>();
  for (const abi of abis) {
    const iface = new Interface(abi);
    iface.forEachError((fragment) => map.set(fragment.selector, { fragment, iface }));
  }
  return map;
}

const ERROR_STRING = "0x08c379a0";
const PANIC = "0x4e487b71";

function isoTime(seconds: bigint): string {
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(ms) || ms > 8.64e15) return String(seconds);
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** One decoded argument as people read it: roles by name, role ids by name, times as dates. */
function formatArg(param: ParamType, value: unknown): string {
  if (param.type === "uint32" && /^roles?$/i.test(param.name)) return formatRoles(value as bigint);
  if (param.type === "bytes32" && /role/i.test(param.name)) return governanceRoleName(String(value));
  if (param.type === "bytes2" && typeof value === "string") {
    const text = String.fromCharCode(...(value.slice(2).match(/../g) ?? []).map((h) => parseInt(h, 16)));
    return /^[\x20-\x7e]{2}$/.test(text) ? `${value} (${JSON.stringify(text)})` : value;
  }
  if (/^uint(64|256)$/.test(param.type) && /(valid|deadline|timestamp|expires|at$)/i.test(param.name)) {
    return isoTime(value as bigint);
  }
  return String(value);
}

/** What to do about the registry errors people meet while setting up; others are shown decoded. */
function advice(name: string, args: Record<string, string>): string | undefined {
  switch (name) {
    case "AccessControlUnauthorizedAccount":
      return args.neededRole === "DEFAULT_ADMIN_ROLE"
        ? `${args.account} lacks DEFAULT_ADMIN_ROLE on this registry: use the governance (admin) account's key`
        : `${args.account} lacks ${args.neededRole} on this registry: an admin grants it with ` +
            `npm run admin -- grant-role ${args.neededRole} ${args.account}`;
    case "IssuerNotTrusted":
      return (
        `issuer ${args.issuer} is not trusted for ${args.roles}: governance trusts it with npm run admin -- ` +
        `trust-issuer ${args.issuer} --roles ROLES (the full set: it replaces the earlier one; see show)`
      );
    case "ActorNotActive":
      return `${args.actor} is not an active actor for ${args.roles}: see npm run admin -- show ${args.actor}`;
    case "BrokerNotAuthorized":
      return (
        `importer ${args.importer} has not authorised broker ${args.broker}: the importer runs ` +
        `npm run admin -- authorize-broker ${args.broker}`
      );
    case "EnforcedPause":
      return "the registry is paused: an account with PAUSER_ROLE must unpause it";
    case "InvalidSignature":
      return `the signature is not ${args.signer}'s for this chain and registry (wrong key, chain or deployment?)`;
    case "SignatureExpired":
      return `the signature expired at ${args.deadline} (block time ${args.blockTimestamp}): sign again`;
    case "CredentialAlreadyUsed":
      return "this credential id was already submitted: sign a new credential with another id";
    case "InvalidValidity":
      return `the validity ${args.validFrom} .. ${args.validUntil} is empty or over: sign new dates`;
    default:
      return undefined;
  }
}

/**
 * `Name(arg, ...)` for revert `data`, followed by what to do when the error is one people meet while setting up;
 * undefined when the selector is none of `known`.
 */
export function describeRevert(data: string, known: ReadonlyMap<string, KnownError>): string | undefined {
  const selector = data.slice(0, 10).toLowerCase();
  if (selector === ERROR_STRING || selector === PANIC) {
    try {
      const [value] = AbiCoder.defaultAbiCoder().decode(
        [selector === PANIC ? "uint256" : "string"],
        `0x${data.slice(10)}`,
      );
      return selector === PANIC ? `the registry panicked (code ${String(value)})` : `reverted: ${String(value)}`;
    } catch {
      return undefined;
    }
  }
  const error = known.get(selector);
  if (!error) return undefined;
  let values;
  try {
    values = error.iface.decodeErrorResult(error.fragment, data);
  } catch {
    return `${error.fragment.name}(undecodable arguments)`;
  }
  const args: Record<string, string> = {};
  const shown = error.fragment.inputs.map((param, i) => {
    const text = formatArg(param, values[i]);
    args[param.name] = text;
    return text;
  });
  const call = `${error.fragment.name}(${shown.join(", ")})`;
  const hint = advice(error.fragment.name, args);
  return hint ? `${call}: ${hint}` : `${call}: the registry refused the call`;
}
