/**
 * The browser tests' world, one per test file (call `startWebHarness()` in `before`): exactly what `npm start`
 * serves — a hardhat node on 127.0.0.1, the registries deployed, the season played and indexed, the GraphQL
 * server with the web app's routes and a fresh analyst token — and a headless Debian Chromium driven by
 * playwright-core. Nothing here talks to anything but 127.0.0.1.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { SeasonResult } from "../../scripts/season/plan";
import { parseStartArgs, start, type Serving } from "../../scripts/start";

const ROOT = path.resolve(__dirname, "..", "..");
export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = path.join(ROOT, "test-output", "web");
const AXE_SOURCE = path.join(path.dirname(require.resolve("axe-core/package.json")), "axe.min.js");

export interface OpenOptions {
  /** Sign in as the analyst with this token (through the URL fragment, as `npm start`'s link does). */
  token?: string;
  /** Runs before the app loads: the supplier tests inject an EIP-1193 provider here (`page.addInitScript`). */
  wallet?: (page: Page) => Promise<void>;
}

/** An open page and what went wrong in it: uncaught errors and console errors are collected for the test. */
export interface OpenPage {
  page: Page;
  context: BrowserContext;
  errors: string[];
}

export interface WebHarness {
  /** The server's base URL; the app is at `/`. */
  url: string;
  graphql: string;
  rpc: string;
  /** The analyst's token. */
  token: string;
  season: SeasonResult;
  browser: Browser;
  /** Opens the app at a hash path (`/queue?port=USHOU`) in a fresh browser context. */
  openPage(hashPath: string, options?: OpenOptions): Promise<OpenPage>;
  /** Runs axe-core on the page; throws listing every serious or critical violation. */
  checkAxe(page: Page): Promise<void>;
  /** Saves a full-page screenshot as test-output/web/<name>.png and returns its path. */
  screenshot(page: Page, name: string): Promise<string>;
  /** Runs a GraphQL query with the analyst's token, as the tests' source of truth. */
  query<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** The hash that opens `hashPath` and hands over `token` in the fragment (never in the query string). */
export function hashWithToken(hashPath: string, token: string | undefined): string {
  if (!token) return `#${hashPath}`;
  return `#${hashPath}${hashPath.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`;
}

/** Starts the devnet, season, indexer, server and browser; resolves once the app is served. */
/** npm start's progress, shown with WEB_HARNESS_LOG=1 (where a slow start spends its time). */
const quietUnlessAsked = (line: string): void => {
  if (process.env.WEB_HARNESS_LOG === "1") process.stderr.write(`${line}\n`);
};

export async function startWebHarness(log: (line: string) => void = quietUnlessAsked): Promise<WebHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-web-"));
  const stop = new AbortController();
  let serving!: Serving;
  let finished: Promise<unknown> = Promise.resolve();
  const ready = new Promise<void>((ok, fail) => {
    const run = start(
      {
        ...parseStartArgs(["--port", "0", "--db", path.join(dir, "devnet.db")]),
        deploymentsDir: dir,
        stateDir: path.join(dir, "state"),
      },
      {
        stdout: () => {},
        stderr: log,
        signal: stop.signal,
        onServing: (s) => {
          serving = s;
          ok();
        },
      },
    );
    run.then(
      () => fail(new Error("npm start ended before it served")),
      (e: unknown) => fail(e as Error),
    );
    finished = run.catch(() => undefined);
  });
  let browser: Browser | undefined;
  try {
    await ready;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  } catch (e) {
    stop.abort();
    await finished;
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const { url, graphql, rpc, token, season } = serving;
  if (!token) throw new Error("the harness serves with a token, not --open");
  const opened: BrowserContext[] = [];
  const b = browser;

  return {
    url,
    graphql,
    rpc,
    token,
    season,
    browser: b,
    async openPage(hashPath, options = {}) {
      const context = await b.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
      opened.push(context);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console: ${m.text()}`);
      });
      await options.wallet?.(page);
      await page.goto(`${url}/${hashWithToken(hashPath, options.token)}`);
      await page.locator("main").waitFor();
      return { page, context, errors };
    },
    async checkAxe(page) {
      // Evaluated, not added as a <script>: the app's content security policy rightly refuses inline scripts.
      await page.evaluate(fs.readFileSync(AXE_SOURCE, "utf8"));
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(c: Document, o: object): Promise<AxeResults> } }).axe;
        interface AxeResults {
          violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
        }
        const r = await axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((n) => n.target.join(" ")),
        }));
      });
      const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      if (bad.length > 0) {
        const list = bad.map((v) => `  ${v.impact} ${v.id}: ${v.help} (${v.targets.slice(0, 5).join(", ")})`);
        throw new Error(
          `axe found ${bad.length} serious or critical violation(s) on ${page.url()}:\n${list.join("\n")}`,
        );
      }
    },
    async screenshot(page, name) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${name.replace(/[^a-zA-Z0-9_-]+/g, "-")}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async query<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const r = await fetch(graphql, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await r.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length || !body.data) {
        throw new Error(`query failed: ${body.errors?.map((e) => e.message).join("; ") ?? r.status}`);
      }
      return body.data;
    },
    async stop() {
      for (const c of opened) await c.close().catch(() => {});
      await b.close();
      stop.abort();
      await finished;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
