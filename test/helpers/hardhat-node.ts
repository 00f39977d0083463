/** The `hardhat node` child process lives with `npm start` (scripts/lib/hardhat-node.ts); tests use the same one. */
export { freePort, startHardhatNode, type HardhatNode } from "../../scripts/lib/hardhat-node";
