// Regression tests of review finding A1 (SECURITY.md): a narrowly trusted issuer, or an honest slip in `validFrom`,
// could lock an actor out of the ActorRegistry for good. Each test replays one step of the reported sequence against
// the real contract behind its proxy.
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  ALL_ROLES,
  BusinessRole,
  CredentialStatus,
  deployActorRegistryFixture,
  makeCredential,
  onboardActor,
  roleSet,
  signActorCredential,
} from "../../helpers/actors";

const CBP_ROLE = ethers.id("CBP_ROLE");
const REASON = ethers.encodeBytes32String("ROGUE-ISSUER");
const DAY = 24n * 3600n;
/** `ActorRegistry.MAX_VALID_FROM_LEAD`, restated so that a change of the bound is a deliberate one. */
const MAX_VALID_FROM_LEAD = 30n * DAY;
/** The reviewer's far-future `validFrom` (2^64 - 2), and an honest slip: `validFrom` in milliseconds. */
const FAR_FUTURE = (1n << 64n) - 2n;

describe("ActorRegistry: finding A1 (an issuer locks an actor out)", function () {
  /** The base fixture plus `rogue`, an issuer CBP trusts for LABORATORY only. */
  async function fixtureWithLabIssuer() {
    const base = await deployActorRegistryFixture();
    const [rogue] = (await ethers.getSigners()).slice(12);
    await base.registry.connect(base.cbp).setTrustedIssuer(rogue.address, BusinessRole.Laboratory);
    return { ...base, rogue };
  }

  /** Submitters of each path: the issuer itself (direct) or a relayer. */
  function paths(issuer: HardhatEthersSigner, relayer: HardhatEthersSigner): [string, HardhatEthersSigner][] {
    return [
      ["direct", issuer],
      ["relayed", relayer],
    ];
  }

  describe("validFrom is bounded to near the block time", function () {
    it("refuses the reviewer's far-future validFrom and one in milliseconds, direct or relayed", async function () {
      const { registry, issuer, relayer, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer, credential: current } = actors.mill;
      const millis = BigInt(await time.latest()) * 1000n;
      for (const [path, submitter] of paths(issuer, relayer)) {
        for (const validFrom of [FAR_FUTURE, millis]) {
          const credential = await makeCredential(signer.address, BusinessRole.Mill, {
            validFrom,
            validUntil: validFrom + 1n,
          });
          const signature = await signActorCredential(registry, issuer, credential);
          const next = BigInt(await time.latest()) + 1n;
          await time.setNextBlockTimestamp(next);
          await expect(registry.connect(submitter).onboard(credential, issuer.address, signature), path)
            .to.be.revertedWithCustomError(registry, "ValidFromTooFarAhead")
            .withArgs(validFrom, next + MAX_VALID_FROM_LEAD);
        }
      }
      expect((await registry.actorOf(signer.address)).credentialId).to.equal(current.credentialId);
      expect(await registry.isActive(signer.address, BusinessRole.Mill)).to.equal(true);
    });

    it("accepts validFrom up to MAX_VALID_FROM_LEAD after the block time, not a second more", async function () {
      const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
      expect(await registry.MAX_VALID_FROM_LEAD()).to.equal(MAX_VALID_FROM_LEAD);
      const next = BigInt(await time.latest()) + 10n;
      const tooLate = await makeCredential(laboratory.address, BusinessRole.Laboratory, {
        validFrom: next + MAX_VALID_FROM_LEAD + 1n,
        validUntil: next + MAX_VALID_FROM_LEAD + DAY,
      });
      await time.setNextBlockTimestamp(next);
      await expect(onboardActor(registry, issuer, tooLate))
        .to.be.revertedWithCustomError(registry, "ValidFromTooFarAhead")
        .withArgs(tooLate.validFrom, next + MAX_VALID_FROM_LEAD);
      const latest = { ...tooLate, validFrom: next + 1n + MAX_VALID_FROM_LEAD, credentialId: ethers.id("latest") };
      await time.setNextBlockTimestamp(next + 1n);
      await expect(onboardActor(registry, issuer, latest)).to.emit(registry, "ActorOnboarded");
      expect((await registry.actorOf(laboratory.address)).validFrom).to.equal(latest.validFrom);
    });
  });

  describe("only an issuer trusted for the roles the subject holds may replace its credential", function () {
    it("a LABORATORY-only issuer can't replace an active mill's credential, direct or relayed", async function () {
      const { registry, rogue, relayer, actors } = await loadFixture(fixtureWithLabIssuer);
      const { signer, credential: current } = actors.mill;
      for (const [path, submitter] of paths(rogue, relayer)) {
        const credential = await makeCredential(signer.address, BusinessRole.Laboratory);
        await expect(onboardActor(registry, rogue, credential, { submitter }), path)
          .to.be.revertedWithCustomError(registry, "IssuerNotTrustedForHeldRoles")
          .withArgs(signer.address, rogue.address, BusinessRole.Mill);
      }
      expect(await registry.credentialStatus(current.credentialId)).to.equal(CredentialStatus.Current);
      expect(await registry.isActive(signer.address, BusinessRole.Mill)).to.equal(true);
    });

    it("nor strip an importer of IMPORTER", async function () {
      const { registry, rogue, relayer, actors } = await loadFixture(fixtureWithLabIssuer);
      const { signer } = actors.importer;
      const credential = await makeCredential(signer.address, BusinessRole.Laboratory);
      await expect(onboardActor(registry, rogue, credential, { submitter: relayer }))
        .to.be.revertedWithCustomError(registry, "IssuerNotTrustedForHeldRoles")
        .withArgs(signer.address, rogue.address, BusinessRole.Importer);
      expect(await registry.isActive(signer.address, BusinessRole.Importer)).to.equal(true);
    });

    it("requires trust for every held role, not just some", async function () {
      const { registry, cbp, issuer, rogue, actors } = await loadFixture(fixtureWithLabIssuer);
      const { signer } = actors.exporter;
      const held = roleSet(BusinessRole.Exporter, BusinessRole.Mill);
      await onboardActor(registry, issuer, await makeCredential(signer.address, held));
      await registry
        .connect(cbp)
        .setTrustedIssuer(rogue.address, roleSet(BusinessRole.Exporter, BusinessRole.Laboratory));
      const credential = await makeCredential(signer.address, BusinessRole.Exporter);
      await expect(onboardActor(registry, rogue, credential))
        .to.be.revertedWithCustomError(registry, "IssuerNotTrustedForHeldRoles")
        .withArgs(signer.address, rogue.address, held);
      // Trusted for both held roles, it may replace (renewal by another accredited issuer).
      await registry.connect(cbp).setTrustedIssuer(rogue.address, held);
      await expect(onboardActor(registry, rogue, await makeCredential(signer.address, BusinessRole.Exporter))).to.emit(
        registry,
        "ActorOnboarded",
      );
    });

    it("the subject consents by submitting the credential itself", async function () {
      const { registry, rogue, actors } = await loadFixture(fixtureWithLabIssuer);
      const { signer, credential: current } = actors.importer;
      const credential = await makeCredential(signer.address, BusinessRole.Laboratory);
      await expect(onboardActor(registry, rogue, credential, { submitter: signer })).to.emit(
        registry,
        "ActorOnboarded",
      );
      expect(await registry.credentialStatus(current.credentialId)).to.equal(CredentialStatus.Replaced);
      expect(await registry.isActive(signer.address, BusinessRole.Laboratory)).to.equal(true);
    });

    it("roles no longer held (credential revoked, expired or its issuer distrusted) don't bar another issuer", async function () {
      const { registry, cbp, issuer, rogue, relayer, actors } = await loadFixture(fixtureWithLabIssuer);
      await registry.connect(cbp).revokeCredential(actors.mill.credential.credentialId, REASON);
      await registry.connect(cbp).setTrustedIssuer(issuer.address, ALL_ROLES & ~BusinessRole.Carrier);
      const lab = (signer: HardhatEthersSigner) => makeCredential(signer.address, BusinessRole.Laboratory);
      await expect(onboardActor(registry, rogue, await lab(actors.mill.signer), { submitter: relayer })).to.emit(
        registry,
        "ActorOnboarded",
      );
      await expect(onboardActor(registry, rogue, await lab(actors.carrier.signer), { submitter: relayer })).to.emit(
        registry,
        "ActorOnboarded",
      );
      await time.increaseTo(actors.broker.credential.validUntil + 1n);
      await expect(onboardActor(registry, rogue, await lab(actors.broker.signer), { submitter: relayer })).to.emit(
        registry,
        "ActorOnboarded",
      );
    });
  });

  describe("a revoked credential bars older credentials only up to its revocation", function () {
    /** A rogue issuer trusted for MILL replaces the mill's credential with one valid only from `lead` from now. */
    async function futureDatedMill(lead: bigint) {
      const base = await loadFixture(fixtureWithLabIssuer);
      const { registry, cbp, rogue, relayer, actors } = base;
      await registry.connect(cbp).setTrustedIssuer(rogue.address, roleSet(BusinessRole.Mill, BusinessRole.Laboratory));
      const validFrom = BigInt(await time.latest()) + lead;
      const bad = await makeCredential(actors.mill.signer.address, BusinessRole.Mill, {
        validFrom,
        validUntil: validFrom + DAY,
      });
      await onboardActor(registry, rogue, bad, { submitter: relayer });
      expect(await registry.isActive(actors.mill.signer.address, BusinessRole.Mill)).to.equal(false);
      return { ...base, bad };
    }

    it("the reviewer's sequence: after CBP revokes the rogue credential, the real issuer onboards the mill", async function () {
      const { registry, cbp, issuer, rogue, relayer, actors, bad } = await futureDatedMill(MAX_VALID_FROM_LEAD);
      const { signer } = actors.mill;
      await registry.connect(cbp).revokeCredential(bad.credentialId, REASON);
      await registry.connect(cbp).removeTrustedIssuer(rogue.address);
      // Suspending and reinstating never helped; a fresh credential from the real issuer does.
      const fresh = await makeCredential(signer.address, BusinessRole.Mill);
      await expect(onboardActor(registry, issuer, fresh, { submitter: relayer }))
        .to.emit(registry, "ActorOnboarded")
        .withArgs(
          ...[signer.address, fresh.credentialId, issuer.address, fresh.did, BusinessRole.Mill, fresh.country],
          ...[fresh.legalNameHash, fresh.identifiersHash, fresh.validFrom, fresh.validUntil],
          bad.credentialId,
          relayer.address,
        );
      expect(await registry.isActive(signer.address, BusinessRole.Mill)).to.equal(true);
      // On chain the rogue credential stays revoked (S1: the subgraph must say so too).
      expect(await registry.credentialStatus(bad.credentialId)).to.equal(CredentialStatus.Revoked);
    });

    it("a credential valid from before the revocation is still refused, with the revocation time", async function () {
      const { registry, cbp, issuer, actors, bad } = await futureDatedMill(10n * DAY);
      await registry.connect(cbp).revokeCredential(bad.credentialId, REASON);
      const revokedAt = BigInt(await time.latest());
      const withheld = await makeCredential(actors.mill.signer.address, BusinessRole.Mill, {
        validFrom: revokedAt - 1n,
      });
      await expect(onboardActor(registry, issuer, withheld))
        .to.be.revertedWithCustomError(registry, "CredentialOlderThanCurrent")
        .withArgs(withheld.credentialId, withheld.validFrom, revokedAt);
    });
  });

  describe("CBP repairs an actor's record: clearCredential", function () {
    it("clears a bad current credential so that the real issuer's credential onboards", async function () {
      const { registry, cbp, issuer, rogue, relayer, actors } = await loadFixture(fixtureWithLabIssuer);
      const { signer, credential: original } = actors.mill;
      await registry.connect(cbp).setTrustedIssuer(rogue.address, roleSet(BusinessRole.Mill, BusinessRole.Laboratory));
      const validFrom = BigInt(await time.latest()) + 20n * DAY;
      const bad = await makeCredential(signer.address, roleSet(BusinessRole.Mill, BusinessRole.Laboratory), {
        validFrom,
        validUntil: validFrom + DAY,
      });
      await onboardActor(registry, rogue, bad, { submitter: relayer });
      await registry.connect(cbp).suspend(signer.address, REASON);
      const onboardedAt = (await registry.actorOf(signer.address)).onboardedAt;

      const tx = registry.connect(cbp).clearCredential(signer.address, REASON);
      await expect(tx)
        .to.emit(registry, "CredentialRevoked")
        .withArgs(bad.credentialId, signer.address, cbp.address, REASON);
      await expect(tx)
        .to.emit(registry, "ActorCredentialCleared")
        .withArgs(signer.address, bad.credentialId, cbp.address, REASON);
      expect(await registry.credentialStatus(bad.credentialId)).to.equal(CredentialStatus.Revoked);
      expect(await registry.credentialStatus(original.credentialId)).to.equal(CredentialStatus.Replaced);
      const cleared = await registry.actorOf(signer.address);
      expect([cleared.credentialId, cleared.issuer, cleared.roles, cleared.validFrom]).to.deep.equal([
        ethers.ZeroHash,
        ethers.ZeroAddress,
        0n,
        0n,
      ]);
      expect([cleared.onboardedAt, cleared.suspended]).to.deep.equal([onboardedAt, true]);

      // Valid from before the bad credential, from an issuer not trusted for LABORATORY: both accepted now.
      await registry.connect(cbp).setTrustedIssuer(issuer.address, BusinessRole.Mill);
      const fresh = await makeCredential(signer.address, BusinessRole.Mill, { validFrom: original.validFrom });
      await expect(onboardActor(registry, issuer, fresh, { submitter: relayer }))
        .to.emit(registry, "ActorOnboarded")
        .withArgs(
          ...[signer.address, fresh.credentialId, issuer.address, ...Array(7).fill(anyValue)],
          ethers.ZeroHash, // nothing to replace: the cleared credential is no longer the actor's
          relayer.address,
        );
      expect((await registry.actorOf(signer.address)).onboardedAt).to.equal(onboardedAt);
      // The suspension survives the repair: only CBP lifts it.
      expect(await registry.isActive(signer.address, BusinessRole.Mill)).to.equal(false);
      await registry.connect(cbp).reinstate(signer.address, REASON);
      expect(await registry.isActive(signer.address, BusinessRole.Mill)).to.equal(true);
    });

    it("leaves an already revoked credential revoked and emits only ActorCredentialCleared", async function () {
      const { registry, cbp, issuer, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer, credential } = actors.carrier;
      await registry.connect(issuer).revokeCredential(credential.credentialId, REASON);
      const tx = registry.connect(cbp).clearCredential(signer.address, REASON);
      await expect(tx)
        .to.emit(registry, "ActorCredentialCleared")
        .withArgs(signer.address, credential.credentialId, cbp.address, REASON);
      await expect(tx).not.to.emit(registry, "CredentialRevoked");
      expect(await registry.credentialStatus(credential.credentialId)).to.equal(CredentialStatus.Revoked);
    });

    it("is for CBP (CBP_ROLE) only; not for the issuer, the actor or a stranger", async function () {
      const { registry, issuer, stranger, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer, credential } = actors.mill;
      for (const caller of [issuer, signer, stranger]) {
        await expect(registry.connect(caller).clearCredential(signer.address, REASON))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, CBP_ROLE);
      }
      expect(await registry.credentialStatus(credential.credentialId)).to.equal(CredentialStatus.Current);
    });

    it("reverts for an unknown actor, the zero address, an actor already cleared, and while paused", async function () {
      const { registry, cbp, laboratory, actors } = await loadFixture(deployActorRegistryFixture);
      for (const actor of [laboratory.address, ethers.ZeroAddress]) {
        await expect(registry.connect(cbp).clearCredential(actor, REASON))
          .to.be.revertedWithCustomError(registry, "UnknownActor")
          .withArgs(actor);
      }
      const { signer } = actors.broker;
      await registry.connect(cbp).clearCredential(signer.address, REASON);
      await expect(registry.connect(cbp).clearCredential(signer.address, REASON))
        .to.be.revertedWithCustomError(registry, "NoCredentialToClear")
        .withArgs(signer.address);
      await registry.connect(cbp).pause();
      await expect(
        registry.connect(cbp).clearCredential(actors.importer.signer.address, REASON),
      ).to.be.revertedWithCustomError(registry, "EnforcedPause");
    });
  });
});
