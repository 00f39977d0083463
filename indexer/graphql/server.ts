/**
 * The query endpoint graph-node serves, on loopback: POST/GET `/subgraphs/name/<name>` with
 * `{query, variables, operationName}`, and GraphiQL for a browser at the same path. GraphiQL's assets
 * come from node_modules; nothing is loaded from the network. Every request passes the access policy first
 * (Host, Origin, then a bearer token for queries; see access/policy.ts).
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { AccessPolicy } from "./access/policy";
import { AuthError } from "./access/types";
import { answerBytes, type QueryExecutor } from "./executor";
import { matchRoute, type HttpRoute } from "./http-route";
import { messageOf } from "../../lib/errors";

export interface GraphQLServerOptions {
  /** Subgraph name (may contain `/`) → what answers its queries (a QueryEngine or a QueryWorkerPool). */
  subgraphs: Record<string, QueryExecutor>;
  /** Who may query: required, so that no server is open by omission. */
  access: AccessPolicy;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Largest request body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Other endpoints on the same origin (the web app), tried in order before the server's own paths. */
  routes?: HttpRoute[];
}

const PREFIX = "/subgraphs/name/";

/** Static GraphiQL assets: URL name → [package, file in the package, content type]. */
const ASSETS: Record<string, [string, string, string]> = {
  "react.production.min.js": ["react", "umd/react.production.min.js", "text/javascript; charset=utf-8"],
  "react-dom.production.min.js": ["react-dom", "umd/react-dom.production.min.js", "text/javascript; charset=utf-8"],
  "graphiql.min.js": ["graphiql", "graphiql.min.js", "text/javascript; charset=utf-8"],
  "graphiql.min.css": ["graphiql", "graphiql.min.css", "text/css; charset=utf-8"],
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The GraphiQL page for one subgraph; it posts queries to its own URL. */
export function graphiqlPage(name: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(name)} · GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script>
  // A token may come in the URL fragment (#token=…), which never reaches a server or its logs; it goes into
  // the headers editor and leaves the address bar. Headers are not persisted (shouldPersistHeaders: false).
  const m = /[#&]token=([^&]+)/.exec(window.location.hash);
  if (m) history.replaceState(null, "", window.location.pathname + window.location.search);
  const bearer = m ? "Bearer " + decodeURIComponent(m[1]) : "Bearer <your token>";
  const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  const root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultEditorToolsVisibility: true,
      defaultHeaders: JSON.stringify({ Authorization: bearer }, null, 2),
      shouldPersistHeaders: false,
    }),
  );
