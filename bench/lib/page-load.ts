/**
 * First page load in headless Chromium (Debian's, /usr/bin/chromium) on loopback: each run in a fresh browser
 * context (an empty cache), from navigation start to the load event, read from the page's Navigation Timing entry.
 */
import { chromium } from "playwright-core";
import { ascending, percentile } from "./stats";

export interface PageLoadTiming {
  url: string;
  runs: number;
  /** Navigation start to load event end, per run (ms). */
  loadMs: number[];
  p50: number;
  p95: number;
  max: number;
  /** Navigation start to DOMContentLoaded end, p50 (ms). */
  domContentLoadedP50: number;
  /** Bytes transferred for the page's resources in the first run (the cache is empty each run). */
  transferBytes: number;
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export async function timePageLoad(url: string, runs: number): Promise<PageLoadTiming> {
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  const loadMs: number[] = [];
  const dcl: number[] = [];
  let transferBytes = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "load" });
      const t = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
        return {
          load: nav.loadEventEnd - nav.startTime,
          dcl: nav.domContentLoadedEventEnd - nav.startTime,
          bytes: nav.transferSize + resources.reduce((a, r) => a + r.transferSize, 0),
        };
      });
      loadMs.push(Math.round(t.load * 10) / 10);
      dcl.push(t.dcl);
      if (i === 0) transferBytes = t.bytes;
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const sorted = ascending(loadMs);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    url,
    runs,
    loadMs,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    max: round(sorted[sorted.length - 1]),
    domContentLoadedP50: round(percentile(ascending(dcl), 0.5)),
    transferBytes,
  };
}
