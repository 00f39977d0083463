/**
 * What a host function may see and change while a handler runs: the handler's buffered writes, the data
 * sources and log lines it produced, the data source it runs for and the block it runs at. The functions of
 * this folder take and return plain values (strings, bigints, entities); reading and writing them in WASM
 * memory is ../imports.ts's job.
 */
import type { Interface } from "ethers";
import type { RpcFunction } from "../../chain/types";
import type { EntityData } from "../../store/types";
import type { AscHeap } from "../asc";
import type { EntityReader, HandlerLayer } from "../layer";
import type { SchemaInfo } from "../schema-info";

/** The data source whose handler runs. */
export interface DataSourceInfo {
  name: string;
  /** Empty for a data source without an address. */
  address: Uint8Array | null;
  network: string;
  context: EntityData | null;
  /** ABIs by name, as listed under the mapping's `abis`. */
  abis: Map<string, Interface>;
  /** Template names `dataSource.create` accepts. */
  templates: Set<string>;
}

export interface CreatedDataSource {
  template: string;
  params: string[];
  context: EntityData | null;
}

export type LogLevel = "critical" | "error" | "warning" | "info" | "debug";
export interface LogEntry {
  level: LogLevel;
  message: string;
}

export interface RunEnv {
  /** Entity reads (the block's writer); writes are buffered and returned. */
  store: EntityReader;
  schema?: SchemaInfo;
  /** The trigger's block, for `ethereum.call` and friends. */
  blockNumber: number;
  rpc?: RpcFunction;
  /** Answers of asynchronous requests, shared by the handlers of a block. */
  rpcCache?: Map<string, unknown>;
}

/** What the host functions of one instance write to; exported for the matchstick runner. */
export interface RunState {
  heap: AscHeap | null;
  layer: HandlerLayer;
  created: CreatedDataSource[];
  logs: LogEntry[];
}

/** One handler run as the host functions see it. */
export interface HostContext {
  /** Null only while a module's imports are linked without running it (`validateModule`). */
  readonly state: RunState | null;
  readonly apiVersion: string;
  readonly ds: DataSourceInfo | null;
  readonly env: RunEnv;
  /** Answers of asynchronous requests already made (see `NeedsRpc`). */
  readonly cache: Map<string, unknown>;
}
