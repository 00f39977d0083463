/**
 * ethereum.Value as the host sees it, with conversions to and from ethers' ABI coder. Kinds follow
 * graph-node's EthereumValueKind (Address=0 ... Tuple=9, Function=10).
 */
import { AbiCoder, ParamType, getBytes, hexlify } from "ethers";

export type EthValue =
  | { kind: "address"; value: Uint8Array }
  | { kind: "fixedBytes"; value: Uint8Array }
  | { kind: "bytes"; value: Uint8Array }
  | { kind: "int"; value: bigint }
  | { kind: "uint"; value: bigint }
  | { kind: "bool"; value: boolean }
  | { kind: "string"; value: string }
  | { kind: "fixedArray"; value: EthValue[] }
  | { kind: "array"; value: EthValue[] }
  | { kind: "tuple"; value: EthValue[] }
  | { kind: "function"; value: Uint8Array };

export const ETH_KIND: Record<EthValue["kind"], number> = {
  address: 0,
  fixedBytes: 1,
  bytes: 2,
  int: 3,
  uint: 4,
  bool: 5,
  string: 6,
  fixedArray: 7,
  array: 8,
  tuple: 9,
  function: 10,
};

const coder = AbiCoder.defaultAbiCoder();

/** True for types whose indexed value is only its keccak hash in the topic. */
export function isDynamicIndexed(p: ParamType): boolean {
  return p.isArray() || p.isTuple() || p.baseType === "string" || p.baseType === "bytes";
}

/** A decoded ethers value, shaped by its ParamType, to an EthValue. */
export function fromEthers(p: ParamType, v: unknown): EthValue {
  if (p.isTuple()) {
    const items = v as unknown[];
    return { kind: "tuple", value: p.components.map((c, i) => fromEthers(c, items[i])) };
  }
  if (p.isArray()) {
    const items = v as unknown[];
    const value = items.map((x) => fromEthers(p.arrayChildren, x));
    return { kind: p.arrayLength === -1 ? "array" : "fixedArray", value };
  }
  const t = p.baseType;
  if (t === "address") return { kind: "address", value: getBytes(v as string) };
  if (t === "bool") return { kind: "bool", value: v as boolean };
  if (t === "string") return { kind: "string", value: v as string };
  if (t === "bytes") return { kind: "bytes", value: getBytes(v as string) };
  if (t.startsWith("bytes")) return { kind: "fixedBytes", value: getBytes(v as string) };
  if (t.startsWith("uint")) return { kind: "uint", value: v as bigint };
  if (t.startsWith("int")) return { kind: "int", value: v as bigint };
  if (t === "function") return { kind: "function", value: getBytes(v as string) };
  throw new Error(`unsupported ABI type ${p.format()}`);
}

/** The ABI type an EthValue encodes as (int/uint widen to 256 bits, which encodes identically). */
export function abiType(v: EthValue): string {
  switch (v.kind) {
    case "address":
    case "bool":
    case "string":
    case "bytes":
      return v.kind;
    case "fixedBytes":
      return `bytes${v.value.length}`;
    case "function":
      return "bytes24";
    case "int":
      return "int256";
    case "uint":
      return "uint256";
    case "fixedArray":
      return `${v.value.length ? abiType(v.value[0]) : "uint256"}[${v.value.length}]`;
    case "array":
      return `${v.value.length ? abiType(v.value[0]) : "uint256"}[]`;
    case "tuple":
      return `(${v.value.map(abiType).join(",")})`;
  }
}

/** The value ethers expects for `abiType(v)`. */
export function toEthers(v: EthValue): unknown {
  switch (v.kind) {
    case "address":
    case "fixedBytes":
    case "bytes":
    case "function":
      return hexlify(v.value);
    case "int":
    case "uint":
    case "bool":
    case "string":
      return v.value;
    case "fixedArray":
    case "array":
    case "tuple":
      return v.value.map(toEthers);
  }
}

/** ethereum.encode: the ABI encoding of one value (a tuple encodes as its fields). */
export function encodeValue(v: EthValue): Uint8Array {
  return getBytes(coder.encode([abiType(v)], [toEthers(v)]));
}

/** ethereum.decode: one type (a tuple type gives a Tuple). */
export function decodeValue(types: string, data: Uint8Array): EthValue {
  const p = ParamType.from(types);
  const [v] = coder.decode([p], data);
  return fromEthers(p, v);
}

/** Checks graph-node applies when reading values back from wasm. */
export function checkEthValue(v: EthValue): void {
  if (v.kind === "address" && v.value.length !== 20) throw new Error("address must be 20 bytes");
  if (v.kind === "int" && (v.value < -(2n ** 255n) || v.value >= 2n ** 255n)) throw new Error("int exceeds int256");
  if (v.kind === "uint" && (v.value < 0n || v.value >= 2n ** 256n)) throw new Error("uint outside uint256");
  if (v.kind === "fixedBytes" && (v.value.length < 1 || v.value.length > 32)) throw new Error("bad fixed bytes");
}
