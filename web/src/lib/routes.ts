/** What each audience (analyst, supplier, verifier) contributes to the app: its pages under hash paths. */
import type { JSX } from "react";

export interface AppRoute {
  /** Hash path with `:name` parameters, e.g. "/shipment/:id" (opened as `#/shipment/0x…`). */
  path: string;
  /** Page title, also the navigation label. */
  title: string;
  /** The page; `params` holds the path parameters and the hash query string's values. */
  element: (params: Record<string, string>) => JSX.Element;
  /** Listed in the navigation bar. */
  nav?: boolean;
}

/** The parameters of `path` when `pattern` matches it, else null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(have[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== have[i]) return null;
  }
  return params;
}

/** A location hash split into its path and query values: `#/queue?port=USHOU` → {path: "/queue", query}. */
export function parseHash(hash: string): { path: string; query: Record<string, string> } {
  const body = hash.replace(/^#/, "");
  const q = body.indexOf("?");
  const path = (q < 0 ? body : body.slice(0, q)) || "/";
  const query: Record<string, string> = {};
  if (q >= 0) for (const [k, v] of new URLSearchParams(body.slice(q + 1))) query[k] = v;
  return { path: path.startsWith("/") ? path : `/${path}`, query };
}

/** The hash for `path` with `query` values (empty values left out). */
export function hashOf(path: string, query: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ""}`;
}
