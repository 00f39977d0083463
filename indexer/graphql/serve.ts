/**
 * Serves the query API of a store file, read-only, e.g. beside an indexer process writing it:
 *
 *   npx ts-node indexer/graphql/serve.ts --db data/store.sqlite --schema subgraph/schema.graphql \
 *     [--name tradetrace] [--port 8000]
 *
 * Then POST queries to http://127.0.0.1:8000/subgraphs/name/tradetrace or open it in a browser.
 */
import { QueryEngine } from "./engine";
import { GraphQLServer } from "./server";
import { SqliteStore } from "../store/sqlite";

export interface ServeOptions {
  db: string;
  schema: string;
  name: string;
  port: number;
}

/** Parses `--key value` arguments; throws with a usage line when one is missing. */
export function parseServeArgs(argv: string[]): ServeOptions {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) throw new Error(`unexpected argument ${argv[i]}`);
    args.set(argv[i].slice(2), argv[i + 1]);
  }
  const db = args.get("db");
  const schema = args.get("schema");
  if (!db || !schema) {
    throw new Error("usage: serve.ts --db <store.sqlite> --schema <schema.graphql> [--name <name>] [--port <port>]");
  }
  const port = Number(args.get("port") ?? "8000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${args.get("port")}`);
  return { db, schema, name: args.get("name") ?? "tradetrace", port };
}

/** Opens the store read-only and starts the server; resolves with the server and its URL. */
export async function serve(o: ServeOptions): Promise<{ server: GraphQLServer; store: SqliteStore; url: string }> {
  const store = SqliteStore.open(o.db, o.schema, { readonly: true });
  const server = new GraphQLServer({ subgraphs: { [o.name]: new QueryEngine(store) }, port: o.port });
  const { url } = await server.start();
  return { server, store, url: `${url}/subgraphs/name/${o.name}` };
}

if (require.main === module) {
  Promise.resolve()
    .then(() => serve(parseServeArgs(process.argv.slice(2))))
    .then(({ server, store, url }) => {
      console.log(`serving ${url}`);
      const stop = () => void server.stop().then(() => store.close());
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    })
    .catch((e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    });
}
