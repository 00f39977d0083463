/** The admin tool's input checks: each bad value is refused with one line that says what is wrong. */
import { getAddress, isAddress, isHexString, parseEther } from "ethers";
import { CliError } from "../lib/cli";
import { roleMask } from "../lib/vocabulary";
import { messageOf } from "../../lib/errors";

/** The checksummed form of `value`, or a one-line error (with a hint when only the mixed-case checksum is off). */
export function parseAddress(value: string | undefined, what: string): string {
  if (value === undefined || value === "") throw new CliError(`${what} is missing (an address 0x + 40 hex digits)`);
  if (isAddress(value)) return getAddress(value);
  if (/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw new CliError(
      `${what} ${value} has a wrong mixed-case checksum (EIP-55): check it for a typo, or write it all lower-case`,
    );
  }
  throw new CliError(`${what} ${JSON.stringify(value)} is not an address (0x + 40 hex digits)`);
}

/** A business role set from `MILL,EXPORTER` (names of contracts/libraries/BusinessRoles.sol, any case). */
export function parseRoles(value: string | undefined): number {
  if (value === undefined) throw new CliError("--roles is missing (e.g. --roles MILL,EXPORTER)");
  try {
    return roleMask(value.split(/[,|\s]+/).filter((name) => name !== ""));
  } catch (error) {
    throw new CliError(messageOf(error));
  }
}

/** The governance roles the admin tool grants, and the registries that have each. */
export const GRANTABLE_ROLES = {
  CBP_ROLE: ["ActorRegistry", "MillTestReportRegistry", "CertificateOfOriginRegistry", "ShipmentRegistry"],
  PAUSER_ROLE: ["ActorRegistry", "MillTestReportRegistry", "CertificateOfOriginRegistry", "ShipmentRegistry"],
} as const;

export type GrantableRole = keyof typeof GRANTABLE_ROLES;

/** `CBP_ROLE` from `cbp`, `CBP` or `CBP_ROLE`. */
export function parseGrantableRole(value: string | undefined): GrantableRole {
  const known = Object.keys(GRANTABLE_ROLES).join(", ");
  if (value === undefined) throw new CliError(`no role given: one of ${known}`);
  const name = value.trim().toUpperCase().replace(/-/g, "_");
  const full = name.endsWith("_ROLE") ? name : `${name}_ROLE`;
  if (!(full in GRANTABLE_ROLES)) throw new CliError(`unknown role ${JSON.stringify(value)}: one of ${known}`);
  return full as GrantableRole;
}

/** Unix seconds from `YYYY-MM-DD` (midnight UTC) or an ISO date-time. */
export function parseDate(value: string, flag: string): bigint {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms)) {
    throw new CliError(`${flag} ${JSON.stringify(value)} is not a date (YYYY-MM-DD or an ISO date-time)`);
  }
  return BigInt(Math.floor(ms / 1000));
}

/** A positive whole number. */
export function parseCount(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new CliError(`${flag} ${JSON.stringify(value)} is not a positive whole number`);
  }
  return Number(value);
}

/** An amount of ether ("10", "0.5") as wei. */
export function parseEtherAmount(value: string): bigint {
  let wei: bigint;
  try {
    wei = parseEther(value);
  } catch {
    throw new CliError(`--amount ${JSON.stringify(value)} is not an amount of ether (e.g. 10 or 0.5)`);
  }
  if (wei <= 0n) throw new CliError(`--amount ${JSON.stringify(value)} must be more than zero`);
  return wei;
}

/** ISO 3166-1 alpha-2 code as `bytes2`. */
export function parseCountry(value: string | undefined): string {
  if (value === undefined) throw new CliError("--country is missing (ISO 3166-1 alpha-2, e.g. KR)");
  if (!/^[A-Za-z]{2}$/.test(value)) throw new CliError(`--country ${JSON.stringify(value)} is not two letters`);
  return `0x${Buffer.from(value.toUpperCase(), "latin1").toString("hex")}`;
}

/** A 32-byte id. */
export function parseBytes32(value: string, flag: string): string {
  if (!isHexString(value, 32)) throw new CliError(`${flag} ${JSON.stringify(value)} is not 0x + 64 hex digits`);
  return value.toLowerCase();
}
