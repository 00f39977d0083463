/**
 * What every phase of the season (scripts/season/play.ts) works with: the registries, each actor's wallet (a key
 * derived from its name), a counted `send`, and the mill test reports issued so far with their record ids and the
 * buyers their holders approved.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { Wallet as EthersWallet } from "ethers";
import type {
  BaseContract,
  ContractTransactionResponse,
  FeeData,
  Interface,
  Provider,
  Signer,
  TransactionRequest,
  TransactionResponse,
} from "ethers";
import type { Registries } from "../lib/deployments";
import { APPROVE_ALLOCATOR_TYPES, mtr, recordIdOf, type MillTestReport } from "./documents";
import { code } from "./shipments";
import { MTR_DOMAIN } from "../credentials/eip712";
import { GASLESS_MILLS, RELAY } from "./cast";
import type { SeasonActor } from "./plan";

type Ethers = HardhatRuntimeEnvironment["ethers"];

/** Gas each transaction of a `block` may use: more than any of the season's, well under the block's 30 M. */
const BLOCK_TX_GAS = 3_000_000n;

/** An actor's wallet: inside a `block` the stage fills in nonce, gas and fees, so a transaction is one call. */
export class Wallet extends EthersWallet {
  constructor(
    key: string,
    provider: Provider,
    private readonly stage: Stage,
  ) {
    super(key, provider);
  }

  override async sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    return super.sendTransaction(await this.stage.filled(this.address, tx));
  }
}

export const DAY = 86_400n;
export const HOUR = 3_600n;

export function log(message: string): void {
  process.stderr.write(`season: ${message}\n`);
}

export class Stage {
  /** Transactions sent so far. */
  transactions = 0;
  readonly actors: SeasonActor[] = [];
  /** The registries' ABIs, to decode a refused transaction's custom error. */
  readonly interfaces: Interface[];
  private readonly wallets = new Map<string, Wallet>();
  private readonly reports = new Map<string, MillTestReport>();
  // A record id binds the content hash to its issuer (recordIdOf), so remember who anchored each report.
  private readonly issuerOf = new Map<MillTestReport, string>();
  private mtrDomain?: { name: string; version: string; chainId: bigint; verifyingContract: string };
  /** The deadline of every signature the season's actors give (set when the mills start issuing). */
  deadline = 0n;

  constructor(
    readonly hre: HardhatRuntimeEnvironment,
    readonly registries: Registries,
    /** Hardhat's first account: it deploys, funds every wallet and acts as CBP. */
    readonly cbp: Signer,
  ) {
    const { actorRegistry, millTestReports, certificatesOfOrigin, shipments } = registries;
    this.interfaces = [actorRegistry, millTestReports, certificatesOfOrigin, shipments].map(
      (c: BaseContract) => c.interface,
    );
  }

  get ethers(): Ethers {
    return this.hre.ethers;
  }

  /** The actor's wallet: a key derived from its name, so every run (and the web app's tests) know it. */
  wallet(name: string): Wallet {
    let w = this.wallets.get(name);
    if (!w) {
      w = new Wallet(this.ethers.id(`tradetrace season key: ${name}`), this.ethers.provider, this);
      this.wallets.set(name, w);
    }
    return w;
  }

  /** Waits for a transaction to be mined, and counts it (in a `block`, only waits for the node to take it). */
  async send(sent: Promise<ContractTransactionResponse | TransactionResponse>): Promise<void> {
    const tx = await sent;
    this.transactions++;
    if (this.pending) this.pending.push(tx);
    else await tx.wait();
  }

  private pending?: (ContractTransactionResponse | TransactionResponse)[];
  /** In a block: each sender's next nonce, and the fees every transaction offers. */
  private nonces = new Map<string, number>();
  private fees?: FeeData;

  /**
   * `tx` with nonce, gas and fees filled in when in a block (no estimate, no lookups); else `tx` as it is. A block
   * starts with an empty mempool, so the latest nonce is the next one (asking for "pending" makes Hardhat execute
   * the mempool at every call).
   */
  async filled(from: string, tx: TransactionRequest): Promise<TransactionRequest> {
    if (!this.pending || !this.fees) return tx;
    const nonce = this.nonces.get(from) ?? (await this.ethers.provider.getTransactionCount(from, "latest"));
    this.nonces.set(from, nonce + 1);
    const { maxFeePerGas, maxPriorityFeePerGas } = this.fees;
    return { ...tx, nonce, gasLimit: tx.gasLimit ?? BLOCK_TX_GAS, type: 2, maxFeePerGas, maxPriorityFeePerGas };
  }

