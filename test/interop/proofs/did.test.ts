import { expect } from "chai";
import {
  InvalidDidError,
  didJwkFromJwk,
  didKeyFromJwk,
  generateSigningKey,
  localDidResolver,
  publicJwkOf,
  resolveDidJwk,
  resolveDidKey,
  type VerificationMethod,
} from "../../../interop/proofs";
import { base58btcDecode, base58btcEncode, base64urlEncode } from "../../../interop/proofs/encoding";

// The conformance suite's did:key issuer (an Ed25519 key).
const ED25519_DID = "did:key:z6MkgVHZNqLBqoQAoGxRiSJP5gLgVEDCJJzT5ZsGEabKtfyn";
// P-256 and secp256k1 test vectors of the did:key method specification, with their published coordinates.
const P256_DID = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169";
const P256_JWK = {
  kty: "EC",
  crv: "P-256",
  x: "fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI",
  y: "hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU",
};
const SECP256K1_DID = "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme";
const SECP256K1_JWK = {
  kty: "EC",
  crv: "secp256k1",
  x: "h0wVx_2iDlOcblulc8E5iEw1EYh5n1RYtLQfeSTyNc0",
  y: "O2EATIGbu6DezKFptj5scAIRntgfecanVNXxat1rnwE",
};

function onlyMethod(document: Record<string, unknown>): VerificationMethod {
  const methods = document.verificationMethod as VerificationMethod[];
  expect(methods).to.have.length(1);
  return methods[0];
}

function expectInvalid(resolve: (did: string) => unknown, did: string, reason: RegExp): void {
  expect(() => resolve(did))
    .to.throw(InvalidDidError)
    .with.property("message")
    .that.matches(new RegExp(`^invalid DID ${did.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `))
    .and.matches(reason);
}

