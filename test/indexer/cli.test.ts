import { expect } from "chai";
import { ContractFactory, JsonRpcProvider, type Contract } from "ethers";
import { artifacts } from "hardhat";
import fs from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { USAGE, main, parseArgs, startQueryServer, type CliDeps } from "../../indexer/cli";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import { bearer, call } from "../helpers/http";
import { writeApiKeyFile } from "../helpers/graphql-auth";
import { buildSubgraph } from "../helpers/subgraph-build";
import { MemoryStore } from "../helpers/memory-store";
import { freePort, startHardhatNode, type HardhatNode } from "../helpers/hardhat-node";

/** The fixture manifest's address: the first contract account 0 deploys on a fresh node. */
const FIXTURE_ADDRESS = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

function deps(store: MemoryStore, lines: string[], signal?: AbortSignal): CliDeps {
  return {
    openStore: () => store,
    startServer: async () => null,
    stderr: (l) => lines.push(l),
    signal,
    progressIntervalMs: 0,
    retryDelayMs: 100,
  };
}

async function deployAndEmit(url: string): Promise<Contract> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true });
  const signer = await provider.getSigner(0);
  const art = await artifacts.readArtifact("ValueEmitter");
  const emitter = (await new ContractFactory(art.abi, art.bytecode, signer).deploy()) as Contract;
  await emitter.waitForDeployment();
  expect((await emitter.getAddress()).toLowerCase()).to.equal(FIXTURE_ADDRESS);
  for (const n of [1, 2, 3]) await (await emitter.requestOp(7, n, "")).wait();
  await (await emitter.requestOp(8, 0, "over http")).wait(); // ethereum.call, including a revert, over HTTP
  provider.destroy();
  return emitter;
}

const count = (store: MemoryStore): unknown => store.latest("Counter", "c")?.get("count");

