import { expect } from "chai";
import { artifacts } from "hardhat";
import { AbiCoder, EventFragment, Interface, ParamType, hexlify, zeroPadValue } from "ethers";
import { compileDecoder } from "../../../indexer/runner/abi-decode";
import { decodeEventParams, decodeEventParamsWithEthers } from "../../../indexer/runner/event-params";
import type { RpcLog } from "../../../indexer/chain/types";
import type { EventHandlerSpec } from "../../../indexer/manifest";
import { fromEthers } from "../../../indexer/wasm/ethvalue";

const coder = AbiCoder.defaultAbiCoder();
const REGISTRIES = ["ActorRegistry", "CertificateOfOriginRegistry", "MillTestReportRegistry", "ShipmentRegistry"];

/** A deterministic generator (mulberry32), so that a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STRINGS = ["", "a", "Steel Mill GmbH", "héllo wörld", "\uFEFFbom first", "日本製鉄", "😀 emoji", "x".repeat(95)];

/** A random value of type `p` for ethers' encoder, edge values (zero, extremes, empty) included. */
function valueOf(p: ParamType, rnd: () => number): unknown {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  const randBytes = (n: number): string =>
    hexlify(Uint8Array.from({ length: n }, () => (rnd() < 0.3 ? 0 : Math.floor(rnd() * 256))));
  if (p.isTuple()) return p.components.map((c) => valueOf(c, rnd));
  if (p.isArray()) {
    const n = p.arrayLength >= 0 ? p.arrayLength : Math.floor(rnd() * 4);
    return Array.from({ length: n }, () => valueOf(p.arrayChildren, rnd));
  }
  const t = p.baseType;
  if (t === "address") return pick(["0x" + "00".repeat(20), "0x" + "ff".repeat(20), randBytes(20)]);
  if (t === "bool") return rnd() < 0.5;
  if (t === "string") return pick(STRINGS);
  if (t === "bytes") return randBytes(pick([0, 1, 31, 32, 33, 70]));
  const fixed = /^bytes([0-9]+)$/.exec(t);
  if (fixed) return randBytes(Number(fixed[1]));
  const bits = BigInt(/[0-9]+$/.exec(t)![0]);
  const random = BigInt(randBytes(Number(bits) / 8));
  if (t.startsWith("uint")) return pick([0n, 1n, 2n ** bits - 1n, random]);
  return pick([0n, -1n, -(2n ** (bits - 1n)), 2n ** (bits - 1n) - 1n, random - 2n ** (bits - 1n)]);
}

const handlerOf = (fragment: EventFragment): EventHandlerSpec => ({ fragment }) as unknown as EventHandlerSpec;

function logOf(topics: string[], data: string): RpcLog {
  const z = "0x" + "00".repeat(32);
  return {
    address: "0x" + "11".repeat(20),
    topics,
    data,
    blockHash: z,
    blockNumber: "0x1",
    transactionHash: z,
    transactionIndex: "0x0",
    logIndex: "0x0",
  };
}

/** Every event of the registries' ABIs (the manifest's handlers are a subset). */
function registryEvents(): EventFragment[] {
  const out: EventFragment[] = [];
  for (const name of REGISTRIES) {
    const iface = new Interface(artifacts.readArtifactSync(name).abi);
    iface.forEachEvent((e) => out.push(e));
  }
  return out;
}

/** Overwrites one byte, cuts or extends the hex data: the damage real nodes and attackers send. */
function damage(hex: string, rnd: () => number): string {
  const b = Buffer.from(hex.slice(2), "hex");
  const kind = Math.floor(rnd() * 4);
  if (kind === 0 && b.length > 0) return "0x" + b.subarray(0, Math.floor(rnd() * b.length)).toString("hex");
  if (kind === 1) return hex + "00".repeat(32 * (1 + Math.floor(rnd() * 2)));
  if (b.length === 0) return hex;
  const word = Math.floor(rnd() * Math.ceil(b.length / 32));
  // the top bytes of a word (an address's or an offset's high bits), or anywhere
  const at = kind === 2 ? word * 32 + Math.floor(rnd() * 12) : Math.floor(rnd() * b.length);
  if (at < b.length) b[at] = pick256(rnd);
  return "0x" + b.toString("hex");
}
const pick256 = (rnd: () => number): number => [0x01, 0x80, 0xff, 0xc3, 0x20][Math.floor(rnd() * 5)];

