/**
 * A real graph-cli subgraph with a timeseries and an aggregation (test/fixtures/subgraphs/ticks, graph-ts
 * generated classes that save under the id 0) indexed from a hardhat chain into the SQLite store and queried.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { ChainIndexer } from "../../indexer/runner/chain-indexer";
import { providerRpc } from "../../indexer/chain/rpc";
import { QueryEngine } from "../../indexer/graphql/engine";
import { loadManifest } from "../../indexer/manifest";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import type { ValueEmitter } from "../../typechain-types";
import { snapshot } from "../helpers/indexer-env";
import { buildSubgraph } from "../helpers/subgraph-build";

describe("indexer: timeseries and aggregations of a built subgraph", function () {
  this.timeout(180_000);

  it("stores every saved data point and rolls hours up as blocks pass them", async () => {
    const restore = await snapshot();
    try {
      const manifest = loadManifest(buildSubgraph("ticks"));
      const emitter = (await ethers.deployContract("ValueEmitter")) as unknown as ValueEmitter;
      manifest.dataSources[0].address = (await emitter.getAddress()).toLowerCase();
      manifest.dataSources[0].startBlock = await ethers.provider.getBlockNumber();
      const store = new SqliteStore(":memory:", loadSubgraphSchema(manifest.schemaFile));
      const indexer = new ChainIndexer({ manifest, store, rpc: providerRpc(network.provider) });
      const latest = (await ethers.provider.getBlock("latest"))!.timestamp;
      const day = (Math.floor(latest / 86400) + 2) * 86400;
      const emitAt = async (time: number, text: string, u256: bigint) => {
        await network.provider.send("evm_setNextBlockTimestamp", [time]);
        await (await emitter.emitScalars(true, "0x01020304", ethers.ZeroHash, "0x", 0, 0, 0n, u256, text)).wait();
      };
      await emitAt(day + 10, "x", 5n); // points 5 and 50
      await emitAt(day + 3600, "x", 1n); // points 1 and 10, in hour 1; this block closes hour 0
      await emitAt(day + 7200, "y", 2n); // closes hour 1
      await indexer.syncOnce();

      const engine = new QueryEngine(store);
      const r = await engine.execute({
        query: `{ ticks(orderBy: id) { id timestamp kind amount }
                  tickVolumes(interval: "hour", orderBy: timestamp) { timestamp kind total count last } }`,
      });
      expect(r.errors).to.equal(undefined);
      const data = r.data as { ticks: { id: string; timestamp: string; amount: string }[]; tickVolumes: unknown[] };
      expect(data.ticks.map((t) => t.amount)).to.deep.equal(["5", "50", "1", "10", "2", "20"]);
      const first = BigInt(data.ticks[0].id);
      expect(first & 0xffffffffn).to.equal(0n); // sequence 0 of its block
      expect(BigInt(data.ticks[1].id)).to.equal(first + 1n);
      expect(data.ticks[0].timestamp).to.equal(String(BigInt(day + 10) * 1_000_000n));
      const us = (s: number) => String(BigInt(s) * 1_000_000n);
      expect(data.tickVolumes).to.deep.equal([
        { timestamp: us(day), kind: "x", total: "55", count: "2", last: "50" },
        { timestamp: us(day + 3600), kind: "x", total: "11", count: "2", last: "10" },
      ]);
      store.close();
    } finally {
      await restore();
    }
  });
});
