import { ethers, upgrades } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TypedDataField } from "ethers";
import type { CertificateOfOriginRegistry, MillTestReportRegistry, MockActorRegistry } from "../../typechain-types";
import type { ICertificateOfOriginRegistry } from "../../typechain-types/contracts/documents/CertificateOfOriginRegistry";
import type { IMillTestReportRegistry } from "../../typechain-types/contracts/documents/MillTestReportRegistry";
import { Roles } from "./roles";
import { packChemistryPercent, packMechanics, HARDNESS_SCALES } from "../../scripts/credentials/steelCodec";

export type MillTestReport = IMillTestReportRegistry.MillTestReportStruct;
export type LineageInput = IMillTestReportRegistry.LineageInputStruct;
export type CertificateOfOrigin = ICertificateOfOriginRegistry.CertificateOfOriginStruct;

/** Status enum of IDocumentRegistry. */
export const Status = { None: 0n, Active: 1n, Revoked: 2n, Superseded: 3n } as const;

export const ALLOCATOR_ROLE = ethers.id("ALLOCATOR_ROLE");
export const REGISTRAR_ROLE = ethers.id("REGISTRAR_ROLE");

/** A bytes2 country code. */
export const country = (code: string): string => ethers.hexlify(ethers.toUtf8Bytes(code));

/** A pseudo content hash for synthetic records. */
export const hashOf = (label: string): string => ethers.sha256(ethers.toUtf8Bytes(label));

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

/** Signs EIP-712 `types` for `registry` (domain name as the registry initialises it). */
export async function signFor(
  signer: HardhatEthersSigner,
  registry: { getAddress(): Promise<string> },
  name: string,
  types: Record<string, TypedDataField[]>,
  value: Record<string, unknown>,
): Promise<string> {
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name, version: "1", chainId, verifyingContract: await registry.getAddress() };
  return signer.signTypedData(domain, types, value);
}

// ---------------------------------------------------------------- payloads

/** Chemistry and mechanics of the W3C example MTR (316 plate), packed. */
export const EXAMPLE_CHEMISTRY = packChemistryPercent({
  c: 0.0189, mn: 1.568, p: 0.035, s: 0.0128, si: 0.312, al: 0.004, cu: 0.4208, ni: 8.286, cr: 16.558, mo: 2.03,
  sn: 0.007, nbCb: 0, v: 0.004, ti: 0.003, b: 0.0014, n: 0.0074, ca: 0.0018, pb: 0.001, ce: 0.3882,
}); // prettier-ignore
export const EXAMPLE_MECHANICS = packMechanics({
  yieldStrength: 64871,
  tensileStrength: 36722,
  elongation: 3200,
  reductionOfArea: 4000,
  charpy: 355,
  hardness: 8600,
  hardnessScale: HARDNESS_SCALES.HRB,
});

/** A mill test report with realistic field sizes; `label` makes content hash and certificate number unique. */
export function mtr(label: string, overrides: Partial<MillTestReport> = {}): MillTestReport {
  return {
    contentHash: hashOf(`mtr:${label}`),
    certificateNumber: `MTR-2026-${label}`,
    heatNumber: `H${label}`,
    productStandard: "API 5L",
    grade: "X52",
    countryOfMeltAndPour: country("US"),
    countryOfManufacture: country("US"),
    chemistry: EXAMPLE_CHEMISTRY,
    mechanics: EXAMPLE_MECHANICS,
    totalKg: 289_600n,
    expiresAt: 0n,
    uri: `ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/${label}`,
    ...overrides,
  };
}

/** A certificate of origin; `label` makes content hash and certificate number unique. */
export function coo(label: string, exporter: string, importer: string, overrides: Partial<CertificateOfOrigin> = {}) {
  const certificate: CertificateOfOrigin = {
    contentHash: hashOf(`coo:${label}`),
    certificateNumber: `COO-2026-${label}`,
    exporter,
    importer,
    countryOfOrigin: country("IT"),
    htsLines: [7304191020n, 7208510030n],
    exportDate: 1_767_225_600n,
    expiresAt: 0n,
    uri: `ipfs://bafybeih5mz3x6o2pl4kmr7xw3p3y5ewcytc3k6xf4j2z7aqd7x2b5v6u4e/${label}`,
    ...overrides,
  };
  return certificate;
}

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
