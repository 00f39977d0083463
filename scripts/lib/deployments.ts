import fs from "node:fs";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type {
  ActorRegistry,
  CertificateOfOriginRegistry,
  MillTestReportRegistry,
  ShipmentRegistry,
} from "../../typechain-types";

/** Where one registry lives: its proxy, the implementation behind it, and the block of the proxy deployment. */
export interface ContractDeployment {
  address: string;
  implementation: string;
  blockNumber: number;
  /** Hash of that block: tells a reset devnet that redeployed at the same address from the original chain. */
  blockHash?: string;
}

/** The content of `deployments/<network>.json`, read by the subgraph and the command-line tools. */
export interface DeploymentFile {
  network: string;
  chainId: number;
  deployer: string;
  contracts: Record<string, ContractDeployment>;
  /** The first block the indexer needs: the earliest block among the contracts. */
  startBlock: number;
}

/** What an entry's initializer arguments may depend on. */
export interface DeployContext {
  /** The governance (CBP) account that receives every role. */
  admin: string;
  deployer: string;
  /** Proxy addresses of the entries handled before this one, by name. */
  addresses: Readonly<Record<string, string>>;
}

/** One registry to deploy behind a UUPS proxy. */
export interface RegistryEntry {
  /** Key in the deployments file. */
  name: string;
  /** The contract to deploy, `name` if omitted. */
  contract?: string;
  /** Earlier entries whose addresses the initializer takes: when one of them is deployed anew, so is this one. */
  dependsOn?: string[];
  /** The arguments of `initialize`. */
  initializerArgs(context: DeployContext): unknown[];
  /**
   * Wiring between registries, run after the entry is deployed or kept; must be idempotent. It runs as the
   * deployer, so it can act only where the deployer holds the admin role; otherwise it reports what governance
   * has to do.
   */
  wire?(context: WireContext): Promise<void>;
}

/** What a `wire` step gets: the proxies so far, the deployer's signer and the log. */
export interface WireContext {
  hre: HardhatRuntimeEnvironment;
  addresses: Readonly<Record<string, string>>;
  deployer: Awaited<ReturnType<HardhatRuntimeEnvironment["ethers"]["getSigners"]>>[number];
  log(message: string): void;
}

/** The shipment registry allocates kilograms from mill test reports: it needs ALLOCATOR_ROLE there. */
async function grantAllocatorToShipments({ hre, addresses, deployer, log }: WireContext): Promise<void> {
  const mtr = await hre.ethers.getContractAt("MillTestReportRegistry", addresses.MillTestReportRegistry, deployer);
  const role = await mtr.ALLOCATOR_ROLE();
  const shipments = addresses.ShipmentRegistry;
  if (await mtr.hasRole(role, shipments)) return;
  if (!(await mtr.hasRole(await mtr.DEFAULT_ADMIN_ROLE(), deployer.address))) {
    log(`governance must grant ALLOCATOR_ROLE on MillTestReportRegistry to ShipmentRegistry ${shipments}`);
    return;
  }
  await (await mtr.grantRole(role, shipments)).wait();
  log(`granted ALLOCATOR_ROLE on MillTestReportRegistry to ShipmentRegistry ${shipments}`);
}

/** The registries of TradeTrace in deployment order; each takes the addresses of the ones it depends on. */
export const REGISTRIES: readonly RegistryEntry[] = [
  { name: "ActorRegistry", initializerArgs: ({ admin }) => [admin] },
  {
    name: "CertificateOfOriginRegistry",
    dependsOn: ["ActorRegistry"],
    initializerArgs: ({ admin, addresses }) => [admin, addresses.ActorRegistry],
  },
  {
    name: "MillTestReportRegistry",
    dependsOn: ["ActorRegistry"],
    initializerArgs: ({ admin, addresses }) => [admin, addresses.ActorRegistry],
  },
  {
    name: "ShipmentRegistry",
    dependsOn: ["ActorRegistry", "CertificateOfOriginRegistry", "MillTestReportRegistry"],
    initializerArgs: ({ admin, addresses }) => [
      admin,
      addresses.ActorRegistry,
      addresses.CertificateOfOriginRegistry,
      addresses.MillTestReportRegistry,
    ],
    wire: grantAllocatorToShipments,
  },
];

