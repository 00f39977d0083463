/**
 * `npm run query -- <saved-query> [--var name=value]… [--json | --csv] [--endpoint URL [--token T] | --db FILE]`
 *
 * Prints one saved query of subgraph/queries as a table (the columns of the targeting report), or its raw result
 * with `--json`. By default it asks the GraphQL endpoint that `npm start` serves
 * (http://127.0.0.1:8000/subgraphs/name/tradetrace); `--db FILE` reads an indexed SQLite store directly, with no
 * server (e.g. after `npm start -- --once`: `--db .tradetrace/devnet.db`). `npm run query` alone lists the
 * saved queries. The endpoint gets `Authorization: Bearer <token>` from `--token`, TRADETRACE_TOKEN or the
 * .tradetrace/analyst.token that `npm start` writes. Shipments are named by their season key when the season file of `npm start` (season.json next to
 * the store, or .tradetrace/season.json) is there.
 */
/**
 * `npm run query -- <saved-query> [--var name=value]… [--json | --csv] [--endpoint URL | --db FILE]`
 *
 * Prints one saved query of subgraph/queries as a table (the columns of the targeting report), as CSV with
 * `--csv`, or its raw result with `--json`. Without `--endpoint` or `--db` it asks the server of the running
 * `npm start`, found through .tradetrace/endpoints.json; `--db FILE` reads an indexed SQLite store directly, with
 * no server (e.g. after `npm start -- --once`: `--db .tradetrace/devnet.db`). A `$now` the user does not give is
 * the indexed chain head's timestamp. `npm run query` alone or `--help` lists the saved queries and their
 * variables. Shipments are named by their season key when the season file of `npm start` (season.json next to the
 * store, or .tradetrace/season.json) is there.
 */
import fs from "node:fs";
import path from "node:path";
import { findToken } from "./lib/analyst-token";
import { ENDPOINTS_FILE, liveEndpoints } from "./lib/endpoints";
import type { SeasonResult } from "./season/plan";
import {
  renderSaved,
  savedQuery,
  savedQueryNames,
  savedRows,
  formatCsv,
  shortId,
  type Labeler,
  type RunQuery,
} from "./season/report";
import { messageOf } from "../lib/errors";

const ROOT = path.resolve(__dirname, "..");
const SCHEMA = path.join(ROOT, "subgraph", "schema.graphql");
const USAGE =
  "usage: npm run query -- <saved-query> [--var name=value]… [--json | --csv] [--endpoint URL [--token T] | --db FILE]";

/** The variables a saved query declares, as `$name: Type` pairs, and whether each is required. */
export function queryVariables(text: string): { name: string; type: string; required: boolean }[] {
  const header = /^\s*query\s+\w+\s*\(([^)]*)\)/m.exec(text);
  if (!header) return [];
  return [...header[1].matchAll(/\$(\w+)\s*:\s*([\w[\]!]+)(\s*=)?/g)].map((m) => ({
    name: m[1],
    type: m[2],
    required: m[2].endsWith("!") && !m[3],
  }));
}

/** `--help`: the usage, every saved query with its variables, and where the answer comes from. */
export function queryHelp(): string {
  const lines = savedQueryNames().map((name) => {
    const vars = queryVariables(savedQuery(name))
      .map((v) => (v.name === "now" ? "[--var now=UNIX_SECONDS]" : `--var ${v.name}=<${v.type.replace("!", "")}>`))
      .join(" ");
    return `  ${name.padEnd(22)} ${vars}`;
  });
  return [
    USAGE,
    "",
    "saved queries (subgraph/queries/):",
    ...lines,
    "",
    "  --var name=value   a variable of the query; $now defaults to the timestamp of the indexed chain head",
    "  --json | --csv     the raw result as JSON, or the table as CSV (default: a table)",
    "  --endpoint URL     a GraphQL endpoint (default: the running `npm start`, from .tradetrace/endpoints.json)",
    "  --token T          bearer token for the endpoint (default: TRADETRACE_TOKEN, else .tradetrace/analyst.token)",
    "  --db FILE          read an indexed store directly, no server (e.g. --db .tradetrace/devnet.db)",
    "  --help             this text",
  ].join("\n");
}

export interface QueryArgs {
  name: string;
  variables: Record<string, string>;
  format: "table" | "json" | "csv";
  endpoint?: string;
  /** Bearer token for the endpoint (else TRADETRACE_TOKEN or .tradetrace/analyst.token). */
  token?: string;
  db?: string;
}

/** What `--help` (or no argument) asks for: the help text, nothing queried. */
export class QueryHelpRequested extends Error {}

