/**
 * The verifier's queries: through the server's public lookup (open to anyone, web/server/public-lookup.ts), or,
 * where a server has none (a bare graph-node behind a static file server), through the query API with the
 * analyst's token. Always the latest block: a verdict is about now, whatever the "as of block" control says.
 */
import { gql, QueryError } from "../lib/graphql";
import { messageOf } from "../../../lib/errors";

const PUBLIC_PATH = "app/public/graphql";

export async function lookup<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(PUBLIC_PATH, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch (e) {
    throw new QueryError(`the server cannot be reached: ${messageOf(e)}`);
  }
  if (response.status === 404) return gql<T>(query, variables, { block: undefined });
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string }[] };
  const messages = (body.errors ?? []).map((e) => e.message).join("; ");
  if (!response.ok || messages || body.data === undefined) {
    throw new QueryError(`the lookup failed: ${messages || `HTTP ${response.status}`}`, response.status);
  }
  return body.data;
}
