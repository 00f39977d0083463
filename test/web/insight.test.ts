/**
 * The analyst's insight pages in a real browser over the season of `npm start`: the lineage of a shipment line
 * (heat → mill report → coil → pipe → line, with kilograms and melt countries), a saved query run with a
 * parameter and exported to CSV, "as of block N" time travel, and the actor, mill test report, certificate of
 * origin and chart pages, the tonnage trends checked against the season's data points (the charts, an exporter's
 * and a lane's weeks, the report's trends section). axe runs on every page; each test saves a screenshot in
 * test-output/web/.
 */
import { expect } from "chai";
import fs from "node:fs";
import type { Page, Request } from "playwright-core";
import { formatTable } from "../../scripts/season/report";
import { seasonNamer, trendsSection, TREND_WEEKS } from "../../scripts/season/trends";
import { startWebHarness, type WebHarness } from "./harness";

/** The CSV of the first table on the page whose caption contains `caption`, as rows of fields. */
async function exportCsv(page: Page, caption: string): Promise<string[][]> {
  const table = page.locator(".data-table", { has: page.locator("caption", { hasText: caption }) });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    table.getByRole("button", { name: /Export CSV/ }).click(),
  ]);
  const text = fs.readFileSync((await download.path())!, "utf8");
  // The saved-query cells hold no quotes, commas or line breaks except where quoted; split RFC 4180 simply.
  return text
    .trimEnd()
    .split("\r\n")
    .map((line) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1].replace(/^"|"$/g, "")))
    .map((fields) => fields.slice(0, -1));
}

const didOf = (name: string) => `did:web:${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example`;

