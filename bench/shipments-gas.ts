/**
 * Gas of the ShipmentRegistry's main operations on the Hardhat network (optimizer 200, cancun), with the mock
 * actor and document registries standing in for the real ones:
 *   npx hardhat run bench/shipments-gas.ts
 */
import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { deployWithShipment, id, sampleFiling, signFiling } from "../test/helpers/shipments";

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
}

async function main() {
  const f = await deployWithShipment();
  const { registry, importer, broker, relayer, carrier, cbp, parties, shipmentId, mtrId, cooId } = f;
  const rows: [string, bigint][] = [];
  const filing = sampleFiling(parties);

  rows.push([
    "fileShipment, 3 lines, by the importer",
    await gasOf(registry.connect(importer).fileShipment(id("g1"), filing)),
  ]);
  rows.push([
    "fileShipment, 3 lines, by its broker",
    await gasOf(registry.connect(broker).fileShipment(id("g2"), filing)),
  ]);
  const block = await ethers.provider.getBlock("latest");
  const deadline = BigInt(block!.timestamp) + 3600n;
  const sig = await signFiling(registry, broker, id("g3"), filing, broker.address, deadline);
  rows.push([
    "fileShipmentBySig, 3 lines, broker signs, relayer sends",
    await gasOf(registry.connect(relayer).fileShipmentBySig(id("g3"), filing, broker.address, deadline, sig)),
  ]);
  rows.push([
    "amendShipment, 3 lines",
    await gasOf(registry.connect(importer).amendShipment(shipmentId, { ...filing, entryNumber: "ABC-0000001-1" })),
  ]);
  rows.push([
    "linkMillTestReport (first allocation from the record)",
    await gasOf(registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 12_000)),
  ]);
  rows.push([
    "linkMillTestReport (record already drawn on)",
    await gasOf(registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 1, 8_500)),
  ]);
  rows.push([
    "unlinkMillTestReport",
    await gasOf(registry.connect(importer).unlinkMillTestReport(shipmentId, mtrId, 1)),
  ]);
  rows.push([
    "linkCertificateOfOrigin",
    await gasOf(registry.connect(importer).linkCertificateOfOrigin(shipmentId, cooId)),
  ]);
  rows.push([
    "markDeparted (status change, carrier)",
    await gasOf(registry.connect(carrier).markDeparted(shipmentId, id("SAILED"), id("note"))),
  ]);
  rows.push([
    "markArrived (status change, CBP)",
    await gasOf(registry.connect(cbp).markArrived(shipmentId, id("ARRIVED"), id("note"))),
  ]);
  rows.push(["placeHold", await gasOf(registry.connect(cbp).placeHold(shipmentId, id("HOLD"), id("note")))]);
  rows.push(["liftHold", await gasOf(registry.connect(cbp).liftHold(shipmentId, id("HOLD"), id("note")))]);
  rows.push([
    "release (status change, CBP)",
    await gasOf(registry.connect(cbp).release(shipmentId, id("CLEARED"), id("note"))),
  ]);

  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, gas] of rows) console.log(`${name.padEnd(width)}  ${gas.toString().padStart(8)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
