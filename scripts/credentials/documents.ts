/**
 * The entry point the credential commands and the web app build on (submit, verify, relay, export): detect a
 * credential's type, validate it and map it to registry records (reading files: `readCredential` in
 * `node-loader.ts`). The on-chain commands take `records` from here and only add
 * signing and transport; `findRecord` lets `export` match an on-chain record id (bound to its issuer) back to its
 * credential.
 */
import { COO_TYPES, mapCertificateOfOrigin, type CertificateOfOriginRecord, type CertificateOfOriginType } from "./coo";
import { CredentialError } from "./errors";
import { MTR_TYPE, mapMillTestReport, type MillTestReportRecord } from "./mtr";
import type { SchemaSet } from "./schemas";
import { defaultSchemas } from "./vocab";
import { recordIdOf } from "../lib/record-id";

/** The credential types that map to registry records. */
export const MAPPED_TYPES: readonly string[] = [MTR_TYPE, ...COO_TYPES];

/** A credential mapped to the records of its registry. */
export type MappedCredential =
  | {
      registry: "MillTestReportRegistry";
      type: typeof MTR_TYPE;
      credentialHash: string;
      records: MillTestReportRecord[];
    }
  | {
      registry: "CertificateOfOriginRegistry";
      type: CertificateOfOriginType;
      credentialHash: string;
      records: [CertificateOfOriginRecord];
    };

/** Validates and maps a parsed credential of any type in `MAPPED_TYPES`. */
export function mapCredential(credential: unknown, schemas: SchemaSet = defaultSchemas()): MappedCredential {
  const type = schemas.detectType(credential);
  if (type === MTR_TYPE) {
    const records = mapMillTestReport(credential, schemas);
    return { registry: "MillTestReportRegistry", type, credentialHash: records[0].credentialHash, records };
  }
  if ((COO_TYPES as readonly string[]).includes(type)) {
    const record = mapCertificateOfOrigin(credential, schemas);
    return {
      registry: "CertificateOfOriginRegistry",
      type: record.credentialType,
      credentialHash: record.credentialHash,
      records: [record],
    };
  }
  throw new CredentialError(
    `a ${type} does not map to a TradeTrace registry record at /type; mapped types: ${MAPPED_TYPES.join(", ")}`,
    "/type",
  );
}

/** The record of `mapped` that `issuer` anchors as `recordId` (`recordIdOf(issuer, contentHash)`), if any. */
export function findRecord(
  mapped: MappedCredential,
  recordId: string,
  issuer: string,
): MillTestReportRecord | CertificateOfOriginRecord | undefined {
  const id = recordId.toLowerCase();
  return (mapped.records as (MillTestReportRecord | CertificateOfOriginRecord)[]).find(
    (r) => recordIdOf(issuer, r.contentHash) === id,
  );
}

/**
 * JSON text for mapped records (bigints written as decimal strings, since JSON numbers lose precision above
 * 2^53), for export and display.
 */
export function recordsToJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), indent);
}
