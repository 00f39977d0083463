/**
 * CertificationOfOrigin and USMCACertificationOfOrigin -> a TradeTrace certificate of origin record (the fields
 * CertificateOfOriginRegistry takes). One credential gives one record, anchored by the credential's own
 * content hash.
 *
 * Decisions, since neither schema has every registry field:
 * - certificateNumber: the credential `id` (neither schema has a certificate number).
 * - certifier: the issuer (a chamber of commerce for a CertificationOfOrigin; the certifying company, whose
 *   `employee` signs, for a USMCA certification).
 * - exporters / importers / producers: USMCA gives exporterDetails, importerDetails[] and producerDetails. A
 *   CertificationOfOrigin names no exporter or importer at the top; its lines may name a product seller (taken
 *   as exporter) and a shipToParty (taken as importer). Each list holds the distinct parties, in order.
 * - HTS lines: one per item (CoO) or good (USMCA); codes normalised as in hts.ts (6/8 digits padded to 10,
 *   `digits` kept). A CoO item without a commodity code is refused: a line must be matchable to a tariff line.
 * - countries of origin: each line's own country (CoO: the item's countryOfOrigin, else the certificate's
 *   manufacturingCountry; USMCA: the good's countryOfOrigin). `countryOfOrigin` is the one country all lines
 *   share, or null (with a note) when they differ — possible for USMCA goods from several member countries.
 * - exportDate: CoO dateOfExport at 00:00 UTC, in unix seconds; USMCA has none (null).
 */
import { normaliseCountry } from "./countries";
import { CredentialError } from "./errors";
import { issuerFields, isDid, toUnixSeconds, type IssuedCredential, type IssuerFields } from "./fields";
import { normaliseHts } from "./hts";
import { canonicalize, contentHash } from "./jcs";
import type { SchemaSet } from "./schemas";
import { defaultSchemas } from "./vocab";

/** The credential types this module maps. */
export const COO_TYPES = ["CertificationOfOrigin", "USMCACertificationOfOrigin"] as const;
/** One of `COO_TYPES`. */
export type CertificateOfOriginType = (typeof COO_TYPES)[number];

