/**
 * Runs a query when the page opens, again when its variables or the "as of block" choice change, and keeps
 * the answer or the error for the page to render.
 */
import { useEffect, useState } from "react";
import { gql } from "../../lib/graphql";
import { useAsOfBlock } from "../../lib/as-of-block";

export type Loaded<T> = { state: "loading" } | { state: "error"; message: string } | { state: "done"; data: T };

export function useGraphQL<T>(query: string | null, variables: Record<string, unknown> = {}): Loaded<T> {
  const block = useAsOfBlock();
  const key = JSON.stringify(variables);
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: "loading" });
  useEffect(() => {
    if (query === null) return;
    let live = true;
    setLoaded({ state: "loading" });
    gql<T>(query, JSON.parse(key) as Record<string, unknown>).then(
      (data) => live && setLoaded({ state: "done", data }),
      (e: Error) => live && setLoaded({ state: "error", message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [query, key, block]);
  return loaded;
}
