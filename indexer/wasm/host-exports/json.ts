/** `json.*`: parsing mapping-supplied bytes as JSON and reading JSON numbers as graph-node does. */
import { checkBigIntSize } from "../bigint";
import { DeterministicError } from "../errors";
import { jsonInteger, parseJson, type JsonValue } from "../json";

const MAX_JSON_BYTES = 10_000_000;

function parseJsonBytes(data: Uint8Array): JsonValue {
  return parseJson(new TextDecoder("utf-8", { fatal: true }).decode(data));
}

/** `json.fromBytes`: a parse failure fails the handler. */
export function jsonFromBytes(data: Uint8Array): JsonValue {
  if (data.length > MAX_JSON_BYTES) throw new DeterministicError("JSON input exceeds 10000000 bytes");
  try {
    return parseJsonBytes(data);
  } catch (e) {
    throw new DeterministicError(`Failed to parse JSON: ${(e as Error).message}`);
  }
}

/** `json.try_fromBytes`: null where `fromBytes` would fail. */
export function jsonTryFromBytes(data: Uint8Array): JsonValue | null {
  try {
    if (data.length > MAX_JSON_BYTES) throw new Error("too large");
    return parseJsonBytes(data);
  } catch {
    return null;
  }
}

export function jsonToI64(text: string): bigint {
  const v = jsonInteger(text);
  if (BigInt.asIntN(64, v) !== v) throw new DeterministicError(`JSON number \`${v}\` does not fit i64`);
  return v;
}

/** A u64 handed to WASM as the i64 of the same bits. */
export function jsonToU64(text: string): bigint {
  const v = jsonInteger(text);
  if (BigInt.asUintN(64, v) !== v) throw new DeterministicError(`JSON number \`${v}\` does not fit u64`);
  return BigInt.asIntN(64, v);
}

export function jsonToF64(text: string): number {
  if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text)) {
    throw new DeterministicError(`JSON number \`${text}\` is not a number`);
  }
  return Number(text);
}

export function jsonToBigInt(text: string): bigint {
  return checkBigIntSize(jsonInteger(text));
}
