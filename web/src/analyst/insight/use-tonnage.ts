/**
 * Reads one tonnage aggregation (scripts/lib/tonnage-query.ts) through `gql()` when the page opens, again when
 * the range or the "as of block" choice changes; `null` options read nothing (the range is not known yet).
 */
import { useEffect, useState } from "react";
import {
  readTonnage,
  type TonnageDimension,
  type TonnageInterval,
  type TonnageRead,
} from "../../../../scripts/lib/tonnage-query";
import { gql } from "../../lib/graphql";
import { useAsOfBlock } from "../../lib/as-of-block";
import type { Loaded } from "./use-graphql";

export interface TonnageRange {
  interval: TonnageInterval;
  since: number;
  until: number;
  key?: string;
}

export function useTonnage(dimension: TonnageDimension, range: TonnageRange | null): Loaded<TonnageRead> {
  const block = useAsOfBlock();
  const key = range === null ? null : JSON.stringify([dimension, range]);
  const [loaded, setLoaded] = useState<Loaded<TonnageRead>>({ state: "loading" });
  useEffect(() => {
    if (key === null) return;
    const [dim, r] = JSON.parse(key) as [TonnageDimension, TonnageRange];
    let live = true;
    setLoaded({ state: "loading" });
    readTonnage((query, variables) => gql(query, variables), dim, r).then(
      (data) => live && setLoaded({ state: "done", data }),
      (e: Error) => live && setLoaded({ state: "error", message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [key, block]);
  return loaded;
}
