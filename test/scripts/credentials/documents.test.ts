import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MAPPED_TYPES, findRecord, mapCredential, recordsToJson } from "../../../scripts/credentials/documents";
import { CredentialError } from "../../../scripts/credentials/errors";
import { contentHash } from "../../../scripts/credentials/jcs";
import { loadSchemaDir, readCredential } from "../../../scripts/credentials/node-loader";
import { CREDENTIAL_FIXTURES, SHARED_VOCAB_DIR, credentialFixture, vocabExample } from "../../helpers/credentials";
import { recordIdOf } from "../../../scripts/lib/record-id";

describe("scripts/credentials/documents", function () {
  it("maps every supported example and fixture to its registry", function () {
    const cases: [unknown, string, string, number][] = [
      [vocabExample("MillTestReportCredential"), "MillTestReportRegistry", "MillTestReportCredential", 1],
      [vocabExample("CertificationOfOrigin"), "CertificateOfOriginRegistry", "CertificationOfOrigin", 1],
      [
        credentialFixture("USMCACertificationOfOrigin.example.json"),
        "CertificateOfOriginRegistry",
        "USMCACertificationOfOrigin",
        1,
      ],
      [
        credentialFixture("MillTestReportCredential.multi-inspection.json"),
        "MillTestReportRegistry",
        "MillTestReportCredential",
        2,
      ],
    ];
    for (const [credential, registry, type, count] of cases) {
      const mapped = mapCredential(credential);
      expect(mapped.registry, type).to.equal(registry);
      expect(mapped.type).to.equal(type);
      expect(mapped.credentialHash).to.equal(contentHash(credential));
      expect(mapped.records).to.have.length(count);
    }
    expect(MAPPED_TYPES).to.deep.equal([
      "MillTestReportCredential",
      "CertificationOfOrigin",
      "USMCACertificationOfOrigin",
    ]);
  });

  it("reads credential files", function () {
    const file = path.join(CREDENTIAL_FIXTURES, "MillTestReportCredential.multi-inspection.json");
    expect(readCredential(file).records.map((r) => r.contentHash)).to.deep.equal(
      mapCredential(credentialFixture("MillTestReportCredential.multi-inspection.json")).records.map(
        (r) => r.contentHash,
      ),
    );
    expect(() => readCredential(path.join(CREDENTIAL_FIXTURES, "missing.json"))).to.throw(
      CredentialError,
      "cannot read",
    );
  });

  it("gives each bad-input class its one-line CredentialError, end to end", function () {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tt-creds-"));
    const write = (name: string, text: string): string => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const mtr = JSON.stringify(vocabExample("MillTestReportCredential"), null, 2);
    const cases: [string, string][] = [
      [mtr.replace('"heatNumber": "61316",', '"heatNumber": "61316",\n"heatNumber": "9",'), "duplicate member name"],
      [mtr.slice(0, -2), "malformed JSON in"],
      [
        mtr.replace('"heatNumber": "61316"', '"heatNumber": 61316'),
        "schema violation at /credentialSubject/inspections/0/heatNumber: must be string",
      ],
      [
        mtr.replace('"unitCode": "KG"', '"unitCode": "lbs"'),
        "unknown unit code 'lbs' at /credentialSubject/inspections/0/perUnitWeight/unitCode",
      ],
      [
        mtr.replace('"countryOfMeltAndPour": "US"', '"countryOfMeltAndPour": "Mordor"'),
        "cannot normalise country 'Mordor'",
      ],
    ];
    cases.forEach(([text, message], i) => {
      const file = write(`c${i}.json`, text);
      let caught: unknown;
      try {
        readCredential(file);
      } catch (error) {
        caught = error;
      }
      expect(caught, message).to.be.instanceOf(CredentialError);
      expect((caught as Error).message).to.include(message);
      expect((caught as Error).message).to.not.match(/[\r\n]/);
    });
  });

  it("refuses credential types without a registry", function () {
    // The tool bundles only the schemas it maps; the fixture folder knows the other types (test data).
    const file = path.join(SHARED_VOCAB_DIR, "BillOfLadingCredential.example.json");
    expect(() => readCredential(file, loadSchemaDir(SHARED_VOCAB_DIR))).to.throw(
      CredentialError,
      "a BillOfLadingCredential does not map to a TradeTrace registry record at /type",
    );
  });

  it("finds a record by its issuer-bound id, in any hex case, and only with that issuer", function () {
    const mapped = mapCredential(credentialFixture("MillTestReportCredential.multi-inspection.json"));
    const second = mapped.records[1];
    const mill = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const other = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
    const id = recordIdOf(mill, second.contentHash);
    expect(findRecord(mapped, id.toUpperCase().replace("0X", "0x"), mill)).to.equal(second);
    expect(findRecord(mapped, id, other)).to.equal(undefined);
    expect(findRecord(mapped, second.contentHash, mill)).to.equal(undefined);
    expect(findRecord(mapped, mapped.credentialHash, mill)).to.equal(undefined);
  });

  it("writes records as JSON with bigints as decimal strings", function () {
    const mapped = mapCredential(vocabExample("MillTestReportCredential"));
    const json = JSON.parse(recordsToJson(mapped.records)) as Record<string, unknown>[];
    expect(json[0].totalWeightKg).to.equal("289600");
    expect((json[0].chemistryPpm as Record<string, string>).Cr).to.equal("165580");
    expect(json[0].heatNumber).to.equal("61316");
  });
});
