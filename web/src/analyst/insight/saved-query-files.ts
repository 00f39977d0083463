/// <reference types="vite/client" />
/** The texts of subgraph/queries/*.graphql, bundled at build time (path → text). */
export const SAVED_QUERY_FILES = import.meta.glob("../../../../subgraph/queries/*.graphql", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;
