/**
 * The document kinds the registries anchor, one entry each: what the credentials tool, the web app's supplier and
 * verifier pages and the interop node decide per kind (which credential types map to it, its registry, EIP-712
 * types, issue event, command word, issuer roles, the parties it names). Code elsewhere looks a kind up here
 * instead of asking "MTR or CoO?": a new kind (a bill of lading, say) is a mapper module like `mtr.ts`, its struct
 * in `anchor.ts` and its EIP-712 types in `eip712.ts`, plus one entry in `DOCUMENT_KINDS` (and a case in the
 * `MappedCredential` union of `documents.ts`). Browser-safe, like the modules it imports.
 */
import {
  countryBytes2,
  mtrCertificateNumber,
  toCertificateOfOrigin,
  toMillTestReport,
  type CertificateOfOriginStruct,
  type MillTestReportStruct,
} from "./anchor";
import { COO_TYPES, mapCertificateOfOrigin, type CertificateOfOriginRecord } from "./coo";
import { COO_DOMAIN, COO_EIP712, MTR_DOMAIN, MTR_EIP712, type DocumentTypes } from "./eip712";
import { MTR_TYPE, mapMillTestReport, type MillTestReportRecord } from "./mtr";
import type { SchemaSet } from "./schemas";
import type { BusinessRoleName } from "../lib/vocabulary";

/** A registry that anchors documents, named as its contract (and the deployments file) names it. */
export type RegistryName = "MillTestReportRegistry" | "CertificateOfOriginRegistry";

/** A record of any kind, as its mapper gives it. */
export type MappedRecord = MillTestReportRecord | CertificateOfOriginRecord;

/** A registry struct of any kind, with plain values. */
export type DocumentStruct = MillTestReportStruct | CertificateOfOriginStruct;

/** A party a kind names by actor address (beyond its issuer), and the role that actor must hold. */
export interface NamedParty {
  /** The struct member holding the address; the command-line flag is `--<field>`. */
  field: "exporter" | "importer";
  role: BusinessRoleName;
}

/** The addresses of the parties a record names; asked only of kinds that have `parties`. */
export interface PartyAddresses {
  exporter: string;
  importer: string;
  /** An RFC 3339 date or date-time, used only when the credential has no export date (USMCA). */
  exportDate?: string;
}

/** What a struct needs beyond its record. */
export interface StructContext {
  /** Where the full credential can be fetched, carried in the event. */
  uri: string;
  /** The party addresses; called only for kinds that name parties, so a caller may throw when they are missing. */
  parties(): PartyAddresses;
}

/** One kind of document: every per-kind fact, looked up by registry, command word or credential type. */
export interface DocumentKind {
  /** The command word (`credentials <word> submit`) and the web app's receipt route. */
  word: string;
  registry: RegistryName;
  /** The registry's key in the web app's config and in the interop node's addresses. */
  configKey: "millTestReportRegistry" | "certificateOfOriginRegistry";
  /** The credential types (schema names) that map to this kind. */
  credentialTypes: readonly string[];
  /** Validates a credential of one of `credentialTypes` and maps it to its records (one per registry entry). */
  mapRecords(credential: unknown, schemas: SchemaSet): MappedRecord[];
  /** The certificate number a record carries on chain. */
  certificateNumber(record: MappedRecord): string;
  /** The struct the registry takes for a record. */
  toStruct(record: MappedRecord, context: StructContext): DocumentStruct;
  /** The struct fields a file determines (what verify compares with the anchored event; no uri, no parties). */
  expectedFields(record: MappedRecord): Record<string, unknown>;
  eip712: DocumentTypes;
  /** The EIP-712 domain name the registry initialises. */
  domain: string;
  /** The issue event; its document argument is named `eip712.single`. */
  issuedEvent: string;
  /** The subgraph's collection of this kind's records. */
  entity: "millTestReports" | "certificateOfOrigins";
  /** The roles that may issue it, any one of them (in the order a verifier reports them). */
  issuerRoles: readonly BusinessRoleName[];
  /** The one role that may issue a record derived from others (a processor's product report), if the kind has any. */
  derivedIssuerRole?: BusinessRoleName;
  /** Parties named by address, each checked for its role before submitting. */
  parties: readonly NamedParty[];
}

