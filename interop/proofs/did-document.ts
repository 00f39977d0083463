/** DID documents, their verification methods and the resolver interface the rest of the library codes against. */
import { DID_V1_URL, ED25519_2018_V1_URL, JWS_2020_V1_URL } from "../contexts";

export interface DidDocument {
  id: string;
  [k: string]: unknown;
}

/** Resolves a DID to its document; undefined means the DID was not found. */
export interface DidResolver {
  resolve(did: string): Promise<DidDocument | undefined>;
}

export interface VerificationMethod {
  id: string;
  type: string;
  controller: string;
  publicKeyJwk?: JsonWebKey;
  publicKeyBase58?: string;
  publicKeyMultibase?: string;
}

/** The relationships a verification method can be listed in (DID Core §5.3). */
export type VerificationRelationship =
  "authentication" | "assertionMethod" | "keyAgreement" | "capabilityInvocation" | "capabilityDelegation";

export const SIGNING_RELATIONSHIPS: VerificationRelationship[] = [
  "authentication",
  "assertionMethod",
  "capabilityInvocation",
  "capabilityDelegation",
];

/** A DID document with one verification method listed under the given relationships. */
export function singleKeyDocument(
  did: string,
  method: VerificationMethod,
  relationships: VerificationRelationship[],
): DidDocument {
  const suiteContext = method.type === "JsonWebKey2020" ? JWS_2020_V1_URL : ED25519_2018_V1_URL;
  const document: DidDocument = { "@context": [DID_V1_URL, suiteContext], id: did, verificationMethod: [method] };
  for (const relationship of relationships) document[relationship] = [method.id];
  return document;
}

/** The DID of a DID URL: everything before the fragment, path or query. */
export function didOf(didUrl: string): string {
  return didUrl.split(/[#?/]/, 1)[0].replace(/;.*$/, "");
}

/** A possibly relative DID URL ("#key-1") made absolute against the document's DID. */
export function absoluteDidUrl(reference: string, did: string): string {
  return reference.startsWith("#") ? did + reference : reference;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every verification method a document defines, embedded ones in relationships included. */
function allMethods(document: DidDocument): Record<string, unknown>[] {
  const keys = ["verificationMethod", "publicKey", ...SIGNING_RELATIONSHIPS, "keyAgreement"];
  return keys.flatMap((key) => asArray(document[key])).filter(isRecord);
}

/** The verification method `methodId` of the document, or undefined. */
export function findVerificationMethod(document: DidDocument, methodId: string): VerificationMethod | undefined {
  const found = allMethods(document).find(
    (method) => typeof method.id === "string" && absoluteDidUrl(method.id, document.id) === methodId,
  );
  if (!found) return undefined;
  const controller = typeof found.controller === "string" ? found.controller : document.id;
  return { ...(found as unknown as VerificationMethod), id: methodId, controller };
}

/** Whether `methodId` is listed (by reference or embedded) under `relationship` in the document. */
export function hasRelationship(
  document: DidDocument,
  methodId: string,
  relationship: VerificationRelationship,
): boolean {
  return asArray(document[relationship]).some((entry) => {
    const id = typeof entry === "string" ? entry : isRecord(entry) ? entry.id : undefined;
    return typeof id === "string" && absoluteDidUrl(id, document.id) === methodId;
  });
}
