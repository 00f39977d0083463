/** Pieces of the made-up chains the block stream's tests answer JSON-RPC from. */
import type { RpcLog } from "../../indexer/chain/types";

/** A quantity as JSON-RPC writes it. */
export const hex = (n: number): string => "0x" + n.toString(16);
/** A 32-byte hash made from a number (block n's hash is hash(n)). */
export const hash = (n: number): string => "0x" + n.toString(16).padStart(64, "0");

/** The one log a fake chain's block `n` carries. */
export function fakeLog(n: number): RpcLog {
  return {
    address: "0x" + "11".repeat(20),
    topics: [hash(0xabc)],
    data: "0x",
    blockHash: hash(n),
    blockNumber: hex(n),
    transactionHash: hash(1000 + n),
    transactionIndex: "0x0",
    logIndex: "0x0",
  };
}
