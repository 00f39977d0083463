/**
 * The analyst's insight pages, spread into the analyst's routes (web/src/analyst/routes.tsx). Each page is loaded
 * on first use (components/LazyPage.tsx): lineage brings elkjs, charts (the charts page, an actor's or a lane's
 * tonnage) bring uPlot.
 */
import { lazyPage } from "../../components/LazyPage";
import type { AppRoute } from "../../lib/routes";
import "./insight.css";

const LineagePage = lazyPage(() => import("./LineagePage").then((m) => m.LineagePage), "the lineage page");
const ActorPage = lazyPage(() => import("./ActorPage").then((m) => m.ActorPage), "the actor page");
const MtrPage = lazyPage(() => import("./MtrPage").then((m) => m.MtrPage), "the mill test report page");
const CooPage = lazyPage(() => import("./CooPage").then((m) => m.CooPage), "the certificate of origin page");
const ChartsPage = lazyPage(() => import("./ChartsPage").then((m) => m.ChartsPage), "the charts");
const LanePage = lazyPage(() => import("./LanePage").then((m) => m.LanePage), "the lane page");
const SavedQueriesPage = lazyPage(
  () => import("./SavedQueriesPage").then((m) => m.SavedQueriesPage),
  "the saved queries",
);

export const insightRoutes: AppRoute[] = [
  { path: "/lineage/:kind/:value", title: "Lineage", element: (p) => <LineagePage kind={p.kind} value={p.value} /> },
  { path: "/actor/:address", title: "Actor", element: (p) => <ActorPage address={p.address} /> },
  { path: "/mtr/:id", title: "Mill test report", element: (p) => <MtrPage id={p.id} /> },
  { path: "/coo/:id", title: "Certificate of origin", element: (p) => <CooPage id={p.id} /> },
  { path: "/lane/:lane", title: "Lane", element: (p) => <LanePage lane={p.lane} /> },
  { path: "/charts", title: "Charts", element: () => <ChartsPage />, nav: true },
  { path: "/queries", title: "Saved queries", element: () => <SavedQueriesPage />, nav: true },
  { path: "/queries/:name", title: "Saved queries", element: (p) => <SavedQueriesPage name={p.name} /> },
];
