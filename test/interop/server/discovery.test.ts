import { expect } from "chai";
import { json, startTestNode, type TestNode } from "../helpers";

interface Method {
  id: string;
  type: string;
  controller: string;
  publicKeyJwk: JsonWebKey;
}
interface Doc {
  id: string;
  alsoKnownAs: string[];
  verificationMethod: Method[];
  assertionMethod: string[];
  service: { type: string[]; serviceEndpoint: string }[];
}

describe("interop node: discovery, identifiers and key rotation @no-coverage", function () {
  let t: TestNode;
  before(async () => {
    t = await startTestNode();
  });
  after(() => t.close());

  it("names itself did:web:localhost%3A<port> and serves the same document at both discovery paths", async () => {
    expect(t.node.did).to.equal(`did:web:localhost%3A${t.node.port}`);
    const wellKnown = await t.request("GET", "/.well-known/did.json");
    const api = await t.request("GET", "/did.json");
    expect(wellKnown.status).to.equal(200);
    expect(json(wellKnown)).to.deep.equal(json(api));
    expect(json<Doc>(wellKnown).id).to.equal(t.node.did);
  });

  it("lists a P-256 assertionMethod key, no foreign controller, private parts nowhere, and a TraceabilityAPI service", async () => {
    const doc = json<Doc>(await t.request("GET", "/.well-known/did.json"));
    const p256 = doc.verificationMethod.filter((m) => m.publicKeyJwk.crv === "P-256");
    expect(p256).to.have.length(1);
    expect(p256[0].type).to.equal("JsonWebKey2020");
    expect(doc.assertionMethod).to.include(p256[0].id);
    for (const m of doc.verificationMethod) {
      expect(m.controller).to.equal(doc.id);
      expect(m.publicKeyJwk).to.not.have.property("d");
    }
    expect(doc.service).to.deep.include({
      id: `${doc.id}#traceability-api`,
      type: ["TraceabilityAPI"],
      serviceEndpoint: t.node.url,
    });
    expect(doc.alsoKnownAs).to.have.length(2);
    expect(doc.alsoKnownAs[0]).to.match(/^did:jwk:/);
    expect(doc.alsoKnownAs[1]).to.match(/^did:key:z6Mk/);
  });

  it("resolves its own DID through /identifiers as a DID resolution result", async () => {
    const reply = await t.authed("GET", `/identifiers/${t.node.did}`, undefined, "resolve:dids");
    expect(reply.status).to.equal(200);
    const body = json<{ didDocument: Doc; didResolutionMetadata: object }>(reply);
    expect(body.didDocument.id).to.equal(t.node.did);
    expect(body.didResolutionMetadata).to.deep.equal({ contentType: "application/did+json" });
  });

  it("resolves did:key and did:jwk, and answers a malformed one with 400 Invalid DID", async () => {
    for (const did of t.node.context.identity.aliases()) {
      const reply = await t.authed("GET", `/identifiers/${did}`);
      expect(reply.status, did).to.equal(200);
      expect(json<{ didDocument: Doc }>(reply).didDocument.id).to.equal(did);
    }
    for (const did of ["did:key:zNotBase58!", "did:jwk:bm90LWpzb24"]) {
      const reply = await t.authed("GET", `/identifiers/${encodeURIComponent(did)}`);
      expect(reply.status, did).to.equal(400);
      expect(json(reply).message).to.equal("Bad Request: Invalid DID");
    }
  });

  it("resolves another node's did:web over loopback, and an onboarded one from its directory", async () => {
    const other = await startTestNode();
    try {
      const reply = await t.authed("GET", `/identifiers/${other.node.did}`);
      expect(reply.status).to.equal(200);
      expect(json<{ didDocument: Doc }>(reply).didDocument.id).to.equal(other.node.did);
    } finally {
      await other.close();
    }
    const offline = { id: "did:web:mill.example", verificationMethod: [], service: [] };
    t.node.context.store.onboard(offline.id, offline);
    const fromDirectory = await t.authed("GET", "/identifiers/did:web:mill.example");
    expect(fromDirectory.status).to.equal(200);
    expect(json<{ didDocument: Doc }>(fromDirectory).didDocument).to.deep.equal(offline);
  });

  it("after a rotation lists old and new keys, signs tokens with the new key and still accepts the old ones", async () => {
    const oldToken = await t.token("resolve:dids");
    t.node.rotateKey();
    const doc = json<Doc>(await t.request("GET", "/did.json"));
    const ids = doc.verificationMethod.filter((m) => m.publicKeyJwk.crv === "P-256").map((m) => m.id);
    expect(ids).to.deep.equal([`${t.node.did}#key-1`, `${t.node.did}#key-2`]);
    expect(doc.assertionMethod).to.include.members(ids);
    const newToken = await t.token("resolve:dids");
    const header = JSON.parse(Buffer.from(newToken.split(".")[0], "base64url").toString()) as { kid: string };
    expect(header.kid).to.equal(`${t.node.did}#key-2`);
    for (const token of [oldToken, newToken]) {
      const reply = await t.request("GET", `/identifiers/${t.node.did}`, undefined, {
        authorization: `Bearer ${token}`,
      });
      expect(reply.status).to.equal(200);
    }
  });
});
