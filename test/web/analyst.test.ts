/**
 * The CBP analyst's console in a real browser over npm start's server: the risk queue and its filters, the one
 * search box, the shipment page of a planted fraud with its rule explained, CSV export checked against GraphQL,
 * and sign-in with a bad token. axe runs on every page; each test saves a screenshot in test-output/web.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { formatRule } from "../../web/src/lib/format";
import { startWebHarness, type WebHarness } from "./harness";

/** RFC 4180 rows of a CSV text (quotes, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") (row.push(field), (field = ""));
    else if (c === "\n") (row.push(field), rows.push(row), (row = []), (field = ""));
    else if (c !== "\r") field += c;
  }
  if (field !== "" || row.length > 0) (row.push(field), rows.push(row));
  return rows;
}

/** The cells of a table's body, by its caption. */
async function tableCells(page: Page, caption: string): Promise<string[][]> {
  const table = page.locator("table", { has: page.locator("caption", { hasText: caption }) });
  await table.waitFor();
  return table
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").trim())));
}

const OPEN = ["FILED", "DEPARTED", "ARRIVED"];
const DOCS_IMAGE = path.resolve(__dirname, "..", "..", "docs", "img", "analyst-console.png");

describe("web analyst console: risk queue, search, shipment page @no-coverage", function () {
  this.timeout(400_000);
  let h: WebHarness;
  let fraud: { id: string; billOfLading: string };

  before(async function () {
    h = await startWebHarness();
    const planted = h.season.shipments.find((s) => s.key === "FRAUD-melt");
    if (!planted) throw new Error("the season has no FRAUD-melt shipment");
    fraud = planted;
  });
  after(async () => h?.stop());

  it("lists open shipments by risk score, and its filters narrow them in the query", async () => {
    const { page, errors } = await h.openPage("/queue", { token: h.token });
    await page.getByRole("heading", { name: "Risk queue" }).waitFor();
    const all = await tableCells(page, "Risk queue, page 1");
    const { shipments } = await h.query<{ shipments: { billOfLading: string; riskScore: number }[] }>(
      `query($s: [ShipmentStatus!]!) { shipments(where: { status_in: $s }, orderBy: queueRank, orderDirection: desc, first: 25) { billOfLading riskScore } }`,
      { s: OPEN },
    );
    expect(all.map((r) => r[1])).to.deep.equal(shipments.map((s) => s.billOfLading));
    const scores = all.map((r) => Number(r[0]));
    expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
    expect(scores[0]).to.be.greaterThan(0);
    await h.checkAxe(page);
    await h.screenshot(page, "analyst-queue");
    // The README's picture of the console comes from this page of the real app: DOCS_SCREENSHOT=1 renews it.
    if (process.env.DOCS_SCREENSHOT === "1") await page.screenshot({ path: DOCS_IMAGE });

    await page.getByLabel("Rule").selectOption("MELT_POUR_MISMATCH");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/rule=MELT_POUR_MISMATCH/);
    await page.getByText("Filtered by rule MELT_POUR_MISMATCH").waitFor();
    const melt = await tableCells(page, "Risk queue, page 1");
    const want = await h.query<{ shipments: { billOfLading: string }[] }>(
      `query($s: [ShipmentStatus!]!) { shipments(where: { status_in: $s, activeRules_contains: [MELT_POUR_MISMATCH] }, orderBy: queueRank, orderDirection: desc) { billOfLading } }`,
      { s: OPEN },
    );
    expect(melt.map((r) => r[1])).to.deep.equal(want.shipments.map((s) => s.billOfLading));
    expect(melt.length).to.be.lessThan(all.length);
    expect(melt.map((r) => r[1])).to.include(fraud.billOfLading);
    for (const r of melt) expect(r[3]).to.include("Melt pour mismatch");

    // Filters in the URL: melt country and HTS chapter together.
    await page.goto(`${h.url}/#/queue?melt=IN&chapter=72`);
    await page.getByText("Filtered by chapter 72, melt IN").waitFor();
    const india = await tableCells(page, "Risk queue, page 1");
    const inWant = await h.query<{ shipments: { billOfLading: string }[] }>(
      `query($s: [ShipmentStatus!]!) { shipments(where: { status_in: $s, meltCountries_contains: ["IN"], htsChapters_contains: [72] }, orderBy: queueRank, orderDirection: desc) { billOfLading } }`,
      { s: OPEN },
    );
    expect(inWant.shipments.length).to.be.greaterThan(0);
    expect(india.map((r) => r[1])).to.deep.equal(inWant.shipments.map((s) => s.billOfLading));
    for (const r of india) expect(r[8]).to.include("IN");

    await page.goto(`${h.url}/#/queue?port=nonsense!`);
    await page.getByText(/a port is a UN\/LOCODE such as USHOU/).waitFor();
    expect(errors.filter((e) => !e.includes("Failed to load resource"))).to.deep.equal([]);
  });

  it("finds the planted fraud by its bill of lading and shows the rule with its explanation", async () => {
    const { page } = await h.openPage("/queue", { token: h.token });
    await page.getByLabel(/Search by bill of lading/).fill(fraud.billOfLading);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByRole("heading", { name: `Shipment ${fraud.billOfLading}` }).waitFor();
    expect(page.url()).to.include(`#/shipment/${fraud.id}`);
    const { shipment } = await h.query<{
      shipment: { flags: { rule: string; explanation: string; active: boolean }[] };
    }>(`query($id: ID!) { shipment(id: $id) { flags(orderBy: raisedAtBlock) { rule explanation active } } }`, {
      id: fraud.id,
    });
    const rule = shipment.flags.find((f) => f.rule === "MELT_POUR_MISMATCH" && f.active);
    expect(rule, "the fraud's flag").to.not.equal(undefined);
    const note = page.getByRole("note", { name: "Active risk rules" });
    await expect(await note.textContent()).to.include(`Melt pour mismatch (40): ${rule!.explanation}`);
    const timeline = await page.getByRole("list", { name: "Timeline" }).textContent();
    for (const step of ["Filed", "Departed", "Hold placed", "Information requested (CF28)"]) {
      expect(timeline).to.include(step);
    }
    expect(timeline).to.include("reason DOCS");
    const parties = await tableCells(page, "Parties");
    expect(parties.map((r) => r[0])).to.deep.equal(["Importer", "Filer", "Exporter", "Manufacturer", "Carrier"]);
    for (const r of parties) expect(r[1], r.join(" | ")).to.match(/^did:/);
    const lines = await tableCells(page, "Lines");
    expect(lines[0][1]).to.match(/^\d{4}\.\d{2}\.\d{4}$/);
    // The pouch: what the subgraph says arrived under the workflow instance, and what is missing.
    const { shipment: filed } = await h.query<{
      shipment: { missingCredentials: string[]; pouch: { anchorings: { id: string }[] } };
    }>(`query($id: ID!) { shipment(id: $id) { missingCredentials pouch { anchorings { id } } } }`, { id: fraud.id });
    expect(filed.missingCredentials, "a season filing names no presented credentials").to.not.deep.equal([]);
    expect(await page.getByTestId("pouch-missing").textContent()).to.equal(
      `Missing from the pouch: ${filed.missingCredentials.map((m) => m.toLowerCase().replace(/_/g, " ")).join(", ")}.`,
    );
    expect(filed.pouch.anchorings).to.deep.equal([]);
    await page.getByText("No credential arrived under this shipment's workflow instance.").waitFor();
    await h.checkAxe(page);
    await h.screenshot(page, "analyst-shipment-fraud");
  });

  it("exports the risk flags table as CSV with the rows GraphQL gives", async () => {
    const { page } = await h.openPage(`/shipment/${fraud.id}`, { token: h.token });
    await page.getByRole("heading", { name: `Shipment ${fraud.billOfLading}` }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV of Risk flags" }).click(),
    ]);
    expect(download.suggestedFilename()).to.equal("risk-flags.csv");
    const rows = parseCsv(fs.readFileSync((await download.path())!, "utf8"));
    expect(rows[0]).to.deep.equal([
      "Rule",
      "Severity",
      "State",
      "Explanation",
      "Raised",
      "Cleared",
      "Line",
      "Party",
      "Document",
    ]);
    const { shipment } = await h.query<{
      shipment: { flags: { rule: string; severity: number; explanation: string; active: boolean }[] };
    }>(`query($id: ID!) { shipment(id: $id) { flags(orderBy: raisedAtBlock) { rule severity explanation active } } }`, {
      id: fraud.id,
    });
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3]])).to.deep.equal(
      shipment.flags.map((f) => [
        formatRule(f.rule),
        String(f.severity),
        f.active ? "active" : "cleared",
        f.explanation,
      ]),
    );
    await h.screenshot(page, "analyst-shipment-export");
  });

  it("searches by MTR number, heat, DID and id, and lists several matches", async () => {
    // The pipe maker's coil and pipe state the heat of their Korean input: three reports share a heat number.
    const { derived } = await h.query<{ derived: { heatNumber: string }[] }>(
      `{ derived: millTestReports(first: 1, where: { derived: true }) { heatNumber } }`,
    );
    const heat = derived[0].heatNumber;
    const { reports } = await h.query<{ reports: { id: string; certificateNumber: string }[] }>(
      `query($h: String!) { reports: millTestReports(where: { heatNumber: $h }, orderBy: certificateNumber) { id certificateNumber } }`,
      { h: heat },
    );
    expect(reports.length).to.be.greaterThan(1);
    const { page } = await h.openPage(`/search?q=${encodeURIComponent(heat)}`, { token: h.token });
    const hits = await tableCells(page, `Search results for ${heat}`);
    expect(hits.map((r) => r[1]).sort()).to.deep.equal(reports.map((r) => `MTR ${r.certificateNumber}`).sort());
    await h.checkAxe(page);
    await h.screenshot(page, "analyst-search-several");

    await page.goto(`${h.url}/#/search?q=${encodeURIComponent(reports[0].certificateNumber)}`);
    await page.waitForURL(new RegExp(`#/mtr/${reports[0].id}`));
    await page.goto(`${h.url}/#/search?q=${fraud.id}`);
    await page.waitForURL(new RegExp(`#/shipment/${fraud.id}`));

    const { actors } = await h.query<{ actors: { id: string; did: string }[] }>(`{ actors(first: 1) { id did } }`);
    await page.goto(`${h.url}/#/search?q=${encodeURIComponent(actors[0].did)}`);
    await page.waitForURL(new RegExp(`#/actor/${actors[0].id}`));
    await page.goto(`${h.url}/#/search?q=${actors[0].id.toUpperCase().replace("0X", "0x")}`);
    await page.waitForURL(new RegExp(`#/actor/${actors[0].id}`));

    await page.goto(`${h.url}/#/search?q=NO-SUCH-THING-42`);
    await page.getByText("Nothing matches NO-SUCH-THING-42").waitFor();
    await h.checkAxe(page);
    await h.screenshot(page, "analyst-search-none");
  });

  it("the start page, a missing shipment and an empty search pass axe", async () => {
    const { page } = await h.openPage("/", { token: h.token });
    await page.getByRole("heading", { name: "CBP analyst" }).waitFor();
    expect(await page.getByRole("link", { name: "Risk queue" }).count()).to.be.greaterThan(0);
    await h.checkAxe(page);
    await h.screenshot(page, "analyst-home");

    await page.goto(`${h.url}/#/shipment/0x${"0".repeat(64)}`);
    await page.getByRole("heading", { name: "Shipment not found" }).waitFor();
    await h.checkAxe(page);

    await page.goto(`${h.url}/#/search`);
    await page.getByText(/Type a bill of lading/).waitFor();
    await h.checkAxe(page);
  });

  it("says clearly when the token is refused, and keeps nothing", async () => {
    const { page } = await h.openPage("/sign-in");
    await page.getByLabel("Token").fill("tt_not-a-real-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).to.match(/This token was not accepted/);
    expect(await page.evaluate(() => sessionStorage.getItem("tradetrace.analystToken"))).to.equal(null);
    await h.checkAxe(page);
    await h.screenshot(page, "analyst-sign-in-refused");

    const other = await h.openPage("/queue", { token: "not-a-token" });
    await other.page.getByRole("link", { name: "Sign in with a valid token" }).waitFor();
    expect(await other.page.getByRole("alert").textContent()).to.match(/refused your token/);
    await h.checkAxe(other.page);
  });
});
