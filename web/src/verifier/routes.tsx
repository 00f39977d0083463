/** The verifier's pages, open to anyone (no sign-in). */
import type { AppRoute } from "../lib/routes";
import { VerifierPage } from "./VerifierPage";

export const routes: AppRoute[] = [{ path: "/verify", title: "Verify", element: () => <VerifierPage />, nav: true }];
