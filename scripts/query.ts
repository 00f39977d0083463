/**
 * `npm run query -- <saved-query> [--var name=value]… [--json] [--endpoint URL [--token T] | --db FILE]`
 *
 * Prints one saved query of subgraph/queries as a table (the columns of the targeting report), or its raw result
 * with `--json`. By default it asks the GraphQL endpoint that `npm start` serves
 * (http://127.0.0.1:8000/subgraphs/name/tradetrace); `--db FILE` reads an indexed SQLite store directly, with no
 * server (e.g. after `npm start -- --once`: `--db .tradetrace/devnet.db`). `npm run query` alone lists the
 * saved queries. The endpoint gets `Authorization: Bearer <token>` from `--token`, TRADETRACE_TOKEN or the
 * .tradetrace/analyst.token that `npm start` writes. Shipments are named by their season key when the season file of `npm start` (season.json next to
 * the store, or .tradetrace/season.json) is there.
 */
import fs from "node:fs";
import path from "node:path";
import { QueryEngine } from "../indexer/graphql/engine";
import { findToken } from "./lib/analyst-token";
import { loadSubgraphSchema } from "../indexer/schema/parse";
import { SqliteStore } from "../indexer/store/sqlite";
import type { SeasonResult } from "./season/plan";
import { renderSaved, savedQuery, savedQueryNames, shortId, type Labeler, type RunQuery } from "./season/report";

const DEFAULT_ENDPOINT = "http://127.0.0.1:8000/subgraphs/name/tradetrace";
const ROOT = path.resolve(__dirname, "..");
const SCHEMA = path.join(ROOT, "subgraph", "schema.graphql");
const USAGE =
  "usage: npm run query -- <saved-query> [--var name=value]… [--json] [--endpoint URL [--token T] | --db FILE]\n" +
  `saved queries: ${savedQueryNames().join(", ")}`;

export interface QueryArgs {
  name: string;
  variables: Record<string, string>;
  json: boolean;
  endpoint: string;
  /** Bearer token for the endpoint (else TRADETRACE_TOKEN or .tradetrace/analyst.token). */
  token?: string;
  db?: string;
}

export function parseQueryArgs(argv: string[]): QueryArgs {
  const args: Partial<QueryArgs> = { variables: {}, json: false, endpoint: DEFAULT_ENDPOINT };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--json") args.json = true;
    else if (a === "--endpoint") args.endpoint = value();
    else if (a === "--token") args.token = value();
    else if (a === "--db") args.db = path.resolve(value());
    else if (a === "--var") {
      const v = value();
      const eq = v.indexOf("=");
      if (eq < 1) throw new Error(`--var needs name=value, got ${v}`);
      args.variables![v.slice(0, eq)] = v.slice(eq + 1);
    } else if (a.startsWith("--")) throw new Error(`unknown argument ${a}\n${USAGE}`);
    else if (args.name) throw new Error(`one saved query at a time\n${USAGE}`);
    else args.name = a;
  }
  if (!args.name) throw new Error(USAGE);
  return args as QueryArgs;
}

function httpRunner(endpoint: string, token: string | undefined): RunQuery {
  return async (query, variables) => {
    const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify({ query, variables }),
    }).catch((e: Error) => {
      throw new Error(`cannot reach ${endpoint} (${e.message}); is \`npm start\` running? Or use --db FILE`);
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (response.status === 401 || response.status === 403) {
      const why = body.errors?.[0]?.message ?? `HTTP ${response.status}`;
      throw new Error(`${endpoint} refused the query (${why}); pass --token or TRADETRACE_TOKEN, or run \`npm start\``);
    }
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
    return body.data ?? {};
  };
}

/** Names shipments by their season key (FRAUD-late, KR-01…) when the season file of `npm start` is at hand. */
function seasonLabels(args: QueryArgs): Labeler {
  const file = path.join(args.db ? path.dirname(args.db) : path.join(ROOT, ".tradetrace"), "season.json");
  if (!fs.existsSync(file)) return shortId;
  const season = JSON.parse(fs.readFileSync(file, "utf8")) as SeasonResult;
  const keys = new Map(season.shipments.map((s) => [s.id, s.key]));
  return (id) => keys.get(id.toLowerCase()) ?? shortId(id);
}

/** Runs the query and returns what to print. */
export async function runQuery(args: QueryArgs): Promise<string> {
  const text = savedQuery(args.name);
  let store: SqliteStore | undefined;
  try {
    let run: RunQuery;
    if (args.db) {
      store = new SqliteStore(args.db, loadSubgraphSchema(SCHEMA));
      const engine = new QueryEngine(store);
      run = async (query, variables) => {
        const result = await engine.execute({ query, variables });
        if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join("; "));
        return result.data as Record<string, unknown>;
      };
    } else {
      run = httpRunner(args.endpoint, findToken(args.token, path.join(ROOT, ".tradetrace")));
    }
    const data = await run(text, args.variables);
    return args.json ? JSON.stringify(data, null, 2) : renderSaved(args.name, data, seasonLabels(args));
  } finally {
    store?.close();
  }
}

if (require.main === module) {
  (async () => {
    if (process.argv.length <= 2) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    process.stdout.write(`${await runQuery(parseQueryArgs(process.argv.slice(2)))}\n`);
    return 0;
  })().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