export interface DeployOptions {
  /** Directory of the deployment files; env TRADETRACE_DEPLOYMENTS_DIR, else `deployments/` of the project. */
  deploymentsDir?: string;
  /** Deploy every entry anew even if a live deployment is recorded; env TRADETRACE_REDEPLOY=1. */
  force?: boolean;
  /** The governance account; env TRADETRACE_ADMIN, else the deployer. */
  admin?: string;
  /** The entries to deploy, `REGISTRIES` by default. */
  registries?: readonly RegistryEntry[];
  /** Progress messages; `console.log` by default. */
  log?: (message: string) => void;
}

/** What `deployAll` did for one entry. */
export type EntryStatus = "deployed" | "kept";

export interface DeployResult {
  /** Path of the deployment file written. */
  file: string;
  deployment: DeploymentFile;
  status: Record<string, EntryStatus>;
}

/** The deployments directory that `deployAll` uses when none is given. */
export function defaultDeploymentsDir(hre: HardhatRuntimeEnvironment): string {
  return process.env.TRADETRACE_DEPLOYMENTS_DIR ?? path.join(hre.config.paths.root, "deployments");
}

/** Reads `<dir>/<network>.json`, or undefined if there is none. */
export function readDeployment(dir: string, network: string): DeploymentFile | undefined {
  const file = path.join(dir, `${network}.json`);
  if (!fs.existsSync(file)) return undefined;
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as DeploymentFile;
  if (typeof parsed.chainId !== "number" || typeof parsed.contracts !== "object" || parsed.contracts === null) {
    throw new Error(`${file} is not a deployment file (no chainId or contracts)`);
  }
  return parsed;
}

function checkEntries(entries: readonly RegistryEntry[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) throw new Error(`registry ${entry.name} is listed twice`);
    for (const dependency of entry.dependsOn ?? []) {
      if (!seen.has(dependency))
        throw new Error(`registry ${entry.name} depends on ${dependency}, not listed before it`);
    }
    seen.add(entry.name);
  }
}

/**
 * Deploys the registries behind UUPS proxies and records them in `<deploymentsDir>/<network>.json`.
 *
 * Idempotent per chain: an entry recorded for this chain id whose proxy still has code is kept ("already
 * deployed"); it is deployed anew if it is missing, if the file is for another chain id (the old file is kept as
 * `<network>.chain-<id>.json`), if its address has no code or its recorded block is not on this chain (a restarted
 * devnet, even one that redeployed the same address), if one of its dependencies was deployed anew, or with
 * `force`. The file is written after each entry, so a failure keeps what was done.
 */
