import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  ALLOCATOR_ROLE,
  country,
  DERIVE_TYPES,
  deployDocuments,
  hashOf,
  type LineageInput,
  recordIdOf,
  mtr,
  type MillTestReport,
  MTR_DOMAIN,
  signFor,
  Status,
} from "../../helpers/documents";
import { eventsOf, normalise, plain } from "../../helpers/events";
import { Roles } from "../../helpers/roles";

const US = country("US");
const CN = country("CN");
const IN = country("IN");
const KR = country("KR");
const VN = country("VN");

describe("MillTestReportRegistry lineage", function () {
  async function withHeats() {
    const f = await loadFixture(deployDocuments);
    const heatUS = mtr("HEAT-US", { totalKg: 100_000n });
    const heatCN = mtr("HEAT-CN", { totalKg: 80_000n, countryOfMeltAndPour: CN, countryOfManufacture: CN });
    await f.mtrRegistry.connect(f.mill).issue(heatUS);
    await f.mtrRegistry.connect(f.mill2).issue(heatCN);
    /** The mill that holds `recordId` sold the heat to the processor: it approves it to derive (R1). */
    const sellToProcessor = (holder: typeof f.mill, recordId: string) =>
      f.mtrRegistry.connect(holder).approveAllocator(recordId, f.processor.address, true);
    const derive = (label: string, inputs: LineageInput[], overrides: Parameters<typeof mtr>[1] = {}) =>
      f.mtrRegistry.connect(f.processor).derive(mtr(label, { totalKg: 1_000n, ...overrides }), inputs);
    const usId = recordIdOf(f.mill.address, heatUS.contentHash);
    const cnId = recordIdOf(f.mill2.address, heatCN.contentHash);
    await sellToProcessor(f.mill, usId);
    await sellToProcessor(f.mill2, cnId);
    /** The record id of the processor's product `label`. */
    const productIdOf = (label: string) => recordIdOf(f.processor.address, mtr(label).contentHash);
    /** The record id of a report the first mill anchored. */
    const millIdOf = (report: MillTestReport) => recordIdOf(f.mill.address, report.contentHash);
    return { ...f, heatUS, heatCN, usId, cnId, productIdOf, millIdOf, derive, sellToProcessor };
  }

  it("follows heat -> slab -> coil -> pipe, consuming and inheriting at each step", async function () {
    const { mtrRegistry, processor, derive, usId, productIdOf } = await withHeats();
    const slab = mtr("SLAB", { totalKg: 59_000n, countryOfManufacture: KR });
    const tx = mtrRegistry.connect(processor).derive(slab, [{ recordId: usId, kg: 60_000n }]);
    const [derived] = await eventsOf(tx, mtrRegistry, "ProductDerived");
    expect(derived.args.productId).to.equal(productIdOf("SLAB"));
    expect(derived.args.processor).to.equal(processor.address);
    expect(normalise(plain(derived.args.inputs))).to.deep.equal([{ recordId: usId, kg: 60_000n }]);
    expect(derived.args.inputRemainingKg).to.deep.equal([40_000n]);
    expect(derived.args.meltAndPourCountries).to.deep.equal([US]);
    const [issued] = await eventsOf(tx, mtrRegistry, "MillTestReportIssued");
    expect(issued.args.derived).to.equal(true);
    expect(issued.args.issuer).to.equal(processor.address);
    expect(normalise(plain(issued.args.report))).to.deep.equal(normalise(slab));

    await derive("COIL", [{ recordId: productIdOf("SLAB"), kg: 59_000n }], { totalKg: 58_500n });
    await expect(derive("PIPE", [{ recordId: productIdOf("COIL"), kg: 58_000n }], { totalKg: 57_000n }))
      .to.emit(mtrRegistry, "ProductDerived")
      .withArgs(productIdOf("PIPE"), processor.address, () => true, [500n], [US]);

    expect(await mtrRegistry.remainingKg(usId)).to.equal(40_000n);
    expect(await mtrRegistry.remainingKg(productIdOf("SLAB"))).to.equal(0n);
    expect(await mtrRegistry.remainingKg(productIdOf("COIL"))).to.equal(500n);
    expect(await mtrRegistry.remainingKg(productIdOf("PIPE"))).to.equal(57_000n);
    expect(await mtrRegistry.meltAndPourCountriesOf(productIdOf("PIPE"))).to.deep.equal([US]);
    expect(await mtrRegistry.isDerived(productIdOf("PIPE"))).to.equal(true);
    const pipe = await mtrRegistry.recordOf(productIdOf("PIPE"));
    expect(pipe.issuer).to.equal(processor.address);
    expect(pipe.totalKg).to.equal(57_000n);
  });

  it("keeps every country of mixed inputs, deduplicated in first-seen order", async function () {
    const { mtrRegistry, mill, derive, usId, cnId, productIdOf, millIdOf, sellToProcessor } = await withHeats();
    const heatUS2 = mtr("HEAT-US2", { totalKg: 10_000n });
    await mtrRegistry.connect(mill).issue(heatUS2);
    await sellToProcessor(mill, millIdOf(heatUS2));
    const inputs = [
      { recordId: usId, kg: 1_000n },
      { recordId: cnId, kg: 2_000n },
      { recordId: millIdOf(heatUS2), kg: 3_000n },
    ];
    await expect(derive("MIX", inputs, { totalKg: 6_000n, countryOfMeltAndPour: CN }))
      .to.emit(mtrRegistry, "ProductDerived")
      .withArgs(
        productIdOf("MIX"),
        () => true,
        () => true,
        [99_000n, 78_000n, 7_000n],
        [US, CN],
      );
    expect(await mtrRegistry.meltAndPourCountriesOf(productIdOf("MIX"))).to.deep.equal([US, CN]);
    // A product of the mix inherits the mix's set.
    await derive("MIX2", [{ recordId: productIdOf("MIX"), kg: 6_000n }], { totalKg: 6_000n });
    expect(await mtrRegistry.meltAndPourCountriesOf(productIdOf("MIX2"))).to.deep.equal([US, CN]);
  });

  it("refuses a declared country of melt and pour that no input has", async function () {
    const { mtrRegistry, derive, usId, cnId } = await withHeats();
    await expect(
      derive(
        "BAD",
        [
          { recordId: usId, kg: 1_000n },
          { recordId: cnId, kg: 1_000n },
        ],
        { countryOfMeltAndPour: IN },
      ),
    )
      .to.be.revertedWithCustomError(mtrRegistry, "MeltCountryNotInherited")
      .withArgs(IN, [US, CN]);
    expect(await mtrRegistry.remainingKg(usId)).to.equal(100_000n);
  });

  it("keeps at most four countries", async function () {
    const { mtrRegistry, mill, derive, usId, cnId, productIdOf, millIdOf, sellToProcessor } = await withHeats();
    const extra = [IN, KR, VN].map((c, i) =>
      mtr(`HEAT-${i}`, { totalKg: 1_000n, countryOfMeltAndPour: c, certificateNumber: `X-${i}` }),
    );
    for (const heat of extra) {
      await mtrRegistry.connect(mill).issue(heat);
      await sellToProcessor(mill, millIdOf(heat));
    }
    const four = [usId, cnId, millIdOf(extra[0]), millIdOf(extra[1])].map((recordId) => ({ recordId, kg: 100n }));
    await derive("FOUR", four, { totalKg: 400n });
    expect(await mtrRegistry.meltAndPourCountriesOf(productIdOf("FOUR"))).to.deep.equal([US, CN, IN, KR]);
    await expect(derive("FIVE", [...four, { recordId: millIdOf(extra[2]), kg: 100n }], { totalKg: 500n }))
      .to.be.revertedWithCustomError(mtrRegistry, "TooManyMeltCountries")
      .withArgs(VN);
  });

  it("refuses over-consumption of an input and a product heavier than its inputs", async function () {
    const { mtrRegistry, allocator, derive, usId, cnId } = await withHeats();
    await expect(derive("OVER", [{ recordId: usId, kg: 100_001n }]))
      .to.be.revertedWithCustomError(mtrRegistry, "InsufficientKilograms")
      .withArgs(usId, 100_001n, 100_000n);
    await expect(
      derive(
        "HEAVY",
        [
          { recordId: usId, kg: 500n },
          { recordId: cnId, kg: 400n },
        ],
        { totalKg: 901n },
      ),
    )
      .to.be.revertedWithCustomError(mtrRegistry, "WeightExceedsInputs")
      .withArgs(901n, 900n);
    // Allocation to shipments and derivation draw on the same balance.
    await mtrRegistry.connect(allocator).allocate(usId, hashOf("line"), 99_000n);
    await expect(derive("LATE", [{ recordId: usId, kg: 1_001n }]))
      .to.be.revertedWithCustomError(mtrRegistry, "InsufficientKilograms")
      .withArgs(usId, 1_001n, 1_000n);
    await derive("LAST", [{ recordId: usId, kg: 1_000n }]);
    await expect(mtrRegistry.connect(allocator).allocate(usId, hashOf("line"), 1n))
      .to.be.revertedWithCustomError(mtrRegistry, "InsufficientKilograms")
      .withArgs(usId, 1n, 0n);
    expect(await mtrRegistry.hasRole(ALLOCATOR_ROLE, allocator.address)).to.equal(true);
  });

  it("refuses revoked, superseded, expired and unknown inputs", async function () {
    const { mtrRegistry, mill, derive, mill2, usId, cnId, millIdOf } = await withHeats();
    await mtrRegistry.connect(mill).revoke(usId, ethers.ZeroHash);
    await expect(derive("R", [{ recordId: usId, kg: 1n }]))
      .to.be.revertedWithCustomError(mtrRegistry, "RecordNotUsable")
      .withArgs(usId, Status.Revoked, 0n);
    await mtrRegistry.connect(mill2).supersede(cnId, mtr("HEAT-CN2", { countryOfMeltAndPour: CN }));
    await expect(derive("S", [{ recordId: cnId, kg: 1n }]))
      .to.be.revertedWithCustomError(mtrRegistry, "RecordNotUsable")
      .withArgs(cnId, Status.Superseded, 0n);
    const expiresAt = BigInt(await time.latest()) + 100n;
    await mtrRegistry.connect(mill).issue(mtr("EXP", { expiresAt }));
    await time.increaseTo(expiresAt + 1n);
    await expect(derive("E", [{ recordId: millIdOf(mtr("EXP")), kg: 1n }]))
      .to.be.revertedWithCustomError(mtrRegistry, "RecordNotUsable")
      .withArgs(millIdOf(mtr("EXP")), Status.Active, expiresAt);
    await expect(derive("U", [{ recordId: hashOf("unknown"), kg: 1n }]))
      .to.be.revertedWithCustomError(mtrRegistry, "RecordNotFound")
      .withArgs(hashOf("unknown"));
  });

  it("refuses zero kilograms, no inputs and a deriver that is not a PROCESSOR", async function () {
    const { mtrRegistry, mill, derive, usId } = await withHeats();
    await expect(derive("Z", [{ recordId: usId, kg: 0n }])).to.be.revertedWithCustomError(mtrRegistry, "ZeroWeight");
    await expect(derive("N", [])).to.be.revertedWithCustomError(mtrRegistry, "NoInputs").withArgs(mtr("N").contentHash);
    await expect(mtrRegistry.connect(mill).derive(mtr("M"), [{ recordId: usId, kg: 1n }]))
      .to.be.revertedWithCustomError(mtrRegistry, "ActorNotActive")
      .withArgs(mill.address, Roles.PROCESSOR);
  });

  it("derives by EIP-712 delegation, relayed by anyone, once", async function () {
    const { mtrRegistry, processor, relayer, usId, productIdOf } = await withHeats();
    const product = mtr("DLG", { totalKg: 5_000n });
    const inputs = [{ recordId: usId, kg: 5_000n }];
    const deadline = BigInt(await time.latest()) + 3600n;
    const signature = await signFor(processor, mtrRegistry, MTR_DOMAIN, DERIVE_TYPES, {
      product,
      inputs,
      nonce: 0n,
      deadline,
    });
    await expect(
      mtrRegistry
        .connect(relayer)
        .deriveBySig(product, [{ recordId: usId, kg: 5_001n }], processor.address, deadline, signature),
    )
      .to.be.revertedWithCustomError(mtrRegistry, "InvalidSignature")
      .withArgs(processor.address);
    await expect(mtrRegistry.connect(relayer).deriveBySig(product, inputs, processor.address, deadline, signature))
      .to.emit(mtrRegistry, "ProductDerived")
      .withArgs(productIdOf("DLG"), processor.address, () => true, [95_000n], [US]);
    await expect(mtrRegistry.connect(relayer).deriveBySig(product, inputs, processor.address, deadline, signature))
      .to.be.revertedWithCustomError(mtrRegistry, "InvalidSignature")
      .withArgs(processor.address);
  });

  it("cannot derive while paused", async function () {
    const { mtrRegistry, admin, processor, relayer, derive, usId } = await withHeats();
    const inputs = [{ recordId: usId, kg: 1n }];
    const deadline = BigInt(await time.latest()) + 3600n;
    const product = mtr("PAUSED", { totalKg: 1n });
    const signature = await signFor(processor, mtrRegistry, MTR_DOMAIN, DERIVE_TYPES, {
      product,
      inputs,
      nonce: 0n,
      deadline,
    });
    await mtrRegistry.connect(admin).pause();
    await expect(derive("PAUSED", inputs)).to.be.revertedWithCustomError(mtrRegistry, "EnforcedPause");
    await expect(
      mtrRegistry.connect(relayer).deriveBySig(product, inputs, processor.address, deadline, signature),
    ).to.be.revertedWithCustomError(mtrRegistry, "EnforcedPause");
    await mtrRegistry.connect(admin).unpause();
    await mtrRegistry.connect(relayer).deriveBySig(product, inputs, processor.address, deadline, signature);
    expect(await mtrRegistry.remainingKg(usId)).to.equal(99_999n);
  });

  describe("corrections of derived products", function () {
    async function withProduct() {
      const r = await withHeats();
      await r.derive(
        "P",
        [
          { recordId: r.usId, kg: 3_000n },
          { recordId: r.cnId, kg: 2_000n },
        ],
        { totalKg: 4_800n },
      );
      return { ...r, productId: r.productIdOf("P") };
    }

    it("keeps the inherited countries and the derived flag", async function () {
      const { mtrRegistry, processor, productId, productIdOf } = await withProduct();
      const correction = mtr("P2", {
        totalKg: 4_700n,
        countryOfMeltAndPour: CN,
        certificateNumber: mtr("P").certificateNumber,
      });
      const [issued] = await eventsOf(
        mtrRegistry.connect(processor).supersede(productId, correction),
        mtrRegistry,
        "MillTestReportIssued",
      );
      expect(issued.args.derived).to.equal(true);
      expect(issued.args.supersedes).to.equal(productId);
      expect(await mtrRegistry.meltAndPourCountriesOf(productIdOf("P2"))).to.deep.equal([US, CN]);
      expect(await mtrRegistry.isDerived(productIdOf("P2"))).to.equal(true);
      expect((await mtrRegistry.recordOf(productId)).successor).to.equal(productIdOf("P2"));
    });

    it("refuses a heavier correction, a foreign country and a processor no longer active", async function () {
      const { mtrRegistry, actors, processor, productId } = await withProduct();
      await expect(mtrRegistry.connect(processor).supersede(productId, mtr("P2", { totalKg: 4_801n })))
        .to.be.revertedWithCustomError(mtrRegistry, "WeightExceedsInputs")
        .withArgs(4_801n, 4_800n);
      await expect(
        mtrRegistry.connect(processor).supersede(productId, mtr("P2", { totalKg: 10n, countryOfMeltAndPour: IN })),
      )
        .to.be.revertedWithCustomError(mtrRegistry, "MeltCountryNotInherited")
        .withArgs(IN, [US, CN]);
      await actors.setActive(processor.address, Roles.MILL);
      await expect(mtrRegistry.connect(processor).supersede(productId, mtr("P2", { totalKg: 10n })))
        .to.be.revertedWithCustomError(mtrRegistry, "ActorNotActive")
        .withArgs(processor.address, Roles.PROCESSOR);
    });

    it("lets a mill correct its country of melt and pour", async function () {
      const { mtrRegistry, mill, usId, millIdOf } = await withHeats();
      const correction = mtr("HEAT-US-FIX", { countryOfMeltAndPour: IN });
      await mtrRegistry.connect(mill).supersede(usId, correction);
      expect(await mtrRegistry.meltAndPourCountriesOf(millIdOf(correction))).to.deep.equal([IN]);
      expect(await mtrRegistry.meltAndPourCountriesOf(usId)).to.deep.equal([US]);
    });
  });
});
