/**
 * The indexer's answers to the faults the fault suite (test/indexer/faults.test.ts) injects, one by one: garbage
 * and wrong-id JSON-RPC answers, stalls past the client timeout, a node behind the store (restarted, rebuilding
 * its chain), a node that mines the rest of a range while eth_getLogs is answered, and sporadic errors between
 * stretches of progress.
 */
import { expect } from "chai";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { hexlify } from "ethers";
import { ethers, network } from "hardhat";
import { RpcError, RpcTransportError, httpRpc, providerRpc } from "../../../indexer/chain/rpc";
import { parseArgs } from "../../../indexer/cli";
import type { StoreValue } from "../../../indexer/store/types";
import type { RpcFunction } from "../../../indexer/chain/types";
import { indexerEnv, snapshot, type IndexerEnv } from "../../helpers/indexer-env";

const val = (x: StoreValue | undefined): unknown => {
  if (!x || x.kind === "Null") return null;
  if (x.kind === "Bytes") return hexlify(x.value);
  return x.value;
};

describe("indexer/chain/rpc: httpRpc takes only a JSON-RPC answer to its own request", function () {
  let server: Server;
  let url: string;
  /** How the next request is answered: gets the request's id. */
  let answer: (res: ServerResponse, id: number) => void;

  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => answer(res, (JSON.parse(body) as { id: number }).id));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  });

  const json = (status: number, text: string) => (res: ServerResponse) =>
    res.writeHead(status, { "content-type": "application/json" }).end(text);

  it("returns the result, null included, and throws an error answer as RpcError with its code", async () => {
    const rpc = httpRpc(url);
    answer = (res, id) => json(200, JSON.stringify({ jsonrpc: "2.0", id, result: "0x10" }))(res);
    expect(await rpc("eth_blockNumber", [])).to.equal("0x10");
    answer = (res, id) => json(200, JSON.stringify({ jsonrpc: "2.0", id, result: null }))(res);
    expect(await rpc("eth_getBlockByNumber", ["0x99", false])).to.equal(null);
    answer = (res, id) =>
      json(200, JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32005, message: "limit exceeded" } }))(res);
    const e = (await rpc("eth_getLogs", [{}]).catch((x: unknown) => x)) as RpcError;
    expect(e).to.be.instanceOf(RpcError);
    expect(e.code).to.equal(-32005);
  });

  for (const [what, reply] of [
    ["an answer to another request", (id: number) => JSON.stringify({ jsonrpc: "2.0", id: id + 1, result: "0x1" })],
    ["JSON null", () => "null"],
    ["a JSON array", () => "[]"],
    ["an object with neither result nor error", (id: number) => JSON.stringify({ jsonrpc: "2.0", id })],
    ["a malformed error", (id: number) => JSON.stringify({ jsonrpc: "2.0", id, error: "boom" })],
    ["a bare string", () => '"0x1"'],
    ["truncated JSON", () => '{"jsonrpc":"2.0","id":'],
  ] as const) {
    it(`treats ${what} as a transport failure (retried), not as a result`, async () => {
      answer = (res, id) => json(200, reply(id))(res);
      await expect(httpRpc(url)("eth_blockNumber", [])).to.be.rejectedWith(RpcTransportError);
    });
  }

  it("treats an HTTP error carrying a result as a transport failure", async () => {
    answer = (res, id) => json(502, JSON.stringify({ jsonrpc: "2.0", id, result: "0x1" }))(res);
    await expect(httpRpc(url)("eth_blockNumber", [])).to.be.rejectedWith(RpcTransportError, "HTTP 502");
  });

  it("gives up on a stalled request after its timeout (the CLI's --rpc-timeout)", async () => {
    const held: ServerResponse[] = [];
    answer = (res) => held.push(res);
    const started = Date.now();
    await expect(httpRpc(url, 100)("eth_blockNumber", [])).to.be.rejectedWith(RpcTransportError);
    expect(Date.now() - started).to.be.below(2000);
    for (const res of held) res.destroy();
    expect(parseArgs(["--rpc", "u", "--subgraph", "d", "--db", "f", "--open"]).rpcTimeoutMs).to.equal(30_000);
    expect(
      parseArgs(["--rpc", "u", "--subgraph", "d", "--db", "f", "--rpc-timeout", "250", "--open"]).rpcTimeoutMs,
    ).to.equal(250);
  });
});

