/** Fresh keys with their did:key / did:jwk, for issuers, holders and tests. */
import { exportJWK, generateKeyPair } from "jose";
import { didKeyFromJwk } from "./did-key";
import { didJwkFromJwk } from "./did-jwk";
import type { SigningKey } from "./keys";

export interface GeneratedKey {
  did: string;
  key: SigningKey;
  publicJwk: JsonWebKey;
}

/** A new P-256 (ES256) or Ed25519 key pair, identified as a did:key (default) or did:jwk. */
export async function generateSigningKey(
  curve: "P-256" | "Ed25519",
  method: "key" | "jwk" = "key",
): Promise<GeneratedKey> {
  const alg = curve === "P-256" ? "ES256" : "EdDSA";
  const { publicKey, privateKey } = await generateKeyPair(alg, { crv: curve, extractable: true });
  const publicJwk = (await exportJWK(publicKey)) as JsonWebKey;
  const privateJwk = (await exportJWK(privateKey)) as JsonWebKey;
  if (method === "jwk") {
    const did = didJwkFromJwk(publicJwk);
    return { did, key: { id: `${did}#0`, privateJwk }, publicJwk };
  }
  const did = didKeyFromJwk(publicJwk);
  return { did, key: { id: `${did}#${did.slice("did:key:".length)}`, privateJwk }, publicJwk };
}
