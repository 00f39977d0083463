// The business roles of contracts/libraries/BusinessRoles.sol as the mappings know them: each role's bit in a
// uint32 role set, and ROLE_NAMES[i] naming bit i. test/subgraph/roles.test.ts holds both equal to
// scripts/lib/vocabulary.ts (itself checked against the Solidity library).
export const MILL: i32 = 1 << 0;
export const PROCESSOR: i32 = 1 << 1;
export const EXPORTER: i32 = 1 << 2;
export const IMPORTER: i32 = 1 << 3;
export const CUSTOMS_BROKER: i32 = 1 << 4;
export const CARRIER: i32 = 1 << 5;
export const CERTIFIER: i32 = 1 << 6;
export const LABORATORY: i32 = 1 << 7;

/** ROLE_NAMES[i] is the name of bit i. */
export const ROLE_NAMES: Array<string> = [
  "MILL",
  "PROCESSOR",
  "EXPORTER",
  "IMPORTER",
  "CUSTOMS_BROKER",
  "CARRIER",
  "CERTIFIER",
  "LABORATORY",
];

/** The names of the bits set in a BusinessRoles set, lowest bit first. */
export function roleNames(roles: i32): Array<string> {
  let out = new Array<string>();
  for (let i = 0; i < ROLE_NAMES.length; i++) if ((roles & (1 << i)) != 0) out.push(ROLE_NAMES[i]);
  return out;
}
