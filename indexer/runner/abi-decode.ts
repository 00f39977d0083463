/**
 * A fast ABI decoder for event data, compiled once per parameter list: words are read straight out of the
 * bytes into the host's EthValues, without ethers' general coder (its Reader copies, Result proxies and hex
 * round trips were about a sixth of indexing time). It only answers for well-formed data: at any doubt (a
 * value ethers would reject or treat specially, an offset or length out of place, data read twice) it answers
 * `undefined` and the caller falls back to ethers, which gives the value or the error it always gave.
 */
import type { ParamType } from "ethers";
import type { EthValue } from "../wasm/ethvalue";

/** The caller must ask ethers: this decoder does not vouch for the answer. */
export const ASK_ETHERS = undefined;

type Plan =
  | { t: "uint" | "int"; bits: number; dynamic: false }
  | { t: "address" | "bool"; dynamic: false }
  | { t: "fixedBytes"; size: number; dynamic: false }
  | { t: "bytes" | "string"; dynamic: true }
  | { t: "array"; item: Node; length: number; dynamic: boolean }
  | { t: "tuple"; items: Node[]; dynamic: boolean };
/** A plan with the words it takes in its tuple's head. */
type Node = Plan & { words: number };

function headWords(n: Plan): number {
  if (n.dynamic) return 1;
  if (n.t === "tuple") return n.items.reduce((s, x) => s + x.words, 0);
  if (n.t === "array") return n.length * n.item.words;
  return 1;
}

/** The parameter's decoding plan; null for a type this decoder leaves to ethers. */
function planOf(p: ParamType): Node | null {
  const plan = planOnly(p);
  return plan && { ...plan, words: headWords(plan) };
}

function planOnly(p: ParamType): Plan | null {
  if (p.isTuple()) {
    const items = p.components.map(planOf);
    if (items.some((x) => x === null)) return null;
    return { t: "tuple", items: items as Node[], dynamic: items.some((x) => x!.dynamic) };
  }
  if (p.isArray()) {
    const item = planOf(p.arrayChildren);
    if (!item) return null;
    return { t: "array", item, length: p.arrayLength, dynamic: p.arrayLength === -1 || item.dynamic };
  }
  const t = p.baseType;
  if (t === "address" || t === "bool") return { t, dynamic: false };
  if (t === "string" || t === "bytes") return { t, dynamic: true };
  let m = /^bytes([0-9]+)$/.exec(t);
  if (m) return { t: "fixedBytes", size: Number(m[1]), dynamic: false };
  m = /^(u?int)([0-9]+)$/.exec(t);
  if (m) return { t: m[1] as "uint" | "int", bits: Number(m[2]), dynamic: false };
  return null; // function, or anything newer
}

class Bail extends Error {}
const bail = (): never => {
  throw new Bail("left to ethers");
};

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A reader over one decode: positions are absolute; it counts what it reads, as ethers' inflation guard does. */
class Words {
  read = 0;
  constructor(readonly data: Uint8Array) {}

  /** The 32-byte word at `at`, of which `counted` bytes are the value. */
  word(at: number, counted = 32): number {
    if (at < 0 || at + 32 > this.data.length) bail();
    this.read += counted;
    if (this.read > this.data.length) bail();
    return at;
  }

  /** A word that is an offset or a length (ethers' readIndex): small, or ethers must judge it. */
  index(at: number): number {
    const d = this.data;
    this.word(at);
    for (let i = at; i < at + 26; i++) if (d[i] !== 0) bail();
    let v = 0;
    for (let i = at + 26; i < at + 32; i++) v = v * 256 + d[i];
    return v;
  }

  big(at: number): bigint {
    const d = this.data;
    let i = at;
    while (i < at + 32 && d[i] === 0) i++;
    if (i === at + 32) return 0n;
    if (at + 32 - i <= 6) {
      let v = 0;
      for (; i < at + 32; i++) v = v * 256 + d[i];
      return BigInt(v);
    }
    return BigInt("0x" + Buffer.from(d.buffer, d.byteOffset + i, at + 32 - i).toString("hex"));
  }

