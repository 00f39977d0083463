import { expect } from "chai";
import { json, startTestNode, type TestNode } from "../helpers";

// The core context only: expanding the traceability context takes seconds per proof on this machine.
const CONTEXTS = ["https://www.w3.org/2018/credentials/v1"];

interface Verdict {
  verified: boolean;
  errors: string[];
  checks: string[];
}

describe("interop node: credentials with the proofs library @no-coverage", function () {
  let t: TestNode;
  before(async () => {
    t = await startTestNode();
  });
  after(() => t.close());

  async function issue(type: string, issuer: string, extra: object = {}): Promise<object | string> {
    const reply = await t.authed("POST", "/credentials/issue", {
      credential: {
        "@context": CONTEXTS,
        type: ["VerifiableCredential"],
        issuer,
        issuanceDate: "2024-05-01T00:00:00Z",
        credentialSubject: { id: "did:example:123" },
      },
      options: { type, ...extra },
    });
    expect(reply.status, reply.body).to.equal(201);
    return json<{ verifiableCredential: object | string }>(reply).verifiableCredential;
  }
  const verify = async (vc: unknown): Promise<Verdict> =>
    json<Verdict>(await t.authed("POST", "/credentials/verify", { verifiableCredential: vc }));

  it("issues VC-JOSE (ES256) for its did:web and verifies it against the resolved DID document", async () => {
    const jwt = (await issue("VC-JOSE", t.node.did)) as string;
    expect(jwt).to.be.a("string");
    const header = JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString()) as { alg: string; kid: string };
    expect(header).to.include({ alg: "ES256", kid: `${t.node.did}#key-1` });
    const verdict = await verify(jwt);
    expect(verdict.errors).to.deep.equal([]);
    expect(verdict.verified).to.equal(true);
  });

  it("issues linked-data proofs for its did:web and its alsoKnownAs identifiers", async () => {
    const [jwkDid, keyDid] = t.node.context.identity.aliases();
    for (const [format, issuer] of [
      ["Ed25519Signature2018", t.node.did],
      ["JsonWebSignature2020", t.node.did],
      ["JsonWebSignature2020", jwkDid],
      ["Ed25519Signature2018", keyDid],
    ]) {
      const vc = await issue(format, issuer);
      expect((vc as { proof: { type: string } }).proof.type).to.equal(format);
      const verdict = await verify(vc);
      expect(verdict.errors, `${format} ${issuer}`).to.deep.equal([]);
    }
  });

  it("reports a tampered JWS and a tampered credential as not verified", async () => {
    const jwt = (await issue("vc-jwt", t.node.did)) as string;
    const [h, p, s] = jwt.split(".");
    const payload = JSON.parse(Buffer.from(p, "base64url").toString()) as { vc: { credentialSubject: { id: string } } };
    payload.vc.credentialSubject.id = "did:example:mallory";
    const tampered = [h, Buffer.from(JSON.stringify(payload)).toString("base64url"), s].join(".");
    expect((await verify(tampered)).verified).to.equal(false);
    const flipped = `${h}.${p}.${s.slice(0, -2)}${s.endsWith("AA") ? "BA" : "AA"}`;
    expect((await verify(flipped)).verified).to.equal(false);
    const ld = (await issue("JsonWebSignature2020", t.node.did)) as Record<string, unknown>;
    expect((await verify({ ...ld, issuanceDate: "2024-05-02T00:00:00Z" })).verified).to.equal(false);
  });

  it("reports a credential of an issuer whose DID does not resolve as not verified", async () => {
    const vc = (await issue("JsonWebSignature2020", t.node.did)) as Record<string, unknown>;
    const foreign = {
      ...vc,
      issuer: "did:web:unknown.example",
      proof: { ...(vc.proof as object), verificationMethod: "did:web:unknown.example#key-1" },
    };
    const verdict = await verify(foreign);
    expect(verdict.verified).to.equal(false);
    expect(verdict.errors.join(" ")).to.match(/unknown\.example/);
  });

  it("issues with a status list entry, serves the signed list and reports a revoked credential", async () => {
    const vc = (await issue("JsonWebSignature2020", t.node.did, {
      credentialStatus: { type: "StatusList2021Entry" },
    })) as { id: string; credentialStatus: { statusListCredential: string } };
    expect(vc.credentialStatus.statusListCredential).to.equal(`${t.node.url}/credentials/status/revocation-2021`);
    expect((await verify(vc)).verified).to.equal(true);
    const list = json(await t.request("GET", "/credentials/status/revocation-2021"));
    expect((await verify(list)).errors).to.deep.equal([]);
    const update = await t.authed("POST", "/credentials/status", {
      credentialId: vc.id,
      credentialStatus: [{ type: "StatusList2021Entry", status: "1", statusPurpose: "revocation" }],
    });
    expect(update.status).to.equal(200);
    const verdict = await verify(vc);
    expect(verdict.verified).to.equal(false);
    expect(verdict.errors).to.include("the credential is revoked");
  });

  it("keeps verifying what the old key signed after a rotation, and signs new credentials with the new key", async () => {
    const before = (await issue("VC-JOSE", t.node.did)) as string;
    t.node.rotateKey();
    const after = (await issue("VC-JOSE", t.node.did)) as string;
    const kid = (jwt: string): string =>
      (JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString()) as { kid: string }).kid;
    expect(kid(after)).to.equal(`${t.node.did}#key-2`);
    expect(kid(before)).to.equal(`${t.node.did}#key-1`);
    expect((await verify(before)).verified).to.equal(true);
    expect((await verify(after)).verified).to.equal(true);
  });
});

