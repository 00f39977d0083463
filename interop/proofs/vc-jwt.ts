/**
 * VC-JOSE in the VC Data Model 1.1 "JWT encoding" (vc-jwt), as the Traceability Interoperability v1.0 report uses
 * it: a compact JWS with header {alg: ES256, typ: "JWT", kid: <DID URL>} and claims iss, jti, sub, nbf, exp and
 * `vc` (or `vp`, with aud/nonce for domain/challenge). Payloads that are the credential itself (VC-JOSE-COSE,
 * typ vc+ld+json+jwt) are read too.
 */
import { CompactSign, compactVerify } from "jose";
import { base64urlDecode, utf8 } from "./encoding";
import { messageOf } from "./errors";
import { dataModelOf, isObject, issuerIdOf, holderIdOf } from "./credential-shape";
import { importPrivateKey, importPublicKey, type JwsAlgorithm, type SigningKey } from "./keys";
import { ProofError, resolveKey } from "./resolution";
import { absoluteDidUrl, didOf, type DidResolver, type VerificationRelationship } from "./did-document";

type JsonObject = Record<string, unknown>;

export const VC_JWT_TYPES = ["JWT", "vc+ld+json+jwt", "vc+ld+jwt", "vc+jwt", "vp+ld+json+jwt", "vp+ld+jwt", "vp+jwt"];
const ALGORITHMS: JwsAlgorithm[] = ["ES256", "EdDSA"];

export interface DecodedVcJwt {
  header: JsonObject;
  payload: JsonObject;
  /** The credential (or presentation) the token carries, with the JWT claims folded back into it. */
  credential: JsonObject;
  signingInput: string;
  signature: Uint8Array;
}

function seconds(date: unknown): number | undefined {
  const ms = typeof date === "string" ? Date.parse(date) : NaN;
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

function isoDate(epochSeconds: unknown): string | undefined {
  return typeof epochSeconds === "number"
    ? new Date(epochSeconds * 1000).toISOString().replace(/\.000Z$/, "Z")
    : undefined;
}

function decodePart(part: string, name: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(base64urlDecode(part)));
  } catch {
    throw new ProofError(`malformed JWT: the ${name} is not base64url JSON`);
  }
  if (!isObject(value)) throw new ProofError(`malformed JWT: the ${name} is not a JSON object`);
  return value;
}

/** The credential of a vc-jwt payload: the `vc` claim with iss/jti/nbf/exp/sub restored (VC DM 1.1 §6.3.1). */
function credentialOfPayload(payload: JsonObject): JsonObject {
  const claim = isObject(payload.vc) ? payload.vc : isObject(payload.vp) ? payload.vp : undefined;
  if (!claim) return payload;
  const restored: JsonObject = { ...claim };
  if (payload.jti !== undefined && restored.id === undefined) restored.id = payload.jti;
  if (isObject(payload.vp)) {
    if (payload.iss !== undefined && restored.holder === undefined) restored.holder = payload.iss;
    return restored;
  }
  if (payload.iss !== undefined && restored.issuer === undefined) restored.issuer = payload.iss;
  if (restored.issuanceDate === undefined && isoDate(payload.nbf)) restored.issuanceDate = isoDate(payload.nbf);
  if (restored.expirationDate === undefined && isoDate(payload.exp)) restored.expirationDate = isoDate(payload.exp);
  if (
    typeof payload.sub === "string" &&
    isObject(restored.credentialSubject) &&
    restored.credentialSubject.id === undefined
  ) {
    restored.credentialSubject = { ...restored.credentialSubject, id: payload.sub };
  }
  return restored;
}

/** Splits and decodes a compact JWS carrying a credential or presentation; throws ProofError when malformed. */
export function decodeVcJwt(jwt: string): DecodedVcJwt {
  const parts = jwt.split(".");
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) {
    throw new ProofError("malformed JWT: a compact JWS is three base64url parts separated by dots");
  }
  const header = decodePart(parts[0], "header");
  const payload = decodePart(parts[1], "payload");
  return {
    header,
    payload,
    credential: credentialOfPayload(payload),
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: base64urlDecode(parts[2]),
  };
}

