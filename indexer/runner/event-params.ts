/** A log decoded for a handler's ABI event, as the handler's `event.params` (graph-node skips logs that don't fit). */
import { AbiCoder, getBytes, type ParamType } from "ethers";
import type { RpcLog } from "../chain/types";
import type { EventHandlerSpec } from "../manifest";
import type { EventParam } from "../wasm/ethereum";
import { fromEthers, isDynamicIndexed } from "../wasm/ethvalue";

const coder = AbiCoder.defaultAbiCoder();

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
/** Hex as bytes for the ABI decoder (ethers' own hex parsing is slow); ethers judges anything malformed. */
const abiBytes = (hex: string): Uint8Array | string => (HEX.test(hex) ? Buffer.from(hex.slice(2), "hex") : hex);

/** The inputs of each handler's event split by where they live in a log. */
const splitInputs = new WeakMap<EventHandlerSpec, { indexed: number; plain: ParamType[] }>();

/** Decodes a log for a handler's ABI event; null when it doesn't fit (graph-node skips the handler). */
export function decodeEventParams(handler: EventHandlerSpec, log: RpcLog): EventParam[] | null {
  const inputs = handler.fragment.inputs;
  let split = splitInputs.get(handler);
  if (!split) {
    split = { indexed: inputs.filter((p) => p.indexed).length, plain: inputs.filter((p) => !p.indexed) };
    splitInputs.set(handler, split);
  }
  if (log.topics.length !== split.indexed + 1) return null;
  try {
    const decoded = coder.decode(split.plain, abiBytes(log.data));
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
