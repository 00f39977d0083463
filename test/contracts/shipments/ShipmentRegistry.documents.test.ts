import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { DocStatus, Roles, Status, deployWithShipment, id, sampleFiling, shipmentIdOf } from "../../helpers/shipments";

const ZERO = ethers.ZeroHash;

describe("ShipmentRegistry: documents", function () {
  async function arrived() {
    const f = await deployWithShipment();
    await f.registry.connect(f.carrier).markDeparted(f.shipmentId, ZERO, ZERO);
    await f.registry.connect(f.carrier).markArrived(f.shipmentId, ZERO, ZERO);
    return f;
  }

  describe("certificates of origin", function () {
    it("any party (importer, filer broker, exporter, manufacturer) may link; linking is recorded", async function () {
      const { registry, coo, importer, broker, exporter, manufacturer, shipmentId } =
        await loadFixture(deployWithShipment);
      const signers = [importer, broker, exporter, manufacturer];
      for (let i = 0; i < signers.length; i++) {
        const recordId = id(`coo-party-${i}`);
        await coo.setRecord(recordId, 0, DocStatus.Active, 0);
        await expect(registry.connect(signers[i]).linkCertificateOfOrigin(shipmentId, recordId))
          .to.emit(registry, "CertificateOfOriginLinked")
          .withArgs(shipmentId, recordId, signers[i].address);
        expect(await registry.isCertificateOfOriginLinked(shipmentId, recordId)).to.equal(true);
      }
    });

    it("rejects the carrier and outsiders", async function () {
      const { registry, carrier, outsider, shipmentId, cooId } = await loadFixture(deployWithShipment);
      for (const who of [carrier, outsider]) {
        await expect(registry.connect(who).linkCertificateOfOrigin(shipmentId, cooId))
          .to.be.revertedWithCustomError(registry, "NotShipmentParty")
          .withArgs(shipmentId, who.address);
      }
    });

    it("a named exporter or manufacturer not active in its role may not link or unlink (R4)", async function () {
      const { registry, actors, importer, exporter, manufacturer, shipmentId, cooId } =
        await loadFixture(deployWithShipment);
      await registry.connect(importer).linkCertificateOfOrigin(shipmentId, cooId);
      await actors.setActive(exporter.address, 0);
      await actors.setActive(manufacturer.address, Roles.EXPORTER); // active, but not as a mill or processor
      const mp = Roles.MILL | Roles.PROCESSOR;
      for (const [who, role] of [
        [exporter, Roles.EXPORTER],
        [manufacturer, mp],
      ] as const) {
        await expect(registry.connect(who).linkCertificateOfOrigin(shipmentId, id("other")))
          .to.be.revertedWithCustomError(registry, "ActorNotActive")
          .withArgs(who.address, role);
        await expect(registry.connect(who).unlinkCertificateOfOrigin(shipmentId, cooId))
          .to.be.revertedWithCustomError(registry, "ActorNotActive")
          .withArgs(who.address, role);
      }
      // A processor is a manufacturer too; the importer keeps its rights.
      await actors.setActive(manufacturer.address, Roles.PROCESSOR);
      await expect(registry.connect(manufacturer).unlinkCertificateOfOrigin(shipmentId, cooId)).to.emit(
        registry,
        "CertificateOfOriginUnlinked",
      );
      await expect(registry.connect(importer).linkCertificateOfOrigin(shipmentId, cooId)).to.emit(
        registry,
        "CertificateOfOriginLinked",
      );
    });

    it("a party named as both exporter and manufacturer may act in either active role (R4)", async function () {
      const f = await loadFixture(deployWithShipment);
      const { registry, actors, broker, exporter, coo } = f;
      const both = shipmentIdOf(f.importer.address, id("shipment-both"));
      await registry
        .connect(broker)
        .fileShipment(id("shipment-both"), sampleFiling({ ...f.parties, manufacturer: exporter.address }));
      await coo.setRecord(id("coo-b1"), 0, DocStatus.Active, 0);
      await coo.setRecord(id("coo-b2"), 0, DocStatus.Active, 0);
      await expect(registry.connect(exporter).linkCertificateOfOrigin(both, id("coo-b1"))).to.emit(
        registry,
        "CertificateOfOriginLinked",
      );
      await actors.setActive(exporter.address, Roles.MILL);
      await expect(registry.connect(exporter).linkCertificateOfOrigin(both, id("coo-b2"))).to.emit(
        registry,
        "CertificateOfOriginLinked",
      );
      await actors.setActive(exporter.address, 0);
      await expect(registry.connect(exporter).unlinkCertificateOfOrigin(both, id("coo-b2")))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(exporter.address, Roles.EXPORTER | Roles.MILL | Roles.PROCESSOR);
    });

    it("rejects unknown, revoked, superseded and expired certificates", async function () {
      const { registry, coo, importer, shipmentId } = await loadFixture(deployWithShipment);
      const now = BigInt(await time.latest());
      await coo.setRecord(id("revoked"), 0, DocStatus.Revoked, 0);
      await coo.setRecord(id("superseded"), 0, DocStatus.Superseded, 0);
      await coo.setRecord(id("expired"), now - 1n, DocStatus.Active, 0);
      for (const recordId of [id("unknown"), id("revoked"), id("superseded"), id("expired")]) {
        await expect(registry.connect(importer).linkCertificateOfOrigin(shipmentId, recordId))
          .to.be.revertedWithCustomError(registry, "DocumentNotUsable")
          .withArgs(await coo.getAddress(), recordId);
      }
    });

    it("rejects linking twice and an unknown shipment", async function () {
      const { registry, importer, shipmentId, cooId } = await loadFixture(deployWithShipment);
      await registry.connect(importer).linkCertificateOfOrigin(shipmentId, cooId);
      await expect(registry.connect(importer).linkCertificateOfOrigin(shipmentId, cooId))
        .to.be.revertedWithCustomError(registry, "DocumentAlreadyLinked")
        .withArgs(shipmentId, cooId, 0);
      await expect(registry.connect(importer).linkCertificateOfOrigin(id("none"), cooId))
        .to.be.revertedWithCustomError(registry, "ShipmentNotFound")
        .withArgs(id("none"));
    });

    it("unlinks before arrival, only by a party, only what is linked", async function () {
      const { registry, exporter, outsider, shipmentId, cooId } = await loadFixture(deployWithShipment);
      await expect(registry.connect(exporter).unlinkCertificateOfOrigin(shipmentId, cooId))
        .to.be.revertedWithCustomError(registry, "DocumentNotLinked")
        .withArgs(shipmentId, cooId, 0);
      await registry.connect(exporter).linkCertificateOfOrigin(shipmentId, cooId);
      await expect(registry.connect(outsider).unlinkCertificateOfOrigin(shipmentId, cooId))
        .to.be.revertedWithCustomError(registry, "NotShipmentParty")
        .withArgs(shipmentId, outsider.address);
      await expect(registry.connect(exporter).unlinkCertificateOfOrigin(shipmentId, cooId))
        .to.emit(registry, "CertificateOfOriginUnlinked")
        .withArgs(shipmentId, cooId, exporter.address);
      expect(await registry.isCertificateOfOriginLinked(shipmentId, cooId)).to.equal(false);
    });

    it("may be linked after arrival (answers to CBP) but not unlinked; nothing after release", async function () {
      const { registry, importer, cbp, shipmentId, cooId } = await loadFixture(arrived);
      await registry.connect(importer).linkCertificateOfOrigin(shipmentId, cooId);
      await expect(registry.connect(importer).unlinkCertificateOfOrigin(shipmentId, cooId))
        .to.be.revertedWithCustomError(registry, "TradeDataFrozen")
        .withArgs(shipmentId, Status.Arrived);
      await registry.connect(cbp).release(shipmentId, ZERO, ZERO);
      await expect(registry.connect(importer).linkCertificateOfOrigin(shipmentId, id("coo-x")))
        .to.be.revertedWithCustomError(registry, "ShipmentClosed")
        .withArgs(shipmentId, Status.Released);
    });
  });

  describe("mill test reports", function () {
    it("links a report to a line, allocating kilograms in the report registry", async function () {
      const { registry, mtr, manufacturer, shipmentId, mtrId } = await loadFixture(deployWithShipment);
      const consumer = await registry.consumerOf(shipmentId, 1);
      expect(consumer).to.equal(
        ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint256"], [shipmentId, 1])),
      );
      const tx = registry.connect(manufacturer).linkMillTestReport(shipmentId, mtrId, 1, 8_500);
      await expect(tx)
        .to.emit(registry, "MillTestReportLinked")
        .withArgs(shipmentId, mtrId, manufacturer.address, 1, 8_500, consumer);
      await expect(tx).to.emit(mtr, "KilogramsAllocated").withArgs(mtrId, consumer, 8_500, 21_500);
      expect(await mtr.remainingKg(mtrId)).to.equal(21_500n);
      expect(await mtr.allocatedKg(mtrId, consumer)).to.equal(8_500n);
      expect(await registry.linkedKg(shipmentId, mtrId, 1)).to.equal(8_500n);
      expect(await registry.linkCountOf(shipmentId, 1)).to.equal(1n);
    });

    it("links one report to several lines and several reports to one line", async function () {
      const { registry, mtr, importer, shipmentId, mtrId, mtr2Id } = await loadFixture(deployWithShipment);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 12_000);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 2, 15_000);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtr2Id, 2, 5_000);
      expect(await mtr.remainingKg(mtrId)).to.equal(3_000n);
      expect(await mtr.remainingKg(mtr2Id)).to.equal(0n);
      expect(await registry.linkCountOf(shipmentId, 2)).to.equal(2n);
    });

    it("never takes more than the report's remaining balance", async function () {
      const { registry, mtr, importer, exporter, parties, shipmentId, mtrId } = await loadFixture(deployWithShipment);
      // Line 2 declares 20,000 kg, line 1 8,500 kg: room enough, so the report's balance is what stops the link.
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 2, 20_000);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 5_000);
      await expect(registry.connect(exporter).linkMillTestReport(shipmentId, mtrId, 1, 5_001))
        .to.be.revertedWithCustomError(mtr, "InsufficientKilograms")
        .withArgs(mtrId, 5_001, 5_000);
      // A second shipment can't reuse the same certificate beyond its tonnage either.
      await registry.connect(importer).fileShipment(id("shipment-2"), sampleFiling(parties));
      const second = shipmentIdOf(importer.address, id("shipment-2"));
      await expect(registry.connect(importer).linkMillTestReport(second, mtrId, 0, 5_001))
        .to.be.revertedWithCustomError(mtr, "InsufficientKilograms")
        .withArgs(mtrId, 5_001, 5_000);
      await registry.connect(importer).linkMillTestReport(second, mtrId, 0, 5_000);
      expect(await mtr.remainingKg(mtrId)).to.equal(0n);
    });

    it("rejects zero kilograms, a line out of range, a duplicate link, an unusable report", async function () {
      const { registry, mtr, importer, shipmentId, mtrId } = await loadFixture(deployWithShipment);
      await expect(
        registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 0),
      ).to.be.revertedWithCustomError(registry, "ZeroKilograms");
      await expect(registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 3, 1))
        .to.be.revertedWithCustomError(registry, "LineOutOfRange")
        .withArgs(shipmentId, 3, 3);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 1);
      await expect(registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 1))
        .to.be.revertedWithCustomError(registry, "DocumentAlreadyLinked")
        .withArgs(shipmentId, mtrId, 0);
      await mtr.setRecord(id("mtr-revoked"), 0, DocStatus.Revoked, 1_000);
      await mtr.setRecord(id("mtr-expired"), BigInt(await time.latest()), DocStatus.Active, 1_000);
      for (const recordId of [id("mtr-revoked"), id("mtr-expired"), id("mtr-unknown")]) {
        await expect(registry.connect(importer).linkMillTestReport(shipmentId, recordId, 0, 1))
          .to.be.revertedWithCustomError(registry, "DocumentNotUsable")
          .withArgs(await mtr.getAddress(), recordId);
      }
    });

    it("an inactive named exporter or manufacturer may not link or unlink reports (R4)", async function () {
      const { registry, actors, exporter, manufacturer, shipmentId, mtrId } = await loadFixture(deployWithShipment);
      await registry.connect(manufacturer).linkMillTestReport(shipmentId, mtrId, 0, 1_000);
      await actors.setActive(manufacturer.address, 0);
      await actors.setActive(exporter.address, 0);
      await expect(registry.connect(manufacturer).unlinkMillTestReport(shipmentId, mtrId, 0))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(manufacturer.address, Roles.MILL | Roles.PROCESSOR);
      await expect(registry.connect(exporter).linkMillTestReport(shipmentId, mtrId, 1, 1_000))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(exporter.address, Roles.EXPORTER);
      expect(await registry.linkedKg(shipmentId, mtrId, 0)).to.equal(1_000n);
    });

    it("rejects non-parties", async function () {
      const { registry, carrier, outsider, shipmentId, mtrId } = await loadFixture(deployWithShipment);
      for (const who of [carrier, outsider]) {
        await expect(registry.connect(who).linkMillTestReport(shipmentId, mtrId, 0, 1))
          .to.be.revertedWithCustomError(registry, "NotShipmentParty")
          .withArgs(shipmentId, who.address);
        await expect(registry.connect(who).unlinkMillTestReport(shipmentId, mtrId, 0))
          .to.be.revertedWithCustomError(registry, "NotShipmentParty")
          .withArgs(shipmentId, who.address);
      }
    });

    it("unlinking before arrival gives the kilograms back, even from a report revoked since", async function () {
      const { registry, mtr, importer, broker, shipmentId, mtrId } = await loadFixture(deployWithShipment);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 12_000);
      await mtr.setRecord(mtrId, 0, DocStatus.Revoked, 30_000);
      const consumer = await registry.consumerOf(shipmentId, 0);
      const tx = registry.connect(broker).unlinkMillTestReport(shipmentId, mtrId, 0);
      await expect(tx)
        .to.emit(registry, "MillTestReportUnlinked")
        .withArgs(shipmentId, mtrId, broker.address, 0, 12_000, consumer);
      await expect(tx).to.emit(mtr, "KilogramsReleased").withArgs(mtrId, consumer, 12_000, 30_000);
      expect(await mtr.remainingKg(mtrId)).to.equal(30_000n);
      expect(await registry.linkedKg(shipmentId, mtrId, 0)).to.equal(0n);
      expect(await registry.linkCountOf(shipmentId, 0)).to.equal(0n);
      await expect(registry.connect(broker).unlinkMillTestReport(shipmentId, mtrId, 0))
        .to.be.revertedWithCustomError(registry, "DocumentNotLinked")
        .withArgs(shipmentId, mtrId, 0);
    });

    it("a relinked report can take a new weight", async function () {
      const { registry, mtr, importer, shipmentId, mtrId } = await loadFixture(deployWithShipment);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 12_000);
      await registry.connect(importer).unlinkMillTestReport(shipmentId, mtrId, 0);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 11_000);
      expect(await mtr.remainingKg(mtrId)).to.equal(19_000n);
    });

    it("after arrival the allocation is frozen; after refusal nothing more links", async function () {
      const { registry, mtr, importer, cbp, shipmentId, mtrId, mtr2Id } = await loadFixture(arrived);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 1_000);
      await expect(registry.connect(importer).unlinkMillTestReport(shipmentId, mtrId, 0))
        .to.be.revertedWithCustomError(registry, "TradeDataFrozen")
        .withArgs(shipmentId, Status.Arrived);
      await registry.connect(cbp).refuse(shipmentId, id("REFUSED"), ZERO);
      await expect(registry.connect(importer).linkMillTestReport(shipmentId, mtr2Id, 0, 1))
        .to.be.revertedWithCustomError(registry, "ShipmentClosed")
        .withArgs(shipmentId, Status.Refused);
      expect(await mtr.remainingKg(mtrId)).to.equal(29_000n);
    });

    it("fails if the registry lacks ALLOCATOR_ROLE on the report registry", async function () {
      const { registry, mtr, admin, importer, shipmentId, mtrId } = await loadFixture(deployWithShipment);
      await mtr.connect(admin).revokeRole(await mtr.ALLOCATOR_ROLE(), await registry.getAddress());
      await expect(registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 1))
        .to.be.revertedWithCustomError(mtr, "AccessControlUnauthorizedAccount")
        .withArgs(await registry.getAddress(), await mtr.ALLOCATOR_ROLE());
    });
  });
});
