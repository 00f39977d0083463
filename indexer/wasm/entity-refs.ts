/**
 * How an entity field refers to another entity: the referenced id as text (String and ID ids as given,
 * Bytes ids as 0x hex, Int8 ids in decimal), directly or inside a list. Used by `loadRelated` in every store.
 */
import { hexlify } from "ethers";
import type { StoreValue } from "../store/types";

/** The id a reference value names, or null if the value can't be an id. */
export function idText(v: StoreValue | undefined): string | null {
  if (!v) return null;
  if (v.kind === "String") return v.value;
  if (v.kind === "Bytes") return hexlify(v.value);
  if (v.kind === "Int8") return v.value.toString();
  return null;
}

/** Whether `v` (a reference or a list of references) names entity `id`. */
export function refersTo(v: StoreValue | undefined, id: string): boolean {
  if (!v) return false;
  if (v.kind === "Array") return v.value.some((x) => refersTo(x, id));
  return idText(v) === id;
}
