/** The start page: what each audience can do here, from the routes they list in the navigation. */
import type { AppRoute } from "../lib/routes";

export function Home({ audiences }: { audiences: Record<string, AppRoute[]> }): JSX.Element {
  return (
    <section>
      <h1>TradeTrace</h1>
      <p>
        Customs supply-chain data for steel and line-pipe imports: mill test reports, certificates of origin and
        shipment filings signed on chain, indexed for CBP targeting.
      </p>
      {Object.entries(audiences)
        .filter(([, routes]) => routes.some((r) => r.nav))
        .map(([audience, routes]) => (
          <div key={audience}>
            <h2>{audience}</h2>
            <ul>
              {routes
                .filter((r) => r.nav)
                .map((r) => (
                  <li key={r.path}>
                    <a href={`#${r.path}`}>{r.title}</a>
                  </li>
                ))}
            </ul>
          </div>
        ))}
    </section>
  );
}
