/**
 * The trade parties' pages (mills, processors, chambers, exporters, importers, brokers). Each is loaded on first
 * use (components/LazyPage.tsx): the wallet (viem), the ABIs and the credential validators stay out of the entry.
 */
import { lazyPage } from "../components/LazyPage";
import type { AppRoute } from "../lib/routes";

const SupplierHome = lazyPage(() => import("./SupplierHome").then((m) => m.SupplierHome), "the trade party's page");
const WhoAmI = lazyPage(() => import("./WhoAmI").then((m) => m.WhoAmI), "the account page");
// The credential schemas and their validators are most of the supplier code: loaded with this page only.
const IssueDocument = lazyPage(() => import("./IssueDocument").then((m) => m.IssueDocument), "the credential checker");
const DeriveProduct = lazyPage(() => import("./DeriveProduct").then((m) => m.DeriveProduct), "the derive page");
const FileShipment = lazyPage(() => import("./FileShipment").then((m) => m.FileShipment), "the shipment form");
const Receipt = lazyPage(() => import("./Receipt").then((m) => m.Receipt), "the receipt");

export const routes: AppRoute[] = [
  { path: "/supplier", title: "Trade party", element: () => <SupplierHome />, nav: true },
  { path: "/supplier/me", title: "Who am I", element: () => <WhoAmI /> },
  { path: "/supplier/issue", title: "Issue a document", element: () => <IssueDocument />, nav: true },
  { path: "/supplier/derive", title: "Derive a product", element: () => <DeriveProduct /> },
  { path: "/supplier/shipment", title: "File a shipment", element: () => <FileShipment /> },
  { path: "/supplier/receipt/:tx", title: "Receipt", element: (p) => <Receipt {...p} /> },
];