describe("indexer/chain: a node behind the store, a node catching up mid-range, sporadic errors", function () {
  this.timeout(120_000);
  let env: IndexerEnv;
  let restore: () => Promise<void>;

  beforeEach(async () => {
    restore = await snapshot();
    env = await indexerEnv();
  });

  afterEach(async () => {
    await restore();
  });

  const count = (): unknown => val(env.store.latest("Counter", "c")?.get("count"));

  /** The node as if it only had blocks up to `height` (restarted and rebuilding the same chain). */
  const shortened = (inner: RpcFunction, height: () => number): RpcFunction => {
    return async (method, params) => {
      if (method === "eth_blockNumber") return `0x${height().toString(16)}`;
      if (method === "eth_getBlockByNumber" && Number(params[0]) > height()) return null;
      return inner(method, params);
    };
  };

  it("waits for a node behind its head instead of reverting to the node's height", async () => {
    for (const n of [1, 2, 3, 4]) await (await env.emitter.requestOp(7, n, "")).wait();
    const indexer = env.indexer();
    await indexer.syncOnce();
    const head = env.store.head()!;
    expect(count()).to.equal(10);

    const inner = providerRpc(network.provider);
    // Rebuilt to two blocks below our head, and (a node restarted from genesis) to block 0.
    for (const height of [head.number - 2, 0]) {
      const behind = env.indexer({ rpc: shortened(inner, () => height) });
      const p = await behind.syncOnce();
      expect(p.head).to.equal(head.number);
      expect(env.store.reverts, `node at ${height}`).to.deep.equal([]);
      expect(env.store.head()).to.deep.equal(head);
    }
    expect(env.logs.filter((l) => l.message.includes("behind the store's head"))).to.have.length(2);
    expect(env.logs.some((l) => l.message.startsWith("reorg"))).to.equal(false);
    expect(count()).to.equal(10);
  });

  it("still reverts when the node behind its head has another block where it can be compared", async () => {
    await (await env.emitter.requestOp(7, 1, "")).wait();
    const indexer = env.indexer();
    await indexer.syncOnce();
    const fork = await snapshot();
    const base = await ethers.provider.getBlockNumber();
    await (await env.emitter.requestOp(7, 10, "")).wait();
    await (await env.emitter.requestOp(7, 100, "")).wait();
    await indexer.syncOnce();
    await fork();
    await (await env.emitter.requestOp(7, 1000, "")).wait(); // base + 1 on another branch, the node one short
    await indexer.syncOnce();
    expect(env.store.reverts).to.deep.equal([base]);
    expect(count()).to.equal(1001);
  });

  it("does not skip the blocks a restarted node mines while it answers eth_getLogs", async () => {
    for (const n of [1, 2, 3, 4, 5]) await (await env.emitter.requestOp(7, n, "")).wait();
    const head = await ethers.provider.getBlockNumber();
    const inner = providerRpc(network.provider);
    // The node has been rebuilt up to head - 3 when the range starts, then catches up at once: the head it
    // reported before (a stale eth_blockNumber, or another replica) says `head` all along.
    let short = true;
    const rpc: RpcFunction = async (method, params) => {
      if (method === "eth_blockNumber") return `0x${head.toString(16)}`;
      const wasShort = short;
      short = false;
      if (wasShort && method === "eth_getBlockByNumber" && Number(params[0]) > head - 3) return null;
      if (wasShort && method === "eth_getLogs") {
        const logs = (await inner(method, params)) as { blockNumber: string }[];
        return logs.filter((l) => Number(l.blockNumber) <= head - 3); // quietly stops at the node's head
      }
      return inner(method, params);
    };
    const indexer = env.indexer({ rpc });
    await indexer.syncOnce();
    await indexer.syncOnce();
    expect(env.store.head()!.number).to.equal(head);
    expect(count(), "every event, none skipped").to.equal(15);
  });

  it("keeps the retry delay short while failures come between stretches of progress", async () => {
    for (let n = 1; n <= 20; n++) await (await env.emitter.requestOp(7, n, "")).wait();
    const inner = providerRpc(network.provider);
    // The first fetch of every block fails: blocks are fetched ahead, so failures are keyed by block, not by
    // call, to leave progress between them.
    const failed = new Set<string>();
    const rpc: RpcFunction = async (method, params) => {
      const block = String(params[0]);
      if (method === "eth_getBlockByNumber" && params[1] === true && !failed.has(block)) {
        failed.add(block);
        throw new RpcError("header not found", -32000);
      }
      return inner(method, params);
    };
    await env.indexer({ rpc, retryDelayMs: 5, maxRetryDelayMs: 10_000 }).syncOnce();
    expect(count()).to.equal(210);
    const delays = env.logs.map((l) => /retrying in (\d+) ms/.exec(l.message)?.[1]).filter((d) => d !== undefined);
    expect(delays.length).to.be.at.least(5);
    expect(new Set(delays)).to.deep.equal(new Set(["5"]));
  });
});
