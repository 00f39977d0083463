/**
 * Every registry call of the admin tool, in one place so that a change of the registries' ABI is adapted here:
 * opening the chain of a deployments file, governance (trusted issuers, roles), onboarding from a signed actor
 * credential, broker authorisation, devnet funding and an address's standing.
 */
import path from "node:path";
import {
  JsonRpcProvider,
  Network,
  formatEther,
  verifyTypedData,
  type ContractRunner,
  type ContractTransactionResponse,
  type Signer,
} from "ethers";
import {
  ActorRegistry__factory,
  CertificateOfOriginRegistry__factory,
  MillTestReportRegistry__factory,
  ShipmentRegistry__factory,
  type ActorRegistry,
  type ShipmentRegistry,
} from "../../typechain-types";
import { CliError } from "../lib/cli";
import { readDeployment, type DeploymentFile } from "../lib/deployments";
import {
  ACTOR_CREDENTIAL_TYPES,
  CredentialStatus,
  actorRegistryDomain,
  signActorCredential,
  type ActorCredential,
} from "../season/actors";
import {
  BUSINESS_ROLES,
  GOVERNANCE_ROLES,
  governanceRoleId,
  roleNames,
  type BusinessRoleName,
} from "../lib/vocabulary";
import { GRANTABLE_ROLES, type GrantableRole } from "./inputs";
import { messageOf } from "../../lib/errors";

/** Hardhat's chain id: the only chain on which `fund` and `--dev-account` act. */
export const DEVNET_CHAIN_ID = 31337;
export const CREDENTIAL_FORMAT = "tradetrace/actor-credential@1";

export type RegistryName =
  "ActorRegistry" | "CertificateOfOriginRegistry" | "MillTestReportRegistry" | "ShipmentRegistry";
const REGISTRY_NAMES: RegistryName[] = [
  "ActorRegistry",
  "CertificateOfOriginRegistry",
  "MillTestReportRegistry",
  "ShipmentRegistry",
];

/** A node that serves the chain of a deployments file, and the registries recorded there. */
export interface AdminChain {
  url: string;
  provider: JsonRpcProvider;
  chainId: number;
  deploymentFile: string;
  deployment: DeploymentFile;
  actorRegistry: ActorRegistry;
  shipments: ShipmentRegistry;
}

function registryAddress(chain: { deployment: DeploymentFile; deploymentFile: string }, name: RegistryName): string {
  const entry = chain.deployment.contracts[name];
  if (!entry) throw new CliError(`${chain.deploymentFile} has no ${name} (npm run deploy again)`);
  return entry.address;
}

/** Reads `deploymentFile`, connects to `url` and checks that the node serves that chain with the registries. */
export async function openChain(url: string, deploymentFile: string): Promise<AdminChain> {
  let deployment: DeploymentFile | undefined;
  try {
    deployment = readDeployment(path.dirname(deploymentFile), path.basename(deploymentFile, ".json"));
  } catch (error) {
    throw new CliError(messageOf(error).split("\n")[0]);
  }
  if (!deployment) {
    throw new CliError(`no deployments file ${deploymentFile}: run npm run deploy first, or give --deployments FILE`);
  }
  // The chain id is checked below; a static network keeps ethers from retrying a dead URL forever.
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: Network.from(deployment.chainId) });
  const chain = { deployment, deploymentFile };
  try {
    const served = Number(await provider.send("eth_chainId", []));
    if (served !== deployment.chainId) {
      throw new CliError(
        `the node at ${url} serves chain id ${served}, ${deploymentFile} is for chain id ${deployment.chainId}: ` +
          "give the matching --rpc or --deployments",
      );
    }
    const actorAddress = registryAddress(chain, "ActorRegistry");
    if ((await provider.getCode(actorAddress)) === "0x") {
      throw new CliError(`no ActorRegistry at ${actorAddress} on the node at ${url} (restarted node? npm run deploy)`);
    }
  } catch (error) {
    provider.destroy();
    throw error;
  }
  return {
    url,
    provider,
    chainId: deployment.chainId,
    deploymentFile,
    deployment,
    actorRegistry: ActorRegistry__factory.connect(registryAddress(chain, "ActorRegistry"), provider),
    shipments: ShipmentRegistry__factory.connect(registryAddress(chain, "ShipmentRegistry"), provider),
  };
}

/** Refuses `what` unless the chain is a Hardhat devnet. */
export function requireDevnet(chain: AdminChain, what: string): void {
  if (chain.chainId !== DEVNET_CHAIN_ID) {
    throw new CliError(
      `${what} works only on a devnet (chain id ${DEVNET_CHAIN_ID}); the node at ${chain.url} serves chain id ` +
        `${chain.chainId}: use a funded account's --keystore instead`,
    );
  }
}

