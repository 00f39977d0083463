import { expect } from "chai";
import { getCreateAddress, hexlify } from "ethers";
import { ethers, network } from "hardhat";
import { ChainIndexer, SubgraphFailedError } from "../../../indexer/runner/chain-indexer";
import { RpcError, RpcTransportError, providerRpc, withRetry } from "../../../indexer/chain/rpc";
import type { StoreValue } from "../../../indexer/store/types";
import type { RpcFunction } from "../../../indexer/chain/types";
import type { ChildEmitter } from "../../../typechain-types";
import { indexerEnv, snapshot, type IndexerEnv } from "../../helpers/indexer-env";

const val = (x: StoreValue | undefined): unknown => {
  if (!x || x.kind === "Null") return null;
  if (x.kind === "Bytes") return hexlify(x.value);
  if (x.kind === "Array") return x.value.map(val);
  return x.value;
};

async function mine(): Promise<void> {
  await network.provider.send("evm_mine", []);
}

describe("indexer/chain: templates, failures, reorgs, restarts, confirmations, ranges and retries", function () {
  this.timeout(180_000);
  let env: IndexerEnv;
  let restore: () => Promise<void>;

  beforeEach(async () => {
    restore = await snapshot();
    env = await indexerEnv();
  });

  afterEach(async () => {
    await network.provider.send("evm_setAutomine", [true]);
    await restore();
  });

  it("a template created in a block indexes that block's later events, then later blocks (with context)", async () => {
    const child = getCreateAddress({ from: env.emitterAddress, nonce: 1 });
    const childC = (await ethers.getContractAt("ChildEmitter", child)) as unknown as ChildEmitter;
    // spawn and the first ping share one block: graph-node reruns that block for the new source
    await network.provider.send("evm_setAutomine", [false]);
    await env.emitter.spawn("kid", { gasLimit: 1_000_000 });
    await childC.ping(7, { gasLimit: 100_000 });
    await mine();
    await network.provider.send("evm_setAutomine", [true]);
    await (await childC.ping(8)).wait();

    await env.indexer().syncOnce();

    const kid = env.store.latest("Child", child.toLowerCase());
    expect(val(kid?.get("label"))).to.equal("kid");
    const pings = [...env.store.all("Ping").values()].sort((a, b) => Number(val(a.get("n"))) - Number(val(b.get("n"))));
    expect(pings.map((p) => val(p.get("n")))).to.deep.equal([7n, 8n]);
    for (const p of pings) {
      expect(val(p.get("child"))).to.equal(child.toLowerCase());
      expect(val(p.get("dsAddress"))).to.equal(child.toLowerCase());
      expect(val(p.get("contextLabel"))).to.equal("kid");
      expect(val(p.get("network"))).to.equal("hardhat");
    }
    // loadRelated over @derivedFrom: the second ping sees the first
    expect(pings.map((p) => val(p.get("relatedCount")))).to.deep.equal([0, 1]);
    expect(env.store.dataSources().map((d) => [d.template, d.params[0].toLowerCase(), d.createdAt])).to.deep.equal([
      ["Child", child.toLowerCase(), Number(val(kid?.get("createdAt")))],
    ]);
  });

  it("a deterministic failure drops the block, records the error and stops indexing", async () => {
    await (await env.emitter.requestOp(7, 1, "")).wait();
    const before = await ethers.provider.getBlockNumber();
    // two triggers in one block: the first succeeds, the second aborts; neither may be committed
    await network.provider.send("evm_setAutomine", [false]);
    await env.emitter.requestOp(7, 5, "", { gasLimit: 200_000 });
    const failing = await env.emitter.requestOp(10, 0, "fail here", { gasLimit: 200_000 });
    await mine();
    await network.provider.send("evm_setAutomine", [true]);

    let err: unknown;
    try {
      await env.indexer().syncOnce();
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(SubgraphFailedError);
    const failure = (err as SubgraphFailedError).failure;
    expect(failure.message).to.match(
      new RegExp(
        `^transaction ${failing.hash}: Mapping aborted at src/values\\.ts, line \\d+, column \\d+, with message: fail here$`,
      ),
    );
    expect(failure.handler).to.equal("handleOp");
    expect(failure.block.number).to.equal(before + 1);
    expect(env.store.failure()).to.deep.equal(failure);
    expect(env.store.head()?.number).to.equal(before);
    expect(val(env.store.latest("Counter", "c")?.get("count"))).to.equal(1);
  });

  it("with the nonFatalErrors feature, commits the block without the failed handler and goes on", async () => {
    env.manifest.features.push("nonFatalErrors");
    await network.provider.send("evm_setAutomine", [false]);
    await env.emitter.requestOp(7, 5, "", { gasLimit: 200_000 });
    const failing = await env.emitter.requestOp(10, 0, "soft", { gasLimit: 200_000 });
    await env.emitter.requestOp(7, 2, "", { gasLimit: 200_000 });
    await mine();
    await network.provider.send("evm_setAutomine", [true]);
    await (await env.emitter.requestOp(7, 1, "")).wait();
    await env.indexer().syncOnce();
    expect(val(env.store.latest("Counter", "c")?.get("count"))).to.equal(8);
    expect(env.store.failure()).to.equal(null);
    expect(env.store.nonFatalErrors.map((f) => [f.handler, f.message.split(": Mapping")[0]])).to.deep.equal([
      ["handleOp", `transaction ${failing.hash}`],
    ]);
    expect(env.store.head()?.number).to.equal(await ethers.provider.getBlockNumber());
  });

  it("retries when the node answers with an error outside handlers", async () => {
    await (await env.emitter.requestOp(7, 3, "")).wait();
    const inner = providerRpc(network.provider);
    let failures = 2;
    const rpc: RpcFunction = async (method, params) => {
      if (method === "eth_blockNumber" && failures-- > 0) throw new RpcError("node is syncing", -32000);
      return inner(method, params);
    };
    await env.indexer({ rpc, retryDelayMs: 1 }).syncOnce();
    expect(val(env.store.latest("Counter", "c")?.get("count"))).to.equal(3);
    expect(env.logs.filter((l) => l.message.startsWith("node is syncing; retrying"))).to.have.length(2);
  });

  it("rolls back a reorg detected by block hash and indexes the new branch", async () => {
    await (await env.emitter.requestOp(7, 1, "")).wait();
    const indexer = env.indexer();
    await indexer.syncOnce();
    const fork = await snapshot();
    const forkBlock = await ethers.provider.getBlockNumber();
    await (await env.emitter.requestOp(7, 10, "")).wait();
    await (await env.emitter.requestOp(7, 100, "")).wait();
    await indexer.syncOnce();
    expect(val(env.store.latest("Counter", "c")?.get("count"))).to.equal(111);
    const orphan = env.store.head()!;

    await fork(); // back to forkBlock: the two blocks above are gone
    await (await env.emitter.requestOp(7, 1000, "")).wait();
    await mine();
    await mine();
    await indexer.syncOnce();

    expect(env.store.reverts).to.deep.equal([forkBlock]);
    expect(val(env.store.latest("Counter", "c")?.get("count"))).to.equal(1001);
    const head = env.store.head()!;
    expect(head.number).to.equal(orphan.number + 1);
    expect(head.hash).to.equal((await ethers.provider.getBlock(head.number))!.hash);
    expect(env.logs.some((l) => l.level === "warning" && l.message.startsWith("reorg:"))).to.equal(true);
  });

  it("refetches when a block's hash disagrees with its logs (a reorg while reading)", async () => {
    await (await env.emitter.requestOp(7, 6, "")).wait();
    const inner = providerRpc(network.provider);
    let lies = 1;
    const rpc: RpcFunction = async (method, params) => {
      const answer = await inner(method, params);
      if (method === "eth_getBlockByNumber" && params[1] === true && lies-- > 0) {
        return { ...(answer as object), hash: `0x${"ee".repeat(32)}` };
      }
      return answer;
    };
    await env.indexer({ rpc }).syncOnce();
    expect(val(env.store.latest("Counter", "c")?.get("count"))).to.equal(6);
    expect(env.store.reverts).to.deep.equal([]);
    expect(lies).to.equal(-1);
  });

  it("resumes after a restart from the store's head, with its dynamic data sources", async () => {
    await (await env.emitter.requestOp(7, 2, "")).wait();
    const child = getCreateAddress({ from: env.emitterAddress, nonce: 1 });
    await (await env.emitter.spawn("kid")).wait();
    await env.indexer().syncOnce();
    const commits = env.store.commits;

    const childC = (await ethers.getContractAt("ChildEmitter", child)) as unknown as ChildEmitter;
    await (await childC.ping(9)).wait();
    await (await env.emitter.requestOp(7, 3, "")).wait();
    const restarted = env.indexer(); // a new process: only the store survives
    await restarted.syncOnce();

    expect(val(env.store.latest("Counter", "c")?.get("count")), "no block is processed twice").to.equal(5);
    expect([...env.store.all("Ping").values()].map((p) => val(p.get("n")))).to.deep.equal([9n]);
    expect(env.store.commits - commits).to.equal(2);
  });

  it("stays `confirmations` blocks behind the head", async () => {
    await (await env.emitter.requestOp(7, 1, "")).wait();
    await (await env.emitter.requestOp(7, 2, "")).wait();
    await mine();
    const head = await ethers.provider.getBlockNumber();
    const p = await env.indexer({ confirmations: 2 }).syncOnce();
    expect(p.target).to.equal(head - 2);
    expect(env.store.head()?.number).to.equal(head - 2);
    expect(val(env.store.latest("Counter", "c")?.get("count"))).to.equal(1);
  });

  it("shrinks the eth_getLogs range when the node refuses it, and still sees every event", async () => {
    for (let i = 0; i < 4; i++) {
      await (await env.emitter.requestOp(7, 1, "")).wait();
      await mine();
    }
    const inner = providerRpc(network.provider);
    const ranges: number[] = [];
    const rpc: RpcFunction = async (method, params) => {
      if (method === "eth_getLogs") {
        const f = params[0] as { fromBlock?: string; toBlock?: string };
        if (f.fromBlock) {
          const span = Number(f.toBlock) - Number(f.fromBlock) + 1;
          ranges.push(span);
          if (span > 3) throw new RpcError("query exceeds max block range 3", -32005);
        }
      }
      return inner(method, params);
    };
    await env.indexer({ rpc, maxBlockRange: 64 }).syncOnce();
    expect(val(env.store.latest("Counter", "c")?.get("count"))).to.equal(4);
    expect(Math.max(...ranges.slice(1))).to.be.at.most(64);
    expect(ranges.filter((r) => r <= 3).length).to.be.greaterThan(1);
  });

  it("retries transport failures with exponential backoff until the node answers", async () => {
    await (await env.emitter.requestOp(7, 4, "")).wait();
    const inner = providerRpc(network.provider);
    let down = 4;
    const delays: number[] = [];
    const flaky: RpcFunction = async (method, params) => {
      if (down > 0) {
        down--;
        throw new RpcTransportError(`${method}: connect ECONNREFUSED`);
      }
      return inner(method, params);
    };
    const rpc = withRetry(flaky, { initialDelayMs: 5, maxDelayMs: 20, onRetry: (_e, _a, d) => delays.push(d) });
    await new ChainIndexer({ manifest: env.manifest, store: env.store, rpc }).syncOnce();
    expect(delays).to.deep.equal([5, 10, 20, 20]);
    expect(val(env.store.latest("Counter", "c")?.get("count"))).to.equal(4);
  });

  it("retries a block whose ethereum.call failed non-deterministically", async () => {
    await (await env.emitter.requestOp(8, 0, "x")).wait();
    const inner = providerRpc(network.provider);
    let failures = 1;
    const rpc: RpcFunction = async (method, params) => {
      if (method === "eth_call" && failures-- > 0) throw new RpcError("header not found", -32000);
      return inner(method, params);
    };
    await env.indexer({ rpc, retryDelayMs: 1 }).syncOnce();
    const results = [...env.store.all("OpResult").values()].map((e) => val(e.get("results")));
    expect(results).to.deep.equal([["1", "x", "reverted"]]);
    expect(
      env.logs.some((l) => l.level === "error" && /eth_call failed: header not found; retrying/.test(l.message)),
    ).to.equal(true);
  });

  it("gives up after maxAttempts and never retries JSON-RPC error answers", async () => {
    let calls = 0;
    const failing: RpcFunction = async () => {
      calls++;
      throw new RpcTransportError("down");
    };
    await expect(withRetry(failing, { initialDelayMs: 1, maxAttempts: 3 })("eth_blockNumber", [])).to.be.rejectedWith(
      "down",
    );
    expect(calls).to.equal(3);
    calls = 0;
    const answering: RpcFunction = async () => {
      calls++;
      throw new RpcError("execution reverted", 3);
    };
    await expect(withRetry(answering, { initialDelayMs: 1 })("eth_call", [])).to.be.rejectedWith("execution reverted");
    expect(calls).to.equal(1);
  });
});
