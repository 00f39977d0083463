/**
 * W3C CCG Traceability credential schemas: loading, type detection and validation with ajv.
 *
 * A vocabulary directory holds `<Type>.schema.json` files (JSON Schema, draft 7 style, `$ref`s inlined), one per
 * credential type, named after the type that the credential's `type` array carries next to
 * "VerifiableCredential". The default directory is the copy bundled with the tool (`scripts/credentials/vocab`,
 * source and licence in its NOTICE.md): nothing outside the repository is read at run time. The environment
 * variable TRADETRACE_VOCAB_DIR overrides it. Schemas are compiled on first use (some are large).
 *
 * A credential's `proof` (its signature, VC Data Model 2.0 "securing mechanism") is not vocabulary data: some
 * schemas declare it, others (USMCACertificationOfOrigin) forbid unknown members and would refuse every signed
 * credential. A schema that does not declare `proof` is therefore applied to the credential without it, and the
 * proof only has to be an object (or a list of objects). The content hash still covers the proof.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { readdirSync } from "node:fs";
import path from "node:path";
import { CredentialError, childPath, pathForMessage, quote } from "./errors";
import type { JsonObject } from "./jcs";
import { readJsonFile } from "./json";

/** The environment variable that overrides the vocabulary directory. */
export const VOCAB_DIR_ENV = "TRADETRACE_VOCAB_DIR";
/** The base type every credential carries. */
export const VERIFIABLE_CREDENTIAL = "VerifiableCredential";

const SCHEMA_SUFFIX = ".schema.json";
// Annotation keywords of the traceability-vocab schemas that JSON Schema does not define; declared so that
// ajv's strict mode accepts them while still catching real typos in schemas.
const VOCAB_ANNOTATIONS = ["$linkedData", "tags", "example"];

/** The repository root (this file lives in <repo>/scripts/credentials). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The schemas bundled with the tool (see `vocab/NOTICE.md`). */
export const BUNDLED_VOCAB_DIR = path.join(__dirname, "vocab");

/** TRADETRACE_VOCAB_DIR if set, else the bundled `scripts/credentials/vocab`. */
export function defaultVocabDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[VOCAB_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== "") return path.resolve(fromEnv);
  return BUNDLED_VOCAB_DIR;
}

/** A credential that passed its type's schema. */
export interface ValidatedCredential<T = JsonObject> {
  /** The credential type, e.g. "MillTestReportCredential". */
  type: string;
  /** The credential itself (unchanged: validation never fills in defaults, which would change its hash). */
  credential: T;
}

/** The schemas of one vocabulary directory. */
export class SchemaSet {
  private readonly files = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv;

