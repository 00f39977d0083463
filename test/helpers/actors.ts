import { ethers, upgrades } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Signer } from "ethers";
import type { ActorRegistry } from "../../typechain-types";
import {
  BusinessRole,
  ALL_ROLES,
  country,
  makeCredential,
  onboardActor,
  type ActorCredential,
} from "../../scripts/season/actors";

export * from "../../scripts/season/actors";

/** Deploys an ActorRegistry behind a UUPS proxy with `admin` as CBP. */
export async function deployActorRegistry(admin: Signer): Promise<ActorRegistry> {
  const factory = await ethers.getContractFactory("ActorRegistry", admin);
  const proxy = await upgrades.deployProxy(factory, [await admin.getAddress()], { kind: "uups" });
  await proxy.waitForDeployment();
  return proxy as unknown as ActorRegistry;
}

/** An onboarded actor of the fixture. */
export interface FixtureActor {
  signer: HardhatEthersSigner;
  credential: ActorCredential;
}

/**
 * A registry governed by `cbp`, one issuer trusted for every role, and seven onboarded actors (one per trade
 * role; the laboratory is left un-onboarded). Use with `loadFixture`.
 */
export async function deployActorRegistryFixture() {
  const [cbp, issuer, mill, processor, exporter, importer, broker, carrier, certifier, laboratory, relayer, stranger] =
    await ethers.getSigners();
  const registry = await deployActorRegistry(cbp);
  await registry.connect(cbp).setTrustedIssuer(issuer.address, ALL_ROLES);

  const onboard = async (signer: HardhatEthersSigner, roles: number, code: string): Promise<FixtureActor> => {
    const credential = await makeCredential(signer.address, roles, { country: country(code) });
    await onboardActor(registry, issuer, credential, { submitter: relayer });
    return { signer, credential };
  };
  const actors = {
    mill: await onboard(mill, BusinessRole.Mill, "DE"),
    processor: await onboard(processor, BusinessRole.Processor, "MX"),
    exporter: await onboard(exporter, BusinessRole.Exporter, "MX"),
    importer: await onboard(importer, BusinessRole.Importer, "US"),
    broker: await onboard(broker, BusinessRole.CustomsBroker, "US"),
    carrier: await onboard(carrier, BusinessRole.Carrier, "PA"),
    certifier: await onboard(certifier, BusinessRole.Certifier, "MX"),
  };
  return { registry, cbp, issuer, relayer, stranger, laboratory, actors };
}
