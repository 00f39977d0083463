/**
 * One query worker thread of QueryWorkerPool: its own read-only connection to the store file (WAL lets it
 * read while the indexer writes) and its own QueryEngine. Answers `{id, req}` messages with `{id, result}`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { QueryEngine, type QueryEngineOptions } from "./engine";
import { openQueryStore } from "../store/open-query-store";
import { messageOf } from "../../lib/errors";

export interface QueryWorkerData {
  db: string;
  schema: string;
  engine: Omit<QueryEngineOptions, "trace">;
}

/** An answer crosses as JSON text: a string is copied at once, an object graph is cloned node by node. */
export type QueryWorkerReply = { ready: true } | { failed: string } | { id: number; json: string };

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
    void engine.execute(m.req).then((r) =>
      // The JSON form is what the client gets (GraphQLError objects would not survive structured cloning anyway).
      port.postMessage({ id: m.id, json: JSON.stringify(r) } satisfies QueryWorkerReply),
    );
  });
  // A first query compiles the engine's code paths and statements, so that the first real one answers fast.
  void engine.execute({ query: "{ _meta { block { number } } }" }).then(() => {
    port.postMessage({ ready: true } satisfies QueryWorkerReply);
  });
}

main();