</script>
</body>
</html>
`;
}

export class GraphQLServer {
  private server: Server | null = null;
  private readonly assetCache = new Map<string, Buffer>();
  private port = 0;

  constructor(private readonly options: GraphQLServerOptions) {
    if (!(options.access instanceof AccessPolicy)) throw new Error("GraphQLServer needs an access policy");
  }

  /** Starts listening; resolves with the bound port and the base URL. */
  async start(): Promise<{ port: number; url: string }> {
    if (this.server) throw new Error("server already started");
    const server = createServer((req, res) => {
      this.handle(req, res).catch((e) =>
        this.send(res, 500, { errors: [{ message: `internal error: ${messageOf(e)}` }] }),
      );
    });
    const host = this.options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 8000, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    const port = (server.address() as AddressInfo).port;
    this.port = port;
    return { port, url: `http://${host}:${port}` };
  }

  /** Stops listening and closes open connections. */
  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  private send(res: ServerResponse, status: number, body: unknown, type = "application/json; charset=utf-8"): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    const data = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    res.writeHead(status, { "Content-Type": type, "X-Content-Type-Options": "nosniff" });
    res.end(data);
  }

  private asset(name: string): Buffer | null {
    if (!Object.hasOwn(ASSETS, name)) return null;
    const entry = ASSETS[name];
    let b = this.assetCache.get(name);
    if (!b) {
      // Package `exports` hide the UMD files from require.resolve, but not package.json.
      b = readFileSync(join(dirname(require.resolve(`${entry[0]}/package.json`)), entry[1]));
      this.assetCache.set(name, b);
    }
    return b;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return this.send(res, 400, { errors: [{ message: "malformed URL" }] });
    }
    const access = this.options.access;
    const refused = access.refusal(req, this.port);
    if (refused) return this.send(res, 403, { errors: [{ message: refused }] });
    for (const [k, v] of Object.entries(access.corsHeaders(req))) res.setHeader(k, v);
    if (req.method === "OPTIONS") return this.send(res, 204, "");

    const route = matchRoute(this.options.routes ?? [], req.method ?? "GET", path);
    if (route) return this.serveRoute(route, req, res);

    if (path.startsWith("/graphiql/")) {
      const name = path.slice("/graphiql/".length);
      const body = req.method === "GET" ? this.asset(name) : null;
      if (!body) return this.send(res, 404, { errors: [{ message: `no asset ${name}` }] });
      res.setHeader("Cache-Control", "public, max-age=3600");
      return this.send(res, 200, body, ASSETS[name][2]);
    }

    if (!path.startsWith(PREFIX)) {
      const fallback = matchRoute(this.options.routes ?? [], req.method ?? "GET", path, true);
      if (fallback) return this.serveRoute(fallback, req, res);
      return this.send(res, 404, { errors: [{ message: `unknown path ${path}; use ${PREFIX}<name>` }] });
    }
    const name = path.slice(PREFIX.length).replace(/\/+$/, "");
    const engine = Object.hasOwn(this.options.subgraphs, name) ? this.options.subgraphs[name] : undefined;
    if (!engine) return this.send(res, 404, { errors: [{ message: `subgraph \`${name}\` not found` }] });

    // The GraphiQL page holds no data and no token; the queries it sends carry the token.
    if (req.method === "GET" && (req.headers.accept ?? "").includes("text/html") && !url.searchParams.has("query")) {
      return this.send(res, 200, graphiqlPage(name), "text/html; charset=utf-8");
    }
    try {
      await access.authenticate(req);
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      res.setHeader("WWW-Authenticate", access.challenge(e));
      return this.send(res, e.status, { errors: [{ message: e.message }] });
    }
    res.setHeader("Cache-Control", "no-store");

    if (req.method === "GET") {
      let variables: unknown = undefined;
      const v = url.searchParams.get("variables");
      if (v) {
        try {
          variables = JSON.parse(v);
        } catch {
          return this.send(res, 400, { errors: [{ message: "`variables` is not valid JSON" }] });
        }
      }
      const answer = await answerBytes(engine, {
        query: url.searchParams.get("query") ?? undefined,
        variables,
        operationName: url.searchParams.get("operationName") ?? undefined,
      });
      return this.send(res, 200, answer);
    }

    if (req.method !== "POST")
      return this.send(res, 405, { errors: [{ message: `method ${req.method} not allowed` }] });
    // Only JSON: a browser page elsewhere may POST text/plain or form bodies here without asking first (CORS).
    const type = (req.headers["content-type"] ?? "application/json").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") {
      return this.send(res, 415, {
        errors: [{ message: `unsupported content type ${JSON.stringify(type)}; send application/json` }],
      });
    }
    const raw = await this.readBody(req, res);
    if (!raw) return;
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      return this.send(res, 400, { errors: [{ message: "the request body is not valid JSON" }] });
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return this.send(res, 400, { errors: [{ message: "the request body must be a JSON object" }] });
    }
    return this.send(res, 200, await answerBytes(engine, body as Record<string, unknown>));
  }

  private async serveRoute(route: HttpRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "GET" || req.method === "HEAD") return route.handle(req, res);
    const body = await this.readBody(req, res);
    if (body) await route.handle(req, res, body);
  }

  /** The request body, or null after answering 413 when it exceeds the size limit. */
  private async readBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | null> {
    const max = this.options.maxBodyBytes ?? 1 << 20;
    const declared = Number(req.headers["content-length"] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= max && declared <= max) chunks.push(chunk as Buffer);
      // Past the limit the rest is read and dropped, so that the client reads the 413 rather than a reset
      // connection; past 16 times the limit the connection is dropped.
      else if (size > 16 * max) break;
    }
    if (size > max || declared > max) {
      res.setHeader("Connection", "close");
      this.send(res, 413, { errors: [{ message: `request body exceeds ${max} bytes` }] });
      return null;
    }
    return Buffer.concat(chunks);
  }
}
