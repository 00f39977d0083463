/**
 * The server side of the load test, in its own process so that its memory is measured alone: opens a store
 * file read-only, serves it on 127.0.0.1 (free port) and answers memory probes over IPC. Forked by
 * bench/lib/load.ts with `--expose-gc`; argv: <store.sqlite> <schema.graphql> <name>.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AccessPolicy } from "../../indexer/graphql/access/policy";
import { QueryEngine } from "../../indexer/graphql/engine";
import { findToken, issueLocalToken } from "../../scripts/lib/analyst-token";
import { GraphQLServer } from "../../indexer/graphql/server";
import { SqliteStore } from "../../indexer/store/sqlite";

export type ProbeRequest = { probe: "memory"; gc: boolean } | { probe: "stop" };

export interface MemoryReply {
  rss: number;
  heapUsed: number;
}

async function main(): Promise<void> {
  const [db, schema, name] = process.argv.slice(2);
  const store = SqliteStore.open(db, schema, { readonly: true });
  // Clients authenticate as analysts do: a fresh API key whose token goes to the parent with the port.
  const keyDir = mkdtempSync(path.join(tmpdir(), "tt-load-keys-"));
  const access = new AccessPolicy({ apiKeysFile: issueLocalToken(keyDir).keysFile });
  const server = new GraphQLServer({ subgraphs: { [name]: new QueryEngine(store) }, port: 0, access });
  const { port } = await server.start();
  process.on("message", (m: ProbeRequest) => {
    if (m.probe === "stop") {
      void server.stop().then(() => {
        store.close();
        process.disconnect();
      });
      return;
    }
    if (m.gc) (globalThis as { gc?: () => void }).gc?.();
    const u = process.memoryUsage();
    process.send!({ rss: u.rss, heapUsed: u.heapUsed } satisfies MemoryReply);
  });
  process.send!({ port, token: findToken(undefined, keyDir) });
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
