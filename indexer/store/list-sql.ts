/**
 * SQL functions over list BLOBs (list-encoding.ts), registered on every connection of a store. They stand where
 * SQLite's json_each read list JSON: elements come out in the form list JSON held them (elementJson; Bytes as
 * 0x hex text, booleans as 1/0), so the statements around them compare exactly as before.
 *
 * - `tt_list_has(list, kind, value, nocase)`: 1 if an element equals `value` (`nocase`: a string element
 *   lower-cased, for a lower-cased `value`), else 0; one call per row, for a list filter read from the row.
 * - `tt_list_each(list, kind)`: the elements as rows with a `value` column, for joins through a list.
 */
import type Database from "better-sqlite3";
import type { ElementKind } from "./encoding";
import { decodeList, elementJson } from "./list-encoding";

/** An element in the form SQLite held a json_each value: booleans as integers. */
function sqlForm(kind: ElementKind, blobElement: ReturnType<typeof decodeList>[number]): string | number | null {
  const j = elementJson(kind, blobElement);
  if (j === null) return null;
  if (typeof j === "boolean") return j ? 1 : 0;
  return j as string | number;
}

/** SQLite's `=` between a json_each value and a bound parameter: text equals text, numbers equal numbers. */
function sqlEquals(element: string | number | null, value: unknown): boolean {
  if (element === null || value === null || value === undefined) return false;
  if (typeof element === "string") return typeof value === "string" && element === value;
  return (typeof value === "number" || typeof value === "bigint") && Number(value) === element;
}

export function registerListFunctions(db: Database.Database): void {
  db.function(
    "tt_list_has",
    { deterministic: true },
    (list: unknown, kind: unknown, value: unknown, nocase: unknown): number => {
      if (!Buffer.isBuffer(list)) return 0;
      const k = kind as ElementKind;
      const lower = Number(nocase) !== 0;
      for (const e of decodeList(k, list)) {
        let v = sqlForm(k, e);
        if (lower && typeof v === "string") v = v.toLowerCase();
        if (sqlEquals(v, value)) return 1;
      }
      return 0;
    },
  );
  db.table("tt_list_each", {
    columns: ["value"],
    parameters: ["list", "kind"],
    *rows(list: unknown, kind: unknown) {
      if (!Buffer.isBuffer(list)) return;
      const k = kind as ElementKind;
      for (const e of decodeList(k, list)) yield { value: sqlForm(k, e) };
    },
  });
}
