/**
 * The query side as the HTTP server sees it: something that answers GraphQL requests over some store. The
 * in-process `QueryEngine` is one (tests, in-memory stores); `QueryWorkerPool` runs engines over a SQLite file
 * in worker threads, so that no query blocks the indexer or other queries. Another store (e.g. Postgres) can
 * plug in here without the server knowing.
 */
import type { GraphQLRequest } from "./engine";

/** A GraphQL answer as plain JSON-able data. */
export interface QueryResult {
  data?: Record<string, unknown> | null;
  errors?: readonly { message: string; locations?: unknown; path?: unknown }[];
}

export interface QueryExecutor {
  /** Answers a request; never throws, every failure is a GraphQL error. */
  execute(req: GraphQLRequest): Promise<QueryResult>;
  /**
   * The same answer as JSON text, for an executor that has it as text already (a worker thread's answer
   * crosses to the server as text): a server sends it as it is instead of parsing and serializing it again.
   */
  executeText?(req: GraphQLRequest): Promise<string>;
  /** The same answer as UTF-8 JSON, for an executor that has it as bytes already (a worker thread's answer). */
  executeBytes?(req: GraphQLRequest): Promise<Uint8Array>;
  /** Releases what the executor holds (workers, connections). */
  close?(): Promise<void>;
}

/** An executor's answer as JSON text, through `executeText` where it has one. */
export async function answerText(executor: QueryExecutor, req: GraphQLRequest): Promise<string> {
  return executor.executeText ? executor.executeText(req) : JSON.stringify(await executor.execute(req));
}

/** An executor's answer as UTF-8 JSON to send, through `executeBytes` where it has one (no copy, no re-encoding). */
export async function answerBytes(executor: QueryExecutor, req: GraphQLRequest): Promise<Buffer> {
  if (!executor.executeBytes) return Buffer.from(await answerText(executor, req));
  const bytes = await executor.executeBytes(req);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
