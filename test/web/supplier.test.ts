/**
 * The trade party's side of the web app in headless Chromium, against what `npm start` serves (the harness): a
 * season mill connects its wallet (test/web/wallet.ts, injected as an extension would), signs in, drops the
 * vocabulary's MTR example, signs and submits it from the wallet or gaslessly, and sees it indexed; a processor
 * derives a product; and every form refuses bad input with a message on the page and nothing signed or sent.
 */
import { expect } from "chai";
import { JsonRpcProvider, Wallet, id } from "ethers";
import { MillTestReportRegistry__factory } from "../../typechain-types";
import type { Page } from "playwright-core";
import { mapCredential } from "../../scripts/credentials/documents";
import type { JsonObject } from "../../scripts/credentials/jcs";
import { recordIdOf } from "../../scripts/lib/record-id";
import { devnetRelayerWallet } from "../../web/server/relayer-key";
import { clone, vocabExample, SHARED_VOCAB_DIR } from "../helpers/credentials";
import { startWebHarness, type OpenPage, type WebHarness } from "./harness";
import { TestWallet } from "./wallet";
import { readFileSync } from "node:fs";
import path from "node:path";

/** Hardhat's default account #0 (the well-known test mnemonic's first key). */
const HARDHAT_ACCOUNT_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** The key the season gives an actor (scripts/season/play.ts). */
const seasonKey = (name: string): `0x${string}` => id(`tradetrace season key: ${name}`) as `0x${string}`;

interface ActorRow {
  id: string;
  did: string;
  country: string;
  suspended: boolean;
  trustedRoleNames: string[];
}

