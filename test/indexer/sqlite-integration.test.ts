/** The runtime over the real SQLite store and GraphQL engine: ingestion, time-travel queries, reorg rollback. */
import { expect } from "chai";
import { getCreateAddress } from "ethers";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ethers, network } from "hardhat";
import { ChainIndexer, SubgraphFailedError } from "../../indexer/runner/chain-indexer";
import { providerRpc } from "../../indexer/chain/rpc";
import { QueryEngine } from "../../indexer/graphql/engine";
import { loadManifest, type Manifest } from "../../indexer/manifest";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import type { ChildEmitter, ValueEmitter } from "../../typechain-types";
import { snapshot } from "../helpers/indexer-env";
import { buildSubgraph } from "../helpers/subgraph-build";

describe("indexer over the SQLite store and GraphQL engine", function () {
  this.timeout(180_000);
  let restore: () => Promise<void>;

  beforeEach(async () => {
    restore = await snapshot();
  });

  afterEach(async () => {
    await restore();
  });

  it("leaves the query-only indexes out while far behind, builds them when caught up, and ends the same", async () => {
    const manifest = loadManifest(buildSubgraph("values"));
    const emitter = (await ethers.deployContract("ValueEmitter")) as unknown as ValueEmitter;
    manifest.dataSources[0].address = (await emitter.getAddress()).toLowerCase();
    manifest.dataSources[0].startBlock = await ethers.provider.getBlockNumber();
    for (const n of [1, 2, 3, 4]) await (await emitter.requestOp(7, n, "")).wait();
    const plain = new SqliteStore(":memory:", loadSubgraphSchema(manifest.schemaFile));
    const behind = new SqliteStore(":memory:", loadSubgraphSchema(manifest.schemaFile));
    try {
      const near: boolean[] = [];
      await new ChainIndexer({
        ...{ manifest, store: plain, rpc: providerRpc(network.provider), maxBlockRange: 1 },
        onProgress: () => near.push(plain.queryIndexesDeferred),
      }).syncOnce();
      expect(near).to.deep.equal([false, false, false, false, false]); // within the default 10,000 blocks
      const deferred: boolean[] = [];
      const messages: string[] = [];
      await new ChainIndexer({
        ...{ manifest, store: behind, rpc: providerRpc(network.provider), maxBlockRange: 1, backfillBlocks: 2 },
        onProgress: () => deferred.push(behind.queryIndexesDeferred),
        log: (_level, m) => messages.push(m),
      }).syncOnce();
      // five blocks one by one: left out while more than two remained, built once caught up
      expect(deferred).to.deep.equal([true, true, true, true, true]);
      expect(behind.queryIndexesDeferred).to.equal(false);
      expect(messages.some((m) => m.startsWith("caught up; built the query indexes"))).to.equal(true);
      expect(behind.digest()).to.equal(plain.digest());
    } finally {
      plain.close();
      behind.close();
    }
  });

  it("indexes events, answers GraphQL, and rolls a reorg back", async () => {
    const manifest = loadManifest(buildSubgraph("values"));
    const emitter = (await ethers.deployContract("ValueEmitter")) as unknown as ValueEmitter;
    manifest.dataSources[0].address = (await emitter.getAddress()).toLowerCase();
    manifest.dataSources[0].startBlock = await ethers.provider.getBlockNumber();
    const store = new SqliteStore(":memory:", loadSubgraphSchema(manifest.schemaFile));
    const indexer = new ChainIndexer({ manifest, store, rpc: providerRpc(network.provider) });
    const engine = new QueryEngine(store);

    await (await emitter.emitScalars(true, "0x01020304", ethers.ZeroHash, "0x", -1, 1, -5n, 5n, "t")).wait();
    await (await emitter.requestOp(7, 4, "")).wait();
    await (await emitter.requestOp(2, 0, "10/4")).wait();
    await indexer.syncOnce();
    const early = store.head()!.number;
    const fork = await snapshot();
    await (await emitter.requestOp(7, 100, "")).wait();
    await indexer.syncOnce();
    let r = await engine.execute({ query: "{ counters { id count } }" });
    expect(r.data).to.deep.equal({ counters: [{ id: "c", count: 104 }] });
    // time travel: the counter as it was at an earlier block
    const travel = `{ counters(block: { number: ${early} }) { count lastBlock } _meta(block: { number: ${early} }) { block { number } } }`;
    r = await engine.execute({ query: travel });
    expect(r.errors).to.equal(undefined);
    expect(r.data).to.deep.equal({
      counters: [{ count: 4, lastBlock: String(early - 1) }],
      _meta: { block: { number: early } },
    });

    await fork();
    await (await emitter.requestOp(7, 1, "")).wait();
    await network.provider.send("evm_mine", []);
    await indexer.syncOnce();
    r = await engine.execute({
      query: "{ counters { count } scalarses { i8 i256 text kinds } opResults(where: { op: 2 }) { dec } }",
    });
    expect(r.errors).to.equal(undefined);
    expect(r.data).to.deep.equal({
      counters: [{ count: 5 }],
      scalarses: [{ i8: -1, i256: "-5", text: "t", kinds: [0, 5, 1, 1, 2, 3, 4, 3, 4, 6] }],
      opResults: [{ dec: "2.5" }],
    });
    // the earlier block is still on the chain, its version unchanged; the orphaned head is gone
    r = await engine.execute({ query: travel });
    expect(r.data?.counters).to.deep.equal([{ count: 4, lastBlock: String(early - 1) }]);
    store.close();
  });

  describe("dynamic data sources and failures in the store file", () => {
    let dir: string;
    let env: { manifest: Manifest; emitter: ValueEmitter };

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), "tt-integration-"));
      const manifest = loadManifest(buildSubgraph("values"));
      const emitter = (await ethers.deployContract("ValueEmitter")) as unknown as ValueEmitter;
      manifest.dataSources[0].address = (await emitter.getAddress()).toLowerCase();
      manifest.dataSources[0].startBlock = (await ethers.provider.getBlockNumber()) + 1;
      env = { manifest, emitter };
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const open = (): SqliteStore => new SqliteStore(join(dir, "store.db"), loadSubgraphSchema(env.manifest.schemaFile));
    const sync = async (store: SqliteStore): Promise<void> => {
      await new ChainIndexer({ manifest: env.manifest, store, rpc: providerRpc(network.provider) }).syncOnce();
    };
    const pings = async (store: SqliteStore): Promise<unknown> => {
      const r = await new QueryEngine(store).execute({ query: "{ pings(orderBy: n) { n child { label } } }" });
      expect(r.errors).to.equal(undefined);
      return (r.data as { pings: { n: string; child: { label: string } }[] }).pings.map((p) => [p.n, p.child.label]);
    };
    const child = async (nonce: number): Promise<ChildEmitter> => {
      const address = getCreateAddress({ from: await env.emitter.getAddress(), nonce });
      return (await ethers.getContractAt("ChildEmitter", address)) as unknown as ChildEmitter;
    };

    it("a template-created data source survives a restart; a reorg drops one created after the fork", async () => {
      await (await env.emitter.spawn("kid")).wait();
      const kid = await child(1);
      await (await kid.ping(1)).wait();
      let store = open();
      await sync(store);
      store.close();

      await (await kid.ping(2)).wait();
      store = open(); // a new process: the child is known only from the store
      expect(store.dataSources().map((d) => [d.template, d.params[0].toLowerCase()])).to.deep.equal([
        ["Child", (await kid.getAddress()).toLowerCase()],
      ]);
      await sync(store);
      expect(await pings(store)).to.deep.equal([
        ["1", "kid"],
        ["2", "kid"],
      ]);

      const fork = await snapshot();
      await (await env.emitter.spawn("late")).wait();
      const late = await child(2);
      await (await late.ping(3)).wait();
      await sync(store);
      expect(store.dataSources()).to.have.length(2);
      expect(await pings(store)).to.deep.equal([
        ["1", "kid"],
        ["2", "kid"],
        ["3", "late"],
      ]);

      await fork();
      await (await kid.ping(4)).wait();
      await network.provider.send("evm_mine", []);
      await network.provider.send("evm_mine", []);
      await sync(store);
      expect(store.dataSources().map((d) => d.params[0].toLowerCase())).to.deep.equal([
        (await kid.getAddress()).toLowerCase(),
      ]);
      expect(await pings(store)).to.deep.equal([
        ["1", "kid"],
        ["2", "kid"],
        ["4", "kid"],
      ]);
      store.close();
    });

    it("a fatal failure is kept in the store and shown by _meta until its block leaves the chain", async () => {
      await (await env.emitter.requestOp(7, 1, "")).wait();
      const fork = await snapshot();
      await (await env.emitter.requestOp(10, 0, "fail here")).wait();
      let store = open();
      let err: unknown;
      try {
        await sync(store);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(SubgraphFailedError);
      store.close();
      store = open();
      expect(store.failure()?.message).to.match(/with message: fail here$/);
      const meta = async (): Promise<unknown> =>
        (await new QueryEngine(store).execute({ query: "{ _meta { hasIndexingErrors } }" })).data;
      expect(await meta()).to.deep.equal({ _meta: { hasIndexingErrors: true } });

      await fork(); // the failing block is replaced
      await (await env.emitter.requestOp(7, 2, "")).wait();
      await network.provider.send("evm_mine", []);
      await sync(store);
      expect(store.failure()).to.equal(null);
      expect(await meta()).to.deep.equal({ _meta: { hasIndexingErrors: false } });
      store.close();
    });

    it("non-fatal errors are committed with their block and reported by _meta from that block on", async () => {
      env.manifest.features.push("nonFatalErrors");
      await (await env.emitter.requestOp(7, 1, "")).wait();
      const before = await ethers.provider.getBlockNumber();
      await (await env.emitter.requestOp(10, 0, "soft")).wait();
      await (await env.emitter.requestOp(7, 2, "")).wait();
      const store = open();
      await sync(store);
      expect(store.nonFatalErrors().map((f) => [f.handler, f.block.number])).to.deep.equal([["handleOp", before + 1]]);
      const r = await new QueryEngine(store).execute({
        query: `{ now: _meta { hasIndexingErrors } then: _meta(block: { number: ${before} }) { hasIndexingErrors } counters { count } }`,
      });
      expect(r.data).to.deep.equal({
        now: { hasIndexingErrors: true },
        then: { hasIndexingErrors: false },
        counters: [{ count: 3 }],
      });
      store.close();
    });
  });
});
