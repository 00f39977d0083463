/**
 * A deterministic chain of real TradeTrace registry activity for the indexer fault suite. The season of `npm start`
 * (scripts/season/play.ts: deployAll, actors, MTRs, COOs, shipments, CBP actions) is played once on a `hardhat node`
 * whose genesis is pinned (a fixed `initialDate`); its blocks are then recorded as signed transactions with their
 * timestamps, and `replayChain` rebuilds exactly the same blocks, hashes included, on a fresh node (automine off,
 * evm_setNextBlockTimestamp, evm_mine). The recording is kept under cache/ (keyed by the contracts' bytecode and
 * the season's code), so later runs replay it instead of playing the season again. `mineBranch` mines registry
 * transactions (mill test reports) for reorgs.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Transaction, Wallet, id as keccakText, type TransactionLike } from "ethers";
import { MillTestReportRegistry__factory } from "../../typechain-types";
import type { SeasonResult } from "../../scripts/season/plan";
import type { DeploymentFile } from "../../scripts/lib/deployments";
import { mtr } from "../../scripts/season/documents";
import { code } from "../../scripts/season/shipments";

const ROOT = path.resolve(__dirname, "..", "..");
/** A hardhat config whose genesis timestamp is fixed, so that two fresh nodes start from the same block 0. */
export const FIXED_GENESIS_CONFIG = path.join(ROOT, "test", "fixtures", "hardhat", "past-clock.config.ts");

