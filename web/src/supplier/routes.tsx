/** The trade parties' pages (mills, processors, chambers, exporters, importers, brokers). */
import type { AppRoute } from "../lib/routes";
import { DeriveProduct } from "./DeriveProduct";
import { FileShipment } from "./FileShipment";
import { IssueDocument } from "./IssueDocument";
import { Receipt } from "./Receipt";
import { SupplierHome } from "./SupplierHome";
import { WhoAmI } from "./WhoAmI";

export const routes: AppRoute[] = [
  { path: "/supplier", title: "Trade party", element: () => <SupplierHome />, nav: true },
  { path: "/supplier/me", title: "Who am I", element: () => <WhoAmI /> },
  { path: "/supplier/issue", title: "Issue a document", element: () => <IssueDocument />, nav: true },
  { path: "/supplier/derive", title: "Derive a product", element: () => <DeriveProduct /> },
  { path: "/supplier/shipment", title: "File a shipment", element: () => <FileShipment /> },
  { path: "/supplier/receipt/:tx", title: "Receipt", element: (p) => <Receipt {...p} /> },
];
