import { ethers, upgrades } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { MockActorRegistry, MockDocumentRegistry, ShipmentRegistry } from "../../typechain-types";
import { Roles } from "./roles";
import { id, shipmentIdOf, type Filing } from "../../scripts/season/shipments";

export { code, id, shipmentIdOf, type Filing, type Line } from "../../scripts/season/shipments";

/** Business role bits, shared with the document tests. */
export { Roles };

/** IShipmentRegistry.Status */
export const Status = { None: 0, Filed: 1, Departed: 2, Arrived: 3, Released: 4, Refused: 5 } as const;
/** IDocumentRegistry.Status */
export const DocStatus = { None: 0, Active: 1, Revoked: 2, Superseded: 3 } as const;
/** IShipmentRegistry.WatchStatus */
export const WatchStatus = { None: 0, Active: 1, Retired: 2 } as const;

export { AMEND_SHIPMENT_TYPES, FILE_SHIPMENT_TYPES, FILING_TYPES } from "../../scripts/lib/shipment-eip712";
import { AMEND_SHIPMENT_TYPES, FILING_TYPES } from "../../scripts/lib/shipment-eip712";
export { domainOf, sampleFiling, signFiling, type ShipmentParties } from "../../scripts/season/filings";
import { domainOf, sampleFiling, type ShipmentParties } from "../../scripts/season/filings";

/** The EIP-712 struct hash of a filing, computed off chain (what the registry stores per version). */
export function filingHash(filing: Filing): string {
  return ethers.TypedDataEncoder.from(FILING_TYPES).hash(filing);
}

export async function signAmendment(
  registry: ShipmentRegistry,
  signer: HardhatEthersSigner,
  shipmentId: string,
  filing: Filing,
  amender: string,
  deadline: bigint,
): Promise<string> {
  const value = { shipmentId, filing, amender, nonce: await registry.nonces(amender), deadline };
  return signer.signTypedData(await domainOf(registry), AMEND_SHIPMENT_TYPES, value);
}

export async function deployShipmentRegistry() {
  const [admin, cbp, importer, broker, exporter, manufacturer, carrier, relayer, outsider, importer2, carrier2] =
    await ethers.getSigners();

  const actors = (await (await ethers.getContractFactory("MockActorRegistry")).deploy()) as MockActorRegistry;
  const docFactory = await ethers.getContractFactory("MockDocumentRegistry");
  const coo = (await docFactory.deploy(admin.address)) as MockDocumentRegistry;
  const mtr = (await docFactory.deploy(admin.address)) as MockDocumentRegistry;

  const factory = await ethers.getContractFactory("ShipmentRegistry");
  const registry = (await upgrades.deployProxy(
    factory,
    [admin.address, await actors.getAddress(), await coo.getAddress(), await mtr.getAddress()],
    { kind: "uups" },
  )) as unknown as ShipmentRegistry;
  await registry.waitForDeployment();

  await registry.connect(admin).grantRole(await registry.CBP_ROLE(), cbp.address);
  await mtr.connect(admin).grantRole(await mtr.ALLOCATOR_ROLE(), await registry.getAddress());

  await actors.setActive(importer.address, Roles.IMPORTER);
  await actors.setActive(importer2.address, Roles.IMPORTER);
  await actors.setActive(broker.address, Roles.CUSTOMS_BROKER);
  await actors.setActive(exporter.address, Roles.EXPORTER);
  await actors.setActive(manufacturer.address, Roles.MILL);
  await actors.setActive(carrier.address, Roles.CARRIER);
  await actors.setActive(carrier2.address, Roles.CARRIER);
  await registry.connect(importer).setBrokerAuthorization(broker.address, true);

  const parties: ShipmentParties = {
    importer: importer.address,
    exporter: exporter.address,
    manufacturer: manufacturer.address,
    carrier: carrier.address,
  };

  return {
    registry,
    actors,
    coo,
    mtr,
    parties,
    admin,
    cbp,
    importer,
    broker,
    exporter,
    manufacturer,
    carrier,
    relayer,
    outsider,
    importer2,
    carrier2,
  };
}

/**
 * The registry fixture with one shipment filed by the broker (reference "shipment-1") and documents ready to link:
 * the reports' holder approved the importer, so every party of its shipments may link them (R1).
 */
export async function deployWithShipment() {
  const f = await deployShipmentRegistry();
  const reference = id("shipment-1");
  const shipmentId = shipmentIdOf(f.importer.address, reference);
  const filing = sampleFiling(f.parties);
  await f.registry.connect(f.broker).fileShipment(reference, filing);

  const cooId = id("coo-1");
  const mtrId = id("mtr-1");
  const mtr2Id = id("mtr-2");
  await f.coo.setRecord(cooId, 0, DocStatus.Active, 0);
  await f.mtr.setRecord(mtrId, 0, DocStatus.Active, 30_000);
  await f.mtr.setRecord(mtr2Id, 0, DocStatus.Active, 5_000);
  await f.mtr.setAllocator(mtrId, f.importer.address, true);
  await f.mtr.setAllocator(mtr2Id, f.importer.address, true);
  return { ...f, reference, shipmentId, filing, cooId, mtrId, mtr2Id };
}
