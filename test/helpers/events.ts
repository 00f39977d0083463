import { Result, type BaseContract, type ContractTransactionResponse, type LogDescription } from "ethers";

/** The decoded logs named `name` that `contract` emitted in the transaction. */
export async function eventsOf(
  tx: ContractTransactionResponse | Promise<ContractTransactionResponse>,
  contract: BaseContract,
  name: string,
): Promise<LogDescription[]> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  const address = (await contract.getAddress()).toLowerCase();
  const out: LogDescription[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = contract.interface.parseLog(log);
    if (parsed?.name === name) out.push(parsed);
  }
  return out;
}

/** Converts a decoded ethers Result struct into plain values keyed by field name (nested arrays stay arrays). */
export function plain(value: unknown): unknown {
  if (!(value instanceof Result)) return value;
  let obj: Record<string, unknown> | undefined;
  try {
    obj = value.toObject();
  } catch {
    obj = undefined;
  }
  const keys = obj ? Object.keys(obj) : [];
  // Arrays (and empty results) decode without usable field names.
  if (!obj || value.length === 0 || keys.length !== value.length || keys.some((k) => k === "_" || k === "")) {
    return value.map(plain);
  }
  return Object.fromEntries(keys.map((k) => [k, plain(obj[k])]));
}

/** Normalises a payload as it was sent (numbers to bigint, nested arrays too) for deep comparison. */
export function normalise(value: unknown): unknown {
  if (typeof value === "number") return BigInt(value);
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}
