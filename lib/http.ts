/** Plain loopback HTTP for the query API tests and the load and interop benchmarks (node:http, no fetch polyfills). */
import { Agent, request, type IncomingHttpHeaders } from "node:http";

export interface Reply {
  status: number;
  type: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Time from sending to the end of the answer, in ms. */
  ms: number;
}

/** One request to 127.0.0.1:`port`; `body` may be a string or raw bytes. */
export function call(
  port: number,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
  agent?: Agent,
): Promise<Reply> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers["content-type"] ?? ""),
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          ms: performance.now() - t,
        }),
      );
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** POSTs a GraphQL request as JSON, with a bearer token when one is given. */
export function postJson(port: number, path: string, body: unknown, agent?: Agent, token?: string): Promise<Reply> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return call(port, "POST", path, text, { "Content-Type": "application/json", ...bearer(token) }, agent);
}

/** The Authorization header for a bearer token; none without one. */
export function bearer(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { Authorization: `Bearer ${token}` };
}
