import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  batchTypes,
  COO_DOMAIN,
  COO_TYPES,
  coo,
  country,
  deployDocuments,
  issueTypes,
  mtr,
  MTR_DOMAIN,
  MTR_TYPES,
  recordIdOf,
  signFor,
  Status,
} from "../../helpers/documents";

/**
 * Finding A5: a record id is bound to its issuer (`keccak256(abi.encode(issuer, contentHash))`), so nobody can
 * squat or front-run another issuer's content hash: the genuine issue always succeeds and the id a buyer computes
 * from the credential and its issuer leads to the genuine record. The shared cases (another issuer, a front-run
 * `issueBySig`) are in DocumentRegistry.behavior.ts; these are the ones particular to each document.
 */
describe("document registries: record ids bound to the issuer (finding A5)", function () {
  it("lets a mill anchor its hash after a processor squatted it through derive", async function () {
    const { mtrRegistry, mill, mill2, processor } = await loadFixture(deployDocuments);
    const other = mtr("OTHER-HEAT", { countryOfMeltAndPour: country("CN"), countryOfManufacture: country("CN") });
    await mtrRegistry.connect(mill2).issue(other);
    const otherId = recordIdOf(mill2.address, other.contentHash);
    await mtrRegistry.connect(mill2).approveAllocator(otherId, processor.address, true);
    const genuine = mtr("GENUINE");
    // The processor anchors the mill's hash as a "product" of Chinese steel, with its own tonnage.
    const squat = mtr("SQUAT", {
      contentHash: genuine.contentHash,
      totalKg: 1_000n,
      countryOfMeltAndPour: country("CN"),
    });
    await mtrRegistry.connect(processor).derive(squat, [{ recordId: otherId, kg: 1_000n }]);
    await mtrRegistry.connect(mill).issue(genuine);

    const genuineId = recordIdOf(mill.address, genuine.contentHash);
    const record = await mtrRegistry.recordOf(genuineId);
    expect(record.issuer).to.equal(mill.address);
    expect(record.totalKg).to.equal(genuine.totalKg);
    expect(await mtrRegistry.isDerived(genuineId)).to.equal(false);
    expect(await mtrRegistry.meltAndPourCountriesOf(genuineId)).to.deep.equal([country("US")]);
    const squatId = recordIdOf(processor.address, genuine.contentHash);
    expect(await mtrRegistry.isDerived(squatId)).to.equal(true);
    expect(await mtrRegistry.meltAndPourCountriesOf(squatId)).to.deep.equal([country("CN")]);
  });

  it("lets derived products name their inputs by record id, through every step", async function () {
    const { mtrRegistry, mill, processor } = await loadFixture(deployDocuments);
    const heat = mtr("HEAT", { totalKg: 10_000n });
    await mtrRegistry.connect(mill).issue(heat);
    const heatId = recordIdOf(mill.address, heat.contentHash);
    await expect(
      mtrRegistry.connect(processor).derive(mtr("COIL", { totalKg: 9_000n }), [{ recordId: heat.contentHash, kg: 1n }]),
    )
      .to.be.revertedWithCustomError(mtrRegistry, "RecordNotFound")
      .withArgs(heat.contentHash);
    const coil = mtr("COIL", { totalKg: 9_000n });
    await mtrRegistry.connect(mill).approveAllocator(heatId, processor.address, true);
    await mtrRegistry.connect(processor).derive(coil, [{ recordId: heatId, kg: 9_500n }]);
    const coilId = recordIdOf(processor.address, coil.contentHash);
    await mtrRegistry.connect(processor).derive(mtr("PIPE", { totalKg: 8_000n }), [{ recordId: coilId, kg: 8_500n }]);
    expect(await mtrRegistry.remainingKg(heatId)).to.equal(500n);
    expect(await mtrRegistry.remainingKg(coilId)).to.equal(500n);
  });

  it("lets a mill's relayed batch succeed after one of its hashes was front-run", async function () {
    const { mtrRegistry, mill, mill2, relayer } = await loadFixture(deployDocuments);
    const reports = [mtr("B1"), mtr("B2")];
    const deadline = BigInt(await time.latest()) + 3_600n;
    const signature = await signFor(mill, mtrRegistry, MTR_DOMAIN, batchTypes(MTR_TYPES), {
      reports,
      nonce: 0n,
      deadline,
    });
    await mtrRegistry.connect(mill2).issue(mtr("FRONT", { contentHash: reports[1].contentHash }));
    await mtrRegistry.connect(relayer).issueBatchBySig(reports, mill.address, deadline, signature);
    for (const report of reports) {
      const record = await mtrRegistry.recordOf(recordIdOf(mill.address, report.contentHash));
      expect(record.issuer).to.equal(mill.address);
      expect(record.status).to.equal(Status.Active);
    }
  });

  it("lets a chamber's relayed certificate succeed after a self-certifying exporter front-ran its hash", async function () {
    const { cooRegistry, certifier, exporter, importer, relayer } = await loadFixture(deployDocuments);
    const genuine = coo("KCCI-1", exporter.address, importer.address, { countryOfOrigin: country("KR") });
    const deadline = BigInt(await time.latest()) + 3_600n;
    const signature = await signFor(certifier, cooRegistry, COO_DOMAIN, issueTypes(COO_TYPES), {
      certificate: genuine,
      nonce: 0n,
      deadline,
    });
    // The exporter claims the chamber's hash for a self-certified "Mexican" origin of the same goods.
    const squat = coo("SELF-1", exporter.address, importer.address, {
      contentHash: genuine.contentHash,
      countryOfOrigin: country("MX"),
    });
    await cooRegistry.connect(exporter).issue(squat);
    await cooRegistry.connect(relayer).issueBySig(genuine, certifier.address, deadline, signature);
    const genuineId = recordIdOf(certifier.address, genuine.contentHash);
    const record = await cooRegistry.recordOf(genuineId);
    expect(record.issuer).to.equal(certifier.address);
    expect(record.status).to.equal(Status.Active);
    expect(await cooRegistry.recordIdOfCertificate(certifier.address, genuine.certificateNumber)).to.equal(genuineId);
  });
});
