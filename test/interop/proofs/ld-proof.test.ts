import { expect } from "chai";
import { issueCredential, verifyCredential, type VerificationResult } from "../../../interop/proofs";
import { clone } from "../../helpers/credentials";
import { conformanceCredential } from "../../helpers/trace-interop";
import { CREDENTIALS_V1, makeKeys, resolverOf, v1Credential, webDocument, type Keys } from "./fixtures";

type Json = Record<string, unknown>;

function expectFailure(result: VerificationResult, message: RegExp | string): void {
  expect(result.verified, JSON.stringify(result)).to.equal(false);
  expect(result.errors.join("\n")).to.match(typeof message === "string" ? new RegExp(escape(message)) : message);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function proofOf(vc: Json): Json {
  return vc.proof as Json;
}

describe("interop/proofs linked-data proofs", function () {
  let keys: Keys;
  const resolver = resolverOf();

  before(async function () {
    keys = await makeKeys();
  });

  describe("the conformance suite's /credentials/verify vectors (Ed25519Signature2018, did:key)", function () {
    for (const name of ["credentials_verify", "credentials_verify:issuer:object"]) {
      it(`verifies ${name}`, async function () {
        const result = await verifyCredential(conformanceCredential(name), resolver);
        expect(result).to.deep.equal({ verified: true, errors: [], warnings: [], checks: ["proof"] });
      });
    }

    it("refuses credentials_verify:bad_signature: the signature does not match", async function () {
      const result = await verifyCredential(conformanceCredential("credentials_verify:bad_signature"), resolver);
      expect(result.errors).to.deep.equal(["signature does not match"]);
    });

    it("refuses the positive vector once a signed value is changed", async function () {
      const vc = conformanceCredential("credentials_verify");
      vc.issuanceDate = "2006-01-02T15:04:06Z";
      expectFailure(await verifyCredential(vc, resolver), "signature does not match");
    });

    it("refuses the positive vector when the proof's created is changed (the proof options are signed)", async function () {
      const vc = conformanceCredential("credentials_verify");
      proofOf(vc).created = "2007-01-02T15:04:05Z";
      expectFailure(await verifyCredential(vc, resolver), "signature does not match");
    });

    it("refuses the vector claimed by another issuer than the key's controller", async function () {
      const vc = conformanceCredential("credentials_verify");
      vc.issuer = keys.ed25519.did;
      expectFailure(
        await verifyCredential(vc, resolver),
        `issuer ${keys.ed25519.did} does not match the key's controller ${String(conformanceCredential("credentials_verify").issuer)}`,
      );
    });

    it("refuses an unsupported proof type and a proof of the wrong purpose", async function () {
      const vc = conformanceCredential("credentials_verify");
      proofOf(vc).type = "not one of the valid values";
      expectFailure(await verifyCredential(vc, resolver), /proof type "not one of the valid values" is not supported/);
      const purpose = conformanceCredential("credentials_verify");
      proofOf(purpose).proofPurpose = "authentication";
      expectFailure(
        await verifyCredential(purpose, resolver),
        "proof purpose is authentication, expected assertionMethod",
      );
    });
  });

  const suites = [
    ["Ed25519Signature2018", "ed25519"],
    ["JsonWebSignature2020", "ed25519"],
    ["JsonWebSignature2020", "p256"],
    ["JsonWebSignature2020", "p256Jwk"],
  ] as const;

  for (const [format, keyName] of suites) {
    describe(`${format} with a ${keyName} key`, function () {
      let vc: Json;

      before(async function () {
        const { did, key } = keys[keyName];
        vc = (await issueCredential(v1Credential(did), key, { format, created: "2024-05-06T07:08:09Z" })) as Json;
      });

      it("issues a detached unencoded-payload JWS that verifies", async function () {
        const proof = proofOf(vc);
        expect(proof).to.include({ type: format, proofPurpose: "assertionMethod", created: "2024-05-06T07:08:09Z" });
        expect(proof.verificationMethod).to.equal(keys[keyName].key.id);
        expect(proof.jws).to.match(/^[\w-]+\.\.[\w-]+$/);
        if (format === "JsonWebSignature2020")
          expect(vc["@context"]).to.include("https://w3id.org/security/suites/jws-2020/v1");
        expect(await verifyCredential(vc, resolver)).to.deep.include({ verified: true, errors: [] });
      });

      it("refuses a tampered subject and a tampered signature", async function () {
        const tampered = clone(vc);
        (tampered.credentialSubject as Json).name = "Heat 4712";
        expectFailure(await verifyCredential(tampered, resolver), "signature does not match");
        const badSignature = clone(vc);
        const jws = proofOf(badSignature).jws as string;
        proofOf(badSignature).jws = jws.slice(0, -4) + (jws.endsWith("AAAA") ? "BBBB" : "AAAA");
        expectFailure(await verifyCredential(badSignature, resolver), "signature does not match");
      });

      it("refuses a proof whose verificationMethod names another key", async function () {
        const wrongKey = clone(vc);
        proofOf(wrongKey).verificationMethod = keys.other.key.id;
        expectFailure(
          await verifyCredential(wrongKey, resolver),
          `issuer ${keys[keyName].did} does not match the key's controller ${keys.other.did}`,
        );
      });
    });
  }

  it("refuses to issue for an issuer that is not the key's DID", async function () {
    let error: unknown;
    await issueCredential(v1Credential(keys.other.did), keys.p256.key, { format: "JsonWebSignature2020" }).catch(
      (e: unknown) => (error = e),
    );
    expect(String(error)).to.contain(`issuer ${keys.other.did} does not match the key's controller ${keys.p256.did}`);
  });

  it("refuses to make an Ed25519Signature2018 proof with a P-256 key", async function () {
    let error: unknown;
    await issueCredential(v1Credential(keys.p256.did), keys.p256.key, { format: "Ed25519Signature2018" }).catch(
      (e: unknown) => (error = e),
    );
    expect(String(error)).to.contain("Ed25519Signature2018 needs an Ed25519 key");
  });

  it("names a context that is not bundled, and fetches nothing", async function () {
    const unknown = "https://example.com/contexts/v1";
    const vc = (await issueCredential(v1Credential(keys.ed25519.did), keys.ed25519.key, {
      format: "Ed25519Signature2018",
    })) as Json;
    vc["@context"] = [CREDENTIALS_V1, unknown];
    expectFailure(await verifyCredential(vc, resolver), `context ${unknown} is not bundled`);
    let error: unknown;
    await issueCredential(
      { ...v1Credential(keys.ed25519.did), "@context": [CREDENTIALS_V1, unknown] },
      keys.ed25519.key,
      {
        format: "Ed25519Signature2018",
      },
    ).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain(`context ${unknown} is not bundled`);
  });

  it("refuses a term no context defines rather than leaving it unsigned", async function () {
    const credential = {
      ...v1Credential(keys.ed25519.did),
      "@context": [CREDENTIALS_V1],
      credentialSubject: { id: "did:example:123" },
      undefinedTerm: "x",
    };
    let error: unknown;
    await issueCredential(credential, keys.ed25519.key, { format: "Ed25519Signature2018" }).catch(
      (e: unknown) => (error = e),
    );
    expect(String(error)).to.contain(
      'JSON-LD canonicalisation failed: Dropping property that did not expand into an absolute IRI or keyword. ("undefinedTerm")',
    );
  });

  it("checks the key's relationship in a did:web-style document", async function () {
    const did = "did:web:mill.example";
    const onlyAuth = resolverOf(webDocument(did, keys.p256.publicJwk, ["authentication"]));
    const asserting = resolverOf(webDocument(did, keys.p256.publicJwk, ["assertionMethod"]));
    const key = { id: `${did}#key-1`, privateJwk: keys.p256.key.privateJwk };
    const vc = (await issueCredential(v1Credential(did), key, { format: "JsonWebSignature2020" })) as Json;
    expect((await verifyCredential(vc, asserting)).errors).to.deep.equal([]);
    expectFailure(
      await verifyCredential(vc, onlyAuth),
      `verification method ${did}#key-1 is not in the issuer's assertionMethod`,
    );
    expectFailure(await verifyCredential(vc, resolverOf()), `DID ${did} could not be resolved`);
  });

  it("reports an expired credential and a malformed did:key issuer", async function () {
    const expired = (await issueCredential(
      v1Credential(keys.ed25519.did, { expirationDate: "2025-01-01T00:00:00Z" }),
      keys.ed25519.key,
      { format: "Ed25519Signature2018" },
    )) as Json;
    expectFailure(await verifyCredential(expired, resolver), "the credential expired on 2025-01-01T00:00:00Z");
    const vc = conformanceCredential("credentials_verify");
    vc.issuer = "did:key:z6Mk0000";
    proofOf(vc).verificationMethod = "did:key:z6Mk0000#z6Mk0000";
    expectFailure(await verifyCredential(vc, resolver), /invalid DID did:key:z6Mk0000/);
  });
});