/** A postal address; `country` normalised to ISO 3166-1 alpha-2. Absent parts are null. */
export interface PartyAddress {
  streetAddress: string | null;
  locality: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

/** A trade party as the credential names it. */
export interface Party {
  /** The party's identifier as given (a DID, URL or URN), or null. */
  id: string | null;
  /** `id` when it is a DID, else null. */
  did: string | null;
  name: string | null;
  taxId: string | null;
  address: PartyAddress | null;
}

/** One tariff line of the certificate. */
export interface HtsLine {
  /** Position of the item (CoO) or good (USMCA) in the credential. */
  index: number;
  /** Ten-digit HTSUS number as text and as the registries' uint64. */
  hts: string;
  htsNumber: bigint;
  /** Digits the credential gave (6, 8 or 10); the rest of `hts` is zero padding. */
  digits: 6 | 8 | 10;
  /** The code type the credential declared ("HS" or "HTS"), or null. */
  codeType: "HS" | "HTS" | null;
  /** ISO 3166-1 alpha-2. */
  countryOfOrigin: string;
  description: string | null;
  /** USMCA origin criterion (A-D), else null. */
  originCriterion: string | null;
}

/** A certificate of origin record, ready for the registry. */
export interface CertificateOfOriginRecord extends IssuerFields {
  /** The record id: the credential's content hash (one record per credential). */
  contentHash: string;
  credentialHash: string;
  credentialId: string;
  credentialType: CertificateOfOriginType;
  /** The credential `id` (see the module notes). */
  certificateNumber: string;
  exporters: Party[];
  importers: Party[];
  producers: Party[];
  /** The country of origin every line shares, or null when lines differ. */
  countryOfOrigin: string | null;
  /** CoO manufacturingCountry (alpha-2), else null. */
  manufacturingCountry: string | null;
  htsLines: HtsLine[];
  /** Unix seconds, or null when the credential has no export date. */
  exportDate: bigint | null;
  /** USMCA invoiceNumber, else null. */
  invoiceNumber: string | null;
  notes: string[];
}

interface PartyInput {
  id?: string;
  name?: string;
  taxId?: string;
  location?: {
    address?: {
      streetAddress?: string;
      addressLocality?: string;
      addressRegion?: string;
      postalCode?: string;
      addressCountry?: string;
    };
  };
}

interface CredentialBase<S> extends IssuedCredential {
  id: string;
  type: string[];
  credentialSubject: S;
}

/** The parts of a (schema-valid) CertificationOfOrigin that the mapping reads. */
export type CertificationOfOriginCredential = CredentialBase<{
  manufacturingCountry: string;
  dateOfExport: string;
  items: {
    name?: string;
    description?: string;
    countryOfOrigin?: string;
    shipToParty?: PartyInput;
    product?: {
      seller?: PartyInput;
      commodity?: { commodityCode?: string; commodityCodeType?: "HS" | "HTS"; description?: string };
    };
  }[];
}>;

/** The parts of a (schema-valid) USMCACertificationOfOrigin that the mapping reads. */
export type UsmcaCertificationOfOriginCredential = CredentialBase<{
  invoiceNumber?: string;
  exporterDetails: PartyInput;
  producerDetails: PartyInput;
  importerDetails?: PartyInput[];
  goods: {
    description: string;
    commodityCode: string;
    commodityCodeType: "HS" | "HTS";
    originCriterion: string;
    countryOfOrigin: string;
  }[];
}>;

/**
 * Validates `credential` as a CertificationOfOrigin or USMCACertificationOfOrigin (detected from its `type`) and
 * maps it to a record. Throws `CredentialError` for any bad input.
 */
export function mapCertificateOfOrigin(
  credential: unknown,
  schemas: SchemaSet = defaultSchemas(),
): CertificateOfOriginRecord {
  const type = schemas.detectType(credential);
  if (!(COO_TYPES as readonly string[]).includes(type)) {
    throw new CredentialError(`expected one of ${COO_TYPES.join(", ")}, got a ${type} at /type`, "/type");
  }
  const vc = schemas.validate<CredentialBase<unknown>>(credential, type).credential;
  const credentialHash = contentHash(vc);
  const base = {
    contentHash: credentialHash,
    credentialHash,
    credentialId: vc.id,
    credentialType: type as CertificateOfOriginType,
    certificateNumber: vc.id,
    ...issuerFields(vc),
  };
  const specific =
    type === "CertificationOfOrigin"
      ? mapCoo(vc as CertificationOfOriginCredential)
      : mapUsmca(vc as UsmcaCertificationOfOriginCredential);
  if (specific.htsLines.length === 0) {
    const at = type === "CertificationOfOrigin" ? "/credentialSubject/items" : "/credentialSubject/goods";
    throw new CredentialError(`a certificate of origin needs at least one line at ${at}`, at);
  }
  if (specific.exportDate !== null && base.expiresAt !== 0n && specific.exportDate > base.expiresAt) {
    const given = (vc as CertificationOfOriginCredential).credentialSubject.dateOfExport;
    throw new CredentialError(
      `export date ${given} at /credentialSubject/dateOfExport is after the certificate's validUntil ${vc.validUntil}`,
      "/credentialSubject/dateOfExport",
    );
  }
  const origins = [...new Set(specific.htsLines.map((line) => line.countryOfOrigin))];
  const notes: string[] = [];
  if (origins.length > 1) notes.push(`lines have different countries of origin: ${origins.join(", ")}`);
  return { ...base, ...specific, countryOfOrigin: origins.length === 1 ? origins[0] : null, notes };
}

type Specific = Pick<
  CertificateOfOriginRecord,
  "exporters" | "importers" | "producers" | "manufacturingCountry" | "htsLines" | "exportDate" | "invoiceNumber"
>;

function mapCoo(vc: CertificationOfOriginCredential): Specific {
  const subject = vc.credentialSubject;
  const manufacturingCountry = normaliseCountry(
    subject.manufacturingCountry,
    "/credentialSubject/manufacturingCountry",
  );
  const exporters = new PartyList();
  const importers = new PartyList();
  const htsLines = subject.items.map((item, index): HtsLine => {
    const path = `/credentialSubject/items/${index}`;
    if (item.product?.seller !== undefined) exporters.add(item.product.seller, `${path}/product/seller`);
    if (item.shipToParty !== undefined) importers.add(item.shipToParty, `${path}/shipToParty`);
    const commodity = item.product?.commodity;
    const codePath = `${path}/product/commodity/commodityCode`;
    if (commodity?.commodityCode === undefined) {
      throw new CredentialError(`no commodity code at ${codePath}: every line needs an HTS or HS code`, codePath);
    }
    return {
      index,
      ...normaliseHts(commodity.commodityCode, codePath),
      codeType: commodity.commodityCodeType ?? null,
      countryOfOrigin:
        item.countryOfOrigin === undefined
          ? manufacturingCountry
          : normaliseCountry(item.countryOfOrigin, `${path}/countryOfOrigin`),
      description: item.description ?? item.name ?? commodity.description ?? null,
      originCriterion: null,
    };
  });
  return {
    exporters: exporters.parties,
    importers: importers.parties,
    producers: [],
    manufacturingCountry,
    htsLines,
    exportDate: toUnixSeconds(subject.dateOfExport, "/credentialSubject/dateOfExport"),
    invoiceNumber: null,
  };
}

function mapUsmca(vc: UsmcaCertificationOfOriginCredential): Specific {
  const subject = vc.credentialSubject;
  const exporters = new PartyList();
  const importers = new PartyList();
  const producers = new PartyList();
  exporters.add(subject.exporterDetails, "/credentialSubject/exporterDetails");
  producers.add(subject.producerDetails, "/credentialSubject/producerDetails");
  (subject.importerDetails ?? []).forEach((p, i) => importers.add(p, `/credentialSubject/importerDetails/${i}`));
  const htsLines = subject.goods.map((good, index): HtsLine => {
    const path = `/credentialSubject/goods/${index}`;
    return {
      index,
      ...normaliseHts(good.commodityCode, `${path}/commodityCode`),
      codeType: good.commodityCodeType,
      countryOfOrigin: normaliseCountry(good.countryOfOrigin, `${path}/countryOfOrigin`),
      description: good.description,
      originCriterion: good.originCriterion,
    };
  });
  return {
    exporters: exporters.parties,
    importers: importers.parties,
    producers: producers.parties,
    manufacturingCountry: null,
    htsLines,
    exportDate: null,
    invoiceNumber: subject.invoiceNumber ?? null,
  };
}

/** Distinct parties in first-seen order (the same party on several lines is listed once). */
class PartyList {
  readonly parties: Party[] = [];
  private readonly seen = new Set<string>();

  add(input: PartyInput, path: string): void {
    const party = toParty(input, path);
    const key = canonicalize(party);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.parties.push(party);
  }
}

function toParty(input: PartyInput, path: string): Party {
  const address = input.location?.address;
  return {
    id: input.id ?? null,
    did: isDid(input.id) ? input.id : null,
    name: input.name ?? null,
    taxId: input.taxId ?? null,
    address:
      address === undefined
        ? null
        : {
            streetAddress: address.streetAddress ?? null,
            locality: address.addressLocality ?? null,
            region: address.addressRegion ?? null,
            postalCode: address.postalCode ?? null,
            country:
              address.addressCountry === undefined
                ? null
                : normaliseCountry(address.addressCountry, `${path}/location/address/addressCountry`),
          },
  };
}
