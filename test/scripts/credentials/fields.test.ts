import { expect } from "chai";
import { CredentialError } from "../../../scripts/credentials/errors";
import {
  MAX_KG,
  isDid,
  recordHash,
  requireDid,
  requireRecordKg,
  toUnixSeconds,
} from "../../../scripts/credentials/fields";
import { contentHash } from "../../../scripts/credentials/jcs";

describe("scripts/credentials/fields", function () {
  it("recognises DIDs", function () {
    for (const did of [
      "did:web:organization.example.com",
      "did:web:example.com%3A8443:mills:7",
      "did:key:z6MkhaXgBZD",
      "did:ethr:0x1:0xabc",
    ]) {
      expect(isDid(did), did).to.equal(true);
      expect(requireDid(did, "/issuer/id")).to.equal(did);
    }
    for (const bad of [
      "did:web:",
      "did::x",
      "DID:web:x",
      "did:Web:x",
      "did:web:a b",
      "did:web:x#key-1",
      "https://x",
      "",
      7,
    ]) {
      expect(isDid(bad), String(bad)).to.equal(false);
    }
    expect(() => requireDid("urn:uuid:1", "/issuer/id")).to.throw(
      CredentialError,
      "'urn:uuid:1' at /issuer/id is not a DID",
    );
  });

  it("reads dates and date-times as unix seconds", function () {
    expect(toUnixSeconds("2019-12-11T03:50:55Z", "/d")).to.equal(1576036255n);
    expect(toUnixSeconds("2022-02-02", "/d")).to.equal(1643760000n);
    expect(toUnixSeconds("2022-06-06T08:10:00+00:00", "/d")).to.equal(1654503000n);
    expect(toUnixSeconds("1969-12-31T23:59:59.5Z", "/d")).to.equal(-1n);
    expect(toUnixSeconds("2024-03-15T09:30:00.750+09:00", "/d")).to.equal(1710462600n);
    expect(toUnixSeconds("2024-03-14t20:00:00-04:30", "/d")).to.equal(1710462600n);
    expect(toUnixSeconds("2024-02-29", "/d")).to.equal(1709164800n); // leap year
    expect(toUnixSeconds("2016-12-31T23:59:60Z", "/d")).to.equal(1483228800n); // leap second
    for (const bad of [
      "yesterday",
      "06/06/2022",
      "2022-13-01",
      "2022-00-10",
      "2022-02-30",
      "2023-02-29",
      "2022-06-00",
      "2022-06-06T08:10:00", // no offset: would depend on the local zone
      "2022-06-06 08:10:00Z",
      "2022-06-06T24:00:00Z",
      "2022-06-06T08:60:00Z",
      "2022-06-06T08:10:61Z",
      "2022-06-06T08:10:00+24:00",
      "2022-06-06T08:10:00+05:60",
      "2022-06-06T08:10:00+0000",
      "",
      1654503000,
    ]) {
      expect(() => toUnixSeconds(bad, "/validFrom"), String(bad)).to.throw(CredentialError, "at /validFrom");
    }
    expect(() => toUnixSeconds("2022-13-01", "/validFrom")).to.throw(
      CredentialError,
      "invalid date '2022-13-01' at /validFrom",
    );
  });

  it("bounds record weights to a positive uint96", function () {
    expect(requireRecordKg(1n, "/w")).to.equal(1n);
    expect(requireRecordKg(MAX_KG, "/w")).to.equal(2n ** 96n - 1n);
    expect(() => requireRecordKg(MAX_KG + 1n, "/w")).to.throw(CredentialError, "weight at /w exceeds");
    expect(() => requireRecordKg(0n, "/w")).to.throw(CredentialError, "weight at /w must be positive, got 0 kg");
  });

  it("derives record hashes: the credential hash alone, or per index when there are several", function () {
    const h = contentHash({ any: "credential" });
    expect(recordHash(h, 0, 1)).to.equal(h);
    expect(recordHash(h, 0, 2)).to.equal(contentHash({ credentialHash: h, recordIndex: 0 }));
    expect(recordHash(h, 1, 2)).to.equal(contentHash({ recordIndex: 1, credentialHash: h }));
    expect(recordHash(h, 0, 2)).to.not.equal(recordHash(h, 1, 2));
    expect(() => recordHash(h, 2, 2)).to.throw(RangeError);
    expect(() => recordHash(h, -1, 2)).to.throw(RangeError);
    expect(() => recordHash(h, 0.5, 2)).to.throw(RangeError);
  });
});
