/**
 * The request bodies of the API as JSON Schemas, checked with Ajv: anything else is answered 400 with the suites'
 * message and Ajv's findings as `details`. Where the suites are stricter than the VC data model (an array `type`,
 * string-only `@context` entries, one object `credentialSubject`, one object `proof`) the node follows the suites:
 * that is what the Traceability API's OpenAPI schemas say.
 */
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { badRequest } from "./errors";
import { ENTRY_TYPES, PURPOSES } from "./status";

export const ISSUE_FORMATS = ["Ed25519Signature2018", "JsonWebSignature2020", "vc-jwt", "VC-JOSE"] as const;
const LD_PROOF_TYPES = ["Ed25519Signature2018", "JsonWebSignature2020"];
const COMPACT_JWS = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$";

const uri = { type: "string", format: "uri" };
const dateTime = { type: "string", format: "date-time" };
const idObject = { type: "object", required: ["id"], properties: { id: uri } };

const credentialProperties = {
  "@context": { type: "array", minItems: 1, items: { type: "string" } },
  id: { type: "string" },
  type: { type: "array", minItems: 1, items: { type: "string" } },
  issuer: { oneOf: [uri, idObject] },
  issuanceDate: dateTime,
  expirationDate: dateTime,
  credentialSubject: { type: "object", properties: { id: { type: "string" } } },
};
const credentialRequired = ["@context", "type", "issuer", "issuanceDate", "credentialSubject"];

const ldProof = {
  type: "object",
  required: ["type"],
  properties: {
    type: { enum: LD_PROOF_TYPES },
    created: dateTime,
    verificationMethod: { type: "string" },
    jws: { type: "string" },
    proofPurpose: { enum: ["assertionMethod"] },
  },
};

const securedCredential = {
  type: "object",
  required: [...credentialRequired, "proof"],
  properties: { ...credentialProperties, proof: ldProof },
};

const presentation = {
  type: "object",
  required: ["@context", "type"],
  properties: {
    "@context": { type: "array", minItems: 1, items: { type: "string" } },
    id: { type: "string" },
    type: { oneOf: [{ type: "string" }, { type: "array", minItems: 1, items: { type: "string" } }] },
    holder: { oneOf: [uri, idObject] },
    verifiableCredential: {
      oneOf: [
        { type: "string", pattern: COMPACT_JWS },
        { type: "object" },
        { type: "array", items: { oneOf: [{ type: "string", pattern: COMPACT_JWS }, { type: "object" }] } },
      ],
    },
  },
};
const presentationOrJws = {
  oneOf: [
    { type: "string", pattern: COMPACT_JWS },
    { ...presentation, required: ["@context", "type", "proof"] },
  ],
};
const proofOptions = {
  type: "object",
  properties: { challenge: { type: "string" }, domain: { type: "string" } },
};

export const SCHEMAS = {
  issue: {
    type: "object",
    required: ["credential", "options"],
    properties: {
      credential: { type: "object", required: credentialRequired, properties: credentialProperties },
      options: {
        type: "object",
        required: ["type"],
        properties: {
          type: { enum: ISSUE_FORMATS },
          created: dateTime,
          credentialStatus: {
            type: "object",
            required: ["type"],
            properties: { type: { enum: ENTRY_TYPES }, statusPurpose: { enum: PURPOSES } },
          },
        },
      },
    },
  },
  verify: {
    type: "object",
    required: ["verifiableCredential"],
    properties: {
      verifiableCredential: { oneOf: [{ type: "string", pattern: COMPACT_JWS }, securedCredential] },
      options: { type: "object" },
    },
  },
  status: {
    type: "object",
    required: ["credentialId", "credentialStatus"],
    properties: {
      credentialId: { type: "string", minLength: 1 },
      credentialStatus: {
        type: "array",
        minItems: 1,
        maxItems: 1,
        items: {
          type: "object",
          required: ["type", "status"],
          properties: { type: { enum: ENTRY_TYPES }, status: { enum: ["0", "1"] }, statusPurpose: { enum: PURPOSES } },
        },
      },
    },
  },
  prove: {
    type: "object",
    required: ["presentation"],
    properties: {
      presentation,
      options: {
        type: "object",
        properties: { ...proofOptions.properties, type: { enum: ISSUE_FORMATS }, created: dateTime },
      },
    },
  },
  verifyPresentation: {
    type: "object",
    required: ["verifiablePresentation"],
    properties: { verifiablePresentation: presentationOrJws, options: proofOptions },
  },
  submit: {
    type: "object",
    required: ["verifiablePresentation"],
    properties: {
      verifiablePresentation: presentationOrJws,
      options: { type: "object", properties: { replace: { type: "boolean" } } },
    },
  },
  available: {
    type: "object",
    required: ["query"],
    properties: { query: { oneOf: [{ type: "object" }, { type: "array", items: { type: "object" } }] } },
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const compiled = new Map<keyof typeof SCHEMAS, ValidateFunction>();

/** `value` if it matches the schema `name`; else a 400 with what did not match. */
export function validated<T>(name: keyof typeof SCHEMAS, value: unknown): T {
  let validate = compiled.get(name);
  if (validate === undefined) {
    validate = ajv.compile(SCHEMAS[name]);
    compiled.set(name, validate);
  }
  if (!validate(value)) {
    throw badRequest((validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`));
  }
  return value as T;
}
