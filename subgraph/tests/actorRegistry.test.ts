import { Bytes } from "@graphprotocol/graph-ts";
import { afterEach, assert, clearStore, describe, test } from "matchstick-as/assembly/index";
import { Credential } from "../generated/schema";
import { handleActorOnboarded } from "../src/actorRegistry";
import { EXPORTER, ISSUER, ROLE_EXPORTER, ROLE_MILL, T0, createActorOnboarded } from "./utils";

const CREDENTIAL = Bytes.fromHexString("0xcced000000000000000000000000000000000000000000000000000000000001");

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
});
