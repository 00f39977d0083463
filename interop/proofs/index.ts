/**
 * interop/proofs: W3C Verifiable Credentials proofs for the trace-interop node, the credentials CLI and the web app.
 * No Node-only imports: WebCrypto (through jose) and jsonld over the contexts bundled in interop/contexts.
 */
export type { DidDocument, DidResolver, VerificationMethod, VerificationRelationship } from "./did-document";
export { findVerificationMethod, hasRelationship, didOf } from "./did-document";
export { resolveDidKey, didKeyFromJwk, multibaseFromJwk } from "./did-key";
export { resolveDidJwk, didJwkFromJwk } from "./did-jwk";
export { localDidResolver, ProofError } from "./resolution";
export type { VerificationResult } from "./result";
export type { SigningKey } from "./keys";
export { publicJwkOf } from "./keys";
export { InvalidDidError, UnknownContextError, UnsupportedKeyError } from "./errors";
export { issueCredential, verifyCredential, PROOF_FORMATS, type ProofFormat } from "./credential";
export { provePresentation, verifyPresentation } from "./presentation";
export { decodeVcJwt, type DecodedVcJwt } from "./vc-jwt";
export { bundledDocumentLoader } from "./document-loader";
export { canonicalize } from "./canonicalize";
export { generateSigningKey, type GeneratedKey } from "./generate";
export { didWebUrl, didWebResolver, staticDidResolver, chainResolvers, type FetchLike } from "./did-web";
