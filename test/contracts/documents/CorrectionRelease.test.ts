import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { country, deployDocuments, hashOf, mtr, recordIdOf, Status } from "../../helpers/documents";

/**
 * SECURITY.md R5: a correction carries its predecessor's consumed kilograms over, so kilograms released from a
 * superseded record must go back to the live end of its chain of corrections, or they would be stranded.
 */
describe("MillTestReportRegistry: kilograms released after a correction (R5)", function () {
  const consumer = hashOf("shipment/line-0");
  const REASON = ethers.encodeBytes32String("FRAUD");

  async function allocatedThenCorrected() {
    const f = await deployDocuments();
    const original = mtr("heat", { totalKg: 10_000n, countryOfMeltAndPour: country("DE") });
    await f.mtrRegistry.connect(f.mill).issue(original);
    const id = recordIdOf(f.mill.address, original.contentHash);
    await f.mtrRegistry.connect(f.allocator).allocate(id, consumer, 4_000n);
    const correction = mtr("heat v2", { totalKg: 10_000n, countryOfMeltAndPour: country("DE") });
    await f.mtrRegistry.connect(f.mill).supersede(id, correction);
    return { ...f, id, correctionId: recordIdOf(f.mill.address, correction.contentHash) };
  }

  it("returns the kilograms to the correction, with an event naming both records", async function () {
    const { mtrRegistry, allocator, id, correctionId } = await loadFixture(allocatedThenCorrected);
    expect(await mtrRegistry.remainingKg(correctionId)).to.equal(6_000n);
    const tx = mtrRegistry.connect(allocator).deallocate(id, consumer, 3_000n);
    await expect(tx).to.emit(mtrRegistry, "KilogramsReleased").withArgs(id, consumer, 3_000n, 9_000n);
    await expect(tx).to.emit(mtrRegistry, "KilogramsReturnedToCorrection").withArgs(id, correctionId, 3_000n, 9_000n);
    expect(await mtrRegistry.remainingKg(correctionId)).to.equal(9_000n);
    expect((await mtrRegistry.recordOf(id)).consumedKg).to.equal(1_000n);
    // The correction can hand the kilograms out again; the superseded record still can't.
    await mtrRegistry.connect(allocator).allocate(correctionId, hashOf("other"), 9_000n);
    await expect(mtrRegistry.connect(allocator).allocate(id, hashOf("other"), 1n))
      .to.be.revertedWithCustomError(mtrRegistry, "RecordNotUsable")
      .withArgs(id, Status.Superseded, 0n);
  });

  it("follows a chain of corrections to its live end, also when that end was revoked", async function () {
    const { mtrRegistry, mill, admin, allocator, id, correctionId } = await loadFixture(allocatedThenCorrected);
    const third = mtr("heat v3", { totalKg: 10_000n, countryOfMeltAndPour: country("DE") });
    await mtrRegistry.connect(mill).supersede(correctionId, third);
    const end = recordIdOf(mill.address, third.contentHash);
    await expect(mtrRegistry.connect(allocator).deallocate(id, consumer, 1_000n))
      .to.emit(mtrRegistry, "KilogramsReturnedToCorrection")
      .withArgs(id, end, 1_000n, 7_000n);
    expect(await mtrRegistry.remainingKg(correctionId)).to.equal(6_000n); // a snapshot, not the live end
    await mtrRegistry.connect(admin).revoke(end, REASON);
    await expect(mtrRegistry.connect(allocator).deallocate(id, consumer, 3_000n))
      .to.emit(mtrRegistry, "KilogramsReturnedToCorrection")
      .withArgs(id, end, 3_000n, 10_000n);
  });

  it("a release from a record never corrected emits no return", async function () {
    const f = await loadFixture(deployDocuments);
    const report = mtr("plain", { totalKg: 1_000n, countryOfMeltAndPour: country("DE") });
    await f.mtrRegistry.connect(f.mill).issue(report);
    const id = recordIdOf(f.mill.address, report.contentHash);
    await f.mtrRegistry.connect(f.allocator).allocate(id, consumer, 500n);
    await expect(f.mtrRegistry.connect(f.allocator).deallocate(id, consumer, 500n)).not.to.emit(
      f.mtrRegistry,
      "KilogramsReturnedToCorrection",
    );
  });

  it("gives up beyond MAX_CORRECTION_HOPS corrections: the kilograms stay counted (fail safe)", async function () {
    const { mtrRegistry, mill, allocator, id, correctionId } = await loadFixture(allocatedThenCorrected);
    const hops = await mtrRegistry.MAX_CORRECTION_HOPS();
    expect(hops).to.equal(16n);
    // The chain already has one correction; make it exactly MAX_CORRECTION_HOPS long, then one longer.
    let head = correctionId;
    for (let i = 2n; i <= hops; i++) {
      const next = mtr(`heat v${i + 1n}`, { totalKg: 10_000n, countryOfMeltAndPour: country("DE") });
      await mtrRegistry.connect(mill).supersede(head, next);
      head = recordIdOf(mill.address, next.contentHash);
    }
    await expect(mtrRegistry.connect(allocator).deallocate(id, consumer, 1_000n))
      .to.emit(mtrRegistry, "KilogramsReturnedToCorrection")
      .withArgs(id, head, 1_000n, 7_000n);
    const beyond = mtr("heat beyond", { totalKg: 10_000n, countryOfMeltAndPour: country("DE") });
    await mtrRegistry.connect(mill).supersede(head, beyond);
    await expect(mtrRegistry.connect(allocator).deallocate(id, consumer, 1_000n)).not.to.emit(
      mtrRegistry,
      "KilogramsReturnedToCorrection",
    );
    expect(await mtrRegistry.remainingKg(recordIdOf(mill.address, beyond.contentHash))).to.equal(7_000n);
    expect((await mtrRegistry.recordOf(id)).consumedKg).to.equal(2_000n);
  });
});
