/** Form fields → registry values, each refusing bad input with a sentence that names the field. */
import { getAddress, isAddress, stringToHex, type Address, type Hex } from "viem";
import { normaliseCountry } from "../../../scripts/credentials/countries";
import { normaliseHts } from "../../../scripts/credentials/hts";
import { messageOf } from "../../../lib/errors";

const UINT96_MAX = (1n << 96n) - 1n;

/** A positive whole number of kilograms that fits uint96. */
export function parseKg(text: string, what: string): bigint {
  const t = text.trim().replace(/[,_ ]/g, "");
  if (!/^[0-9]+$/.test(t) || BigInt(t) === 0n || BigInt(t) > UINT96_MAX) {
    throw new Error(`${what} must be a positive whole number of kilograms`);
  }
  return BigInt(t);
}

/** Dollars ("1234.50") → cents. */
export function parseCents(text: string, what: string): bigint {
  const m = /^([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(text.trim().replace(/[,$ ]/g, ""));
  if (!m) throw new Error(`${what} must be an amount in dollars, e.g. 1250.00`);
  return BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
}

/** A country (alpha-2, alpha-3 or name, as the credentials tool reads them) → alpha-2. */
export function parseCountry(text: string, what: string): string {
  try {
    return normaliseCountry(text.trim(), "");
  } catch (error) {
    throw new Error(`${what}: ${withoutPointer(messageOf(error))}`);
  }
}

/** An HTS code with or without dots → the registries' uint64. */
export function parseHts(text: string, what: string): bigint {
  try {
    return normaliseHts(text.trim(), "").htsNumber;
  } catch (error) {
    throw new Error(`${what}: ${withoutPointer(messageOf(error))}`);
  }
}

/** A record or shipment id: 0x and 64 hex digits. */
export function requireRecordId(text: string, what: string): Hex {
  const t = text.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(t)) throw new Error(`${what} must be a record id (0x and 64 hex digits)`);
  return t.toLowerCase() as Hex;
}

export function requireAddress(text: string, what: string): Address {
  if (!isAddress(text.trim(), { strict: false })) throw new Error(`${what} must be an address (0x and 40 hex digits)`);
  return getAddress(text.trim());
}

/** A UN/LOCODE (five letters or digits, e.g. USHOU) as bytes5. */
export function parseLocode(text: string, what: string): Hex {
  const t = text.trim().toUpperCase().replace(/\s/g, "");
  if (!/^[A-Z]{2}[A-Z2-9]{3}$/.test(t)) throw new Error(`${what} must be a UN/LOCODE such as USHOU`);
  return stringToHex(t, { size: 5 });
}

/** An alpha-2 code as bytes2. */
export function countryCode(alpha2: string): Hex {
  return stringToHex(alpha2, { size: 2 });
}

/** A credential error's message without its " at /json/pointer" (a form field is no JSON document). */
function withoutPointer(message: string): string {
  return message.replace(/ at \S*(?=;|$)/, "");
}
