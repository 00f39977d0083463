/** Sizes of the web app's bundle (dist/web): every file raw and gzipped, and what the first page load fetches. */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

export interface BundleFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface BundleSize {
  files: BundleFile[];
  total: { bytes: number; gzipBytes: number };
  /** index.html and the scripts and styles it names: what every first visit downloads. */
  initial: { files: string[]; bytes: number; gzipBytes: number };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function bundleSize(distDir: string): BundleSize {
  const files = walk(distDir)
    .sort()
    .map((p) => {
      const data = readFileSync(p);
      return { file: relative(distDir, p), bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length };
    });
  const sum = (xs: BundleFile[]) => ({
    bytes: xs.reduce((a, f) => a + f.bytes, 0),
    gzipBytes: xs.reduce((a, f) => a + f.gzipBytes, 0),
  });
  const html = readFileSync(join(distDir, "index.html"), "utf8");
  const named = new Set([...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]));
  const initial = files.filter((f) => f.file === "index.html" || named.has(f.file));
  return { files, total: sum(files), initial: { files: initial.map((f) => f.file), ...sum(initial) } };
}
