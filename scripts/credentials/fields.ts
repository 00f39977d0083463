/**
 * Field readers shared by the credential mappers: DIDs, timestamps, and the weight bound of the registries.
 * Each throws `CredentialError` naming the path of the offending field.
 */
import { normaliseCountry } from "./countries";
import { CredentialError, pathForMessage, quote } from "./errors";
import { contentHash } from "./jcs";

/** The largest kilogram amount a registry record holds (`uint96`). */
export const MAX_KG = (1n << 96n) - 1n;

// did:<method>:<method-specific-id> (W3C DID Core 1.0 syntax, without path, query or fragment).
const ID_CHAR = "(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})";
const DID = new RegExp(`^did:[a-z0-9]+:(?:${ID_CHAR}*:)*${ID_CHAR}+$`);

/** Whether `text` is a DID (W3C DID Core syntax). */
export function isDid(text: unknown): text is string {
  return typeof text === "string" && DID.test(text);
}

/** `value` if it is a DID, else a `CredentialError` naming the path. */
export function requireDid(value: unknown, path: string): string {
  if (!isDid(value)) throw new CredentialError(`${quote(value)} at ${pathForMessage(path)} is not a DID`, path);
  return value;
}

// RFC 3339 full-date, optionally followed by a time with a mandatory offset (a time without one would be read
// in the machine's local zone, so it is refused).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2})))?$/;

/**
 * Unix seconds of an RFC 3339 date-time (offset required) or full date (`YYYY-MM-DD`, read as 00:00:00 UTC).
 * Fractions of a second are dropped (floor); a leap second (:60) counts as the next second. Calendar dates are
 * checked (no 30 February).
 */
export function toUnixSeconds(value: unknown, path: string): bigint {
  const match = typeof value === "string" ? DATE_TIME.exec(value) : null;
  const fail = (): never => {
    throw new CredentialError(`invalid date ${quote(value)} at ${pathForMessage(path)}`, path);
  };
  if (match === null) return fail();
  const [, y, mo, d, h = "0", mi = "0", sec = "0", , sign, oh = "0", om = "0"] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetMinutes = (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 60) fail();
  if (Number(oh) > 23 || Number(om) > 59) fail();
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  return BigInt(Math.floor(utc / 1000));
}

/** A positive kilogram amount that fits a registry record; `CredentialError` otherwise. */
export function requireRecordKg(kg: bigint, path: string): bigint {
  if (kg <= 0n) throw new CredentialError(`weight at ${pathForMessage(path)} must be positive, got ${kg} kg`, path);
  if (kg > MAX_KG) throw new CredentialError(`weight at ${pathForMessage(path)} exceeds ${MAX_KG} kg`, path);
  return kg;
}

/**
 * The content hash of record `index` of a credential that yields `count` records. A credential that yields one
 * record is anchored by its own hash; when it yields several, record i is anchored by
 * `contentHash({"credentialHash": <credential hash>, "recordIndex": i})`, i.e. the SHA-256 of
 * `{"credentialHash":"0x…","recordIndex":i}` — distinct per record, and recomputable from the credential alone.
 */
export function recordHash(credentialHash: string, index: number, count: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`record index ${index} outside 0..${count - 1}`);
  }
  return count === 1 ? credentialHash : contentHash({ credentialHash, recordIndex: index });
}

/** The fields every mapped credential takes from its issuer and validity window. */
export interface IssuerFields {
  /** The issuer's DID and name. */
  issuerDid: string;
  issuerName: string | null;
  /** The issuer's own address country (ISO 3166-1 alpha-2), or null when the credential gives none. */
  issuerCountry: string | null;
  /** `validFrom`, and `validUntil` (0 when absent), as unix seconds. */
  issuedAt: bigint;
  expiresAt: bigint;
}

/** What `issuerFields` reads from a (schema-valid) credential. */
export interface IssuedCredential {
  issuer: { id: string; name?: string; location?: { address?: { addressCountry?: string } } };
  validFrom: string;
  validUntil?: string;
}

/**
 * The issuer's DID, name and address country (normalised, so an address that names no country is refused), and
 * the validity window; a `validUntil` before `validFrom` is refused.
 */
export function issuerFields(vc: IssuedCredential): IssuerFields {
  const issuedAt = toUnixSeconds(vc.validFrom, "/validFrom");
  const expiresAt = vc.validUntil === undefined ? 0n : toUnixSeconds(vc.validUntil, "/validUntil");
  if (vc.validUntil !== undefined && expiresAt < issuedAt) {
    throw new CredentialError(
      `validUntil ${vc.validUntil} at /validUntil is before validFrom ${vc.validFrom}: the credential is never valid`,
      "/validUntil",
    );
  }
  const country = vc.issuer.location?.address?.addressCountry;
  return {
    issuerDid: requireDid(vc.issuer.id, "/issuer/id"),
    issuerName: vc.issuer.name ?? null,
    issuerCountry: country === undefined ? null : normaliseCountry(country, "/issuer/location/address/addressCountry"),
    issuedAt,
    expiresAt,
  };
}
