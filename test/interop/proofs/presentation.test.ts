import { expect } from "chai";
import {
  decodeVcJwt,
  issueCredential,
  provePresentation,
  verifyPresentation,
  type ProofFormat,
  type VerificationResult,
} from "../../../interop/proofs";
import { clone } from "../../helpers/credentials";
import { conformanceCredential } from "../../helpers/trace-interop";
import { makeKeys, resolverOf, v1Credential, v1Presentation, type Keys } from "./fixtures";

type Json = Record<string, unknown>;

function expectFailure(result: VerificationResult, message: string): void {
  expect(result.verified, JSON.stringify(result)).to.equal(false);
  expect(result.errors.join("\n")).to.contain(message);
}

const binding = { challenge: "c0ffee", domain: "trace.example" };

describe("interop/proofs presentations", function () {
  let keys: Keys;
  let jwtCredential: string;
  let ldCredential: Json;
  const resolver = resolverOf();

  before(async function () {
    keys = await makeKeys();
    jwtCredential = (await issueCredential(v1Credential(keys.p256.did), keys.p256.key, { format: "vc-jwt" })) as string;
    ldCredential = conformanceCredential("credentials_verify");
  });

  const formats: [ProofFormat, keyof Keys][] = [
    ["vc-jwt", "p256Jwk"],
    ["JsonWebSignature2020", "p256"],
    ["Ed25519Signature2018", "ed25519"],
  ];

  /** vc-jwt presentations carry both kinds; a linked-data proof cannot cover a VC-JOSE string. */
  function credentialsFor(format: ProofFormat): unknown[] {
    return format === "vc-jwt" ? [jwtCredential, ldCredential] : [ldCredential, ldCredential];
  }

  for (const [format, holderKey] of formats) {
    describe(`${format} by the holder`, function () {
      let vp: object | string;

      before(async function () {
        const holder = keys[holderKey];
        vp = await provePresentation(v1Presentation(holder.did, credentialsFor(format)), holder.key, {
          format,
          ...binding,
        });
      });

      it("verifies with its challenge and domain, and each credential inside", async function () {
        const result = await verifyPresentation(vp, resolver, binding);
        expect(result).to.deep.equal({ verified: true, errors: [], warnings: [], checks: ["proof", "credentials"] });
      });

      it("refuses another challenge or domain", async function () {
        expectFailure(
          await verifyPresentation(vp, resolver, { ...binding, challenge: "other" }),
          "does not match the expected challenge",
        );
        expectFailure(
          await verifyPresentation(vp, resolver, { ...binding, domain: "other.example" }),
          "does not match the expected domain other.example",
        );
      });

      it("reports a tampered credential inside by its index", async function () {
        const tampered = clone(ldCredential);
        tampered.issuanceDate = "2006-01-02T15:04:06Z";
        const holder = keys[holderKey];
        const withBadVc = await provePresentation(
          v1Presentation(holder.did, [credentialsFor(format)[0], tampered]),
          holder.key,
          {
            format,
            ...binding,
          },
        );
        const result = await verifyPresentation(withBadVc, resolver, binding);
        expect(result.errors).to.deep.equal(["verifiableCredential[1]: signature does not match"]);
      });
    });
  }

  it("puts challenge and domain into a vc-jwt presentation as nonce and aud", async function () {
    const vp = (await provePresentation(v1Presentation(undefined, [jwtCredential]), keys.p256.key, {
      format: "vc-jwt",
      ...binding,
    })) as string;
    const { header, payload } = decodeVcJwt(vp);
    expect(header).to.deep.include({ alg: "ES256", typ: "JWT", kid: keys.p256.key.id });
    expect(payload).to.deep.include({ iss: keys.p256.did, nonce: binding.challenge, aud: binding.domain });
    expect((payload.vp as Json).holder).to.equal(keys.p256.did);
  });

  it("refuses a tampered holder proof and a holder that is not the key's controller", async function () {
    const vp = (await provePresentation(v1Presentation(keys.p256.did, [ldCredential]), keys.p256.key, {
      format: "JsonWebSignature2020",
      ...binding,
    })) as Json;
    const tampered = { ...vp, verifiableCredential: [] };
    expectFailure(await verifyPresentation(tampered, resolver, binding), "signature does not match");
    const otherHolder = { ...vp, holder: keys.other.did };
    expectFailure(
      await verifyPresentation(otherHolder, resolver, binding),
      `holder ${keys.other.did} does not match the key's controller ${keys.p256.did}`,
    );
    let error: unknown;
    await provePresentation(v1Presentation(keys.other.did, []), keys.p256.key, { format: "vc-jwt" }).catch(
      (e: unknown) => (error = e),
    );
    expect(String(error)).to.contain(`holder ${keys.other.did} does not match the key's controller ${keys.p256.did}`);
  });

  it("refuses VC-JOSE strings under a linked-data proof, explaining why", async function () {
    const holder = keys.ed25519;
    let error: unknown;
    await provePresentation(v1Presentation(holder.did, [ldCredential, jwtCredential]), holder.key, {
      format: "Ed25519Signature2018",
    }).catch((e: unknown) => (error = e));
    const reason =
      "verifiableCredential[1] is a VC-JOSE string, which a linked-data proof cannot cover: use the vc-jwt format";
    expect(String(error)).to.contain(`cannot prove: ${reason}`);
    const vp = (await provePresentation(v1Presentation(holder.did, [ldCredential]), holder.key, {
      format: "Ed25519Signature2018",
    })) as Json;
    expectFailure(
      await verifyPresentation({ ...vp, verifiableCredential: [ldCredential, jwtCredential] }, resolver),
      reason,
    );
  });

  it("refuses an unsigned presentation but still reports on its credentials", async function () {
    const result = await verifyPresentation(v1Presentation(keys.p256.did, [jwtCredential, "not a jwt"]), resolver);
    expect(result.errors).to.deep.equal([
      "the presentation has no proof",
      "verifiableCredential[1]: malformed JWT: a compact JWS is three base64url parts separated by dots",
    ]);
  });

  it("refuses a credential's proof used as the holder's (assertionMethod is not authentication)", async function () {
    const holder = keys.ed25519;
    const vp = (await provePresentation(v1Presentation(holder.did, []), holder.key, {
      format: "Ed25519Signature2018",
    })) as Json;
    (vp.proof as Json).proofPurpose = "assertionMethod";
    expectFailure(await verifyPresentation(vp, resolver), "proof purpose is assertionMethod, expected authentication");
  });
});
