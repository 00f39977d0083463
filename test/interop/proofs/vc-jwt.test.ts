import { readdirSync } from "node:fs";
import { expect } from "chai";
import { CompactSign, importJWK } from "jose";
import { decodeVcJwt, issueCredential, verifyCredential, type VerificationResult } from "../../../interop/proofs";
import { base64urlEncode } from "../../../interop/proofs/encoding";
import { SHARED_VOCAB_DIR, vocabExample } from "../../helpers/credentials";
import { makeKeys, resolverOf, v1Credential, webDocument, type Keys } from "./fixtures";

type Json = Record<string, unknown>;

function expectFailure(result: VerificationResult, message: string): void {
  expect(result.verified, JSON.stringify(result)).to.equal(false);
  expect(result.errors.join("\n")).to.contain(message);
}

/** A compact JWS over any header and payload, signed with a private JWK (for hand-made bad tokens). */
async function signRaw(header: Json, payload: Json, privateJwk: JsonWebKey, alg = "ES256"): Promise<string> {
  const key = await importJWK(privateJwk, alg);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header as { alg: string })
    .sign(key);
}

function swapPart(jwt: string, index: number, value: Json): string {
  const parts = jwt.split(".");
  parts[index] = base64urlEncode(JSON.stringify(value));
  return parts.join(".");
}