describe("web app: trade parties (supplier pages) @no-coverage", function () {
  this.timeout(300_000);
  let harness: WebHarness;
  let mill: { name: string; actor: ActorRow };
  let credentials = 0;
  const opened: OpenPage[] = [];

  before(async function () {
    harness = await startWebHarness();
    // A season mill in good standing.
    for (const candidate of harness.season.actors.filter((a) => a.roles.includes("MILL"))) {
      const { actor } = await harness.query<{ actor: ActorRow }>(
        `query($id: ID!) { actor(id: $id) { id did country suspended trustedRoleNames } }`,
        { id: candidate.address.toLowerCase() },
      );
      if (!actor.suspended && actor.trustedRoleNames.includes("MILL")) {
        mill = { name: candidate.name, actor };
        break;
      }
    }
    expect(mill, "a season mill in good standing").to.not.equal(undefined);
  });

  after(async function () {
    await harness?.stop();
  });

  afterEach(async function () {
    const last = opened.at(-1);
    if (last) await harness.screenshot(last.page, this.currentTest?.fullTitle() ?? "supplier");
  });

  /** Opens `hashPath` with `wallet` injected; relay requests are counted. */
  async function open(hashPath: string, wallet: TestWallet): Promise<OpenPage & { relays: string[] }> {
    const page = await harness.openPage(hashPath, { wallet: (p) => wallet.install(p) });
    const relays: string[] = [];
    page.page.on("request", (r) => {
      if (r.url().endsWith("/app/relay")) relays.push(r.url());
    });
    opened.push(page);
    return { ...page, relays };
  }

  /** The vocabulary's MTR example as the season mill issues it (its DID and country), made unique. */
  function millCredential(): JsonObject {
    const credential = clone(vocabExample("MillTestReportCredential")) as JsonObject & {
      id: string;
      issuer: { id: string; location: { address: { addressCountry: string } } };
      credentialSubject: { certificateNumber: string };
    };
    credential.issuer.id = mill.actor.did;
    credential.issuer.location.address.addressCountry = mill.actor.country;
    credentials++;
    if (credentials > 1) credential.credentialSubject.certificateNumber += `-${credentials}`;
    return credential;
  }

  async function drop(page: Page, name: string, text: string): Promise<void> {
    await page
      .locator("#credential-file")
      .setInputFiles({ name, mimeType: "application/json", buffer: Buffer.from(text) });
  }

  async function signIn(page: Page): Promise<void> {
    await page.getByRole("button", { name: "Sign in with Ethereum" }).click();
    await page.getByText("signed in").waitFor();
  }

  function millWallet(chainId?: number): TestWallet {
    return new TestWallet({ rpcUrl: harness.rpc, privateKey: seasonKey(mill.name), chainId });
  }

  it("a season mill signs in and sees its actor record in words", async function () {
    const wallet = millWallet();
    const { page, errors } = await open("/supplier", wallet);
    await page.getByRole("heading", { name: "Trade party sign-in" }).waitFor();
    await harness.checkAxe(page);
    await page.getByRole("link", { name: "Who am I" }).click();
    await page.getByText("Sign in with your wallet to see the record").waitFor();
    await signIn(page);
    const facts = page.getByTestId("actor");
    await facts.waitFor();
    expect(await facts.textContent())
      .to.include(mill.actor.did)
      .and.include("MILL")
      .and.include("not suspended");
    expect(wallet.signed()).to.deep.equal(["personal_sign"]);
    await harness.checkAxe(page);
    expect(errors).to.deep.equal([]);
  });

  it("drops the vocabulary's MTR example, previews it, signs and submits from the wallet, and sees it indexed", async function () {
    const wallet = millWallet();
    const { page, relays } = await open("/supplier/issue", wallet);
    await signIn(page);
    const credential = millCredential();
    const [record] = mapCredential(credential).records as { totalWeightKg: bigint; heatNumber: string }[];
    await drop(page, "mtr.json", JSON.stringify(credential, null, 2));
    await page.getByTestId("preview").waitFor();
    expect(await page.getByTestId("kg").first().textContent()).to.equal(
      `${record.totalWeightKg.toLocaleString("en-US")} kg`,
    );
    expect(await page.getByTestId("heat").first().textContent()).to.equal(record.heatNumber);
    await harness.checkAxe(page);
    await page.getByRole("button", { name: "Sign and submit" }).click();
    await page.getByTestId("indexed-status").getByText("Indexed: 1 mill test report").waitFor({ timeout: 90_000 });
    expect(await page.getByTestId("tx-status").textContent()).to.equal("mined");
    const recordId = recordIdOf(wallet.address, mapCredential(credential).credentialHash);
    const { millTestReport } = await harness.query<{ millTestReport: { issuer: { id: string } } | null }>(
      `query($id: ID!) { millTestReport(id: $id) { issuer { id } } }`,
      { id: recordId },
    );
    expect(millTestReport?.issuer.id).to.equal(wallet.address.toLowerCase());
    expect(wallet.sent).to.have.length(1);
    expect(relays).to.deep.equal([]);
    await harness.checkAxe(page);
  });

  it("submits gaslessly through the relayer: the mill signs, the relayer pays", async function () {
    const wallet = millWallet();
    const { page, relays } = await open("/supplier/issue", wallet);
    await signIn(page);
    await drop(page, "mtr.json", JSON.stringify(millCredential()));
    await page.getByLabel("Gasless, through this server's relayer").check();
    await page.getByRole("button", { name: "Sign and submit" }).click();
    await page.getByTestId("indexed-status").getByText("Indexed: 1 mill test report").waitFor({ timeout: 90_000 });
    expect(await page.locator("dd", { hasText: devnetRelayerWallet().address }).count()).to.equal(1);
    expect(wallet.sent, "the wallet sent nothing").to.deep.equal([]);
    expect(wallet.signed()).to.deep.equal(["personal_sign", "eth_signTypedData_v4"]);
    expect(relays).to.have.length(1);
  });

  it("a processor derives a product from an input it holds", async function () {
    const processor = harness.season.actors.find((a) => a.roles.includes("PROCESSOR"))!;
    const { millTestReports } = await harness.query<{ millTestReports: { id: string }[] }>(
      `query($issuer: String!) { millTestReports(where: { issuer: $issuer, status: ACTIVE }, first: 50) { id } }`,
      { issuer: processor.address.toLowerCase() },
    );
    // The chain decides what is left (the registry's remainingKg).
    const config = (await (await fetch(`${harness.url}/app/config.json`)).json()) as {
      contracts: { millTestReportRegistry: string };
    };
    const provider = new JsonRpcProvider(harness.rpc, undefined, { staticNetwork: true });
    const registry = MillTestReportRegistry__factory.connect(config.contracts.millTestReportRegistry, provider);
    let input: string | undefined;
    for (const { id: candidate } of millTestReports) {
      if ((await registry.remainingKg(candidate)) >= 1000n) {
        input = candidate;
        break;
      }
    }
    provider.destroy();
    expect(input, "an input the processor holds with 1000 kg left").to.not.equal(undefined);
    const wallet = new TestWallet({ rpcUrl: harness.rpc, privateKey: seasonKey(processor.name) });
    const { page } = await open("/supplier/derive", wallet);
    await signIn(page);
    const fill = (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
    await fill("Product certificate number", "PIPE-WEB-1");
    await fill("Product identifier (coil, slab or pipe number)", "P-WEB-1");
    await fill("Country of melt and pour (as the inputs declare)", "KR");
    await fill("Country of manufacture", "KR");
    await fill("Product weight (kg)", "1000");
    await fill("Input 1 record id", input!);
    await fill("Input 1 kilograms consumed", "1000");
    await harness.checkAxe(page);
    await page.getByRole("button", { name: "Sign and derive" }).click();
    await page.getByTestId("indexed-status").getByText("Indexed: 1 mill test report").waitFor({ timeout: 90_000 });
    expect(wallet.sent).to.have.length(1);
  });

  it("an importer files a shipment gaslessly and links a mill test report to its line with kilograms", async function () {
    const importer = harness.season.actors.find((a) => a.name === "Gulf Coast Pipe Supply")!;
    const party = (name: string) => harness.season.actors.find((a) => a.name === name)!.address;
    // A report whose holder approved this importer, with kilograms left on chain.
    const { allocatorApprovals } = await harness.query<{ allocatorApprovals: { report: string }[] }>(
      `query($party: Bytes!) { allocatorApprovals(where: { party: $party, approved: true }, first: 50) { report } }`,
      { party: importer.address.toLowerCase() },
    );
    const config = (await (await fetch(`${harness.url}/app/config.json`)).json()) as {
      contracts: { millTestReportRegistry: string };
    };
    const provider = new JsonRpcProvider(harness.rpc, undefined, { staticNetwork: true });
    const registry = MillTestReportRegistry__factory.connect(config.contracts.millTestReportRegistry, provider);
    let report: string | undefined;
    for (const { report: candidate } of allocatorApprovals) {
      if ((await registry.isUsable(candidate)) && (await registry.remainingKg(candidate)) >= 1000n) {
        report = candidate;
        break;
      }
    }
    provider.destroy();
    expect(report, "a report approved for the importer with 1000 kg left").to.not.equal(undefined);

    const wallet = new TestWallet({ rpcUrl: harness.rpc, privateKey: seasonKey(importer.name) });
    const { page, relays } = await open("/supplier/shipment", wallet);
    await signIn(page);
    const fill = (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
    await fill("Your filing reference", "PO-WEB-1");
    await fill("Importer address (yours, or your client's if you are its broker)", importer.address);
    await fill("Exporter address", party("Mumbai Metals"));
    await fill("Manufacturer address", party("JSW Vijayanagar"));
    await fill("Carrier address", party("Hapag-Lloyd"));
    await fill("Country of export", "IN");
    await fill("Port of lading (UN/LOCODE)", "INNSA");
    await fill("U.S. port of entry (UN/LOCODE)", "USHOU");
    await fill("Estimated arrival (date)", "2030-01-01");
    await fill("Bill of lading", "BL-WEB-1");
    await fill("Entry number", "WEB-0000001-1");
    await fill("Line 1 hts number", "7306.19.1010");
    await fill("Line 1 declared kilograms", "1000");
    await fill("Line 1 declared value (usd)", "950.00");
    await fill("Line 1 country of origin", "IN");
    await page.getByLabel("Gasless, through this server's relayer").check();
    await page.getByRole("button", { name: "Sign and file" }).click();
    await page.getByTestId("indexed-status").getByText("Indexed: 1 shipment").waitFor({ timeout: 90_000 });
    expect(relays).to.have.length(1);
    const shipmentId = page.url().split("ids=")[1];

    await page.goto(`${harness.url}/#/supplier/shipment`);
    await fill("Shipment id", shipmentId);
    await fill("Document record id", report!);
    await fill("Line number", "1");
    await fill("Kilograms of the line it covers", "1000");
    await page.getByRole("button", { name: "Link from my wallet" }).click();
    await page.getByTestId("tx-status").getByText("mined").waitFor({ timeout: 60_000 });
    expect(wallet.sent, "the link is sent from the importer's wallet").to.have.length(1);
    const linked = async () =>
      (
        await harness.query<{ allocations: { kg: string }[] }>(
          `query($s: String!) { allocations(where: { shipment: $s, active: true }) { kg } }`,
          { s: shipmentId },
        )
      ).allocations;
    for (let i = 0; i < 60 && (await linked()).length === 0; i++) await new Promise((r) => setTimeout(r, 500));
    expect((await linked()).map((a) => a.kg)).to.deep.equal(["1000"]);
  });

  it("a CBP officer places a hold from the shipment page, the timeline shows it, and a release is refused", async function () {
    const { shipments } = await harness.query<{ shipments: { id: string }[] }>(
      `{ shipments(where: { status: ARRIVED, activeHolds: 0 }, first: 1) { id } }`,
    );
    expect(shipments, "an arrived shipment without holds").to.have.length(1);
    // Hardhat's account #0: the season's governance account, which holds CBP_ROLE.
    const officer = new TestWallet({ rpcUrl: harness.rpc, privateKey: HARDHAT_ACCOUNT_0 });
    const { page, errors } = await harness.openPage(`/shipment/${shipments[0].id}`, {
      token: harness.token,
      wallet: (p) => officer.install(p),
    });
    opened.push({ page, errors, context: page.context() });
    const timeline = page.getByRole("list", { name: "Timeline" });
    await timeline.waitFor();
    expect(await timeline.getByText("Hold placed").count()).to.equal(0);
    await page.getByLabel("Action", { exact: true }).selectOption("placeHold");
    await page.getByRole("button", { name: "Sign and send" }).click();
    // Once indexed, the page reloads its data: the timeline shows the hold.
    await timeline.getByText("Hold placed (1 in force)").waitFor({ timeout: 90_000 });
    expect(officer.sent).to.have.length(1);
    await harness.checkAxe(page);

    await page.getByLabel("Action", { exact: true }).selectOption("release");
    await page.getByRole("button", { name: "Sign and send" }).click();
    const refusal = page.getByTestId("officer-error");
    await refusal.waitFor();
    expect(await refusal.textContent()).to.match(/^the registry refuses: ShipmentOnHold\(0x[0-9a-f]{64}, 1\)/);
    expect(officer.sent, "the refused release was not sent").to.have.length(1);
  });

  describe("bad input: a clear message, nothing signed or sent", function () {
    it("refuses a malformed file and an unsupported credential type", async function () {
      const wallet = millWallet();
      const { page, relays } = await open("/supplier/issue", wallet);
      await drop(page, "broken.json", '{"type": ["VerifiableCredential", "MillTestReportCredential"],');
      expect(await page.getByTestId("credential-error").textContent()).to.include("malformed JSON in broken.json");
      const bill = readFileSync(path.join(SHARED_VOCAB_DIR, "BillOfLadingCredential.example.json"), "utf8");
      await drop(page, "bill.json", bill);
      await page.getByTestId("credential-error").getByText("unsupported credential type").waitFor();
      expect(await page.getByRole("button", { name: "Sign and submit" }).count()).to.equal(0);
      await harness.checkAxe(page);
      expect(wallet.signed()).to.deep.equal([]);
      expect(relays).to.deep.equal([]);
    });

    it("refuses to sign on the wrong chain, then adds and switches to the devnet", async function () {
      const wallet = millWallet(1);
      const { page } = await open("/supplier/issue", wallet);
      await page.getByRole("alert").getByText("Your wallet is on chain 1").waitFor();
      await drop(page, "mtr.json", JSON.stringify(millCredential()));
      await page.getByRole("button", { name: "Sign and submit" }).click();
      expect(await page.getByTestId("submit-error").textContent()).to.match(/chain/);
      expect(wallet.signed()).to.deep.equal([]);
      await harness.checkAxe(page);
      await page.getByRole("button", { name: "Switch network" }).click();
      await page.getByRole("button", { name: "Sign in with Ethereum" }).waitFor();
      const methods = wallet.requests.map((r) => r.method);
      expect(methods).to.include.members(["wallet_switchEthereumChain", "wallet_addEthereumChain"]);
      // The banner goes once the page has read the wallet's new chain: wait for that, it must happen.
      await page.getByText("Your wallet is on chain 1").waitFor({ state: "detached" });
      expect(await page.getByText("Your wallet is on chain 1").count()).to.equal(0);
    });

    it("sends nothing when the user rejects the signature", async function () {
      const wallet = millWallet();
      const { page, relays } = await open("/supplier/issue", wallet);
      await signIn(page);
      wallet.rejectSignatures = true;
      await drop(page, "mtr.json", JSON.stringify(millCredential()));
      await page.getByLabel("Gasless, through this server's relayer").check();
      await page.getByRole("button", { name: "Sign and submit" }).click();
      await page.getByTestId("submit-error").getByText("you rejected the request in your wallet").waitFor();
      expect(wallet.sent).to.deep.equal([]);
      expect(relays).to.deep.equal([]);
    });

    it("refuses an account that is not an onboarded actor", async function () {
      const stranger = new TestWallet({
        rpcUrl: harness.rpc,
        privateKey: Wallet.createRandom().privateKey as `0x${string}`,
      });
      const { page, relays } = await open("/supplier/issue", stranger);
      await signIn(page);
      await drop(page, "mtr.json", JSON.stringify(millCredential()));
      await page.getByRole("button", { name: "Sign and submit" }).click();
      await page.getByTestId("submit-error").getByText("is not an onboarded actor").waitFor();
      expect(stranger.signed()).to.deep.equal(["personal_sign"]);
      expect(relays).to.deep.equal([]);
      await page.goto(`${harness.url}/#/supplier/me`);
      await page.getByTestId("not-actor").waitFor();
      await harness.checkAxe(page);
    });

    it("refuses bad fields on the derive and filing forms", async function () {
      const wallet = millWallet();
      const { page, relays } = await open("/supplier/derive", wallet);
      const fill = (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
      for (const [label, value] of [
        ["Product certificate number", "X"],
        ["Product identifier (coil, slab or pipe number)", "X"],
        ["Country of melt and pour (as the inputs declare)", "KR"],
        ["Country of manufacture", "KR"],
        ["Product weight (kg)", "1000"],
        ["Input 1 record id", "0x1234"],
        ["Input 1 kilograms consumed", "10"],
      ]) {
        await fill(label, value);
      }
      await page.getByRole("button", { name: "Sign and derive" }).click();
      await page.getByTestId("submit-error").getByText("input 1 must be a record id").waitFor();

      await page.goto(`${harness.url}/#/supplier/shipment`);
      await fill("Your filing reference", "PO-BAD");
      await fill("Importer address (yours, or your client's if you are its broker)", wallet.address);
      for (const label of ["Exporter address", "Manufacturer address", "Carrier address"])
        await fill(label, wallet.address);
      await fill("Country of export", "KR");
      await fill("Port of lading (UN/LOCODE)", "NOT A PORT");
      await fill("U.S. port of entry (UN/LOCODE)", "USHOU");
      await fill("Estimated arrival (date)", "2030-01-01");
      await fill("Bill of lading", "BL-1");
      await fill("Entry number", "E-1");
      await fill("Line 1 hts number", "7304.19.1020");
      await fill("Line 1 declared kilograms", "1000");
      await fill("Line 1 declared value (usd)", "100.00");
      await fill("Line 1 country of origin", "KR");
      await page.getByRole("button", { name: "Sign and file" }).click();
      await page.getByTestId("submit-error").getByText("the port of lading must be a UN/LOCODE").waitFor();
      await fill("Shipment id", "BL-1");
      await fill("Document record id", `0x${"ab".repeat(32)}`);
      await page.getByRole("button", { name: "Link from my wallet" }).click();
      await page.getByTestId("link-error").getByText("the shipment id must be a record id").waitFor();
      await harness.checkAxe(page);
      expect(wallet.signed()).to.deep.equal([]);
      expect(relays).to.deep.equal([]);
    });
  });
});
