/**
 * Values as people read them: dates instead of unix seconds, HTS numbers with dots, role and reason names
 * instead of bit sets and hashes, DIDs instead of bare addresses where the actor is known. The names come from
 * scripts/lib/vocabulary.ts, the one home of the vocabulary.
 */
import { formatRoles, reasonCodeName } from "../../../scripts/lib/vocabulary";

type Num = string | number | bigint | null | undefined;

/** Unix seconds as `2026-03-01 14:05 UTC`; an empty string for none (null or 0). */
export function formatDate(seconds: Num): string {
  if (seconds === null || seconds === undefined || seconds === "") return "";
  const n = Number(seconds);
  if (!Number.isFinite(n) || n <= 0) return "";
  return `${new Date(n * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A 10-digit HTSUS number as `7306.19.1010` (heading.subheading.statistical suffix). */
export function formatHts(hts: Num): string {
  if (hts === null || hts === undefined || hts === "") return "";
  const digits = String(hts).replace(/\D/g, "");
  if (digits.length === 0 || digits.length > 10) return String(hts);
  const d = digits.padStart(10, "0");
  return `${d.slice(0, 4)}.${d.slice(4, 6)}.${d.slice(6)}`;
}

/** An HTS chapter (two digits) from a number typed in any of the usual ways ("73", "7306", "7306.19"). */
export function htsChapter(text: string): number | null {
  const digits = text.replace(/\D/g, "");
  if (digits.length < 2) return null;
  const chapter = Number(digits.slice(0, 2));
  return chapter >= 1 && chapter <= 99 ? chapter : null;
}

/** Kilograms with thousands separators: `12,500 kg`. */
export function formatKg(kg: Num): string {
  if (kg === null || kg === undefined || kg === "") return "";
  return `${BigInt(kg).toLocaleString("en-US")} kg`;
}

/** US cents as dollars: `$1,234.50`. */
export function formatCents(cents: Num): string {
  if (cents === null || cents === undefined || cents === "") return "";
  const c = BigInt(cents);
  const sign = c < 0n ? "-" : "";
  const abs = c < 0n ? -c : c;
  return `${sign}$${(abs / 100n).toLocaleString("en-US")}.${String(abs % 100n).padStart(2, "0")}`;
}

/** A role bit set as names: `MILL, EXPORTER` (`none` for no role). */
export function formatRoleSet(mask: Num): string {
  if (mask === null || mask === undefined || mask === "") return "";
  return formatRoles(BigInt(mask)).split("|").join(", ");
}

const ZERO32 = `0x${"0".repeat(64)}`;

/** A reason code hash as its word (`CF28`), `none` for zero, or a shortened hash when the word is unknown. */
export function formatReason(code: string | null | undefined): string {
  if (!code) return "";
  if (code.toLowerCase() === ZERO32) return "none";
  return reasonCodeName(code) ?? shortHex(code);
}

/** `0x1234…cdef` for a long hex string; other strings unchanged. */
export function shortHex(hex: string): string {
  return /^0x[0-9a-fA-F]{16,}$/.test(hex) ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex;
}

/** Abbreviations that stay in capitals inside enum names. */
const ACRONYMS = new Set(["MTR", "COO", "HTS", "CBP", "DID"]);

/** A risk rule's enum name in words: MELT_POUR_MISMATCH → "Melt pour mismatch", MISSING_MTR → "Missing MTR". */
export function formatRule(rule: string): string {
  const words = rule.split("_").map((w) => (ACRONYMS.has(w) ? w : w.toLowerCase()));
  const text = words.join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A document's standing at `now` (unix seconds): its on-chain status in words, or "expired" for an active record
 * past its expiry (0 means none).
 */
export function documentStanding(status: string, expiresAt: string | number, now: number): string {
  const expiry = Number(expiresAt);
  if (status === "ACTIVE" && expiry > 0 && expiry < now) return "expired";
  return status.toLowerCase();
}

/** Lower-case address → DID of the actors a page has loaded. */
export type DidBook = ReadonlyMap<string, string>;

/** Builds a DidBook from actor records ({id, did}). */
export function didBook(actors: readonly { id: string; did: string }[]): DidBook {
  return new Map(actors.map((a) => [a.id.toLowerCase(), a.did]));
}

/** An actor by its DID when known, else by its address (the full address: it is what a person can check). */
export function formatParty(address: string | null | undefined, book: DidBook): string {
  if (!address) return "";
  return book.get(address.toLowerCase()) ?? address.toLowerCase();
}

/** A UN/LOCODE as written (`US HOU`) from its five letters (`USHOU`). */
export function formatLocode(code: string): string {
  return /^[A-Z]{2}[A-Z0-9]{3}$/.test(code) ? `${code.slice(0, 2)} ${code.slice(2)}` : code;
}

/** A status or kind enum in words: HOLD_PLACED → "hold placed". */
export function formatEnum(value: string | null | undefined): string {
  return (value ?? "").toLowerCase().replace(/_/g, " ");
}
