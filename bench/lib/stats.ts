/** Small figures every benchmark reports the same way. */

/** Bytes as MB with one decimal. */
export const mb = (bytes: number): number => Math.round(bytes / 1024 / 102.4) / 10;

/** A copy of `xs` in ascending order, for `percentile`. */
export const ascending = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

/** Nearest-rank percentile `q` (0–1) of an ascending list; 0 for an empty one. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
