/** Command-line flags of the benchmarks: `--name value`. */

/** The value after `--name`, or undefined when the flag is absent. */
export function arg(name: string, argv: string[] = process.argv): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
}

/** A positive integer flag (`_` separators allowed, e.g. 100_000), or the fallback when absent. */
export function intArg(name: string, fallback: number, argv: string[] = process.argv): number {
  const v = arg(name, argv);
  if (v === undefined) return fallback;
  const n = Number(v.replace(/_/g, ""));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer`);
  return n;
}
