/**
 * did:key (W3C CCG did:key method): a multibase base58btc ("z") multicodec-prefixed public key.
 * Ed25519 (0xed, "z6Mk…"), P-256 (0x1200, "zDn…", compressed) and secp256k1 (0xe7, "zQ3s…", compressed).
 */
import { InvalidDidError } from "./errors";
import { decompressPoint, compressPoint, type WeierstrassCurve } from "./ec-points";
import {
  base58btcDecode,
  base58btcEncode,
  base64urlDecode,
  base64urlEncode,
  concatBytes,
  readVarint,
  writeVarint,
} from "./encoding";
import { SIGNING_RELATIONSHIPS, singleKeyDocument, type DidDocument, type VerificationMethod } from "./did-document";
import { messageOf } from "../../lib/errors";

const ED25519_PUB = 0xed;
const P256_PUB = 0x1200;
const SECP256K1_PUB = 0xe7;
const WEIERSTRASS_CODECS: Record<number, WeierstrassCurve> = { [P256_PUB]: "P-256", [SECP256K1_PUB]: "secp256k1" };

/** The public JWK a multicodec-prefixed key encodes (used for did:key and publicKeyMultibase). */
export function jwkFromMulticodec(bytes: Uint8Array): JsonWebKey {
  const { value: codec, length } = readVarint(bytes);
  const key = bytes.subarray(length);
  if (codec === ED25519_PUB) {
    if (key.length !== 32) throw new Error("an Ed25519 public key is 32 bytes");
    return { kty: "OKP", crv: "Ed25519", x: base64urlEncode(key) };
  }
  const curve = WEIERSTRASS_CODECS[codec];
  if (!curve) throw new Error(`unsupported multicodec key type 0x${codec.toString(16)}`);
  const { x, y } = decompressPoint(curve, key);
  return { kty: "EC", crv: curve, x: base64urlEncode(x), y: base64urlEncode(y) };
}

/** The multibase (base58btc) multicodec form of a public JWK: the method-specific id of its did:key. */
export function multibaseFromJwk(jwk: JsonWebKey): string {
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && jwk.x) {
    return "z" + base58btcEncode(concatBytes(writeVarint(ED25519_PUB), base64urlDecode(jwk.x)));
  }
  const codec = Object.entries(WEIERSTRASS_CODECS).find(([, curve]) => curve === jwk.crv)?.[0];
  if (jwk.kty === "EC" && codec && jwk.x && jwk.y) {
    const point = compressPoint(base64urlDecode(jwk.x), base64urlDecode(jwk.y));
    return "z" + base58btcEncode(concatBytes(writeVarint(Number(codec)), point));
  }
  throw new Error(`no did:key encoding for a ${jwk.kty}/${jwk.crv} key`);
}

/** The did:key of a public (or private: only its public part is used) JWK. */
export function didKeyFromJwk(jwk: JsonWebKey): string {
  return `did:key:${multibaseFromJwk(jwk)}`;
}

function verificationMethodOf(did: string, multibase: string, jwk: JsonWebKey): VerificationMethod {
  const id = `${did}#${multibase}`;
  if (jwk.crv === "Ed25519") {
    // Ed25519VerificationKey2018 + publicKeyBase58: the form Ed25519Signature2018 proofs were made against.
    const raw = base64urlDecode(jwk.x as string);
    return { id, type: "Ed25519VerificationKey2018", controller: did, publicKeyBase58: base58btcEncode(raw) };
  }
  return { id, type: "JsonWebKey2020", controller: did, publicKeyJwk: jwk };
}

/** The DID document of a did:key; throws InvalidDidError when the DID is malformed or of an unsupported key type. */
export function resolveDidKey(did: string): DidDocument {
  const match = /^did:key:(z[1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (!match) throw new InvalidDidError(did, "a did:key is did:key:z followed by base58btc characters");
  let jwk: JsonWebKey;
  try {
    jwk = jwkFromMulticodec(base58btcDecode(match[1].slice(1)));
  } catch (error) {
    throw new InvalidDidError(did, messageOf(error));
  }
  return singleKeyDocument(did, verificationMethodOf(did, match[1], jwk), SIGNING_RELATIONSHIPS);
}