export async function deployAll(hre: HardhatRuntimeEnvironment, options: DeployOptions = {}): Promise<DeployResult> {
  const { ethers, upgrades } = hre;
  const entries = options.registries ?? REGISTRIES;
  checkEntries(entries);
  const log = options.log ?? ((message: string) => console.log(message));
  const force = options.force ?? process.env.TRADETRACE_REDEPLOY === "1";
  const dir = options.deploymentsDir ?? defaultDeploymentsDir(hre);
  const network = hre.network.name;
  const file = path.join(dir, `${network}.json`);

  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const [deployerSigner] = await ethers.getSigners();
  const deployer = await deployerSigner.getAddress();
  const admin = options.admin ?? process.env.TRADETRACE_ADMIN ?? deployer;

  let recorded = readDeployment(dir, network);
  if (recorded && recorded.chainId !== chainId) {
    const kept = path.join(dir, `${network}.chain-${recorded.chainId}.json`);
    fs.renameSync(file, kept);
    log(`${file} is for chain id ${recorded.chainId}, but ${network} is chain id ${chainId}: kept it as ${kept}`);
    log("deploying anew");
    recorded = undefined;
  }

  const deployment: DeploymentFile = {
    network,
    chainId,
    deployer: recorded?.deployer ?? deployer,
    contracts: { ...recorded?.contracts },
    startBlock: 0,
  };
  const status: Record<string, EntryStatus> = {};
  const addresses: Record<string, string> = {};

  for (const entry of entries) {
    const previous = deployment.contracts[entry.name];
    const redeployedDependency = (entry.dependsOn ?? []).find((name) => status[name] === "deployed");
    let reason: string | undefined;
    if (force) reason = "redeploy forced";
    else if (!previous) reason = "not deployed yet";
    else if ((await ethers.provider.getCode(previous.address)) === "0x") {
      reason = `no code at ${previous.address} on chain id ${chainId} (restarted devnet?)`;
    } else if (
      previous.blockHash &&
      (await ethers.provider.getBlock(previous.blockNumber))?.hash !== previous.blockHash
    ) {
      reason = `block ${previous.blockNumber} on chain id ${chainId} is not the recorded one (reset chain?)`;
    } else if (redeployedDependency) reason = `${redeployedDependency} was deployed anew`;

    if (reason === undefined) {
      // The proxy may have been upgraded since it was recorded.
      const implementation = await upgrades.erc1967.getImplementationAddress(previous.address);
      deployment.contracts[entry.name] = { ...previous, implementation };
      status[entry.name] = "kept";
      log(`${entry.name} already deployed at ${previous.address} (block ${previous.blockNumber}): kept`);
    } else {
      log(`${entry.name}: ${reason}, deploying`);
      const factory = await ethers.getContractFactory(entry.contract ?? entry.name, deployerSigner);
      const args = entry.initializerArgs({ admin, deployer, addresses });
      const proxy = await upgrades.deployProxy(factory, args, { kind: "uups" });
      await proxy.waitForDeployment();
      const address = await proxy.getAddress();
      const receipt = await proxy.deploymentTransaction()?.wait();
      if (!receipt) throw new Error(`no receipt for the deployment of ${entry.name}`);
      const implementation = await upgrades.erc1967.getImplementationAddress(address);
      deployment.contracts[entry.name] = {
        address,
        implementation,
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
      };
      deployment.deployer = deployer;
      status[entry.name] = "deployed";
      log(`${entry.name} deployed at ${address} (implementation ${implementation}, block ${receipt.blockNumber})`);
    }
    addresses[entry.name] = deployment.contracts[entry.name].address;
    await entry.wire?.({ hre, addresses, deployer: deployerSigner, log });
    deployment.startBlock = Math.min(...Object.values(deployment.contracts).map((c) => c.blockNumber));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(deployment, null, 2)}\n`);
  }
  return { file, deployment, status };
}

/** The four registries of a deployment, as typed contracts connected to the default signer. */
export interface Registries {
  actorRegistry: ActorRegistry;
  certificatesOfOrigin: CertificateOfOriginRegistry;
  millTestReports: MillTestReportRegistry;
  shipments: ShipmentRegistry;
}

/** Attaches the registries recorded in `deployment`. */
export async function attachRegistries(
  hre: HardhatRuntimeEnvironment,
  deployment: DeploymentFile,
): Promise<Registries> {
  const at = deployment.contracts;
  const attach = <T>(name: string): Promise<T> =>
    hre.ethers.getContractAt(name, at[name].address) as unknown as Promise<T>;
  return {
    actorRegistry: await attach<ActorRegistry>("ActorRegistry"),
    certificatesOfOrigin: await attach<CertificateOfOriginRegistry>("CertificateOfOriginRegistry"),
    millTestReports: await attach<MillTestReportRegistry>("MillTestReportRegistry"),
    shipments: await attach<ShipmentRegistry>("ShipmentRegistry"),
  };
}
