/**
 * The app's shell: a header with the navigation of every audience's pages, and the page the location hash
 * names (hash routing: the server serves one index.html and never sees the route).
 */
import { useEffect, useState, type MouseEvent } from "react";
import { routes as analystRoutes } from "./analyst/routes";
import { SearchBox } from "./analyst/SearchBox";
import { AsOfBlockControl, HistoricalBanner } from "./components/AsOfBlock";
import { Home } from "./components/Home";
import { useAsOfBlock } from "./lib/as-of-block";
import { matchPath, parseHash, type AppRoute } from "./lib/routes";
import { takeTokenFromHash } from "./lib/session";
import { routes as supplierRoutes } from "./supplier/routes";
import { routes as verifierRoutes } from "./verifier/routes";

const AUDIENCES = { "CBP analyst": analystRoutes, Supplier: supplierRoutes, Verifier: verifierRoutes };

export const ALL_ROUTES: AppRoute[] = [
  ...analystRoutes,
  ...supplierRoutes,
  ...verifierRoutes,
  { path: "/", title: "Home", element: () => <Home audiences={AUDIENCES} /> },
];

/** The route for `hash` and its parameters (path parameters and the hash query string). */
export function resolve(
  routes: readonly AppRoute[],
  hash: string,
): { route: AppRoute; params: Record<string, string> } | null {
  const { path, query } = parseHash(hash);
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params: { ...query, ...params } };
  }
  return null;
}

function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = (): void => setHash(window.location.hash);
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return hash;
}

/** Moves a `#token=…` out of the address bar (into the session) before anything renders. */
function absorbToken(): void {
  const cleaned = takeTokenFromHash(window.location.hash);
  if (cleaned !== null) history.replaceState(null, "", window.location.pathname + window.location.search + cleaned);
}
absorbToken();

function NotFound({ path }: { path: string }): JSX.Element {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing lives at <code>{path}</code>. <a href="#/">Go to the start page</a>.
      </p>
    </section>
  );
}

export function App(): JSX.Element {
  const hash = useHash();
  const found = resolve(ALL_ROUTES, hash || "#/");
  useEffect(() => {
    document.title = found ? `${found.route.title} · TradeTrace` : "Not found · TradeTrace";
  }, [found]);
  const current = parseHash(hash || "#/").path;
  // A page asks its queries when it mounts: a new "as of block" choice mounts it afresh.
  const block = useAsOfBlock();
  return (
    <>
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header className="app-header">
        <a className="brand" href="#/">
          TradeTrace
        </a>
        <SearchBox />
        <nav aria-label="Main">
          <ul>
            {ALL_ROUTES.filter((r) => r.nav).map((r) => (
              <li key={r.path}>
                <a href={`#${r.path}`} aria-current={current === r.path ? "page" : undefined}>
                  {r.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <AsOfBlockControl />
      </header>
      <HistoricalBanner />
      <main id="main" tabIndex={-1}>
        {found ? (
          <found.route.element key={`${found.route.path}@${block ?? "latest"}`} {...found.params} />
        ) : (
          <NotFound path={current} />
        )}
      </main>
    </>
  );
}

/** The skip link targets an element, not a route: focus it without changing the hash. */
function skipToMain(e: MouseEvent): void {
  e.preventDefault();
  document.getElementById("main")?.focus();
}