describe("indexer/runner event params: the fast ABI decoder answers exactly as ethers does", () => {
  const events = registryEvents();

  it("covers the registries' events, dynamic types and tuples included", () => {
    const all = (p: ParamType): ParamType[] => [
      p,
      ...(p.isTuple() ? p.components.flatMap(all) : p.isArray() ? all(p.arrayChildren) : []),
    ];
    const types = new Set(events.flatMap((e) => e.inputs.flatMap(all)).map((p) => p.format()));
    for (const t of ["string", "bytes", "bytes2", "bool", "uint96", "address", "uint256[2]", "uint64[]"]) {
      expect([...types], t).to.include(t);
    }
    expect(
      [...types].some((t) => t.startsWith("(") && t.endsWith("[]")),
      "an array of tuples",
    ).to.equal(true);
    for (const e of events) expect(compileDecoder(e.inputs.filter((p) => !p.indexed)), e.format()).to.not.equal(null);
  });

  it("decodes every registry event with random and edge values as ethers does", () => {
    const rnd = prng(19);
    for (const e of events) {
      const iface = new Interface([e]);
      for (let i = 0; i < 12; i++) {
        const values = e.inputs.map((p) => valueOf(p, rnd));
        const { data, topics } = iface.encodeEventLog(e, values);
        const log = logOf(topics, data);
        const want = decodeEventParamsWithEthers(handlerOf(e), log);
        expect(want, e.format()).to.not.equal(null);
        expect(decodeEventParams(handlerOf(e), log), e.format()).to.deep.equal(want);
      }
    }
  });

  it("answers damaged data (bad offsets, lengths, high bits, padding, UTF-8, truncation) as ethers does", () => {
    const rnd = prng(7);
    let rejected = 0;
    for (const e of events) {
      const iface = new Interface([e]);
      for (let i = 0; i < 25; i++) {
        const { data, topics } = iface.encodeEventLog(
          e,
          e.inputs.map((p) => valueOf(p, rnd)),
        );
        const damaged = rnd() < 0.8 ? damage(data, rnd) : data;
        const t = topics.map((x) => (rnd() < 0.1 ? damage(x, rnd) : x));
        const log = logOf(t, damaged);
        const want = decodeEventParamsWithEthers(handlerOf(e), log);
        if (want === null) rejected++;
        expect(decodeEventParams(handlerOf(e), log), `${e.format()} ${damaged}`).to.deep.equal(want);
      }
    }
    expect(rejected, "damage that ethers rejects").to.be.greaterThan(30);
  });

  const word = (hex: string): string => zeroPadValue(hex, 32).slice(2);
  const cases: [string, string[], string][] = [
    ["an address with high bits set", ["address"], "0x" + "01" + "00".repeat(11) + "22".repeat(20)],
    ["a bool word of 2", ["bool"], "0x" + word("0x02")],
    ["a uint8 word with high bits (ethers masks)", ["uint8"], "0x" + "ff".repeat(32)],
    [
      "an int16 word with dirty high bits (ethers masks, then sign-extends)",
      ["int16"],
      "0x" + "12".repeat(30) + "8001",
    ],
    ["bytes2 with dirty padding", ["bytes2"], "0x" + "abcd" + "ee".repeat(30)],
    ["a string offset past the end", ["string"], "0x" + word("0x40")],
    ["a string longer than the data", ["string"], "0x" + word("0x20") + word("0x21") + "61".repeat(32)],
    ["a string with an unpadded tail", ["string"], "0x" + word("0x20") + word("0x03") + "616263"],
    ["invalid UTF-8", ["string"], "0x" + word("0x20") + word("0x02") + "c328" + "00".repeat(30)],
    ["a leading BOM (kept)", ["string"], "0x" + word("0x20") + word("0x03") + "efbbbf" + "00".repeat(29)],
    ["an array length beyond the data", ["uint256[]"], "0x" + word("0x20") + word("0xffff")],
    ["an offset word above 2^53", ["bytes"], "0x" + "ff".repeat(32)],
    [
      "two strings at one offset (data read twice)",
      ["string", "string"],
      "0x" + word("0x40") + word("0x40") + word("0x01") + "61" + "00".repeat(31),
    ],
    ["no data at all", ["uint256"], "0x"],
    ["trailing data (ignored)", ["uint256"], "0x" + word("0x05") + "ff".repeat(40)],
  ];
  for (const [what, types, data] of cases) {
    it(`${what}: the same answer as ethers`, () => {
      const params = types.map((t) => ParamType.from(t));
      const fast = compileDecoder(params)!;
      let want: unknown;
      try {
        want = coder.decode(params, Buffer.from(data.slice(2), "hex")).map((v, i) => fromEthers(params[i], v));
      } catch {
        want = null;
      }
      const got = fast(new Uint8Array(Buffer.from(data.slice(2), "hex")));
      // undefined: the caller asks ethers, which is then the answer by construction
      if (got !== undefined) expect(got).to.deep.equal(want);
      const e = EventFragment.from(`event E(${types.join(",")})`);
      expect(decodeEventParams(handlerOf(e), logOf([e.topicHash], data))).to.deep.equal(
        decodeEventParamsWithEthers(handlerOf(e), logOf([e.topicHash], data)),
      );
    });
  }

  it("skips a log whose topics do not fit the event, and reads dynamic indexed values as their hash", () => {
    const e = EventFragment.from("event E(string indexed s, uint256 indexed n, bool b)");
    const { data, topics } = new Interface([e]).encodeEventLog(e, ["abc", 7n, true]);
    expect(decodeEventParams(handlerOf(e), logOf(topics.slice(0, 2), data))).to.equal(null);
    const got = decodeEventParams(handlerOf(e), logOf(topics, data))!;
    expect(got.map((p) => p.name)).to.deep.equal(["s", "n", "b"]);
    expect(got[0].value).to.deep.equal({
      kind: "fixedBytes",
      value: new Uint8Array(Buffer.from(topics[1].slice(2), "hex")),
    });
    expect(got[1].value).to.deep.equal({ kind: "uint", value: 7n });
    expect(got[2].value).to.deep.equal({ kind: "bool", value: true });
  });
});
