/** The credentials tool's top-level error line for a failed chain call: describeChainError, not ethers' text. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { Wallet } from "ethers";
import { deployCliChain, issuedBy, runCli, type CliChain } from "../../helpers/cli";
import { vocabExample } from "../../helpers/credentials";

async function cliFixture(): Promise<CliChain> {
  const [cbp] = await ethers.getSigners();
  return deployCliChain(cbp, ethers.provider);
}

describe("credentials CLI: chain failures in one line", function () {
  it("tells a relayer without ether that it has no gas, and how to go gasless, instead of 'could not coalesce error'", async function () {
    const chain = await loadFixture(cliFixture);
    const run = (argv: string[], wallet: Wallet) =>
      runCli([...argv, "--deployment", chain.deploymentFile], {
        chain: network.provider,
        dir: chain.dir,
        env: { TRADETRACE_PRIVATE_KEY: wallet.privateKey },
      });
    writeFileSync(
      path.join(chain.dir, "mtr.json"),
      JSON.stringify(issuedBy(vocabExample("MillTestReportCredential"), chain, chain.mill)),
    );
    const signed = await run(["mtr", "submit", "mtr.json", "--out", "payload.json"], chain.mill);
    expect(signed.stderr).to.equal("");

    const empty = Wallet.createRandom() as unknown as Wallet;
    const before = await ethers.provider.getBlockNumber();
    const relayed = await run(["relay", "payload.json"], empty);

    expect(relayed.code).to.equal(2);
    expect(relayed.stderr).to.match(
      new RegExp(`^error: account ${empty.address} has no ether to pay for gas[^\\n]*\\n$`),
    );
    expect(relayed.stderr).to.include("relay").and.not.include("coalesce");
    expect(await ethers.provider.getBlockNumber()).to.equal(before);
  });
});
