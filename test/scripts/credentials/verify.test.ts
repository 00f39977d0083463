import { expect } from "chai";
import { generateSigningKey, issueCredential, type GeneratedKey } from "../../../interop/proofs";
import { mapCredential } from "../../../scripts/credentials/documents";
import {
  isCompactJws,
  verifyAnchoredCredential,
  type ActorIdentity,
  type AnchoredRecord,
  type MappedRecord,
  type VerificationLookup,
} from "../../../scripts/credentials/verify";
import { setAt, vocabExample } from "../../helpers/credentials";
import { recordIdOf } from "../../helpers/documents";

type Json = Record<string, unknown>;

const MILL = "0x1000000000000000000000000000000000000001";
const RIVAL = "0x2000000000000000000000000000000000000002";
const STRANGER = "0x3000000000000000000000000000000000000003";
const NOW = BigInt(Date.parse("2024-01-01T00:00:00Z") / 1000);

/** An in-memory chain: anchors by content hash, actors by address, optional field differences and standing. */
class MemoryLookup implements VerificationLookup {
  anchors = new Map<string, AnchoredRecord[]>();
  actors = new Map<string, ActorIdentity>();
  differences: string[] = [];
  standing?: { role: string; active: boolean };

  anchor(record: MappedRecord, issuer: string, extra: Partial<AnchoredRecord> = {}): AnchoredRecord {
    const anchored = {
      recordId: recordIdOf(issuer, record.contentHash),
      issuer,
      status: "active" as const,
      expiresAt: 0n,
      ...extra,
    };
    this.anchors.set(record.contentHash, [...(this.anchors.get(record.contentHash) ?? []), anchored]);
    return anchored;
  }

  async anchorsOfHash(_registry: string, contentHash: string): Promise<AnchoredRecord[]> {
    return this.anchors.get(contentHash) ?? [];
  }

  async actorByAddress(address: string): Promise<ActorIdentity | undefined> {
    return this.actors.get(address);
  }

  async fieldDifferences(): Promise<string[]> {
    return this.differences;
  }

  async issuerStanding(): Promise<{ role: string; active: boolean }> {
    return this.standing ?? { role: "MILL", active: true };
  }
}

