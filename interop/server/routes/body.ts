/** Reads a route's JSON body under the node's size limit (one function, so that every route has the same rules). */
import type { RequestContext } from "../http";

export type JsonBody = (ctx: RequestContext) => Promise<unknown>;