let nextId = 1;
/** One JSON-RPC call straight to `url`; throws on an error answer. */
export async function rpcCall(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

export const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

/** Plays the season against `url` (a fresh node); returns what happened and the deployment it wrote to `dir`. */
export async function playSeason(
  url: string,
  dir: string,
): Promise<{ season: SeasonResult; deployment: DeploymentFile }> {
  const seasonFile = path.join(dir, "season.json");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: "true",
    HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
    LOCALHOST_RPC_URL: url,
    TRADETRACE_DEPLOYMENTS_DIR: dir,
    TRADETRACE_REDEPLOY: "1",
    SEASON_OUT: seasonFile,
  };
  delete env.HARDHAT_NETWORK;
  const hardhat = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
  await new Promise<void>((ok, fail) => {
    const child = spawn(
      process.execPath,
      [hardhat, "run", "--no-compile", "--network", "localhost", "scripts/season/play.ts"],
      { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (c) => (c === 0 ? ok() : fail(new Error(`the season exited with ${c}:\n${out}`))));
  });
  return {
    season: JSON.parse(readFileSync(seasonFile, "utf8")) as SeasonResult,
    deployment: JSON.parse(readFileSync(path.join(dir, "localhost.json"), "utf8")) as DeploymentFile,
  };
}

export interface RecordedBlock {
  number: number;
  hash: string;
  timestamp: number;
  /** The block's signed transactions, in order. */
  raw: string[];
}

interface RpcTx {
  hash: string;
  type: string;
  chainId?: string;
  nonce: string;
  gas: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  to: string | null;
  value: string;
  input: string;
  accessList?: { address: string; storageKeys: string[] }[];
  r: string;
  s: string;
  v: string;
  yParity?: string;
}

/** A mined transaction as the signed bytes that were sent. */
function rawOf(tx: RpcTx): string {
  const like: TransactionLike = {
    type: Number(tx.type),
    chainId: tx.chainId ? BigInt(tx.chainId) : undefined,
    nonce: Number(tx.nonce),
    gasLimit: BigInt(tx.gas),
    to: tx.to,
    value: BigInt(tx.value),
    data: tx.input,
    signature: { r: tx.r, s: tx.s, v: Number(tx.yParity ?? tx.v) },
  };
  if (like.type === 2) {
    like.maxFeePerGas = BigInt(tx.maxFeePerGas!);
    like.maxPriorityFeePerGas = BigInt(tx.maxPriorityFeePerGas!);
    like.accessList = tx.accessList ?? [];
  } else {
    like.gasPrice = BigInt(tx.gasPrice!);
    if (like.type === 1) like.accessList = tx.accessList ?? [];
  }
  if (like.type === 0) like.signature = { r: tx.r, s: tx.s, v: Number(tx.v) };
  const t = Transaction.from(like);
  if (t.hash !== tx.hash) throw new Error(`cannot re-encode transaction ${tx.hash} (got ${t.hash})`);
  return t.serialized;
}

/** Blocks 1..head of the node at `url`. */
export async function recordChain(url: string): Promise<RecordedBlock[]> {
  const head = Number(await rpcCall(url, "eth_blockNumber"));
  const blocks: RecordedBlock[] = [];
  for (let n = 1; n <= head; n++) {
    const b = (await rpcCall(url, "eth_getBlockByNumber", [hex(n), true])) as {
      hash: string;
      timestamp: string;
      transactions: RpcTx[];
    };
    blocks.push({ number: n, hash: b.hash, timestamp: Number(b.timestamp), raw: b.transactions.map(rawOf) });
  }
  return blocks;
}

/** The hash of block `n` on the node, or null. */
export async function blockHash(url: string, n: number): Promise<string | null> {
  const b = (await rpcCall(url, "eth_getBlockByNumber", [hex(n), false])) as { hash: string } | null;
  return b?.hash ?? null;
}

/**
 * Rebuilds `blocks` on a fresh node (same genesis) and checks that every block gets the recorded hash.
 * `pace` runs before each block (to slow the replay down or stop it: it throws).
 */
export async function replayChain(
  url: string,
  blocks: RecordedBlock[],
  pace?: (n: number) => Promise<void>,
): Promise<void> {
  await rpcCall(url, "evm_setAutomine", [false]);
  for (const b of blocks) {
    await pace?.(b.number);
    await rpcCall(url, "evm_setNextBlockTimestamp", [hex(b.timestamp)]);
    for (const raw of b.raw) await rpcCall(url, "eth_sendRawTransaction", [raw]);
    await rpcCall(url, "evm_mine");
    const hash = await blockHash(url, b.number);
    if (hash !== b.hash) throw new Error(`replayed block ${b.number} is ${hash}, recorded ${b.hash}`);
  }
  await rpcCall(url, "evm_setAutomine", [true]);
}

/** The season's Korean mill (onboarded and funded by the season): its key is derived from its name. */
const MILL = new Wallet(keccakText("tradetrace season key: POSCO Pohang"));
const mtrInterface = MillTestReportRegistry__factory.createInterface();

/**
 * Mines `count` blocks on top of the node's head, each with one mill test report the Korean mill issues
 * (labelled with `branch`, so two branches differ), every third block empty. Returns the new head.
 */
export async function mineBranch(url: string, registry: string, branch: string, count: number): Promise<number> {
  const chainId = Number(await rpcCall(url, "eth_chainId"));
  let nonce = Number(await rpcCall(url, "eth_getTransactionCount", [MILL.address, "latest"]));
  for (let i = 0; i < count; i++) {
    if (i % 3 === 2) {
      await rpcCall(url, "evm_mine");
      continue;
    }
    const report = mtr(`REORG-${branch}-${i}`, {
      heatNumber: `KR-${branch}-${i}`,
      countryOfMeltAndPour: code("KR"),
      countryOfManufacture: code("KR"),
      totalKg: BigInt(10_000 + i),
    });
    const signed = await MILL.signTransaction({
      type: 2,
      chainId,
      nonce: nonce++,
      to: registry,
      data: mtrInterface.encodeFunctionData("issue", [report]),
      gasLimit: 1_000_000,
      maxFeePerGas: 200_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    });
    await rpcCall(url, "eth_sendRawTransaction", [signed]);
    const receipt = (await rpcCall(url, "eth_getTransactionReceipt", [Transaction.from(signed).hash])) as {
      status: string;
    } | null;
    if (receipt?.status !== "0x1") throw new Error(`the branch ${branch} transaction ${i} was not mined or reverted`);
  }
  return Number(await rpcCall(url, "eth_blockNumber"));
}

export interface SeasonChain {
  deployment: DeploymentFile;
  blocks: RecordedBlock[];
}

const CACHE = path.join(ROOT, "cache", "fault-suite");

/** What the season's chain depends on: the registries' bytecode, the season's code and the node config. */
function seasonKey(): string {
  const h = createHash("sha256");
  const files = [FIXED_GENESIS_CONFIG, path.join(ROOT, "hardhat.config.ts")];
  const season = path.join(ROOT, "scripts", "season");
  for (const f of readdirSync(season).sort()) files.push(path.join(season, f));
  files.push(path.join(ROOT, "scripts", "lib", "deployments.ts"));
  for (const name of ["ActorRegistry", "CertificateOfOriginRegistry", "MillTestReportRegistry", "ShipmentRegistry"]) {
    const dir = readdirSync(path.join(ROOT, "artifacts", "contracts"), { recursive: true, encoding: "utf8" }).find(
      (f) => f.endsWith(`${name}.sol${path.sep}${name}.json`),
    );
    if (!dir) throw new Error(`no artifact for ${name}`);
    files.push(path.join(ROOT, "artifacts", "contracts", dir));
  }
  for (const f of files) h.update(f).update(readFileSync(f));
  return h.digest("hex").slice(0, 16);
}

/**
 * Puts the season's chain on the fresh node at `url` (pinned genesis): replays the cached recording if there is
 * one for this code, else plays the season and records it. Writes the deployment file to `dir`/localhost.json.
 */
export async function seasonChain(url: string, dir: string): Promise<SeasonChain & { replayed: boolean }> {
  const file = path.join(CACHE, `season-${seasonKey()}.json`);
  let chain: SeasonChain;
  let replayed = false;
  if (existsSync(file)) {
    chain = JSON.parse(readFileSync(file, "utf8")) as SeasonChain;
    await replayChain(url, chain.blocks);
    replayed = true;
  } else {
    const { deployment } = await playSeason(url, dir);
    chain = { deployment, blocks: await recordChain(url) };
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(file, JSON.stringify(chain));
  }
  writeFileSync(path.join(dir, "localhost.json"), `${JSON.stringify(chain.deployment, null, 2)}\n`);
  return { ...chain, replayed };
}

/**
 * Renders and builds subgraph/ for the deployment in `dir`, unless subgraph/build already holds that very build
 * (same rendered manifest, schema, mappings and ABIs, and a build manifest nobody replaced since).
 */
export function buildSubgraphFor(dir: string, render: () => void, build: () => void): void {
  const subgraph = path.join(ROOT, "subgraph");
  render();
  const inputs = createHash("sha256");
  const files = [path.join(subgraph, "subgraph.yaml"), path.join(subgraph, "schema.graphql")];
  for (const sub of ["src", "abis"]) {
    // src/ has folders (src/rules/): every file below it is an input of the build
    for (const f of readdirSync(path.join(subgraph, sub), { recursive: true, encoding: "utf8" }).sort()) {
      const file = path.join(subgraph, sub, f);
      if (statSync(file).isFile()) files.push(file);
    }
  }
  for (const f of files) inputs.update(f).update(readFileSync(f));
  const built = path.join(subgraph, "build", "subgraph.yaml");
  const stamp = path.join(CACHE, "subgraph-build.sha256");
  const fingerprint = (): string =>
    `${inputs.copy().digest("hex")} ${existsSync(built) ? createHash("sha256").update(readFileSync(built)).digest("hex") : "-"}`;
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === fingerprint()) return;
  build();
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(stamp, fingerprint());
}
