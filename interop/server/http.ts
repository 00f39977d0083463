/**
 * The node's small HTTP layer: a route table tried in order, JSON answers, and the request body read with a size
 * limit (a longer body is refused with 413 from its Content-Length or as soon as it passes the limit, without
 * reading the rest) and a content-type check (415).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError, MESSAGES } from "./errors";

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The named groups of the route's pattern, as they stand in the path (percent-encoded). */
  params: Record<string, string>;
  /** The claims of the request's bearer token, once the route's scope check has passed. */
  client?: { clientId: string; scopes: string[] };
}

/** Reads a route's JSON body under the node's size limit (one function, so that every route has the same rules). */
export type JsonBody = (ctx: RequestContext) => Promise<unknown>;

export interface Route {
  method: "GET" | "POST" | "DELETE" | "HEAD";
  /** Matched against the whole path; named groups become `params`. */
  path: RegExp;
  /** The OAuth scope the route needs; `null` for a public route. */
  scope: string | null;
  handle(ctx: RequestContext): Promise<void> | void;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  const body: { message: string; details?: unknown } = { message: error.message };
  if (error.details !== undefined) body.details = error.details;
  sendJson(res, error.status, body, error.status === 413 ? { connection: "close" } : {});
}

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * The raw body, at most `limit` bytes. A body announced or found longer is refused with 413 and the connection is
 * closed once the answer is out, so that a client cannot make the node read (and keep) megabytes it will refuse.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const announced = Number(req.headers["content-length"]);
  if (Number.isFinite(announced) && announced > limit) return Promise.reject(new HttpError(413, MESSAGES.tooLarge));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off("data", onData);
        req.pause();
        reject(new HttpError(413, MESSAGES.tooLarge));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("error", reject);
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * The JSON body of a request. A missing Content-Type is read as JSON (some clients omit it); any other type than
 * JSON (or a form, where `allowForm`) is refused with 415.
 */
export async function readJson(
  req: IncomingMessage,
  limit: number,
  allowForm = false,
): Promise<{ value: unknown; form: boolean }> {
  const type = req.headers["content-type"];
  const form = allowForm && type !== undefined && FORM_TYPE.test(type);
  if (type !== undefined && type !== "" && !JSON_TYPE.test(type) && !form) {
    throw new HttpError(415, MESSAGES.unsupportedMediaType);
  }
  const raw = (await readBody(req, limit)).toString("utf8");
  if (form) return { value: Object.fromEntries(new URLSearchParams(raw)), form };
  if (raw.trim() === "") return { value: undefined, form };
  try {
    return { value: JSON.parse(raw) as unknown, form };
  } catch {
    throw new HttpError(400, MESSAGES.malformedJson);
  }
}

/** The route for a request: a match of method and path, or why none (404, or 405 when only the method differs). */
export function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | HttpError {
  let pathMatched = false;
  for (const route of routes) {
    const match = route.path.exec(path);
    if (match === null) continue;
    pathMatched = true;
    if (route.method !== method && !(method === "HEAD" && route.method === "GET")) continue;
    // Raw (still percent-encoded) segments: a did:web's `%3A` must survive; each route decodes what it needs.
    const params: Record<string, string> = { ...match.groups };
    return { route, params };
  }
  return pathMatched ? new HttpError(405, MESSAGES.methodNotAllowed) : new HttpError(404, MESSAGES.notFound);
}
