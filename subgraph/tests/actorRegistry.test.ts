import { Bytes, ValueKind } from "@graphprotocol/graph-ts";
import { afterEach, assert, clearStore, describe, test } from "matchstick-as/assembly/index";
import { Actor, Credential } from "../generated/schema";
import { handleActorCredentialCleared, handleActorOnboarded, handleCredentialRevoked } from "../src/actorRegistry";
import {
  CBP,
  DAY,
  EXPORTER,
  ISSUER,
  ROLE_EXPORTER,
  ROLE_MILL,
  T0,
  createActorCredentialCleared,
  createActorOnboarded,
  createCredentialRevoked,
} from "./utils";

const CREDENTIAL = Bytes.fromHexString("0xcced000000000000000000000000000000000000000000000000000000000001");
const RENEWAL = Bytes.fromHexString("0xcced000000000000000000000000000000000000000000000000000000000002");
const REASON = Bytes.fromHexString("0x524f475545000000000000000000000000000000000000000000000000000000");

describe("handleActorOnboarded", () => {
  afterEach(() => {
    clearStore();
  });

  test("creates the Actor, its current Credential and the TrustedIssuer", () => {
    handleActorOnboarded(createActorOnboarded(EXPORTER, ROLE_MILL | ROLE_EXPORTER, "KR", CREDENTIAL, T0));
    let actor = EXPORTER.toHexString();
    assert.entityCount("Actor", 1);
    assert.fieldEquals("Actor", actor, "country", "KR");
    assert.fieldEquals("Actor", actor, "roles", "5");
    assert.fieldEquals("Actor", actor, "roleNames", "[MILL, EXPORTER]");
    // onboard requires the issuer to be trusted for every role granted.
    assert.fieldEquals("Actor", actor, "trustedRoles", "5");
    assert.fieldEquals("Actor", actor, "currentCredential", CREDENTIAL.toHexString());
    assert.fieldEquals("Actor", actor, "suspended", "false");
    assert.fieldEquals("Actor", actor, "onboardedAt", T0.toString());
    assert.fieldEquals("Credential", CREDENTIAL.toHexString(), "subject", actor);
    assert.fieldEquals("Credential", CREDENTIAL.toHexString(), "status", "CURRENT");
    assert.assertNull(Credential.load(CREDENTIAL)!.get("replaces"));
    assert.fieldEquals("TrustedIssuer", ISSUER.toHexString(), "active", "false");
  });

  test("a newer credential marks the current one REPLACED", () => {
    handleActorOnboarded(createActorOnboarded(EXPORTER, ROLE_EXPORTER, "KR", CREDENTIAL, T0));
    handleActorOnboarded(createActorOnboarded(EXPORTER, ROLE_EXPORTER, "KR", RENEWAL, T0 + DAY, CREDENTIAL));
    assert.fieldEquals("Credential", CREDENTIAL.toHexString(), "status", "REPLACED");
    assert.fieldEquals("Credential", RENEWAL.toHexString(), "status", "CURRENT");
    assert.fieldEquals("Credential", RENEWAL.toHexString(), "replaces", CREDENTIAL.toHexString());
    assert.fieldEquals("Actor", EXPORTER.toHexString(), "currentCredential", RENEWAL.toHexString());
  });

  // S1: on chain a revoked credential stays Revoked when a newer one onboards the actor.
  test("a newer credential leaves a revoked one REVOKED, with its revocation", () => {
    handleActorOnboarded(createActorOnboarded(EXPORTER, ROLE_EXPORTER, "KR", CREDENTIAL, T0));
    handleCredentialRevoked(createCredentialRevoked(CREDENTIAL, EXPORTER, CBP, REASON, T0 + DAY));
    assert.fieldEquals("Actor", EXPORTER.toHexString(), "credentialRevoked", "true");
    handleActorOnboarded(createActorOnboarded(EXPORTER, ROLE_EXPORTER, "KR", RENEWAL, T0 + 2 * DAY, CREDENTIAL));
    let previous = CREDENTIAL.toHexString();
    assert.fieldEquals("Credential", previous, "status", "REVOKED");
    assert.fieldEquals("Credential", previous, "revokedBy", CBP.toHexString());
    assert.fieldEquals("Credential", previous, "revocationReason", REASON.toHexString());
    assert.fieldEquals("Credential", RENEWAL.toHexString(), "status", "CURRENT");
    assert.fieldEquals("Actor", EXPORTER.toHexString(), "credentialRevoked", "false");
  });

  // A1 repair: CBP clears the record (the contract emits CredentialRevoked first if the credential was current).
  test("a cleared record holds no roles until the next onboarding, which keeps onboardedAt", () => {
    let actor = EXPORTER.toHexString();
    handleActorOnboarded(createActorOnboarded(EXPORTER, ROLE_MILL | ROLE_EXPORTER, "KR", CREDENTIAL, T0));
    handleCredentialRevoked(createCredentialRevoked(CREDENTIAL, EXPORTER, CBP, REASON, T0 + DAY));
    handleActorCredentialCleared(createActorCredentialCleared(EXPORTER, CREDENTIAL, CBP, REASON, T0 + DAY));
    assert.fieldEquals("Actor", actor, "roles", "0");
    assert.fieldEquals("Actor", actor, "roleNames", "[]");
    assert.fieldEquals("Actor", actor, "trustedRoles", "0");
    assert.fieldEquals("Actor", actor, "credentialRevoked", "true");
    assert.fieldEquals("Actor", actor, "credentialClearedAt", (T0 + DAY).toString());
    assert.fieldEquals("Credential", CREDENTIAL.toHexString(), "status", "REVOKED");

    handleActorOnboarded(createActorOnboarded(EXPORTER, ROLE_EXPORTER, "KR", RENEWAL, T0 + 2 * DAY));
    assert.fieldEquals("Actor", actor, "roles", "4");
    assert.fieldEquals("Actor", actor, "trustedRoles", "4");
    assert.fieldEquals("Actor", actor, "credentialRevoked", "false");
    let clearedAt = Actor.load(EXPORTER)!.get("credentialClearedAt");
    assert.assertTrue(clearedAt == null || clearedAt.kind == ValueKind.NULL);
    assert.fieldEquals("Actor", actor, "onboardedAt", T0.toString());
    assert.fieldEquals("Credential", CREDENTIAL.toHexString(), "status", "REVOKED");
  });
});
