/**
 * Extra HTTP endpoints served by the GraphQL server on the same origin as the query API (the web app's files and
 * its server endpoints). The server tries them before its own paths; the access policy's Host and Origin checks
 * apply to them as to every request, but not the bearer token: a route that needs a caller checks it itself.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export interface HttpRoute {
  /** The method served; "*" takes any (the route answers 405 itself where needed). */
  method: "GET" | "POST" | "*";
  /** The decoded path must start with this (e.g. "/app/" or "/"). */
  prefix: string;
  /**
   * Tried only when neither another route nor the server's own paths (`/subgraphs/`, `/graphiql/`) take the
   * request, instead of the 404: the web app's files at `/` without hiding the query API.
   */
  fallback?: boolean;
  /** Answers the request; `body` is the request body, read (within the server's size limit) unless GET or HEAD. */
  handle(req: IncomingMessage, res: ServerResponse, body?: Buffer): Promise<void> | void;
}

/** The first route that takes `method` on `path`, in the order given, among the fallback routes or the others. */
export function matchRoute(
  routes: readonly HttpRoute[],
  method: string,
  path: string,
  fallback = false,
): HttpRoute | undefined {
  const takes = (r: HttpRoute): boolean =>
    r.method === "*" || r.method === method || (r.method === "GET" && method === "HEAD");
  return routes.find((r) => (r.fallback === true) === fallback && path.startsWith(r.prefix) && takes(r));
}
