/**
 * Queries to the graph-node query API, the app's only data source: POST {query, variables} with the analyst's
 * bearer token. `block` asks for the state as of that block (graph-node time travel): it is added to every root
 * field of the query that does not name one (lib/at-block.ts, which brings the graphql parser: loaded only then).
 */
import { asOfBlock } from "./as-of-block";
import { graphqlPath } from "./config";
import { getToken } from "./session";
import { messageOf } from "../../../lib/errors";

/** Why a query failed, in words a person can act on; `status` 401 means the token is missing or refused. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "QueryError";
  }
  get unauthorized(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string }[];
}

/**
 * Runs `query`; resolves with its data or throws a QueryError. Without a `block` option it runs at the block the
 * "as of block" control chose (lib/as-of-block.ts), if any; `{ block: undefined }` asks for the latest state.
 */
export async function gql<T>(
  query: string,
  variables?: Record<string, unknown>,
  opts: { block?: number } = {},
): Promise<T> {
  const block = "block" in opts ? opts.block : asOfBlock();
  const text = block === undefined ? query : (await import("./at-block")).atBlock(query, block);
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(await graphqlPath(), {
      method: "POST",
      headers,
      body: JSON.stringify({ query: text, variables }),
    });
  } catch (e) {
    throw new QueryError(`the query API cannot be reached: ${messageOf(e)}`);
  }
  let body: GraphQLResponse<T> | undefined;
  try {
    body = (await response.json()) as GraphQLResponse<T>;
  } catch {
    body = undefined;
  }
  const messages = (body?.errors ?? []).map((e) => e.message).join("; ");
  if (response.status === 401 || response.status === 403) {
    const why = messages || `HTTP ${response.status}`;
    throw new QueryError(
      token ? `the server refused your token: ${why}` : `sign in first: the server needs a token (${why})`,
      response.status,
    );
  }
  if (!response.ok)
    throw new QueryError(`the query API answered HTTP ${response.status}: ${messages}`, response.status);
  if (messages) throw new QueryError(`query failed: ${messages}`, response.status);
  if (body?.data === undefined) throw new QueryError("the query API answered without data", response.status);
  return body.data;
}
