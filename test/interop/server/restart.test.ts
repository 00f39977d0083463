import { expect } from "chai";
import type { Anchoring } from "../../../interop/server/anchoring";
import { json, startTestNode, type TestNode } from "../helpers";
import { proofsDouble } from "../proofs-double";

const CONTEXTS = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/traceability/v1"];

describe("interop node: restart and chain revocations @no-coverage", function () {
  let onRevoked: (recordId: string) => void = () => undefined;
  const anchoring: Anchoring = {
    anchorVerifiedCredential: () => Promise.resolve({ recordId: "0xrecord-mtr", txHash: "0xtx" }),
    watchRevocations(callback) {
      onRevoked = callback;
      return () => undefined;
    },
  };

  async function issue(t: TestNode, id: string): Promise<object> {
    const reply = await t.authed("POST", "/credentials/issue", {
      credential: {
        "@context": CONTEXTS,
        id,
        type: ["VerifiableCredential", "MillTestReportCredential"],
        issuer: t.node.did,
        issuanceDate: "2024-05-01T00:00:00Z",
        credentialSubject: {},
      },
      options: { type: "JsonWebSignature2020", credentialStatus: { type: "StatusList2021Entry" } },
    });
    expect(reply.status, reply.body).to.equal(201);
    return json<{ verifiableCredential: object }>(reply).verifiableCredential;
  }

  it("keeps keys, clients, credentials, presentations and status bits across a restart", async () => {
    const first = await startTestNode({ proofs: proofsDouble, anchoring });
    const vc = await issue(first, "urn:uuid:kept-1");
    const vp = json<{ verifiablePresentation: object }>(
      await first.authed("POST", "/presentations/prove", {
        presentation: {
          "@context": CONTEXTS,
          id: "urn:uuid:vp-kept",
          type: ["VerifiablePresentation"],
          holder: first.node.did,
          verifiableCredential: [vc],
        },
      }),
    ).verifiablePresentation;
    expect((await first.authed("POST", "/presentations", { verifiablePresentation: vp })).status).to.equal(202);
    const revoked = await first.authed("POST", "/credentials/status", {
      credentialId: "urn:uuid:kept-1",
      credentialStatus: [{ type: "StatusList2021Entry", status: "1" }],
    });
    expect(revoked.status, revoked.body).to.equal(200);
    const document = json(await first.request("GET", "/did.json"));
    const { port } = first.node;
    await first.close(true);

    const second = await startTestNode({ proofs: proofsDouble, anchoring, dataDir: first.dataDir, port });
    try {
      expect(json(await second.request("GET", "/did.json"))).to.deep.equal(document);
      const oldClientToken = await first.token(); // the first client, registered before the restart
      const kept = await second.request("GET", `/credentials/${encodeURIComponent("urn:uuid:kept-1")}`, undefined, {
        authorization: `Bearer ${oldClientToken}`,
      });
      expect(kept.status).to.equal(200);
      expect(json(kept).verifiableCredential).to.deep.equal(vc);
      expect((await second.authed("POST", "/presentations", { verifiablePresentation: vp })).status).to.equal(409);
      const verdict = json<{ verified: boolean }>(
        await second.authed("POST", "/credentials/verify", { verifiableCredential: vc }),
      );
      expect(verdict.verified).to.equal(false); // still revoked
    } finally {
      await second.close();
    }
  });

  it("sets the bit of an anchored credential when the chain reports its record revoked", async () => {
    const t = await startTestNode({ proofs: proofsDouble, anchoring });
    try {
      const vc = await issue(t, "urn:uuid:anchored-1");
      const vp = json<{ verifiablePresentation: object }>(
        await t.authed("POST", "/presentations/prove", {
          presentation: {
            "@context": CONTEXTS,
            id: "urn:uuid:vp-anchor",
            type: ["VerifiablePresentation"],
            holder: t.node.did,
            verifiableCredential: [vc],
          },
        }),
      ).verifiablePresentation;
      expect((await t.authed("POST", "/presentations", { verifiablePresentation: vp })).status).to.equal(202);
      expect(
        json<{ verified: boolean }>(await t.authed("POST", "/credentials/verify", { verifiableCredential: vc }))
          .verified,
      ).to.equal(true);
      onRevoked("0xrecord-unknown"); // a record the node never anchored changes nothing
      expect(
        json<{ verified: boolean }>(await t.authed("POST", "/credentials/verify", { verifiableCredential: vc }))
          .verified,
      ).to.equal(true);
      onRevoked("0xrecord-mtr");
      const verdict = json<{ verified: boolean; errors: string[] }>(
        await t.authed("POST", "/credentials/verify", { verifiableCredential: vc }),
      );
      expect(verdict.verified).to.equal(false);
      expect(verdict.errors).to.include("the credential is revoked");
    } finally {
      await t.close();
    }
  });
});
