/** Issuing and verifying one credential, in any of the supported formats. */
import { createLdProof, verifyLdProof, type LdProofType } from "./ld-proof";
import { credentialShapeErrors, isObject, issuerIdOf, validityErrors } from "./credential-shape";
import { decodeVcJwt, issueVcJwt, verifyJwtSignature } from "./vc-jwt";
import { messageOf } from "./errors";
import { ProofError } from "./resolution";
import { ResultBuilder, type VerificationResult } from "./result";
import { didOf, type DidResolver } from "./did-document";
import type { SigningKey } from "./keys";

type JsonObject = Record<string, unknown>;

export type ProofFormat = "vc-jwt" | LdProofType;
export const PROOF_FORMATS: readonly ProofFormat[] = ["vc-jwt", "JsonWebSignature2020", "Ed25519Signature2018"];

export interface IssueOptions {
  format: ProofFormat;
  /** The proof's `created` for linked-data proofs (default: now). */
  created?: string;
}

/** Refuses to sign for someone else: the credential's issuer must be the DID of the signing key. */
function assertIssuerOwnsKey(credential: JsonObject, key: SigningKey): void {
  const issuer = issuerIdOf(credential);
  if (issuer !== didOf(key.id)) {
    throw new ProofError(`issuer ${String(issuer)} does not match the key's controller ${didOf(key.id)}`);
  }
}

/** The credential secured by `key`: a vc-jwt compact string, or the credential with a linked-data proof. */
export async function issueCredential(
  credential: object,
  key: SigningKey,
  opts: IssueOptions,
): Promise<object | string> {
  if (!isObject(credential)) throw new ProofError("a credential is a JSON object");
  if (!PROOF_FORMATS.includes(opts.format)) throw new ProofError(`unknown proof format ${String(opts.format)}`);
  const shape = credentialShapeErrors(credential);
  if (shape.length > 0) throw new ProofError(`cannot issue: ${shape.join("; ")}`);
  assertIssuerOwnsKey(credential, key);
  if (opts.format === "vc-jwt") return issueVcJwt(credential, key);
  return createLdProof(credential, key, { type: opts.format, proofPurpose: "assertionMethod", created: opts.created });
}

async function verifyJwtCredential(jwt: string, resolver: DidResolver, out: ResultBuilder, now: Date): Promise<void> {
  const decoded = decodeVcJwt(jwt);
  const credential = decoded.credential;
  const issuer = issuerIdOf(credential);
  const { iss, jti, nbf } = decoded.payload;
  if (iss !== undefined && iss !== issuer) {
    out.error(`JWT iss ${String(iss)} does not match the credential's issuer ${String(issuer)}`);
  }
  if (jti !== undefined && credential.id !== undefined && jti !== credential.id) {
    out.error(`JWT jti ${String(jti)} does not match the credential's id ${String(credential.id)}`);
  }
  if (typeof nbf === "number" && nbf * 1000 > now.getTime() + 60_000) {
    out.error(`the credential is not valid before ${new Date(nbf * 1000).toISOString()}`);
  }
  credentialShapeErrors(credential).forEach((message) => out.error(message));
  if (issuer?.startsWith("did:")) {
    out.check("proof");
    await verifyJwtSignature(jwt, decoded, resolver, issuer, "assertionMethod");
  }
  validityErrors(credential, now).forEach((message) => out.error(message));
}

async function verifyLdCredential(vc: JsonObject, resolver: DidResolver, out: ResultBuilder, now: Date): Promise<void> {
  const shape = credentialShapeErrors(vc);
  shape.forEach((message) => out.error(message));
  if (shape.length > 0) return;
  if (vc.proof === undefined) throw new ProofError("the credential has no proof");
  out.check("proof");
  await verifyLdProof(vc, resolver, { proofPurpose: "assertionMethod", controller: issuerIdOf(vc) });
  validityErrors(vc, now).forEach((message) => out.error(message));
}

/**
 * Verifies a credential (a vc-jwt compact string or a JSON-LD credential with an Ed25519Signature2018 /
 * JsonWebSignature2020 proof) against its issuer's DID document. Never throws: every failure is in `errors`.
 * Status (revocation) is not decided here: the caller checks credentialStatus.
 */
export async function verifyCredential(
  vc: object | string,
  resolver: DidResolver,
  opts: { now?: Date } = {},
): Promise<VerificationResult> {
  const out = new ResultBuilder();
  const now = opts.now ?? new Date();
  try {
    if (typeof vc === "string") await verifyJwtCredential(vc.trim(), resolver, out, now);
    else if (isObject(vc)) await verifyLdCredential(vc, resolver, out, now);
    else out.error("a credential is a JSON object or a VC-JOSE compact JWS");
  } catch (error) {
    out.error(messageOf(error));
  }
  return out.result();
}