  /**
   * Mines everything `play` sends in one block at `timestamp` (automine off meanwhile: a history of many weeks
   * stays quick). Transactions of one sender keep their order; every one must succeed.
   */
  async block(timestamp: bigint, play: () => Promise<void>): Promise<void> {
    const provider = this.ethers.provider;
    await provider.send("evm_setAutomine", [false]);
    this.fees = await provider.getFeeData();
    this.nonces = new Map();
    this.pending = [];
    let sent: (ContractTransactionResponse | TransactionResponse)[];
    try {
      await play();
    } finally {
      sent = this.pending;
      this.pending = undefined;
      await provider.send("evm_setNextBlockTimestamp", [Number(timestamp)]);
      await provider.send("evm_mine", []);
      await provider.send("evm_setAutomine", [true]);
    }
    for (const tx of sent) {
      const receipt = await provider.getTransactionReceipt(tx.hash);
      if (receipt?.status !== 1) throw new Error(`transaction ${tx.hash} of the block at ${timestamp} failed`);
    }
  }

  // ---------------------------------------------------------------- mill test reports

  /** Remembers `report` under `label`, anchored by `issuer` (whose address its record id binds). */
  anchored(issuer: Wallet, label: string, report: MillTestReport): MillTestReport {
    this.reports.set(label, report);
    this.issuerOf.set(report, issuer.address);
    return report;
  }

  /** A report issued earlier, by its label ("KR-4", "KR-PIPE-1"). */
  report(label: string): MillTestReport {
    const report = this.reports.get(label);
    if (!report) throw new Error(`the season has no mill test report ${label}`);
    return report;
  }

  idOf(report: MillTestReport): string {
    return recordIdOf(this.issuerOf.get(report)!, report.contentHash);
  }

  /** A heat's report: heat number `<country><4400+n>`, melted (and made) in `melt`, labelled `<country>-<n>`. */
  heat(laneCountry: string, n: number, totalKg: bigint, melt = laneCountry): { label: string; report: MillTestReport } {
    const label = `${laneCountry}-${n}`;
    const report = mtr(label, {
      heatNumber: `${laneCountry}${4400 + n}`,
      countryOfMeltAndPour: code(melt),
      countryOfManufacture: code(melt),
      totalKg,
    });
    return { label, report };
  }

  /** The EIP-712 domain of the mill test report registry. */
  async reportDomain(): Promise<NonNullable<Stage["mtrDomain"]>> {
    if (!this.mtrDomain) {
      const chainId = (await this.ethers.provider.getNetwork()).chainId;
      const verifyingContract = await this.registries.millTestReports.getAddress();
      this.mtrDomain = { name: MTR_DOMAIN, version: "1", chainId, verifyingContract };
    }
    return this.mtrDomain;
  }

  /**
   * A report's kilograms go only to parties its holder approved (SECURITY.md R1): the holder approves `buyer`
   * unless it did already. The mills without gas sign, the relay submits.
   */
  async approveBuyer(report: MillTestReport, buyer: string): Promise<void> {
    const mtrs = this.registries.millTestReports;
    const recordId = this.idOf(report);
    if (await mtrs.isApprovedAllocator(recordId, buyer)) return;
    const holderAddress = (await mtrs.recordOf(recordId)).issuer;
    const holder = [...this.wallets.entries()].find(([, w]) => w.address === holderAddress)!;
    if (!GASLESS_MILLS.has(holder[0])) {
      await this.send(mtrs.connect(holder[1]).approveAllocator(recordId, buyer, true));
      return;
    }
    const nonce = await mtrs.nonces(holderAddress);
    const value = { recordId, party: buyer, approved: true, nonce, deadline: this.deadline };
    const signature = await holder[1].signTypedData(await this.reportDomain(), APPROVE_ALLOCATOR_TYPES, value);
    const relayer = this.wallet(RELAY);
    await this.send(
      mtrs.connect(relayer).approveAllocatorBySig(recordId, buyer, true, holderAddress, this.deadline, signature),
    );
  }
}
