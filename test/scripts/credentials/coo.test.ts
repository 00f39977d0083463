import { expect } from "chai";
import { COO_TYPES, mapCertificateOfOrigin } from "../../../scripts/credentials/coo";
import { CredentialError } from "../../../scripts/credentials/errors";
import { normaliseHts } from "../../../scripts/credentials/hts";
import { contentHash } from "../../../scripts/credentials/jcs";
import { at, clone, credentialFixture, setAt, vocabExample } from "../../helpers/credentials";

const USMCA_FIXTURE = "USMCACertificationOfOrigin.example.json";

describe("scripts/credentials/coo", function () {
  describe("the vocabulary's CertificationOfOrigin example", function () {
    const example = vocabExample("CertificationOfOrigin");
    const record = mapCertificateOfOrigin(example);

    it("is anchored by the credential's content hash", function () {
      expect(record.contentHash).to.equal(contentHash(example));
      expect(record.credentialHash).to.equal(record.contentHash);
      expect(record.credentialType).to.equal("CertificationOfOrigin");
    });

    it("maps certifier, number, dates and countries", function () {
      expect(record.credentialId).to.equal(at(example, "/id"));
      expect(record.certificateNumber).to.equal(at(example, "/id"));
      expect(record.issuerDid).to.equal(at(example, "/issuer/id"));
      expect(record.issuerName).to.equal("North Italy Chamber of Commerce");
      expect(record.issuedAt).to.equal(BigInt(Date.parse(at(example, "/validFrom")) / 1000));
      expect(record.issuedAt).to.equal(1576036255n);
      expect(record.expiresAt).to.equal(0n);
      expect(record.exportDate).to.equal(
        BigInt(Date.parse(`${at(example, "/credentialSubject/dateOfExport")}T00:00:00Z`) / 1000),
      );
      expect(record.exportDate).to.equal(1643760000n); // 2022-02-02
      expect(record.manufacturingCountry).to.equal(at(example, "/credentialSubject/manufacturingCountry"));
      expect(record.countryOfOrigin).to.equal("IT");
      expect(record.exporters).to.deep.equal([]);
      expect(record.importers).to.deep.equal([]);
      expect(record.producers).to.deep.equal([]);
      expect(record.invoiceNumber).to.equal(null);
      expect(record.notes).to.deep.equal([]);
    });

    it("maps each item to an HTS line, padding the 6-digit HS code", function () {
      const items = at(example, "/credentialSubject/items") as unknown[];
      expect(record.htsLines).to.have.length(items.length);
      const commodity = at(example, "/credentialSubject/items/0/product/commodity");
      expect(record.htsLines[0]).to.deep.equal({
        index: 0,
        ...normaliseHts(commodity.commodityCode, "/"),
        codeType: commodity.commodityCodeType,
        countryOfOrigin: "IT",
        description: at(example, "/credentialSubject/items/0/description"),
        originCriterion: null,
      });
      expect(record.htsLines[0].hts).to.equal("8516710000");
      expect(record.htsLines[0].digits).to.equal(6);
    });

    it("takes sellers as exporters and ship-to parties as importers, once each", function () {
      const credential = clone(example);
      const seller = { type: ["Organization"], id: "did:web:caffe.example.it", name: "Caffè Macchine S.p.A." };
      const shipTo = {
        type: ["Organization"],
        id: "https://importer.example.com",
        name: "Bean There LLC",
        location: {
          type: ["Place"],
          address: { type: ["PostalAddress"], streetAddress: "1 Main St", addressCountry: "United States" },
        },
      };
      const item = at(credential, "/credentialSubject/items/0");
      item.product.seller = seller;
      item.shipToParty = shipTo;
      item.countryOfOrigin = "ITA";
      const second = clone(item);
      second.product.commodity = { type: ["Commodity"], commodityCode: "8516.79.0000", commodityCodeType: "HTS" };
      delete second.description;
      at(credential, "/credentialSubject/items").push(second);
      const mapped = mapCertificateOfOrigin(credential);
      expect(mapped.exporters).to.deep.equal([
        { id: seller.id, did: seller.id, name: seller.name, taxId: null, address: null },
      ]);
      expect(mapped.importers).to.deep.equal([
        {
          id: shipTo.id,
          did: null,
          name: shipTo.name,
          taxId: null,
          address: { streetAddress: "1 Main St", locality: null, region: null, postalCode: null, country: "US" },
        },
      ]);
      expect(mapped.htsLines.map((l) => [l.hts, l.digits, l.countryOfOrigin, l.description])).to.deep.equal([
        ["8516710000", 6, "IT", "Premium Prosumer Espresso Makers - Model Dolce"],
        ["8516790000", 10, "IT", "Espresso Italiano"],
      ]);
      expect(mapped.contentHash).to.not.equal(record.contentHash);
    });

    it("keeps a line's own origin and reports mixed origins", function () {
      const credential = clone(example);
      const second = clone(at(credential, "/credentialSubject/items/0"));
      second.countryOfOrigin = "Türkiye";
      at(credential, "/credentialSubject/items").push(second);
      const mapped = mapCertificateOfOrigin(credential);
      expect(mapped.htsLines.map((l) => l.countryOfOrigin)).to.deep.equal(["IT", "TR"]);
      expect(mapped.countryOfOrigin).to.equal(null);
      expect(mapped.manufacturingCountry).to.equal("IT");
      expect(mapped.notes).to.deep.equal(["lines have different countries of origin: IT, TR"]);
    });
  });

  describe("a USMCACertificationOfOrigin (test/fixtures/credentials)", function () {
    const credential = credentialFixture(USMCA_FIXTURE);
    const record = mapCertificateOfOrigin(credential);
    const subject = at(credential, "/credentialSubject");

    it("maps certifier, validity and parties", function () {
      expect(record.credentialType).to.equal("USMCACertificationOfOrigin");
      expect(record.contentHash).to.equal(contentHash(credential));
      expect(record.certificateNumber).to.equal(at(credential, "/id"));
      expect(record.issuerDid).to.equal(at(credential, "/issuer/id"));
      expect(record.issuedAt).to.equal(1704067200n); // 2024-01-01T00:00:00Z
      expect(record.expiresAt).to.equal(1735689599n); // 2024-12-31T23:59:59Z
      expect(record.invoiceNumber).to.equal(subject.invoiceNumber);
      expect(record.exportDate).to.equal(null);
      expect(record.exporters).to.deep.equal([
        {
          id: subject.exporterDetails.id,
          did: subject.exporterDetails.id,
          name: subject.exporterDetails.name,
          taxId: subject.exporterDetails.taxId,
          address: {
            streetAddress: subject.exporterDetails.location.address.streetAddress,
            locality: subject.exporterDetails.location.address.addressLocality,
            region: subject.exporterDetails.location.address.addressRegion,
            postalCode: subject.exporterDetails.location.address.postalCode,
            country: "MX", // "Mexico"
          },
        },
      ]);
      expect(record.producers.map((p) => [p.did, p.name, p.address?.country])).to.deep.equal([
        [subject.producerDetails.id, subject.producerDetails.name, "MX"], // "MEX"
      ]);
      expect(record.importers.map((p) => [p.did, p.name, p.taxId, p.address?.country])).to.deep.equal([
        [subject.importerDetails[0].id, subject.importerDetails[0].name, "76-1234567", "US"], // "United States of America"
      ]);
    });

    it("maps each good to an HTS line with its origin criterion", function () {
      expect(record.htsLines).to.have.length(subject.goods.length);
      record.htsLines.forEach((line, i) => {
        const good = subject.goods[i];
        expect(line.index).to.equal(i);
        expect(line.codeType).to.equal(good.commodityCodeType);
        expect(line.originCriterion).to.equal(good.originCriterion);
        expect(line.countryOfOrigin).to.equal(good.countryOfOrigin);
        expect(line.description).to.equal(good.description);
        expect(line.hts).to.equal(good.commodityCode.replace(/\./g, "").padEnd(10, "0"));
      });
      expect(record.htsLines.map((l) => [l.hts, l.htsNumber, l.digits])).to.deep.equal([
        ["7304191020", 7304191020n, 10],
        ["7306190000", 7306190000n, 6],
      ]);
      expect(record.countryOfOrigin).to.equal("MX");
    });

    it("allows goods from several USMCA countries, with a note", function () {
      const mixed = clone(credential);
      setAt(mixed, "/credentialSubject/goods/1/countryOfOrigin", "US");
      const mapped = mapCertificateOfOrigin(mixed);
      expect(mapped.countryOfOrigin).to.equal(null);
      expect(mapped.notes).to.deep.equal(["lines have different countries of origin: MX, US"]);
    });

    it("has no importers when none are named", function () {
      const none = clone(credential);
      setAt(none, "/credentialSubject/importerDetails", undefined);
      expect(mapCertificateOfOrigin(none).importers).to.deep.equal([]);
    });

    it("changes its hash when one field changes", function () {
      const changed = clone(credential);
      setAt(changed, "/credentialSubject/goods/0/commodityCode", "7304.19.1050");
      const mapped = mapCertificateOfOrigin(changed);
      expect(mapped.contentHash).to.not.equal(record.contentHash);
      expect(mapped.htsLines[0].hts).to.equal("7304191050");
    });
  });

  describe("bad input", function () {
    const cases: [string, string, string, unknown, string][] = [
      [
        "a malformed HTS code",
        USMCA_FIXTURE,
        "/credentialSubject/goods/0/commodityCode",
        "7304.19.102",
        "malformed HTS/HS code '7304.19.102' at /credentialSubject/goods/0/commodityCode: expected 6, 8 or 10 digits",
      ],
      [
        "a malformed HS code in a CoO",
        "CertificationOfOrigin",
        "/credentialSubject/items/0/product/commodity/commodityCode",
        "85-16-71",
        "malformed HTS/HS code '85-16-71' at /credentialSubject/items/0/product/commodity/commodityCode",
      ],
      [
        "a CoO line without a commodity code",
        "CertificationOfOrigin",
        "/credentialSubject/items/0/product/commodity/commodityCode",
        undefined,
        "no commodity code at /credentialSubject/items/0/product/commodity/commodityCode",
      ],
      [
        "an unknown manufacturing country",
        "CertificationOfOrigin",
        "/credentialSubject/manufacturingCountry",
        "Lombardy",
        "cannot normalise country 'Lombardy' at /credentialSubject/manufacturingCountry",
      ],
      [
        "an unknown party country",
        USMCA_FIXTURE,
        "/credentialSubject/importerDetails/0/location/address/addressCountry",
        "Texas",
        "cannot normalise country 'Texas' at /credentialSubject/importerDetails/0/location/address/addressCountry",
      ],
      [
        "a non-USMCA origin",
        USMCA_FIXTURE,
        "/credentialSubject/goods/0/countryOfOrigin",
        "CN",
        "USMCACertificationOfOrigin schema violation at /credentialSubject/goods/0/countryOfOrigin: must be equal to one of the allowed values",
      ],
      [
        "an issuer that is not a DID",
        "CertificationOfOrigin",
        "/issuer/id",
        "urn:chamber:it:mi",
        "at /issuer/id is not a DID",
      ],
      [
        "no lines",
        "CertificationOfOrigin",
        "/credentialSubject/items",
        [],
        "needs at least one line at /credentialSubject/items",
      ],
      [
        "a missing export date",
        "CertificationOfOrigin",
        "/credentialSubject/dateOfExport",
        undefined,
        "must have required property 'dateOfExport'",
      ],
    ];
    for (const [name, source, pointer, value, message] of cases) {
      it(`refuses ${name}`, function () {
        const credential = source.endsWith(".json") ? credentialFixture(source) : vocabExample(source);
        setAt(credential, pointer, value);
        expect(() => mapCertificateOfOrigin(credential)).to.throw(CredentialError, message);
      });
    }

    // Security review (tool findings): dates, the issuer's address and signed credentials.
    it("refuses a validUntil before validFrom", function () {
      const credential = credentialFixture(USMCA_FIXTURE);
      setAt(credential, "/validUntil", "2023-12-31T00:00:00Z");
      expect(() => mapCertificateOfOrigin(credential)).to.throw(
        CredentialError,
        "validUntil 2023-12-31T00:00:00Z at /validUntil is before validFrom 2024-01-01T00:00:00Z",
      );
    });

    it("refuses an export date after the certificate's validity", function () {
      const credential = vocabExample("CertificationOfOrigin");
      setAt(credential, "/validUntil", "2020-01-31T00:00:00Z");
      setAt(credential, "/credentialSubject/dateOfExport", "2020-03-01");
      expect(() => mapCertificateOfOrigin(credential)).to.throw(
        CredentialError,
        "export date 2020-03-01 at /credentialSubject/dateOfExport is after the certificate's validUntil 2020-01-31T00:00:00Z",
      );
    });

    it("refuses an issuer address country that cannot be normalised", function () {
      const credential = credentialFixture(USMCA_FIXTURE);
      setAt(credential, "/issuer/location/address/addressCountry", "Nuevo Leon");
      expect(() => mapCertificateOfOrigin(credential)).to.throw(
        CredentialError,
        "cannot normalise country 'Nuevo Leon' at /issuer/location/address/addressCountry",
      );
    });

    it("maps the issuer's address country", function () {
      expect(mapCertificateOfOrigin(credentialFixture(USMCA_FIXTURE)).issuerCountry).to.equal("MX");
      expect(mapCertificateOfOrigin(vocabExample("CertificationOfOrigin")).issuerCountry).to.equal(null);
    });

    it("accepts a signed USMCA certification (a proof is not vocabulary data)", function () {
      const credential = credentialFixture(USMCA_FIXTURE);
      setAt(credential, "/proof", {
        type: "Ed25519Signature2018",
        created: "2024-01-01T00:00:00Z",
        verificationMethod: "did:web:tubos-del-norte.example.com#key-1",
        proofPurpose: "assertionMethod",
        jws: "eyJhbGciOiJFZERTQSJ9..c2lnbmF0dXJl",
      });
      const record = mapCertificateOfOrigin(credential);
      expect(record.contentHash).to.equal(contentHash(credential));
      expect(record.contentHash).not.to.equal(contentHash(credentialFixture(USMCA_FIXTURE)));
      setAt(credential, "/proof", "signed");
      expect(() => mapCertificateOfOrigin(credential)).to.throw(CredentialError, "proof at /proof must be an object");
    });

    it("refuses other credential types", function () {
      expect(() => mapCertificateOfOrigin(vocabExample("MillTestReportCredential"))).to.throw(
        CredentialError,
        `expected one of ${COO_TYPES.join(", ")}, got a MillTestReportCredential at /type`,
      );
    });
  });
});
