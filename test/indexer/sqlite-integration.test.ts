/**
 * The runtime over the real SQLite store and GraphQL engine from the store branch. Until the branches
 * merge those modules are absent and this suite is skipped; afterwards it runs as is.
 */
import { expect } from "chai";
import { existsSync } from "fs";
import { join } from "path";
import { ethers, network } from "hardhat";
import { ChainIndexer } from "../../indexer/chain/indexer";
import { providerRpc } from "../../indexer/chain/rpc";
import { loadManifest } from "../../indexer/manifest";
import type { EntityStore } from "../../indexer/store/types";
import type { ValueEmitter } from "../../typechain-types";
import { snapshot } from "../helpers/indexer-env";
import { buildSubgraph } from "../helpers/subgraph-build";

const INDEXER = join(__dirname, "..", "..", "indexer");

interface Engine {
  execute(req: { query: string }): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }>;
}

/* eslint-disable @typescript-eslint/no-require-imports */
function storeBranch(): {
  open(schemaFile: string): EntityStore;
  engine(store: EntityStore): Engine;
} | null {
  if (!existsSync(join(INDEXER, "store", "sqlite.ts")) || !existsSync(join(INDEXER, "graphql", "engine.ts"))) {
    return null;
  }
  const { SqliteStore } = require(join(INDEXER, "store", "sqlite")) as {
    SqliteStore: new (path: string, schema: unknown) => EntityStore;
  };
  const { loadSubgraphSchema } = require(join(INDEXER, "schema", "parse")) as {
    loadSubgraphSchema(path: string): unknown;
  };
  const { QueryEngine } = require(join(INDEXER, "graphql", "engine")) as {
    QueryEngine: new (store: EntityStore) => Engine;
  };
  return {
    open: (schemaFile) => new SqliteStore(":memory:", loadSubgraphSchema(schemaFile)),
    engine: (store) => new QueryEngine(store),
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

describe("indexer over the SQLite store and GraphQL engine", function () {
  this.timeout(180_000);
  const branch = storeBranch();
  let restore: () => Promise<void>;

  before(function () {
    if (!branch) this.skip();
  });

  beforeEach(async () => {
    restore = await snapshot();
  });

  afterEach(async () => {
    await restore();
  });

  it("indexes events, answers GraphQL, and rolls a reorg back", async () => {
    const manifest = loadManifest(buildSubgraph("values"));
    const emitter = (await ethers.deployContract("ValueEmitter")) as unknown as ValueEmitter;
    manifest.dataSources[0].address = (await emitter.getAddress()).toLowerCase();
    manifest.dataSources[0].startBlock = await ethers.provider.getBlockNumber();
    const store = branch!.open(manifest.schemaFile);
    const indexer = new ChainIndexer({ manifest, store, rpc: providerRpc(network.provider) });
    const engine = branch!.engine(store);

    await (await emitter.emitScalars(true, "0x01020304", ethers.ZeroHash, "0x", -1, 1, -5n, 5n, "t")).wait();
    await (await emitter.requestOp(7, 4, "")).wait();
    await (await emitter.requestOp(2, 0, "10/4")).wait();
    await indexer.syncOnce();
    const fork = await snapshot();
    await (await emitter.requestOp(7, 100, "")).wait();
    await indexer.syncOnce();
    let r = await engine.execute({ query: "{ counters { id count } }" });
    expect(r.data).to.deep.equal({ counters: [{ id: "c", count: 104 }] });

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
    store.close();
  });
});
