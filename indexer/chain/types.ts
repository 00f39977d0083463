/**
 * What the chain hands the indexer, as Ethereum JSON-RPC returns it: blocks, transactions, logs, receipts,
 * and the request function every part of the runtime calls the node with. The WASM host writes these
 * objects into mapping memory (../wasm/ethereum.ts); they belong to the chain, not to the host.
 */

/** JSON-RPC: resolves with the result; a JSON-RPC error rejects with an Error carrying `code` (and `data`). */
export type RpcFunction = (method: string, params: unknown[]) => Promise<unknown>;

/** One request of a JSON-RPC batch. */
export interface RpcRequest {
  method: string;
  params: unknown[];
}

/**
 * Several requests in one JSON-RPC batch (one HTTP round trip): their results in request order. An error answer
 * to any of them rejects the whole batch with it (as an RpcFunction would for that request).
 */
export type RpcBatchFunction = (requests: RpcRequest[]) => Promise<unknown[]>;

/** A block header (`eth_getBlockByNumber` with `false`: its transactions are only hashes). */
export interface RpcBlock {
  hash: string;
  parentHash: string;
  sha3Uncles: string;
  miner: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  number: string;
  gasUsed: string;
  gasLimit: string;
  timestamp: string;
  difficulty?: string;
  totalDifficulty?: string;
  size?: string;
  baseFeePerGas?: string;
}

export interface RpcTransaction {
  hash: string;
  transactionIndex: string;
  from: string;
  to: string | null;
  value: string;
  gas: string;
  gasPrice?: string;
  input: string;
  nonce: string;
}

/** A block with its transactions (`eth_getBlockByNumber` with `true`). */
export type FullBlock = RpcBlock & { transactions: RpcTransaction[] };

export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockHash: string;
  blockNumber: string;
  transactionHash: string;
  transactionIndex: string;
  logIndex: string;
  removed?: boolean;
}

export interface RpcReceipt {
  transactionHash: string;
  transactionIndex: string;
  blockHash?: string;
  blockNumber?: string;
  cumulativeGasUsed: string;
  gasUsed: string;
  effectiveGasPrice?: string;
  contractAddress?: string | null;
  logs: RpcLog[];
  status?: string | null;
  root?: string | null;
  logsBloom: string;
}

/** The `address`/`topics` part of an eth_getLogs filter; no `address` means any contract. */
export interface LogFilter {
  address?: string[];
  topics: string[][];
}
