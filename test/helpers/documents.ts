import { ethers, upgrades } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { CertificateOfOriginRegistry, MillTestReportRegistry, MockActorRegistry } from "../../typechain-types";
import type { IMillTestReportRegistry } from "../../typechain-types/contracts/documents/MillTestReportRegistry";
import { Roles } from "./roles";
export { recordIdOf } from "../../scripts/lib/record-id";
export {
  APPROVE_ALLOCATOR_TYPES,
  hashOf,
  mtr,
  signFor,
  coo,
  EXAMPLE_CHEMISTRY,
  EXAMPLE_MECHANICS,
  type MillTestReport,
  type CertificateOfOrigin,
} from "../../scripts/season/documents";

export type LineageInput = IMillTestReportRegistry.LineageInputStruct;

/** Status enum of IDocumentRegistry. */
export const Status = { None: 0n, Active: 1n, Revoked: 2n, Superseded: 3n } as const;

export const ALLOCATOR_ROLE = ethers.id("ALLOCATOR_ROLE");
export const CBP_ROLE = ethers.id("CBP_ROLE");

/** A bytes2 country code. */
export const country = (code: string): string => ethers.hexlify(ethers.toUtf8Bytes(code));

// ---------------------------------------------------------------- EIP-712 types

export {
  MTR_FIELDS,
  COO_FIELDS,
  DERIVE_TYPES,
  MTR_EIP712 as MTR_TYPES,
  COO_EIP712 as COO_TYPES,
  issueTypes,
  batchTypes,
  supersedeTypes,
  MTR_DOMAIN,
  COO_DOMAIN,
  type DocumentTypes,
} from "../../scripts/credentials/eip712";

// ---------------------------------------------------------------- deployment

export interface DocumentsFixture {
  actors: MockActorRegistry;
  mtrRegistry: MillTestReportRegistry;
  cooRegistry: CertificateOfOriginRegistry;
  admin: HardhatEthersSigner;
  mill: HardhatEthersSigner;
  mill2: HardhatEthersSigner;
  processor: HardhatEthersSigner;
  certifier: HardhatEthersSigner;
  exporter: HardhatEthersSigner;
  importer: HardhatEthersSigner;
  allocator: HardhatEthersSigner;
  relayer: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
}

/** Deploys the mock actor registry and both document registries behind UUPS proxies, with actors set up. */
export async function deployDocuments(): Promise<DocumentsFixture> {
  const [admin, mill, mill2, processor, certifier, exporter, importer, allocator, relayer, outsider] =
    await ethers.getSigners();
  const actors = await ethers.deployContract("MockActorRegistry");
  await actors.setActive(mill.address, Roles.MILL);
  await actors.setActive(mill2.address, Roles.MILL);
  await actors.setActive(processor.address, Roles.PROCESSOR);
  await actors.setActive(certifier.address, Roles.CERTIFIER);
  await actors.setActive(exporter.address, Roles.EXPORTER);
  await actors.setActive(importer.address, Roles.IMPORTER);
  const actorsAddress = await actors.getAddress();
  const mtrRegistry = (await upgrades.deployProxy(
    await ethers.getContractFactory("MillTestReportRegistry"),
    [admin.address, actorsAddress],
    { kind: "uups" },
  )) as unknown as MillTestReportRegistry;
  const cooRegistry = (await upgrades.deployProxy(
    await ethers.getContractFactory("CertificateOfOriginRegistry"),
    [admin.address, actorsAddress],
    { kind: "uups" },
  )) as unknown as CertificateOfOriginRegistry;
  await mtrRegistry.grantRole(ALLOCATOR_ROLE, allocator.address);
  await cooRegistry.grantRole(ALLOCATOR_ROLE, allocator.address);
  return {
    actors,
    mtrRegistry,
    cooRegistry,
    admin,
    mill,
    mill2,
    processor,
    certifier,
    exporter,
    importer,
    allocator,
    relayer,
    outsider,
  };
}
