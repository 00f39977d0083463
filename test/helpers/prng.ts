/** The seeded PRNG; its home is lib/prng.ts (shared with the benchmarks). */
export * from "../../lib/prng";
