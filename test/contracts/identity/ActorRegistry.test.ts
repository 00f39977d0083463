import { expect } from "chai";
import hre, { ethers, upgrades } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { ContractTransactionResponse } from "ethers";
import type { ActorRegistryV2 } from "../../../typechain-types";
import {
  ACTOR_CREDENTIAL_TYPES,
  ALL_ROLES,
  BusinessRole,
  CredentialStatus,
  actorRegistryDomain,
  country,
  deployActorRegistry,
  deployActorRegistryFixture,
  type FixtureActor,
  makeCredential,
  onboardActor,
  roleSet,
  signActorCredential,
} from "../../helpers/actors";

const CBP_ROLE = ethers.id("CBP_ROLE");
const UPGRADER_ROLE = ethers.id("UPGRADER_ROLE");
const PAUSER_ROLE = ethers.id("PAUSER_ROLE");
const DEFAULT_ADMIN_ROLE = ethers.ZeroHash;
const REASON = ethers.encodeBytes32String("EAPA-7890");
const MAX_UINT40 = (1n << 40n) - 1n;
/** Onboarding budget asserted below; the figures themselves are printed with REPORT_GAS=true. */
const ONBOARD_GAS_BUDGET = 150_000n;

async function gasOf(tx: ContractTransactionResponse): Promise<bigint> {
  const receipt = await tx.wait();
  return receipt!.gasUsed;
}

/**
 * The budget holds for the contracts as deployed; solidity-coverage's instrumented build spends more gas on its
 * own counters, so under `npm run coverage` only the uninstrumented run (`npm test`) judges it.
 */
