/** Loopback HTTP; its home is lib/http.ts (shared with the benchmarks). */
export * from "../../lib/http";
