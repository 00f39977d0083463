/**
 * The verifier's GraphQL lookup without a browser: anchors and actors from the public lookup's answers (fetch
 * stubbed), the issuer's standing from its indexed credential, and the fallback to the query API.
 */
import { expect } from "chai";
import { graphqlLookup, standingOf } from "../../../web/src/verifier/graphql-lookup";
import type { AnchoredRecord } from "../../../web/src/verifier/anchor-queries";

const NOW = 2_000_000_000n;

function record(over: Partial<AnchoredRecord> = {}, issuer: Partial<AnchoredRecord["issuer"]> = {}): AnchoredRecord {
  return {
    id: "0xrec",
    contentHash: "0xhash",
    certificateNumber: "MTR-1",
    status: "ACTIVE",
    expiresAt: "0",
    issuedAt: "1",
    invalidatedAt: null,
    successor: null,
    derived: false,
    issuer: {
      id: "0xmill",
      did: "did:web:mill.example",
      country: "KR",
      credentialClearedAt: null,
      roleNames: ["MILL"],
      trustedRoleNames: ["MILL"],
      suspended: false,
      credentialRevoked: false,
      validFrom: "0",
      validUntil: String(NOW + 1n),
      ...issuer,
    },
    ...over,
  };
}

describe("web verifier: GraphQL lookup", function () {
  const realFetch = globalThis.fetch;
  const sent: { url: string; body: { query: string; variables: Record<string, unknown> } }[] = [];
  let answers: ((body: { query: string }) => { status: number; body: unknown })[] = [];

  beforeEach(function () {
    sent.length = 0;
    globalThis.fetch = (async (url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body));
      sent.push({ url, body });
      const reply = answers.shift()!(body);
      return new Response(JSON.stringify(reply.body), { status: reply.status });
    }) as typeof fetch;
  });
  afterEach(() => (globalThis.fetch = realFetch));

  it("maps anchors of a hash per registry and asks once per hash", async () => {
    const mtr = record({ status: "SUPERSEDED", successor: { id: "0xnext", certificateNumber: "MTR-2" } });
    answers = [() => ({ status: 200, body: { data: { millTestReports: [mtr], certificateOfOrigins: [] } } })];
    const lookup = graphqlLookup(NOW);
    expect(await lookup.anchorsOfHash("MillTestReportRegistry", "0xHASH")).to.deep.equal([
      { recordId: "0xrec", issuer: "0xmill", status: "superseded", successor: "0xnext", expiresAt: 0n },
    ]);
    expect(await lookup.anchorsOfHash("CertificateOfOriginRegistry", "0xhash")).to.deep.equal([]);
    expect(sent).to.have.length(1);
    expect(sent[0].url).to.equal("app/public/graphql");
    expect(sent[0].body.variables).to.deep.equal({ hash: "0xhash" });
    expect(await lookup.issuerStanding!("MillTestReportRegistry", { recordId: "0xrec" } as never)).to.deep.equal({
      role: "MILL",
      active: true,
    });
  });

  it("finds an actor by address, or none", async () => {
    answers = [
      () => ({ status: 200, body: { data: { actor: { id: "0xa", did: "did:web:a.example", country: "CN" } } } }),
      () => ({ status: 200, body: { data: { actor: null } } }),
    ];
    const lookup = graphqlLookup(NOW);
    expect(await lookup.actorByAddress("0xA")).to.deep.equal({
      address: "0xa",
      did: "did:web:a.example",
      country: "CN",
    });
    expect(sent[0].body.variables).to.deep.equal({ id: "0xa" });
    expect(await lookup.actorByAddress("0xb")).to.equal(undefined);
  });

  it("says why a lookup failed", async () => {
    answers = [
      () => ({ status: 403, body: { errors: [{ message: "only the verifier's own queries are answered here" }] } }),
    ];
    let error: Error | undefined;
    await graphqlLookup(NOW)
      .actorByAddress("0xa")
      .catch((e: Error) => (error = e));
    expect(error?.message).to.equal("the lookup failed: only the verifier's own queries are answered here");
  });

  it("judges the issuer's standing for its role as the actor registry would", function () {
    expect(standingOf("MillTestReportRegistry", record(), NOW)).to.deep.equal({ role: "MILL", active: true });
    expect(standingOf("MillTestReportRegistry", record({ derived: true }), NOW)).to.deep.equal({
      role: "PROCESSOR",
      active: false,
    });
    for (const bad of [
      { suspended: true },
      { credentialRevoked: true },
      { credentialClearedAt: "5" },
      { validUntil: String(NOW - 1n) },
      { validFrom: String(NOW + 1n) },
      { trustedRoleNames: [] },
    ]) {
      expect(standingOf("MillTestReportRegistry", record({}, bad), NOW).active, JSON.stringify(bad)).to.equal(false);
    }
    const exporter = record({}, { trustedRoleNames: ["EXPORTER"] });
    expect(standingOf("CertificateOfOriginRegistry", exporter, NOW)).to.deep.equal({ role: "EXPORTER", active: true });
    const certifier = record({}, { trustedRoleNames: ["EXPORTER", "CERTIFIER"] });
    expect(standingOf("CertificateOfOriginRegistry", certifier, NOW)).to.deep.equal({
      role: "CERTIFIER",
      active: true,
    });
    expect(standingOf("CertificateOfOriginRegistry", record(), NOW)).to.deep.equal({
      role: "CERTIFIER or EXPORTER",
      active: false,
    });
  });
});
