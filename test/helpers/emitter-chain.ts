/**
 * Drives a `hardhat node` over plain HTTP JSON-RPC for tests and benches that need many blocks of
 * events: deploys the fixture emitter contracts and mines blocks of their calls, each block's
 * transactions sent in one batch request. Reads the compiled artifacts, so it needs no hardhat runtime.
 */
import { readFileSync } from "fs";
import { join, resolve } from "path";
import { Interface, getCreateAddress, toBeHex, type InterfaceAbi } from "ethers";

const ARTIFACTS = resolve(__dirname, "..", "..", "artifacts", "contracts", "test");

function artifact(name: string): { abi: InterfaceAbi; bytecode: string } {
  return JSON.parse(readFileSync(join(ARTIFACTS, `${name}.sol`, `${name}.json`), "utf8")) as {
    abi: InterfaceAbi;
    bytecode: string;
  };
}

export const valueEmitter = new Interface(artifact("ValueEmitter").abi);
export const childEmitter = new Interface(artifact("ChildEmitter").abi);

export interface Tx {
  to: string;
  data: string;
  gas?: number;
}

export class ChainDriver {
  private nextId = 1;
  private manual = false;

  private constructor(
    readonly url: string,
    readonly from: string,
  ) {}

  /** Connects as the node's first unlocked account. */
  static async connect(url: string): Promise<ChainDriver> {
    const d = new ChainDriver(url, "");
    const accounts = (await d.call("eth_accounts")) as string[];
    return new ChainDriver(url, accounts[0]);
  }

  async call(method: string, params: unknown[] = []): Promise<unknown> {
    return (await this.batch([[method, params]]))[0];
  }

  /** One HTTP request with several JSON-RPC calls; throws on the first error answer. */
  async batch(calls: [string, unknown[]][]): Promise<unknown[]> {
    const body = calls.map(([method, params]) => ({ jsonrpc: "2.0", id: this.nextId++, method, params }));
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answers = (await res.json()) as { id: number; result?: unknown; error?: { message: string } }[];
    const byId = new Map(answers.map((a) => [a.id, a]));
    return body.map((b) => {
      const a = byId.get(b.id);
      if (!a || a.error) throw new Error(`${b.method}: ${a?.error?.message ?? "no answer"}`);
      return a.result;
    });
  }

  /** Deploys a contract from contracts/test (automine must be on). */
  async deploy(name: string): Promise<string> {
    const hash = await this.call("eth_sendTransaction", [
      { from: this.from, data: artifact(name).bytecode, gas: toBeHex(5_000_000) },
    ]);
    const receipt = (await this.call("eth_getTransactionReceipt", [hash])) as { contractAddress: string } | null;
    if (!receipt) throw new Error(`${name} was not mined; is automine on?`);
    return receipt.contractAddress.toLowerCase();
  }

  /**
   * Mines one block holding `txs` (automine is switched off for good). The node may answer a batch's
   * calls concurrently, so switching automine off and mining are requests of their own.
   */
  async mineBlock(txs: Tx[]): Promise<void> {
    if (!this.manual) {
      await this.call("evm_setAutomine", [false]);
      this.manual = true;
    }
    await this.batch(
      txs.map((t) => [
        "eth_sendTransaction",
        [{ from: this.from, to: t.to, data: t.data, gas: toBeHex(t.gas ?? 300_000) }],
      ]),
    );
    await this.call("evm_mine");
  }

  async blockNumber(): Promise<number> {
    return Number(await this.call("eth_blockNumber"));
  }
}

/** The address of the contract `deployer` creates with its `nonce`-th creation (contracts count from 1). */
export function createdAddress(deployer: string, nonce: number): string {
  return getCreateAddress({ from: deployer, nonce }).toLowerCase();
}

/** `ValueEmitter.requestOp(op, n, text)` */
export function op(emitter: string, opNo: number, n: number | bigint, text = ""): Tx {
  return { to: emitter, data: valueEmitter.encodeFunctionData("requestOp", [opNo, n, text]) };
}

/** `ValueEmitter.spawn(label)`: creates a ChildEmitter, which the fixture subgraph's template follows. */
export function spawnChild(emitter: string, label: string): Tx {
  return { to: emitter, data: valueEmitter.encodeFunctionData("spawn", [label]), gas: 1_000_000 };
}

/** `ChildEmitter.ping(n)` */
export function ping(child: string, n: number): Tx {
  return { to: child, data: childEmitter.encodeFunctionData("ping", [n]) };
}
