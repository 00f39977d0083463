/** What a page shows while its query runs or after it failed. */
import type { Loaded } from "./use-graphql";

export function Status<T>({ loaded }: { loaded: Loaded<T> }) {
  if (loaded.state === "loading") return <p aria-busy="true">Loading…</p>;
  if (loaded.state === "error") return <p role="alert">The query failed: {loaded.message}</p>;
  return null;
}
