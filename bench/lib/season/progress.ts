/**
 * What a long season build prints as it goes (every few hundred blocks): shipments filed, the rate overall and
 * since the last line (a falling rate shows the build slowing as the store grows), the same per second of this
 * process's CPU time (steadier than wall time on a shared machine), the process's RSS, and what the generator
 * holds in memory. Where the RSS goes: the heap's used and committed sizes, and the memory JavaScript objects hold
 * outside it (`external`: buffers); the rest is native, mostly SQLite's page cache.
 */
import { cpuUsage, memoryUsage, resourceUsage } from "node:process";

const MB = 1024 * 1024;

/** Peak resident set size of this process so far, in MB. */
export const peakRssMB = (): number => Math.round((resourceUsage().maxRSS * 1024) / MB);

/** A progress callback for buildSeason that writes a line to `out` (stderr by default). */
export function progressPrinter(
  out: (line: string) => void = (l) => process.stderr.write(l + "\n"),
): (block: number, blocks: number, shipments: number, held: { records: number; shipments: number }) => void {
  const t0 = performance.now();
  const cpuSeconds = (): number => {
    const c = cpuUsage();
    return (c.user + c.system) / 1e6;
  };
  let last = { t: t0, cpu: cpuSeconds(), shipments: 0 };
  return (block, blocks, shipments, held) => {
    const t = performance.now();
    const cpu = cpuSeconds();
    const rate = (n: number, ms: number): string => (ms > 0 ? ((n * 1000) / ms).toFixed(0) : "-");
    const m = memoryUsage();
    out(
      `  block ${block}/${blocks}: ${shipments} shipments in ${((t - t0) / 1000).toFixed(0)} s, ` +
        `${rate(shipments, t - t0)}/s (${rate(shipments - last.shipments, t - last.t)}/s since the last line, ` +
        `${rate(shipments - last.shipments, (cpu - last.cpu) * 1000)} per CPU second); ` +
        `RSS ${Math.round(m.rss / MB)} MB (peak ${peakRssMB()}), ` +
        `heap ${Math.round(m.heapUsed / MB)} of ${Math.round(m.heapTotal / MB)} MB, external ${Math.round(m.external / MB)} MB; ` +
        `holding ${held.records} records, ${held.shipments} shipments`,
    );
    last = { t, cpu, shipments };
  };
}
