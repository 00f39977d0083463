/**
 * Opens a store file for queries only, for readers that must not know the store's kind (the query workers of
 * `indexer/graphql/pool.ts`): a read-only SQLite connection (WAL lets it read while the indexer writes).
 */
import type { QueryStore } from "./query-store";
import { SqliteStore } from "./sqlite";

export function openQueryStore(file: string, schemaPath: string): QueryStore {
  return SqliteStore.open(file, schemaPath, { readonly: true }).queryStore();
}