function expectWithinOnboardBudget(gas: bigint): void {
  const instrumented = (hre as unknown as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING;
  if (!instrumented) expect(gas).to.be.lessThan(ONBOARD_GAS_BUDGET);
}

describe("ActorRegistry", function () {
  async function fixtureWithWallet() {
    const base = await deployActorRegistryFixture();
    const [walletOwner] = (await ethers.getSigners()).slice(12);
    const wallet = await ethers.deployContract("MockERC1271Wallet", [walletOwner.address]);
    await base.registry.connect(base.cbp).setTrustedIssuer(await wallet.getAddress(), ALL_ROLES);
    return { ...base, wallet, walletOwner };
  }

  describe("initialize", function () {
    it("grants every governance role to the admin and to nobody else", async function () {
      const { registry, cbp, issuer } = await loadFixture(deployActorRegistryFixture);
      for (const role of [DEFAULT_ADMIN_ROLE, CBP_ROLE, UPGRADER_ROLE, PAUSER_ROLE]) {
        expect(await registry.hasRole(role, cbp.address)).to.equal(true);
        expect(await registry.hasRole(role, issuer.address)).to.equal(false);
      }
      expect(await registry.CBP_ROLE()).to.equal(CBP_ROLE);
    });

    it("can't be initialized twice, nor through the implementation", async function () {
      const { registry, stranger } = await loadFixture(deployActorRegistryFixture);
      await expect(registry.initialize(stranger.address)).to.be.revertedWithCustomError(
        registry,
        "InvalidInitialization",
      );
      const implementation = await ethers.getContractAt(
        "ActorRegistry",
        await upgrades.erc1967.getImplementationAddress(await registry.getAddress()),
      );
      await expect(implementation.initialize(stranger.address)).to.be.revertedWithCustomError(
        registry,
        "InvalidInitialization",
      );
    });

    it("rejects a zero admin", async function () {
      const factory = await ethers.getContractFactory("ActorRegistry");
      await expect(upgrades.deployProxy(factory, [ethers.ZeroAddress], { kind: "uups" })).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
    });

    it("binds the EIP-712 domain to its name, version, chain id and proxy address", async function () {
      const { registry } = await loadFixture(deployActorRegistryFixture);
      const domain = await actorRegistryDomain(registry);
      expect(await registry.domainSeparator()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
      const [, name, version, chainId, verifyingContract] = await registry.eip712Domain();
      expect([name, version, chainId, verifyingContract]).to.deep.equal([
        "TradeTrace ActorRegistry",
        "1",
        31337n,
        await registry.getAddress(),
      ]);
    });
  });

  describe("trusted issuers", function () {
    it("setTrustedIssuer trusts an issuer for a role set and reports the previous set", async function () {
      const { registry, cbp, stranger } = await loadFixture(deployActorRegistryFixture);
      const mtr = roleSet(BusinessRole.Mill, BusinessRole.Laboratory);
      await expect(registry.connect(cbp).setTrustedIssuer(stranger.address, mtr))
        .to.emit(registry, "TrustedIssuerSet")
        .withArgs(stranger.address, mtr, 0, cbp.address);
      expect(await registry.trustedRolesOf(stranger.address)).to.equal(mtr);
      await expect(registry.connect(cbp).setTrustedIssuer(stranger.address, BusinessRole.Certifier))
        .to.emit(registry, "TrustedIssuerSet")
        .withArgs(stranger.address, BusinessRole.Certifier, mtr, cbp.address);
      expect(await registry.trustedRolesOf(stranger.address)).to.equal(BusinessRole.Certifier);
    });

    it("setTrustedIssuer is for CBP (CBP_ROLE) only", async function () {
      const { registry, issuer, stranger } = await loadFixture(deployActorRegistryFixture);
      for (const caller of [stranger, issuer]) {
        await expect(registry.connect(caller).setTrustedIssuer(stranger.address, BusinessRole.Mill))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, CBP_ROLE);
      }
    });

    it("setTrustedIssuer rejects the zero address and invalid role sets", async function () {
      const { registry, cbp, stranger } = await loadFixture(deployActorRegistryFixture);
      await expect(
        registry.connect(cbp).setTrustedIssuer(ethers.ZeroAddress, BusinessRole.Mill),
      ).to.be.revertedWithCustomError(registry, "ZeroAddress");
      for (const roles of [0, 1 << 8, 2 ** 31 + ALL_ROLES]) {
        await expect(registry.connect(cbp).setTrustedIssuer(stranger.address, roles))
          .to.be.revertedWithCustomError(registry, "InvalidRoles")
          .withArgs(roles);
      }
    });

    it("removeTrustedIssuer removes an issuer and deactivates every actor it credentialed at once (R2)", async function () {
      const { registry, cbp, issuer, actors } = await loadFixture(deployActorRegistryFixture);
      await expect(registry.connect(cbp).removeTrustedIssuer(issuer.address))
        .to.emit(registry, "TrustedIssuerRemoved")
        .withArgs(issuer.address, ALL_ROLES, cbp.address);
      expect(await registry.trustedRolesOf(issuer.address)).to.equal(0);
      const roles: [FixtureActor, number][] = [
        [actors.mill, BusinessRole.Mill],
        [actors.processor, BusinessRole.Processor],
        [actors.exporter, BusinessRole.Exporter],
        [actors.importer, BusinessRole.Importer],
        [actors.broker, BusinessRole.CustomsBroker],
        [actors.carrier, BusinessRole.Carrier],
        [actors.certifier, BusinessRole.Certifier],
      ];
      for (const [actor, role] of roles) {
        expect(await registry.isActive(actor.signer.address, role)).to.equal(false, `role ${role}`);
        // The credential itself is untouched: trusting the issuer again restores the actor.
        expect(await registry.credentialStatus(actor.credential.credentialId)).to.equal(CredentialStatus.Current);
      }
      await registry.connect(cbp).setTrustedIssuer(issuer.address, ALL_ROLES);
      for (const [actor, role] of roles) expect(await registry.isActive(actor.signer.address, role)).to.equal(true);
    });

    it("narrowing an issuer's roles deactivates its actors for the dropped roles only (R2)", async function () {
      const { registry, cbp, issuer, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer } = actors.mill;
      const both = roleSet(BusinessRole.Mill, BusinessRole.Exporter);
      await onboardActor(registry, issuer, await makeCredential(signer.address, both));
      await expect(registry.connect(cbp).setTrustedIssuer(issuer.address, BusinessRole.Mill))
        .to.emit(registry, "TrustedIssuerSet")
        .withArgs(issuer.address, BusinessRole.Mill, ALL_ROLES, cbp.address);
      expect(await registry.isActive(signer.address, BusinessRole.Mill)).to.equal(true);
      expect(await registry.isActive(signer.address, BusinessRole.Exporter)).to.equal(false);
      expect(await registry.isActive(signer.address, both)).to.equal(false);
      expect(await registry.isActive(actors.exporter.signer.address, BusinessRole.Exporter)).to.equal(false);
    });

    it("another trusted issuer can re-credential an actor whose issuer was removed (R2)", async function () {
      const { registry, cbp, issuer, stranger, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer, credential } = actors.importer;
      await registry.connect(cbp).removeTrustedIssuer(issuer.address);
      expect(await registry.isActive(signer.address, BusinessRole.Importer)).to.equal(false);
      await registry.connect(cbp).setTrustedIssuer(stranger.address, BusinessRole.Importer);
      const fresh = await makeCredential(signer.address, BusinessRole.Importer);
      await expect(onboardActor(registry, stranger, fresh))
        .to.emit(registry, "ActorOnboarded")
        .withArgs(
          signer.address,
          fresh.credentialId,
          stranger.address,
          anyValue,
          BusinessRole.Importer,
          anyValue,
          anyValue,
          anyValue,
          anyValue,
          anyValue,
          credential.credentialId,
          anyValue,
        );
      expect(await registry.isActive(signer.address, BusinessRole.Importer)).to.equal(true);
      expect((await registry.actorOf(signer.address)).issuer).to.equal(stranger.address);
      expect(await registry.credentialStatus(credential.credentialId)).to.equal(CredentialStatus.Replaced);
    });

    it("removeTrustedIssuer reverts for an issuer that is not trusted, and for accounts without CBP_ROLE", async function () {
      const { registry, cbp, issuer, stranger } = await loadFixture(deployActorRegistryFixture);
      await expect(registry.connect(cbp).removeTrustedIssuer(stranger.address))
        .to.be.revertedWithCustomError(registry, "IssuerNotTrusted")
        .withArgs(stranger.address, 0);
      await expect(registry.connect(stranger).removeTrustedIssuer(issuer.address))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, CBP_ROLE);
    });
  });

  describe("onboard", function () {
    it("onboards an actor submitted by the subject itself, with every field in the event", async function () {
      const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
      const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory, {
        did: "did:web:lab.example.de",
        country: country("DE"),
      });
      const signature = await signActorCredential(registry, issuer, credential);
      const tx = registry.connect(laboratory).onboard(credential, issuer.address, signature);
      await expect(tx)
        .to.emit(registry, "ActorOnboarded")
        .withArgs(
          laboratory.address,
          credential.credentialId,
          issuer.address,
          "did:web:lab.example.de",
          BusinessRole.Laboratory,
          country("DE"),
          credential.legalNameHash,
          credential.identifiersHash,
          credential.validFrom,
          credential.validUntil,
          ethers.ZeroHash,
          laboratory.address,
        );
      const onboardedAt = await time.latest();
      expect(await registry.credentialStatus(credential.credentialId)).to.equal(CredentialStatus.Current);
      const actor = await registry.actorOf(laboratory.address);
      expect([...actor]).to.deep.equal([
        credential.credentialId,
        issuer.address,
        BigInt(BusinessRole.Laboratory),
        country("DE"),
        credential.validFrom,
        credential.validUntil,
        BigInt(onboardedAt),
        false,
      ]);
      expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(true);
      const gas = await gasOf(await tx);
      if (process.env.REPORT_GAS === "true") console.log(`      onboard, direct by the subject: ${gas} gas`);
      expectWithinOnboardBudget(gas);
    });

    it("accepts a credential submitted by a relayer, recorded as submittedBy", async function () {
      const { registry, issuer, laboratory, relayer } = await loadFixture(deployActorRegistryFixture);
      const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
      const tx = await onboardActor(registry, issuer, credential, { submitter: relayer });
      await expect(tx)
        .to.emit(registry, "ActorOnboarded")
        .withArgs(
          laboratory.address,
          credential.credentialId,
          issuer.address,
          credential.did,
          credential.roles,
          credential.country,
          credential.legalNameHash,
          credential.identifiersHash,
          credential.validFrom,
          credential.validUntil,
          ethers.ZeroHash,
          relayer.address,
        );
      expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(true);
      const gas = await gasOf(tx);
      if (process.env.REPORT_GAS === "true") console.log(`      onboard, submitted by a relayer: ${gas} gas`);
      expectWithinOnboardBudget(gas);
    });

    it("credentialDigest is the EIP-712 digest of the credential", async function () {
      const { registry, laboratory } = await loadFixture(deployActorRegistryFixture);
      const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
      const domain = await actorRegistryDomain(registry);
      expect(await registry.credentialDigest(credential)).to.equal(
        ethers.TypedDataEncoder.hash(domain, ACTOR_CREDENTIAL_TYPES, credential),
      );
    });

    describe("validation", function () {
      it("rejects a zero subject", async function () {
        const { registry, issuer } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(ethers.ZeroAddress, BusinessRole.Mill);
        await expect(onboardActor(registry, issuer, credential))
          .to.be.revertedWithCustomError(registry, "InvalidSubject")
          .withArgs(ethers.ZeroAddress);
      });

      it("rejects an empty DID", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory, { did: "" });
        await expect(onboardActor(registry, issuer, credential)).to.be.revertedWithCustomError(registry, "EmptyDid");
      });

      it("rejects an empty role set and undefined role bits", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        for (const roles of [0, 1 << 8, BusinessRole.Mill | (1 << 20)]) {
          const credential = await makeCredential(laboratory.address, roles);
          await expect(onboardActor(registry, issuer, credential))
            .to.be.revertedWithCustomError(registry, "InvalidRoles")
            .withArgs(roles);
        }
      });

      it("rejects a country that is not two upper-case letters", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        for (const code of ["us", "U1", "u S", "\0\0"].map((c) => country(c).slice(0, 6))) {
          const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory, { country: code });
          await expect(onboardActor(registry, issuer, credential))
            .to.be.revertedWithCustomError(registry, "InvalidCountry")
            .withArgs(code);
        }
      });

      it("rejects an empty validity window and one that is already over", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const now = BigInt(await time.latest());
        const windows: [bigint, bigint][] = [
          [now + 100n, now + 100n], // empty
          [now + 200n, now + 100n], // reversed
          [now - 100n, now], // over by the time the transaction is mined (now + 1)
        ];
        for (const [validFrom, validUntil] of windows) {
          const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory, {
            validFrom,
            validUntil,
          });
          await expect(onboardActor(registry, issuer, credential))
            .to.be.revertedWithCustomError(registry, "InvalidValidity")
            .withArgs(validFrom, validUntil);
        }
      });

      it("accepts a window that ends in the block of submission", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const next = BigInt(await time.latest()) + 10n;
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory, {
          validFrom: next - 100n,
          validUntil: next,
        });
        const signature = await signActorCredential(registry, issuer, credential);
        await time.setNextBlockTimestamp(next);
        await expect(registry.onboard(credential, issuer.address, signature)).to.emit(registry, "ActorOnboarded");
        expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(true);
      });

      it("rejects a zero credential id", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory, {
          credentialId: ethers.ZeroHash,
        });
        await expect(onboardActor(registry, issuer, credential)).to.be.revertedWithCustomError(
          registry,
          "EmptyCredentialId",
        );
      });
    });

    describe("replay", function () {
      it("rejects the same signed credential submitted twice", async function () {
        const { registry, issuer, laboratory, relayer } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        const signature = await signActorCredential(registry, issuer, credential);
        await registry.connect(relayer).onboard(credential, issuer.address, signature);
        await expect(registry.connect(laboratory).onboard(credential, issuer.address, signature))
          .to.be.revertedWithCustomError(registry, "CredentialAlreadyUsed")
          .withArgs(credential.credentialId);
      });

      it("rejects a credential id already used for another subject, even after revocation", async function () {
        const { registry, cbp, issuer, laboratory, actors } = await loadFixture(deployActorRegistryFixture);
        const usedId = actors.mill.credential.credentialId;
        await registry.connect(cbp).revokeCredential(usedId, REASON);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory, { credentialId: usedId });
        await expect(onboardActor(registry, issuer, credential))
          .to.be.revertedWithCustomError(registry, "CredentialAlreadyUsed")
          .withArgs(usedId);
      });
    });

    describe("issuer trust", function () {
      it("rejects a credential from an issuer that is not trusted", async function () {
        const { registry, laboratory, stranger } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        await expect(onboardActor(registry, stranger, credential))
          .to.be.revertedWithCustomError(registry, "IssuerNotTrusted")
          .withArgs(stranger.address, BusinessRole.Laboratory);
      });

      it("requires the issuer to be trusted for every role granted", async function () {
        const { registry, cbp, laboratory, stranger } = await loadFixture(deployActorRegistryFixture);
        await registry.connect(cbp).setTrustedIssuer(stranger.address, BusinessRole.Laboratory);
        const both = roleSet(BusinessRole.Laboratory, BusinessRole.Mill);
        const tooMuch = await makeCredential(laboratory.address, both);
        await expect(onboardActor(registry, stranger, tooMuch))
          .to.be.revertedWithCustomError(registry, "IssuerNotTrusted")
          .withArgs(stranger.address, both);
        const enough = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        await expect(onboardActor(registry, stranger, enough)).to.emit(registry, "ActorOnboarded");
        expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(true);
      });

      it("rejects new credentials from an issuer once removed", async function () {
        const { registry, cbp, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        const signature = await signActorCredential(registry, issuer, credential);
        await registry.connect(cbp).removeTrustedIssuer(issuer.address);
        await expect(registry.onboard(credential, issuer.address, signature))
          .to.be.revertedWithCustomError(registry, "IssuerNotTrusted")
          .withArgs(issuer.address, BusinessRole.Laboratory);
      });

      it("rejects the zero address as issuer", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        await expect(onboardActor(registry, issuer, credential, { issuerAddress: ethers.ZeroAddress }))
          .to.be.revertedWithCustomError(registry, "IssuerNotTrusted")
          .withArgs(ethers.ZeroAddress, BusinessRole.Laboratory);
      });
    });

    describe("signature", function () {
      it("rejects a signature by someone else than the named issuer", async function () {
        const { registry, issuer, laboratory, stranger } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        await expect(onboardActor(registry, stranger, credential, { issuerAddress: issuer.address }))
          .to.be.revertedWithCustomError(registry, "InvalidSignature")
          .withArgs(issuer.address);
      });

      it("rejects a credential altered after signing", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        const signature = await signActorCredential(registry, issuer, credential);
        const altered = [
          { ...credential, roles: roleSet(BusinessRole.Laboratory, BusinessRole.Mill) },
          { ...credential, did: "did:web:evil.example.com" },
          { ...credential, validUntil: credential.validUntil + 1n },
          { ...credential, country: country("CN") },
        ];
        for (const forged of altered) {
          await expect(registry.onboard(forged, issuer.address, signature))
            .to.be.revertedWithCustomError(registry, "InvalidSignature")
            .withArgs(issuer.address);
        }
      });

      it("rejects malformed signatures", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        for (const signature of ["0x", ethers.hexlify(new Uint8Array(65)), "0x1234"]) {
          await expect(registry.onboard(credential, issuer.address, signature))
            .to.be.revertedWithCustomError(registry, "InvalidSignature")
            .withArgs(issuer.address);
        }
      });

      it("rejects a signature for another chain id", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        const signature = await signActorCredential(registry, issuer, credential, { chainId: 1n });
        await expect(registry.onboard(credential, issuer.address, signature))
          .to.be.revertedWithCustomError(registry, "InvalidSignature")
          .withArgs(issuer.address);
      });

      it("rejects a signature for another name or version of the domain", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        for (const domain of [{ name: "TradeTrace ShipmentRegistry" }, { version: "2" }]) {
          const signature = await signActorCredential(registry, issuer, credential, domain);
          await expect(registry.onboard(credential, issuer.address, signature))
            .to.be.revertedWithCustomError(registry, "InvalidSignature")
            .withArgs(issuer.address);
        }
      });

      it("rejects a signature made for another registry that trusts the same issuer", async function () {
        const { registry, cbp, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const other = await deployActorRegistry(cbp);
        await other.connect(cbp).setTrustedIssuer(issuer.address, ALL_ROLES);
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        const forOther = await signActorCredential(other, issuer, credential);
        await expect(registry.onboard(credential, issuer.address, forOther))
          .to.be.revertedWithCustomError(registry, "InvalidSignature")
          .withArgs(issuer.address);
        await expect(other.onboard(credential, issuer.address, forOther)).to.emit(other, "ActorOnboarded");
      });
    });

    describe("ERC-1271 issuer", function () {
      it("accepts a credential signed by the owner of a trusted contract wallet", async function () {
        const { registry, laboratory, wallet, walletOwner, relayer } = await loadFixture(fixtureWithWallet);
        const walletAddress = await wallet.getAddress();
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        await expect(
          onboardActor(registry, walletOwner, credential, { issuerAddress: walletAddress, submitter: relayer }),
        )
          .to.emit(registry, "ActorOnboarded")
          .withArgs(
            laboratory.address,
            credential.credentialId,
            walletAddress,
            anyValue,
            anyValue,
            anyValue,
            anyValue,
            anyValue,
            anyValue,
            anyValue,
            ethers.ZeroHash,
            relayer.address,
          );
        expect((await registry.actorOf(laboratory.address)).issuer).to.equal(walletAddress);
        expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(true);
        // The wallet, as issuer, may revoke what it issued.
        const asWallet = await ethers.getImpersonatedSigner(walletAddress);
        await ethers.provider.send("hardhat_setBalance", [walletAddress, "0xDE0B6B3A7640000"]);
        await expect(registry.connect(asWallet).revokeCredential(credential.credentialId, REASON))
          .to.emit(registry, "CredentialRevoked")
          .withArgs(credential.credentialId, laboratory.address, walletAddress, REASON);
      });

      it("rejects a credential for a trusted contract wallet signed by someone else than its owner", async function () {
        const { registry, laboratory, wallet, stranger } = await loadFixture(fixtureWithWallet);
        const walletAddress = await wallet.getAddress();
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
        await expect(onboardActor(registry, stranger, credential, { issuerAddress: walletAddress }))
          .to.be.revertedWithCustomError(registry, "InvalidSignature")
          .withArgs(walletAddress);
        await expect(registry.onboard(credential, walletAddress, "0x1234"))
          .to.be.revertedWithCustomError(registry, "InvalidSignature")
          .withArgs(walletAddress);
      });
    });

    describe("validity in time", function () {
      it("a not-yet-valid credential is recorded but inactive until validFrom", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const validFrom = BigInt(await time.latest()) + 3600n;
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory, {
          validFrom,
          validUntil: validFrom + 86_400n,
        });
        await onboardActor(registry, issuer, credential);
        expect(await registry.credentialStatus(credential.credentialId)).to.equal(CredentialStatus.Current);
        expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(false);
        await time.increaseTo(validFrom - 1n);
        expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(false);
        await time.increaseTo(validFrom);
        expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(true);
      });

      it("a credential is active through its last second and expires after it", async function () {
        const { registry, actors } = await loadFixture(deployActorRegistryFixture);
        const { signer, credential } = actors.exporter;
        expect(await registry.isActive(signer.address, BusinessRole.Exporter)).to.equal(true);
        await time.increase(180 * 24 * 3600);
        expect(await registry.isActive(signer.address, BusinessRole.Exporter)).to.equal(true);
        await time.increaseTo(credential.validUntil);
        expect(await registry.isActive(signer.address, BusinessRole.Exporter)).to.equal(true);
        await time.increase(1);
        expect(await registry.isActive(signer.address, BusinessRole.Exporter)).to.equal(false);
        // Expiry is judged at use: the stored record is unchanged.
        expect(await registry.credentialStatus(credential.credentialId)).to.equal(CredentialStatus.Current);
      });

      it("stores a validity beyond uint40 saturated, which changes no answer of isActive", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const never = (1n << 64n) - 1n;
        const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory, { validUntil: never });
        await expect(onboardActor(registry, issuer, credential))
          .to.emit(registry, "ActorOnboarded")
          .withArgs(
            ...[laboratory.address, credential.credentialId, issuer.address].concat(Array(6).fill(anyValue)),
            never,
            ethers.ZeroHash,
            issuer.address,
          );
        expect((await registry.actorOf(laboratory.address)).validUntil).to.equal(MAX_UINT40);
        await time.increase(100 * 365 * 24 * 3600);
        expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(true);
      });
    });

    describe("replacement", function () {
      it("a renewal with a new DID and roles replaces the current credential", async function () {
        const { registry, issuer, relayer, actors } = await loadFixture(deployActorRegistryFixture);
        const { signer, credential: old } = actors.processor;
        const onboardedAt = (await registry.actorOf(signer.address)).onboardedAt;
        await time.increase(30 * 24 * 3600);
        const roles = roleSet(BusinessRole.Processor, BusinessRole.Exporter);
        const renewal = await makeCredential(signer.address, roles, {
          did: "did:web:pipes.example.mx",
          country: country("MX"),
        });
        await expect(onboardActor(registry, issuer, renewal, { submitter: relayer }))
          .to.emit(registry, "ActorOnboarded")
          .withArgs(
            signer.address,
            renewal.credentialId,
            issuer.address,
            "did:web:pipes.example.mx",
            roles,
            country("MX"),
            renewal.legalNameHash,
            renewal.identifiersHash,
            renewal.validFrom,
            renewal.validUntil,
            old.credentialId,
            relayer.address,
          );
        expect(await registry.credentialStatus(old.credentialId)).to.equal(CredentialStatus.Replaced);
        expect(await registry.credentialStatus(renewal.credentialId)).to.equal(CredentialStatus.Current);
        const actor = await registry.actorOf(signer.address);
        expect(actor.credentialId).to.equal(renewal.credentialId);
        expect(actor.roles).to.equal(roles);
        expect(actor.validUntil).to.equal(renewal.validUntil);
        expect(actor.onboardedAt).to.equal(onboardedAt, "first onboarding time is kept");
        expect(await registry.isActive(signer.address, roles)).to.equal(true);
        await expect(registry.revokeCredential(old.credentialId, REASON))
          .to.be.revertedWithCustomError(registry, "CredentialNotCurrent")
          .withArgs(old.credentialId);
      });

      it("a replacement can narrow the roles", async function () {
        const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
        const both = roleSet(BusinessRole.Laboratory, BusinessRole.Certifier);
        await onboardActor(registry, issuer, await makeCredential(laboratory.address, both));
        expect(await registry.isActive(laboratory.address, BusinessRole.Certifier)).to.equal(true);
        await onboardActor(registry, issuer, await makeCredential(laboratory.address, BusinessRole.Laboratory));
        expect(await registry.isActive(laboratory.address, BusinessRole.Certifier)).to.equal(false);
        expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(true);
      });

      it("a new credential after a revocation leaves the old one revoked", async function () {
        const { registry, cbp, issuer, actors } = await loadFixture(deployActorRegistryFixture);
        const { signer, credential: old } = actors.importer;
        await registry.connect(cbp).revokeCredential(old.credentialId, REASON);
        expect(await registry.isActive(signer.address, BusinessRole.Importer)).to.equal(false);
        const renewal = await makeCredential(signer.address, BusinessRole.Importer);
        await expect(onboardActor(registry, issuer, renewal))
          .to.emit(registry, "ActorOnboarded")
          .withArgs(
            ...[signer.address, renewal.credentialId, issuer.address].concat(Array(7).fill(anyValue)),
            old.credentialId,
            issuer.address,
          );
        expect(await registry.credentialStatus(old.credentialId)).to.equal(CredentialStatus.Revoked);
        expect(await registry.isActive(signer.address, BusinessRole.Importer)).to.equal(true);
      });

      it("a suspension survives a new credential", async function () {
        const { registry, cbp, issuer, actors } = await loadFixture(deployActorRegistryFixture);
        const { signer } = actors.exporter;
        await registry.connect(cbp).suspend(signer.address, REASON);
        await onboardActor(registry, issuer, await makeCredential(signer.address, BusinessRole.Exporter));
        expect((await registry.actorOf(signer.address)).suspended).to.equal(true);
        expect(await registry.isActive(signer.address, BusinessRole.Exporter)).to.equal(false);
      });

      it("another trusted issuer may replace the credential and becomes its issuer", async function () {
        const { registry, cbp, issuer, stranger, actors } = await loadFixture(deployActorRegistryFixture);
        const { signer, credential: old } = actors.certifier;
        await registry.connect(cbp).setTrustedIssuer(stranger.address, BusinessRole.Certifier);
        const renewal = await makeCredential(signer.address, BusinessRole.Certifier);
        await onboardActor(registry, stranger, renewal);
        expect((await registry.actorOf(signer.address)).issuer).to.equal(stranger.address);
        expect(await registry.credentialStatus(old.credentialId)).to.equal(CredentialStatus.Replaced);
        // The first issuer no longer answers for this actor.
        await expect(registry.connect(issuer).revokeCredential(renewal.credentialId, REASON))
          .to.be.revertedWithCustomError(registry, "NotCredentialIssuer")
          .withArgs(renewal.credentialId, issuer.address);
      });
    });
  });

  describe("revokeCredential", function () {
    it("the credential's issuer may revoke it", async function () {
      const { registry, issuer, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer, credential } = actors.mill;
      await expect(registry.connect(issuer).revokeCredential(credential.credentialId, REASON))
        .to.emit(registry, "CredentialRevoked")
        .withArgs(credential.credentialId, signer.address, issuer.address, REASON);
      expect(await registry.credentialStatus(credential.credentialId)).to.equal(CredentialStatus.Revoked);
      expect(await registry.isActive(signer.address, BusinessRole.Mill)).to.equal(false);
      expect((await registry.actorOf(signer.address)).credentialId).to.equal(credential.credentialId);
    });

    it("CBP (CBP_ROLE) may revoke any credential", async function () {
      const { registry, cbp, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer, credential } = actors.exporter;
      await expect(registry.connect(cbp).revokeCredential(credential.credentialId, REASON))
        .to.emit(registry, "CredentialRevoked")
        .withArgs(credential.credentialId, signer.address, cbp.address, REASON);
      expect(await registry.isActive(signer.address, BusinessRole.Exporter)).to.equal(false);
    });

    it("an issuer removed from the trusted list may still revoke what it issued", async function () {
      const { registry, cbp, issuer, actors } = await loadFixture(deployActorRegistryFixture);
      await registry.connect(cbp).removeTrustedIssuer(issuer.address);
      await expect(registry.connect(issuer).revokeCredential(actors.broker.credential.credentialId, REASON)).to.emit(
        registry,
        "CredentialRevoked",
      );
    });

    it("a stranger, the subject or another trusted issuer may not revoke", async function () {
      const { registry, cbp, stranger, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer, credential } = actors.carrier;
      await registry.connect(cbp).setTrustedIssuer(stranger.address, ALL_ROLES);
      for (const caller of [stranger, signer]) {
        await expect(registry.connect(caller).revokeCredential(credential.credentialId, REASON))
          .to.be.revertedWithCustomError(registry, "NotCredentialIssuer")
          .withArgs(credential.credentialId, caller.address);
      }
    });

    it("reverts for a replaced or already revoked credential", async function () {
      const { registry, cbp, issuer, actors } = await loadFixture(deployActorRegistryFixture);
      const old = actors.importer.credential.credentialId;
      await onboardActor(registry, issuer, await makeCredential(actors.importer.signer.address, BusinessRole.Importer));
      await expect(registry.connect(cbp).revokeCredential(old, REASON))
        .to.be.revertedWithCustomError(registry, "CredentialNotCurrent")
        .withArgs(old);
      const { credentialId } = actors.mill.credential;
      await registry.connect(cbp).revokeCredential(credentialId, REASON);
      await expect(registry.connect(cbp).revokeCredential(credentialId, REASON))
        .to.be.revertedWithCustomError(registry, "CredentialNotCurrent")
        .withArgs(credentialId);
    });
  });

  describe("revoking a credential before it is submitted (R3)", function () {
    it("its issuer deny-lists an unsubmitted credential, which can't be submitted afterwards", async function () {
      const { registry, issuer, relayer, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer } = actors.mill;
      const spare = await makeCredential(signer.address, BusinessRole.Mill);
      const signature = await signActorCredential(registry, issuer, spare);
      await expect(registry.connect(issuer).revokeCredential(spare.credentialId, REASON))
        .to.emit(registry, "UnsubmittedCredentialRevoked")
        .withArgs(spare.credentialId, issuer.address, REASON);
      expect(await registry.credentialStatus(spare.credentialId)).to.equal(CredentialStatus.Revoked);
      // The current credential is untouched, and a revocation of it can't be undone with the spare.
      await registry.connect(issuer).revokeCredential(actors.mill.credential.credentialId, REASON);
      await expect(registry.connect(relayer).onboard(spare, issuer.address, signature))
        .to.be.revertedWithCustomError(registry, "CredentialRevokedBeforeSubmission")
        .withArgs(spare.credentialId);
      expect(await registry.isActive(signer.address, BusinessRole.Mill)).to.equal(false);
      await expect(registry.connect(issuer).revokeCredential(spare.credentialId, REASON))
        .to.be.revertedWithCustomError(registry, "CredentialNotCurrent")
        .withArgs(spare.credentialId);
    });

    it("CBP (CBP_ROLE) deny-lists any unsubmitted credential id", async function () {
      const { registry, cbp, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
      const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
      await expect(registry.connect(cbp).revokeCredential(credential.credentialId, REASON))
        .to.emit(registry, "UnsubmittedCredentialRevoked")
        .withArgs(credential.credentialId, cbp.address, REASON);
      await expect(onboardActor(registry, issuer, credential))
        .to.be.revertedWithCustomError(registry, "CredentialRevokedBeforeSubmission")
        .withArgs(credential.credentialId);
      expect((await registry.actorOf(laboratory.address)).credentialId).to.equal(ethers.ZeroHash);
    });

    it("a stranger, an actor or a removed issuer may not deny-list; the zero id is refused", async function () {
      const { registry, cbp, issuer, stranger, actors } = await loadFixture(deployActorRegistryFixture);
      const unknown = ethers.id("no such credential");
      await registry.connect(cbp).removeTrustedIssuer(issuer.address);
      for (const caller of [stranger, actors.mill.signer, issuer]) {
        await expect(registry.connect(caller).revokeCredential(unknown, REASON))
          .to.be.revertedWithCustomError(registry, "NotCredentialIssuer")
          .withArgs(unknown, caller.address);
      }
      await expect(registry.connect(cbp).revokeCredential(ethers.ZeroHash, REASON)).to.be.revertedWithCustomError(
        registry,
        "EmptyCredentialId",
      );
      expect(await registry.credentialStatus(unknown)).to.equal(CredentialStatus.Unknown);
    });

    it("is blocked while paused", async function () {
      const { registry, cbp } = await loadFixture(deployActorRegistryFixture);
      await registry.connect(cbp).pause();
      await expect(registry.connect(cbp).revokeCredential(ethers.id("x"), REASON)).to.be.revertedWithCustomError(
        registry,
        "EnforcedPause",
      );
    });
  });

  describe("an older credential can't replace a newer one (R3)", function () {
    it("refuses a credential valid from before the current one, with both times", async function () {
      const { registry, issuer, relayer, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer, credential: current } = actors.exporter;
      const older = await makeCredential(signer.address, BusinessRole.Exporter);
      older.validFrom = current.validFrom - 1n;
      const signature = await signActorCredential(registry, issuer, older);
      await expect(registry.connect(relayer).onboard(older, issuer.address, signature))
        .to.be.revertedWithCustomError(registry, "CredentialOlderThanCurrent")
        .withArgs(older.credentialId, older.validFrom, current.validFrom);
      expect((await registry.actorOf(signer.address)).credentialId).to.equal(current.credentialId);
    });

    it("also after the current credential was revoked, so a withheld older one can't undo it", async function () {
      const { registry, issuer, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer, credential: current } = actors.importer;
      const older = await makeCredential(signer.address, BusinessRole.Importer);
      older.validFrom = current.validFrom - 3600n;
      await registry.connect(issuer).revokeCredential(current.credentialId, REASON);
      await expect(onboardActor(registry, issuer, older))
        .to.be.revertedWithCustomError(registry, "CredentialOlderThanCurrent")
        .withArgs(older.credentialId, older.validFrom, current.validFrom);
      expect(await registry.isActive(signer.address, BusinessRole.Importer)).to.equal(false);
    });

    it("accepts a credential valid from the same second as the current one, or later", async function () {
      const { registry, issuer, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer, credential: current } = actors.carrier;
      const same = await makeCredential(signer.address, BusinessRole.Carrier);
      same.validFrom = current.validFrom;
      await expect(onboardActor(registry, issuer, same)).to.emit(registry, "ActorOnboarded");
      const later = await makeCredential(signer.address, BusinessRole.Carrier);
      later.validFrom = current.validFrom + 10n;
      await expect(onboardActor(registry, issuer, later)).to.emit(registry, "ActorOnboarded");
      expect((await registry.actorOf(signer.address)).validFrom).to.equal(later.validFrom);
    });
  });

  describe("suspend and reinstate", function () {
    it("CBP suspends an actor for every role and reinstates it", async function () {
      const { registry, cbp, issuer, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer } = actors.mill;
      const both = roleSet(BusinessRole.Mill, BusinessRole.Processor);
      await onboardActor(registry, issuer, await makeCredential(signer.address, both));
      await expect(registry.connect(cbp).suspend(signer.address, REASON))
        .to.emit(registry, "ActorSuspended")
        .withArgs(signer.address, cbp.address, REASON);
      expect((await registry.actorOf(signer.address)).suspended).to.equal(true);
      for (const role of [BusinessRole.Mill, BusinessRole.Processor, both]) {
        expect(await registry.isActive(signer.address, role)).to.equal(false);
      }
      const cleared = ethers.encodeBytes32String("CLEARED");
      await expect(registry.connect(cbp).reinstate(signer.address, cleared))
        .to.emit(registry, "ActorReinstated")
        .withArgs(signer.address, cbp.address, cleared);
      expect((await registry.actorOf(signer.address)).suspended).to.equal(false);
      expect(await registry.isActive(signer.address, both)).to.equal(true);
    });

    it("reverts when suspending a suspended actor or reinstating one that is not suspended", async function () {
      const { registry, cbp, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer } = actors.importer;
      await expect(registry.connect(cbp).reinstate(signer.address, REASON))
        .to.be.revertedWithCustomError(registry, "ActorNotSuspended")
        .withArgs(signer.address);
      await registry.connect(cbp).suspend(signer.address, REASON);
      await expect(registry.connect(cbp).suspend(signer.address, REASON))
        .to.be.revertedWithCustomError(registry, "ActorAlreadySuspended")
        .withArgs(signer.address);
    });

    it("reverts for an actor without a credential", async function () {
      const { registry, cbp, laboratory } = await loadFixture(deployActorRegistryFixture);
      await expect(registry.connect(cbp).suspend(laboratory.address, REASON))
        .to.be.revertedWithCustomError(registry, "UnknownActor")
        .withArgs(laboratory.address);
      await expect(registry.connect(cbp).reinstate(laboratory.address, REASON))
        .to.be.revertedWithCustomError(registry, "UnknownActor")
        .withArgs(laboratory.address);
    });

    it("only CBP (CBP_ROLE) may suspend or reinstate; not even the issuer", async function () {
      const { registry, cbp, issuer, stranger, actors } = await loadFixture(deployActorRegistryFixture);
      const { signer } = actors.broker;
      for (const caller of [stranger, issuer]) {
        await expect(registry.connect(caller).suspend(signer.address, REASON))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, CBP_ROLE);
      }
      await registry.connect(cbp).suspend(signer.address, REASON);
      await expect(registry.connect(stranger).reinstate(signer.address, REASON))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, CBP_ROLE);
    });

    it("a CBP_ROLE holder granted later by the admin may suspend", async function () {
      const { registry, cbp, stranger, actors } = await loadFixture(deployActorRegistryFixture);
      await registry.connect(cbp).grantRole(CBP_ROLE, stranger.address);
      await expect(registry.connect(stranger).suspend(actors.carrier.signer.address, REASON))
        .to.emit(registry, "ActorSuspended")
        .withArgs(actors.carrier.signer.address, stranger.address, REASON);
    });
  });

  describe("isActive and views", function () {
    it("requires every bit of the asked role set and a non-empty set", async function () {
      const { registry, issuer, laboratory } = await loadFixture(deployActorRegistryFixture);
      const granted = roleSet(BusinessRole.Mill, BusinessRole.Processor);
      await onboardActor(registry, issuer, await makeCredential(laboratory.address, granted));
      const cases: [number, boolean][] = [
        [BusinessRole.Mill, true],
        [BusinessRole.Processor, true],
        [granted, true],
        [roleSet(BusinessRole.Mill, BusinessRole.Exporter), false],
        [BusinessRole.Exporter, false],
        [0, false],
        [1 << 8, false],
        [2 ** 32 - 1, false],
      ];
      for (const [role, expected] of cases) {
        expect(await registry.isActive(laboratory.address, role)).to.equal(expected, `role ${role}`);
      }
    });

    it("is false, and the record empty, for an unknown actor", async function () {
      const { registry, laboratory } = await loadFixture(deployActorRegistryFixture);
      expect(await registry.isActive(laboratory.address, BusinessRole.Laboratory)).to.equal(false);
      const actor = await registry.actorOf(laboratory.address);
      expect(actor.credentialId).to.equal(ethers.ZeroHash);
      expect(actor.issuer).to.equal(ethers.ZeroAddress);
      expect([actor.roles, actor.validFrom, actor.validUntil, actor.onboardedAt]).to.deep.equal([0n, 0n, 0n, 0n]);
      expect(actor.suspended).to.equal(false);
      expect(await registry.credentialStatus(ethers.id("unknown"))).to.equal(CredentialStatus.Unknown);
      expect(await registry.trustedRolesOf(laboratory.address)).to.equal(0);
    });

    it("answers for every actor of the fixture in its own role only", async function () {
      const { registry, actors } = await loadFixture(deployActorRegistryFixture);
      const expected: [keyof typeof actors, BusinessRole][] = [
        ["mill", BusinessRole.Mill],
        ["processor", BusinessRole.Processor],
        ["exporter", BusinessRole.Exporter],
        ["importer", BusinessRole.Importer],
        ["broker", BusinessRole.CustomsBroker],
        ["carrier", BusinessRole.Carrier],
        ["certifier", BusinessRole.Certifier],
      ];
      for (const [name, role] of expected) {
        const address = actors[name].signer.address;
        expect(await registry.isActive(address, role)).to.equal(true, name);
        expect(await registry.isActive(address, BusinessRole.Laboratory)).to.equal(false, name);
      }
    });
  });

  describe("pause", function () {
    it("blocks every state change while paused, and resumes after unpause", async function () {
      const { registry, cbp, issuer, laboratory, stranger, actors } = await loadFixture(deployActorRegistryFixture);
      const credential = await makeCredential(laboratory.address, BusinessRole.Laboratory);
      const signature = await signActorCredential(registry, issuer, credential);
      await registry.connect(cbp).suspend(actors.carrier.signer.address, REASON);
      await expect(registry.connect(cbp).pause()).to.emit(registry, "Paused").withArgs(cbp.address);

      const calls: [string, () => Promise<unknown>][] = [
        ["setTrustedIssuer", () => registry.connect(cbp).setTrustedIssuer(stranger.address, BusinessRole.Mill)],
        ["onboard", () => registry.onboard(credential, issuer.address, signature)],
        ["revokeCredential", () => registry.connect(cbp).revokeCredential(actors.mill.credential.credentialId, REASON)],
        ["suspend", () => registry.connect(cbp).suspend(actors.mill.signer.address, REASON)],
        ["reinstate", () => registry.connect(cbp).reinstate(actors.carrier.signer.address, REASON)],
        ["removeTrustedIssuer", () => registry.connect(cbp).removeTrustedIssuer(issuer.address)],
      ];
      for (const [name, call] of calls) {
        await expect(call(), name).to.be.revertedWithCustomError(registry, "EnforcedPause");
      }
      // Reads keep working.
      expect(await registry.isActive(actors.mill.signer.address, BusinessRole.Mill)).to.equal(true);

      await expect(registry.connect(cbp).unpause()).to.emit(registry, "Unpaused").withArgs(cbp.address);
      for (const [name, call] of calls) {
        await expect(call(), name).not.to.be.reverted;
      }
    });

    it("only the pauser may pause and unpause", async function () {
      const { registry, cbp, stranger } = await loadFixture(deployActorRegistryFixture);
      await expect(registry.connect(stranger).pause())
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, PAUSER_ROLE);
      await registry.connect(cbp).pause();
      await expect(registry.connect(stranger).unpause())
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, PAUSER_ROLE);
      expect(await registry.paused()).to.equal(true);
    });
  });

  describe("upgrade", function () {
    it("upgrades to V2 behind the same address and keeps every record", async function () {
      const { registry, cbp, issuer, actors } = await loadFixture(deployActorRegistryFixture);
      const proxyAddress = await registry.getAddress();
      await registry.connect(cbp).revokeCredential(actors.mill.credential.credentialId, REASON);
      await registry.connect(cbp).suspend(actors.broker.signer.address, REASON);
      const before = await registry.actorOf(actors.exporter.signer.address);
      const implementationV1 = await upgrades.erc1967.getImplementationAddress(proxyAddress);

      const factory = await ethers.getContractFactory("ActorRegistryV2", cbp);
      const upgraded = (await upgrades.upgradeProxy(proxyAddress, factory, {
        kind: "uups",
        call: { fn: "initializeV2" },
      })) as unknown as ActorRegistryV2;

      expect(await upgraded.getAddress()).to.equal(proxyAddress);
      expect(await upgrades.erc1967.getImplementationAddress(proxyAddress)).not.to.equal(implementationV1);
      expect(await upgraded.version()).to.equal("2");
      expect(await upgraded.upgradedAt()).to.equal(await time.latest());
      expect(await upgraded.actorOf(actors.exporter.signer.address)).to.deep.equal(before);
      expect(await upgraded.trustedRolesOf(issuer.address)).to.equal(ALL_ROLES);
      expect(await upgraded.credentialStatus(actors.mill.credential.credentialId)).to.equal(CredentialStatus.Revoked);
      expect(await upgraded.isActive(actors.mill.signer.address, BusinessRole.Mill)).to.equal(false);
      expect(await upgraded.isActive(actors.broker.signer.address, BusinessRole.CustomsBroker)).to.equal(false);
      expect(await upgraded.isActive(actors.exporter.signer.address, BusinessRole.Exporter)).to.equal(true);
      expect(await upgraded.hasRole(CBP_ROLE, cbp.address)).to.equal(true);
      // The domain (and so signatures made before the upgrade) stays the same.
      const credential = await makeCredential(actors.mill.signer.address, BusinessRole.Mill);
      const signature = await signActorCredential(registry, issuer, credential);
      await expect(upgraded.onboard(credential, issuer.address, signature)).to.emit(upgraded, "ActorOnboarded");
      await expect(upgraded.initializeV2()).to.be.revertedWithCustomError(upgraded, "InvalidInitialization");
    });

    it("rejects an upgrade by anyone without the upgrader role", async function () {
      const { registry, cbp, stranger } = await loadFixture(deployActorRegistryFixture);
      const proxyAddress = await registry.getAddress();
      const implementation = (await upgrades.prepareUpgrade(
        proxyAddress,
        await ethers.getContractFactory("ActorRegistryV2"),
        { kind: "uups" },
      )) as string;
      await expect(registry.connect(stranger).upgradeToAndCall(implementation, "0x"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, UPGRADER_ROLE);
      await expect(
        upgrades.upgradeProxy(proxyAddress, await ethers.getContractFactory("ActorRegistryV2", stranger)),
      ).to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount");
      await registry.connect(cbp).upgradeToAndCall(implementation, "0x");
      expect(await upgrades.erc1967.getImplementationAddress(proxyAddress)).to.equal(implementation);
    });
  });
});
