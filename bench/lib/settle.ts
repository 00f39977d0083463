/**
 * What a benchmark does between building a store and timing queries on it, so that the timing sees the machine a
 * server started on the finished store would see: the store's dirty pages are written out first. A build writes
 * gigabytes (at 1,000,000 shipments a 1.9 GB write-ahead log is checkpointed into the file on close), and the
 * kernel would otherwise flush them while the first cases run, on the same two cores.
 *
 * The build's heap needs nothing here: bench:query builds in a process of its own (./query-build.ts).
 */
import { closeSync, existsSync, fsyncSync, openSync } from "node:fs";
import { dirname } from "node:path";

export interface Settled {
  /** Time the flush took. */
  ms: number;
}

/** Flushes `files` (and the folders holding them) to disk. */
export function settle(files: readonly string[]): Settled {
  const t = performance.now();
  const paths = new Set(files.filter((f) => existsSync(f)));
  for (const f of [...paths]) paths.add(dirname(f));
  for (const p of paths) {
    const fd = openSync(p, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return { ms: Math.round(performance.now() - t) };
}
