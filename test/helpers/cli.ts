/**
 * Fixtures for the credentials command-line tool: the real registries (ActorRegistry, MillTestReportRegistry,
 * CertificateOfOriginRegistry) behind ERC-1967 proxies on any chain an ethers signer reaches (the in-process
 * network or a `hardhat node`), onboarded actors with their own keys, a deployments file, and `runCli`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BrowserProvider, ContractFactory, Wallet, type Eip1193Provider, type Provider, type Signer } from "ethers";
import { main, type CliIo } from "../../scripts/credentials/cli";
import {
  ActorRegistry__factory,
  CertificateOfOriginRegistry__factory,
  MillTestReportRegistry__factory,
  type ActorRegistry,
  type CertificateOfOriginRegistry,
  type MillTestReportRegistry,
} from "../../typechain-types";
import { ACTOR_CREDENTIAL_TYPES, ACTOR_REGISTRY_NAME, ACTOR_REGISTRY_VERSION, ALL_ROLES, BusinessRole } from "./actors";

const PROXY_ARTIFACT = path.resolve(
  __dirname,
  "../../node_modules/@openzeppelin/upgrades-core/artifacts/@openzeppelin/contracts-v5/proxy/ERC1967/ERC1967Proxy.sol/ERC1967Proxy.json",
);

/** Deploys `factory`'s contract behind an ERC-1967 proxy initialised with `initArgs`. */
async function deployProxy<T>(
  factory: ContractFactory,
  initArgs: unknown[],
  signer: Signer,
): Promise<{ address: string; blockNumber: number; contract: T }> {
  const implementation = await factory.connect(signer).deploy();
  await implementation.waitForDeployment();
  const proxyArtifact = JSON.parse(readFileSync(PROXY_ARTIFACT, "utf8")) as { abi: []; bytecode: string };
  const proxyFactory = new ContractFactory(proxyArtifact.abi, proxyArtifact.bytecode, signer);
  const data = factory.interface.encodeFunctionData("initialize", initArgs);
  const proxy = await proxyFactory.deploy(await implementation.getAddress(), data);
  const receipt = await proxy.deploymentTransaction()!.wait();
  const address = await proxy.getAddress();
  return { address, blockNumber: receipt!.blockNumber, contract: factory.attach(address).connect(signer) as T };
}

/** A new key with some ether. */
export async function fundedWallet(funder: Signer, provider: Provider): Promise<Wallet> {
  const wallet = Wallet.createRandom().connect(provider);
  await (await funder.sendTransaction({ to: wallet.address, value: 10n ** 19n })).wait();
  return new Wallet(wallet.privateKey, provider);
}

export interface CliChain {
  actors: ActorRegistry;
  mtrRegistry: MillTestReportRegistry;
  cooRegistry: CertificateOfOriginRegistry;
  /** Governance (CBP): every role on every registry. */
  cbp: Signer;
  /** Onboarded actors, each with its own key: mill, certifier, exporter, importer; relayer is not an actor. */
  mill: Wallet;
  /** Another mill: a rival that may anchor the first mill's content hashes. */
  mill2: Wallet;
  certifier: Wallet;
  exporter: Wallet;
  importer: Wallet;
  relayer: Wallet;
  chainId: number;
  /** The registered country (ISO 3166-1 alpha-2) of each onboarded actor, by address. */
  countries: Record<string, string>;
  /** A scratch directory holding `deployment.json` (and whatever a test writes). */
  dir: string;
  deploymentFile: string;
}

