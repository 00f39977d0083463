/**
 * The AssemblyScript layouts of Ethereum trigger objects per apiVersion (graph-node
 * chain/ethereum/src/runtime/abi.rs): Block 14/15 fields, Transaction 8/9, Event 7/8. The objects themselves
 * are the chain's JSON-RPC types (../chain/types.ts).
 */
import { getBytes } from "ethers";
import { AscHeap, TypeId } from "./asc";
import type { RpcBlock, RpcLog, RpcReceipt, RpcTransaction } from "../chain/types";
import type { EthValue } from "./ethvalue";
import { bigIntToBytes } from "./bigint";
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

/** Answers of compareVersion: a handful of apiVersions against a handful of thresholds, asked for at every trigger. */
const compared = new Map<string, number>();

/** Compares dotted versions: negative, zero or positive. */
export function compareVersion(a: string, b: string): number {
  const key = `${a}\u0000${b}`;
  let d = compared.get(key);
  if (d === undefined) {
    d = compareParts(a, b);
    if (compared.size < 1000) compared.set(key, d);
  }
  return d;
}

function compareParts(a: string, b: string): number {
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

/** A field of a trigger object as the bytes of its Bytes or BigInt, or null (a null pointer). */
type FieldBytes = Uint8Array | null;
const hexField = (hex: string): Uint8Array => hexBytes(hex);
const optHexField = (hex: string | null | undefined): FieldBytes => (hex ? hexBytes(hex) : null);
const bigField = (hex: string): Uint8Array => bigIntToBytes(BigInt(hex));
const optBigField = (hex: string | null | undefined): FieldBytes => (hex ? bigField(hex) : null);

/**
 * The block's and transaction's fields are the same for every event of a block (a hundred, in a dense one):
 * converted from hex once per object, written into each trigger's memory from there. A field is converted when
 * first written, so a conversion that fails fails at the same event as before, with the same error.
 */
type Converter<T> = (o: T) => FieldBytes;
const blockFields = new WeakMap<RpcBlock, FieldBytes[]>();
const transactionFields = new WeakMap<RpcTransaction, FieldBytes[]>();

/** The first `n` fields of `o`, converted by `converters` (cached on `o`). */
function fieldsOf<T extends object>(
  cache: WeakMap<T, FieldBytes[]>,
  o: T,
  converters: Converter<T>[],
  n: number,
): FieldBytes[] {
  let f = cache.get(o);
  if (!f) {
    f = [];
    cache.set(o, f);
  }
  for (let i = f.length; i < n; i++) f.push(converters[i](o));
  return f;
}

/** Block fields in the order of graph-node's EthereumBlock; baseFeePerGas (the last) from apiVersion 0.0.6 on. */
const BLOCK_FIELDS: Converter<RpcBlock>[] = [
  (b) => hexField(b.hash),
  (b) => hexField(b.parentHash),
  (b) => hexField(b.sha3Uncles),
  (b) => hexField(b.miner),
  (b) => hexField(b.stateRoot),
  (b) => hexField(b.transactionsRoot),
  (b) => hexField(b.receiptsRoot),
  (b) => bigField(b.number),
  (b) => bigField(b.gasUsed),
  (b) => bigField(b.gasLimit),
  (b) => bigField(b.timestamp),
  (b) => bigField(b.difficulty ?? "0x0"),
  (b) => bigField(b.totalDifficulty ?? "0x0"),
  (b) => optBigField(b.size),
  (b) => optBigField(b.baseFeePerGas),
];

/** Transaction fields in the order of graph-node's EthereumTransaction; nonce (the last) from apiVersion 0.0.6 on. */
const TRANSACTION_FIELDS: Converter<RpcTransaction>[] = [
  (t) => hexField(t.hash),
  (t) => bigField(t.transactionIndex),
  (t) => hexField(t.from),
  (t) => optHexField(t.to),
  (t) => bigField(t.value),
  (t) => bigField(t.gas),
  (t) => bigField(t.gasPrice ?? "0x0"),
  (t) => hexField(t.input),
  (t) => bigField(t.nonce),
];

/** Writes the object's fields (all but the last before apiVersion 0.0.6) as a struct of pointers. */
function writeFields<T extends object>(
  heap: AscHeap,
  typeId: TypeId,
  o: T,
  cache: WeakMap<T, FieldBytes[]>,
  converters: Converter<T>[],
  apiVersion: string,
): number {
  const n = compareVersion(apiVersion, "0.0.6") >= 0 ? converters.length : converters.length - 1;
  const fields = fieldsOf(cache, o, converters, n);
  const ptrs: number[] = [];
  for (let i = 0; i < n; i++) ptrs.push(fields[i] ? heap.writeBytes(fields[i]!) : 0);
  return heap.writeStruct(typeId, ptrs);
}

export function writeBlock(heap: AscHeap, b: RpcBlock, apiVersion: string): number {
  return writeFields(heap, TypeId.EthereumBlock, b, blockFields, BLOCK_FIELDS, apiVersion);
}

export function writeTransaction(heap: AscHeap, t: RpcTransaction, apiVersion: string): number {
  return writeFields(heap, TypeId.EthereumTransaction, t, transactionFields, TRANSACTION_FIELDS, apiVersion);
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
