/** The connected account's actor record, read through the query API (the subgraph's Actor entity). */
import { gql } from "../lib/graphql";

export interface ActorRecord {
  id: string;
  did: string;
  roles: number;
  roleNames: string[];
  trustedRoleNames: string[];
  country: string;
  issuer: { id: string; active: boolean };
  validFrom: string;
  validUntil: string;
  credentialRevoked: boolean;
  credentialClearedAt: string | null;
  suspended: boolean;
  onboardedAt: string;
}

const ACTOR = `query Actor($id: ID!) {
  actor(id: $id) {
    id did roles roleNames trustedRoleNames country issuer { id active }
    validFrom validUntil credentialRevoked credentialClearedAt suspended onboardedAt
  }
}`;

/** The actor at `address`, or null when it was never onboarded. */
export async function actorOf(address: string): Promise<ActorRecord | null> {
  const data = await gql<{ actor: ActorRecord | null }>(ACTOR, { id: address.toLowerCase() });
  return data.actor;
}

/** The roles the actor may act in at `nowSeconds`, as IActorRegistry.isActive decides (empty if none). */
export function activeRoles(actor: ActorRecord, nowSeconds: number): string[] {
  if (actor.suspended || actor.credentialRevoked || actor.credentialClearedAt !== null) return [];
  if (nowSeconds < Number(actor.validFrom) || nowSeconds > Number(actor.validUntil)) return [];
  return actor.trustedRoleNames;
}

/** Why the actor cannot act as one of `roles` now, in words, or null when it can. */
export function whyNot(actor: ActorRecord | null, address: string, roles: string[], nowSeconds: number): string | null {
  if (actor === null) {
    return `${address} is not an onboarded actor: a trusted credential issuer must onboard this account first`;
  }
  if (actor.suspended) return `${actor.did} is suspended by CBP and cannot act`;
  const active = activeRoles(actor, nowSeconds);
  if (roles.some((r) => active.includes(r))) return null;
  return `${actor.did} is not an active ${roles.join(" or ")} (its active roles: ${active.join(", ") || "none"})`;
}
