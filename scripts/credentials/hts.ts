/**
 * Commodity codes to the registries' 10-digit HTSUS number (stored on chain as a uint64, e.g. 7304191020).
 *
 * Accepted forms: digits optionally grouped by dots or single spaces ("7304.19.1020", "7304.19.10.20",
 * "7304 19 10 20", "7304191020"), of 6 digits (an HS subheading), 8 (an HTSUS tariff line) or 10 (an HTSUS
 * statistical line). Shorter codes are padded with zeros on the right to 10 digits, and the number of digits
 * the document gave is kept beside it: the chapter, heading and subheading prefixes that the risk rules match
 * (chapter 72, headings 7301-7307, watch-list prefixes) stay exact, while `digits` < 10 tells a consumer that
 * the last digits are padding, not a declared statistical suffix. Anything else (letters, 4-digit headings,
 * chapter 00, other separators) is refused.
 */
import { CredentialError, pathForMessage, quote } from "./errors";

/** A normalised commodity code. */
export interface HtsCode {
  /** Ten digits (leading zero kept for chapters 01-09). */
  hts: string;
  /** The same as a number, as the registries store it. */
  htsNumber: bigint;
  /** How many digits the document gave: 6, 8 or 10. */
  digits: 6 | 8 | 10;
}

const SHAPE = /^\d+(?:[. ]\d+)*$/;

/** Normalises a commodity code found at `path`; throws `CredentialError` if it is malformed. */
export function normaliseHts(code: unknown, path: string): HtsCode {
  const text = typeof code === "string" ? code.trim() : "";
  const digitsOnly = SHAPE.test(text) ? text.replace(/[. ]/g, "") : "";
  const digits = digitsOnly.length;
  if ((digits === 6 || digits === 8 || digits === 10) && digitsOnly.startsWith("00")) {
    throw new CredentialError(
      `HTS/HS code ${quote(code)} at ${pathForMessage(path)} has chapter 00, which does not exist (chapters are 01-99)`,
      path,
    );
  }
  if (digits !== 6 && digits !== 8 && digits !== 10) {
    throw new CredentialError(
      `malformed HTS/HS code ${quote(code)} at ${pathForMessage(path)}: expected 6, 8 or 10 digits (e.g. 7304.19.1020)`,
      path,
    );
  }
  const hts = digitsOnly.padEnd(10, "0");
  return { hts, htsNumber: BigInt(hts), digits };
}

/** "7304191020" -> "7304.19.1020", the way HTSUS numbers are printed. */
export function formatHts(hts: string): string {
  return `${hts.slice(0, 4)}.${hts.slice(4, 6)}.${hts.slice(6)}`;
}
