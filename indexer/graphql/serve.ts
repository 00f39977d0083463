/**
 * Serves the query API of a store file, read-only, e.g. beside an indexer process writing it:
 *
 *   npx ts-node indexer/graphql/serve.ts --db data/store.sqlite --schema subgraph/schema.graphql \
 *     [--name tradetrace] [--port 8000] [--workers 2] [--deadline 10000] [--max-filter-nesting 1] \
 *     (--api-keys FILE | --jwks URL|FILE --issuer ISS --audience AUD | --open) [--scope S] \
 *     [--cors-origin ORIGIN]… [--host-name NAME]…
 *
 * Then POST queries with `Authorization: Bearer <token>` to http://127.0.0.1:8000/subgraphs/name/tradetrace or
 * open it in a browser. Queries run in worker threads, each with its own read-only connection.
 */
import { ACCESS_USAGE, applyAccessFlag, checkAccessOptions } from "./access/flags";
import { AccessPolicy, type AccessOptions } from "./access/policy";
import { QueryWorkerPool } from "./pool";
import { GraphQLServer } from "./server";

export interface ServeOptions {
  db: string;
  schema: string;
  name: string;
  port: number;
  access: AccessOptions;
  workers: number;
  deadlineMs: number;
  maxFilterNesting?: number;
}

const USAGE =
  "usage: serve.ts --db <store.sqlite> --schema <schema.graphql> [--name <name>] [--port <port>] [--workers N] " +
  `[--deadline MS] [--max-filter-nesting N] ${ACCESS_USAGE}`;

/** Parses the arguments; throws with a usage line when one is missing or wrong. */
export function parseServeArgs(argv: string[]): ServeOptions {
  const args = new Map<string, string>();
  const access: AccessOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (applyAccessFlag(flag, value, access)) continue;
    if (!flag.startsWith("--")) throw new Error(`unexpected argument ${flag}`);
    if (argv[i + 1] === undefined) throw new Error(`unexpected argument ${flag}`);
    args.set(flag.slice(2), value());
  }
  const db = args.get("db");
  const schema = args.get("schema");
  if (!db || !schema) throw new Error(USAGE);
  const count = (flag: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const v = Number(args.get(flag) ?? fallback);
    if (!Number.isInteger(v) || v < min || v > max) throw new Error(`invalid ${flag} ${args.get(flag)}`);
    return v;
  };
  const options: ServeOptions = {
    db,
    schema,
    name: args.get("name") ?? "tradetrace",
    port: count("port", 8000, 0, 65535),
    access,
    workers: count("workers", 2, 1, 64),
    deadlineMs: count("deadline", 10_000, 1),
  };
  if (args.has("max-filter-nesting")) options.maxFilterNesting = count("max-filter-nesting", 1, 0, 32);
  for (const k of args.keys()) {
    if (!["db", "schema", "name", "port", "workers", "deadline", "max-filter-nesting"].includes(k)) {
      throw new Error(`unknown argument --${k}\n${USAGE}`);
    }
  }
  checkAccessOptions(access);
  return options;
}

/** Starts the query workers over the store file and the server; resolves with what to stop and the URL. */
export async function serve(
  o: ServeOptions,
): Promise<{ server: GraphQLServer; pool: QueryWorkerPool; url: string; notice: string }> {
  const policy = new AccessPolicy(o.access);
  const pool = await QueryWorkerPool.start({
    db: o.db,
    schema: o.schema,
    size: o.workers,
    deadlineMs: o.deadlineMs,
    engine: { maxFilterNesting: o.maxFilterNesting },
  });
  const server = new GraphQLServer({ subgraphs: { [o.name]: pool }, port: o.port, access: policy });
  try {
    const { url } = await server.start();
    return { server, pool, url: `${url}/subgraphs/name/${o.name}`, notice: policy.describe() };
  } catch (e) {
    await pool.close();
    throw e;
  }
}

if (require.main === module) {
  Promise.resolve()
    .then(() => serve(parseServeArgs(process.argv.slice(2))))
    .then(({ server, pool, url, notice }) => {
      console.log(`serving ${url}`);
      console.error(notice);
      const stop = () => void server.stop().then(() => pool.close());
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    })
    .catch((e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    });
}