  private constructor(readonly dir: string) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      throw new CredentialError(`cannot read the vocabulary directory ${dir}: ${(error as Error).message}`);
    }
    for (const name of names.sort()) {
      if (name.endsWith(SCHEMA_SUFFIX)) this.files.set(name.slice(0, -SCHEMA_SUFFIX.length), path.join(dir, name));
    }
    if (this.files.size === 0)
      throw new CredentialError(`no *${SCHEMA_SUFFIX} files in the vocabulary directory ${dir}`);
    // allErrors: report every violation (the message shows the first); strict: refuse schemas with typos.
    this.ajv = new Ajv({ allErrors: true, strict: true, useDefaults: false });
    this.ajv.addVocabulary(VOCAB_ANNOTATIONS);
    addFormats(this.ajv);
  }

  /** Loads the schema list of `dir` (default: `defaultVocabDir()`). */
  static load(dir: string = defaultVocabDir()): SchemaSet {
    return new SchemaSet(path.resolve(dir));
  }

  /** The credential types that have a schema here, sorted. */
  get types(): string[] {
    return [...this.files.keys()];
  }

  /** Whether `type` has a schema here. */
  has(type: string): boolean {
    return this.files.has(type);
  }

  /**
   * The credential type named by the `type` array: the one entry besides "VerifiableCredential" that has a
   * schema here. Throws `CredentialError` if there is none or more than one.
   */
  detectType(credential: unknown): string {
    if (typeof credential !== "object" || credential === null || Array.isArray(credential)) {
      throw new CredentialError("a credential must be a JSON object");
    }
    const types = (credential as { type?: unknown }).type;
    if (!Array.isArray(types) || !types.every((t) => typeof t === "string")) {
      throw new CredentialError("credential has no array of type names at /type", "/type");
    }
    if (!types.includes(VERIFIABLE_CREDENTIAL)) {
      throw new CredentialError(`credential type at /type does not include '${VERIFIABLE_CREDENTIAL}'`, "/type");
    }
    const known = types.filter((t) => t !== VERIFIABLE_CREDENTIAL && this.files.has(t));
    if (known.length === 1) return known[0];
    if (known.length > 1) {
      throw new CredentialError(`credential names several known types at /type: ${known.join(", ")}`, "/type");
    }
    const others = types.filter((t) => t !== VERIFIABLE_CREDENTIAL);
    throw new CredentialError(
      `unsupported credential type ${quote(others.join(", "))} at /type; known: ${this.types.join(", ")}`,
      "/type",
    );
  }

  /**
   * Validates `credential` against the schema of its detected type (or of `expectedType`, which must then also
   * be the detected type). Throws `CredentialError` naming the first violation's path and message.
   */
  validate<T = JsonObject>(credential: unknown, expectedType?: string): ValidatedCredential<T> {
    const type = this.detectType(credential);
    if (expectedType !== undefined && type !== expectedType) {
      throw new CredentialError(`expected a ${expectedType}, got a ${type} at /type`, "/type");
    }
    const validator = this.validator(type);
    if (!validator(this.withoutUndeclaredProof(validator, credential as JsonObject))) {
      const errors = validator.errors ?? [];
      throw new CredentialError(describeViolation(type, errors), violationPath(errors[0]));
    }
    return { type, credential: credential as T };
  }

  /** The credential as its schema sees it: without `proof` when the schema does not declare one (see above). */
  private withoutUndeclaredProof(validator: ValidateFunction, credential: JsonObject): JsonObject {
    if (!("proof" in credential)) return credential;
    const declared = (validator.schema as { properties?: Record<string, unknown> }).properties ?? {};
    if ("proof" in declared) return credential;
    const proofs = Array.isArray(credential.proof) ? credential.proof : [credential.proof];
    if (proofs.length === 0 || !proofs.every((p) => typeof p === "object" && p !== null && !Array.isArray(p))) {
      throw new CredentialError("proof at /proof must be an object (or a list of objects)", "/proof");
    }
    const rest = { ...credential };
    delete rest.proof;
    return rest;
  }

  private validator(type: string): ValidateFunction {
    let validator = this.compiled.get(type);
    if (validator === undefined) {
      const file = this.files.get(type) as string;
      const schema = readJsonFile(file);
      try {
        validator = this.ajv.compile(schema as object);
      } catch (error) {
        throw new CredentialError(`cannot compile the schema ${file}: ${(error as Error).message}`);
      }
      this.compiled.set(type, validator);
    }
    return validator;
  }
}

/** Where an ajv error points, including the missing or unexpected property it names. */
function violationPath(error: ErrorObject | undefined): string {
  if (error === undefined) return "";
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required") return childPath(error.instancePath, String(params.missingProperty));
  if (error.keyword === "additionalProperties") {
    return childPath(error.instancePath, String(params.additionalProperty));
  }
  return error.instancePath;
}

/** One line: the type, the first violation's path and message, and how many more there are. */
export function describeViolation(type: string, errors: readonly ErrorObject[]): string {
  const first = errors[0];
  if (first === undefined) return `${type} schema violation`;
  let message = first.message ?? first.keyword;
  const params = first.params as Record<string, unknown>;
  if (first.keyword === "enum" && Array.isArray(params.allowedValues)) {
    message += ` (${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")})`;
  } else if (first.keyword === "const") {
    message += ` ${JSON.stringify(params.allowedValue)}`;
  }
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return `${type} schema violation at ${pathForMessage(violationPath(first))}: ${message}${more}`;
}
