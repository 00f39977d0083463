// ActorRegistry: trusted issuers, actors and their credentials. Party checks of the risk rules read this state
// at filing time (see shipmentRegistry.ts), so these handlers never re-evaluate shipments.
import { BigInt, Bytes } from "@graphprotocol/graph-ts";
import {
  ActorCredentialCleared,
  ActorOnboarded,
  ActorReinstated,
  ActorSuspended,
  AssertionKeyRegistered,
  AssertionKeyRetired,
  CredentialRevoked,
  TrustedIssuerRemoved,
  TrustedIssuerSet,
} from "../generated/ActorRegistry/ActorRegistry";
import { Actor, AssertionKey, Credential, TrustedIssuer } from "../generated/schema";
import { roleNames } from "./roles";
import { ascii, isZero } from "./util";

function loadIssuer(address: Bytes, timestamp: BigInt): TrustedIssuer {
  let issuer = TrustedIssuer.load(address);
  if (issuer == null) {
    issuer = new TrustedIssuer(address);
    issuer.roles = 0;
    issuer.active = false;
    issuer.updatedAt = timestamp;
    issuer.save();
  }
  return issuer;
}

/** The actor's roles its issuer is trusted for (IActorRegistry.isActive requires both). */
function setTrustedRoles(actor: Actor, issuerRoles: i32): void {
  let trusted = actor.roles & issuerRoles;
  actor.trustedRoles = trusted;
  actor.trustedRoleNames = roleNames(trusted);
}

/** Re-judges every actor whose current credential `issuer` signed: a changed trust changes their standing at once. */
function retrustActors(issuer: TrustedIssuer): void {
  let actors = issuer.actors.load();
  for (let i = 0; i < actors.length; i++) {
    let actor = actors[i];
    setTrustedRoles(actor, issuer.roles);
    actor.save();
  }
}

export function handleTrustedIssuerSet(event: TrustedIssuerSet): void {
  let issuer = loadIssuer(event.params.issuer, event.block.timestamp);
  issuer.roles = event.params.roles.toI32();
  issuer.active = true;
  issuer.updatedAt = event.block.timestamp;
  issuer.save();
  retrustActors(issuer);
}

export function handleTrustedIssuerRemoved(event: TrustedIssuerRemoved): void {
  let issuer = loadIssuer(event.params.issuer, event.block.timestamp);
  issuer.roles = 0;
  issuer.active = false;
  issuer.updatedAt = event.block.timestamp;
  issuer.save();
  retrustActors(issuer);
}

export function handleActorOnboarded(event: ActorOnboarded): void {
  let p = event.params;
  loadIssuer(p.issuer, event.block.timestamp);
  let roles = p.roles.toI32();
  let country = ascii(p.country);

  let credential = new Credential(p.credentialId);
  credential.subject = p.subject;
  credential.issuer = p.issuer;
  credential.did = p.did;
  credential.roles = roles;
  credential.country = country;
  credential.validFrom = p.validFrom;
  credential.validUntil = p.validUntil;
  credential.status = "CURRENT";
  credential.submittedBy = p.submittedBy;
  credential.onboardedAt = event.block.timestamp;
  if (!isZero(p.previousCredentialId)) {
    credential.replaces = p.previousCredentialId;
    let previous = Credential.load(p.previousCredentialId);
    // As on chain, only a current credential becomes REPLACED: a revoked one stays REVOKED (finding S1).
    if (previous != null && previous.status == "CURRENT") {
      previous.status = "REPLACED";
      previous.save();
    }
  }
  credential.save();

  let actor = Actor.load(p.subject);
  if (actor == null) {
    actor = new Actor(p.subject);
    actor.onboardedAt = event.block.timestamp;
    actor.onboardedAtBlock = event.block.number;
    actor.suspended = false;
  }
  actor.did = p.did;
  actor.roles = roles;
  actor.roleNames = roleNames(roles);
  actor.country = country;
  actor.legalNameHash = p.legalNameHash;
  actor.identifiersHash = p.identifiersHash;
  actor.currentCredential = p.credentialId;
  actor.issuer = p.issuer;
  // onboard requires the issuer to be trusted for every role it grants.
  setTrustedRoles(actor, roles);
  actor.validFrom = p.validFrom;
  actor.validUntil = p.validUntil;
  actor.credentialRevoked = false;
  actor.credentialClearedAt = null;
  actor.save();
}

export function handleCredentialRevoked(event: CredentialRevoked): void {
  let credential = Credential.load(event.params.credentialId);
  if (credential != null) {
    credential.status = "REVOKED";
    credential.revokedAt = event.block.timestamp;
    credential.revokedBy = event.params.by;
    credential.revocationReason = event.params.reason;
    credential.save();
  }
  let actor = Actor.load(event.params.subject);
  if (actor != null && actor.currentCredential.equals(event.params.credentialId)) {
    actor.credentialRevoked = true;
    actor.save();
  }
}

/**
 * CBP cleared the actor's record (A1 repair). The credential was revoked on chain, by a CredentialRevoked earlier in
 * the same transaction if it was still current; the actor holds no roles until a new credential onboards it.
 */
export function handleActorCredentialCleared(event: ActorCredentialCleared): void {
  let actor = Actor.load(event.params.actor);
  if (actor == null) return;
  actor.roles = 0;
  actor.roleNames = new Array<string>();
  setTrustedRoles(actor, 0);
  actor.credentialRevoked = true;
  actor.credentialClearedAt = event.block.timestamp;
  actor.save();
}

export function handleActorSuspended(event: ActorSuspended): void {
  let actor = Actor.load(event.params.actor);
  if (actor == null) return;
  actor.suspended = true;
  actor.save();
}

export function handleActorReinstated(event: ActorReinstated): void {
  let actor = Actor.load(event.params.actor);
  if (actor == null) return;
  actor.suspended = false;
  actor.save();
}

export function handleAssertionKeyRegistered(event: AssertionKeyRegistered): void {
  let p = event.params;
  let key = new AssertionKey(p.keyIdHash);
  key.keyId = p.keyId;
  key.actor = p.actor;
  key.x = p.x;
  key.y = p.y;
  key.submittedBy = p.submittedBy;
  key.registeredAt = event.block.timestamp;
  key.save();
}

export function handleAssertionKeyRetired(event: AssertionKeyRetired): void {
  let key = AssertionKey.load(event.params.keyIdHash);
  if (key == null) return;
  key.retiredAt = event.block.timestamp;
  key.retiredBy = event.params.by;
  key.save();
}
