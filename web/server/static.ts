/**
 * Serves the built web app (dist/web) at `/` on the GraphQL server's origin: hashed assets with an immutable
 * cache, index.html for `/` and for any other path that is not a file (the app routes by hash, but a reload of a
 * stale link should land on the app, not a 404). Text files go gzipped to a client that accepts it, compressed
 * once per file version and kept in memory (the bundle is a few megabytes; its first load a fraction of that).
 * Nothing outside the build folder is ever served.
 */
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { HttpRoute } from "../../indexer/graphql/http-route";

export const WEB_DIST = path.resolve(__dirname, "..", "..", "dist", "web");

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** Types worth compressing; images, fonts and wasm are compressed already or gain little. */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".map"]);

/** Below this size gzip's header and the extra header lines outweigh the saving. */
const MIN_GZIP_BYTES = 1024;

/**
 * Whether an Accept-Encoding header accepts gzip: listed (or `*`) with a quality above zero
 * (RFC 9110 section 12.5.3).
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  let star: boolean | undefined;
  for (const part of value.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (name.trim() === "gzip") return accepted;
    if (name.trim() === "*") star = accepted;
  }
  return star ?? false;
}

/** Gzipped file bodies by path, valid while the file's size and modification time stay the same. */
const gzipped = new Map<string, { mtimeMs: number; size: number; body: Buffer }>();

/** The file's bytes gzipped, compressed on first request and reused until the file changes. */
export function gzippedFile(file: string): Buffer {
  const stat = fs.statSync(file);
  const cached = gzipped.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.body;
  const body = gzipSync(fs.readFileSync(file));
  gzipped.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, body });
  return body;
}

/**
 * The page may talk to its own origin only (the query API and the app's endpoints); a wallet extension is not
 * bound by the page's policy. Styles allow inline attributes, which charts and graph layouts set.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** The file under `root` for a URL path, or null when the path would leave it (or names no regular file). */
export function fileFor(root: string, urlPath: string): string | null {
  if (urlPath.includes("\0")) return null;
  const target = path.resolve(root, `.${path.posix.normalize(`/${urlPath}`)}`);
  const rel = path.relative(root, target);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return null;
  let real: string;
  try {
    real = fs.realpathSync(target);
  } catch {
    return null;
  }
  const realRoot = fs.realpathSync(root);
  const realRel = path.relative(realRoot, real);
  if (realRel.startsWith("..") || path.isAbsolute(realRel)) return null;
  return fs.statSync(real).isFile() ? real : null;
}

function send(res: ServerResponse, status: number, type: string, body: Buffer | string, head: boolean): void {
  res.writeHead(status, {
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "X-Content-Type-Options": "nosniff",
    ...res.getHeaders(),
  });
  res.end(head ? undefined : body);
}

/** The handler of the app's files in `root` (dist/web by default). */
export function serveStatic(root = WEB_DIST): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) return send(res, 405, "text/plain; charset=utf-8", "GET only", head);
    const index = path.join(root, "index.html");
    if (!fs.existsSync(index)) {
      return send(res, 503, "text/plain; charset=utf-8", "the web app is not built: run npm run web:build", head);
    }
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
    } catch {
      return send(res, 400, "text/plain; charset=utf-8", "malformed URL", head);
    }
    const file = urlPath === "/" ? index : fileFor(root, urlPath);
    if (file && file !== index) {
      const hashed = urlPath.startsWith("/assets/");
      res.setHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
      const ext = path.extname(file).toLowerCase();
      const type = TYPES[ext] ?? "application/octet-stream";
      if (!COMPRESSIBLE.has(ext) || fs.statSync(file).size < MIN_GZIP_BYTES) {
        return send(res, 200, type, fs.readFileSync(file), head);
      }
      res.setHeader("Vary", "Accept-Encoding");
      if (!acceptsGzip(req.headers["accept-encoding"])) return send(res, 200, type, fs.readFileSync(file), head);
      res.setHeader("Content-Encoding", "gzip");
      return send(res, 200, type, gzippedFile(file), head);
    }
    // A missing asset or file-like path is a 404; anything else is a route of the app.
    if (file === null && (urlPath.startsWith("/assets/") || path.posix.extname(urlPath) !== "")) {
      return send(res, 404, "text/plain; charset=utf-8", `no file ${urlPath}`, head);
    }
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    res.setHeader("Referrer-Policy", "no-referrer");
    return send(res, 200, TYPES[".html"], fs.readFileSync(index), head);
  };
}

/** The app at `/`, as a fallback route: the query API and GraphiQL keep their paths. */
export function staticRoutes(root = WEB_DIST): HttpRoute[] {
  return [{ method: "GET", prefix: "/", fallback: true, handle: serveStatic(root) }];
}
