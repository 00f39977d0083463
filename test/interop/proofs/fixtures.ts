/** Shared test data of the proofs tests: keys, a resolver over fixed DID documents, v1 credentials. */
import {
  generateSigningKey,
  localDidResolver,
  type DidDocument,
  type DidResolver,
  type GeneratedKey,
} from "../../../interop/proofs";

export const CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1";
export const TRACEABILITY_V1 = "https://w3id.org/traceability/v1";

/** A credential of the 1.1 data model issued by `issuer`, as the conformance suite's vectors look. */
export function v1Credential(issuer: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "@context": [CREDENTIALS_V1, TRACEABILITY_V1],
    id: "urn:uuid:07aa969e-b40d-4c1b-ab46-ded252003ded",
    type: ["VerifiableCredential"],
    issuer,
    issuanceDate: "2024-01-02T03:04:05Z",
    credentialSubject: { id: "did:example:123", name: "Heat 4711" },
    ...extra,
  };
}

/** A presentation of the 1.1 data model carrying `credentials`. */
export function v1Presentation(holder: string | undefined, credentials: unknown[]): Record<string, unknown> {
  return {
    "@context": [CREDENTIALS_V1],
    type: ["VerifiablePresentation"],
    ...(holder ? { holder } : {}),
    verifiableCredential: credentials,
  };
}

/** A resolver that knows the given documents (for did:web-like issuers) and resolves did:key/did:jwk itself. */
export function resolverOf(...documents: DidDocument[]): DidResolver {
  return localDidResolver({ resolve: async (did) => documents.find((doc) => doc.id === did) });
}

export interface Keys {
  p256: GeneratedKey;
  ed25519: GeneratedKey;
  p256Jwk: GeneratedKey;
  other: GeneratedKey;
}

export async function makeKeys(): Promise<Keys> {
  return {
    p256: await generateSigningKey("P-256"),
    ed25519: await generateSigningKey("Ed25519"),
    p256Jwk: await generateSigningKey("P-256", "jwk"),
    other: await generateSigningKey("P-256"),
  };
}

/** A did:web-style document whose one key (the given public JWK) is listed only under `relationships`. */
export function webDocument(did: string, jwk: JsonWebKey, relationships: string[], controller = did): DidDocument {
  const id = `${did}#key-1`;
  const document: DidDocument = {
    id,
    verificationMethod: [{ id, type: "JsonWebKey2020", controller, publicKeyJwk: jwk }],
  };
  document.id = did;
  for (const relationship of relationships) document[relationship] = ["#key-1"];
  return document;
}
