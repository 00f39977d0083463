/** Shared setup for the ingestion tests: the fixture subgraph pointed at a freshly deployed emitter. */
import { ethers, network } from "hardhat";
import { ChainIndexer, type IndexerOptions } from "../../indexer/runner/chain-indexer";
import { providerRpc } from "../../indexer/chain/rpc";
import { loadManifest, type Manifest } from "../../indexer/manifest";
import type { LogLevel } from "../../indexer/wasm/host";
import type { ValueEmitter } from "../../typechain-types";
import { MemoryStore } from "./memory-store";
import { buildSubgraph } from "./subgraph-build";

export interface IndexerEnv {
  manifest: Manifest;
  store: MemoryStore;
  emitter: ValueEmitter;
  emitterAddress: string;
  startBlock: number;
  logs: { level: LogLevel; message: string }[];
  indexer(opts?: Partial<IndexerOptions>): ChainIndexer;
}

/** Deploys a ValueEmitter and loads the values subgraph with its address and start block. */
export async function indexerEnv(): Promise<IndexerEnv> {
  const dir = buildSubgraph("values");
  const emitter = (await ethers.deployContract("ValueEmitter")) as unknown as ValueEmitter;
  await emitter.waitForDeployment();
  const emitterAddress = (await emitter.getAddress()).toLowerCase();
  const startBlock = (await ethers.provider.getBlockNumber()) + 1;
  const manifest = loadManifest(dir);
  manifest.dataSources[0].address = emitterAddress;
  manifest.dataSources[0].startBlock = startBlock;
  const store = new MemoryStore(manifest.schema);
  const logs: { level: LogLevel; message: string }[] = [];
  return {
    manifest,
    store,
    emitter,
    emitterAddress,
    startBlock,
    logs,
    indexer: (opts = {}) =>
      new ChainIndexer({
        manifest,
        store,
        rpc: providerRpc(network.provider),
        log: (level, message) => logs.push({ level, message }),
        ...opts,
      }),
  };
}

/** Takes an EVM snapshot; the returned function restores it. */
export async function snapshot(): Promise<() => Promise<void>> {
  const id = (await network.provider.send("evm_snapshot", [])) as string;
  return async () => {
    await network.provider.send("evm_revert", [id]);
  };
}
