import { expect } from "chai";
import { connect } from "node:net";
import { MESSAGES } from "../../../interop/server/errors";
import { json, startTestNode, type TestNode } from "../helpers";

const CREDENTIAL = {
  "@context": ["https://www.w3.org/2018/credentials/v1"],
  type: ["VerifiableCredential"],
  issuanceDate: "2024-01-02T03:04:05Z",
  credentialSubject: {},
};

describe("interop node: bad input @no-coverage", function () {
  let t: TestNode;
  let token: string;
  before(async () => {
    t = await startTestNode({ maxBodyBytes: 64 * 1024 });
    token = await t.token();
  });
  after(() => t.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    t.request("POST", path, body, { authorization: `Bearer ${token}`, ...headers });

  it("answers malformed JSON with 400 and a message", async () => {
    const reply = await post("/credentials/issue", '{"credential": {', { "content-type": "application/json" });
    expect(reply.status).to.equal(400);
    expect(json(reply).message).to.equal(MESSAGES.malformedJson);
  });

  it("answers a body of another content type with 415", async () => {
    const reply = await post("/credentials/verify", "verifiableCredential=x", { "content-type": "text/plain" });
    expect(reply.status).to.equal(415);
    expect(json(reply).message).to.equal(MESSAGES.unsupportedMediaType);
  });

  it("answers a body that misses the schema with 400, the suites' message and what did not match", async () => {
    const reply = await post("/credentials/issue", {
      credential: { ...CREDENTIAL, issuer: t.node.did, type: "VerifiableCredential" },
      options: { type: "Ed25519Signature2018" },
    });
    expect(reply.status).to.equal(400);
    expect(json(reply).message).to.equal(MESSAGES.badRequest);
    expect(json<{ details: string[] }>(reply).details.join()).to.include("/credential/type");
  });

  it("refuses a 10 MB body with 413 from its Content-Length, without reading it", async () => {
    const size = 10 * 1024 * 1024;
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(t.node.port, "127.0.0.1", () => {
        socket.write(
          `POST /credentials/verify HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
        );
        socket.write(Buffer.alloc(1024, 0x20)); // the node answers long before the rest would arrive
      });
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    expect(reply).to.match(/^HTTP\/1\.1 413 /);
    expect(reply).to.include(MESSAGES.tooLarge);
  });

  it("refuses a body over the limit that announces no length (chunked) with 413", async () => {
    const big = JSON.stringify({ verifiableCredential: "x".repeat(200 * 1024) });
    const reply = await post("/credentials/verify", big, { "transfer-encoding": "chunked" });
    expect(reply.status).to.equal(413);
  });

  it("answers an unknown path with 404 and a known path's other method with 405", async () => {
    expect((await t.request("GET", "/nothing/here")).status).to.equal(404);
    expect(json(await t.request("GET", "/nothing/here")).message).to.equal(MESSAGES.notFound);
    expect((await t.request("DELETE", "/credentials/issue")).status).to.equal(405);
  });

  it("answers a string that is no DID with 400 and a DID that does not resolve with 404", async () => {
    const bad = await t.authed("GET", "/identifiers/invalid_did");
    expect(bad.status).to.equal(400);
    expect(json(bad).message).to.equal(MESSAGES.invalidDid);
    for (const did of ["did:web:example.com", "did:example:123", "did:web:localhost%3A1"]) {
      const reply = await t.authed("GET", `/identifiers/${did}`);
      expect(reply.status, did).to.equal(404);
      expect(json(reply).message).to.equal(MESSAGES.notFound);
    }
  });

  it("refuses to issue for an issuer the node holds no keys for with 422 Unknown Issuer", async () => {
    for (const issuer of ["did:web:other.example", { id: "urn:uuid:1b6b4a7e-5a9e-4bb4-9e0c-111111111111" }]) {
      const reply = await post("/credentials/issue", {
        credential: { ...CREDENTIAL, issuer },
        options: { type: "JsonWebSignature2020" },
      });
      expect(reply.status).to.equal(422);
      expect(json(reply).message).to.equal(MESSAGES.unknownIssuer);
    }
  });

  it("answers a status update of a credential it never issued with 404 and changes no list", async () => {
    const reply = await post("/credentials/status", {
      credentialId: "urn:uuid:never-issued",
      credentialStatus: [{ type: "StatusList2021Entry", status: "1" }],
    });
    expect(reply.status).to.equal(404);
    expect(t.node.context.status.isSet("revocation-2021", 0)).to.equal(false);
  });
});
