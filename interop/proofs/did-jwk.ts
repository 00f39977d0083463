/** did:jwk (did-jwk method spec): the base64url of a public JWK's JSON; its one key is `#0`. */
import { InvalidDidError } from "./errors";
import { base64urlDecode, base64urlEncode, utf8 } from "./encoding";
import {
  SIGNING_RELATIONSHIPS,
  singleKeyDocument,
  type DidDocument,
  type VerificationRelationship,
} from "./did-document";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"];

/** The did:jwk of a public JWK (private members are dropped). */
export function didJwkFromJwk(jwk: JsonWebKey): string {
  const publicJwk = Object.fromEntries(Object.entries(jwk).filter(([name]) => !PRIVATE_MEMBERS.includes(name)));
  return `did:jwk:${base64urlEncode(JSON.stringify(publicJwk))}`;
}

function decodeJwk(did: string): JsonWebKey {
  const match = /^did:jwk:([A-Za-z0-9_-]+)$/.exec(did);
  if (!match) throw new InvalidDidError(did, "a did:jwk is did:jwk: followed by base64url characters");
  let jwk: unknown;
  try {
    jwk = JSON.parse(utf8.decode(base64urlDecode(match[1])));
  } catch {
    throw new InvalidDidError(did, "the method-specific id is not the base64url of a JSON object");
  }
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk) || typeof (jwk as JsonWebKey).kty !== "string") {
    throw new InvalidDidError(did, "the encoded JSON is not a JWK (no kty)");
  }
  if (PRIVATE_MEMBERS.some((name) => name in jwk))
    throw new InvalidDidError(did, "the JWK contains private key material");
  return jwk as JsonWebKey;
}

/** The DID document of a did:jwk; throws InvalidDidError when malformed. */
export function resolveDidJwk(did: string): DidDocument {
  const jwk = decodeJwk(did);
  const relationships: VerificationRelationship[] =
    jwk.use === "enc"
      ? ["keyAgreement"]
      : jwk.use === "sig"
        ? SIGNING_RELATIONSHIPS
        : [...SIGNING_RELATIONSHIPS, "keyAgreement"];
  return singleKeyDocument(
    did,
    { id: `${did}#0`, type: "JsonWebKey2020", controller: did, publicKeyJwk: jwk },
    relationships,
  );
}
