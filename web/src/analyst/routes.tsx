/** The CBP analyst's pages. */
import type { AppRoute } from "../lib/routes";
import { insightRoutes } from "./insight/routes";
import { SignIn } from "./SignIn";

export const routes: AppRoute[] = [
  { path: "/sign-in", title: "Sign in", element: (p) => <SignIn {...p} />, nav: true },
  ...insightRoutes,
];
