/**
 * Who the node is: its organization DID (`did:web`), the DID document it serves, and which issuer identifiers it
 * holds keys for. Besides its `did:web` the node answers for the self-certifying identifiers of its current keys
 * (`did:jwk` of the P-256 key, `did:key` of the Ed25519 key), listed in `alsoKnownAs` (the suites issue with
 * `alsoKnownAs[1]`).
 */
import { didJwkFromJwk } from "../proofs/did-jwk";
import { didKeyFromJwk } from "../proofs/did-key";
import type { DidDocument, ProofFormat, SigningKey } from "./proofs";
import { currentGeneration, publicJwk, rotated, type KeyGeneration, type Keyring } from "./keys";

/** `did:web` of a host (`localhost:8443` → `did:web:localhost%3A8443`). */
export function didWebOf(host: string): string {
  return `did:web:${host.replace(/:/g, "%3A")}`;
}

export class NodeIdentity {
  readonly did: string;

  constructor(
    private ring: Keyring,
    /** The host (and port) the node is known by: `localhost:8443`. */
    readonly host: string,
    /** The API's base URL, the `serviceEndpoint` of its `TraceabilityAPI` service. */
    readonly baseUrl: string,
    private readonly persist?: (ring: Keyring) => void,
  ) {
    this.did = didWebOf(host);
  }

  get generations(): readonly KeyGeneration[] {
    return this.ring.generations;
  }

  /** The current keys' self-certifying identifiers, in the order `alsoKnownAs` lists them. */
  aliases(): [string, string] {
    const current = currentGeneration(this.ring);
    return [didJwkFromJwk(publicJwk(current.p256)), didKeyFromJwk(current.ed25519)];
  }

  /** The key that signs a credential of `issuer` in `format`; undefined when the node holds none for it. */
  signingKey(issuer: string, format: ProofFormat): SigningKey | undefined {
    const current = currentGeneration(this.ring);
    const [jwkDid, keyDid] = this.aliases();
    const ed25519 = format === "Ed25519Signature2018";
    if (issuer === this.did) {
      return ed25519
        ? { id: `${this.did}#ed25519-${current.n}`, privateJwk: current.ed25519 }
        : { id: `${this.did}#key-${current.n}`, privateJwk: current.p256 };
    }
    if (issuer === jwkDid && !ed25519) return { id: `${jwkDid}#0`, privateJwk: current.p256 };
    if (issuer === keyDid) return { id: `${keyDid}#${keyDid.slice("did:key:".length)}`, privateJwk: current.ed25519 };
    return undefined;
  }

  /** The key that signs the node's access tokens (ES256). */
  tokenKey(): { kid: string; privateJwk: JsonWebKey } {
    const current = currentGeneration(this.ring);
    return { kid: `${this.did}#key-${current.n}`, privateJwk: current.p256 };
  }

  /** Every P-256 public key the node ever used, by verification method id: tokens of older keys still verify. */
  tokenVerificationKeys(): Map<string, JsonWebKey> {
    return new Map(this.ring.generations.map((g) => [`${this.did}#key-${g.n}`, publicJwk(g.p256)]));
  }

  /** Adds a key generation: new signatures use it, the DID document keeps the old keys for verification. */
  rotate(): KeyGeneration {
    this.ring = rotated(this.ring);
    this.persist?.(this.ring);
    return currentGeneration(this.ring);
  }

  document(): DidDocument {
    const methods = this.ring.generations.flatMap((g) => [
      { id: `${this.did}#key-${g.n}`, type: "JsonWebKey2020", controller: this.did, publicKeyJwk: publicJwk(g.p256) },
      {
        id: `${this.did}#ed25519-${g.n}`,
        type: "JsonWebKey2020",
        controller: this.did,
        publicKeyJwk: publicJwk(g.ed25519),
      },
    ]);
    const ids = methods.map((m) => m.id);
    return {
      "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
      id: this.did,
      alsoKnownAs: this.aliases(),
      verificationMethod: methods,
      authentication: ids,
      assertionMethod: ids,
      service: [{ id: `${this.did}#traceability-api`, type: ["TraceabilityAPI"], serviceEndpoint: this.baseUrl }],
    };
  }
}
