import { ethers, upgrades } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TypedDataField } from "ethers";
import type { CertificateOfOriginRegistry, MillTestReportRegistry, MockActorRegistry } from "../../typechain-types";
import type { ICertificateOfOriginRegistry } from "../../typechain-types/contracts/documents/CertificateOfOriginRegistry";
import type { IMillTestReportRegistry } from "../../typechain-types/contracts/documents/MillTestReportRegistry";
import { Roles } from "./roles";
import { packChemistryPercent, packMechanics, HARDNESS_SCALES } from "./steelCodec";

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

export const MTR_FIELDS: TypedDataField[] = [
  { name: "contentHash", type: "bytes32" },
  { name: "certificateNumber", type: "string" },
  { name: "heatNumber", type: "string" },
  { name: "productStandard", type: "string" },
  { name: "grade", type: "string" },
  { name: "countryOfMeltAndPour", type: "bytes2" },
  { name: "countryOfManufacture", type: "bytes2" },
  { name: "chemistry", type: "uint256[2]" },
  { name: "mechanics", type: "uint256" },
  { name: "totalKg", type: "uint96" },
  { name: "expiresAt", type: "uint64" },
  { name: "uri", type: "string" },
];

export const COO_FIELDS: TypedDataField[] = [
  { name: "contentHash", type: "bytes32" },
  { name: "certificateNumber", type: "string" },
  { name: "exporter", type: "address" },
  { name: "importer", type: "address" },
  { name: "countryOfOrigin", type: "bytes2" },
  { name: "htsLines", type: "uint64[]" },
  { name: "exportDate", type: "uint64" },
  { name: "expiresAt", type: "uint64" },
  { name: "uri", type: "string" },
];

const NONCE_DEADLINE: TypedDataField[] = [
  { name: "nonce", type: "uint256" },
  { name: "deadline", type: "uint256" },
];

export const DERIVE_TYPES: Record<string, TypedDataField[]> = {
  DeriveProduct: [
    { name: "product", type: "MillTestReport" },
    { name: "inputs", type: "LineageInput[]" },
    ...NONCE_DEADLINE,
  ],
  LineageInput: [
    { name: "recordId", type: "bytes32" },
    { name: "kg", type: "uint96" },
  ],
  MillTestReport: MTR_FIELDS,
};

/** The EIP-712 types of one document kind, named as the contract names them. */
export interface DocumentTypes {
  struct: string;
  fields: TypedDataField[];
  /** Field name of the payload in the single-issue wrapper ("report" / "certificate"). */
  single: string;
  /** Field name of the payload array in the batch wrapper ("reports" / "certificates"). */
  batch: string;
}

export const MTR_TYPES: DocumentTypes = {
  struct: "MillTestReport",
  fields: MTR_FIELDS,
  single: "report",
  batch: "reports",
};
export const COO_TYPES: DocumentTypes = {
  struct: "CertificateOfOrigin",
  fields: COO_FIELDS,
  single: "certificate",
  batch: "certificates",
};

export function issueTypes(t: DocumentTypes): Record<string, TypedDataField[]> {
  return { [`Issue${t.struct}`]: [{ name: t.single, type: t.struct }, ...NONCE_DEADLINE], [t.struct]: t.fields };
}

export function batchTypes(t: DocumentTypes): Record<string, TypedDataField[]> {
  return {
    [`Issue${t.struct}Batch`]: [{ name: t.batch, type: `${t.struct}[]` }, ...NONCE_DEADLINE],
    [t.struct]: t.fields,
  };
}

export function supersedeTypes(t: DocumentTypes): Record<string, TypedDataField[]> {
  return {
    [`Supersede${t.struct}`]: [
      { name: "recordId", type: "bytes32" },
      { name: "correction", type: t.struct },
      ...NONCE_DEADLINE,
    ],
    [t.struct]: t.fields,
  };
}

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

export const MTR_DOMAIN = "TradeTrace MillTestReportRegistry";
export const COO_DOMAIN = "TradeTrace CertificateOfOriginRegistry";

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