  /** `length` bytes at `at`, their padding to a whole word within the data (ethers is strict there). */
  bytes(at: number, length: number): Uint8Array {
    const padded = Math.ceil(length / 32) * 32;
    if (at + padded > this.data.length) bail();
    this.read += length;
    if (this.read > this.data.length) bail();
    return this.data.slice(at, at + length);
  }
}

function decodeStatic(r: Words, n: Node, at: number): EthValue {
  const d = r.data;
  switch (n.t) {
    case "uint":
    case "int": {
      r.word(at);
      let v = r.big(at);
      if (n.bits < 256) v &= (1n << BigInt(n.bits)) - 1n;
      if (n.t === "int" && v >= 1n << BigInt(n.bits - 1)) v -= 1n << BigInt(n.bits);
      return { kind: n.t, value: v };
    }
    case "address":
      r.word(at);
      for (let i = at; i < at + 12; i++) if (d[i] !== 0) bail(); // ethers rejects it: let it say so
      return { kind: "address", value: d.slice(at + 12, at + 32) };
    case "bool": {
      r.word(at);
      let nonZero = false;
      for (let i = at; i < at + 32; i++) if (d[i] !== 0) nonZero = true;
      return { kind: "bool", value: nonZero };
    }
    case "fixedBytes":
      if (n.size < 1 || n.size > 32) bail();
      r.word(at, n.size); // ethers counts the value's bytes, not its padding
      return { kind: "fixedBytes", value: d.slice(at, at + n.size) };
    default:
      return bail();
  }
}

/** The value of `n` whose head word (or static body) is at `at`, in a tuple whose data starts at `base`. */
function decodeAt(r: Words, n: Node, at: number, base: number): EthValue {
  if (!n.dynamic) {
    if (n.t === "tuple") return { kind: "tuple", value: decodeSeq(r, n.items, at) };
    if (n.t === "array") return { kind: "fixedArray", value: decodeSeq(r, Array(n.length).fill(n.item), at) };
    return decodeStatic(r, n, at);
  }
  const start = base + r.index(at);
  switch (n.t) {
    case "bytes":
    case "string": {
      const length = r.index(start);
      const bytes = r.bytes(start + 32, length);
      if (n.t === "bytes") return { kind: "bytes", value: bytes };
      let ascii = true;
      for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) ascii = false;
      try {
        const text = ascii
          ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1")
          : utf8.decode(bytes);
        return { kind: "string", value: text };
      } catch {
        return bail();
      }
    }
    case "tuple":
      return { kind: "tuple", value: decodeSeq(r, n.items, start) };
    case "array": {
      if (n.length >= 0) return { kind: "fixedArray", value: decodeSeq(r, Array(n.length).fill(n.item), start) };
      const count = r.index(start);
      if (count * 32 > r.data.length - start) bail();
      return { kind: "array", value: decodeSeq(r, Array(count).fill(n.item), start + 32) };
    }
    default:
      return bail();
  }
}

/** A tuple's (or array's) items whose head starts at `base`. */
function decodeSeq(r: Words, items: Node[], base: number): EthValue[] {
  const out: EthValue[] = [];
  let at = base;
  for (const item of items) {
    out.push(decodeAt(r, item, at, base));
    at += 32 * item.words;
  }
  return out;
}

export interface FastDecoder {
  /** The values of the parameters in `data`, or ASK_ETHERS. */
  (data: Uint8Array): EthValue[] | typeof ASK_ETHERS;
}

/** A decoder for `params` (as ethers' `decode(params, data)`), or null when a type is left to ethers. */
export function compileDecoder(params: readonly ParamType[]): FastDecoder | null {
  const plans = params.map(planOf);
  if (plans.some((p) => p === null)) return null;
  const nodes = plans as Node[];
  return (data) => {
    try {
      return decodeSeq(new Words(data), nodes, 0);
    } catch {
      return ASK_ETHERS; // a Bail, or anything unforeseen: ethers decides
    }
  };
}
