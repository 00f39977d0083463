/** What every route of the node works with, built once by `createInteropNode`. */
import type { Anchoring } from "./anchoring";
import type { NodeIdentity } from "./identity";
import type { ProofSuite } from "./proofs";
import type { NodeResolver } from "./resolver";
import type { StatusLists } from "./status";
import type { NodeStore } from "./store";

export interface NodeContext {
  identity: NodeIdentity;
  store: NodeStore;
  resolver: NodeResolver;
  status: StatusLists;
  anchoring: Anchoring;
  /** The proofs library, loaded on first use. */
  proofs(): ProofSuite;
}
