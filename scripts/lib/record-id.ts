/**
 * Record ids of the document registries (finding A5): a record is keyed by its issuer and the content hash of its
 * credential, `keccak256(abi.encode(issuer, contentHash))`, so that nobody but the issuer a credential names can
 * claim its hash. The registries expose the same function as `recordIdOf(issuer, contentHash)`.
 */
import { AbiCoder, keccak256, type BytesLike } from "ethers";

const abi = AbiCoder.defaultAbiCoder();

/** The record id under which `issuer` anchors the credential whose content hash is `contentHash`. */
export function recordIdOf(issuer: string, contentHash: BytesLike): string {
  return keccak256(abi.encode(["address", "bytes32"], [issuer, contentHash]));
}
