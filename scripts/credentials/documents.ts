/**
 * The entry point the credential commands and the web app build on (submit, verify, relay, export): detect a
 * credential's type, validate it and map it to registry records (reading files: `readCredential` in
 * `node-loader.ts`). The on-chain commands take `records` from here and only add
 * signing and transport; `findRecord` lets `export` match an on-chain record id (bound to its issuer) back to its
 * credential.
 */
import type { CertificateOfOriginRecord, CertificateOfOriginType } from "./coo";
import { CredentialError } from "./errors";
import { DOCUMENT_KINDS, kindOfCredentialType, type MappedRecord } from "./kinds";
import type { MTR_TYPE, MillTestReportRecord } from "./mtr";
import type { SchemaSet } from "./schemas";
import { defaultSchemas } from "./vocab";
import { recordIdOf } from "../lib/record-id";

/** The credential types that map to registry records. */
export const MAPPED_TYPES: readonly string[] = DOCUMENT_KINDS.flatMap((kind) => kind.credentialTypes);

/** A credential mapped to the records of its registry (one case per entry of `DOCUMENT_KINDS`). */
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
  const kind = kindOfCredentialType(type);
  if (kind === undefined) {
    throw new CredentialError(
      `a ${type} does not map to a TradeTrace registry record at /type; mapped types: ${MAPPED_TYPES.join(", ")}`,
      "/type",
    );
  }
  const records = kind.mapRecords(credential, schemas);
  // The union's cases are the table's entries: the kind's mapper gives its own record type.
  return { registry: kind.registry, type, credentialHash: records[0].credentialHash, records } as MappedCredential;
}

/** The record of `mapped` that `issuer` anchors as `recordId` (`recordIdOf(issuer, contentHash)`), if any. */
export function findRecord(mapped: MappedCredential, recordId: string, issuer: string): MappedRecord | undefined {
  const id = recordId.toLowerCase();
  return (mapped.records as MappedRecord[]).find((r) => recordIdOf(issuer, r.contentHash) === id);
}

/**
 * JSON text for mapped records (bigints written as decimal strings, since JSON numbers lose precision above
 * 2^53), for export and display.
 */
export function recordsToJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), indent);
}
