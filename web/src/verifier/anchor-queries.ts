/**
 * What the verifier asks the query API about a credential: the records anchoring a content hash in either
 * document registry (with the anchoring actor), and an actor by address. Plain data in, plain data out: the
 * checks themselves are scripts/credentials/verify.ts, shared with the CLI.
 */

const RECORD_FIELDS = `id contentHash certificateNumber status expiresAt issuedAt invalidatedAt
  successor { id certificateNumber }
  issuer { id did country roleNames trustedRoleNames suspended credentialRevoked credentialClearedAt validFrom validUntil }`;

export const ANCHORS_QUERY = `query Anchors($hash: Bytes!) {
  millTestReports(where: { contentHash: $hash }, first: 10) { ${RECORD_FIELDS} derived }
  certificateOfOrigins(where: { contentHash: $hash }, first: 10) { ${RECORD_FIELDS} }
}`;

export const ACTOR_BY_ADDRESS_QUERY = `query VerifierActor($id: ID!) {
  actor(id: $id) { id did country }
}`;

export const CHAIN_TIME_QUERY = `query ChainTime { _meta { block { number timestamp } } }`;

export interface AnchoredActor {
  id: string;
  did: string;
  country: string;
  credentialClearedAt: string | null;
  roleNames: string[];
  trustedRoleNames: string[];
  suspended: boolean;
  credentialRevoked: boolean;
  validFrom: string;
  validUntil: string;
}

export interface AnchoredRecord {
  id: string;
  contentHash: string;
  certificateNumber: string;
  status: "ACTIVE" | "REVOKED" | "SUPERSEDED";
  expiresAt: string;
  issuedAt: string;
  invalidatedAt: string | null;
  successor: { id: string; certificateNumber: string } | null;
  issuer: AnchoredActor;
  derived?: boolean;
}

export interface ActorAnswer {
  actor: { id: string; did: string; country: string } | null;
}

export interface ChainTimeAnswer {
  _meta: { block: { number: number; timestamp: number | null } } | null;
}

export interface AnchorsAnswer {
  millTestReports: AnchoredRecord[];
  certificateOfOrigins: AnchoredRecord[];
}

/** The queries the server answers without a token (web/server/public-lookup.ts), by their exact text. */
export const PUBLIC_QUERIES: readonly string[] = [ANCHORS_QUERY, ACTOR_BY_ADDRESS_QUERY, CHAIN_TIME_QUERY];