export function parseQueryArgs(argv: string[]): QueryArgs {
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) throw new QueryHelpRequested(queryHelp());
  const args: Partial<QueryArgs> = { variables: {}, format: "table" };
  const see = "(npm run query -- --help)";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value ${see}`);
      return v;
    };
    if (a === "--json" || a === "--csv") {
      if (args.format !== "table") throw new Error(`--json and --csv exclude each other ${see}`);
      args.format = a === "--json" ? "json" : "csv";
    } else if (a === "--endpoint") args.endpoint = value();
    else if (a === "--token") args.token = value();
    else if (a === "--db") args.db = path.resolve(process.env.INIT_CWD ?? process.cwd(), value());
    else if (a === "--var") {
      const v = value();
      const eq = v.indexOf("=");
      if (eq < 1) throw new Error(`--var needs name=value, got ${v}`);
      args.variables![v.slice(0, eq)] = v.slice(eq + 1);
    } else if (a.startsWith("--")) throw new Error(`unknown argument ${a} ${see}`);
    else if (args.name) throw new Error(`one saved query at a time ${see}`);
    else args.name = a;
  }
  if (!args.name) throw new Error(`which saved query? ${see}`);
  if (args.endpoint && args.db) throw new Error(`--endpoint and --db exclude each other ${see}`);
  return args as QueryArgs;
}

/** The headers of every GraphQL request this tool sends. */
export function requestHeaders(token: string | undefined): Record<string, string> {
  return { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

/** The endpoint to ask: `--endpoint`, else the running `npm start`'s; throws a sentence saying what to do. */
export function resolveEndpoint(args: QueryArgs, endpointsFile = ENDPOINTS_FILE): string {
  if (args.endpoint) return args.endpoint;
  const live = liveEndpoints(endpointsFile);
  if ("missing" in live) {
    throw new Error(
      `${live.missing}. Start it (\`npm start\`), or give --endpoint URL (another server) or ` +
        "--db FILE (a store, e.g. --db .tradetrace/devnet.db after `npm start -- --once`)",
    );
  }
  return live.graphql;
}

function httpRunner(endpoint: string, token: string | undefined): RunQuery {
  return async (query, variables) => {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: requestHeaders(token),
      body: JSON.stringify({ query, variables }),
    }).catch((e: Error) => {
      throw new Error(
        `cannot reach ${endpoint} (${e.cause instanceof Error ? e.cause.message : e.message}); is \`npm start\` ` +
          "still running? Or give --endpoint URL for another server, or --db FILE for a store",
      );
    });
    const body = (await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}` }] }))) as {
      data?: Record<string, unknown>;
      errors?: { message: string }[];
    };
    if (response.status === 401 || response.status === 403) {
      const why = body.errors?.[0]?.message ?? `HTTP ${response.status}`;
      throw new Error(`${endpoint} refused the query (${why}); pass --token or TRADETRACE_TOKEN, or run \`npm start\``);
    }
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join("; "));
    return body.data ?? {};
  };
}

/** The store's runner: the query engine over the SQLite file, no server. */
function storeRunner(db: string): { run: RunQuery; close(): void } {
  if (!fs.existsSync(db)) throw new Error(`no store at ${db} (\`npm start -- --once\` writes .tradetrace/devnet.db)`);
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only for --db: the HTTP path stays light */
  const { QueryEngine } = require("../indexer/graphql/engine") as typeof import("../indexer/graphql/engine");
  const { loadSubgraphSchema } = require("../indexer/schema/parse") as typeof import("../indexer/schema/parse");
  const { SqliteStore } = require("../indexer/store/sqlite") as typeof import("../indexer/store/sqlite");
  /* eslint-enable @typescript-eslint/no-require-imports */
  // Read-only: each query then reads one snapshot, where the indexes and element tables of current versions
  // serve it (a writable connection could see the indexer commit between its statements).
  const store = new SqliteStore(db, loadSubgraphSchema(SCHEMA), { readonly: true });
  const engine = new QueryEngine(store);
  const run: RunQuery = async (query, variables) => {
    const result = await engine.execute({ query, variables });
    if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join("; "));
    return result.data as Record<string, unknown>;
  };
  return { run, close: () => store.close() };
}

/** The variables to send: the user's, `$now` from the indexed head when not given; a missing one is an error. */
export async function completeVariables(
  name: string,
  text: string,
  given: Record<string, string>,
  run: RunQuery,
): Promise<Record<string, string>> {
  const declared = queryVariables(text);
  const unknown = Object.keys(given).filter((v) => !declared.some((d) => d.name === v));
  if (unknown.length) {
    const known = declared.map((d) => d.name).join(", ") || "none";
    throw new Error(`${name} has no variable ${unknown.join(", ")} (its variables: ${known})`);
  }
  const variables = { ...given };
  if (declared.some((d) => d.name === "now") && variables.now === undefined) {
    const meta = (await run("{ _meta { block { number timestamp } } }")) as {
      _meta?: { block?: { timestamp?: number | null } };
    };
    const timestamp = meta._meta?.block?.timestamp;
    if (timestamp === undefined || timestamp === null) {
      throw new Error(`${name} needs --var now=UNIX_SECONDS (the store does not know its head's timestamp)`);
    }
    variables.now = String(timestamp);
  }
  const missing = declared.filter((d) => d.required && variables[d.name] === undefined);
  if (missing.length) {
    const how = missing.map((d) => `--var ${d.name}=<${d.type.replace("!", "")}>`).join(" ");
    throw new Error(`${name} needs ${how} (npm run query -- --help)`);
  }
  return variables;
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
  const store = args.db ? storeRunner(args.db) : undefined;
  try {
    const run = store?.run ?? httpRunner(resolveEndpoint(args), findToken(args.token, path.join(ROOT, ".tradetrace")));
    const data = await run(text, await completeVariables(args.name, text, args.variables, run));
    if (args.format === "json") return JSON.stringify(data, null, 2);
    if (args.format === "csv") return formatCsv(savedRows(args.name, data, seasonLabels(args)));
    return renderSaved(args.name, data, seasonLabels(args));
  } finally {
    store?.close();
  }
}

if (require.main === module) {
  (async () => {
    let args: QueryArgs;
    try {
      args = parseQueryArgs(process.argv.slice(2));
    } catch (e) {
      if (!(e instanceof QueryHelpRequested)) throw e;
      process.stdout.write(`${e.message}\n`);
      return 0;
    }
    process.stdout.write(`${await runQuery(args)}\n`);
    return 0;
  })().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${messageOf(e)}\n`);
      process.exit(1);
    },
  );
}
