// Rules on the parties of a filing: UNVERIFIED_PARTY and NEW_PARTY. Parties are judged against the indexed actor
// state when a version is filed (shipmentRegistry.ts stores the result as PartyFinding rows); evaluating the
// shipment later turns those rows into findings.
import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import { Actor, PartyFinding } from "../../generated/schema";
import { Finding } from "./finding";
import { NEW_PARTY, Rule, UNVERIFIED_PARTY } from "./table";

/** 90 days: an exporter or importer onboarded more recently than this before filing is new. */
export const NEW_PARTY_SECONDS: i64 = 90 * 24 * 3600;

/** Why `party` is not an active actor for any role in `roles` at `now`, or "" if it is (IActorRegistry.isActive). */
export function unverifiedReason(party: Bytes, roles: i32, now: BigInt): string {
  let actor = Actor.load(party);
  if (actor == null) return "not an onboarded actor";
  if (actor.suspended) return "suspended";
  if (actor.credentialRevoked) return "credential revoked";
  if (now.lt(actor.validFrom)) return "credential not yet valid";
  if (now.gt(actor.validUntil)) return "credential expired";
  if ((actor.roles & roles) == 0) return "lacks the role";
  if ((actor.trustedRoles & roles) == 0) return "issuer no longer trusted for the role";
  return "";
}

/** "onboarded N days before filing" when `party` is an actor onboarded less than NEW_PARTY_SECONDS before `now`. */
export function newPartyReason(party: Bytes, now: BigInt): string {
  let actor = Actor.load(party);
  if (actor == null) return "";
  let age = now.minus(actor.onboardedAt);
  if (age.ge(BigInt.fromI64(NEW_PARTY_SECONDS))) return "";
  return "onboarded " + age.div(BigInt.fromI32(86400)).toString() + " days before filing";
}

/** How a party finding reads in Shipment.unverifiedParties / newParties and in its flag: "<ROLE> <address>: <reason>". */
export function partyNote(role: string, party: Bytes, reason: string): string {
  return role + " " + party.toHexString() + ": " + reason;
}

function partyRule(name: string): Rule {
  if (name == UNVERIFIED_PARTY.name) return UNVERIFIED_PARTY;
  if (name == NEW_PARTY.name) return NEW_PARTY;
  throw new Error("PartyFinding with rule " + name + " is no party rule");
}

/** The UNVERIFIED_PARTY or NEW_PARTY finding of a party judged at filing. */
export function partyFinding(stored: PartyFinding): Finding {
  let f = new Finding(
    partyRule(stored.rule),
    "party:" + stored.role + " " + stored.party.toHexString(),
    partyNote(stored.role, stored.party, stored.reason),
  );
  f.party = stored.party;
  return f;
}
