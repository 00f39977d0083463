import { expect } from "chai";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findCollections, suiteFolders, suiteVariables } from "../../../scripts/interop/suites";
import type { InteropNode } from "../../../interop/server/node";
import { freshDataDir } from "../../interop/helpers";

describe("npm run test:interop: finding suites and setting their variables", function () {
  it("takes the JSON files whose info.schema names the collection format, in any folder depth", () => {
    const dir = freshDataDir();
    mkdirSync(path.join(dir, "deep", "er"), { recursive: true });
    const schema = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
    writeFileSync(path.join(dir, "a.postman_collection.json"), JSON.stringify({ info: { schema }, item: [] }));
    writeFileSync(path.join(dir, "deep", "er", "plain.json"), JSON.stringify({ info: { schema }, item: [] }));
    writeFileSync(path.join(dir, "env.postman_environment.json"), JSON.stringify({ values: [] }));
    writeFileSync(path.join(dir, "broken.json"), "{ not json");
    expect(findCollections(dir)).to.deep.equal([
      path.join(dir, "a.postman_collection.json"),
      path.join(dir, "deep", "er", "plain.json"),
    ]);
  });

  it("adds every folder of TRACE_INTEROP_SUITES (colon-separated) to the shared suites", () => {
    const folders = suiteFolders({
      TRACE_INTEROP_SUITES: "/tmp/one::/tmp/two",
      TRADETRACE_SHARED_FIXTURES: "/nonexistent",
    });
    expect(folders.slice(-2)).to.deep.equal(["/tmp/one", "/tmp/two"]);
  });

  it("sets the six variables unprefixed and with the ISSUER_, HOLDER_ and VERIFIER_ prefixes", () => {
    const node = {
      url: "https://localhost:1",
      did: "did:web:localhost%3A1",
      audience: "https://localhost:1",
      tokenEndpoint: "https://localhost:1/oauth/token",
    } as InteropNode;
    const variables = suiteVariables(node, { clientId: "id", clientSecret: "secret" });
    expect(Object.keys(variables)).to.have.length(24);
    expect(variables).to.include({
      API_BASE_URL: node.url,
      ORGANIZATION_DID_WEB: node.did,
      VERIFIER_TOKEN_ENDPOINT: node.tokenEndpoint,
      HOLDER_CLIENT_SECRET: "secret",
    });
  });
});
