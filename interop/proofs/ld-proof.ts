/**
 * Linked-data proofs with a detached JWS (Ed25519Signature2018, JsonWebSignature2020): the JWS payload, never
 * transmitted, is SHA-256(URDNA2015(proof options)) ‖ SHA-256(URDNA2015(document without proof)), signed with
 * {"b64": false, "crit": ["b64"]} (RFC 7797).
 */
import { FlattenedSign, flattenedVerify } from "jose";
import { CREDENTIALS_V1_URL, ED25519_2018_V1_URL, JWS_2020_V1_URL } from "../contexts";
import { canonicalHash } from "./canonicalize";
import { concatBytes, base64urlDecode, utf8 } from "./encoding";
import { messageOf } from "./errors";
import { importPrivateKey, importPublicKey, type SigningKey } from "./keys";
import { ProofError, resolveKey } from "./resolution";
import { didOf, type DidResolver, type VerificationRelationship } from "./did-document";

export type LdProofType = "Ed25519Signature2018" | "JsonWebSignature2020";
export const LD_PROOF_TYPES: readonly LdProofType[] = ["Ed25519Signature2018", "JsonWebSignature2020"];

export interface LdProof {
  type: LdProofType;
  created: string;
  verificationMethod: string;
  proofPurpose: string;
  challenge?: string;
  domain?: string;
  jws: string;
  [k: string]: unknown;
}

export interface ProofOptions {
  type: LdProofType;
  proofPurpose: VerificationRelationship;
  challenge?: string;
  domain?: string;
  created?: string;
}

type JsonObject = Record<string, unknown>;

/** The bytes a detached JWS signs: SHA-256 of the canonical proof options, then of the canonical document. */
async function verifyData(document: JsonObject, proof: JsonObject): Promise<Uint8Array> {
  const { jws: _jws, proofValue: _proofValue, signatureValue: _signatureValue, ...options } = proof;
  const { proof: _proof, ...unsigned } = document;
  const [optionsHash, documentHash] = await Promise.all([
    canonicalHash({ "@context": document["@context"], ...options }),
    canonicalHash(unsigned),
  ]);
  return concatBytes(optionsHash, documentHash);
}

/**
 * The suite's terms must be defined by the document's contexts: JsonWebSignature2020 always needs its own context,
 * Ed25519Signature2018 only outside the 1.1 credentials context (which defines it). Added when missing.
 */
function withSuiteContext(document: JsonObject, type: LdProofType): JsonObject {
  const context = Array.isArray(document["@context"]) ? document["@context"] : [document["@context"]];
  const needed =
    type === "JsonWebSignature2020"
      ? JWS_2020_V1_URL
      : context[0] === CREDENTIALS_V1_URL
        ? undefined
        : ED25519_2018_V1_URL;
  if (!needed || context.includes(needed)) return document;
  return { ...document, "@context": [...context, needed] };
}

/** The document with a new linked-data proof by `key`. */
export async function createLdProof(document: JsonObject, key: SigningKey, options: ProofOptions): Promise<JsonObject> {
  const { cryptoKey, alg } = await importPrivateKey(key);
  if (options.type === "Ed25519Signature2018" && alg !== "EdDSA") {
    throw new ProofError("Ed25519Signature2018 needs an Ed25519 key");
  }
  const { proof: _previous, ...unsigned } = withSuiteContext(document, options.type);
  const proof: JsonObject = {
    type: options.type,
    created: options.created ?? new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    verificationMethod: key.id,
    proofPurpose: options.proofPurpose,
    ...(options.challenge !== undefined ? { challenge: options.challenge } : {}),
    ...(options.domain !== undefined ? { domain: options.domain } : {}),
  };
  const data = await verifyData(unsigned, proof);
  const jws = await new FlattenedSign(data).setProtectedHeader({ alg, b64: false, crit: ["b64"] }).sign(cryptoKey);
  return { ...unsigned, proof: { ...proof, jws: `${jws.protected}..${jws.signature}` } };
}

export interface LdExpectations {
  proofPurpose: VerificationRelationship;
  /** The DID that must control the key: the credential's issuer or the presentation's holder (if stated). */
  controller?: string;
  challenge?: string;
  domain?: string;
}

function checkProofShape(proof: unknown): LdProof {
  if (typeof proof !== "object" || proof === null || Array.isArray(proof)) {
    throw new ProofError("the document has no proof object (a single proof is expected)");
  }
  const p = proof as JsonObject;
  if (!LD_PROOF_TYPES.includes(p.type as LdProofType)) {
    throw new ProofError(`proof type ${JSON.stringify(p.type)} is not supported (${LD_PROOF_TYPES.join(", ")})`);
  }
  for (const field of ["verificationMethod", "proofPurpose", "jws", "created"]) {
    if (typeof p[field] !== "string") throw new ProofError(`proof.${field} must be a string`);
  }
  return p as LdProof;
}

function checkPurposeAndBinding(proof: LdProof, expected: LdExpectations): void {
  if (proof.proofPurpose !== expected.proofPurpose) {
    throw new ProofError(`proof purpose is ${proof.proofPurpose}, expected ${expected.proofPurpose}`);
  }
  if (expected.challenge !== undefined && proof.challenge !== expected.challenge) {
    throw new ProofError(`proof challenge ${JSON.stringify(proof.challenge)} does not match the expected challenge`);
  }
  if (expected.domain !== undefined && proof.domain !== expected.domain) {
    throw new ProofError(
      `proof domain ${JSON.stringify(proof.domain)} does not match the expected domain ${expected.domain}`,
    );
  }
}

function splitDetachedJws(jws: string): { protectedHeader: string; signature: string } {
  const match = /^([A-Za-z0-9_-]+)\.\.([A-Za-z0-9_-]+)$/.exec(jws);
  if (!match) throw new ProofError("proof.jws is not a detached JWS (header..signature)");
  let header: JsonObject;
  try {
    header = JSON.parse(utf8.decode(base64urlDecode(match[1])));
  } catch {
    throw new ProofError("proof.jws has a header that is not base64url JSON");
  }
  if (header.b64 !== false || !Array.isArray(header.crit) || !header.crit.includes("b64")) {
    throw new ProofError('proof.jws header must be unencoded-payload ({"b64": false, "crit": ["b64"]})');
  }
  return { protectedHeader: match[1], signature: match[2] };
}

/** Verifies the document's linked-data proof; throws ProofError explaining the first thing that does not hold. */
export async function verifyLdProof(
  document: JsonObject,
  resolver: DidResolver,
  expected: LdExpectations,
): Promise<LdProof> {
  const proof = checkProofShape(document.proof);
  checkPurposeAndBinding(proof, expected);
  const { protectedHeader, signature } = splitDetachedJws(proof.jws);
  const controller = expected.controller ?? didOf(proof.verificationMethod);
  const key = await resolveKey(resolver, proof.verificationMethod, expected.proofPurpose, controller);
  if (proof.type === "Ed25519Signature2018" && key.alg !== "EdDSA") {
    throw new ProofError(`Ed25519Signature2018 proof made with a ${key.jwk.crv} key`);
  }
  const data = await verifyData(document, proof as unknown as JsonObject);
  const publicKey = await importPublicKey(key.jwk, key.alg);
  try {
    await flattenedVerify({ protected: protectedHeader, payload: data, signature }, publicKey, {
      algorithms: [key.alg],
      crit: { b64: true },
    });
  } catch (error) {
    const reason = messageOf(error);
    throw new ProofError(
      /signature verification failed/i.test(reason) ? "signature does not match" : `proof.jws: ${reason}`,
    );
  }
  return proof;
}
