import { expect } from "chai";
import type { Anchoring } from "../../../interop/server/anchoring";
import { MESSAGES } from "../../../interop/server/errors";
import { json, startTestNode, type TestNode } from "../helpers";
import { proofsDouble } from "../proofs-double";

const CONTEXTS = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/traceability/v1"];

describe("interop node: presentations and anchoring @no-coverage", function () {
  let t: TestNode;
  const handed: { vc: object | string; workflowInstance?: string }[] = [];
  const anchoring: Anchoring = {
    anchorVerifiedCredential(vc, ctx) {
      handed.push({ vc, workflowInstance: ctx.workflowInstance });
      return Promise.resolve({ recordId: `0xrecord${handed.length}`, txHash: `0xtx${handed.length}` });
    },
    watchRevocations: () => () => undefined,
  };

  before(async () => {
    t = await startTestNode({ proofs: proofsDouble, anchoring });
  });
  after(() => t.close());

  async function issued(type: string, id: string): Promise<object> {
    const reply = await t.authed("POST", "/credentials/issue", {
      credential: {
        "@context": CONTEXTS,
        id,
        type: ["VerifiableCredential", type],
        issuer: t.node.did,
        issuanceDate: "2024-05-01T00:00:00Z",
        credentialSubject: { type: [type.replace("Credential", "")] },
      },
      options: { type: "JsonWebSignature2020", credentialStatus: { type: "StatusList2021Entry" } },
    });
    expect(reply.status, reply.body).to.equal(201);
    return json<{ verifiableCredential: object }>(reply).verifiableCredential;
  }

  async function proved(id: string, credentials: object[], instance = "urn:uuid:clearance-1"): Promise<object> {
    const reply = await t.authed("POST", "/presentations/prove", {
      presentation: {
        "@context": CONTEXTS,
        id,
        type: ["VerifiablePresentation", "TraceablePresentation"],
        holder: t.node.did,
        workflow: { definition: ["urn:steel-import"], instance: [instance] },
        verifiableCredential: credentials,
      },
    });
    expect(reply.status, reply.body).to.equal(201);
    return json<{ verifiablePresentation: object }>(reply).verifiablePresentation;
  }

  it("verifies, stores and anchors a traceable presentation's MTR and certificate of origin with its workflow instance", async () => {
    const mtr = await issued("MillTestReportCredential", "urn:uuid:mtr-1");
    const coo = await issued("CertificationOfOrigin", "urn:uuid:coo-1");
    const other = await issued("BillOfLading", "urn:uuid:bol-1");
    const vp = await proved("urn:uuid:vp-1", [mtr, coo, other]);
    const reply = await t.authed("POST", "/presentations", { verifiablePresentation: vp }, "submit:presentations");
    expect(reply.status, reply.body).to.equal(202);
    const body = json<{ anchored: { credentialId: string; recordId: string }[]; workflow: object }>(reply);
    expect(body.workflow).to.deep.equal({ definition: "urn:steel-import", instance: "urn:uuid:clearance-1" });
    expect(body.anchored.map((a) => a.credentialId)).to.deep.equal(["urn:uuid:mtr-1", "urn:uuid:coo-1"]);
    expect(handed.map((h) => h.workflowInstance)).to.deep.equal(["urn:uuid:clearance-1", "urn:uuid:clearance-1"]);
    expect(t.node.context.store.presentationsOf("urn:uuid:clearance-1").map((p) => p.id)).to.deep.equal([
      "urn:uuid:vp-1",
    ]);
  });

  it("refuses a duplicate id with 409 and honours replace", async () => {
    const vp = await proved("urn:uuid:vp-2", [await issued("MillTestReportCredential", "urn:uuid:mtr-2")]);
    expect((await t.authed("POST", "/presentations", { verifiablePresentation: vp })).status).to.equal(202);
    const again = await t.authed("POST", "/presentations", { verifiablePresentation: vp });
    expect(again.status).to.equal(409);
    expect(json(again).message).to.equal(MESSAGES.conflict);
    const moved = await proved(
      "urn:uuid:vp-2",
      [await issued("MillTestReportCredential", "urn:uuid:mtr-3")],
      "urn:uuid:clearance-2",
    );
    const replaced = await t.authed("POST", "/presentations", {
      verifiablePresentation: moved,
      options: { replace: true },
    });
    expect(replaced.status).to.equal(202);
    expect(t.node.context.store.presentation("urn:uuid:vp-2")?.workflowInstance).to.equal("urn:uuid:clearance-2");
  });

  it("refuses a tampered presentation with 422 and anchors and stores nothing", async () => {
    const vp = (await proved("urn:uuid:vp-3", [await issued("MillTestReportCredential", "urn:uuid:mtr-4")])) as {
      verifiableCredential: { credentialSubject: object }[];
    };
    vp.verifiableCredential[0].credentialSubject = { type: ["MillTestReport"], tampered: true };
    const count = handed.length;
    const reply = await t.authed("POST", "/presentations", { verifiablePresentation: vp });
    expect(reply.status).to.equal(422);
    expect(handed.length).to.equal(count);
    expect(t.node.context.store.presentation("urn:uuid:vp-3")).to.equal(undefined);
  });

  it("refuses a traceable presentation without a workflow with 400", async () => {
    const reply = await t.authed("POST", "/presentations", {
      verifiablePresentation: {
        "@context": CONTEXTS,
        id: "urn:uuid:vp-4",
        type: ["VerifiablePresentation", "TraceablePresentation"],
        proof: {},
      },
    });
    expect(reply.status).to.equal(400);
    expect(json(reply).message).to.equal(MESSAGES.badRequest);
  });

  it("hands out a one-time challenge and accepts one submission answering it", async () => {
    const available = await t.authed("POST", "/presentations/available", { query: { type: "QueryByExample" } });
    expect(available.status).to.equal(200);
    const { challenge, domain } = json<{ challenge: string; domain: string }>(available);
    const reply = await t.authed("POST", "/presentations/prove", {
      presentation: {
        "@context": CONTEXTS,
        id: "urn:uuid:vp-5",
        type: ["VerifiablePresentation"],
        holder: t.node.did,
        verifiableCredential: [],
      },
      options: { challenge, domain },
    });
    const vp = json<{ verifiablePresentation: object }>(reply).verifiablePresentation;
    expect((await t.authed("POST", "/presentations/submissions", { verifiablePresentation: vp })).status).to.equal(202);
    const replay = await t.authed("POST", "/presentations/submissions", {
      verifiablePresentation: { ...vp, id: "urn:uuid:vp-6" },
    });
    expect(replay.status).to.equal(400);
  });

  it("revokes through /credentials/status, serves the bit in the list and reports the credential revoked", async () => {
    const vc = await issued("MillTestReportCredential", "urn:uuid:mtr-9");
    expect(json(await t.authed("POST", "/credentials/verify", { verifiableCredential: vc })).verified).to.equal(true);
    const update = await t.authed("POST", "/credentials/status", {
      credentialId: "urn:uuid:mtr-9",
      credentialStatus: [{ type: "StatusList2021Entry", status: "1" }],
    });
    expect(update.status, update.body).to.equal(200);
    const verdict = json<{ verified: boolean; errors: string[] }>(
      await t.authed("POST", "/credentials/verify", { verifiableCredential: vc }),
    );
    expect(verdict.verified).to.equal(false);
    expect(verdict.errors).to.include("the credential is revoked");
    const list = await t.request("GET", "/credentials/status/revocation-2021");
    expect(list.status).to.equal(200);
    expect(json<{ credentialSubject: { encodedList: string } }>(list).credentialSubject.encodedList).to.be.a("string");
    expect((await t.authed("GET", `/credentials/${encodeURIComponent("urn:uuid:mtr-9")}`)).status).to.equal(200);
  });
});
