import { expect } from "chai";
import { CredentialError } from "../../../scripts/credentials/errors";
import { contentHash } from "../../../scripts/credentials/jcs";
import { CHEMISTRY_KEYS, MTR_TYPE, mapMillTestReport } from "../../../scripts/credentials/mtr";
import { convertMeasured, percentTo } from "../../../scripts/credentials/units";
import { at, clone, credentialFixture, setAt, vocabExample } from "../../helpers/credentials";

const INSPECTION = "/credentialSubject/inspections/0";

/** The same JSON with every object's members in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).reverse();
  return Object.fromEntries(entries.map(([k, v]) => [k, reverseKeys(v)]));
}

describe("scripts/credentials/mtr", function () {
  describe("the vocabulary's MillTestReportCredential example", function () {
    const example = vocabExample(MTR_TYPE);
    const records = mapMillTestReport(example);
    const [record] = records;
    const inspection = at(example, INSPECTION);

    it("gives one record, anchored by the credential's content hash", function () {
      expect(records).to.have.length(1);
      expect(record.credentialHash).to.equal(contentHash(example));
      expect(record.contentHash).to.equal(record.credentialHash);
      expect(record.contentHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(record.inspectionIndex).to.equal(0);
      expect(record.inspectionCount).to.equal(1);
    });

    it("copies identifiers and parties from the credential", function () {
      expect(record.credentialId).to.equal(at(example, "/id"));
      expect(record.issuerDid).to.equal(at(example, "/issuer/id"));
      expect(record.issuerName).to.equal(at(example, "/issuer/name"));
      expect(record.certificateNumber).to.equal(at(example, "/credentialSubject/certificateNumber"));
      expect(record.certification).to.equal(at(example, "/credentialSubject/certification"));
      expect(record.purchaseOrderNumber).to.equal(at(example, "/credentialSubject/purchaseOrderNumber"));
      expect(record.customer).to.deep.equal({
        did: at(example, "/credentialSubject/customer/id"),
        name: at(example, "/credentialSubject/customer/name"),
        country: at(example, "/credentialSubject/customer/location/address/addressCountry"),
      });
      expect(record.productStandard).to.equal(at(example, "/credentialSubject/productSpecification/standard"));
      expect(record.productGrade).to.equal(at(example, "/credentialSubject/productSpecification/grade"));
      expect(record.productDescription).to.equal(
        at(example, "/credentialSubject/productSpecification/productDescription"),
      );
      expect(record.heatNumber).to.equal(inspection.heatNumber);
      expect(record.productIdentifier).to.equal(inspection.productIdentifier);
      expect(record.testNumber).to.equal(inspection.testNumber);
      expect(record.meltPractice).to.equal(inspection.meltPractice);
      expect(record.countryOfMeltAndPour).to.equal(inspection.countryOfMeltAndPour);
      expect(record.countryOfManufacture).to.equal(inspection.countryOfManufacture);
      expect(record.pieces).to.equal(inspection.pieces);
    });

    it("converts dates, chemistry, strengths, elongation, weight and dimensions", function () {
      expect(record.issuedAt).to.equal(BigInt(Date.parse(at(example, "/validFrom")) / 1000));
      expect(record.issuedAt).to.equal(1654503000n); // 2022-06-06T08:10:00+00:00
      expect(record.expiresAt).to.equal(0n);
      // Every chemistry key of the example, as ppm of its percentage.
      const chemistry = inspection.chemicalComposition as Record<string, unknown>;
      const keys = Object.keys(chemistry).filter((k) => k !== "type") as (keyof typeof CHEMISTRY_KEYS)[];
      expect(Object.keys(record.chemistryPpm)).to.have.members(keys.map((k) => CHEMISTRY_KEYS[k]));
      for (const key of keys) {
        expect(record.chemistryPpm[CHEMISTRY_KEYS[key]], key).to.equal(percentTo(chemistry[key], "ppm", "/"));
      }
      // Concrete: C 0.0189 % = 189 ppm, Cr 16.558 % = 165580 ppm, Nb 0, CE 0.3882 -> 3882.
      expect(record.chemistryPpm.C).to.equal(189n);
      expect(record.chemistryPpm.Cr).to.equal(165580n);
      expect(record.chemistryPpm.Ni).to.equal(82860n);
      expect(record.chemistryPpm.Nb).to.equal(0n);
      expect(record.chemistryPpm.CE).to.equal(3882n);
      expect(record.chemistryPpm.B).to.equal(14n);
      // 648.71 and 367.22 MPa in 0.01 MPa; 32 % in 0.01 %; 289600 KG; 6000 x 2000 x 60 MM in micrometres.
      expect(record.yieldStrength).to.equal(64871n);
      expect(record.tensileStrength).to.equal(36722n);
      expect(record.elongation).to.equal(3200n);
      expect(record.totalWeightKg).to.equal(289600n);
      expect(record.totalWeightKg).to.equal(convertMeasured(inspection.totalWeight, "kilogram", "/").value);
      expect(record.dimensionsUm).to.deep.equal({
        length: 6_000_000n,
        width: 2_000_000n,
        thickness: 60_000n,
        diameter: null,
      });
    });

    it("notes the non-Rec 20 unit symbols and the yield above tensile", function () {
      expect(record.notes).to.include(
        `unit 'KG' at ${INSPECTION}/totalWeight/unitCode is not a UN/ECE Rec 20 code; read as KGM (kilogram)`,
      );
      expect(record.notes.filter((n) => n.includes("'MPa'"))).to.have.length(2);
      expect(record.notes.filter((n) => n.includes("'MM'"))).to.have.length(3);
      expect(record.notes.filter((n) => n.includes("'%'"))).to.have.length(1);
      expect(record.notes).to.include(`yield strength exceeds tensile strength at ${INSPECTION}/mechanicalProperties`);
    });
  });

  describe("a credential with several inspections (test/fixtures/credentials)", function () {
    const credential = credentialFixture("MillTestReportCredential.multi-inspection.json");
    const records = mapMillTestReport(credential);

    it("gives one record per inspection, each with its own derived hash", function () {
      const inspections = at(credential, "/credentialSubject/inspections") as unknown[];
      expect(records).to.have.length(inspections.length).and.to.have.length(2);
      const credentialHash = contentHash(credential);
      records.forEach((record, index) => {
        expect(record.credentialHash).to.equal(credentialHash);
        expect(record.inspectionIndex).to.equal(index);
        expect(record.inspectionCount).to.equal(2);
        expect(record.contentHash).to.equal(contentHash({ credentialHash, recordIndex: index }));
        expect(record.contentHash).to.not.equal(credentialHash);
        expect(record.heatNumber).to.equal(at(credential, `/credentialSubject/inspections/${index}/heatNumber`));
      });
      expect(records[0].contentHash).to.not.equal(records[1].contentHash);
    });

    it("normalises country names and codes", function () {
      expect(records[0].countryOfMeltAndPour).to.equal("KR"); // "Korea, Republic of"
      expect(records[0].countryOfManufacture).to.equal("KR");
      expect(records[1].countryOfMeltAndPour).to.equal("JP"); // "Japan"
      expect(records[1].countryOfManufacture).to.equal("KR"); // "KOR"
      expect(records[0].customer.country).to.equal("US"); // "USA"
    });

    it("converts imperial and metric units exactly, rounding half up", function () {
      // 96340.5 lb x 0.45359237 = 43699.36 kg
      expect(records[0].totalWeightKg).to.equal(43699n);
      // 95 pieces x 0.7285 t = 69207.5 kg: a tie, rounded up
      expect(records[1].totalWeightKg).to.equal(69208n);
      // 58700 psi = 404.7222 MPa; 76.4 ksi = 526.7595 MPa; 0.5355 GPa = 535.5 MPa
      expect(records[0].yieldStrength).to.equal(40472n);
      expect(records[0].tensileStrength).to.equal(52676n);
      expect(records[1].yieldStrength).to.equal(41800n);
      expect(records[1].tensileStrength).to.equal(53550n);
      expect(records[0].elongation).to.equal(3150n);
      // 40 ft, 0.365 in, 10.75 in; 12.19 m, 9.27 mm, 273.1 mm
      expect(records[0].dimensionsUm).to.deep.equal({
        length: 12_192_000n,
        width: null,
        thickness: 9_271n,
        diameter: 273_050n,
      });
      expect(records[1].dimensionsUm.length).to.equal(12_190_000n);
      expect(records[1].chemistryPpm).to.deep.equal({
        C: 1400n,
        Mn: 13500n,
        P: 110n,
        S: 20n,
        Si: 2500n,
        Al: 320n,
        B: 3n,
        CE: 3900n,
      });
      expect(records[0].notes).to.deep.equal([]);
      expect(records[1].testNumber).to.equal(null);
    });

    it("reads validFrom with an offset and fractional seconds, and validUntil", function () {
      expect(records[0].issuedAt).to.equal(1710462600n); // 2024-03-15T00:30:00.750Z, floored
      expect(records[0].expiresAt).to.equal(BigInt(Date.parse("2026-03-15T00:00:00Z") / 1000));
    });
  });

  describe("content hash", function () {
    it("changes when one field changes, and only then", function () {
      const example = vocabExample(MTR_TYPE);
      const [original] = mapMillTestReport(example);
      const reordered = reverseKeys(example);
      expect(JSON.stringify(reordered)).to.not.equal(JSON.stringify(example));
      expect(mapMillTestReport(reordered)[0].contentHash).to.equal(original.contentHash);
      for (const [pointer, value] of [
        [`${INSPECTION}/heatNumber`, "61317"],
        [`${INSPECTION}/totalWeight/value`, "289601"],
        [`${INSPECTION}/chemicalComposition/c`, 0.019],
        ["/credentialSubject/remarks", "No Mercury."],
      ] as const) {
        const changed = clone(example);
        setAt(changed, pointer, value);
        expect(mapMillTestReport(changed)[0].contentHash, pointer).to.not.equal(original.contentHash);
      }
      // Same value, different unit: a different document, so a different hash, though the same kilograms.
      const relabelled = clone(example);
      setAt(relabelled, `${INSPECTION}/totalWeight/unitCode`, "KGM");
      const [r] = mapMillTestReport(relabelled);
      expect(r.contentHash).to.not.equal(original.contentHash);
      expect(r.totalWeightKg).to.equal(original.totalWeightKg);
    });
  });

  describe("optional fields", function () {
    it("maps absent optional fields to null", function () {
      const credential = vocabExample(MTR_TYPE);
      for (const pointer of [
        "/issuer/name",
        "/credentialSubject/customer/id",
        `${INSPECTION}/meltPractice`,
        `${INSPECTION}/testNumber`,
        `${INSPECTION}/mechanicalProperties/yield`,
        `${INSPECTION}/mechanicalProperties/elongation`,
        `${INSPECTION}/productDimensions/width`,
      ]) {
        setAt(credential, pointer, undefined);
      }
      const [record] = mapMillTestReport(credential);
      expect(record.issuerName).to.equal(null);
      expect(record.customer.did).to.equal(null);
      expect(record.meltPractice).to.equal(null);
      expect(record.testNumber).to.equal(null);
      expect(record.yieldStrength).to.equal(null);
      expect(record.elongation).to.equal(null);
      expect(record.tensileStrength).to.equal(36722n);
      expect(record.dimensionsUm.width).to.equal(null);
      expect(record.notes.some((n) => n.startsWith("yield strength exceeds"))).to.equal(false);
    });
  });

  describe("weights", function () {
    it("falls back to pieces x perUnitWeight, and needs one of them", function () {
      const credential = vocabExample(MTR_TYPE);
      setAt(credential, `${INSPECTION}/totalWeight`, undefined);
      // 80 x 3620 KG
      expect(mapMillTestReport(credential)[0].totalWeightKg).to.equal(289600n);
      setAt(credential, `${INSPECTION}/pieces`, undefined);
      expect(() => mapMillTestReport(credential)).to.throw(
        CredentialError,
        `no weight at ${INSPECTION}/totalWeight: give totalWeight, or pieces and perUnitWeight`,
      );
    });

    it("checks perUnitWeight beside totalWeight and notes a difference above 2 %", function () {
      const credential = vocabExample(MTR_TYPE);
      expect(mapMillTestReport(credential)[0].notes.filter((n) => n.includes("differs"))).to.deep.equal([]);
      // 80 x 3620 = 289600 kg; the tolerance is 2 % of the declared total.
      const differs = (total: string): boolean => {
        setAt(credential, `${INSPECTION}/totalWeight/value`, total);
        return mapMillTestReport(credential)[0].notes.some((n) => n.includes("differs"));
      };
      expect(differs("295510")).to.equal(false); // 5910 / 295510 = 1.99997 %
      expect(differs("295511")).to.equal(true);
      expect(differs("283922")).to.equal(false);
      expect(differs("283921")).to.equal(true); // 5679 / 283921 = 2.00013 %
      expect(mapMillTestReport(credential)[0].totalWeightKg).to.equal(283921n);
      setAt(credential, `${INSPECTION}/totalWeight/value`, "295511");
      expect(mapMillTestReport(credential)[0].notes).to.include(
        `totalWeight 295511 kg at ${INSPECTION}/totalWeight differs by more than 2 % from pieces x perUnitWeight = 289600 kg`,
      );
      setAt(credential, `${INSPECTION}/perUnitWeight/unitCode`, "lbs");
      expect(() => mapMillTestReport(credential)).to.throw(
        CredentialError,
        `unknown unit code 'lbs' at ${INSPECTION}/perUnitWeight/unitCode`,
      );
      setAt(credential, `${INSPECTION}/pieces`, undefined);
      expect(() => mapMillTestReport(credential)).to.throw(CredentialError, "unknown unit code 'lbs'");
    });

    it("refuses zero, negative, too large and fractional-piece weights", function () {
      const cases: [string, unknown, string][] = [
        [
          `${INSPECTION}/totalWeight/value`,
          "0",
          `weight at ${INSPECTION}/totalWeight/value must be positive, got 0 kg`,
        ],
        [`${INSPECTION}/totalWeight/value`, "-5", "must be positive, got -5 kg"],
        [`${INSPECTION}/totalWeight/value`, "1e40", "exceeds 79228162514264337593543950335 kg"],
      ];
      for (const [pointer, value, message] of cases) {
        const credential = vocabExample(MTR_TYPE);
        setAt(credential, pointer, value);
        expect(() => mapMillTestReport(credential), String(value)).to.throw(CredentialError, message);
      }
      const credential = vocabExample(MTR_TYPE);
      setAt(credential, `${INSPECTION}/totalWeight`, undefined);
      setAt(credential, `${INSPECTION}/pieces`, 0);
      expect(() => mapMillTestReport(credential)).to.throw(
        CredentialError,
        `pieces at ${INSPECTION}/pieces must be a positive integer`,
      );
    });
  });

  describe("bad input", function () {
    const cases: [string, string, unknown, string][] = [
      [
        "an unknown unit",
        `${INSPECTION}/totalWeight/unitCode`,
        "lbs",
        `unknown unit code 'lbs' at ${INSPECTION}/totalWeight/unitCode`,
      ],
      [
        "a unit of the wrong quantity",
        `${INSPECTION}/mechanicalProperties/yield/unitCode`,
        "KGM",
        `unit 'KGM' at ${INSPECTION}/mechanicalProperties/yield/unitCode measures mass, expected stress`,
      ],
      [
        "a country that cannot be normalised",
        `${INSPECTION}/countryOfMeltAndPour`,
        "Atlantis",
        `cannot normalise country 'Atlantis' at ${INSPECTION}/countryOfMeltAndPour`,
      ],
      [
        "a bad customer country",
        "/credentialSubject/customer/location/address/addressCountry",
        "Europe",
        "cannot normalise country 'Europe' at /credentialSubject/customer/location/address/addressCountry",
      ],
      [
        "a value that is not a number",
        `${INSPECTION}/mechanicalProperties/tensile/value`,
        "367,22",
        `invalid number '367,22' at ${INSPECTION}/mechanicalProperties/tensile/value`,
      ],
      [
        "chemistry above 100 %",
        `${INSPECTION}/chemicalComposition/cr`,
        116.5,
        `chemistry 116.5 % at ${INSPECTION}/chemicalComposition/cr is outside 0..100 %`,
      ],
      ["negative chemistry", `${INSPECTION}/chemicalComposition/c`, -0.01, "is outside 0..100 %"],
      [
        "a negative strength",
        `${INSPECTION}/mechanicalProperties/yield/value`,
        "-1",
        `negative yield at ${INSPECTION}/mechanicalProperties/yield/value`,
      ],
      [
        "an issuer that is not a DID",
        "/issuer/id",
        "https://mill.example.com",
        "'https://mill.example.com' at /issuer/id is not a DID",
      ],
      [
        "a customer id that is not a DID",
        "/credentialSubject/customer/id",
        "urn:x:y",
        "at /credentialSubject/customer/id is not a DID",
      ],
      ["a schema violation", `${INSPECTION}/heatNumber`, undefined, "must have required property 'heatNumber'"],
      [
        "no inspections",
        "/credentialSubject/inspections",
        [],
        "schema violation at /credentialSubject/inspections: must NOT have fewer than 1 items",
      ],
    ];
    for (const [name, pointer, value, message] of cases) {
      it(`refuses ${name}`, function () {
        const credential = vocabExample(MTR_TYPE);
        setAt(credential, pointer, value);
        expect(() => mapMillTestReport(credential)).to.throw(CredentialError, message);
      });
    }

    it("refuses a validUntil before validFrom", function () {
      const credential = vocabExample("MillTestReportCredential");
      setAt(credential, "/validFrom", "2024-06-01T00:00:00Z");
      setAt(credential, "/validUntil", "2024-05-31T23:59:59Z");
      expect(() => mapMillTestReport(credential)).to.throw(
        CredentialError,
        "validUntil 2024-05-31T23:59:59Z at /validUntil is before validFrom 2024-06-01T00:00:00Z",
      );
    });

    it("normalises the issuer's address country, and refuses one it cannot", function () {
      expect(
        mapMillTestReport(credentialFixture("MillTestReportCredential.multi-inspection.json"))[0].issuerCountry,
      ).to.equal("KR");
      const credential = vocabExample("MillTestReportCredential");
      setAt(credential, "/issuer/location/address/addressCountry", "Arizona");
      expect(() => mapMillTestReport(credential)).to.throw(
        CredentialError,
        "cannot normalise country 'Arizona' at /issuer/location/address/addressCountry",
      );
    });

    it("refuses other credential types", function () {
      expect(() => mapMillTestReport(vocabExample("CertificationOfOrigin"))).to.throw(
        CredentialError,
        "expected a MillTestReportCredential, got a CertificationOfOrigin at /type",
      );
    });
  });
});
