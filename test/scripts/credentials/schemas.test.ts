import { expect } from "chai";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CredentialError } from "../../../scripts/credentials/errors";
import {
  BUNDLED_VOCAB_DIR,
  REPO_ROOT,
  VOCAB_DIR_ENV,
  defaultVocabDir,
  loadSchemaDir,
  vocabularySchemas,
} from "../../../scripts/credentials/node-loader";
import { describeViolation } from "../../../scripts/credentials/schemas";
import { BUNDLED_SCHEMAS, defaultSchemas } from "../../../scripts/credentials/vocab";
import { MAPPED_TYPES } from "../../../scripts/credentials/documents";
import {
  CREDENTIAL_FIXTURES,
  SHARED_VOCAB_DIR,
  clone,
  credentialFixture,
  setAt,
  vocabExample,
} from "../../helpers/credentials";

/** The message of the CredentialError that `fn` throws. */
function errorOf(fn: () => unknown): CredentialError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(CredentialError);
    return error as CredentialError;
  }
  throw new Error("expected a CredentialError");
}

describe("scripts/credentials/schemas", function () {
  const schemas = loadSchemaDir();
  const vocabDir = defaultVocabDir();
  const mtr = vocabExample("MillTestReportCredential");

  /** Every example of the shared fixtures, validated with the full fixture schema set (test data). */
  const fixtureSchemas = loadSchemaDir(SHARED_VOCAB_DIR);

  describe("the vocabulary directory", function () {
    it("defaults to the schemas bundled in the repository (scripts/credentials/vocab), or TRADETRACE_VOCAB_DIR", function () {
      const bundled = path.join(REPO_ROOT, "scripts", "credentials", "vocab");
      expect(defaultVocabDir({})).to.equal(bundled);
      expect(path.relative(REPO_ROOT, defaultVocabDir({}))).not.to.match(/^\.\./);
      expect(defaultVocabDir({ [VOCAB_DIR_ENV]: "/tmp/vocab" })).to.equal("/tmp/vocab");
      expect(defaultVocabDir({ [VOCAB_DIR_ENV]: "" })).to.equal(defaultVocabDir({}));
    });

    it("bundles exactly the schemas of the mapped types, byte for byte as in the traceability-vocab fixture", function () {
      const bundled = readdirSync(defaultVocabDir({})).filter((f) => f.endsWith(".schema.json"));
      expect(bundled.sort()).to.deep.equal(MAPPED_TYPES.map((t) => `${t}.schema.json`).sort());
      for (const file of bundled) {
        expect(readFileSync(path.join(defaultVocabDir({}), file), "utf8"), file).to.equal(
          readFileSync(path.join(SHARED_VOCAB_DIR, file), "utf8"),
        );
      }
      const notice = readFileSync(path.join(defaultVocabDir({}), "NOTICE.md"), "utf8");
      expect(notice).to.include("w3c-ccg/traceability-vocab").and.include("W3C Software and Document License");
    });

    it("bundles the same schemas as JSON modules for the web app (the default set)", function () {
      expect(Object.keys(BUNDLED_SCHEMAS).sort()).to.deep.equal(schemas.types);
      for (const type of schemas.types) {
        const file = path.join(BUNDLED_VOCAB_DIR, `${type}.schema.json`);
        expect(BUNDLED_SCHEMAS[type], type).to.deep.equal(JSON.parse(readFileSync(file, "utf8")));
      }
      expect(defaultSchemas().types).to.deep.equal(schemas.types);
      expect(defaultSchemas().validate(mtr).type).to.equal("MillTestReportCredential");
      expect(defaultSchemas()).to.equal(defaultSchemas());
    });

    it("lists one type per schema file", function () {
      const files = readdirSync(vocabDir).filter((f) => f.endsWith(".schema.json"));
      expect(schemas.types).to.deep.equal(files.map((f) => f.replace(".schema.json", "")).sort());
      expect(schemas.types).to.include.members([
        "MillTestReportCredential",
        "CertificationOfOrigin",
        "USMCACertificationOfOrigin",
      ]);
      expect(fixtureSchemas.types).to.include("BillOfLadingCredential");
      expect(schemas.has("MillTestReportCredential")).to.equal(true);
      expect(schemas.has("Nope")).to.equal(false);
    });

    it("follows TRADETRACE_VOCAB_DIR in the command-line tool's set", function () {
      const dir = mkdtempSync(path.join(os.tmpdir(), "tt-vocab-"));
      writeFileSync(path.join(dir, "OnlyCredential.schema.json"), '{"type":"object"}');
      const saved = process.env[VOCAB_DIR_ENV];
      try {
        process.env[VOCAB_DIR_ENV] = dir;
        expect(vocabularySchemas().types).to.deep.equal(["OnlyCredential"]);
        expect(vocabularySchemas().dir).to.equal(dir);
        expect(vocabularySchemas()).to.equal(vocabularySchemas());
      } finally {
        if (saved === undefined) delete process.env[VOCAB_DIR_ENV];
        else process.env[VOCAB_DIR_ENV] = saved;
      }
      expect(vocabDir).to.equal(BUNDLED_VOCAB_DIR);
      expect(vocabularySchemas()).to.equal(defaultSchemas());
    });

    it("refuses a missing directory, one without schemas, and a broken schema", function () {
      expect(() => loadSchemaDir("/nonexistent/vocab")).to.throw(
        CredentialError,
        "cannot read the vocabulary directory /nonexistent/vocab",
      );
      const empty = mkdtempSync(path.join(os.tmpdir(), "tt-vocab-"));
      expect(() => loadSchemaDir(empty)).to.throw(CredentialError, "no *.schema.json files");
      const broken = mkdtempSync(path.join(os.tmpdir(), "tt-vocab-"));
      writeFileSync(
        path.join(broken, "BrokenCredential.schema.json"),
        '{"type":"object","properties":{"a":{"type":"strnig"}}}',
      );
      const set = loadSchemaDir(broken);
      expect(() => set.validate({ type: ["VerifiableCredential", "BrokenCredential"] })).to.throw(
        CredentialError,
        "cannot compile the schema",
      );
    });
  });

  describe("type detection", function () {
    it("finds the one known type next to VerifiableCredential", function () {
      expect(schemas.detectType(mtr)).to.equal("MillTestReportCredential");
      expect(schemas.detectType({ type: ["CertificationOfOrigin", "VerifiableCredential", "Extra"] })).to.equal(
        "CertificationOfOrigin",
      );
    });

    it("refuses credentials without a usable type", function () {
      const cases: [unknown, string][] = [
        [[], "a credential must be a JSON object"],
        [null, "a credential must be a JSON object"],
        ["x", "a credential must be a JSON object"],
        [{}, "credential has no array of type names at /type"],
        [{ type: "VerifiableCredential" }, "no array of type names"],
        [{ type: ["VerifiableCredential", 3] }, "no array of type names"],
        [{ type: ["MillTestReportCredential"] }, "does not include 'VerifiableCredential'"],
        [{ type: ["VerifiableCredential", "PassportCredential"] }, "unsupported credential type 'PassportCredential'"],
        [
          { type: ["VerifiableCredential"] },
          "unsupported credential type '' at /type; known: CertificationOfOrigin, MillTestReportCredential, USMCACertificationOfOrigin",
        ],
        [
          { type: ["VerifiableCredential", "CertificationOfOrigin", "MillTestReportCredential"] },
          "several known types at /type: CertificationOfOrigin, MillTestReportCredential",
        ],
      ];
      for (const [credential, message] of cases) {
        expect(() => schemas.detectType(credential), JSON.stringify(credential)).to.throw(CredentialError, message);
      }
    });
  });

  describe("validation", function () {
    it("accepts every example of the vocabulary and of the project's fixtures, unchanged", function () {
      const examples = readdirSync(SHARED_VOCAB_DIR).filter((f) => f.endsWith(".example.json"));
      expect(examples.length).to.be.greaterThan(5);
      for (const file of examples) {
        const example = vocabExample(file.replace(".example.json", ""));
        const before = JSON.stringify(example);
        const set = schemas.has(file.replace(".example.json", "")) ? schemas : fixtureSchemas;
        const { type, credential } = set.validate(example);
        expect(type, file).to.equal(file.replace(".example.json", ""));
        expect(credential).to.equal(example);
        expect(JSON.stringify(example), "validation must not fill in defaults").to.equal(before);
      }
      for (const file of readdirSync(CREDENTIAL_FIXTURES)) {
        expect(() => schemas.validate(credentialFixture(file)), file).to.not.throw();
      }
    });

    it("checks the expected type", function () {
      expect(schemas.validate(mtr, "MillTestReportCredential").type).to.equal("MillTestReportCredential");
      expect(() => schemas.validate(mtr, "CertificationOfOrigin")).to.throw(
        CredentialError,
        "expected a CertificationOfOrigin, got a MillTestReportCredential at /type",
      );
    });

    it("names the first violation's path and message in one line", function () {
      const cases: [string, unknown, string, string][] = [
        [
          "/credentialSubject/inspections/0/heatNumber",
          undefined,
          "MillTestReportCredential schema violation at /credentialSubject/inspections/0/heatNumber: must have required property 'heatNumber'",
          "/credentialSubject/inspections/0/heatNumber",
        ],
        [
          "/credentialSubject/inspections/0/heatNumber",
          61316,
          "schema violation at /credentialSubject/inspections/0/heatNumber: must be string",
          "/credentialSubject/inspections/0/heatNumber",
        ],
        [
          "/credentialStatus",
          { id: "x" },
          "schema violation at /credentialStatus: must NOT have additional properties",
          "/credentialStatus",
        ],
        ["/validFrom", "yesterday", 'at /validFrom: must match format "date-time"', "/validFrom"],
        ["/issuer/id", "not a uri", 'at /issuer/id: must match format "uri"', "/issuer/id"],
        [
          "/credentialSubject/meansOfTransport",
          "Camel",
          'at /credentialSubject/meansOfTransport: must be equal to one of the allowed values ("Road", "Rail", "Ocean")',
          "/credentialSubject/meansOfTransport",
        ],
        [
          "/@context",
          ["https://www.w3.org/ns/credentials/v2"],
          'at /@context: must be equal to constant ["https://www.w3.org/ns/credentials/v2","https://w3id.org/traceability/v1"]',
          "/@context",
        ],
        [
          "/credentialSubject/inspections/0/chemicalComposition/c",
          "0.02",
          "/chemicalComposition/c: must be number",
          "/credentialSubject/inspections/0/chemicalComposition/c",
        ],
      ];
      for (const [pointer, value, message, errorPath] of cases) {
        const credential = clone(mtr);
        setAt(credential, pointer, value);
        const error = errorOf(() => schemas.validate(credential));
        expect(error.message, pointer).to.include(message);
        expect(error.message).to.not.match(/[\r\n]/);
        expect(error.path).to.equal(errorPath);
      }
    });

    it("counts further violations", function () {
      const credential = clone(mtr);
      setAt(credential, "/credentialSubject/certificateNumber", 1);
      setAt(credential, "/credentialSubject/purchaseOrderNumber", 2);
      expect(() => schemas.validate(credential)).to.throw(
        CredentialError,
        "MillTestReportCredential schema violation at /credentialSubject/certificateNumber: must be string (and 1 more)",
      );
    });

    it("describes violations without a message by their keyword", function () {
      expect(describeViolation("X", [])).to.equal("X schema violation");
      const error = { keyword: "custom", instancePath: "/a", schemaPath: "#", params: {} };
      expect(describeViolation("X", [error])).to.equal("X schema violation at /a: custom");
    });
  });
});