describe("interop/proofs DID resolution", function () {
  describe("did:key", function () {
    it("resolves an Ed25519 key to an Ed25519VerificationKey2018 usable for every signing relationship", function () {
      const document = resolveDidKey(ED25519_DID);
      const method = onlyMethod(document);
      const fragment = ED25519_DID.slice("did:key:".length);
      expect(document.id).to.equal(ED25519_DID);
      expect(method).to.include({ id: `${ED25519_DID}#${fragment}`, type: "Ed25519VerificationKey2018" });
      expect(method.controller).to.equal(ED25519_DID);
      expect(base58btcDecode(method.publicKeyBase58 as string)).to.have.length(32);
      for (const relationship of [
        "assertionMethod",
        "authentication",
        "capabilityInvocation",
        "capabilityDelegation",
      ]) {
        expect(document[relationship]).to.deep.equal([method.id]);
      }
      expect(document["@context"]).to.deep.equal([
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/suites/ed25519-2018/v1",
      ]);
    });

    it("resolves the specification's P-256 (zDn…) and secp256k1 vectors to their JWK coordinates", function () {
      expect(onlyMethod(resolveDidKey(P256_DID))).to.deep.include({ type: "JsonWebKey2020", publicKeyJwk: P256_JWK });
      expect(onlyMethod(resolveDidKey(SECP256K1_DID)).publicKeyJwk).to.deep.equal(SECP256K1_JWK);
    });

    it("encodes a JWK back to the same did:key (P-256, secp256k1, Ed25519)", function () {
      expect(didKeyFromJwk(P256_JWK)).to.equal(P256_DID);
      expect(didKeyFromJwk(SECP256K1_JWK)).to.equal(SECP256K1_DID);
      expect(didKeyFromJwk(publicJwkOf(onlyMethod(resolveDidKey(ED25519_DID))))).to.equal(ED25519_DID);
    });

    it("round-trips generated keys of both curves", async function () {
      for (const curve of ["P-256", "Ed25519"] as const) {
        const { did, publicJwk, key } = await generateSigningKey(curve);
        expect(did).to.match(curve === "P-256" ? /^did:key:zDn/ : /^did:key:z6Mk/);
        expect(publicJwkOf(onlyMethod(resolveDidKey(did)))).to.deep.include({ x: publicJwk.x });
        expect(key.id).to.equal(onlyMethod(resolveDidKey(did)).id);
      }
    });

    it("refuses malformed did:key identifiers with the reason", function () {
      expectInvalid(resolveDidKey, "did:key:", /did:key:z followed by base58btc/);
      expectInvalid(resolveDidKey, "did:web:z6Mk", /did:key:z followed by base58btc/);
      expectInvalid(resolveDidKey, "did:key:m6MkgVHZ", /did:key:z followed by base58btc/);
      expectInvalid(resolveDidKey, "did:key:z6MkgVHZNqLBqoQ0", /did:key:z followed by base58btc/); // 0 is not base58
      expectInvalid(resolveDidKey, `${ED25519_DID}#frag`, /did:key:z followed by base58btc/);
      const unknownCodec = "did:key:z" + base58btcEncode(Uint8Array.from([0x12, 0x20, ...new Array(32).fill(1)]));
      expectInvalid(resolveDidKey, unknownCodec, /unsupported multicodec key type 0x12/);
      const shortEd25519 = "did:key:z" + base58btcEncode(Uint8Array.from([0xed, 0x01, 1, 2, 3]));
      expectInvalid(resolveDidKey, shortEd25519, /Ed25519 public key is 32 bytes/);
      const offCurve = Uint8Array.from([0x80, 0x24, 0x02, ...new Array(32).fill(0xff)]);
      expectInvalid(resolveDidKey, "did:key:z" + base58btcEncode(offCurve), /not a P-256 point|33 bytes/);
      const badPrefix = Uint8Array.from([0x80, 0x24, 0x04, ...new Array(32).fill(1)]);
      expectInvalid(resolveDidKey, "did:key:z" + base58btcEncode(badPrefix), /33 bytes starting with 02 or 03/);
    });
  });

  describe("did:jwk", function () {
    it("resolves a P-256 JWK to #0 in every signing relationship and keyAgreement", async function () {
      const { did, publicJwk } = await generateSigningKey("P-256", "jwk");
      const document = resolveDidJwk(did);
      const method = onlyMethod(document);
      expect(method).to.deep.include({
        id: `${did}#0`,
        type: "JsonWebKey2020",
        controller: did,
        publicKeyJwk: publicJwk,
      });
      expect(document.assertionMethod).to.deep.equal([`${did}#0`]);
      expect(document.keyAgreement).to.deep.equal([`${did}#0`]);
    });

    it("honours the JWK's use: sig keys do not agree keys, enc keys do not sign", function () {
      const sig = resolveDidJwk(didJwkFromJwk({ ...P256_JWK, use: "sig" }));
      expect(sig.assertionMethod).to.have.length(1);
      expect(sig).not.to.have.property("keyAgreement");
      const enc = resolveDidJwk(didJwkFromJwk({ ...P256_JWK, use: "enc" }));
      expect(enc.keyAgreement).to.have.length(1);
      expect(enc).not.to.have.property("assertionMethod");
    });

    it("drops private members when encoding a did:jwk", function () {
      const did = didJwkFromJwk({ ...P256_JWK, d: "secret" });
      expect(onlyMethod(resolveDidJwk(did)).publicKeyJwk).to.deep.equal(P256_JWK);
    });

    it("refuses malformed did:jwk identifiers with the reason", function () {
      const encode = (value: unknown) => "did:jwk:" + base64urlEncode(JSON.stringify(value));
      expectInvalid(resolveDidJwk, "did:jwk:", /followed by base64url/);
      expectInvalid(resolveDidJwk, "did:jwk:eyJ+", /followed by base64url/);
      expectInvalid(resolveDidJwk, "did:jwk:" + base64urlEncode("not json"), /not the base64url of a JSON object/);
      expectInvalid(resolveDidJwk, encode([1]), /not a JWK/);
      expectInvalid(resolveDidJwk, encode({ crv: "P-256" }), /not a JWK \(no kty\)/);
      expectInvalid(resolveDidJwk, encode({ ...P256_JWK, d: "x" }), /private key material/);
    });
  });

  describe("localDidResolver", function () {
    it("resolves did:key and did:jwk itself and hands other methods to its fallback", async function () {
      const asked: string[] = [];
      const resolver = localDidResolver({
        resolve: async (did) => {
          asked.push(did);
          return did === "did:web:example.com" ? { id: did } : undefined;
        },
      });
      expect((await resolver.resolve(P256_DID))?.id).to.equal(P256_DID);
      expect((await resolver.resolve("did:web:example.com"))?.id).to.equal("did:web:example.com");
      expect(await resolver.resolve("did:web:unknown.example")).to.equal(undefined);
      expect(await localDidResolver().resolve("did:web:example.com")).to.equal(undefined);
      expect(asked).to.deep.equal(["did:web:example.com", "did:web:unknown.example"]);
    });
  });
});
