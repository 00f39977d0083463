/** The verifier's pages (filled by its branch). */
import type { AppRoute } from "../lib/routes";

export const routes: AppRoute[] = [];
