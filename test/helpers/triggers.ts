/** Hand-made Ethereum triggers for driving mappings without a chain. */
import { hexlify, toBeHex } from "ethers";
import type { RpcBlock, RpcLog, RpcTransaction } from "../../indexer/chain/types";
import type { EventParam, EventTrigger } from "../../indexer/wasm/ethereum";

export const fill = (byte: number, n: number): string => hexlify(new Uint8Array(n).fill(byte));

export function fakeTrigger(
  params: EventParam[],
  opts: { block?: number; logIndex?: number; address?: string } = {},
): EventTrigger {
  const number = toBeHex(opts.block ?? 5);
  const block: RpcBlock = {
    hash: fill(0xb1, 32),
    parentHash: fill(0xb0, 32),
    sha3Uncles: fill(0x01, 32),
    miner: fill(0x02, 20),
    stateRoot: fill(0x03, 32),
    transactionsRoot: fill(0x04, 32),
    receiptsRoot: fill(0x05, 32),
    number,
    gasUsed: "0x5208",
    gasLimit: "0x1c9c380",
    timestamp: "0x6543210f",
    difficulty: "0x0",
    baseFeePerGas: "0x7",
  };
  const transaction: RpcTransaction = {
    hash: fill(0x7a, 32),
    transactionIndex: "0x0",
    from: fill(0x33, 20),
    to: opts.address ?? fill(0x44, 20),
    value: "0x0",
    gas: "0x5208",
    gasPrice: "0x3b9aca00",
    input: "0x1234",
    nonce: "0x9",
  };
  const log: RpcLog = {
    address: opts.address ?? fill(0x44, 20),
    topics: [fill(0x99, 32)],
    data: "0x",
    blockHash: block.hash,
    blockNumber: number,
    transactionHash: transaction.hash,
    transactionIndex: "0x0",
    logIndex: toBeHex(opts.logIndex ?? 2),
  };
  return { block, transaction, log, receipt: null, params };
}

/** OpRequested(op, n, text) as decoded params. */
export function opParams(op: number, n: bigint, text: string): EventParam[] {
  return [
    { name: "op", value: { kind: "uint", value: BigInt(op) } },
    { name: "n", value: { kind: "int", value: n } },
    { name: "text", value: { kind: "string", value: text } },
  ];
}
