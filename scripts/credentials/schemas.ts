/**
 * W3C CCG Traceability credential schemas: type detection and validation with ajv.
 *
 * A schema set holds one JSON Schema (draft 7 style, `$ref`s inlined) per credential type, named after the type
 * that the credential's `type` array carries next to "VerifiableCredential". The default set is the copy bundled
 * with the tool (`vocab.ts`, imported as JSON modules; source and licence in `vocab/NOTICE.md`). This module reads
 * no files, so that the web app validates with the same code as the command-line tool: reading a folder of
 * `<Type>.schema.json` files (`TRADETRACE_VOCAB_DIR`) is the Node-only `node-loader.ts`. Schemas are compiled on
 * first use (some are large).
 *
 * A credential's `proof` (its signature, VC Data Model 2.0 "securing mechanism") is not vocabulary data: some
 * schemas declare it, others (USMCACertificationOfOrigin) forbid unknown members and would refuse every signed
 * credential. A schema that does not declare `proof` is therefore applied to the credential without it, and the
 * proof only has to be an object (or a list of objects). The content hash still covers the proof.
 */
import Ajv, { type ErrorObject, type Options, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { CredentialError, childPath, pathForMessage, quote } from "./errors";
import type { JsonObject } from "./jcs";
import { messageOf } from "../../lib/errors";

/** The base type every credential carries. */
export const VERIFIABLE_CREDENTIAL = "VerifiableCredential";

// Annotation keywords of the traceability-vocab schemas that JSON Schema does not define; declared so that
// ajv's strict mode accepts them while still catching real typos in schemas.
const VOCAB_ANNOTATIONS = ["$linkedData", "tags", "example"];

/** One credential type's schema: where it comes from (for messages) and how to get it (called once). */
export interface SchemaSource {
  /** A file path or a bundle name, shown in errors. */
  name: string;
  load(): unknown;
  /**
   * The schema's validator compiled ahead of time by `createAjv` (ajv standalone code): a page whose Content
   * Security Policy forbids eval cannot compile schemas, so the web build compiles them (web/build/).
   */
  validator?: ValidateFunction;
}

/**
 * The ajv instance every schema is compiled with, here and in the web build: allErrors (report every violation;
 * the message shows the first), strict (refuse schemas with typos), no defaults filled in (that would change a
 * credential's hash), the vocabulary's annotations, and the standard formats.
 */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: false, ...options });
  ajv.addVocabulary(VOCAB_ANNOTATIONS);
  addFormats(ajv);
  return ajv;
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
  private readonly files = new Map<string, SchemaSource>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly loaded = new Map<string, unknown>();
  private readonly ajv: Ajv;

  /**
   * `dir` names where the schemas come from (a folder, or the bundle's folder); `sources` maps each credential
   * type to its schema. Throws `CredentialError` when there is none.
   */
  constructor(
    readonly dir: string,
    sources: ReadonlyMap<string, SchemaSource>,
  ) {
    for (const type of [...sources.keys()].sort()) this.files.set(type, sources.get(type) as SchemaSource);
    if (this.files.size === 0) throw new CredentialError(`no credential schemas in ${dir}`);
    this.ajv = createAjv();
  }

  /** A set of schemas already in memory (e.g. imported as JSON modules), by credential type. */
  static fromSchemas(dir: string, schemas: Readonly<Record<string, object>>): SchemaSet {
    const sources = new Map<string, SchemaSource>();
    for (const [type, schema] of Object.entries(schemas)) {
      sources.set(type, { name: `${dir}/${type}.schema.json`, load: () => schema });
    }
    return new SchemaSet(dir, sources);
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
    if (!validator(this.withoutUndeclaredProof(type, credential as JsonObject))) {
      const errors = validator.errors ?? [];
      throw new CredentialError(describeViolation(type, errors), violationPath(errors[0]));
    }
    return { type, credential: credential as T };
  }

  /** The credential as its schema sees it: without `proof` when the schema does not declare one (see above). */
  private withoutUndeclaredProof(type: string, credential: JsonObject): JsonObject {
    if (!("proof" in credential)) return credential;
    const declared = (this.schemaOf(type) as { properties?: Record<string, unknown> }).properties ?? {};
    if ("proof" in declared) return credential;
    const proofs = Array.isArray(credential.proof) ? credential.proof : [credential.proof];
    if (proofs.length === 0 || !proofs.every((p) => typeof p === "object" && p !== null && !Array.isArray(p))) {
      throw new CredentialError("proof at /proof must be an object (or a list of objects)", "/proof");
    }
    const rest = { ...credential };
    delete rest.proof;
    return rest;
  }

  /** The schema of `type` (loaded once). */
  private schemaOf(type: string): unknown {
    if (!this.loaded.has(type)) this.loaded.set(type, (this.files.get(type) as SchemaSource).load());
    return this.loaded.get(type);
  }

  private validator(type: string): ValidateFunction {
    let validator = this.compiled.get(type);
    if (validator === undefined) {
      const source = this.files.get(type) as SchemaSource;
      if (source.validator !== undefined) validator = source.validator;
      else {
        try {
          validator = this.ajv.compile(this.schemaOf(type) as object);
        } catch (error) {
          throw new CredentialError(`cannot compile the schema ${source.name}: ${messageOf(error)}`);
        }
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
