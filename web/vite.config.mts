/**
 * The web app's build: `npm run web:build` bundles web/ into dist/web/ offline. Relative asset URLs (base "./")
 * let the same bundle be served at `/` by `npm start` or under any path prefix behind a proxy.
 */
import react from "@vitejs/plugin-react";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { credentialValidators } from "./build/credential-validators";

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: "./",
  plugins: [react(), credentialValidators()],
  // Nothing is fetched from a CDN; the bundle carries what it needs.
  build: {
    outDir: path.resolve(here, "..", "dist", "web"),
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
