import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { BUNDLED_CONTEXTS } from "../../../interop/contexts";
import {
  InvalidDidError,
  UnknownContextError,
  bundledDocumentLoader,
  chainResolvers,
  didWebResolver,
  didWebUrl,
  staticDidResolver,
  type FetchLike,
} from "../../../interop/proofs";

const CONTEXTS_DIR = path.resolve(__dirname, "..", "..", "..", "interop", "contexts");

describe("interop/contexts and the document loader", function () {
  it("serves every bundled URL, as a copy", async function () {
    for (const [url, document] of Object.entries(BUNDLED_CONTEXTS)) {
      const remote = await bundledDocumentLoader(url);
      expect(remote).to.deep.include({ contextUrl: null, documentUrl: url, tag: "static" });
      expect(remote.document).to.deep.equal(document);
      expect(remote.document).not.to.equal(document);
      expect(remote.document).to.have.property("@context");
    }
  });

  it("bundles the contexts the suites and proofs need", function () {
    expect(Object.keys(BUNDLED_CONTEXTS)).to.include.members([
      "https://www.w3.org/2018/credentials/v1",
      "https://www.w3.org/ns/credentials/v2",
      "https://w3id.org/traceability/v1",
      "https://w3id.org/vc-revocation-list-2020/v1",
      "https://w3id.org/vc/status-list/2021/v1",
      "https://w3id.org/security/suites/ed25519-2018/v1",
      "https://w3id.org/security/suites/jws-2020/v1",
      "https://www.w3.org/ns/did/v1",
    ]);
  });

  it("refuses any other URL, naming it", async function () {
    for (const url of ["https://example.com/context.json", "https://www.w3.org/2018/credentials/v2", ""]) {
      let error: unknown;
      await bundledDocumentLoader(url).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(UnknownContextError).with.property("message", `context ${url} is not bundled`);
    }
  });

  it("lists every data file in NOTICE.md with its source and licence, and maps every file", function () {
    const notice = readFileSync(path.join(CONTEXTS_DIR, "NOTICE.md"), "utf8");
    const files = readdirSync(CONTEXTS_DIR).filter((file) => file.endsWith(".json"));
    expect(files).to.have.length.greaterThan(9);
    const index = readFileSync(path.join(CONTEXTS_DIR, "index.ts"), "utf8");
    for (const file of files) {
      expect(notice, file).to.match(new RegExp(`\`${file.replace(".", "\\.")}\`.*@ [0-9a-f]{40}.*License|BSD`));
      expect(index, file).to.include(`"./${file}"`);
    }
  });
});

describe("interop/proofs did:web", function () {
  it("maps did:web identifiers to their document URLs", function () {
    expect(didWebUrl("did:web:example.com")).to.equal("https://example.com/.well-known/did.json");
    expect(didWebUrl("did:web:example.com:user:alice")).to.equal("https://example.com/user/alice/did.json");
    expect(didWebUrl("did:web:localhost%3A8443")).to.equal("http://localhost:8443/.well-known/did.json");
    for (const bad of ["did:web:", "did:key:z6Mk", "did:web:exa mple.com", "did:web:a%2Fb.com", "did:web:x.com#k"]) {
      expect(() => didWebUrl(bad), bad).to.throw(InvalidDidError);
    }
  });

  function fakeFetch(answers: Record<string, { status: number; body?: unknown }>, asked: string[]): FetchLike {
    return async (url) => {
      asked.push(url);
      const answer = answers[url] ?? { status: 404 };
      return { ok: answer.status < 300, status: answer.status, json: async () => answer.body };
    };
  }

  it("resolves through the injected fetch: found, not found, failures explained", async function () {
    const asked: string[] = [];
    const resolver = didWebResolver(
      fakeFetch(
        {
          "https://good.example/.well-known/did.json": { status: 200, body: { id: "did:web:good.example" } },
          "https://wrong.example/.well-known/did.json": { status: 200, body: { id: "did:web:other.example" } },
          "https://down.example/.well-known/did.json": { status: 503 },
        },
        asked,
      ),
    );
    expect(await resolver.resolve("did:web:good.example")).to.deep.equal({ id: "did:web:good.example" });
    expect(await resolver.resolve("did:web:missing.example")).to.equal(undefined);
    expect(await resolver.resolve("did:key:z6Mk")).to.equal(undefined);
    const failures: string[] = [];
    for (const did of ["did:web:wrong.example", "did:web:down.example"]) {
      await resolver.resolve(did).catch((e: Error) => failures.push(e.message));
    }
    expect(failures).to.deep.equal([
      "https://wrong.example/.well-known/did.json does not hold the DID document of did:web:wrong.example",
      "https://down.example/.well-known/did.json answered HTTP 503",
    ]);
    expect(asked).to.have.length(4);
  });

  it("chains resolvers, the first document found winning", async function () {
    const first = staticDidResolver([{ id: "did:web:a.example", from: "first" }]);
    const second = staticDidResolver([
      { id: "did:web:a.example", from: "second" },
      { id: "did:web:b.example", from: "second" },
    ]);
    const chained = chainResolvers(first, second);
    expect(await chained.resolve("did:web:a.example")).to.deep.include({ from: "first" });
    expect(await chained.resolve("did:web:b.example")).to.deep.include({ from: "second" });
    expect(await chained.resolve("did:web:c.example")).to.equal(undefined);
  });
});
