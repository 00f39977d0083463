/**
 * The analyst's bearer token (an API key or a JWT the GraphQL server accepts): kept for the tab only
 * (sessionStorage), never in a cookie or the URL's query string. It may arrive in the URL fragment (`#token=…`),
 * which browsers never send to a server.
 */
const KEY = "tradetrace.analystToken";

export function getToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token.trim());
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

/**
 * Takes a token out of a `#token=…` fragment (alone or after a route, `#/queue&token=…`), stores it, and returns
 * the hash to show instead, or null when the hash holds no token.
 */
export function takeTokenFromHash(hash: string): string | null {
  const m = /(^#|[#&?])token=([^&]+)/.exec(hash);
  if (!m) return null;
  let token: string;
  try {
    token = decodeURIComponent(m[2]);
  } catch {
    return null;
  }
  setToken(token);
  const rest = hash.slice(0, m.index) + hash.slice(m.index + m[0].length);
  const cleaned = rest.replace(/^#?[&?]?/, "#");
  return cleaned === "#" ? "#/" : cleaned;
}