/** A mill test report: one record per inspection, numbered `<number>/<i>` when there are several. */
const MILL_TEST_REPORT: DocumentKind = {
  word: "mtr",
  registry: "MillTestReportRegistry",
  configKey: "millTestReportRegistry",
  credentialTypes: [MTR_TYPE],
  mapRecords: (credential, schemas) => mapMillTestReport(credential, schemas),
  certificateNumber: (record) => mtrCertificateNumber(record as MillTestReportRecord),
  toStruct: (record, { uri }) => toMillTestReport(record as MillTestReportRecord, uri),
  expectedFields: (record) => {
    const { uri: _uri, ...fields } = toMillTestReport(record as MillTestReportRecord, "");
    return fields;
  },
  eip712: MTR_EIP712,
  domain: MTR_DOMAIN,
  issuedEvent: "MillTestReportIssued",
  entity: "millTestReports",
  issuerRoles: ["MILL"],
  derivedIssuerRole: "PROCESSOR",
  parties: [],
};

/** A certificate of origin (plain or USMCA): one record per credential, naming its exporter and importer. */
const CERTIFICATE_OF_ORIGIN: DocumentKind = {
  word: "coo",
  registry: "CertificateOfOriginRegistry",
  configKey: "certificateOfOriginRegistry",
  credentialTypes: COO_TYPES,
  mapRecords: (credential, schemas) => [mapCertificateOfOrigin(credential, schemas)],
  certificateNumber: (record) => record.certificateNumber,
  toStruct: (record, { uri, parties }) =>
    toCertificateOfOrigin(record as CertificateOfOriginRecord, { ...parties(), uri }),
  expectedFields: (record) => {
    const coo = record as CertificateOfOriginRecord;
    const fields: Record<string, unknown> = {
      contentHash: coo.contentHash,
      certificateNumber: coo.certificateNumber,
      htsLines: coo.htsLines.map((line) => line.htsNumber),
      expiresAt: coo.expiresAt,
    };
    if (coo.countryOfOrigin !== null) fields.countryOfOrigin = countryBytes2(coo.countryOfOrigin);
    // A USMCA certification has no export date: the submitter chose it, so there is nothing to compare.
    if (coo.exportDate !== null) fields.exportDate = coo.exportDate;
    return fields;
  },
  eip712: COO_EIP712,
  domain: COO_DOMAIN,
  issuedEvent: "CertificateOfOriginIssued",
  entity: "certificateOfOrigins",
  issuerRoles: ["CERTIFIER", "EXPORTER"],
  parties: [
    { field: "exporter", role: "EXPORTER" },
    { field: "importer", role: "IMPORTER" },
  ],
};

/** Every kind, in the order help texts and type lists show them. */
export const DOCUMENT_KINDS: readonly DocumentKind[] = [MILL_TEST_REPORT, CERTIFICATE_OF_ORIGIN];

/** The kind a registry anchors. */
export function kindOfRegistry(registry: RegistryName): DocumentKind {
  const kind = DOCUMENT_KINDS.find((k) => k.registry === registry);
  if (kind === undefined) throw new Error(`no document kind for registry ${registry}`);
  return kind;
}

/** The kind of a command word ("mtr"), or undefined when the word names none. */
export function kindOfWord(word: string | undefined): DocumentKind | undefined {
  return DOCUMENT_KINDS.find((k) => k.word === word);
}

/** The kind a credential type maps to, or undefined when it maps to none. */
export function kindOfCredentialType(type: string): DocumentKind | undefined {
  return DOCUMENT_KINDS.find((k) => k.credentialTypes.includes(type));
}

/** Whether `name` is the name of a document registry (e.g. in a signed payload read from a file). */
export function isRegistryName(name: unknown): name is RegistryName {
  return DOCUMENT_KINDS.some((k) => k.registry === name);
}

/** The address a struct gives for one of its kind's named parties. */
export function partyAddress(struct: DocumentStruct, party: NamedParty): string {
  const address = (struct as Partial<Record<NamedParty["field"], string>>)[party.field];
  if (address === undefined) throw new Error(`the struct names no ${party.field}`);
  return address;
}

/** The roles an issuer may hold to stand behind a record, any one of them (only one for a derived record). */
export function issuerRolesOf(kind: DocumentKind, derived: boolean): readonly BusinessRoleName[] {
  return derived && kind.derivedIssuerRole !== undefined ? [kind.derivedIssuerRole] : kind.issuerRoles;
}
