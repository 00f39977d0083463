/**
 * The verifier is open to anyone, while the query API asks for a bearer token: `POST /app/public/graphql` answers
 * exactly the verifier's own queries (web/src/verifier/anchor-queries.ts, matched by their full text), and no
 * other, without a token. What they reveal (who anchored a content hash, with which status; an actor's public
 * roles) is what a holder of the credential may learn; listing or searching stays behind the token.
 */
import type { HttpRoute } from "../../indexer/graphql/http-route";
import type { QueryExecutor } from "../../indexer/graphql/executor";
import { PUBLIC_QUERIES } from "../src/verifier/anchor-queries";

export const PUBLIC_GRAPHQL_PATH = "/app/public/graphql";

function reply(res: Parameters<HttpRoute["handle"]>[1], status: number, body: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" });
  res.end(JSON.stringify(body));
}

/** The route; `executor` answers for the subgraph (the query worker pool). */
export function publicLookupRoute(executor: QueryExecutor, allowed: readonly string[] = PUBLIC_QUERIES): HttpRoute {
  const texts = new Set(allowed);
  return {
    method: "POST",
    prefix: PUBLIC_GRAPHQL_PATH,
    async handle(_req, res, body) {
      let request: { query?: unknown; variables?: unknown };
      try {
        request = JSON.parse((body ?? Buffer.alloc(0)).toString("utf8")) as typeof request;
      } catch {
        return reply(res, 400, { errors: [{ message: "the body is not JSON" }] });
      }
      if (typeof request.query !== "string" || !texts.has(request.query)) {
        return reply(res, 403, { errors: [{ message: "only the verifier's own queries are answered here" }] });
      }
      const variables = request.variables ?? {};
      if (typeof variables !== "object" || Array.isArray(variables) || variables === null) {
        return reply(res, 400, { errors: [{ message: "variables must be an object" }] });
      }
      reply(res, 200, await executor.execute({ query: request.query, variables }));
    },
  };
}
