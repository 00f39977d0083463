/** Business role bits, as in contracts/libraries/BusinessRoles.sol. */
export const Roles = {
  MILL: 1 << 0,
  PROCESSOR: 1 << 1,
  EXPORTER: 1 << 2,
  IMPORTER: 1 << 3,
  CUSTOMS_BROKER: 1 << 4,
  CARRIER: 1 << 5,
  CERTIFIER: 1 << 6,
  LABORATORY: 1 << 7,
} as const;
