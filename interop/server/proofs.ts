/**
 * What the node needs of the proofs library (`interop/proofs`, its own branch): the shared API of the brief, as an
 * interface so that the server takes it as a parameter (tests may pass a double) and the default is the library.
 */
import type * as ProofsLibrary from "../proofs";

// The library's own types (type-only: nothing is loaded until defaultProofSuite() is called).
import type { DidDocument, DidResolver, ProofFormat, SigningKey, VerificationResult } from "../proofs";
export type { DidDocument, DidResolver, ProofFormat, SigningKey, VerificationResult };

export interface ProofSuite {
  resolveDidKey(did: string): DidDocument;
  resolveDidJwk(did: string): DidDocument;
  issueCredential(
    credential: object,
    key: SigningKey,
    /** `created`: the proof's creation time (the suites ask for the one they give); default now. */
    opts: { format: ProofFormat; created?: string },
  ): Promise<object | string>;
  verifyCredential(vc: object | string, resolver: DidResolver): Promise<VerificationResult>;
  provePresentation(
    vp: object,
    key: SigningKey,
    opts: { format: ProofFormat; challenge?: string; domain?: string },
  ): Promise<object | string>;
  verifyPresentation(
    vp: object | string,
    resolver: DidResolver,
    opts?: { challenge?: string; domain?: string },
  ): Promise<VerificationResult>;
  decodeVcJwt(jwt: string): { header: object; payload: object; credential: object };
}

/**
 * The library itself, loaded on first use (jsonld is large: the CLI's other commands and the node's start do not
 * wait for it). The assignment type-checks the library against the interface above.
 */
export function defaultProofSuite(): ProofSuite {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose, see above
  const library = require("../proofs") as typeof ProofsLibrary;
  return library;
}