/** Deploys the registries with `cbp` as governance and trusted credential issuer, and onboards the actors. */
export async function deployCliChain(cbp: Signer, provider: Provider): Promise<CliChain> {
  const cbpAddress = await cbp.getAddress();
  const actorsDeployment = await deployProxy<ActorRegistry>(new ActorRegistry__factory(), [cbpAddress], cbp);
  const actors = actorsDeployment.contract;
  const mtr = await deployProxy<MillTestReportRegistry>(
    new MillTestReportRegistry__factory(),
    [cbpAddress, actorsDeployment.address],
    cbp,
  );
  const coo = await deployProxy<CertificateOfOriginRegistry>(
    new CertificateOfOriginRegistry__factory(),
    [cbpAddress, actorsDeployment.address],
    cbp,
  );
  await (await actors.setTrustedIssuer(cbpAddress, ALL_ROLES)).wait();
  const chainId = Number((await provider.getNetwork()).chainId);
  const domain = {
    name: ACTOR_REGISTRY_NAME,
    version: ACTOR_REGISTRY_VERSION,
    chainId,
    verifyingContract: actorsDeployment.address,
  };

  const countries: Record<string, string> = {};
  const onboard = async (roles: number, code: string): Promise<Wallet> => {
    const wallet = await fundedWallet(cbp, provider);
    const now = BigInt((await provider.getBlock("latest"))!.timestamp);
    const credential = {
      subject: wallet.address,
      did: actorDid(wallet.address),
      roles,
      country: `0x${Buffer.from(code).toString("hex")}`,
      legalNameHash: `0x${"11".repeat(32)}`,
      identifiersHash: `0x${"22".repeat(32)}`,
      validFrom: now - 1n,
      validUntil: now + 10n * 365n * 86400n,
      credentialId: Wallet.createRandom().privateKey,
    };
    const signature = await cbp.signTypedData(domain, ACTOR_CREDENTIAL_TYPES, credential);
    await (await actors.onboard(credential, cbpAddress, signature)).wait();
    countries[wallet.address] = code;
    return wallet;
  };
  const mill = await onboard(BusinessRole.Mill, "US");
  const mill2 = await onboard(BusinessRole.Mill, "CN");
  const certifier = await onboard(BusinessRole.Certifier, "IT");
  const exporter = await onboard(BusinessRole.Exporter, "MX");
  const importer = await onboard(BusinessRole.Importer, "US");
  const relayer = await fundedWallet(cbp, provider);

  const dir = mkdtempSync(path.join(tmpdir(), "tradetrace-cli-"));
  const deploymentFile = path.join(dir, "deployment.json");
  const entry = (d: { address: string; blockNumber: number }) => ({
    address: d.address,
    implementation: d.address,
    blockNumber: d.blockNumber,
  });
  writeFileSync(
    deploymentFile,
    JSON.stringify({
      network: "test",
      chainId,
      deployer: cbpAddress,
      contracts: {
        ActorRegistry: entry(actorsDeployment),
        MillTestReportRegistry: entry(mtr),
        CertificateOfOriginRegistry: entry(coo),
      },
      startBlock: actorsDeployment.blockNumber,
    }),
  );
  return {
    actors,
    mtrRegistry: mtr.contract,
    cooRegistry: coo.contract,
    cbp,
    mill,
    mill2,
    certifier,
    exporter,
    importer,
    relayer,
    chainId,
    countries,
    dir,
    deploymentFile,
  };
}

/** The DID an actor of `deployCliChain` is onboarded with. */
export function actorDid(address: string): string {
  return `did:web:${address.slice(2, 10).toLowerCase()}.example.com`;
}

/**
 * `credential` (changed in place and returned) as issued by onboarded `actor`: the issuer DID is the actor's, and
 * the issuer's address country, when the credential gives one, is the actor's registered country.
 */
export function issuedBy<T>(credential: T, chain: CliChain, actor: Wallet): T {
  const issuer = (credential as { issuer: { id: string; location?: { address?: { addressCountry?: string } } } })
    .issuer;
  issuer.id = actorDid(actor.address);
  const address = issuer.location?.address;
  if (address?.addressCountry !== undefined) address.addressCountry = chain.countries[actor.address];
  return credential;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `main` in-process with `chain` (e.g. hardhat's `network.provider`) as the node, `dir` as working directory
 * and `env` as environment. The tool talks to it through ethers' JSON-RPC layer, as it talks to a real node.
 */
export async function runCli(
  argv: string[],
  options: { chain: Eip1193Provider; dir: string; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: options.env ?? {},
    cwd: options.dir,
    connect: () => new BrowserProvider(options.chain),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
