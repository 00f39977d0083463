/**
 * How the node hands verified credentials to the chain: the interface of `interop/anchor` (branch interop-anchor),
 * declared here so that the server is built and tested without a chain. The lead wires the real module at merge:
 * `{ anchorVerifiedCredential, watchRevocations }` from `interop/anchor/index.ts` satisfies it as it is;
 * `scripts/interop/chain.ts` connects it to a deployment. A credential with several records (a mill test report
 * with n inspections) names them all in `recordIds`, so that a revocation of any of them reaches the credential.
 */
export type AnchorOutcome = { recordId: string; txHash: string; recordIds?: string[] } | { refused: string };

export interface Anchoring {
  /** Turns a verified credential into its on-chain record, or says why not. */
  anchorVerifiedCredential(vc: object | string, ctx: { workflowInstance?: string }): Promise<AnchorOutcome>;
  /** Calls `onRevoked` with the record id of each record revoked on chain; returns the function that stops it. */
  watchRevocations(onRevoked: (recordId: string) => void): () => void;
  /** Lets go of the chain connection (called when the node closes). */
  close?(): void;
}

/** The credential types the node anchors when they arrive in a verified presentation. */
export const ANCHORED_TYPES = ["MillTestReportCredential", "CertificationOfOrigin"] as const;

/** No chain: nothing is anchored, and the answer says so (the node alone, and its tests). */
export const NO_ANCHORING: Anchoring = {
  anchorVerifiedCredential: () => Promise.resolve({ refused: "this node is not connected to a chain" }),
  watchRevocations: () => () => undefined,
};