/** Account `index` of the devnet node (Hardhat's unlocked dev accounts; #0 deploys and governs by default). */
export async function devAccount(chain: AdminChain, index: number): Promise<Signer> {
  requireDevnet(chain, "--dev-account");
  const accounts = (await chain.provider.send("eth_accounts", [])) as string[];
  if (index >= accounts.length) {
    throw new CliError(`the node at ${chain.url} has ${accounts.length} dev accounts, no #${index}`);
  }
  return chain.provider.getSigner(accounts[index]);
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<string> {
  const response = await tx;
  await response.wait();
  return response.hash;
}

/** Governance trusts `issuer` for `roles` (replacing its earlier set); returns that earlier set. */
export async function trustIssuer(
  chain: AdminChain,
  governance: Signer,
  issuer: string,
  roles: number,
): Promise<{ previous: number; tx: string }> {
  const previous = Number(await chain.actorRegistry.trustedRolesOf(issuer));
  const tx = await mined(chain.actorRegistry.connect(governance).setTrustedIssuer(issuer, roles));
  return { previous, tx };
}

/** Governance stops trusting `issuer`. */
export async function removeIssuer(
  chain: AdminChain,
  governance: Signer,
  issuer: string,
): Promise<{ previous: number; tx: string }> {
  const previous = Number(await chain.actorRegistry.trustedRolesOf(issuer));
  if (previous === 0) throw new CliError(`${issuer} is not a trusted issuer: nothing to remove`);
  const tx = await mined(chain.actorRegistry.connect(governance).removeTrustedIssuer(issuer));
  return { previous, tx };
}

/** An actor credential signed by its issuer, as `onboard --out` writes it for anyone to submit. */
export interface SignedCredential {
  format: typeof CREDENTIAL_FORMAT;
  chainId: number;
  registry: string;
  issuer: string;
  /** For people; the registry reads `credential.roles`. */
  roleNames: string[];
  credential: ActorCredential;
  signature: string;
}

/**
 * `issuer` signs `credential` for the deployment's ActorRegistry (scripts/season/actors.ts), and the registry is
 * asked (without a transaction) whether it would take it: an untrusted issuer or a bad field fails here.
 */
export async function signCredential(
  chain: AdminChain,
  issuer: Signer,
  credential: ActorCredential,
): Promise<SignedCredential> {
  const signature = await signActorCredential(chain.actorRegistry, issuer, credential);
  const issuerAddress = await issuer.getAddress();
  await chain.actorRegistry.onboard.staticCall(credential, issuerAddress, signature);
  return {
    format: CREDENTIAL_FORMAT,
    chainId: chain.chainId,
    registry: await chain.actorRegistry.getAddress(),
    issuer: issuerAddress,
    roleNames: roleNames(credential.roles),
    credential,
    signature,
  };
}

/** Checks that `signed` is for this deployment and signed by its issuer. */
export async function checkSignedCredential(chain: AdminChain, signed: SignedCredential): Promise<void> {
  const registry = await chain.actorRegistry.getAddress();
  if (signed.chainId !== chain.chainId || signed.registry.toLowerCase() !== registry.toLowerCase()) {
    throw new CliError(
      `the credential is for the ActorRegistry ${signed.registry} on chain id ${signed.chainId}, this deployment's ` +
        `is ${registry} on chain id ${chain.chainId}`,
    );
  }
  const domain = await actorRegistryDomain(chain.actorRegistry);
  let signer: string;
  try {
    signer = verifyTypedData(domain, ACTOR_CREDENTIAL_TYPES, signed.credential, signed.signature);
  } catch {
    throw new CliError("the credential's signature is malformed");
  }
  if (signer.toLowerCase() !== signed.issuer.toLowerCase()) {
    throw new CliError(`the credential is signed by ${signer}, not by its issuer ${signed.issuer}`);
  }
}

/** Submits a signed credential from `submitter` (any funded account). */
export async function submitCredential(
  chain: AdminChain,
  submitter: Signer,
  signed: SignedCredential,
): Promise<string> {
  await checkSignedCredential(chain, signed);
  return mined(chain.actorRegistry.connect(submitter).onboard(signed.credential, signed.issuer, signed.signature));
}

function governed(chain: AdminChain, name: RegistryName, runner: ContractRunner) {
  const address = registryAddress(chain, name);
  switch (name) {
    case "ActorRegistry":
      return ActorRegistry__factory.connect(address, runner);
    case "CertificateOfOriginRegistry":
      return CertificateOfOriginRegistry__factory.connect(address, runner);
    case "MillTestReportRegistry":
      return MillTestReportRegistry__factory.connect(address, runner);
    case "ShipmentRegistry":
      return ShipmentRegistry__factory.connect(address, runner);
  }
}

/** What `setRole` did on one registry. */
export interface RoleChange {
  registry: RegistryName;
  done: "granted" | "revoked" | "unchanged";
  tx?: string;
}

/**
 * Grants (or revokes) `role` to `account` on every registry that has it (or only `only`). Every registry is asked
 * first, so that a caller who may not change one of them changes none.
 */
export async function setRole(
  chain: AdminChain,
  admin: Signer,
  role: GrantableRole,
  account: string,
  grant: boolean,
  only?: RegistryName,
): Promise<RoleChange[]> {
  const names: readonly RegistryName[] = GRANTABLE_ROLES[role];
  if (only !== undefined && !names.includes(only)) {
    throw new CliError(`${only} has no ${role}: ${role} lives on ${names.join(", ")}`);
  }
  const roleId = governanceRoleId(role);
  const targets: { name: RegistryName; registry: ReturnType<typeof governed> }[] = [];
  for (const name of only ? [only] : names) {
    const registry = governed(chain, name, admin);
    const holds = await registry.hasRole(roleId, account);
    if (holds === grant) continue;
    await (grant ? registry.grantRole : registry.revokeRole).staticCall(roleId, account);
    targets.push({ name, registry });
  }
  const changes: RoleChange[] = (only ? [only] : names)
    .filter((name) => !targets.some((t) => t.name === name))
    .map((registry) => ({ registry, done: "unchanged" }));
  for (const { name, registry } of targets) {
    const tx = await mined(grant ? registry.grantRole(roleId, account) : registry.revokeRole(roleId, account));
    changes.push({ registry: name, done: grant ? "granted" : "revoked", tx });
  }
  return changes;
}

/** `importer` authorises (or stops authorising) `broker` to file its shipments. */
export async function authorizeBroker(
  chain: AdminChain,
  importer: Signer,
  broker: string,
  authorized: boolean,
): Promise<string> {
  return mined(chain.shipments.connect(importer).setBrokerAuthorization(broker, authorized));
}

/** Sends `wei` to `to` from devnet account `from` (#0 by default); returns the new balance. */
export async function fund(chain: AdminChain, to: string, wei: bigint, from = 0): Promise<bigint> {
  requireDevnet(chain, "fund");
  const funder = await devAccount(chain, from);
  const response = await funder.sendTransaction({ to, value: wei });
  await response.wait();
  return chain.provider.getBalance(to);
}

/** An actor's record as `show` prints it. */
export interface ActorStanding {
  credentialId: string;
  did: string | undefined;
  roles: string[];
  country: string;
  issuer: string;
  /** The roles governance trusts the issuer for now. */
  issuerTrustedFor: string[];
  validFrom: string;
  validUntil: string;
  onboardedAt: string;
  suspended: boolean;
  credentialStatus: string;
  /** `isActive(address, role)` for each role of the credential. */
  active: Record<string, boolean>;
}

/** Everything the registries say about one address. */
export interface Standing {
  address: string;
  chainId: number;
  blockTime: string;
  balanceEther: string;
  actor: ActorStanding | undefined;
  /** The roles this address is trusted to credential, as an issuer. */
  trustedIssuerFor: string[];
  /** The governance roles it holds, by registry. */
  governanceRoles: Partial<Record<RegistryName, string[]>>;
}

function isoTime(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

async function readActor(chain: AdminChain, address: string): Promise<ActorStanding | undefined> {
  const registry = chain.actorRegistry;
  const record = await registry.actorOf(address);
  if (record.credentialId === `0x${"0".repeat(64)}`) return undefined;
  const fromBlock = chain.deployment.contracts.ActorRegistry?.blockNumber ?? 0;
  const events = await registry.queryFilter(registry.filters.ActorOnboarded(address, record.credentialId), fromBlock);
  const roles = roleNames(record.roles);
  const active: Record<string, boolean> = {};
  for (const name of roles) {
    active[name] = await registry.isActive(address, BUSINESS_ROLES[name as BusinessRoleName] ?? 0);
  }
  return {
    credentialId: record.credentialId,
    did: events.at(-1)?.args.did,
    roles,
    country: Buffer.from(record.country.slice(2), "hex").toString("latin1"),
    issuer: record.issuer,
    issuerTrustedFor: roleNames(await registry.trustedRolesOf(record.issuer)),
    validFrom: isoTime(record.validFrom),
    validUntil: isoTime(record.validUntil),
    onboardedAt: isoTime(record.onboardedAt),
    suspended: record.suspended,
    credentialStatus: CredentialStatus[Number(await registry.credentialStatus(record.credentialId))] ?? "Unknown",
    active,
  };
}

/** The standing of `address`: actor record, issuer trust, governance roles, balance. */
export async function readStanding(chain: AdminChain, address: string): Promise<Standing> {
  const block = await chain.provider.getBlock("latest");
  const governanceRoles: Partial<Record<RegistryName, string[]>> = {};
  for (const name of REGISTRY_NAMES) {
    if (!chain.deployment.contracts[name]) continue;
    const registry = governed(chain, name, chain.provider);
    const held: string[] = [];
    for (const role of GOVERNANCE_ROLES) {
      if (await registry.hasRole(governanceRoleId(role), address)) held.push(role);
    }
    if (held.length > 0) governanceRoles[name] = held;
  }
  return {
    address,
    chainId: chain.chainId,
    blockTime: isoTime(BigInt(block?.timestamp ?? 0)),
    balanceEther: formatEther(await chain.provider.getBalance(address)),
    actor: await readActor(chain, address),
    trustedIssuerFor: roleNames(await chain.actorRegistry.trustedRolesOf(address)),
    governanceRoles,
  };
}
