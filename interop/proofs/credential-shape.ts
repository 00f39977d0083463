/** Structural checks of a VC Data Model 1.1 / 2.0 credential or presentation, before any cryptography. */
import { CREDENTIALS_V1_URL, CREDENTIALS_V2_URL } from "../contexts";

type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** 1 or 2 by the base context (the first @context item), undefined when it is neither. */
export function dataModelOf(document: JsonObject): 1 | 2 | undefined {
  const context = document["@context"];
  const first = Array.isArray(context) ? context[0] : undefined;
  return first === CREDENTIALS_V1_URL ? 1 : first === CREDENTIALS_V2_URL ? 2 : undefined;
}

/** The issuer DID of a credential (`issuer` is a string or an object with an `id`), or undefined. */
export function issuerIdOf(credential: JsonObject): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === "string") return issuer;
  if (isObject(issuer) && typeof issuer.id === "string") return issuer.id;
  return undefined;
}

/** The holder DID of a presentation, or undefined. */
export function holderIdOf(presentation: JsonObject): string | undefined {
  const holder = presentation.holder;
  if (typeof holder === "string") return holder;
  if (isObject(holder) && typeof holder.id === "string") return holder.id;
  return undefined;
}

function typesOf(document: JsonObject): unknown[] {
  return Array.isArray(document.type) ? document.type : [document.type];
}

function isDateTime(value: unknown): boolean {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

function contextErrors(document: JsonObject): string[] {
  if (dataModelOf(document) === undefined) {
    return [`@context must be an array whose first item is ${CREDENTIALS_V1_URL} or ${CREDENTIALS_V2_URL}`];
  }
  return [];
}

function dateErrors(credential: JsonObject): string[] {
  const errors: string[] = [];
  if (dataModelOf(credential) === 1 && !isDateTime(credential.issuanceDate)) {
    errors.push("issuanceDate must be an XML Schema dateTime string");
  }
  for (const field of ["issuanceDate", "expirationDate", "validFrom", "validUntil"]) {
    if (credential[field] !== undefined && !isDateTime(credential[field])) {
      errors.push(`${field} must be an XML Schema dateTime string`);
    }
  }
  return [...new Set(errors)];
}

/** What is wrong with a credential's required members (VC Data Model §4), empty when nothing is. */
export function credentialShapeErrors(credential: JsonObject): string[] {
  const errors = contextErrors(credential);
  if (!typesOf(credential).includes("VerifiableCredential")) errors.push("type must include VerifiableCredential");
  const issuer = issuerIdOf(credential);
  if (!issuer) errors.push("issuer must be a DID or an object with an id");
  else if (!issuer.startsWith("did:")) errors.push(`issuer ${issuer} is not a DID`);
  errors.push(...dateErrors(credential));
  if (!isObject(credential.credentialSubject) && !Array.isArray(credential.credentialSubject)) {
    errors.push("credentialSubject must be an object");
  }
  return errors;
}

/** What is wrong with a presentation's required members (VC Data Model §4.10 / 1.1 §4.10). */
export function presentationShapeErrors(presentation: JsonObject): string[] {
  const errors = contextErrors(presentation);
  if (!typesOf(presentation).includes("VerifiablePresentation"))
    errors.push("type must include VerifiablePresentation");
  return errors;
}

/** Validity period errors at `now`: expired (expirationDate / validUntil) or not yet valid (validFrom). */
export function validityErrors(credential: JsonObject, now: Date): string[] {
  const errors: string[] = [];
  for (const field of ["expirationDate", "validUntil"]) {
    const until = typeof credential[field] === "string" ? Date.parse(credential[field] as string) : NaN;
    if (until < now.getTime()) errors.push(`the credential expired on ${credential[field]}`);
  }
  const from = typeof credential.validFrom === "string" ? Date.parse(credential.validFrom) : NaN;
  if (from > now.getTime()) errors.push(`the credential is not valid before ${credential.validFrom}`);
  return errors;
}

/** The verifiable credentials a presentation carries (objects or VC-JOSE compact strings). */
export function credentialsOf(presentation: JsonObject): unknown[] {
  const vcs = presentation.verifiableCredential;
  if (vcs === undefined) return [];
  return Array.isArray(vcs) ? vcs : [vcs];
}
