import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { CertificateOfOriginRegistry, MillTestReportRegistry } from "../../../typechain-types";
import { BusinessRole, deployActorRegistryFixture, makeCredential, onboardActor } from "../../helpers/actors";
import { coo, mtr, recordIdOf, Status } from "../../helpers/documents";
import { Roles } from "../../helpers/roles";

/**
 * Finding A4: once CBP suspends an issuer (the documented answer to a stolen key), or its credential is revoked or
 * expires, the key may no longer revoke or correct the records it issued; CBP still revokes. Played against the real
 * ActorRegistry, so that suspension, credential revocation and expiry are the registry's own.
 */
describe("document registries: issuer in good standing (finding A4)", function () {
  const STOLEN = ethers.encodeBytes32String("STOLEN_KEY");

  async function deployWithRecords() {
    const a = await deployActorRegistryFixture();
    const { registry: actorRegistry, cbp } = a;
    const deploy = async (name: string) =>
      upgrades.deployProxy(await ethers.getContractFactory(name), [cbp.address, await actorRegistry.getAddress()], {
        kind: "uups",
      });
    const mtrs = (await deploy("MillTestReportRegistry")) as unknown as MillTestReportRegistry;
    const coos = (await deploy("CertificateOfOriginRegistry")) as unknown as CertificateOfOriginRegistry;
    const { mill, processor, certifier, exporter, importer } = a.actors;
    const heat = mtr("HEAT");
    await mtrs.connect(mill.signer).issue(heat);
    const heatId = recordIdOf(mill.signer.address, heat.contentHash);
    const pipe = mtr("PIPE", { totalKg: 1_000n });
    await mtrs.connect(mill.signer).approveAllocator(heatId, processor.signer.address, true);
    await mtrs.connect(processor.signer).derive(pipe, [{ recordId: heatId, kg: 1_000n }]);
    const pipeId = recordIdOf(processor.signer.address, pipe.contentHash);
    const chamberCertificate = coo("CHAMBER", exporter.signer.address, importer.signer.address);
    await coos.connect(certifier.signer).issue(chamberCertificate);
    const chamberId = recordIdOf(certifier.signer.address, chamberCertificate.contentHash);
    const selfCertificate = coo("SELF", exporter.signer.address, importer.signer.address);
    await coos.connect(exporter.signer).issue(selfCertificate);
    const selfId = recordIdOf(exporter.signer.address, selfCertificate.contentHash);
    return { ...a, mtrs, coos, heatId, pipeId, chamberId, selfId };
  }

  it("refuses a suspended mill's revocation of its report; CBP still revokes it", async function () {
    const { registry: actors, cbp, mtrs, heatId, actors: parties } = await loadFixture(deployWithRecords);
    const mill = parties.mill.signer;
    await actors.connect(cbp).suspend(mill.address, STOLEN);
    await expect(mtrs.connect(mill).revoke(heatId, STOLEN))
      .to.be.revertedWithCustomError(mtrs, "ActorNotActive")
      .withArgs(mill.address, Roles.MILL);
    expect((await mtrs.recordOf(heatId)).status).to.equal(Status.Active);
    await expect(mtrs.connect(cbp).revoke(heatId, STOLEN))
      .to.emit(mtrs, "RecordRevoked")
      .withArgs(heatId, mill.address, cbp.address, STOLEN);
  });

  it("refuses a suspended mill's correction of its report", async function () {
    const { registry: actors, cbp, mtrs, heatId, actors: parties } = await loadFixture(deployWithRecords);
    const mill = parties.mill.signer;
    await actors.connect(cbp).suspend(mill.address, STOLEN);
    await expect(mtrs.connect(mill).supersede(heatId, mtr("HEAT-2")))
      .to.be.revertedWithCustomError(mtrs, "ActorNotActive")
      .withArgs(mill.address, Roles.MILL);
    expect((await mtrs.recordOf(heatId)).status).to.equal(Status.Active);
  });

  it("refuses revocation once the mill's credential is revoked", async function () {
    const { registry: actors, cbp, mtrs, heatId, actors: parties } = await loadFixture(deployWithRecords);
    const mill = parties.mill;
    await actors.connect(cbp).revokeCredential(mill.credential.credentialId, STOLEN);
    await expect(mtrs.connect(mill.signer).revoke(heatId, STOLEN))
      .to.be.revertedWithCustomError(mtrs, "ActorNotActive")
      .withArgs(mill.signer.address, Roles.MILL);
    expect((await mtrs.recordOf(heatId)).status).to.equal(Status.Active);
  });

  it("refuses revocation once the mill's credential has expired", async function () {
    const { registry: actors, issuer, relayer, laboratory: mill } = await loadFixture(deployActorRegistryFixture);
    const mtrs = (await upgrades.deployProxy(
      await ethers.getContractFactory("MillTestReportRegistry"),
      [(await ethers.getSigners())[0].address, await actors.getAddress()],
      { kind: "uups" },
    )) as unknown as MillTestReportRegistry;
    const validUntil = BigInt(await time.latest()) + 3_600n;
    const credential = await makeCredential(mill.address, BusinessRole.Mill, { validUntil });
    await onboardActor(actors, issuer, credential, { submitter: relayer });
    const report = mtr("SHORT-LIVED");
    await mtrs.connect(mill).issue(report);
    const id = recordIdOf(mill.address, report.contentHash);
    await time.increaseTo(validUntil + 1n);
    await expect(mtrs.connect(mill).revoke(id, STOLEN))
      .to.be.revertedWithCustomError(mtrs, "ActorNotActive")
      .withArgs(mill.address, Roles.MILL);
    expect((await mtrs.recordOf(id)).status).to.equal(Status.Active);
  });

  it("refuses a suspended processor's revocation of its derived product", async function () {
    const { registry: actors, cbp, mtrs, pipeId, actors: parties } = await loadFixture(deployWithRecords);
    const processor = parties.processor.signer;
    await actors.connect(cbp).suspend(processor.address, STOLEN);
    await expect(mtrs.connect(processor).revoke(pipeId, STOLEN))
      .to.be.revertedWithCustomError(mtrs, "ActorNotActive")
      .withArgs(processor.address, Roles.PROCESSOR);
    expect((await mtrs.recordOf(pipeId)).status).to.equal(Status.Active);
  });

  it("lets a mill in good standing revoke, and a reinstated mill again", async function () {
    const { registry: actors, cbp, mtrs, heatId, actors: parties } = await loadFixture(deployWithRecords);
    const mill = parties.mill.signer;
    await actors.connect(cbp).suspend(mill.address, STOLEN);
    await actors.connect(cbp).reinstate(mill.address, ethers.ZeroHash);
    await expect(mtrs.connect(mill).revoke(heatId, ethers.ZeroHash))
      .to.emit(mtrs, "RecordRevoked")
      .withArgs(heatId, mill.address, mill.address, ethers.ZeroHash);
  });

  it("refuses a suspended chamber's and a suspended self-certifying exporter's revocations", async function () {
    const { registry: actors, cbp, coos, chamberId, selfId, actors: parties } = await loadFixture(deployWithRecords);
    const [chamber, exporter] = [parties.certifier.signer, parties.exporter.signer];
    await actors.connect(cbp).suspend(chamber.address, STOLEN);
    await actors.connect(cbp).suspend(exporter.address, STOLEN);
    await expect(coos.connect(chamber).revoke(chamberId, STOLEN))
      .to.be.revertedWithCustomError(coos, "ActorNotActive")
      .withArgs(chamber.address, Roles.CERTIFIER);
    await expect(coos.connect(exporter).revoke(selfId, STOLEN))
      .to.be.revertedWithCustomError(coos, "ActorNotActive")
      .withArgs(exporter.address, Roles.CERTIFIER | Roles.EXPORTER);
    expect((await coos.recordOf(chamberId)).status).to.equal(Status.Active);
    expect((await coos.recordOf(selfId)).status).to.equal(Status.Active);
    await expect(coos.connect(cbp).revoke(chamberId, STOLEN))
      .to.emit(coos, "RecordRevoked")
      .withArgs(chamberId, chamber.address, cbp.address, STOLEN);
  });
});
