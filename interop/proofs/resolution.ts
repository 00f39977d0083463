/** From a DID URL to a usable public key, checking the relationship and the controller the proof claims. */
import { InvalidDidError, messageOf } from "./errors";
import { resolveDidJwk } from "./did-jwk";
import { resolveDidKey } from "./did-key";
import {
  didOf,
  findVerificationMethod,
  hasRelationship,
  type DidDocument,
  type DidResolver,
  type VerificationMethod,
  type VerificationRelationship,
} from "./did-document";
import { algorithmFor, publicJwkOf, type JwsAlgorithm } from "./keys";

/** A proof that does not hold; its message goes into VerificationResult.errors. */
export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProofError";
  }
}

/** Resolves did:key and did:jwk locally (they are self-describing) and everything else through `fallback`. */
export function localDidResolver(fallback?: DidResolver): DidResolver {
  return {
    async resolve(did: string): Promise<DidDocument | undefined> {
      if (did.startsWith("did:key:")) return resolveDidKey(did);
      if (did.startsWith("did:jwk:")) return resolveDidJwk(did);
      return fallback?.resolve(did);
    },
  };
}

async function resolveOrExplain(resolver: DidResolver, did: string): Promise<DidDocument> {
  let document: DidDocument | undefined;
  try {
    document = await localDidResolver(resolver).resolve(did);
  } catch (error) {
    throw new ProofError(
      error instanceof InvalidDidError ? error.message : `DID ${did} could not be resolved: ${messageOf(error)}`,
    );
  }
  if (!document) throw new ProofError(`DID ${did} could not be resolved`);
  if (document.id !== did) throw new ProofError(`the DID document resolved for ${did} has the id ${document.id}`);
  return document;
}

const ROLE_OF: Record<VerificationRelationship, string> = {
  assertionMethod: "issuer",
  authentication: "holder",
  keyAgreement: "party",
  capabilityInvocation: "invoker",
  capabilityDelegation: "delegator",
};

export interface ResolvedKey {
  method: VerificationMethod;
  jwk: JsonWebKey;
  alg: JwsAlgorithm;
}

/**
 * The key of `methodId`, after checking that its DID document lists it under `relationship` and that its controller
 * is `expectedController` (the credential's issuer, the presentation's holder) when one is given.
 */
export async function resolveKey(
  resolver: DidResolver,
  methodId: string,
  relationship: VerificationRelationship,
  expectedController?: string,
): Promise<ResolvedKey> {
  if (!methodId.startsWith("did:")) throw new ProofError(`verification method ${methodId} is not a DID URL`);
  const did = didOf(methodId);
  const document = await resolveOrExplain(resolver, did);
  const method = findVerificationMethod(document, methodId);
  if (!method) throw new ProofError(`verification method ${methodId} is not in the DID document of ${did}`);
  const role = ROLE_OF[relationship];
  if (!hasRelationship(document, methodId, relationship)) {
    throw new ProofError(`verification method ${methodId} is not in the ${role}'s ${relationship}`);
  }
  if (expectedController !== undefined && method.controller !== expectedController) {
    throw new ProofError(`${role} ${expectedController} does not match the key's controller ${method.controller}`);
  }
  try {
    const jwk = publicJwkOf(method);
    return { method, jwk, alg: algorithmFor(jwk) };
  } catch (error) {
    throw new ProofError(messageOf(error));
  }
}
