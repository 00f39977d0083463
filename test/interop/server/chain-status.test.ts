import { expect } from "chai";
import type { Anchoring } from "../../../interop/server/anchoring";
import { json, startTestNode, type TestNode } from "../helpers";
import { proofsDouble } from "../proofs-double";

const CONTEXTS = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/traceability/v1"];

interface Verdict {
  verified: boolean;
  errors: string[];
  checks: string[];
}

describe("interop node: an on-chain revocation of an anchored credential @no-coverage", function () {
  let t: TestNode;
  let onRevoked: (recordId: string) => void = () => undefined;
  let closed = 0;
  let anchored = 0;
  const anchoring: Anchoring = {
    anchorVerifiedCredential() {
      anchored++;
      // A report with two inspections: two records, the first one named as recordId.
      return Promise.resolve({
        recordId: `0xa${anchored}`,
        recordIds: [`0xa${anchored}`, `0xb${anchored}`],
        txHash: "0xt",
      });
    },
    watchRevocations(callback) {
      onRevoked = callback;
      return () => undefined;
    },
    close: () => void closed++,
  };

  before(async () => {
    t = await startTestNode({ proofs: proofsDouble, anchoring });
  });
  after(async () => {
    await t.close();
    expect(closed).to.equal(1);
  });

  /** A credential issued by `issuer` (any DID the double resolves), without a status entry of the node. */
  async function credential(id: string, issuer: string): Promise<object> {
    const body = {
      "@context": CONTEXTS,
      id,
      type: ["VerifiableCredential", "MillTestReportCredential"],
      issuer,
      issuanceDate: "2024-05-01T00:00:00Z",
      credentialSubject: { type: ["MillTestReport"] },
    };
    const key = { id: `${issuer}#key-1`, privateJwk: {} };
    return (await proofsDouble.issueCredential(body, key, { format: "Ed25519Signature2018" })) as object;
  }

  async function present(vc: object, id: string): Promise<void> {
    const vp = await proofsDouble.provePresentation(
      {
        "@context": CONTEXTS,
        id,
        type: ["VerifiablePresentation", "TraceablePresentation"],
        holder: t.node.did,
        workflow: { definition: ["urn:steel-import"], instance: ["urn:uuid:clearance-chain"] },
        verifiableCredential: [vc],
      },
      { id: `${t.node.did}#key-1`, privateJwk: {} },
      { format: "Ed25519Signature2018" },
    );
    const reply = await t.authed("POST", "/presentations", { verifiablePresentation: vp });
    expect(reply.status, reply.body).to.equal(202);
  }

  const verify = async (vc: object): Promise<Verdict> =>
    json<Verdict>(await t.authed("POST", "/credentials/verify", { verifiableCredential: vc }));

  it("sets the bit of the anchored credential when any of its records is revoked; verify reports it revoked", async () => {
    const mill = "did:key:z6MkMill";
    const vc = await credential("urn:uuid:chain-1", mill);
    await present(vc, "urn:uuid:vp-chain-1");
    const before = await verify(vc);
    expect(before.verified).to.equal(true);
    expect(before.checks).to.include("anchoredRecordStatus");
    const [entry] = t.node.context.store.statusEntries("urn:uuid:chain-1");
    expect(entry.listId).to.equal("revocation-2021");
    expect(t.node.context.status.isSet(entry.listId, entry.index)).to.equal(false);

    onRevoked("0xunknown"); // a record the node never anchored changes nothing
    expect((await verify(vc)).verified).to.equal(true);

    onRevoked(`0xb${anchored}`); // the second inspection's record
    expect(t.node.context.status.isSet(entry.listId, entry.index)).to.equal(true);
    const after = await verify(vc);
    expect(after.verified).to.equal(false);
    expect(after.errors).to.deep.equal(["the credential's on-chain record is revoked"]);
  });

  it("leaves a credential of another issuer that reuses the id alone, and one never anchored", async () => {
    const impostor = await credential("urn:uuid:chain-1", "did:key:z6MkOther");
    const verdict = await verify(impostor);
    expect(verdict.verified).to.equal(true);
    expect(verdict.checks).not.to.include("anchoredRecordStatus");
    const fresh = await credential("urn:uuid:chain-2", "did:key:z6MkMill");
    expect((await verify(fresh)).checks).not.to.include("anchoredRecordStatus");
    expect(t.node.context.store.statusEntries("urn:uuid:chain-2")).to.deep.equal([]);
  });

  it("gives a re-presented credential no second entry", async () => {
    const vc = await credential("urn:uuid:chain-3", "did:key:z6MkMill");
    await present(vc, "urn:uuid:vp-chain-3");
    await present(vc, "urn:uuid:vp-chain-3b");
    expect(t.node.context.store.statusEntries("urn:uuid:chain-3")).to.have.length(1);
    expect(t.node.context.store.anchorsOf("urn:uuid:chain-3")).to.have.length(4);
  });
});
