/**
 * What a registry actually anchored, read from its issue events: the document fields behind a record id (for
 * `verify`, which compares them with the file) and the records a transaction issued (for `submit` and `relay`,
 * which print them). The chain keeps the fields only in the events, and anyone with the role can anchor a content
 * hash with fields of their choosing, so a hash match alone proves nothing about the fields.
 */
import type { Contract, Log, TransactionReceipt } from "ethers";
import { kindOfRegistry, type MappedRecord, type RegistryName } from "./kinds";

/** Anchored document fields, by struct member name. */
export type AnchoredDocument = Record<string, unknown>;

/** The document anchored as `recordId`, from its issue event, or undefined if there is none. */
export async function anchoredDocument(
  registry: Contract,
  name: RegistryName,
  recordId: string,
  fromBlock: number,
): Promise<AnchoredDocument | undefined> {
  const { issuedEvent, eip712 } = kindOfRegistry(name);
  const logs = await registry.queryFilter(registry.filters[issuedEvent](recordId), fromBlock);
  const log = logs.find((l) => "args" in l);
  if (log === undefined || !("args" in log)) return undefined;
  return (log.args.getValue(eip712.single) as { toObject(): AnchoredDocument }).toObject();
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
export function fieldDifferences(name: RegistryName, record: MappedRecord, anchored: AnchoredDocument): string[] {
  const differences: string[] = [];
  for (const [key, value] of Object.entries(kindOfRegistry(name).expectedFields(record))) {
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
  const { issuedEvent, eip712 } = kindOfRegistry(name);
  const issued: [string, string][] = [];
  const address = String(registry.target).toLowerCase();
  for (const log of receipt.logs as readonly Log[]) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = registry.interface.parseLog(log);
    if (parsed?.name !== issuedEvent) continue;
    const document = parsed.args.getValue(eip712.single) as { certificateNumber: string };
    issued.push([parsed.args.getValue("recordId") as string, document.certificateNumber]);
  }
  return issued;
}