/** typ "JWT" for the 1.1 claim form; the VC-JOSE-COSE media types when the payload is the 2.0 document itself. */
async function signJwt(payload: JsonObject, key: SigningKey, typ: "JWT" | "vc+jwt" | "vp+jwt"): Promise<string> {
  const { cryptoKey, alg } = await importPrivateKey(key);
  const header = typ === "JWT" ? { alg, typ, kid: key.id } : { alg, typ, cty: typ.slice(0, 2), kid: key.id };
  return new CompactSign(utf8.encode(JSON.stringify(payload))).setProtectedHeader(header).sign(cryptoKey);
}

/**
 * A credential as a compact JWS signed by `key`: a 1.1 credential in the `vc` claim (typ JWT), a 2.0 credential as
 * the payload itself (typ vc+jwt, VC-JOSE-COSE).
 */
export async function issueVcJwt(credential: JsonObject, key: SigningKey): Promise<string> {
  const issuer = issuerIdOf(credential);
  const { proof: _proof, ...vc } = credential;
  if (dataModelOf(credential) === 2) return signJwt(vc, key, "vc+jwt");
  const subject = isObject(credential.credentialSubject) ? credential.credentialSubject.id : undefined;
  const payload: JsonObject = {
    iss: issuer,
    ...(typeof credential.id === "string" ? { jti: credential.id } : {}),
    ...(typeof subject === "string" ? { sub: subject } : {}),
    nbf: seconds(credential.issuanceDate) ?? Math.floor(Date.now() / 1000),
    ...(seconds(credential.expirationDate) !== undefined ? { exp: seconds(credential.expirationDate) } : {}),
    vc,
  };
  return signJwt(payload, key, "JWT");
}

/** A presentation as a vc-jwt (`vp` claim) by its holder's key, bound to challenge (nonce) and domain (aud). */
export async function proveVpJwt(
  presentation: JsonObject,
  key: SigningKey,
  options: { challenge?: string; domain?: string },
): Promise<string> {
  const holder = holderIdOf(presentation) ?? didOf(key.id);
  const binding = {
    ...(options.domain !== undefined ? { aud: options.domain } : {}),
    ...(options.challenge !== undefined ? { nonce: options.challenge } : {}),
  };
  if (dataModelOf(presentation) === 2) return signJwt({ ...presentation, holder, ...binding }, key, "vp+jwt");
  const payload: JsonObject = {
    iss: holder,
    ...(typeof presentation.id === "string" ? { jti: presentation.id } : {}),
    ...binding,
    nbf: Math.floor(Date.now() / 1000),
    vp: { ...presentation, holder },
  };
  return signJwt(payload, key, "JWT");
}

/** The header checks of any VC-JOSE token: algorithm, typ, kid made absolute against the signer's DID. */
function checkedHeader(decoded: DecodedVcJwt, signer: string | undefined): { alg: JwsAlgorithm; kid: string } {
  const { alg, typ, kid } = decoded.header;
  if (!ALGORITHMS.includes(alg as JwsAlgorithm)) {
    throw new ProofError(`JWT algorithm ${JSON.stringify(alg)} is not accepted (${ALGORITHMS.join(", ")})`);
  }
  if (typ !== undefined && !VC_JWT_TYPES.includes(String(typ)))
    throw new ProofError(`JWT typ ${JSON.stringify(typ)} is not a VC-JOSE type`);
  if (typeof kid !== "string") throw new ProofError("JWT header has no kid naming the verification method");
  if (kid.startsWith("#") && !signer) throw new ProofError(`relative kid ${kid} without an iss to resolve it against`);
  return { alg: alg as JwsAlgorithm, kid: absoluteDidUrl(kid, signer ?? "") };
}

/**
 * Verifies a VC-JOSE token's signature with the key its kid names, which must be listed under `relationship` in
 * the DID document of `signer` (the issuer, the holder) and controlled by it.
 */
export async function verifyJwtSignature(
  jwt: string,
  decoded: DecodedVcJwt,
  resolver: DidResolver,
  signer: string,
  relationship: VerificationRelationship,
): Promise<void> {
  const { alg, kid } = checkedHeader(decoded, signer);
  const key = await resolveKey(resolver, kid, relationship, signer);
  if (key.alg !== alg) throw new ProofError(`JWT alg ${alg} does not match the ${key.jwk.crv} key ${kid}`);
  try {
    await compactVerify(jwt, await importPublicKey(key.jwk, alg), { algorithms: [alg] });
  } catch (error) {
    const reason = messageOf(error);
    throw new ProofError(/signature verification failed/i.test(reason) ? "signature does not match" : `JWT: ${reason}`);
  }
}
