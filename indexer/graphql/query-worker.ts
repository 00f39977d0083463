/**
 * One query worker thread of QueryWorkerPool: its own read-only connection to the store file (WAL lets it
 * read while the indexer writes) and its own QueryEngine. Answers `{id, req}` messages with `{id, json}`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { QueryEngine, type QueryEngineOptions } from "./engine";
import { jsonBytes } from "./json-bytes";
import { openQueryStore } from "../store/open-query-store";
import { messageOf } from "../../lib/errors";

export interface QueryWorkerData {
  db: string;
  schema: string;
  engine: Omit<QueryEngineOptions, "trace">;
}

/**
 * An answer crosses as UTF-8 JSON whose buffer is transferred, not copied: an object graph would be cloned node
 * by node, and even a string is copied twice (out of this thread's heap and into the server's), which for an
 * answer of a megabyte costs more than writing its bytes once (`json-bytes.ts`). The server writes them as they are.
 */
export type QueryWorkerReply = { ready: true } | { failed: string } | { id: number; json: Uint8Array };

function main(): void {
  const port = parentPort!;
  const { db, schema, engine: options } = workerData as QueryWorkerData;
  let engine: QueryEngine;
  try {
    engine = new QueryEngine(openQueryStore(db, schema), options);
  } catch (e) {
    port.postMessage({ failed: messageOf(e) } satisfies QueryWorkerReply);
    return;
  }
  port.on("message", (m: { id: number; req: Record<string, unknown> }) => {
    void engine.execute(m.req).then((r) => {
      // The JSON form is what the client gets (GraphQLError objects would not survive structured cloning anyway),
      // written as bytes in a buffer of the answer's own, which can move.
      const json = jsonBytes(r);
      port.postMessage({ id: m.id, json } satisfies QueryWorkerReply, [json.buffer as ArrayBuffer]);
    });
  });
  // A first query compiles the engine's code paths and statements, so that the first real one answers fast.
  void engine.execute({ query: "{ _meta { block { number } } }" }).then(() => {
    port.postMessage({ ready: true } satisfies QueryWorkerReply);
  });
}

main();
