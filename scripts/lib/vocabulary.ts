/**
 * The business roles of `contracts/libraries/BusinessRoles.sol` as TypeScript knows them: the one home of their
 * bits and names (test/scripts/lib/vocabulary.test.ts holds them equal to the Solidity constants).
 */
import { ZeroHash, id } from "ethers";

/** Each business role's bit in a `uint32` role set, by its Solidity name. */
export const BUSINESS_ROLES = {
  MILL: 1 << 0,
  PROCESSOR: 1 << 1,
  EXPORTER: 1 << 2,
  IMPORTER: 1 << 3,
  CUSTOMS_BROKER: 1 << 4,
  CARRIER: 1 << 5,
  /** A certifier of origin, such as a chamber of commerce. */
  CERTIFIER: 1 << 6,
  LABORATORY: 1 << 7,
} as const;

export type BusinessRoleName = keyof typeof BUSINESS_ROLES;

/** Every defined role (`BusinessRoles.ALL`); any other bit is invalid. */
export const ALL_BUSINESS_ROLES = (1 << 8) - 1;

const NAMES = Object.keys(BUSINESS_ROLES) as BusinessRoleName[];

/**
 * The names of the roles in `mask`, lowest bit first; an undefined bit reads `bit N` so that a bad mask stays
 * visible instead of vanishing.
 */
export function roleNames(mask: number | bigint): string[] {
  const value = BigInt(mask);
  const names: string[] = [];
  for (let bit = 0n; value >> bit !== 0n; bit++) {
    if (((value >> bit) & 1n) === 0n) continue;
    const name = NAMES.find((n) => BigInt(BUSINESS_ROLES[n]) === 1n << bit);
    names.push(name ?? `bit ${bit}`);
  }
  return names;
}

/** `mask` for people: `MILL|EXPORTER`, or `none` for the empty set. */
export function formatRoles(mask: number | bigint): string {
  const names = roleNames(mask);
  return names.length === 0 ? "none" : names.join("|");
}

/**
 * The role set of `names` (`MILL`, `customs-broker`, `ALL`: case and `-`/`_` do not matter). Throws a one-line
 * error naming the known roles for an unknown name or an empty list.
 */
export function roleMask(names: readonly string[]): number {
  if (names.length === 0) throw new Error(`no role given: known roles are ${NAMES.join(", ")}`);
  let mask = 0;
  for (const raw of names) {
    const name = raw.trim().toUpperCase().replace(/-/g, "_");
    if (name === "ALL") mask |= ALL_BUSINESS_ROLES;
    else if (name in BUSINESS_ROLES) mask |= BUSINESS_ROLES[name as BusinessRoleName];
    else throw new Error(`unknown role ${JSON.stringify(raw)}: known roles are ${NAMES.join(", ")} (or ALL)`);
  }
  return mask;
}

/**
 * The AccessControl roles of the registries, by name; a role id is `keccak256(name)`, except DEFAULT_ADMIN_ROLE,
 * which is zero. ALLOCATOR_ROLE lives on the document registries, the others (CBP_ROLE, CBP's authority, included)
 * on every registry.
 */
export const GOVERNANCE_ROLES = [
  "DEFAULT_ADMIN_ROLE",
  "UPGRADER_ROLE",
  "PAUSER_ROLE",
  "CBP_ROLE",
  "ALLOCATOR_ROLE",
] as const;

export type GovernanceRoleName = (typeof GOVERNANCE_ROLES)[number];

/** The bytes32 id of a governance role. */
export function governanceRoleId(name: GovernanceRoleName): string {
  return name === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(name);
}

/** The name of a governance role id, or the id itself when it is none of them. */
export function governanceRoleName(roleId: string): string {
  return GOVERNANCE_ROLES.find((name) => governanceRoleId(name) === roleId.toLowerCase()) ?? roleId;
}

/**
 * Reason codes as the season, the CLIs and CBP write them: keccak256 of a short word. On chain only the hash is
 * kept; these are the words a page or report can show in its place.
 */
export const REASON_CODES = [
  "ADCVD",
  "EAPA",
  "UFLPA",
  "SECTION-232",
  "DOCS",
  "CF28",
  "EXAM",
  "CLEARED",
  "REFUSED",
  "SAILED",
  "BERTHED",
  "ISSUED-IN-ERROR",
  "SUPERSEDED",
  "FRAUD",
  "EXPIRED",
] as const;

/** The word behind a reason code hash, or null when it is none of REASON_CODES (or zero). */
export function reasonCodeName(code: string): string | null {
  const lower = code.toLowerCase();
  return REASON_CODES.find((word) => id(word) === lower) ?? null;
}
