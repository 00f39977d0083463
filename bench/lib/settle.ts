/**
 * What a benchmark does between building a store and timing queries on it in the same process, so that the
 * timing sees the machine a server started on the finished store would see:
 * - the store's dirty pages are written out first: a build writes gigabytes (at 1,000,000 shipments a 1.9 GB
 *   write-ahead log is checkpointed into the file on close) and the kernel would otherwise flush them while
 *   the first cases run, on the same two cores;
 * - the build's garbage is collected first: the season generator's heap dies when the build returns (454 MB
 *   of it at 1,000,000 shipments), and V8 would otherwise mark and sweep it on helper threads beside the timed
 *   requests. This does not explain every slow tail: revoked-after-link's process CPU time per request at p95
 *   stays far above its wall time in fresh processes too (README, the 1,000,000 run).
 * Collecting needs node's `--expose-gc` (`npm run bench:query` passes it); without it only the flush is done.
 */
import { closeSync, existsSync, fsyncSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { memoryUsage } from "node:process";

export interface Settled {
  /** Time the flush and the collection took. */
  ms: number;
  /** Whether the garbage was collected (node ran with --expose-gc). */
  collected: boolean;
  heapUsedMB: { before: number; after: number };
}

const MB = 1024 * 1024;

/** Flushes `files` (and the folders holding them) to disk and collects the garbage, if node lets it. */
export function settle(files: readonly string[]): Settled {
  const t = performance.now();
  const before = memoryUsage().heapUsed;
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
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  return {
    ms: Math.round(performance.now() - t),
    collected: gc !== undefined,
    heapUsedMB: { before: Math.round(before / MB), after: Math.round(memoryUsage().heapUsed / MB) },
  };
}