describe("scripts/credentials/verify", function () {
  let millKey: GeneratedKey;
  let lookup: MemoryLookup;
  let credential: Json;
  let record: MappedRecord;
  const options = { mapCredential: (vc: unknown) => mapCredential(vc), now: NOW };

  before(async function () {
    millKey = await generateSigningKey("P-256");
  });

  beforeEach(function () {
    credential = vocabExample("MillTestReportCredential") as Json;
    setAt(credential, "/issuer/id", millKey.did);
    [record] = mapCredential(credential).records as MappedRecord[];
    lookup = new MemoryLookup();
    lookup.actors.set(MILL, { address: MILL, did: millKey.did, country: "US" });
    lookup.actors.set(RIVAL, { address: RIVAL, did: "did:web:rival.example", country: "CN" });
  });

  async function verifyOne(input: object | string = credential, extra = {}) {
    const result = await verifyAnchoredCredential(input, lookup, { ...options, ...extra });
    expect(result.records).to.have.length(1);
    return { result, checked: result.records[0] };
  }

  it("passes the three checks for a record anchored by the issuer's actor", async function () {
    const anchor = lookup.anchor(record, MILL);
    const { result, checked } = await verifyOne();
    expect(result).to.deep.include({ format: "json", proof: undefined, valid: true });
    expect(checked.integrity).to.deep.equal({
      ok: true,
      detail: `content hash ${record.contentHash} anchored as ${anchor.recordId}`,
    });
    expect(checked.status).to.deep.include({ ok: true, state: "active", problems: [] });
    expect(checked.issuer).to.deep.equal({
      ok: true,
      detail: `anchored by ${MILL} as ${millKey.did}, the credential's issuer`,
    });
    expect(checked.actor?.address).to.equal(MILL);
  });

  it("fails integrity when the hash is not anchored", async function () {
    const { result, checked } = await verifyOne();
    expect(result.valid).to.equal(false);
    expect(checked.integrity).to.deep.equal({
      ok: false,
      detail: `no record with content hash ${record.contentHash} is anchored`,
    });
    expect(checked.status.state).to.equal("not anchored");
  });

  describe("issuer identity", function () {
    it("is an error naming both DIDs when another actor anchored the hash", async function () {
      lookup.anchor(record, RIVAL);
      const { result, checked } = await verifyOne();
      expect(result.valid).to.equal(false);
      expect(checked.issuer).to.deep.equal({
        ok: false,
        detail: `the credential's issuer is ${millKey.did}, but the record was anchored by ${RIVAL} (did:web:rival.example)`,
      });
    });

    it("names an anchoring address that is not an onboarded actor", async function () {
      lookup.anchor(record, STRANGER);
      const { checked } = await verifyOne();
      expect(checked.issuer.detail).to.equal(
        `the credential's issuer is ${millKey.did}, but the record was anchored by ${STRANGER} (an address that is not an onboarded actor)`,
      );
    });

    it("is an error when the issuer's address names another country than the actor's registration", async function () {
      setAt(credential, "/issuer/location/address/addressCountry", "China");
      [record] = mapCredential(credential).records as MappedRecord[];
      lookup.anchor(record, MILL);
      const { checked } = await verifyOne();
      expect(checked.issuer).to.deep.equal({
        ok: false,
        detail: `the credential's issuer is in CN (/issuer/location/address/addressCountry), but the actor that anchored the record, ${MILL} (${millKey.did}), is registered in US`,
      });
    });

    it("judges the issuer's own anchor when a rival anchored the same hash too", async function () {
      lookup.anchor(record, RIVAL);
      const mine = lookup.anchor(record, MILL);
      const { checked } = await verifyOne();
      expect(checked.anchor).to.deep.equal(mine);
      expect(checked.valid).to.equal(true);
    });

    it("is ambiguous when several actors anchored the hash and none is the issuer", async function () {
      lookup.anchor(record, RIVAL);
      lookup.anchor(record, STRANGER);
      const { checked } = await verifyOne();
      expect(checked.anchor).to.equal(undefined);
      expect(checked.issuer).to.deep.equal({
        ok: false,
        detail: `anchored by 2 issuers (${RIVAL}, ${STRANGER}), none of them ${millKey.did}`,
      });
    });

    it("judges only the given issuer address's anchor", async function () {
      lookup.anchor(record, MILL);
      const { checked } = await verifyOne(credential, { issuerAddress: RIVAL });
      expect(checked.integrity.detail).to.equal(
        `no record with content hash ${record.contentHash} is anchored by ${RIVAL}`,
      );
    });
  });

  it("fails integrity when the anchored fields differ from the file", async function () {
    lookup.anchor(record, MILL);
    lookup.differences = ['heatNumber: anchored "FORGED", file "H1"'];
    const { checked } = await verifyOne();
    expect(checked.integrity).to.deep.equal({
      ok: false,
      detail: 'the anchored fields differ from the file: heatNumber: anchored "FORGED", file "H1"',
    });
    expect(checked.valid).to.equal(false);
  });

  describe("status", function () {
    const cases: [string, Partial<AnchoredRecord>, string, string][] = [
      ["revoked", { status: "revoked" }, "revoked", "revoked"],
      ["superseded", { status: "superseded", successor: "0xabc" }, "superseded", "superseded by 0xabc"],
      ["expired", { expiresAt: NOW - 1n }, "expired", "expired at 2023-12-31T23:59:59Z"],
    ];
    for (const [title, extra, state, problem] of cases) {
      it(`reports a ${title} record`, async function () {
        lookup.anchor(record, MILL, extra);
        const { result, checked } = await verifyOne();
        expect(checked.status).to.deep.include({ ok: false, state, problems: [problem], detail: problem });
        expect(result.valid).to.equal(false);
      });
    }

    it("reports a record not valid yet at the chain's time", async function () {
      lookup.anchor(record, MILL);
      const { checked } = await verifyOne(credential, { now: record.issuedAt - 1n });
      expect(checked.status).to.deep.include({ ok: false, state: "not yet valid" });
      expect(checked.status.problems[0]).to.match(/^not valid before /);
    });

    it("reports an issuer that lost its role", async function () {
      lookup.anchor(record, MILL);
      lookup.standing = { role: "MILL", active: false };
      const { checked } = await verifyOne();
      expect(checked.status).to.deep.include({
        ok: false,
        state: "active",
        problems: ["issuer is not an active MILL"],
      });
    });
  });

  describe("proofs", function () {
    it("verifies a VC-JOSE credential's JWS and judges its records", async function () {
      lookup.anchor(record, MILL);
      const jwt = (await issueCredential(credential, millKey.key, { format: "vc-jwt" })) as string;
      expect(isCompactJws(`${jwt}\n`)).to.equal(true);
      const { result, checked } = await verifyOne(jwt);
      expect(result.format).to.equal("vc-jwt");
      expect(result.credential).to.deep.equal(credential);
      expect(result.proof).to.deep.include({ verified: true, errors: [] });
      expect(checked.valid).to.equal(true);
      expect(result.valid).to.equal(true);
    });

    it("is invalid when the JWS was signed by another key, even with a valid anchor", async function () {
      lookup.anchor(record, MILL);
      const other = await generateSigningKey("P-256");
      const forged = { ...credential, issuer: { ...(credential.issuer as Json), id: other.did } };
      const jwt = (await issueCredential(forged, other.key, { format: "vc-jwt" })) as string;
      const [header, , signature] = jwt.split(".");
      const payload = Buffer.from(JSON.stringify(credential)).toString("base64url");
      const { result } = await verifyOne(`${header}.${payload}.${signature}`);
      expect(result.proof?.errors.join()).to.contain(
        `issuer ${millKey.did} does not match the key's controller ${other.did}`,
      );
      expect(result.valid).to.equal(false);
    });

    it("is invalid when the anchoring actor's DID is not the JWS issuer's", async function () {
      lookup.anchor(record, RIVAL);
      const jwt = (await issueCredential(credential, millKey.key, { format: "vc-jwt" })) as string;
      const { result, checked } = await verifyOne(jwt);
      expect(result.proof?.verified).to.equal(true);
      expect(checked.issuer.ok).to.equal(false);
      expect(result.valid).to.equal(false);
    });

    it("checks a linked-data proof a JSON credential carries", async function () {
      const edKey = await generateSigningKey("Ed25519");
      setAt(credential, "/issuer/id", edKey.did);
      const signed = (await issueCredential(credential, edKey.key, { format: "Ed25519Signature2018" })) as Json;
      // The proof adds the suite's context, which the vocabulary schema's fixed @context does not allow: map the
      // credential as issued, judge the proof on the signed document.
      const context = credential["@context"];
      const mapper = {
        ...options,
        mapCredential: (vc: unknown) => mapCredential({ ...(vc as Json), "@context": context }),
      };
      lookup.actors.set(MILL, { address: MILL, did: edKey.did });
      [record] = mapper.mapCredential(signed).records as MappedRecord[];
      lookup.anchor(record, MILL);
      const result = await verifyAnchoredCredential(signed, lookup, mapper);
      expect(result.proof).to.deep.include({ verified: true, errors: [] });
      expect(result.valid).to.equal(true);
      (signed.credentialSubject as Json).certificateNumber = "999";
      const tampered = await verifyAnchoredCredential(signed, lookup, mapper);
      expect(tampered.proof?.errors).to.deep.equal(["signature does not match"]);
      expect(tampered.valid).to.equal(false);
    });

    it("lets the mapper's error through for a credential it cannot map", async function () {
      let error: unknown;
      await verifyAnchoredCredential({ type: ["VerifiableCredential"] }, lookup, options).catch(
        (e: unknown) => (error = e),
      );
      expect(error).to.be.instanceOf(Error);
    });
  });
});
