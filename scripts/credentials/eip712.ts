/**
 * The EIP-712 types of the document registries, named and ordered as the contracts hash them
 * (contracts/documents/*Registry.sol). Shared by the command-line tool, the web app, the tests and the gas benchmark;
 * each document kind names its own in `kinds.ts`.
 */
import type { TypedDataField } from "ethers";

/** `IMillTestReportRegistry.MillTestReport`. */
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

/** `ICertificateOfOriginRegistry.CertificateOfOrigin`. */
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

export const MTR_EIP712: DocumentTypes = {
  struct: "MillTestReport",
  fields: MTR_FIELDS,
  single: "report",
  batch: "reports",
};

export const COO_EIP712: DocumentTypes = {
  struct: "CertificateOfOrigin",
  fields: COO_FIELDS,
  single: "certificate",
  batch: "certificates",
};

/** `Issue<Struct>(<Struct> <single>,uint256 nonce,uint256 deadline)`. */
export function issueTypes(t: DocumentTypes): Record<string, TypedDataField[]> {
  return { [`Issue${t.struct}`]: [{ name: t.single, type: t.struct }, ...NONCE_DEADLINE], [t.struct]: t.fields };
}

/** `Issue<Struct>Batch(<Struct>[] <batch>,uint256 nonce,uint256 deadline)`. */
export function batchTypes(t: DocumentTypes): Record<string, TypedDataField[]> {
  return {
    [`Issue${t.struct}Batch`]: [{ name: t.batch, type: `${t.struct}[]` }, ...NONCE_DEADLINE],
    [t.struct]: t.fields,
  };
}

/** `Supersede<Struct>(bytes32 recordId,<Struct> correction,uint256 nonce,uint256 deadline)`. */
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

/** EIP-712 domain names, as the registries initialise them (version "1"). */
export const MTR_DOMAIN = "TradeTrace MillTestReportRegistry";
export const COO_DOMAIN = "TradeTrace CertificateOfOriginRegistry";
