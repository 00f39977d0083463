import { expect } from "chai";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse } from "ethers";
import {
  batchTypes,
  coo,
  deployDocuments,
  issueTypes,
  mtr,
  MTR_DOMAIN,
  MTR_TYPES,
  signFor,
  type MillTestReport,
} from "../../helpers/documents";

/**
 * Gas of one mill test report registration, printed for the benchmark against EAS `attest`. The bounds are
 * regression guards a little above the measured figures, not targets: three fresh storage slots per report
 * (head, balance, certificate-number key) already cost 66,300 gas.
 */
describe("MillTestReportRegistry gas", function () {
  const BATCH = 50;
  const figures: Record<string, number> = {};

  before(function () {
    // Coverage instrumentation inflates gas: the figures mean nothing there.
    if ((hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
  });

  async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
    const receipt = await (await tx).wait();
    return Number(receipt!.gasUsed);
  }

  const batch = (prefix: string): MillTestReport[] =>
    Array.from({ length: BATCH }, (_, i) => mtr(`${prefix}-${String(i).padStart(4, "0")}`));

  after(function () {
    console.log("      MTR registration gas:", JSON.stringify(figures));
  });

  it("direct issue", async function () {
    const { mtrRegistry, mill } = await loadFixture(deployDocuments);
    figures.direct = await gasOf(mtrRegistry.connect(mill).issue(mtr("0001")));
    figures.directSecond = await gasOf(mtrRegistry.connect(mill).issue(mtr("0002")));
    expect(figures.direct).to.be.lessThan(140_000);
  });

  it("delegated issue", async function () {
    const { mtrRegistry, mill, relayer } = await loadFixture(deployDocuments);
    const report = mtr("0001");
    const deadline = BigInt(await time.latest()) + 3600n;
    const signature = await signFor(mill, mtrRegistry, MTR_DOMAIN, issueTypes(MTR_TYPES), {
      report,
      nonce: 0n,
      deadline,
    });
    figures.delegated = await gasOf(mtrRegistry.connect(relayer).issueBySig(report, mill.address, deadline, signature));
    // The issuer's first signature also pays for its fresh nonce slot; the second shows the steady state.
    const second = mtr("0002");
    const signature2 = await signFor(mill, mtrRegistry, MTR_DOMAIN, issueTypes(MTR_TYPES), {
      report: second,
      nonce: 1n,
      deadline,
    });
    figures.delegatedSecond = await gasOf(
      mtrRegistry.connect(relayer).issueBySig(second, mill.address, deadline, signature2),
    );
    expect(figures.delegated).to.be.lessThan(185_000);
    expect(figures.delegatedSecond).to.be.lessThan(165_000);
  });

  it(`batch of ${BATCH}, direct and delegated, per item`, async function () {
    const { mtrRegistry, mill, relayer } = await loadFixture(deployDocuments);
    const direct = await gasOf(mtrRegistry.connect(mill).issueBatch(batch("B")));
    figures.batchTotal = direct;
    figures.batchPerItem = Math.round(direct / BATCH);
    const items = batch("S");
    const deadline = BigInt(await time.latest()) + 3600n;
    const signature = await signFor(mill, mtrRegistry, MTR_DOMAIN, batchTypes(MTR_TYPES), {
      reports: items,
      nonce: 0n,
      deadline,
    });
    const delegated = await gasOf(
      mtrRegistry.connect(relayer).issueBatchBySig(items, mill.address, deadline, signature),
    );
    figures.delegatedBatchPerItem = Math.round(delegated / BATCH);
    expect(figures.batchPerItem).to.be.lessThan(110_000);
    expect(figures.delegatedBatchPerItem).to.be.lessThan(115_000);
  });

  it("certificate of origin, direct issue (for comparison: no balance slot)", async function () {
    const { cooRegistry, certifier, exporter, importer } = await loadFixture(deployDocuments);
    figures.certificateOfOrigin = await gasOf(
      cooRegistry.connect(certifier).issue(coo("0001", exporter.address, importer.address)),
    );
    expect(figures.certificateOfOrigin).to.be.lessThan(120_000);
  });

  it("derive and allocate", async function () {
    const { mtrRegistry, mill, processor, allocator } = await loadFixture(deployDocuments);
    await mtrRegistry.connect(mill).issue(mtr("H1"));
    await mtrRegistry.connect(mill).issue(mtr("H2"));
    figures.deriveTwoInputs = await gasOf(
      mtrRegistry.connect(processor).derive(mtr("P", { totalKg: 2_000n }), [
        { recordId: mtr("H1").contentHash, kg: 1_000n },
        { recordId: mtr("H2").contentHash, kg: 1_000n },
      ]),
    );
    figures.allocate = await gasOf(
      mtrRegistry.connect(allocator).allocate(mtr("H1").contentHash, mtr("line").contentHash, 500n),
    );
    expect(figures.deriveTwoInputs).to.be.lessThan(220_000);
    expect(figures.allocate).to.be.lessThan(80_000);
  });
});
