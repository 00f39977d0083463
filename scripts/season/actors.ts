/**
 * Actor credentials as trusted issuers sign them (EIP-712) and submit them to the ActorRegistry: shared by the
 * season of `npm start` and the tests (test/helpers/actors.ts re-exports them).
 */
// `ethers` from the ethers package, not from hardhat: the admin tool signs with these functions without loading
// Hardhat (the network helpers load it only when called).
import { ethers } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { ContractTransactionResponse, Signer, TypedDataDomain } from "ethers";
import type { ActorRegistry } from "../../typechain-types";
import { ALL_BUSINESS_ROLES, BUSINESS_ROLES } from "../lib/vocabulary";

/** The business role bits of `contracts/libraries/BusinessRoles.sol` (scripts/lib/vocabulary.ts). */
export enum BusinessRole {
  Mill = BUSINESS_ROLES.MILL,
  Processor = BUSINESS_ROLES.PROCESSOR,
  Exporter = BUSINESS_ROLES.EXPORTER,
  Importer = BUSINESS_ROLES.IMPORTER,
  CustomsBroker = BUSINESS_ROLES.CUSTOMS_BROKER,
  Carrier = BUSINESS_ROLES.CARRIER,
  Certifier = BUSINESS_ROLES.CERTIFIER,
  Laboratory = BUSINESS_ROLES.LABORATORY,
}

/** Every defined role (`BusinessRoles.ALL`). */
export const ALL_ROLES = ALL_BUSINESS_ROLES;

/** The role set of several roles. */
export function roleSet(...roles: BusinessRole[]): number {
  return roles.reduce((set, role) => set | role, 0);
}

/** `IActorRegistry.ActorCredential` as the contract takes it (country as `bytes2` hex). */
export interface ActorCredential {
  subject: string;
  did: string;
  roles: number;
  country: string;
  legalNameHash: string;
  identifiersHash: string;
  validFrom: bigint;
  validUntil: bigint;
  credentialId: string;
}

/** `IActorRegistry.CredentialStatus`. */
export enum CredentialStatus {
  Unknown = 0,
  Current = 1,
  Replaced = 2,
  Revoked = 3,
}

export const ACTOR_REGISTRY_NAME = "TradeTrace ActorRegistry";
export const ACTOR_REGISTRY_VERSION = "1";

/** The EIP-712 types of an actor credential; the order matches the Solidity type hash. */
export const ACTOR_CREDENTIAL_TYPES = {
  ActorCredential: [
    { name: "subject", type: "address" },
    { name: "did", type: "string" },
    { name: "roles", type: "uint32" },
    { name: "country", type: "bytes2" },
    { name: "legalNameHash", type: "bytes32" },
    { name: "identifiersHash", type: "bytes32" },
    { name: "validFrom", type: "uint64" },
    { name: "validUntil", type: "uint64" },
    { name: "credentialId", type: "bytes32" },
  ],
};

const YEAR = 365n * 24n * 3600n;

/** An ISO 3166-1 alpha-2 code ("US") as `bytes2`. */
export function country(code: string): string {
  return ethers.hexlify(ethers.toUtf8Bytes(code));
}

/**
 * The EIP-712 domain of `registry` on the chain its runner is connected to, else Hardhat's network (override fields
 * to build a wrong domain).
 */
export async function actorRegistryDomain(
  registry: ActorRegistry,
  overrides: Partial<TypedDataDomain> = {},
): Promise<TypedDataDomain> {
  const provider = registry.runner?.provider ?? (await import("hardhat")).ethers.provider;
  const { chainId } = await provider.getNetwork();
  return {
    name: ACTOR_REGISTRY_NAME,
    version: ACTOR_REGISTRY_VERSION,
    chainId,
    verifyingContract: await registry.getAddress(),
    ...overrides,
  };
}

/** `issuer` signs `credential` for `registry` (EIP-712); `domain` overrides build signatures for another domain. */
export async function signActorCredential(
  registry: ActorRegistry,
  issuer: Signer,
  credential: ActorCredential,
  domain: Partial<TypedDataDomain> = {},
): Promise<string> {
  return issuer.signTypedData(await actorRegistryDomain(registry, domain), ACTOR_CREDENTIAL_TYPES, credential);
}

/**
 * A credential for `subject`, valid for a year from the latest block, with a fresh random id.
 * `overrides` replace any field.
 */
export async function makeCredential(
  subject: string,
  roles: number,
  overrides: Partial<ActorCredential> = {},
): Promise<ActorCredential> {
  const now = BigInt(await time.latest());
  const credentialId = ethers.hexlify(ethers.randomBytes(32));
  return {
    subject,
    did: `did:web:${subject.slice(2, 10).toLowerCase()}.example.com`,
    roles,
    country: country("US"),
    legalNameHash: ethers.id(`legal name of ${subject}`),
    identifiersHash: ethers.id(`identifiers of ${subject}`),
    validFrom: now,
    validUntil: now + YEAR,
    credentialId,
    ...overrides,
  };
}

/**
 * Signs `credential` by `issuer` and submits it from `submitter` (the issuer by default). `issuerAddress` is the
 * address claimed as issuer (e.g. an ERC-1271 wallet whose owner is `issuer`), the signer's own address by default.
 */
export async function onboardActor(
  registry: ActorRegistry,
  issuer: Signer,
  credential: ActorCredential,
  options: { submitter?: Signer; issuerAddress?: string } = {},
): Promise<ContractTransactionResponse> {
  const signature = await signActorCredential(registry, issuer, credential);
  const submitter = options.submitter ?? issuer;
  const issuerAddress = options.issuerAddress ?? (await issuer.getAddress());
  return registry.connect(submitter).onboard(credential, issuerAddress, signature);
}
