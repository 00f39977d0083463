/** Business role bits, as in contracts/libraries/BusinessRoles.sol (their one home is scripts/lib/vocabulary.ts). */
export { BUSINESS_ROLES as Roles } from "../../scripts/lib/vocabulary";
