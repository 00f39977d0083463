/** The analyst's insight pages, spread into the analyst's routes (web/src/analyst/routes.tsx). */
import type { AppRoute } from "../../lib/routes";
import { ActorPage } from "./ActorPage";
import { ChartsPage } from "./ChartsPage";
import { CooPage } from "./CooPage";
import { LineagePage } from "./LineagePage";
import { MtrPage } from "./MtrPage";
import { SavedQueriesPage } from "./SavedQueriesPage";
import "./insight.css";

export const insightRoutes: AppRoute[] = [
  { path: "/lineage/:kind/:value", title: "Lineage", element: (p) => <LineagePage kind={p.kind} value={p.value} /> },
  { path: "/actor/:address", title: "Actor", element: (p) => <ActorPage address={p.address} /> },
  { path: "/mtr/:id", title: "Mill test report", element: (p) => <MtrPage id={p.id} /> },
  { path: "/coo/:id", title: "Certificate of origin", element: (p) => <CooPage id={p.id} /> },
  { path: "/charts", title: "Charts", element: () => <ChartsPage />, nav: true },
  { path: "/queries", title: "Saved queries", element: () => <SavedQueriesPage />, nav: true },
  { path: "/queries/:name", title: "Saved queries", element: (p) => <SavedQueriesPage name={p.name} /> },
];
