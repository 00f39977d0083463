/**
 * The verifier in a real browser over the season of `npm start`: three credentials built from the vocabulary's
 * mill test report example and anchored on the season's chain — one by the mill its issuer DID names (untouched:
 * every check passes), the same file with a field changed (tampered: not anchored), and one naming the Korean
 * mill but anchored by the Chinese mill (another company: the issuer identity fails, loudly) — plus a file that
 * is not JSON and a credential type the registries do not take. Open to anyone: no token. axe on every state.
 */
import { expect } from "chai";
import { JsonRpcProvider, Wallet, id } from "ethers";
import type { Page } from "playwright-core";
import { toMillTestReport } from "../../scripts/credentials/anchor";
import { mapCredential } from "../../scripts/credentials/documents";
import type { MillTestReportRecord } from "../../scripts/credentials/mtr";
import { MillTestReportRegistry__factory } from "../../typechain-types";
import { clone, setAt, vocabExample } from "../helpers/credentials";
import { startWebHarness, type WebHarness } from "./harness";

const didOf = (name: string) => `did:web:${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example`;
/** The season's key of an actor (scripts/season/play.ts derives it from the name). */
const keyOf = (name: string) => id(`tradetrace season key: ${name}`);

/** The vocabulary's MTR example, issued in the name of `issuerName` (in `country`), numbered `number`. */
function mtrCredential(issuerName: string, country: string, number: string): Record<string, unknown> {
  const vc = clone(vocabExample("MillTestReportCredential")) as Record<string, unknown>;
  setAt(vc, "/issuer/id", didOf(issuerName));
  setAt(vc, "/issuer/location/address/addressCountry", country);
  setAt(vc, "/credentialSubject/certificateNumber", number);
  return vc;
}

async function drop(page: Page, name: string, text: string): Promise<void> {
  await page.getByLabel("Choose a credential file").setInputFiles({
    name,
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
}

const verdicts = async (page: Page) => {
  await page.getByTestId("verifier-result").waitFor();
  const cards = page.locator(".check-card");
  return Object.fromEntries(
    await cards.evaluateAll((els) =>
      els.map((e) => [e.querySelector("h2")!.textContent, e.getAttribute("data-verdict")]),
    ),
  ) as Record<string, string>;
};

describe("web: the verifier @no-coverage", function () {
  this.timeout(600_000);
  let h: WebHarness;
  let untouched: Record<string, unknown>;
  let foreign: Record<string, unknown>;

  before(async function () {
    h = await startWebHarness();
    const config = (await (await fetch(`${h.url}/app/config.json`)).json()) as {
      contracts: { millTestReportRegistry: string };
    };
    const provider = new JsonRpcProvider(h.rpc);
    const anchor = async (vc: Record<string, unknown>, millName: string) => {
      const mapped = mapCredential(vc);
      const mill = new Wallet(keyOf(millName), provider);
      const registry = MillTestReportRegistry__factory.connect(config.contracts.millTestReportRegistry, mill);
      for (const record of mapped.records as MillTestReportRecord[]) {
        await (await registry.issue(toMillTestReport(record, `urn:test:${record.contentHash}`))).wait();
      }
      return (mapped.records[0] as MillTestReportRecord).contentHash.toLowerCase();
    };
    untouched = mtrCredential("POSCO Pohang", "KR", "VERIFY-OWN-1");
    foreign = mtrCredential("POSCO Pohang", "KR", "VERIFY-FOREIGN-1");
    const hashes = [await anchor(untouched, "POSCO Pohang"), await anchor(foreign, "Baosteel Shanghai")];
    // Wait until the indexer has both.
    for (let i = 0; i < 120; i++) {
      const { millTestReports } = await h.query<{ millTestReports: { id: string }[] }>(
        `query($h: [Bytes!]!) { millTestReports(where: { contentHash_in: $h }) { id } }`,
        { h: hashes },
      );
      if (millTestReports.length >= 2) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error("the test credentials were not indexed within a minute");
  });
  after(async () => h?.stop());

  it("passes an untouched credential on all three checks, without signing in", async () => {
    const { page, errors } = await h.openPage("/verify");
    await drop(page, "mtr.json", JSON.stringify(untouched, null, 2));
    expect(await verdicts(page)).to.deep.equal({ Integrity: "pass", Status: "pass", "Issuer identity": "pass" });
    await page
      .getByTestId("check-status")
      .getByText(/active/i)
      .first()
      .waitFor();
    expect(await page.getByTestId("issuer-mismatch").count()).to.equal(0);
    expect(errors).to.deep.equal([]);
    await h.checkAxe(page);
    await h.screenshot(page, "verifier-untouched");
  });

  it("fails integrity for a tampered file: its hash is anchored by no one", async () => {
    const tampered = clone(untouched);
    setAt(tampered, "/credentialSubject/certificateNumber", "VERIFY-OWN-2");
    const { page, errors } = await h.openPage("/verify");
    await drop(page, "tampered.json", JSON.stringify(tampered));
    const v = await verdicts(page);
    expect(v.Integrity).to.equal("fail");
    expect(errors).to.deep.equal([]);
    await h.checkAxe(page);
    await h.screenshot(page, "verifier-tampered");
  });

  it("shows loudly that a credential naming one company was anchored by another", async () => {
    const { page, errors } = await h.openPage("/verify");
    await drop(page, "foreign.json", JSON.stringify(foreign));
    const v = await verdicts(page);
    expect(v["Issuer identity"]).to.equal("fail");
    const alert = page.getByTestId("issuer-mismatch");
    await alert.waitFor();
    expect(await alert.textContent()).to.include(didOf("POSCO Pohang"));
    expect(await alert.textContent()).to.include(didOf("Baosteel Shanghai"));
    expect(errors).to.deep.equal([]);
    await h.checkAxe(page);
    await h.screenshot(page, "verifier-foreign-issuer");
  });

  it("says clearly when a file is not JSON or not a credential type the registries take", async () => {
    const { page, errors } = await h.openPage("/verify");
    await drop(page, "broken.json", "{ not json");
    await page
      .getByTestId("verifier-refused")
      .getByText(/broken\.json is not JSON/)
      .waitFor();
    await h.checkAxe(page);
    await h.screenshot(page, "verifier-malformed");
    const bill = vocabExample("BillOfLadingCredential");
    await drop(page, "bol.json", JSON.stringify(bill));
    await page
      .getByTestId("verifier-refused")
      .getByText(/BillOfLadingCredential/)
      .waitFor();
    expect(await page.getByTestId("verifier-result").count()).to.equal(0);
    expect(errors).to.deep.equal([]);
    await h.screenshot(page, "verifier-unsupported");
  });
});
