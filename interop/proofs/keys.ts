/** Public/private key handling over WebCrypto (through jose): JWKs from verification methods, algorithms, imports. */
import { importJWK } from "jose";
import { UnsupportedKeyError } from "./errors";
import { base58btcDecode, base64urlEncode } from "./encoding";
import { jwkFromMulticodec } from "./did-key";
import type { VerificationMethod } from "./did-document";

/** A key to sign with: the DID URL of its verification method and the private JWK. */
export interface SigningKey {
  id: string;
  privateJwk: JsonWebKey;
}

export type JwsAlgorithm = "ES256" | "EdDSA";

/** The public key of a verification method as a JWK, whichever way the document encodes it. */
export function publicJwkOf(method: VerificationMethod): JsonWebKey {
  if (method.publicKeyJwk) return method.publicKeyJwk;
  if (method.publicKeyBase58) {
    if (!/Ed25519/.test(method.type)) {
      throw new UnsupportedKeyError(`verification method ${method.id}: publicKeyBase58 is read for Ed25519 keys only`);
    }
    return { kty: "OKP", crv: "Ed25519", x: base64urlEncode(base58btcDecode(method.publicKeyBase58)) };
  }
  if (method.publicKeyMultibase?.startsWith("z")) {
    return jwkFromMulticodec(base58btcDecode(method.publicKeyMultibase.slice(1)));
  }
  throw new UnsupportedKeyError(`verification method ${method.id} has no public key the verifier can read`);
}

/** The JWS algorithm for a key; secp256k1 (ES256K) is refused because WebCrypto cannot verify it. */
export function algorithmFor(jwk: JsonWebKey): JwsAlgorithm {
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ES256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  throw new UnsupportedKeyError(`keys of type ${jwk.kty}/${jwk.crv} are not supported (use P-256 or Ed25519)`);
}

const PUBLIC_KEY_CACHE = new Map<string, Promise<CryptoKey>>();

/** A WebCrypto public key for a JWK; cached by its coordinates, as a verifier sees the same issuers again. */
export function importPublicKey(jwk: JsonWebKey, alg: JwsAlgorithm): Promise<CryptoKey> {
  const cacheKey = `${alg}:${jwk.crv}:${jwk.x}:${jwk.y ?? ""}`;
  let key = PUBLIC_KEY_CACHE.get(cacheKey);
  if (!key) {
    const { kty, crv, x, y } = jwk;
    key = importJWK({ kty, crv, x, y }, alg) as Promise<CryptoKey>;
    key.catch(() => PUBLIC_KEY_CACHE.delete(cacheKey));
    if (PUBLIC_KEY_CACHE.size > 1000) PUBLIC_KEY_CACHE.clear();
    PUBLIC_KEY_CACHE.set(cacheKey, key);
  }
  return key;
}

/** A WebCrypto private key for a signing key's JWK, with its algorithm. */
export async function importPrivateKey(key: SigningKey): Promise<{ cryptoKey: CryptoKey; alg: JwsAlgorithm }> {
  if (!key.privateJwk.d) throw new UnsupportedKeyError(`signing key ${key.id} has no private part (d)`);
  const alg = algorithmFor(key.privateJwk);
  return { cryptoKey: (await importJWK(key.privateJwk, alg)) as CryptoKey, alg };
}
