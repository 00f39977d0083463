/**
 * The AssemblyScript layouts of Ethereum trigger objects per apiVersion (graph-node
 * chain/ethereum/src/runtime/abi.rs): Block 14/15 fields, Transaction 8/9, Event 7/8. The objects themselves
 * are the chain's JSON-RPC types (../chain/types.ts).
 */
import { getBytes } from "ethers";
import { AscHeap, TypeId } from "./asc";
import type { RpcBlock, RpcLog, RpcReceipt, RpcTransaction } from "../chain/types";
import type { EthValue } from "./ethvalue";
import { writeBigInt, writeEthValue } from "./values";

export interface EventParam {
  name: string;
  value: EthValue;
}

export interface EventTrigger {
  block: RpcBlock;
  transaction: RpcTransaction;
  log: RpcLog;
  /** Present only when the handler declares `receipt: true`. */
  receipt: RpcReceipt | null;
  params: EventParam[];
}

/** Compares dotted versions: negative, zero or positive. */
export function compareVersion(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;
/** Long hex strings decoded lately: a batch transaction's input is written once per event of the batch. */
const decoded = new Map<string, Uint8Array>();

/** JSON-RPC hex as bytes (ethers' `getBytes` for anything it would reject, so that errors stay the same). */
function hexBytes(hex: string): Uint8Array {
  if (hex.length < 512) return HEX.test(hex) ? Buffer.from(hex.slice(2), "hex") : getBytes(hex);
  let b = decoded.get(hex);
  if (!b) {
    b = HEX.test(hex) ? Buffer.from(hex.slice(2), "hex") : getBytes(hex);
    if (decoded.size >= 64) decoded.clear();
    decoded.set(hex, b);
  }
  return b;
}

const bytes = (heap: AscHeap, hex: string): number => heap.writeBytes(hexBytes(hex));
const optBytes = (heap: AscHeap, hex: string | null | undefined): number => (hex ? bytes(heap, hex) : 0);
const big = (heap: AscHeap, hex: string): number => writeBigInt(heap, BigInt(hex));
const optBig = (heap: AscHeap, hex: string | null | undefined): number => (hex ? big(heap, hex) : 0);

export function writeBlock(heap: AscHeap, b: RpcBlock, apiVersion: string): number {
  const fields = [
    bytes(heap, b.hash),
    bytes(heap, b.parentHash),
    bytes(heap, b.sha3Uncles),
    bytes(heap, b.miner),
    bytes(heap, b.stateRoot),
    bytes(heap, b.transactionsRoot),
    bytes(heap, b.receiptsRoot),
    big(heap, b.number),
    big(heap, b.gasUsed),
    big(heap, b.gasLimit),
    big(heap, b.timestamp),
    big(heap, b.difficulty ?? "0x0"),
    big(heap, b.totalDifficulty ?? "0x0"),
    optBig(heap, b.size),
  ];
  if (compareVersion(apiVersion, "0.0.6") >= 0) fields.push(optBig(heap, b.baseFeePerGas));
  return heap.writeStruct(TypeId.EthereumBlock, fields);
}

export function writeTransaction(heap: AscHeap, t: RpcTransaction, apiVersion: string): number {
  const fields = [
    bytes(heap, t.hash),
    big(heap, t.transactionIndex),
    bytes(heap, t.from),
    optBytes(heap, t.to),
    big(heap, t.value),
    big(heap, t.gas),
    big(heap, t.gasPrice ?? "0x0"),
    bytes(heap, t.input),
  ];
  if (compareVersion(apiVersion, "0.0.6") >= 0) fields.push(big(heap, t.nonce));
  return heap.writeStruct(TypeId.EthereumTransaction, fields);
}

/** Log: transactionLogIndex and logType are always null. */
export function writeLog(heap: AscHeap, l: RpcLog): number {
  const topics = heap.writePtrArray(
    TypeId.ArrayB256,
    l.topics.map((t) => bytes(heap, t)),
  );
  return heap.writeStruct(TypeId.Log, [
    bytes(heap, l.address),
    topics,
    bytes(heap, l.data),
    optBytes(heap, l.blockHash),
    optBig(heap, l.blockNumber),
    optBytes(heap, l.transactionHash),
    optBig(heap, l.transactionIndex),
    optBig(heap, l.logIndex),
    0,
    0,
    heap.writeWrappedBool(l.removed ?? false),
  ]);
}

export function writeReceipt(heap: AscHeap, r: RpcReceipt): number {
  const logs = heap.writePtrArray(
    TypeId.ArrayLog,
    r.logs.map((l) => writeLog(heap, l)),
  );
  return heap.writeStruct(TypeId.TransactionReceipt, [
    bytes(heap, r.transactionHash),
    big(heap, r.transactionIndex),
    optBytes(heap, r.blockHash),
    optBig(heap, r.blockNumber),
    big(heap, r.cumulativeGasUsed),
    big(heap, r.gasUsed),
    optBytes(heap, r.contractAddress),
    logs,
    optBig(heap, r.status),
    optBytes(heap, r.root),
    bytes(heap, r.logsBloom),
  ]);
}

/** ethereum.Event: logIndex is block-wide, transactionLogIndex equals it, logType is null. */
export function writeEvent(heap: AscHeap, trigger: EventTrigger, apiVersion: string): number {
  const params = heap.writePtrArray(
    TypeId.ArrayEventParam,
    trigger.params.map((p) =>
      heap.writeStruct(TypeId.EventParam, [heap.writeString(p.name), writeEthValue(heap, p.value)]),
    ),
  );
  const fields = [
    bytes(heap, trigger.log.address),
    big(heap, trigger.log.logIndex),
    big(heap, trigger.log.logIndex),
    0,
    writeBlock(heap, trigger.block, apiVersion),
    writeTransaction(heap, trigger.transaction, apiVersion),
    params,
  ];
  if (compareVersion(apiVersion, "0.0.7") >= 0) fields.push(trigger.receipt ? writeReceipt(heap, trigger.receipt) : 0);
  return heap.writeStruct(TypeId.EthereumEvent, fields);
}
