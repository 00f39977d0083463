/**
 * The verifier's pages, open to anyone (no sign-in). Loaded on first use (components/LazyPage.tsx): the
 * credential checks and the proofs library stay out of the entry.
 */
import { lazyPage } from "../components/LazyPage";
import type { AppRoute } from "../lib/routes";

const VerifierPage = lazyPage(() => import("./VerifierPage").then((m) => m.VerifierPage), "the verifier");

export const routes: AppRoute[] = [{ path: "/verify", title: "Verify", element: () => <VerifierPage />, nav: true }];
