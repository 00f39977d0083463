/**
 * What a registry actually anchored, read from its issue events: the document fields behind a record id (for
 * `verify`, which compares them with the file) and the records a transaction issued (for `submit` and `relay`,
 * which print them). The chain keeps the fields only in the events, and anyone with the role can anchor a content
 * hash with fields of their choosing, so a hash match alone proves nothing about the fields.
 */
import type { Contract, Log, TransactionReceipt } from "ethers";
import { countryBytes2, toMillTestReport } from "./anchor";
import type { CertificateOfOriginRecord } from "./coo";
import type { MappedCredential } from "./documents";
import type { MillTestReportRecord } from "./mtr";

type RegistryName = MappedCredential["registry"];

/** The issue event of each registry and the name of its document struct among the event's arguments. */
const ISSUED: Record<RegistryName, { event: string; documentArg: string }> = {
  MillTestReportRegistry: { event: "MillTestReportIssued", documentArg: "report" },
  CertificateOfOriginRegistry: { event: "CertificateOfOriginIssued", documentArg: "certificate" },
};

/** Anchored document fields, by struct member name. */
export type AnchoredDocument = Record<string, unknown>;

/** The document anchored as `recordId`, from its issue event, or undefined if there is none. */
export async function anchoredDocument(
  registry: Contract,
  name: RegistryName,
  recordId: string,
  fromBlock: number,
): Promise<AnchoredDocument | undefined> {
  const { event, documentArg } = ISSUED[name];
  const logs = await registry.queryFilter(registry.filters[event](recordId), fromBlock);
  const log = logs.find((l) => "args" in l);
  if (log === undefined || !("args" in log)) return undefined;
  return (log.args.getValue(documentArg) as { toObject(): AnchoredDocument }).toObject();
}

/** The fields a record of the file must have on chain (those the file determines). */
function expectedFields(
  name: RegistryName,
  record: MillTestReportRecord | CertificateOfOriginRecord,
): Record<string, unknown> {
  if (name === "MillTestReportRegistry") {
    const { uri: _uri, ...fields } = toMillTestReport(record as MillTestReportRecord, "");
    return fields;
  }
  const coo = record as CertificateOfOriginRecord;
  const fields: Record<string, unknown> = {
    contentHash: coo.contentHash,
    certificateNumber: coo.certificateNumber,
    htsLines: coo.htsLines.map((line) => line.htsNumber),
    expiresAt: coo.expiresAt,
  };
  if (coo.countryOfOrigin !== null) fields.countryOfOrigin = countryBytes2(coo.countryOfOrigin);
  // A USMCA certification has no export date: the submitter chose it, so there is nothing to compare.
  if (coo.exportDate !== null) fields.exportDate = coo.exportDate;
  return fields;
}

/** A field value as messages show it: text quoted, countries as letters, numbers in decimal. */
function show(key: string, value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => show(key, v)).join(", ")}]`;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" && key.startsWith("country") && /^0x[0-9a-f]{4}$/i.test(value)) {
    return Buffer.from(value.slice(2), "hex").toString("latin1");
  }
  return typeof value === "string" && !value.startsWith("0x") ? JSON.stringify(value) : String(value).toLowerCase();
}

/** `key: anchored X, file Y` for every field the file determines that differs on chain. */
export function fieldDifferences(
  name: RegistryName,
  record: MillTestReportRecord | CertificateOfOriginRecord,
  anchored: AnchoredDocument,
): string[] {
  const differences: string[] = [];
  for (const [key, value] of Object.entries(expectedFields(name, record))) {
    const onChain = show(key, anchored[key]);
    const inFile = show(key, value);
    if (onChain !== inFile) differences.push(`${key}: anchored ${onChain}, file ${inFile}`);
  }
  return differences;
}

/** `[recordId, certificateNumber]` of every record that `receipt` shows `registry` issuing. */
export function issuedInReceipt(
  registry: Contract,
  name: RegistryName,
  receipt: TransactionReceipt,
): [string, string][] {
  const { event, documentArg } = ISSUED[name];
  const issued: [string, string][] = [];
  const address = String(registry.target).toLowerCase();
  for (const log of receipt.logs as readonly Log[]) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = registry.interface.parseLog(log);
    if (parsed?.name !== event) continue;
    const document = parsed.args.getValue(documentArg) as { certificateNumber: string };
    issued.push([parsed.args.getValue("recordId") as string, document.certificateNumber]);
  }
  return issued;
}