describe("indexer/cli against a `hardhat node` over HTTP", function () {
  this.timeout(240_000);
  let dir: string;
  let node: HardhatNode | null = null;

  before(() => {
    dir = buildSubgraph("values");
  });

  after(async () => {
    await node?.stop();
  });

  it("retries while the node is down, then catches up and reports progress", async () => {
    const port = await freePort();
    const store = new MemoryStore();
    const lines: string[] = [];
    const controller = new AbortController();
    const args = ["--rpc", `http://127.0.0.1:${port}`, "--subgraph", dir, "--db", "unused.db", "--port", "0", "--open"];
    const running = main(args, deps(store, lines, controller.signal));
    await new Promise((r) => setTimeout(r, 500)); // nothing listens yet
    node = await startHardhatNode(port);
    await deployAndEmit(node.url);
    for (let i = 0; i < 300 && (count(store) as { value?: number })?.value !== 6; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    controller.abort();
    expect(await running).to.equal(0);
    expect(count(store)).to.deep.equal({ kind: "Int", value: 6 });
    expect(lines.some((l) => /^node unreachable \(eth_blockNumber: .*\); retry 1 in 100 ms$/.test(l))).to.equal(true);
    expect(
      lines.some((l) => /^block \d+\/\d+ \(\d+ behind\) \| [\d.]+ blocks\/s \| [\d.]+ events\/s$/.test(l)),
    ).to.equal(true);
  });

  it("--once indexes from scratch up to the head and exits", async () => {
    const store = new MemoryStore();
    const lines: string[] = [];
    const code = await main(["--rpc", node!.url, "--subgraph", dir, "--db", "x.db", "--once"], deps(store, lines));
    expect(code).to.equal(0);
    expect(lines[0]).to.equal("empty store: indexing from the start block");
    expect(count(store)).to.deep.equal({ kind: "Int", value: 6 });
    const calls = [...store.all("OpResult").values()].filter((e) => {
      const op = e.get("op");
      return op?.kind === "Int" && op.value === 8;
    });
    expect(calls.map((e) => e.get("results"))).to.deep.equal([
      {
        kind: "Array",
        value: [
          { kind: "String", value: "4" },
          { kind: "String", value: "over http" },
          { kind: "String", value: "reverted" },
        ],
      },
    ]);
    const head = store.head()!.number;
    expect(lines[lines.length - 1]).to.match(new RegExp(`^block ${head}/${head} \\(0 behind\\)`));
  });

  it("serves GraphQL from query workers behind the access policy while it indexes into a store file", async () => {
    const tmp = fs.mkdtempSync(path.join(tmpdir(), "tt-cli-serve-"));
    const keys = writeApiKeyFile(tmp);
    try {
      for (const auth of [["--api-keys", keys.file], ["--open"]]) {
        const db = path.join(tmp, `${auth[0].slice(2)}.db`);
        const lines: string[] = [];
        const controller = new AbortController();
        const running = main([...["--rpc", node!.url, "--subgraph", dir, "--db", db, "--port", "0"], ...auth], {
          openStore: (file, manifest) => new SqliteStore(file, loadSubgraphSchema(manifest.schemaFile)),
          startServer: (_store, manifest, opts) => startQueryServer(manifest, opts),
          stderr: (l) => lines.push(l),
          signal: controller.signal,
          progressIntervalMs: 0,
        });
        try {
          let url: URL | undefined;
          for (let i = 0; i < 600 && !url; i++) {
            const line = lines.find((l) => l.startsWith("GraphQL: "));
            if (line) url = new URL(line.slice("GraphQL: ".length));
            else await new Promise((r) => setTimeout(r, 100));
          }
          const port = Number(url!.port);
          const query = JSON.stringify({ query: `{ counter(id: "c") { count } }` });
          const ask = (headers: Record<string, string>) =>
            call(port, "POST", url!.pathname, query, { "Content-Type": "application/json", ...headers });
          let answer = "";
          for (let i = 0; i < 300 && !answer.includes('"count":6'); i++) {
            answer = (await ask(bearer(keys.key))).body;
            if (!answer.includes('"count":6')) await new Promise((r) => setTimeout(r, 100));
          }
          expect(JSON.parse(answer)).to.deep.equal({ data: { counter: { count: 6 } } });
          if (auth[0] === "--open") {
            expect(lines).to.include(
              "WARNING: the GraphQL API is OPEN (--open): no authentication, any local process can read it",
            );
            expect((await ask({})).status).to.equal(200);
          } else {
            expect(lines).to.include("GraphQL requires a bearer token (API keys) with scope tradetrace:read");
            expect((await ask({})).status).to.equal(401);
            expect((await ask({ Origin: "https://evil.example", ...bearer(keys.key) })).status).to.equal(403);
          }
        } finally {
          controller.abort();
          expect(await running).to.equal(0);
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("rejects bad arguments with usage", async () => {
    const lines: string[] = [];
    expect(await main(["--rpc", "http://x"], deps(new MemoryStore(), lines))).to.equal(2);
    expect(lines).to.deep.equal([`--subgraph is required\n${USAGE}`]);
    expect(() => parseArgs(["--rpc", "u", "--subgraph", "d", "--db", "f", "--port", "-1"])).to.throw("--port");
    expect(() => parseArgs(["--bogus"])).to.throw("unknown argument --bogus");
    expect(() => parseArgs(["--rpc", "u", "--subgraph", "d", "--db", "f"])).to.throw(
      /choose how analysts authenticate/,
    );
    expect(parseArgs(["--rpc", "u", "--subgraph", "d", "--db", "f", "--once"]).access).to.deep.equal({});
    expect(parseArgs(["--rpc", "u", "--subgraph", "d", "--db", "f", "--api-keys", "k.json"])).to.deep.include({
      name: "tradetrace",
      port: 8000,
      once: false,
      confirmations: 0,
      access: { apiKeysFile: "k.json" },
    });
  });
});
