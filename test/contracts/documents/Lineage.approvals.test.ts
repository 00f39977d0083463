import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  APPROVE_ALLOCATOR_TYPES,
  DERIVE_TYPES,
  deployDocuments,
  MTR_DOMAIN,
  mtr,
  recordIdOf,
  signFor,
} from "../../helpers/documents";
import { Roles } from "../../helpers/roles";

/**
 * SECURITY.md R1 (fixed for derived products too): a processor consumes a report as a lineage input only if it
 * holds the report or the report's holder approved it (`isApprovedAllocator`), so a processor can no longer drain
 * a foreign mill's heat by deriving from it.
 */
describe("MillTestReportRegistry lineage: only approved processors derive from a report (R1)", function () {
  async function foreignHeat() {
    const f = await deployDocuments();
    const heat = mtr("R1-HEAT", { totalKg: 10_000n });
    await f.mtrRegistry.connect(f.mill).issue(heat);
    const heatId = recordIdOf(f.mill.address, heat.contentHash);
    const inputs = (kg: bigint) => [{ recordId: heatId, kg }];
    return { ...f, heatId, inputs };
  }

  it("refuses a processor deriving from a foreign mill's report without approval; nothing is taken", async function () {
    const { mtrRegistry, processor, heatId, inputs } = await loadFixture(foreignHeat);
    await expect(mtrRegistry.connect(processor).derive(mtr("SLAB", { totalKg: 1_000n }), inputs(1_000n)))
      .to.be.revertedWithCustomError(mtrRegistry, "InputNotApproved")
      .withArgs(heatId, processor.address);
    expect(await mtrRegistry.remainingKg(heatId)).to.equal(10_000n);
  });

  it("lets a processor the mill approved derive from the report", async function () {
    const { mtrRegistry, mill, processor, heatId, inputs } = await loadFixture(foreignHeat);
    await mtrRegistry.connect(mill).approveAllocator(heatId, processor.address, true);
    await expect(mtrRegistry.connect(processor).derive(mtr("SLAB", { totalKg: 1_000n }), inputs(1_000n))).to.emit(
      mtrRegistry,
      "ProductDerived",
    );
    expect(await mtrRegistry.remainingKg(heatId)).to.equal(9_000n);
  });

  it("refuses the processor again once the mill withdrew its approval", async function () {
    const { mtrRegistry, mill, processor, heatId, inputs } = await loadFixture(foreignHeat);
    await mtrRegistry.connect(mill).approveAllocator(heatId, processor.address, true);
    await mtrRegistry.connect(processor).derive(mtr("SLAB", { totalKg: 1_000n }), inputs(1_000n));
    await mtrRegistry.connect(mill).approveAllocator(heatId, processor.address, false);
    await expect(mtrRegistry.connect(processor).derive(mtr("SLAB-2", { totalKg: 1_000n }), inputs(1_000n)))
      .to.be.revertedWithCustomError(mtrRegistry, "InputNotApproved")
      .withArgs(heatId, processor.address);
    expect(await mtrRegistry.remainingKg(heatId)).to.equal(9_000n);
  });

  it("accepts an approval the mill signed and a relayer submitted", async function () {
    const { mtrRegistry, mill, processor, relayer, heatId, inputs } = await loadFixture(foreignHeat);
    const deadline = BigInt(await time.latest()) + 3600n;
    const value = { recordId: heatId, party: processor.address, approved: true, nonce: 0n, deadline };
    const signature = await signFor(mill, mtrRegistry, MTR_DOMAIN, APPROVE_ALLOCATOR_TYPES, value);
    await mtrRegistry
      .connect(relayer)
      .approveAllocatorBySig(heatId, processor.address, true, mill.address, deadline, signature);
    await mtrRegistry.connect(processor).derive(mtr("SLAB", { totalKg: 1_000n }), inputs(1_000n));
    expect(await mtrRegistry.remainingKg(heatId)).to.equal(9_000n);
  });

  it("lets a processor derive from its own product without approval (it holds it), not a rival", async function () {
    const { actors, mtrRegistry, mill, processor, outsider, heatId, inputs } = await loadFixture(foreignHeat);
    await actors.setActive(outsider.address, Roles.PROCESSOR);
    await mtrRegistry.connect(mill).approveAllocator(heatId, processor.address, true);
    const slab = mtr("SLAB", { totalKg: 1_000n });
    await mtrRegistry.connect(processor).derive(slab, inputs(1_000n));
    const slabId = recordIdOf(processor.address, slab.contentHash);
    await mtrRegistry.connect(processor).derive(mtr("COIL", { totalKg: 500n }), [{ recordId: slabId, kg: 500n }]);
    expect(await mtrRegistry.remainingKg(slabId)).to.equal(500n);
    // The mill's approval of the processor for the heat does not extend to the processor's product.
    await expect(
      mtrRegistry.connect(outsider).derive(mtr("RIVAL", { totalKg: 500n }), [{ recordId: slabId, kg: 500n }]),
    )
      .to.be.revertedWithCustomError(mtrRegistry, "InputNotApproved")
      .withArgs(slabId, outsider.address);
  });

  it("gates derivation by EIP-712 signature on the signing processor's approval", async function () {
    const { mtrRegistry, mill, processor, relayer, heatId, inputs } = await loadFixture(foreignHeat);
    const product = mtr("DLG", { totalKg: 1_000n });
    const deadline = BigInt(await time.latest()) + 3600n;
    const sign = (nonce: bigint) =>
      signFor(processor, mtrRegistry, MTR_DOMAIN, DERIVE_TYPES, { product, inputs: inputs(1_000n), nonce, deadline });
    // The relayer holds nothing either: approving the relayer must not help the signer.
    await mtrRegistry.connect(mill).approveAllocator(heatId, relayer.address, true);
    await expect(
      mtrRegistry.connect(relayer).deriveBySig(product, inputs(1_000n), processor.address, deadline, await sign(0n)),
    )
      .to.be.revertedWithCustomError(mtrRegistry, "InputNotApproved")
      .withArgs(heatId, processor.address);
    expect(await mtrRegistry.remainingKg(heatId)).to.equal(10_000n);
    await mtrRegistry.connect(mill).approveAllocator(heatId, processor.address, true);
    await mtrRegistry
      .connect(relayer)
      .deriveBySig(product, inputs(1_000n), processor.address, deadline, await sign(0n));
    expect(await mtrRegistry.remainingKg(heatId)).to.equal(9_000n);
  });
});
