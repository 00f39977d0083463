/** The browser harness itself: the app served by npm start's own code, a real Chromium, axe and screenshots. */
import { expect } from "chai";
import fs from "node:fs";
import { hashWithToken, startWebHarness, type WebHarness } from "./harness";

describe("web harness: npm start's server in a real browser @no-coverage", function () {
  this.timeout(300_000);
  let h: WebHarness;

  before(async function () {
    h = await startWebHarness();
  });
  after(async () => h?.stop());

  it("serves the app and its config on the query API's origin", async () => {
    const { page, errors } = await h.openPage("/sign-in");
    await page.getByRole("heading", { name: "Analyst sign-in" }).waitFor();
    const config = await page.evaluate(async () => (await fetch("app/config.json")).json());
    expect(config.graphqlPath).to.equal("/subgraphs/name/tradetrace");
    expect(config.chain.rpcUrls).to.deep.equal([h.rpc]);
    expect(config.contracts.shipmentRegistry).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(errors).to.deep.equal([]);
    await h.checkAxe(page);
    const file = await h.screenshot(page, "harness-sign-in");
    expect(fs.statSync(file).size).to.be.greaterThan(1000);
  });

  it("takes the token from the URL fragment into the tab's session, out of the address bar", async () => {
    expect(hashWithToken("/sign-in", "a b")).to.equal("#/sign-in?token=a%20b");
    expect(hashWithToken("/queue?port=X", "t")).to.equal("#/queue?port=X&token=t");
    const { page } = await h.openPage("/sign-in", { token: h.token });
    expect(page.url()).to.not.include("token");
    expect(page.url()).to.match(/#\/sign-in$/);
    const stored = await page.evaluate(() => sessionStorage.getItem("tradetrace.analystToken"));
    expect(stored).to.equal(h.token);
    await page.getByText("You are signed in.").waitFor();
  });

  it("runs the wallet hook before the app loads", async () => {
    const { page } = await h.openPage("/sign-in", {
      wallet: async (p) => {
        await p.addInitScript(() => Object.assign(window, { injectedBeforeApp: true }));
      },
    });
    expect(
      await page.evaluate(() => (window as unknown as { injectedBeforeApp?: boolean }).injectedBeforeApp),
    ).to.equal(true);
  });

  it("fails axe on a serious violation, naming it", async () => {
    const { page } = await h.openPage("/sign-in");
    await page.evaluate(() => {
      const img = document.createElement("img");
      img.src = "data:image/png;base64,iVBORw0KGgo=";
      document.querySelector("main")!.appendChild(img);
    });
    let error: Error | undefined;
    await h.checkAxe(page).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/critical image-alt/);
  });

  it("answers GraphQL with the analyst token, and the season is indexed", async () => {
    const data = await h.query<{ shipments: { id: string }[] }>("{ shipments(first: 1000) { id } }");
    expect(data.shipments.length).to.equal(h.season.shipments.length);
  });
});
