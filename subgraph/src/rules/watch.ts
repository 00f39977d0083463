// Rules on CBP's watch list: WATCHLIST and TRANSSHIPMENT.
import { BigInt } from "@graphprotocol/graph-ts";
import { ShipmentLine, WatchEntry } from "../../generated/schema";
import { loadCountry } from "../util";
import { Finding } from "./finding";
import { TRANSSHIPMENT, WATCHLIST } from "./table";

/** Whether `hts` starts with the entry's prefix. */
export function watchMatches(entry: WatchEntry, hts: BigInt): boolean {
  let divisor = BigInt.fromI32(10).pow(<u8>(10 - entry.prefixLength));
  return hts.div(divisor).equals(entry.htsPrefix);
}

/** The active watch entries on `country`, in the order they were published. */
export function activeWatchEntries(country: string): Array<WatchEntry> {
  let ids = loadCountry(country).activeWatchEntries;
  let out = new Array<WatchEntry>();
  for (let i = 0; i < ids.length; i++) {
    let entry = WatchEntry.load(ids[i]);
    if (entry != null && entry.active) out.push(entry);
  }
  return out;
}

/** WATCHLIST: `line`, whose steel was melted in `melt`, matches `entry` (a watch entry on `melt`). */
export function watchlist(entry: WatchEntry, line: ShipmentLine, melt: string): Finding | null {
  if (!watchMatches(entry, line.hts)) return null;
  let f = new Finding(
    WATCHLIST,
    "watch:" + entry.id.toHexString() + ":line:" + line.lineIndex.toString(),
    "line " +
      line.lineIndex.toString() +
      " (HTS " +
      line.hts.toString() +
      ", melted in " +
      melt +
      ") matches watch entry " +
      entry.caseReference,
  );
  f.lineIndex = line.lineIndex;
  f.watchEntry = entry.id;
  return f;
}

/**
 * TRANSSHIPMENT: steel melted in the watched country `melt` travels through a country of `route` (the export
 * country, then the transshipment countries) other than the melt country and the US; `entries` are the active watch
 * entries on `melt`, the first one named.
 */
export function transshipment(melt: string, entries: Array<WatchEntry>, route: Array<string>): Finding | null {
  if (entries.length == 0) return null;
  for (let r = 0; r < route.length; r++) {
    if (route[r] == melt || route[r] == "US") continue;
    let f = new Finding(
      TRANSSHIPMENT,
      "melt:" + melt,
      "steel melted in " + melt + " (watched: " + entries[0].caseReference + ") routed through " + route[r],
    );
    f.watchEntry = entries[0].id;
    return f;
  }
  return null;
}
