/**
 * Mill test reports and certificates of origin as the registries take them: shared by the season of
 * `npm start` and the tests (test/helpers/documents.ts re-exports them).
 */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { TypedDataField } from "ethers";
import type { ICertificateOfOriginRegistry } from "../../typechain-types/contracts/documents/CertificateOfOriginRegistry";
import type { IMillTestReportRegistry } from "../../typechain-types/contracts/documents/MillTestReportRegistry";
import { packChemistryPercent, packMechanics, HARDNESS_SCALES } from "../credentials/steelCodec";
import { country } from "./actors";

export { recordIdOf } from "../lib/record-id";

export type MillTestReport = IMillTestReportRegistry.MillTestReportStruct;
export type CertificateOfOrigin = ICertificateOfOriginRegistry.CertificateOfOriginStruct;

/** A pseudo content hash for synthetic records. */
export const hashOf = (label: string): string => ethers.sha256(ethers.toUtf8Bytes(label));

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

/** EIP-712 types of `approveAllocatorBySig` (both document registries): a record's holder approves an allocator. */
export const APPROVE_ALLOCATOR_TYPES = {
  ApproveAllocator: [
    { name: "recordId", type: "bytes32" },
    { name: "party", type: "address" },
    { name: "approved", type: "bool" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

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
