import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { coo, country, deployDocuments, recordIdOf } from "../../helpers/documents";
import { eventsOf, normalise, plain } from "../../helpers/events";
import { Roles } from "../../helpers/roles";

describe("CertificateOfOriginRegistry", function () {
  async function setup() {
    const f = await loadFixture(deployDocuments);
    const c = (label: string, overrides: Parameters<typeof coo>[3] = {}) =>
      coo(label, f.exporter.address, f.importer.address, overrides);
    return { ...f, c };
  }

  describe("issued event", function () {
    it("carries every field, indexed by record id, content hash and issuer", async function () {
      const { cooRegistry, certifier, c } = await setup();
      const certificate = c("A", { htsLines: [7304191020n, 7306301000n, 7208510030n], countryOfOrigin: country("KR") });
      const tx = cooRegistry.connect(certifier).issue(certificate);
      await expect(tx)
        .to.emit(cooRegistry, "CertificateOfOriginIssued")
        .withArgs(
          recordIdOf(certifier.address, certificate.contentHash),
          certificate.contentHash,
          certifier.address,
          () => true,
          ethers.ZeroHash,
        );
      const [event] = await eventsOf(tx, cooRegistry, "CertificateOfOriginIssued");
      expect(normalise(plain(event.args.certificate))).to.deep.equal(normalise(certificate));
      const record = await cooRegistry.recordOf(recordIdOf(certifier.address, certificate.contentHash));
      expect(record.totalKg).to.equal(0n);
      expect(record.issuer).to.equal(certifier.address);
    });

    it("accepts an HTS number with a leading zero (chapter 01) and the largest 10-digit number", async function () {
      const { cooRegistry, certifier, c } = await setup();
      const certificate = c("LZ", { htsLines: [100_000_000n, 9_999_999_999n] });
      await cooRegistry.connect(certifier).issue(certificate);
      expect(await cooRegistry.isUsable(recordIdOf(certifier.address, certificate.contentHash))).to.equal(true);
    });
  });

  describe("who may issue", function () {
    it("lets a certifier certify any exporter", async function () {
      const { cooRegistry, certifier, outsider, importer } = await setup();
      const certificate = coo("B", outsider.address, importer.address);
      await cooRegistry.connect(certifier).issue(certificate);
      expect((await cooRegistry.recordOf(recordIdOf(certifier.address, certificate.contentHash))).issuer).to.equal(
        certifier.address,
      );
    });

    it("lets an exporter certify only itself", async function () {
      const { cooRegistry, exporter, outsider, importer, c } = await setup();
      await cooRegistry.connect(exporter).issue(c("SELF"));
      expect((await cooRegistry.recordOf(recordIdOf(exporter.address, c("SELF").contentHash))).issuer).to.equal(
        exporter.address,
      );
      await expect(cooRegistry.connect(exporter).issue(coo("OTHER", outsider.address, importer.address)))
        .to.be.revertedWithCustomError(cooRegistry, "ExporterMustBeIssuer")
        .withArgs(exporter.address, outsider.address);
    });

    it("refuses an importer, a mill or an unknown actor", async function () {
      const { cooRegistry, importer, mill, outsider, c } = await setup();
      for (const signer of [importer, mill, outsider]) {
        await expect(cooRegistry.connect(signer).issue(c("X")))
          .to.be.revertedWithCustomError(cooRegistry, "ActorNotActive")
          .withArgs(signer.address, Roles.CERTIFIER | Roles.EXPORTER);
      }
    });
  });

  describe("validation", function () {
    it("rejects a zero exporter or importer", async function () {
      const { cooRegistry, certifier, exporter, importer } = await setup();
      await expect(cooRegistry.connect(certifier).issue(coo("Z1", ethers.ZeroAddress, importer.address)))
        .to.be.revertedWithCustomError(cooRegistry, "InvalidParties")
        .withArgs(ethers.ZeroAddress, importer.address);
      await expect(cooRegistry.connect(certifier).issue(coo("Z2", exporter.address, ethers.ZeroAddress)))
        .to.be.revertedWithCustomError(cooRegistry, "InvalidParties")
        .withArgs(exporter.address, ethers.ZeroAddress);
    });

    it("rejects a malformed country of origin", async function () {
      const { cooRegistry, certifier, c } = await setup();
      for (const bad of [country("it"), country("I1"), "0x0000"]) {
        await expect(cooRegistry.connect(certifier).issue(c("C", { countryOfOrigin: bad })))
          .to.be.revertedWithCustomError(cooRegistry, "InvalidCountry")
          .withArgs(bad);
      }
    });

    it("rejects a certificate without HTS lines", async function () {
      const { cooRegistry, certifier, c } = await setup();
      await expect(cooRegistry.connect(certifier).issue(c("H", { htsLines: [] })))
        .to.be.revertedWithCustomError(cooRegistry, "NoHtsLines")
        .withArgs(c("H").contentHash);
    });

    it("rejects an HTS line that is not a 10-digit number, naming its index", async function () {
      const { cooRegistry, certifier, c } = await setup();
      await expect(cooRegistry.connect(certifier).issue(c("H", { htsLines: [7304191020n, 730419n] })))
        .to.be.revertedWithCustomError(cooRegistry, "InvalidHts")
        .withArgs(1n, 730419n);
      await expect(cooRegistry.connect(certifier).issue(c("H", { htsLines: [73041910200n] })))
        .to.be.revertedWithCustomError(cooRegistry, "InvalidHts")
        .withArgs(0n, 73041910200n);
    });

    it("rejects a zero export date", async function () {
      const { cooRegistry, certifier, c } = await setup();
      await expect(cooRegistry.connect(certifier).issue(c("D", { exportDate: 0n })))
        .to.be.revertedWithCustomError(cooRegistry, "InvalidExportDate")
        .withArgs(0n);
    });
  });
});
