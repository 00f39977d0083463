/** The CBP analyst's pages. */
import type { AppRoute } from "../lib/routes";
import { insightRoutes } from "./insight/routes";
import { RiskQueue } from "./RiskQueue";
import { SearchPage } from "./SearchPage";
import { ShipmentPage } from "./ShipmentPage";
import { SignIn } from "./SignIn";

export const routes: AppRoute[] = [
  { path: "/queue", title: "Risk queue", element: (p) => <RiskQueue {...p} />, nav: true },
  { path: "/sign-in", title: "Sign in", element: (p) => <SignIn {...p} />, nav: true },
  { path: "/search", title: "Search", element: (p) => <SearchPage q={p.q} /> },
  { path: "/shipment/:id", title: "Shipment", element: (p) => <ShipmentPage id={p.id} /> },
  ...insightRoutes,
];
