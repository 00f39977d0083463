/**
 * Issue 5's "done when": after a `kill -9` during catch-up and a restart, the store equals one built in a
 * single clean run. The CLI runs as a child process against a `hardhat node` over HTTP; it is SIGKILLed at
 * a random committed head in each third of the chain, restarted to completion, and its digest (every
 * entity version) and dynamic data sources are compared with a clean run's.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import Database from "better-sqlite3";
import { main, type CliDeps } from "../../indexer/cli";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import { ChainDriver, createdAddress, op, ping, spawnChild, type Tx } from "../helpers/emitter-chain";
import { plain } from "../helpers/memory-store";
import { freePort, startHardhatNode, type HardhatNode } from "../helpers/hardhat-node";
import { Prng } from "../helpers/prng";
import { buildSubgraph } from "../helpers/subgraph-build";
import { PROGRESS, headOf, runCli, sleep } from "../helpers/indexer-child";

/** The fixture manifest's address: the first contract account 0 deploys on a fresh node. */
const FIXTURE_ADDRESS = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const BLOCKS = 300;
const SEED = Number(process.env.CRASH_SEED ?? 0x5eed);

describe("indexer/cli: kill -9 during catch-up, then restart", function () {
  this.timeout(120_000);
  const rng = new Prng(SEED);
  let node: HardhatNode;
  let subgraph: string;
  let tmp: string;
  let chainHead: number;
  let reference: { digest: string; dataSources: unknown; head: number };

  const open = (file: string): SqliteStore =>
    new SqliteStore(file, loadSubgraphSchema(join(subgraph, "schema.graphql")));
  const args = (db: string): string[] => [
    "--rpc",
    node.url,
    "--subgraph",
    subgraph,
    "--db",
    db,
    "--once",
    "--max-range",
    "25",
  ];

  before(async () => {
    subgraph = buildSubgraph("values");
    tmp = mkdtempSync(join(tmpdir(), "tt-crash-"));
    node = await startHardhatNode(await freePort());
    const chain = await ChainDriver.connect(node.url);
    const emitter = await chain.deploy("ValueEmitter");
    expect(emitter).to.equal(FIXTURE_ADDRESS);

    // A few hundred blocks: counter updates (and removals), pure ops, two template data sources (one
    // early, one midway) and their pings, the odd ethereum.call.
    const children: string[] = [];
    for (let b = 0; b < BLOCKS; b++) {
      const txs: Tx[] = [];
      if (b === 5 || b === BLOCKS / 2) {
        txs.push(spawnChild(emitter, `kid${children.length}`));
        children.push(createdAddress(emitter, children.length + 1));
      }
      for (let k = rng.int(1, 3); k > 0; k--) {
        const r = rng.next();
        if (r < 0.4) txs.push(op(emitter, 7, rng.int(1, 9), rng.chance(0.05) ? "remove" : ""));
        else if (r < 0.55) txs.push(op(emitter, 1, rng.int(-50, 50), String(rng.int(1, 99))));
        else if (r < 0.65) txs.push(op(emitter, 4, 0, `text ${b}`));
        else if (r < 0.68) txs.push(op(emitter, 8, rng.int(0, 5), "call"));
        else if (children.length > 0) txs.push(ping(rng.pick(children), rng.int(0, 1000)));
        else txs.push(op(emitter, 7, 1));
      }
      await chain.mineBlock(txs);
    }
    chainHead = await chain.blockNumber();

    // The reference: one clean run, in this process, over its own store file.
    const file = join(tmp, "reference.db");
    const deps: CliDeps<SqliteStore> = {
      openStore: (db) => open(db),
      startServer: async () => null,
      stderr: () => {},
    };
    expect(await main(args(file), deps)).to.equal(0);
    const store = open(file);
    reference = { digest: store.digest(), dataSources: plain(store.dataSources()), head: store.head()!.number };
    expect(reference.head).to.equal(chainHead);
    expect(store.dataSources()).to.have.length(2);
    store.close();
  });

  after(async () => {
    await node?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  for (const [third, lo, hi] of [
    [1, 0.1, 0.3],
    [2, 0.4, 0.6],
    [3, 0.7, 0.9],
  ] as const) {
    it(`killed in the ${["first", "second", "last"][third - 1]} third of catch-up, resumes from its committed head`, async () => {
      const file = join(tmp, `killed-${third}.db`);
      const target = Math.floor(chainHead * (lo + rng.next() * (hi - lo)));

      const first = runCli(args(file));
      let reader: Database.Database | null = null;
      let done = false;
      void first.exited.then(() => (done = true));
      try {
        for (;;) {
          if (done) throw new Error(`the CLI finished before block ${target}:\n${first.lines.join("\n")}`);
          if (!reader) {
            try {
              reader = new Database(file, { readonly: true, fileMustExist: true });
            } catch {
              reader = null;
            }
          }
          if (first.lines.some((l) => PROGRESS.test(l)) && headOf(reader) >= target) break;
          await sleep(5);
        }
        first.kill();
      } finally {
        reader?.close();
      }
      expect(await first.exited).to.deep.equal({ code: null, signal: "SIGKILL" });

      const killed = open(file);
      const committed = killed.head()!;
      killed.close();
      expect(committed.number).to.be.at.least(target);
      expect(committed.number).to.be.below(chainHead, "killed during catch-up, not after it");

      const second = runCli(args(file));
      const exit = await second.exited;
      expect(exit, second.lines.join("\n")).to.deep.equal({ code: 0, signal: null });
      expect(second.lines[0]).to.equal(`resuming after block ${committed.number} (${committed.hash})`);
      const progress = second.lines.map((l) => PROGRESS.exec(l)).filter((m) => m !== null);
      expect(Number(progress[0]![1])).to.be.above(committed.number);
      expect(Number(progress[progress.length - 1]![1])).to.equal(chainHead);

      const store = open(file);
      try {
        expect(store.head()!.number).to.equal(reference.head);
        expect(plain(store.dataSources())).to.deep.equal(reference.dataSources);
        expect(store.digest()).to.equal(reference.digest);
      } finally {
        store.close();
      }
      console.log(`      killed at block ${committed.number} of ${chainHead} (target ${target}, seed ${SEED})`);
    });
  }
});
