/** A log decoded for a handler's ABI event, as the handler's `event.params` (graph-node skips logs that don't fit). */
import { AbiCoder, getBytes, type ParamType } from "ethers";
import type { RpcLog } from "../chain/types";
import type { EventHandlerSpec } from "../manifest";
import type { EventParam } from "../wasm/ethereum";
import { fromEthers, isDynamicIndexed, type EthValue } from "../wasm/ethvalue";
import { compileDecoder, type FastDecoder } from "./abi-decode";

const coder = AbiCoder.defaultAbiCoder();

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
/** Hex as bytes for the ABI decoder (ethers' own hex parsing is slow); ethers judges anything malformed. */
const abiBytes = (hex: string): Uint8Array | string => (HEX.test(hex) ? Buffer.from(hex.slice(2), "hex") : hex);

/** Well-formed hex as a plain Uint8Array (what ethers' decoder gives too), else null. */
function hexBytes(hex: string): Uint8Array | null {
  if (!HEX.test(hex)) return null;
  const b = Buffer.from(hex.slice(2), "hex");
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** A handler's event inputs split by where they live in a log, with their fast decoders. */
interface Layout {
  indexed: number;
  plain: ParamType[];
  /** For log.data; null when a type is left to ethers. */
  fastPlain: FastDecoder | null;
  /** Per input: the decoder of its topic (static indexed inputs only). */
  fastTopic: (FastDecoder | null)[];
}

const layouts = new WeakMap<EventHandlerSpec, Layout>();

function layoutOf(handler: EventHandlerSpec): Layout {
  let l = layouts.get(handler);
  if (!l) {
    const inputs = handler.fragment.inputs;
    const plain = inputs.filter((p) => !p.indexed);
    l = {
      indexed: inputs.filter((p) => p.indexed).length,
      plain,
      fastPlain: compileDecoder(plain),
      fastTopic: inputs.map((p) => (p.indexed && !isDynamicIndexed(p) ? compileDecoder([p]) : null)),
    };
    layouts.set(handler, l);
  }
  return l;
}

/** Decodes a log for a handler's ABI event; null when it doesn't fit (graph-node skips the handler). */
export function decodeEventParams(handler: EventHandlerSpec, log: RpcLog): EventParam[] | null {
  const layout = layoutOf(handler);
  if (log.topics.length !== layout.indexed + 1) return null;
  return fastDecode(handler, layout, log) ?? ethersDecode(handler, layout, log);
}

/**
 * The fast decoders' answer (./abi-decode.ts), or undefined when any part of the log is left to ethers (then
 * ethers decodes all of it, so that an answer never mixes the two).
 */
function fastDecode(handler: EventHandlerSpec, layout: Layout, log: RpcLog): EventParam[] | undefined {
  if (!layout.fastPlain) return undefined;
  const data = hexBytes(log.data);
  const plain = data && layout.fastPlain(data);
  if (!plain) return undefined;
  const inputs = handler.fragment.inputs;
  const out: EventParam[] = [];
  let t = 1;
  let d = 0;
  for (let i = 0; i < inputs.length; i++) {
    const p = inputs[i];
    let value: EthValue | undefined;
    if (!p.indexed) value = plain[d++];
    else {
      const topic = hexBytes(log.topics[t++]);
      if (!topic) return undefined;
      if (isDynamicIndexed(p)) value = { kind: "fixedBytes", value: topic };
      else {
        const fast = layout.fastTopic[i];
        value = fast ? fast(topic)?.[0] : undefined;
      }
    }
    if (!value) return undefined;
    out.push({ name: p.name, value });
  }
  return out;
}

/** The same with ethers' decoder alone: the reference the fast decoder is tested against. @internal */
export function decodeEventParamsWithEthers(handler: EventHandlerSpec, log: RpcLog): EventParam[] | null {
  const layout = layoutOf(handler);
  if (log.topics.length !== layout.indexed + 1) return null;
  return ethersDecode(handler, layout, log);
}

function ethersDecode(handler: EventHandlerSpec, layout: Layout, log: RpcLog): EventParam[] | null {
  const inputs = handler.fragment.inputs;
  try {
    const decoded = coder.decode(layout.plain, abiBytes(log.data));
    let t = 1;
    let d = 0;
    return inputs.map((p) => {
      if (p.indexed) {
        const topic = log.topics[t++];
        if (isDynamicIndexed(p)) return { name: p.name, value: { kind: "fixedBytes", value: getBytes(topic) } };
        return { name: p.name, value: fromEthers(p, coder.decode([p], abiBytes(topic))[0]) };
      }
      return { name: p.name, value: fromEthers(p, decoded[d++]) };
    });
  } catch {
    return null;
  }
}
