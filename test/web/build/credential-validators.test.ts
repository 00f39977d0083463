/**
 * The web build's precompiled credential validators (no eval in the page) judge credentials exactly as the
 * command-line tool's run-time compiled ones: same acceptance, same first violation, same message.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "chai";
import type { ValidateFunction } from "ajv";
import { SchemaSet, type SchemaSource } from "../../../scripts/credentials/schemas";
import { BUNDLED_SCHEMAS, defaultSchemas } from "../../../scripts/credentials/vocab";
import { validatorsSource } from "../../../web/build/credential-validators";
import { clone, credentialFixture, setAt, vocabExample } from "../../helpers/credentials";
import { messageOf } from "../../../lib/errors";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The generated module, imported as the browser bundle would (it resolves ajv from node_modules). */
async function precompiled(): Promise<SchemaSet> {
  const dir = path.join(ROOT, "cache", "web-validators-test");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "validators.mjs");
  writeFileSync(file, validatorsSource());
  // A real dynamic import (ts-node would turn `import()` into require, which cannot load ESM).
  const load = new Function("url", "return import(url)") as (url: string) => Promise<Record<string, ValidateFunction>>;
  const validators = await load(pathToFileURL(file).href);
  const sources = new Map<string, SchemaSource>();
  for (const [type, schema] of Object.entries(BUNDLED_SCHEMAS)) {
    sources.set(type, { name: type, load: () => schema, validator: validators[type] });
  }
  return new SchemaSet("precompiled", sources);
}

function outcome(set: SchemaSet, credential: unknown): string {
  try {
    return `ok ${set.validate(credential).type}`;
  } catch (error) {
    return `${messageOf(error)} @ ${(error as { path?: string }).path}`;
  }
}

describe("web/build/credential-validators: precompiled schemas", function () {
  this.timeout(60_000);

  it("accept and refuse as the run-time compiled schemas do, with the same messages", async function () {
    const built = await precompiled();
    const runtime = defaultSchemas();
    const mtr = vocabExample("MillTestReportCredential");
    const cases: unknown[] = [
      mtr,
      vocabExample("CertificationOfOrigin"),
      credentialFixture("USMCACertificationOfOrigin.example.json"),
    ];
    for (const [pointer, value] of [
      ["/credentialSubject/inspections/0/heatNumber", 61316],
      ["/credentialSubject/inspections/0/heatNumber", undefined],
      ["/validFrom", "yesterday"],
      ["/issuer/id", "not a uri"],
    ] as [string, unknown][]) {
      const broken = clone(mtr);
      setAt(broken, pointer, value);
      cases.push(broken);
    }
    const outcomes = cases.map((c) => outcome(built, c));
    expect(outcomes.slice(0, 3)).to.deep.equal([
      "ok MillTestReportCredential",
      "ok CertificationOfOrigin",
      "ok USMCACertificationOfOrigin",
    ]);
    expect(outcomes[3]).to.include("must be string");
    expect(outcomes).to.deep.equal(cases.map((c) => outcome(runtime, c)));
  });

  it("compile without eval at run time: the module is plain code", function () {
    const source = validatorsSource();
    expect(source).to.match(/^import \{ fullFormats as formats \} from "ajv-formats\/dist\/formats\.js";/);
    expect(source).to.not.match(/new Function|eval\(|require\(/);
    for (const type of Object.keys(BUNDLED_SCHEMAS)) expect(source).to.include(`export const ${type} =`);
  });
});
