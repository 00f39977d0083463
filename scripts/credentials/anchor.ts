/**
 * Mapped credential records → the structs the registries take (`IMillTestReportRegistry.MillTestReport`,
 * `ICertificateOfOriginRegistry.CertificateOfOrigin`), with the few choices the credentials leave open:
 *
 * - Certificate numbers are unique per issuer on chain, but every record of a multi-inspection MTR carries the
 *   credential's number; record i of n > 1 is therefore numbered `<certificateNumber>/<i + 1>`.
 * - Certificates of origin name parties by DID or not at all, while the registry needs actor addresses: the
 *   exporter and importer are given by the caller (`--exporter`, `--importer`).
 * - A USMCA certification has no export date, which the registry requires: the caller gives one
 *   (`--export-date`); a date in the credential always wins.
 */
import type { CertificateOfOriginRecord } from "./coo";
import { CredentialError } from "./errors";
import { toUnixSeconds } from "./fields";
import { CHEMISTRY_KEYS, type MillTestReportRecord } from "./mtr";
import { packChemistryPpm, packMechanics, type Element } from "./steelCodec";

/** `IMillTestReportRegistry.MillTestReport` with plain values (bigints, hex strings). */
export interface MillTestReportStruct {
  contentHash: string;
  certificateNumber: string;
  heatNumber: string;
  productStandard: string;
  grade: string;
  countryOfMeltAndPour: string;
  countryOfManufacture: string;
  chemistry: [bigint, bigint];
  mechanics: bigint;
  totalKg: bigint;
  expiresAt: bigint;
  uri: string;
}

/** `ICertificateOfOriginRegistry.CertificateOfOrigin` with plain values. */
export interface CertificateOfOriginStruct {
  contentHash: string;
  certificateNumber: string;
  exporter: string;
  importer: string;
  countryOfOrigin: string;
  htsLines: bigint[];
  exportDate: bigint;
  expiresAt: bigint;
  uri: string;
}

/** An ISO 3166-1 alpha-2 code as `bytes2` ("US" → "0x5553"). */
export function countryBytes2(alpha2: string): string {
  if (!/^[A-Z]{2}$/.test(alpha2)) throw new CredentialError(`country ${JSON.stringify(alpha2)} is not alpha-2`);
  return `0x${[...alpha2].map((c) => c.charCodeAt(0).toString(16)).join("")}`;
}

/** The on-chain certificate number of an MTR record (see the module comment). */
export function mtrCertificateNumber(record: MillTestReportRecord): string {
  return record.inspectionCount > 1
    ? `${record.certificateNumber}/${record.inspectionIndex + 1}`
    : record.certificateNumber;
}

/** The registry struct of one MTR record. */
export function toMillTestReport(record: MillTestReportRecord, uri: string): MillTestReportStruct {
  const ppm: Partial<Record<Element, bigint>> = {};
  for (const [key, symbol] of Object.entries(CHEMISTRY_KEYS)) {
    const value = record.chemistryPpm[symbol];
    if (value !== undefined) ppm[key as Element] = value;
  }
  return {
    contentHash: record.contentHash,
    certificateNumber: mtrCertificateNumber(record),
    heatNumber: record.heatNumber,
    productStandard: record.productStandard,
    grade: record.productGrade,
    countryOfMeltAndPour: countryBytes2(record.countryOfMeltAndPour),
    countryOfManufacture: countryBytes2(record.countryOfManufacture),
    chemistry: packChemistryPpm(ppm),
    mechanics: packMechanics({
      yieldStrength: record.yieldStrength ?? undefined,
      tensileStrength: record.tensileStrength ?? undefined,
      elongation: record.elongation ?? undefined,
    }),
    totalKg: record.totalWeightKg,
    expiresAt: record.expiresAt,
    uri,
  };
}

/** What a certificate of origin needs beyond its credential. */
export interface CertificateParties {
  exporter: string;
  importer: string;
  /** An RFC 3339 date or date-time, used only when the credential has no export date. */
  exportDate?: string;
  uri: string;
}

/** The registry struct of a certificate-of-origin record. */
export function toCertificateOfOrigin(
  record: CertificateOfOriginRecord,
  parties: CertificateParties,
): CertificateOfOriginStruct {
  if (record.countryOfOrigin === null) {
    throw new CredentialError(
      "the lines of this certificate have different countries of origin; the registry takes one country per certificate",
    );
  }
  let exportDate = record.exportDate;
  if (exportDate === null) {
    if (parties.exportDate === undefined) {
      throw new CredentialError(`a ${record.credentialType} has no export date: give --export-date YYYY-MM-DD`);
    }
    exportDate = toUnixSeconds(parties.exportDate, "--export-date");
  }
  return {
    contentHash: record.contentHash,
    certificateNumber: record.certificateNumber,
    exporter: parties.exporter,
    importer: parties.importer,
    countryOfOrigin: countryBytes2(record.countryOfOrigin),
    htsLines: record.htsLines.map((line) => line.htsNumber),
    exportDate,
    expiresAt: record.expiresAt,
    uri: parties.uri,
  };
}
