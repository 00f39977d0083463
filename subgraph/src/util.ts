// Helpers shared by the mappings.
import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { Country } from "../generated/schema";

export const ZERO = BigInt.zero();

/** Id of an event row: transaction hash followed by the log index. */
export function eventId(event: ethereum.Event): Bytes {
  return event.transaction.hash.concatI32(event.logIndex.toI32());
}

/** ASCII of a fixed-size code (bytes2 country, bytes5 port), trailing zero bytes dropped. */
export function ascii(value: Bytes): string {
  let out = "";
  for (let i = 0; i < value.length; i++) {
    let c = value[i];
    if (c != 0) out += String.fromCharCode(c);
  }
  return out;
}

/** The 32-byte zero value means "none" in the registries' events. */
export function isZero(value: Bytes): boolean {
  for (let i = 0; i < value.length; i++) if (value[i] != 0) return false;
  return true;
}

/** IDocumentRegistry.Status as the schema's DocumentStatus. */
export const ACTIVE = "ACTIVE";
export const REVOKED = "REVOKED";
export const SUPERSEDED = "SUPERSEDED";

/** The Country entity, created empty on first use. */
export function loadCountry(code: string): Country {
  let country = Country.load(code);
  if (country == null) {
    country = new Country(code);
    country.activeWatchEntries = new Array<Bytes>();
    country.save();
  }
  return country;
}

/** `list` with `item` appended unless present. */
export function withBytes(list: Array<Bytes>, item: Bytes): Array<Bytes> {
  for (let i = 0; i < list.length; i++) if (list[i].equals(item)) return list;
  let out = list.slice(0);
  out.push(item);
  return out;
}

/** `list` without `item`. */
export function withoutBytes(list: Array<Bytes>, item: Bytes): Array<Bytes> {
  let out = new Array<Bytes>();
  for (let i = 0; i < list.length; i++) if (!list[i].equals(item)) out.push(list[i]);
  return out;
}

/** `list` with `item` appended unless present. */
export function withString(list: Array<string>, item: string): Array<string> {
  if (list.includes(item)) return list;
  let out = list.slice(0);
  out.push(item);
  return out;
}

/** 2^40: more seconds than any arrival time the registry accepts for a long while (year 36812). */
const RANK_SPAN: i64 = 1099511627776;

/**
 * Shipment.queueRank: riskScore first, then the earlier estimated arrival, in one number that sorts descending.
 * An arrival past 2^40 - 1 seconds ranks as that.
 */
export function queueRank(riskScore: i32, estimatedArrival: BigInt): BigInt {
  let last = BigInt.fromI64(RANK_SPAN - 1);
  let eta = estimatedArrival.gt(last) ? last : estimatedArrival;
  return BigInt.fromI32(riskScore).times(BigInt.fromI64(RANK_SPAN)).plus(last.minus(eta));
}

/** `list` with `item` appended unless present. */
export function withInt(list: Array<i32>, item: i32): Array<i32> {
  if (list.includes(item)) return list;
  let out = list.slice(0);
  out.push(item);
  return out;
}