describe("web: the analyst's insight pages @no-coverage", function () {
  this.timeout(600_000);
  let h: WebHarness;

  before(async function () {
    h = await startWebHarness();
  });
  after(async () => h?.stop());

  it("draws the lineage of a Korean pipe line from the shipment page: heat, mill report, coil, pipe, line, kilograms", async () => {
    const { millTestReport } = await h.query<{
      millTestReport: {
        allocations: {
          kg: string;
          line: { id: string; lineIndex: number; declaredKg: string; shipment: { id: string; billOfLading: string } };
        }[];
      };
    }>(
      `query($id: ID!) { millTestReport(id: $id) { allocations(where: { active: true }, first: 1) {
        kg line { id lineIndex declaredKg shipment { id billOfLading } } } } }`,
      { id: h.season.pipeReport },
    );
    const line = millTestReport.allocations[0].line;
    // From the shipment page's line, as the analyst gets there.
    const { page, errors } = await h.openPage(`/shipment/${line.shipment.id}`, { token: h.token });
    await page.getByRole("heading", { name: `Shipment ${line.shipment.billOfLading}` }).waitFor();
    await page.getByRole("link", { name: `Lineage of line ${line.lineIndex + 1}` }).click();
    expect(page.url()).to.match(new RegExp(`#/lineage/line/${line.id}$`));
    const table = page.getByTestId("lineage-table");
    await table.waitFor();
    const rows = await table
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    const byNode = Object.fromEntries(rows.map(([kind, node, , kg, melt]) => [node, { kind, kg, melt }]));
    expect(byNode).to.deep.include({
      "heat KR4406": { kind: "heat", kg: "—", melt: "KR" },
      "MTR-2026-KR-6": { kind: "report", kg: "80,000 kg", melt: "KR" },
      "MTR-2026-KR-COIL-1": { kind: "report", kg: "78,000 kg", melt: "KR" },
      "MTR-2026-KR-PIPE-1": { kind: "report", kg: "75,000 kg", melt: "KR" },
    });
    const lineRow = rows.find(([kind]) => kind === "shipment line")!;
    expect(lineRow[3]).to.equal(`${BigInt(line.declaredKg).toLocaleString("en-US")} kg`);
    expect(lineRow[5]).to.equal("");
    expect(rows).to.have.length(5);
    // The picture: five boxes, and the kilograms taken on the edges (80 t of the heat's report into the coil,
    // 78 t of the coil into the pipe, the line's allocation).
    const svg = page.getByTestId("lineage-svg");
    await svg.waitFor();
    expect(await svg.locator("[data-node-kind]").count()).to.equal(5);
    const svgText = await svg.textContent();
    for (const kg of [
      "80,000 kg",
      "78,000 kg",
      `${BigInt(millTestReport.allocations[0].kg).toLocaleString("en-US")} kg`,
    ])
      expect(svgText).to.include(kg);
    expect(errors).to.deep.equal([]);
    await h.checkAxe(page);
    await h.screenshot(page, "insight-lineage-line");
  });

  it("finds the lineage by certificate number, and says so when no document has the number", async () => {
    const { page } = await h.openPage("/lineage/number/MTR-2026-KR-COIL-1", { token: h.token });
    await page.getByTestId("lineage-table").waitFor();
    expect(await page.getByTestId("lineage-table").locator("tbody tr").count()).to.equal(3);
    await h.checkAxe(page);
    await h.screenshot(page, "insight-lineage-number");
    await page.goto(page.url().replace(/#.*/, "#/lineage/number/NO-SUCH-1"));
    await page
      .getByRole("alert")
      .getByText("No mill test report or certificate of origin has the number NO-SUCH-1.")
      .waitFor();
  });

  it("runs a saved query with a parameter and exports its rows as CSV", async () => {
    const importer = h.season.importer.toLowerCase();
    const expected = await h.query<{ shipments: { id: string; billOfLading: string }[] }>(
      `query($p: Bytes!) { shipments(where: { parties_contains: [$p] }, orderBy: filedAt, first: 1000) { id billOfLading } }`,
      { p: importer },
    );
    expect(expected.shipments.length).to.be.greaterThan(0);
    const { page, errors } = await h.openPage("/queries/party-shipments", { token: h.token });
    const party = page.getByLabel(/^party/);
    // Bad input: a clear message on the page, and nothing sent.
    let sent = 0;
    // Only the saved query counts: the page may still be asking for the chain head's time in the background.
    const isSavedQuery = (r: Request) => r.method() === "POST" && (r.postData() ?? "").includes("PartyShipments");
    page.on("request", (r) => void (isSavedQuery(r) && sent++));
    await party.fill("0x123");
    await page.getByRole("button", { name: "Run" }).click();
    await page.getByRole("alert").getByText('"0x123" is not hex bytes starting with 0x').waitFor();
    expect(sent).to.equal(0);
    await party.fill(importer);
    await page.getByRole("button", { name: "Run" }).click();
    await page.locator("caption", { hasText: "PartyShipments: shipments" }).waitFor();
    const csv = await exportCsv(page, "PartyShipments: shipments");
    const header = csv[0];
    const rows = csv.slice(1).map((r) => Object.fromEntries(header.map((k, i) => [k, r[i]])));
    expect(rows.map((r) => r.id)).to.deep.equal(expected.shipments.map((s) => s.id));
    expect(rows.map((r) => r.billOfLading)).to.deep.equal(expected.shipments.map((s) => s.billOfLading));
    expect(rows.every((r) => r["importer.id"] === importer || r.exporter === importer || r.carrier === importer)).to.be
      .true;
    expect(errors).to.deep.equal([]);
    await h.checkAxe(page);
    await h.screenshot(page, "insight-saved-query");
  });

  it("defaults `now` to the indexed chain head's time", async () => {
    const head = await h.query<{ _meta: { block: { timestamp: number } } }>("{ _meta { block { timestamp } } }");
    const { page } = await h.openPage("/queries/high-risk-arrivals", { token: h.token });
    const now = page.getByLabel(/^now/);
    await page.waitForFunction(() => (document.querySelector("#var-now") as HTMLInputElement | null)?.value !== "");
    expect(await now.inputValue()).to.equal(String(head._meta.block.timestamp));
    await page.getByRole("button", { name: "Run" }).click();
    await page.locator("caption", { hasText: "HighRiskArrivals: shipments" }).waitFor();
    await h.checkAxe(page);
    await h.screenshot(page, "insight-saved-query-now");
  });

  it("travels back to the block a pipe report was issued: nothing consumed yet, and the view says it is historical", async () => {
    const { millTestReport: pipe } = await h.query<{
      millTestReport: { issuedAtBlock: string; consumedKg: string };
    }>(`query($id: ID!) { millTestReport(id: $id) { issuedAtBlock consumedKg } }`, { id: h.season.pipeReport });
    expect(BigInt(pipe.consumedKg)).to.be.greaterThan(0n);
    const { page, errors } = await h.openPage(`/mtr/${h.season.pipeReport}`, { token: h.token });
    const consumed = page.locator("dt", { hasText: /^Consumed$/ }).locator("xpath=following-sibling::dd[1]");
    await consumed.waitFor();
    expect(await consumed.textContent()).to.match(new RegExp(`^${BigInt(pipe.consumedKg).toLocaleString("en-US")} kg`));
    expect(await page.getByTestId("historical-banner").count()).to.equal(0);

    await page.getByLabel("As of block").fill(pipe.issuedAtBlock);
    await page.getByRole("button", { name: "Go" }).click();
    await page.getByTestId("historical-banner").getByText(`as of block ${pipe.issuedAtBlock}`).waitFor();
    await page.locator("dt", { hasText: /^Consumed$/ }).waitFor();
    expect(await consumed.textContent()).to.match(/^0 kg/);
    await h.checkAxe(page);
    await h.screenshot(page, "insight-time-travel");

    // Before the report existed, the page says there is none; a block that is not indexed yet is refused.
    await page.getByLabel("As of block").fill(String(Number(pipe.issuedAtBlock) - 1));
    await page.getByRole("button", { name: "Go" }).click();
    await page.getByRole("alert").getByText(`No mill test report has the record id`).waitFor();
    await page.getByLabel("As of block").fill("999999999");
    await page.getByRole("button", { name: "Go" }).click();
    await page.getByText(/block 999999999 is not indexed yet/).waitFor();

    await page.getByRole("button", { name: "Back to the latest block" }).click();
    expect(await page.getByTestId("historical-banner").count()).to.equal(0);
    await page.locator("dt", { hasText: /^Consumed$/ }).waitFor();
    expect(await consumed.textContent()).to.match(new RegExp(`^${BigInt(pipe.consumedKg).toLocaleString("en-US")} kg`));
    expect(errors).to.deep.equal([]);
  });

  it("shows an actor in words: DID, roles by name, issuer, validity, documents and shipments", async () => {
    const mill = h.season.actors.find((a) => a.name === "POSCO Pohang")!;
    const { page, errors } = await h.openPage(`/actor/${mill.address}`, { token: h.token });
    await page.getByRole("heading", { name: `Actor ${didOf(mill.name)}` }).waitFor();
    const fact = (name: string) =>
      page.locator("dt", { hasText: new RegExp(`^${name}$`) }).locator("xpath=following-sibling::dd[1]");
    expect(await fact("Roles").textContent()).to.equal(mill.roles.join(", "));
    expect(await fact("Suspended").textContent()).to.equal("no");
    expect(await page.getByRole("status").first().textContent()).to.equal("active");
    const reports = page.locator("caption", { hasText: "Mill test reports issued" });
    await reports.waitFor();
    expect(await page.getByRole("link", { name: "MTR-2026-KR-1", exact: true }).count()).to.equal(1);
    expect(errors).to.deep.equal([]);
    await h.checkAxe(page);
    await h.screenshot(page, "insight-actor");
  });

  it("shows a certificate of origin with its parties by DID and the shipments it covers", async () => {
    const { certificateOfOrigins } = await h.query<{
      certificateOfOrigins: {
        id: string;
        certificateNumber: string;
        links: { shipment: { billOfLading: string } }[];
      }[];
    }>(`{ certificateOfOrigins(first: 1, where: { status: ACTIVE }, orderBy: issuedAt) {
          id certificateNumber links(where: { active: true }) { shipment { billOfLading } } } }`);
    const coo = certificateOfOrigins[0];
    const { page, errors } = await h.openPage(`/coo/${coo.id}`, { token: h.token });
    await page.getByRole("heading", { name: `Certificate of origin ${coo.certificateNumber}` }).waitFor();
    await page
      .getByText(/^did:web:.*\.example$/)
      .first()
      .waitFor();
    for (const l of coo.links) await page.getByRole("link", { name: l.shipment.billOfLading }).first().waitFor();
    expect(errors).to.deep.equal([]);
    await h.checkAxe(page);
    await h.screenshot(page, "insight-coo");
  });

  const WEEK = 604_800;
  const DAY = 86_400;

  /** The season's shipped-tonnage data points (one per line filed), the source the aggregations sum. */
  async function shippedPoints(): Promise<
    { t: number; exporter: string; meltCountry: string; lane: string; kg: bigint }[]
  > {
    const out: { t: number; exporter: string; meltCountry: string; lane: string; kg: bigint }[] = [];
    for (let skip = 0; ; skip += 1000) {
      const { shippedTonnages } = await h.query<{
        shippedTonnages: { timestamp: string; meltCountry: string; lane: string; kg: string }[];
      }>(
        `query($skip: Int!) { shippedTonnages(first: 1000, skip: $skip, orderBy: id) { timestamp meltCountry lane kg } }`,
        {
          skip,
        },
      );
      for (const p of shippedTonnages)
        out.push({
          t: Number(BigInt(p.timestamp) / 1_000_000n),
          exporter: p.lane.split(">")[0],
          meltCountry: p.meltCountry,
          lane: p.lane,
          kg: BigInt(p.kg),
        });
      if (shippedTonnages.length < 1000) return out;
    }
  }

  /**
   * The points the aggregations have rolled up: a day bucket closes once a block at or past its end is indexed
   * (the runtime refuses `current: include`), so the head's own day is not counted yet.
   */
  async function closedPoints() {
    const head = await h.query<{ _meta: { block: { timestamp: number } } }>("{ _meta { block { timestamp } } }");
    const now = head._meta.block.timestamp;
    return { now, points: (await shippedPoints()).filter((p) => Math.floor(p.t / DAY) * DAY + DAY <= now) };
  }

  /** Kilograms per key over the points from `since`, in tonnes with three decimals (as the tables print them). */
  function tonnesBy<P extends { t: number; kg: bigint }>(points: P[], key: (p: P) => string, since: number) {
    const kg = new Map<string, bigint>();
    for (const p of points) if (p.t >= since) kg.set(key(p), (kg.get(key(p)) ?? 0n) + p.kg);
    return Object.fromEntries([...kg].map(([k, v]) => [k, (Number(v) / 1000).toFixed(3)]));
  }

  it("charts shipped tonnage from the aggregations by melt country per week, and by exporter per day", async () => {
    const { now, points } = await closedPoints();
    expect(points.length).to.be.greaterThan(0);
    const { page, errors } = await h.openPage("/charts", { token: h.token });
    await page.getByLabel("Window").selectOption("365");
    const caption = "Tonnes shipped by melt country";
    await page.locator("caption", { hasText: caption }).waitFor();
    const weekly = await exportCsv(page, caption);
    expect(weekly[0]).to.deep.equal(["melt country", "Tonnes", "Lines", "Share"]);
    const sinceWeek = Math.floor((now - 365 * DAY) / WEEK) * WEEK;
    const byCountry = tonnesBy(points, (p) => p.meltCountry, sinceWeek);
    expect(Object.fromEntries(weekly.slice(1).map((r) => [r[0], r[1]]))).to.deep.equal(byCountry);
    expect(Object.keys(byCountry)).to.include.members(["KR", "VN"]);
    await page.getByTestId("chart").first().locator("canvas").waitFor();
    await h.checkAxe(page);
    await h.screenshot(page, "insight-charts");

    await page.getByRole("combobox", { name: /^Tonnage/ }).selectOption("exporter");
    await page.getByRole("combobox", { name: /^Per/ }).selectOption("day");
    const exporters = "Tonnes shipped by exporter";
    await page.locator("caption", { hasText: exporters }).waitFor();
    const daily = await exportCsv(page, exporters);
    const sinceDay = Math.floor((now - 365 * DAY) / DAY) * DAY;
    expect(Object.fromEntries(daily.slice(1).map((r) => [r[0], r[1]]))).to.deep.equal(
      tonnesBy(points, (p) => p.exporter, sinceDay),
    );
    // Each exporter links to its page, named by DID when onboarded.
    const top = daily[1][0];
    const link = page
      .locator(".data-table", { has: page.locator("caption", { hasText: exporters }) })
      .locator(`a[href="#/actor/${top}"]`);
    expect(await link.count()).to.equal(1);
    await page.getByTestId("chart").first().locator("canvas").waitFor();
    expect(errors).to.deep.equal([]);
    await h.checkAxe(page);
    await h.screenshot(page, "insight-charts-exporters");
  });

  it("shows an exporter's weekly tonnage on its page with VOLUME_SURGE's line, and a lane's on the lane page", async () => {
    const { now, points } = await closedPoints();
    const lastWeek = Math.floor(now / WEEK);
    const shown = (lastWeek - 25) * WEEK;
    // The exporter with the most lines, and its busiest lane.
    const busiest = (own: typeof points, key: (p: (typeof points)[0]) => string) =>
      [...own.reduce((m, p) => m.set(key(p), (m.get(key(p)) ?? 0) + 1), new Map<string, number>())].sort(
        (a, b) => b[1] - a[1],
      )[0][0];
    const exporter = busiest(points, (p) => p.exporter);
    const lane = busiest(
      points.filter((p) => p.exporter === exporter),
      (p) => p.lane,
    );
    const perWeek = (own: typeof points) => {
      const weeks = tonnesBy(
        own,
        (p) => new Date(Math.floor(p.t / WEEK) * WEEK * 1000).toISOString().slice(0, 10),
        shown,
      );
      return Object.fromEntries(Object.entries(weeks).filter(([, t]) => t !== "0.000"));
    };
    const { page, errors } = await h.openPage(`/actor/${exporter}`, { token: h.token });
    const caption = "Shipped as exporter per week";
    await page.locator("caption", { hasText: caption }).waitFor();
    const rows = await exportCsv(page, caption);
    expect(rows[0]).to.deep.equal(["Week from", "Tonnes", "VOLUME_SURGE line", "Above it"]);
    expect(rows).to.have.length(27);
    const nonEmpty = Object.fromEntries(
      rows
        .slice(1)
        .filter((r) => r[1] !== "0.000")
        .map((r) => [r[0], r[1]]),
    );
    expect(nonEmpty).to.deep.equal(perWeek(points.filter((p) => p.exporter === exporter)));
    await page.getByTestId("chart").first().locator("canvas").waitFor();
    // The VOLUME_SURGE flags naming this exporter, as many as the subgraph holds.
    const { riskFlags } = await h.query<{ riskFlags: { id: string }[] }>(
      `query($e: Bytes!) { riskFlags(where: { rule: VOLUME_SURGE, party: $e }, first: 100) { id } }`,
      { e: exporter },
    );
    if (riskFlags.length === 0) await page.getByText("No VOLUME_SURGE flag was raised on its shipments.").waitFor();
    else expect(await exportCsv(page, "VOLUME_SURGE flags on its shipments")).to.have.length(riskFlags.length + 1);
    expect(errors).to.deep.equal([]);
    await h.checkAxe(page);
    await h.screenshot(page, "insight-actor-tonnage");

    const lanePage = await h.openPage(`/lane/${encodeURIComponent(lane)}`, { token: h.token });
    await lanePage.page.getByRole("heading", { name: /^Lane / }).waitFor();
    const laneCaption = "Shipped on this lane per week";
    await lanePage.page.locator("caption", { hasText: laneCaption }).waitFor();
    const laneRows = await exportCsv(lanePage.page, laneCaption);
    const laneWeeks = Object.fromEntries(
      laneRows
        .slice(1)
        .filter((r) => r[1] !== "0.000")
        .map((r) => [r[0], r[1]]),
    );
    expect(laneWeeks).to.deep.equal(perWeek(points.filter((p) => p.lane === lane)));
    expect(await lanePage.page.locator(`a[href="#/actor/${exporter}"]`).count()).to.equal(1);
    expect(lanePage.errors).to.deep.equal([]);
    await h.checkAxe(lanePage.page);
    await h.screenshot(lanePage.page, "insight-lane");
  });

  it("prints the targeting report's trends from the same aggregations, matching the season's data points", async () => {
    const { points } = await closedPoints();
    const now = h.season.now;
    const text = await trendsSection(h.query.bind(h), now, seasonNamer(h.season.actors), formatTable);
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.startsWith("melt country  "));
    expect(at).to.be.greaterThan(-1);
    const weeks = Array.from({ length: TREND_WEEKS }, (_, i) => Math.floor(now / WEEK) - TREND_WEEKS + 1 + i);
    const rows = lines.slice(at + 2, lines.indexOf("", at)).map((l) => l.split(/ {2,}/));
    const expected = [...new Set(points.filter((p) => p.t >= weeks[0] * WEEK).map((p) => p.meltCountry))];
    expect(rows.map((r) => r[0])).to.have.members(expected);
    for (const row of rows) {
      const own = points.filter((p) => p.meltCountry === row[0]);
      const week = (w: number) => own.filter((p) => Math.floor(p.t / WEEK) === w).reduce((a, p) => a + Number(p.kg), 0);
      expect(row.slice(1, -1), row[0]).to.deep.equal(weeks.map((w) => (week(w) / 1000).toFixed(1)));
    }
    expect(text).to.match(/rose most in the week of \d{4}-\d{2}-\d{2}|nothing rose/);
  });

  it("charts report utilisation from the season", async () => {
    const { page, errors } = await h.openPage("/charts", { token: h.token });
    await page.getByLabel("Window").selectOption("365");
    await page.locator("caption", { hasText: "Reports by share used" }).waitFor();
    const csv = await exportCsv(page, "Reports by share used");
    expect(csv.slice(1).reduce((n, r) => n + Number(r[1]), 0)).to.be.greaterThan(0);
    expect(errors).to.deep.equal([]);
  });
});