describe("interop node: a VC-JOSE presentation with the proofs library @no-coverage", function () {
  it("verifies a VC-JOSE traceable presentation of a VC-JOSE mill test report and hands the report to anchoring", async () => {
    const handed: { vc: object | string; workflowInstance?: string }[] = [];
    const t = await startTestNode({
      anchoring: {
        anchorVerifiedCredential: (vc, ctx) => {
          handed.push({ vc, workflowInstance: ctx.workflowInstance });
          return Promise.resolve({ recordId: "0xrecord", txHash: "0xtx" });
        },
        watchRevocations: () => () => undefined,
      },
    });
    try {
      const issued = await t.authed("POST", "/credentials/issue", {
        credential: {
          "@context": [...CONTEXTS, "https://w3id.org/traceability/v1"],
          id: "urn:uuid:mtr-jose",
          type: ["VerifiableCredential", "MillTestReportCredential"],
          issuer: t.node.did,
          issuanceDate: "2024-05-01T00:00:00Z",
          credentialSubject: { type: ["MillTestReport"] },
        },
        options: { type: "VC-JOSE" },
      });
      const mtr = json<{ verifiableCredential: string }>(issued).verifiableCredential;
      const proved = await t.authed("POST", "/presentations/prove", {
        presentation: {
          "@context": [...CONTEXTS, "https://w3id.org/traceability/v1"],
          id: "urn:uuid:vp-jose",
          type: ["VerifiablePresentation", "TraceablePresentation"],
          holder: t.node.did,
          workflow: { definition: ["urn:steel-import"], instance: ["urn:uuid:clearance-jose"] },
          verifiableCredential: [mtr],
        },
        options: { type: "VC-JOSE" },
      });
      expect(proved.status, proved.body).to.equal(201);
      const vp = json<{ verifiablePresentation: string }>(proved).verifiablePresentation;
      expect(vp).to.be.a("string");
      const verdict = json<Verdict>(await t.authed("POST", "/presentations/verify", { verifiablePresentation: vp }));
      expect(verdict.errors).to.deep.equal([]);
      const received = await t.authed("POST", "/presentations", { verifiablePresentation: vp });
      expect(received.status, received.body).to.equal(202);
      expect(handed).to.deep.equal([{ vc: mtr, workflowInstance: "urn:uuid:clearance-jose" }]);
      expect(json(received).anchored).to.deep.equal([
        { credentialId: "urn:uuid:mtr-jose", recordId: "0xrecord", txHash: "0xtx" },
      ]);
    } finally {
      await t.close();
    }
  });
});
