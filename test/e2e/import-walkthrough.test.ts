import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { attachRegistries, deployAll } from "../../scripts/lib/deployments";
import { ALL_ROLES, BusinessRole, makeCredential, onboardActor } from "../helpers/actors";
import { MTR_DOMAIN, MTR_TYPES, coo, issueTypes, mtr, recordIdOf, signFor } from "../helpers/documents";
import { Status, code, id, sampleFiling, shipmentIdOf, type Filing } from "../helpers/shipments";

/**
 * A realistic line-pipe import with the real registries, deployed by the deploy script: a Korean mill certifies a
 * heat, a processor turns coil from it into pipe, a chamber of commerce certifies the origin, the importer's broker
 * files before departure and links the documents, the carrier departs and arrives, and CBP holds, asks for
 * information and releases.
 */
describe("e2e: a line-pipe import from mill to release", function () {
  const HEAT_KG = 120_000n;
  const PIPE_INPUT_KG = 60_000n;
  const PIPE_KG = 58_000n; // scale loss between coil and finished pipe
  const LINE_KG = 12_000n;

  async function importSeason() {
    const [cbp, issuer, mill, processor, chamber, exporter, importer, broker, carrier, relayer] =
      await ethers.getSigners();
    const deploymentsDir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-e2e-"));
    const { deployment } = await deployAll(hre, { deploymentsDir, log: () => undefined });
    fs.rmSync(deploymentsDir, { recursive: true, force: true });
    const {
      actorRegistry: actors,
      millTestReports: mtrs,
      certificatesOfOrigin: coos,
      shipments,
    } = await attachRegistries(hre, deployment);

    // CBP governance: one credential issuer for every role, and CBP officers on the shipment registry.
    await actors.connect(cbp).setTrustedIssuer(issuer.address, ALL_ROLES);
    await shipments.connect(cbp).grantRole(await shipments.CBP_ROLE(), cbp.address);
    const onboard = async (signer: HardhatEthersSigner, role: BusinessRole, country: string) => {
      const credential = await makeCredential(signer.address, role, { country: code(country) });
      await onboardActor(actors, issuer, credential, { submitter: relayer });
    };
    await onboard(mill, BusinessRole.Mill, "KR");
    await onboard(processor, BusinessRole.Processor, "KR");
    await onboard(chamber, BusinessRole.Certifier, "KR");
    await onboard(exporter, BusinessRole.Exporter, "KR");
    await onboard(importer, BusinessRole.Importer, "US");
    await onboard(broker, BusinessRole.CustomsBroker, "US");
    await onboard(carrier, BusinessRole.Carrier, "PA");
    return {
      cbp,
      mill,
      processor,
      chamber,
      exporter,
      importer,
      broker,
      carrier,
      relayer,
      actors,
      mtrs,
      coos,
      shipments,
    };
  }

  it("walks the import through every party's step, keeping the mass balance", async function () {
    const f = await loadFixture(importSeason);
    const { mtrs, coos, shipments } = f;

    // The mill signs its heat's MTR; the processor relays it (delegated issue).
    const heat = mtr("heat-K4471", {
      heatNumber: "K4471",
      countryOfMeltAndPour: code("KR"),
      countryOfManufacture: code("KR"),
      totalKg: HEAT_KG,
    });
    const deadline = BigInt(await time.latest()) + 3600n;
    const signature = await signFor(f.mill, mtrs, MTR_DOMAIN, issueTypes(MTR_TYPES), {
      report: heat,
      nonce: await mtrs.nonces(f.mill.address),
      deadline,
    });
    await expect(mtrs.connect(f.processor).issueBySig(heat, f.mill.address, deadline, signature))
      .to.emit(mtrs, "MillTestReportIssued")
      .withArgs(
        recordIdOf(f.mill.address, heat.contentHash),
        heat.contentHash,
        f.mill.address,
        (report: unknown[]) => report[2] === "K4471",
        ethers.ZeroHash,
        false,
      );
    const heatId = recordIdOf(f.mill.address, heat.contentHash);

    // The processor makes pipe from part of the heat; the pipe inherits Korea as country of melt and pour.
    const pipe = mtr("pipe-P0091", {
      heatNumber: "K4471",
      productStandard: "API 5L PSL2",
      countryOfMeltAndPour: code("KR"),
      countryOfManufacture: code("KR"),
      totalKg: PIPE_KG,
    });
    const pipeId = recordIdOf(f.processor.address, pipe.contentHash);
    // Without the mill's approval the processor may not consume the heat (SECURITY.md R1); the mill sold it to it.
    await expect(mtrs.connect(f.processor).derive(pipe, [{ recordId: heatId, kg: PIPE_INPUT_KG }]))
      .to.be.revertedWithCustomError(mtrs, "InputNotApproved")
      .withArgs(heatId, f.processor.address);
    await expect(mtrs.connect(f.mill).approveAllocator(heatId, f.processor.address, true))
      .to.emit(mtrs, "AllocatorApproved")
      .withArgs(heatId, f.mill.address, f.processor.address, true);
    await expect(mtrs.connect(f.processor).derive(pipe, [{ recordId: heatId, kg: PIPE_INPUT_KG }]))
      .to.emit(mtrs, "ProductDerived")
      .withArgs(pipeId, f.processor.address, [[heatId, PIPE_INPUT_KG]], [HEAT_KG - PIPE_INPUT_KG], [code("KR")]);
    expect(await mtrs.remainingKg(heatId)).to.equal(HEAT_KG - PIPE_INPUT_KG);
    expect(await mtrs.meltAndPourCountriesOf(pipeId)).to.deep.equal([code("KR")]);

    // The chamber of commerce certifies Korean origin for the exporter's pipe.
    const origin = coo("KCCI-2026-0117", f.exporter.address, f.importer.address, {
      countryOfOrigin: code("KR"),
      htsLines: [7304191020n],
    });
    await expect(coos.connect(f.chamber).issue(origin)).to.emit(coos, "CertificateOfOriginIssued");

    // The importer authorises its broker, who files before departure.
    const reference = id("shipment:MAEU123456789");
    const shipmentId = shipmentIdOf(f.importer.address, reference);
    const parties = {
      importer: f.importer.address,
      exporter: f.exporter.address,
      manufacturer: f.processor.address,
      carrier: f.carrier.address,
    };
    const filing = sampleFiling(parties, {
      estimatedArrival: BigInt(await time.latest()) + 20n * 86_400n,
    });
    // Line 1 declares the whole pipe, so the report's balance (not the declaration, A3) is what refuses its reuse.
    (filing.lines as Filing["lines"])[1] = { ...(filing.lines as Filing["lines"])[1], declaredKg: PIPE_KG };
    await shipments.connect(f.importer).setBrokerAuthorization(f.broker.address, true);
    await expect(shipments.connect(f.broker).fileShipment(reference, filing))
      .to.emit(shipments, "ShipmentFiled")
      .withArgs(shipmentId, f.importer.address, f.broker.address, reference, anyHash, anyValue, f.broker.address);
    // The pipe maker, holder of the pipe's report, approves its buyer (SECURITY.md R1).
    await expect(mtrs.connect(f.processor).approveAllocator(pipeId, f.importer.address, true))
      .to.emit(mtrs, "AllocatorApproved")
      .withArgs(pipeId, f.processor.address, f.importer.address, true);

    // The broker links the certificate of origin and allocates pipe tonnage to the line-pipe line.
    await expect(
      shipments
        .connect(f.broker)
        .linkCertificateOfOrigin(shipmentId, recordIdOf(f.chamber.address, origin.contentHash)),
    ).to.emit(shipments, "CertificateOfOriginLinked");
    await expect(shipments.connect(f.broker).linkMillTestReport(shipmentId, pipeId, 0, LINE_KG))
      .to.emit(mtrs, "KilogramsAllocated")
      .withArgs(pipeId, await shipments.consumerOf(shipmentId, 0), LINE_KG, PIPE_KG - LINE_KG);
    expect(await mtrs.remainingKg(pipeId)).to.equal(PIPE_KG - LINE_KG);

    // Reusing the pipe certificate beyond its tonnage is refused on chain.
    await expect(shipments.connect(f.broker).linkMillTestReport(shipmentId, pipeId, 1, PIPE_KG))
      .to.be.revertedWithCustomError(mtrs, "InsufficientKilograms")
      .withArgs(pipeId, PIPE_KG, PIPE_KG - LINE_KG);

    // The carrier departs and arrives.
    await expect(shipments.connect(f.carrier).markDeparted(shipmentId, id("SAILED"), ethers.ZeroHash))
      .to.emit(shipments, "ShipmentStatusChanged")
      .withArgs(shipmentId, Status.Filed, Status.Departed, f.carrier.address, id("SAILED"), ethers.ZeroHash);
    await time.increase(19 * 86_400);
    await expect(shipments.connect(f.carrier).markArrived(shipmentId, id("BERTHED"), ethers.ZeroHash))
      .to.emit(shipments, "ShipmentStatusChanged")
      .withArgs(shipmentId, Status.Departed, Status.Arrived, f.carrier.address, id("BERTHED"), ethers.ZeroHash);

    // CBP holds the cargo and asks for information; release waits for the hold to be lifted.
    const hold = id("AD/CVD A-580-876 scope review");
    const note = ethers.sha256(ethers.toUtf8Bytes("please provide the mill's heat treatment records"));
    await expect(shipments.connect(f.cbp).placeHold(shipmentId, hold, note))
      .to.emit(shipments, "HoldPlaced")
      .withArgs(shipmentId, hold, f.cbp.address, note, 1);
    await expect(shipments.connect(f.cbp).requestInformation(shipmentId, id("RFI-28"), note))
      .to.emit(shipments, "InformationRequested")
      .withArgs(shipmentId, id("RFI-28"), f.cbp.address, note, Status.Arrived);
    await expect(shipments.connect(f.cbp).release(shipmentId, id("RELEASED"), ethers.ZeroHash))
      .to.be.revertedWithCustomError(shipments, "ShipmentOnHold")
      .withArgs(shipmentId, 1);
    await shipments.connect(f.cbp).liftHold(shipmentId, hold, ethers.ZeroHash);
    await expect(shipments.connect(f.cbp).release(shipmentId, id("RELEASED"), ethers.ZeroHash))
      .to.emit(shipments, "ShipmentStatusChanged")
      .withArgs(shipmentId, Status.Arrived, Status.Released, f.cbp.address, id("RELEASED"), ethers.ZeroHash);

    const shipment = await shipments.shipmentOf(shipmentId);
    expect(shipment.status).to.equal(Status.Released);
    expect(shipment.activeHolds).to.equal(0);
    // The mass balance holds across the chain of custody: heat → pipe → shipment line.
    expect(await mtrs.remainingKg(heatId)).to.equal(HEAT_KG - PIPE_INPUT_KG);
    expect(await mtrs.remainingKg(pipeId)).to.equal(PIPE_KG - LINE_KG);
    expect(await mtrs.allocatedKg(pipeId, await shipments.consumerOf(shipmentId, 0))).to.equal(LINE_KG);
  });

  it("refuses a revoked certificate and a party that lost its credential", async function () {
    const f = await loadFixture(importSeason);
    const { actors, mtrs, shipments } = f;
    const heat = mtr("heat-K4480", { totalKg: HEAT_KG, countryOfMeltAndPour: code("KR") });
    await mtrs.connect(f.mill).issue(heat);
    const heatId = recordIdOf(f.mill.address, heat.contentHash);
    await mtrs.connect(f.mill).revoke(heatId, id("chemistry out of spec"));

    const shipmentId = shipmentIdOf(f.importer.address, id("shipment:revoked"));
    const parties = {
      importer: f.importer.address,
      exporter: f.exporter.address,
      manufacturer: f.mill.address,
      carrier: f.carrier.address,
    };
    await shipments.connect(f.importer).fileShipment(id("shipment:revoked"), sampleFiling(parties));
    await expect(shipments.connect(f.importer).linkMillTestReport(shipmentId, heatId, 0, LINE_KG))
      .to.be.revertedWithCustomError(shipments, "DocumentNotUsable")
      .withArgs(await mtrs.getAddress(), heatId);

    // CBP suspends the importer: it can no longer file.
    await actors.connect(f.cbp).suspend(f.importer.address, id("EAPA 7xxx investigation"));
    await expect(shipments.connect(f.importer).fileShipment(id("shipment:after"), sampleFiling(parties)))
      .to.be.revertedWithCustomError(shipments, "ActorNotActive")
      .withArgs(f.importer.address, BusinessRole.Importer);
  });
});

/** Matches any 32-byte hash argument. */
function anyHash(value: unknown): boolean {
  return typeof value === "string" && /^0x[0-9a-f]{64}$/.test(value);
}

/** Matches any argument (a struct whose fields other assertions check). */
function anyValue(): boolean {
  return true;
}
