/** The trade parties' pages (mills, processors, chambers, exporters, importers, brokers). */
import { lazy, Suspense } from "react";
import type { AppRoute } from "../lib/routes";
import { DeriveProduct } from "./DeriveProduct";
import { FileShipment } from "./FileShipment";
import { Receipt } from "./Receipt";
import { SupplierHome } from "./SupplierHome";
import { WhoAmI } from "./WhoAmI";

// The credential schemas and their validators are most of the supplier code: loaded with this page only.
const IssueDocument = lazy(() => import("./IssueDocument").then((m) => ({ default: m.IssueDocument })));

export const routes: AppRoute[] = [
  { path: "/supplier", title: "Trade party", element: () => <SupplierHome />, nav: true },
  { path: "/supplier/me", title: "Who am I", element: () => <WhoAmI /> },
  {
    path: "/supplier/issue",
    title: "Issue a document",
    element: () => (
      <Suspense fallback={<p role="status">Loading the credential checker…</p>}>
        <IssueDocument />
      </Suspense>
    ),
    nav: true,
  },
  { path: "/supplier/derive", title: "Derive a product", element: () => <DeriveProduct /> },
  { path: "/supplier/shipment", title: "File a shipment", element: () => <FileShipment /> },
  { path: "/supplier/receipt/:tx", title: "Receipt", element: (p) => <Receipt {...p} /> },
];
