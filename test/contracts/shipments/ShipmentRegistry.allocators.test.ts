import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { APPROVE_ALLOCATOR_TYPES, MTR_DOMAIN, country, mtr, signFor } from "../../helpers/documents";
import { sampleFiling } from "../../helpers/shipments";
import { deployTradeSystem } from "../../helpers/trade-system";

/**
 * SECURITY.md R1 (fixed): a mill test report's kilograms go only to shipments of parties its holder (the mill, or
 * the processor of a derived product) approved, so a stranger can no longer drain a foreign mill's certificate.
 */
describe("ShipmentRegistry: only approved parties allocate a report's kilograms (R1)", function () {
  async function strangerAndBuyer() {
    const s = await deployTradeSystem();
    const report = await s.issueReport(s.mill, "r1-heat", 10_000n);
    // importer2 never dealt with the mill; importer is its buyer and files through its broker.
    const squat = await s.file(s.importer2, s.importer2, "squat");
    const real = await s.file(s.broker, s.importer, "real");
    return { ...s, report, squat, real };
  }

  it("a party linking a foreign mill's report without approval is refused; nothing is taken", async function () {
    const { shipments, reports, importer2, report, squat } = await loadFixture(strangerAndBuyer);
    await expect(shipments.connect(importer2).linkMillTestReport(squat, report, 0, 10_000))
      .to.be.revertedWithCustomError(shipments, "AllocationNotApproved")
      .withArgs(report, importer2.address, importer2.address);
    expect(await reports.remainingKg(report)).to.equal(10_000n);
  });

  it("with the holder's approval of the importer, every party of its shipment may link", async function () {
    const { shipments, reports, mill, importer, broker, exporter, report, real } = await loadFixture(strangerAndBuyer);
    expect(await reports.isApprovedAllocator(report, importer.address)).to.equal(false);
    await expect(reports.connect(mill).approveAllocator(report, importer.address, true))
      .to.emit(reports, "AllocatorApproved")
      .withArgs(report, mill.address, importer.address, true);
    expect(await reports.isApprovedAllocator(report, importer.address)).to.equal(true);
    await shipments.connect(broker).linkMillTestReport(real, report, 0, 6_000);
    await shipments.connect(exporter).linkMillTestReport(real, report, 1, 4_000);
    expect(await reports.remainingKg(report)).to.equal(0n);
  });

  it("approving the linking party (not the importer) is enough too", async function () {
    const { shipments, reports, mill, exporter, report, real } = await loadFixture(strangerAndBuyer);
    await reports.connect(mill).approveAllocator(report, exporter.address, true);
    await shipments.connect(exporter).linkMillTestReport(real, report, 0, 1_000);
    expect(await reports.remainingKg(report)).to.equal(9_000n);
  });

  it("a revoked approval refuses new links again; unlinking still gives the kilograms back", async function () {
    const { shipments, reports, mill, importer, report, real } = await loadFixture(strangerAndBuyer);
    await reports.connect(mill).approveAllocator(report, importer.address, true);
    await shipments.connect(importer).linkMillTestReport(real, report, 0, 1_000);
    await expect(reports.connect(mill).approveAllocator(report, importer.address, false))
      .to.emit(reports, "AllocatorApproved")
      .withArgs(report, mill.address, importer.address, false);
    await expect(shipments.connect(importer).linkMillTestReport(real, report, 1, 1_000))
      .to.be.revertedWithCustomError(shipments, "AllocationNotApproved")
      .withArgs(report, importer.address, importer.address);
    await shipments.connect(importer).unlinkMillTestReport(real, report, 0);
    expect(await reports.remainingKg(report)).to.equal(10_000n);
  });

  it("the mill itself may link its own report to a shipment naming it", async function () {
    const { shipments, reports, mill, report, real } = await loadFixture(strangerAndBuyer);
    expect(await reports.isApprovedAllocator(report, mill.address)).to.equal(true);
    await shipments.connect(mill).linkMillTestReport(real, report, 0, 1_000);
    expect(await reports.remainingKg(report)).to.equal(9_000n);
  });

  it("approval by EIP-712 signature: relayed, bound to the holder, not replayable", async function () {
    const { shipments, reports, mill, importer, relayer, report, real } = await loadFixture(strangerAndBuyer);
    const deadline = BigInt(await time.latest()) + 3600n;
    const value = { recordId: report, party: importer.address, approved: true, nonce: 0n, deadline };
    const sig = await signFor(mill, reports, MTR_DOMAIN, APPROVE_ALLOCATOR_TYPES, value);
    const forged = await signFor(relayer, reports, MTR_DOMAIN, APPROVE_ALLOCATOR_TYPES, value);
    await expect(
      reports.connect(relayer).approveAllocatorBySig(report, importer.address, true, mill.address, deadline, forged),
    ).to.be.revertedWithCustomError(reports, "InvalidSignature");
    await expect(
      reports.connect(relayer).approveAllocatorBySig(report, importer.address, true, mill.address, deadline, sig),
    )
      .to.emit(reports, "AllocatorApproved")
      .withArgs(report, mill.address, importer.address, true);
    await expect(
      reports.connect(relayer).approveAllocatorBySig(report, importer.address, true, mill.address, deadline, sig),
    ).to.be.revertedWithCustomError(reports, "InvalidSignature");
    await shipments.connect(importer).linkMillTestReport(real, report, 0, 1_000);
  });

  it("refuses an expired approval signature and any approval while the registry is paused", async function () {
    const { reports, cbp, mill, importer, relayer, report } = await loadFixture(strangerAndBuyer);
    const deadline = BigInt(await time.latest()) + 60n;
    const value = { recordId: report, party: importer.address, approved: true, nonce: 0n, deadline };
    const sig = await signFor(mill, reports, MTR_DOMAIN, APPROVE_ALLOCATOR_TYPES, value);
    await time.increase(61);
    await expect(
      reports.connect(relayer).approveAllocatorBySig(report, importer.address, true, mill.address, deadline, sig),
    ).to.be.revertedWithCustomError(reports, "SignatureExpired");
    await reports.connect(cbp).pause();
    await expect(reports.connect(mill).approveAllocator(report, importer.address, true)).to.be.revertedWithCustomError(
      reports,
      "EnforcedPause",
    );
    expect(await reports.isApprovedAllocator(report, importer.address)).to.equal(false);
  });

  it("only the record's holder approves; unknown records and the zero address are refused", async function () {
    const { reports, mill, importer, importer2, report } = await loadFixture(strangerAndBuyer);
    await expect(reports.connect(importer2).approveAllocator(report, importer2.address, true))
      .to.be.revertedWithCustomError(reports, "NotRecordIssuer")
      .withArgs(report, importer2.address);
    const unknown = ethers.id("unknown");
    await expect(reports.connect(mill).approveAllocator(unknown, importer.address, true))
      .to.be.revertedWithCustomError(reports, "RecordNotFound")
      .withArgs(unknown);
    await expect(
      reports.connect(mill).approveAllocator(report, ethers.ZeroAddress, true),
    ).to.be.revertedWithCustomError(reports, "ZeroAddress");
    expect(await reports.isApprovedAllocator(report, importer2.address)).to.equal(false);
  });

  it("a derived product's holder is its processor; the input's approvals don't pass to it", async function () {
    const s = await loadFixture(strangerAndBuyer);
    const { shipments, reports, mill, processor, importer, report, real } = s;
    await reports.connect(mill).approveAllocator(report, importer.address, true);
    const coil = mtr("r1-coil", { totalKg: 9_000n, countryOfMeltAndPour: country("DE") });
    const inputs = [{ recordId: report, kg: 9_000n }];
    await reports.connect(mill).approveAllocator(report, processor.address, true);
    const coilId = await reports.connect(processor).derive.staticCall(coil, inputs);
    await reports.connect(processor).derive(coil, inputs);
    await expect(shipments.connect(importer).linkMillTestReport(real, coilId, 0, 1_000))
      .to.be.revertedWithCustomError(shipments, "AllocationNotApproved")
      .withArgs(coilId, importer.address, importer.address);
    await expect(reports.connect(mill).approveAllocator(coilId, importer.address, true))
      .to.be.revertedWithCustomError(reports, "NotRecordIssuer")
      .withArgs(coilId, mill.address);
    await reports.connect(processor).approveAllocator(coilId, importer.address, true);
    await shipments.connect(importer).linkMillTestReport(real, coilId, 0, 1_000);
    expect(await reports.remainingKg(coilId)).to.equal(8_000n);
  });

  it("the genuine buyer's link survives a stranger's attempt", async function () {
    const s = await loadFixture(strangerAndBuyer);
    await s.reports.connect(s.mill).approveAllocator(s.report, s.importer.address, true);
    const stranger = s.shipments.connect(s.importer2);
    await expect(stranger.linkMillTestReport(s.squat, s.report, 0, 10_000)).to.be.revertedWithCustomError(
      s.shipments,
      "AllocationNotApproved",
    );
    // A stranger's shipment naming the buyer's exporter gets nothing either: the importer's approval is per party.
    const named = await s.file(
      s.importer2,
      s.importer2,
      "named",
      sampleFiling({
        importer: s.importer2.address,
        exporter: s.exporter.address,
        manufacturer: s.mill.address,
        carrier: s.carrier.address,
      }),
    );
    await expect(stranger.linkMillTestReport(named, s.report, 0, 10_000)).to.be.revertedWithCustomError(
      s.shipments,
      "AllocationNotApproved",
    );
    await s.shipments.connect(s.importer).linkMillTestReport(s.real, s.report, 2, 10_000);
    expect(await s.reports.remainingKg(s.report)).to.equal(0n);
  });
});
