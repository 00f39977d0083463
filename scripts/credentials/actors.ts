/**
 * What the ActorRegistry says about the parties of a credential: whether the signing key is the onboarded actor
 * that the credential names as issuer (same DID, same country), and whether the addresses given for the exporter
 * and importer hold those roles. The registry keeps an actor's DID only in its `ActorOnboarded` event, so the DID
 * is read from the event of the actor's current credential.
 */
import type { IActorRegistry } from "../../typechain-types";
import { BUSINESS_ROLES, type BusinessRoleName } from "../lib/vocabulary";
import { CliError } from "./cli-error";

/** Business role bits, by name (the one home is scripts/lib/vocabulary.ts). */
export const ROLE = BUSINESS_ROLES;
export type RoleName = BusinessRoleName;

/** An onboarded actor as the registry knows it. */
export interface ActorFacts {
  address: string;
  /** The DID of its current credential. */
  did: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** `bytes2` → "US". */
function countryText(bytes2: string): string {
  return Buffer.from(bytes2.slice(2), "hex").toString("latin1");
}

/** The actor at `address`, or undefined if it was never onboarded. */
export async function actorFacts(
  actors: IActorRegistry,
  address: string,
  fromBlock: number,
): Promise<ActorFacts | undefined> {
  const actor = await actors.actorOf(address);
  if (actor.onboardedAt === 0n) return undefined;
  const logs = await actors.queryFilter(actors.filters.ActorOnboarded(address, actor.credentialId), fromBlock);
  const did = logs.length > 0 ? logs[logs.length - 1].args.did : "";
  return { address, did, country: countryText(actor.country) };
}

/** "IMPORTER, CARRIER", or "none": the roles `address` is active for now. */
export async function activeRoleNames(actors: IActorRegistry, address: string): Promise<string> {
  const names: string[] = [];
  for (const [name, bit] of Object.entries(ROLE)) if (await actors.isActive(address, bit)) names.push(name);
  return names.length === 0 ? "none" : names.join(", ");
}

/** The credential's issuer as the file names it. */
export interface NamedIssuer {
  issuerDid: string;
  issuerCountry: string | null;
}

/** Throws unless the signing key `signer` is the onboarded actor that the credential names as issuer. */
export async function requireSignerIsIssuer(
  actors: IActorRegistry,
  signer: string,
  issuer: NamedIssuer,
  fromBlock: number,
): Promise<void> {
  const facts = await actorFacts(actors, signer, fromBlock);
  if (facts === undefined) {
    throw new CliError(
      `the signing key ${signer} is not an onboarded actor (ActorRegistry ${await actors.getAddress()}): sign with the key of the actor the credential names as issuer, ${issuer.issuerDid}`,
    );
  }
  if (facts.did !== issuer.issuerDid) {
    throw new CliError(
      `the credential's issuer ${issuer.issuerDid} is not the signing actor ${signer} (${facts.did}): sign with the issuer's key`,
    );
  }
  if (issuer.issuerCountry !== null && issuer.issuerCountry !== facts.country) {
    throw new CliError(
      `the issuer's address country ${issuer.issuerCountry} (/issuer/location/address/addressCountry) is not the signing actor's registered country ${facts.country}`,
    );
  }
}

/** Throws unless `address` (given as `flag`) is active for `role` now, naming the roles it does have. */
export async function requirePartyRole(
  actors: IActorRegistry,
  address: string,
  role: RoleName,
  flag: string,
): Promise<void> {
  if (await actors.isActive(address, ROLE[role])) return;
  throw new CliError(
    `${flag} ${address} is not an active ${role} (its active roles: ${await activeRoleNames(actors, address)})`,
  );
}