describe("interop/proofs VC-JOSE (vc-jwt)", function () {
  let keys: Keys;
  const resolver = resolverOf();

  before(async function () {
    keys = await makeKeys();
  });

  it("issues an ES256 vc-jwt with the 1.1 claims and verifies it", async function () {
    const credential = v1Credential(keys.p256.did, { expirationDate: "2099-01-01T00:00:00Z" });
    const jwt = (await issueCredential(credential, keys.p256.key, { format: "vc-jwt" })) as string;
    const decoded = decodeVcJwt(jwt);
    expect(decoded.header).to.deep.equal({ alg: "ES256", typ: "JWT", kid: keys.p256.key.id });
    expect(decoded.payload).to.deep.include({
      iss: keys.p256.did,
      jti: credential.id,
      sub: "did:example:123",
      nbf: Date.parse("2024-01-02T03:04:05Z") / 1000,
      exp: Date.parse("2099-01-01T00:00:00Z") / 1000,
    });
    expect(decoded.credential).to.deep.equal(credential);
    expect(decoded.signature).to.have.length(64);
    expect(await verifyCredential(jwt, resolver)).to.deep.equal({
      verified: true,
      errors: [],
      warnings: [],
      checks: ["proof"],
    });
  });

  it("verifies vc-jwts of Ed25519 did:key and P-256 did:jwk issuers", async function () {
    for (const { did, key } of [keys.ed25519, keys.p256Jwk]) {
      const jwt = (await issueCredential(v1Credential(did), key, { format: "vc-jwt" })) as string;
      expect(await verifyCredential(jwt, resolver)).to.deep.include({ verified: true, errors: [] });
    }
  });

  describe("the traceability-vocab examples (VC 2.0 payloads, typ vc+jwt)", function () {
    const examples = readdirSync(SHARED_VOCAB_DIR)
      .filter((file) => file.endsWith(".example.json"))
      .map((file) => file.replace(/\.example\.json$/, ""));

    it("finds the examples", function () {
      expect(examples).to.include.members(["MillTestReportCredential", "CertificationOfOrigin"]);
    });

    for (const type of examples) {
      it(`issues and verifies ${type} as VC-JOSE`, async function () {
        const example = vocabExample(type) as Json;
        const issuer =
          typeof example.issuer === "object" ? { ...(example.issuer as Json), id: keys.p256.did } : keys.p256.did;
        const credential = { ...example, issuer };
        const jwt = (await issueCredential(credential, keys.p256.key, { format: "vc-jwt" })) as string;
        const decoded = decodeVcJwt(jwt);
        expect(decoded.header).to.deep.equal({ alg: "ES256", typ: "vc+jwt", cty: "vc", kid: keys.p256.key.id });
        expect(decoded.credential).to.deep.equal(credential);
        // Checked within the example's validity period (the SIMA licence expired in 2024).
        const now = typeof example.validFrom === "string" ? new Date(example.validFrom) : undefined;
        expect(await verifyCredential(jwt, resolver, { now })).to.deep.include({ verified: true, errors: [] });
        if (typeof example.validUntil === "string" && Date.parse(example.validUntil) < Date.now()) {
          expectFailure(await verifyCredential(jwt, resolver), `the credential expired on ${example.validUntil}`);
        }
        const tampered = swapPart(jwt, 1, { ...credential, id: "urn:uuid:00000000-0000-4000-8000-000000000000" });
        expectFailure(await verifyCredential(tampered, resolver, { now }), "signature does not match");
      });
    }
  });

  describe("refusals", function () {
    let jwt: string;
    let credential: Json;

    before(async function () {
      credential = v1Credential(keys.p256.did);
      jwt = (await issueCredential(credential, keys.p256.key, { format: "vc-jwt" })) as string;
    });

    it("a tampered payload and a tampered signature", async function () {
      const { payload } = decodeVcJwt(jwt);
      const tampered = swapPart(jwt, 1, {
        ...payload,
        vc: { ...(payload.vc as Json), credentialSubject: { id: "did:example:456" } },
      });
      expectFailure(await verifyCredential(tampered, resolver), "signature does not match");
      const signature = jwt.split(".")[2];
      const flipped = jwt.slice(0, -signature.length) + (signature[0] === "A" ? "B" : "A") + signature.slice(1);
      expectFailure(await verifyCredential(flipped, resolver), "signature does not match");
    });

    it("a token signed by another key than its kid names", async function () {
      const { header, payload } = decodeVcJwt(jwt);
      const forged = await signRaw(header, payload, keys.other.key.privateJwk);
      expectFailure(await verifyCredential(forged, resolver), "signature does not match");
    });

    it("a kid of another DID than the issuer", async function () {
      const { payload } = decodeVcJwt(jwt);
      const header = { alg: "ES256", typ: "JWT", kid: keys.other.key.id };
      const forged = await signRaw(header, payload, keys.other.key.privateJwk);
      expectFailure(
        await verifyCredential(forged, resolver),
        `issuer ${keys.p256.did} does not match the key's controller ${keys.other.did}`,
      );
    });

    it("an iss that differs from the credential's issuer", async function () {
      const { header, payload } = decodeVcJwt(jwt);
      const forged = await signRaw(header, { ...payload, iss: keys.other.did }, keys.p256.key.privateJwk);
      expectFailure(
        await verifyCredential(forged, resolver),
        `JWT iss ${keys.other.did} does not match the credential's issuer ${keys.p256.did}`,
      );
    });

    it("a key that is not in the issuer's assertionMethod", async function () {
      const did = "did:web:mill.example";
      const kid = `${did}#key-1`;
      const token = (await issueCredential(
        v1Credential(did),
        { id: kid, privateJwk: keys.p256.key.privateJwk },
        {
          format: "vc-jwt",
        },
      )) as string;
      const onlyAuth = resolverOf(webDocument(did, keys.p256.publicJwk, ["authentication"]));
      expectFailure(
        await verifyCredential(token, onlyAuth),
        `verification method ${kid} is not in the issuer's assertionMethod`,
      );
      const foreign = resolverOf(webDocument(did, keys.p256.publicJwk, ["assertionMethod"], "did:web:other.example"));
      expectFailure(
        await verifyCredential(token, foreign),
        `issuer ${did} does not match the key's controller did:web:other.example`,
      );
      const fine = resolverOf(webDocument(did, keys.p256.publicJwk, ["assertionMethod"]));
      expect((await verifyCredential(token, fine)).errors).to.deep.equal([]);
      expectFailure(await verifyCredential(token, resolverOf()), `DID ${did} could not be resolved`);
    });

    it("unaccepted algorithms, a missing kid, a foreign typ", async function () {
      const { payload } = decodeVcJwt(jwt);
      const unsigned = `${base64urlEncode(JSON.stringify({ alg: "none", kid: keys.p256.key.id }))}.${jwt.split(".")[1]}.AA`;
      expectFailure(await verifyCredential(unsigned, resolver), 'JWT algorithm "none" is not accepted');
      const hs256 = swapPart(jwt, 0, { alg: "HS256", kid: keys.p256.key.id });
      expectFailure(await verifyCredential(hs256, resolver), 'JWT algorithm "HS256" is not accepted');
      const noKid = await signRaw({ alg: "ES256", typ: "JWT" }, payload, keys.p256.key.privateJwk);
      expectFailure(await verifyCredential(noKid, resolver), "JWT header has no kid");
      const typ = await signRaw(
        { alg: "ES256", typ: "at+jwt", kid: keys.p256.key.id },
        payload,
        keys.p256.key.privateJwk,
      );
      expectFailure(await verifyCredential(typ, resolver), 'JWT typ "at+jwt" is not a VC-JOSE type');
      const eddsaHeader = swapPart(jwt, 0, { alg: "EdDSA", kid: keys.p256.key.id });
      expectFailure(await verifyCredential(eddsaHeader, resolver), "does not match the P-256 key");
    });

    it("malformed tokens and non-credentials", async function () {
      expectFailure(
        await verifyCredential("abc.def", resolver),
        "malformed JWT: a compact JWS is three base64url parts",
      );
      expectFailure(await verifyCredential("a.b!.c", resolver), "malformed JWT");
      expectFailure(
        await verifyCredential(`${base64urlEncode("[]")}.e30.AA`, resolver),
        "malformed JWT: the header is not a JSON object",
      );
      expectFailure(
        await verifyCredential(swapPart(jwt, 1, { vc: { type: ["VerifiableCredential"] } }), resolver),
        "@context must be an array",
      );
      expectFailure(
        await verifyCredential(42 as unknown as object, resolver),
        "a credential is a JSON object or a VC-JOSE compact JWS",
      );
    });

    it("an expired credential and one not valid yet", async function () {
      const expired = (await issueCredential(
        v1Credential(keys.p256.did, { expirationDate: "2025-01-01T00:00:00Z" }),
        keys.p256.key,
        {
          format: "vc-jwt",
        },
      )) as string;
      expectFailure(await verifyCredential(expired, resolver), "the credential expired on 2025-01-01T00:00:00Z");
      const future = (await issueCredential(
        v1Credential(keys.p256.did, { issuanceDate: "2099-01-01T00:00:00Z" }),
        keys.p256.key,
        {
          format: "vc-jwt",
        },
      )) as string;
      expectFailure(
        await verifyCredential(future, resolver),
        "the credential is not valid before 2099-01-01T00:00:00.000Z",
      );
    });

    it("refuses to issue for another issuer, with an unknown format or without a private key", async function () {
      const errors: string[] = [];
      const attempt = (promise: Promise<unknown>) =>
        promise.then(
          () => errors.push("issued"),
          (e: Error) => errors.push(e.message),
        );
      await attempt(issueCredential(v1Credential(keys.other.did), keys.p256.key, { format: "vc-jwt" }));
      await attempt(issueCredential(credential, keys.p256.key, { format: "ldp" as "vc-jwt" }));
      await attempt(
        issueCredential(credential, { id: keys.p256.key.id, privateJwk: keys.p256.publicJwk }, { format: "vc-jwt" }),
      );
      await attempt(issueCredential({ ...credential, issuanceDate: undefined }, keys.p256.key, { format: "vc-jwt" }));
      expect(errors).to.deep.equal([
        `issuer ${keys.other.did} does not match the key's controller ${keys.p256.did}`,
        "unknown proof format ldp",
        `signing key ${keys.p256.key.id} has no private part (d)`,
        "cannot issue: issuanceDate must be an XML Schema dateTime string",
      ]);
    });
  });
});
