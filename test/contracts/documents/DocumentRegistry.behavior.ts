import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { BaseContract, ContractTransactionResponse } from "ethers";
import type { CertificateOfOriginRegistry, MillTestReportRegistry } from "../../../typechain-types";
import {
  ALLOCATOR_ROLE,
  batchTypes,
  deployDocuments,
  type DocumentsFixture,
  type DocumentTypes,
  hashOf,
  issueTypes,
  recordIdOf,
  signFor,
  Status,
  supersedeTypes,
} from "../../helpers/documents";
import { eventsOf, normalise, plain } from "../../helpers/events";

type Registry = MillTestReportRegistry | CertificateOfOriginRegistry;
type Payload = Record<string, unknown> & { contentHash: string; certificateNumber: string; expiresAt: bigint };

/** What the shared behaviour needs to know about one concrete registry. */
export interface RegistryUnderTest {
  /** Contract name, also of its `<name>V2` upgrade harness. */
  contract: "MillTestReportRegistry" | "CertificateOfOriginRegistry";
  domain: string;
  types: DocumentTypes;
  /** Name of the typed issued event. */
  issuedEvent: string;
  /** The role bits reported by ActorNotActive for a non-issuer. */
  issuerRoles: number;
  /** The role bits the first issuer must still hold to revoke or correct its own records. */
  standingRoles: number;
  /** Kilograms a default payload certifies (0 for documents without weight). */
  totalKg: bigint;
  registryOf(f: DocumentsFixture): Registry;
  /** Two distinct active issuers. */
  issuersOf(f: DocumentsFixture): [HardhatEthersSigner, HardhatEthersSigner];
  /** A valid payload that `label` makes unique. */
  payload(f: DocumentsFixture, label: string, overrides?: Record<string, unknown>): Payload;
}

/** Calls a typed entry point that both registries name alike but type differently. */
function call(
  registry: Registry,
  signer: HardhatEthersSigner,
  fn: string,
  ...args: unknown[]
): Promise<ContractTransactionResponse> {
  return (registry.connect(signer) as BaseContract).getFunction(fn)(...args) as Promise<ContractTransactionResponse>;
}

const DAY = 86_400n;

/** The behaviour every document registry shares (the DocumentRegistry base). */
export function shouldBehaveLikeDocumentRegistry(subject: RegistryUnderTest): void {
  async function setup() {
    const f = await loadFixture(deployDocuments);
    const registry = subject.registryOf(f);
    const [issuer, issuer2] = subject.issuersOf(f);
    const p = (label: string, overrides?: Record<string, unknown>) => subject.payload(f, label, overrides);
    const deadline = async () => BigInt(await time.latest()) + DAY;
    /** The record id of `payload` anchored by `signer` (the first issuer by default). */
    const idOf = (payload: Payload, signer: { address: string } | string = issuer) =>
      recordIdOf(typeof signer === "string" ? signer : signer.address, payload.contentHash);
    const signIssue = async (signer: HardhatEthersSigner, payload: Payload, nonce: bigint, dl: bigint) =>
      signFor(signer, registry, subject.domain, issueTypes(subject.types), {
        [subject.types.single]: payload,
        nonce,
        deadline: dl,
      });
    return { f, registry, issuer, issuer2, p, deadline, signIssue, idOf };
  }

  async function withRecord() {
    const s = await setup();
    const payload = s.p("A");
    await call(s.registry, s.issuer, "issue", payload);
    return { ...s, payload, id: s.idOf(payload) };
  }

  describe("initialisation", function () {
    it("stores the actor registry, grants CBP its roles and refuses a second initialisation", async function () {
      const { f, registry } = await setup();
      expect(await registry.actorRegistry()).to.equal(await f.actors.getAddress());
      expect(await registry.hasRole(await registry.CBP_ROLE(), f.admin.address)).to.equal(true);
      expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), f.admin.address)).to.equal(true);
      expect(await registry.ALLOCATOR_ROLE()).to.equal(ALLOCATOR_ROLE);
      await expect(registry.initialize(f.admin.address, await f.actors.getAddress())).to.be.revertedWithCustomError(
        registry,
        "InvalidInitialization",
      );
    });

    it("exposes its EIP-712 domain, bound to the chain and the proxy", async function () {
      const { registry } = await setup();
      const { chainId } = await ethers.provider.getNetwork();
      const expected = ethers.TypedDataEncoder.hashDomain({
        name: subject.domain,
        version: "1",
        chainId,
        verifyingContract: await registry.getAddress(),
      });
      expect(await registry.domainSeparator()).to.equal(expected);
    });

    it("rejects a zero admin or a zero actor registry", async function () {
      const { f } = await setup();
      const factory = await ethers.getContractFactory(subject.contract);
      await expect(
        upgrades.deployProxy(factory, [ethers.ZeroAddress, await f.actors.getAddress()], { kind: "uups" }),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
      await expect(
        upgrades.deployProxy(factory, [f.admin.address, ethers.ZeroAddress], { kind: "uups" }),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
    });
  });

  describe("direct issue", function () {
    it("stores the record under its content hash and emits the typed event", async function () {
      const { registry, issuer, p, idOf } = await setup();
      const payload = p("A");
      const [event] = await eventsOf(call(registry, issuer, "issue", payload), registry, subject.issuedEvent);
      expect(event.args.recordId).to.equal(idOf(payload));
      expect(event.args.issuer).to.equal(issuer.address);
      expect(normalise(plain(event.args[subject.types.single]))).to.deep.equal(normalise(payload));
      expect(event.args.supersedes).to.equal(ethers.ZeroHash);
      const issuedAt = BigInt(await time.latest());
      const record = await registry.recordOf(idOf(payload));
      expect(record.issuer).to.equal(issuer.address);
      expect(record.issuedAt).to.equal(issuedAt);
      expect(record.expiresAt).to.equal(0n);
      expect(record.status).to.equal(Status.Active);
      expect(record.totalKg).to.equal(subject.totalKg);
      expect(record.consumedKg).to.equal(0n);
      expect(record.successor).to.equal(ethers.ZeroHash);
      expect(await registry.isUsable(idOf(payload))).to.equal(true);
      expect(await registry.remainingKg(idOf(payload))).to.equal(subject.totalKg);
      expect(await registry.recordIdOfCertificate(issuer.address, payload.certificateNumber)).to.equal(idOf(payload));
    });

    it("returns the record id", async function () {
      const { registry, issuer, p, idOf } = await setup();
      const payload = p("A");
      const id = await (registry.connect(issuer) as BaseContract).getFunction("issue").staticCall(payload);
      expect(id).to.equal(idOf(payload));
    });

    it("rejects an issuer that is not active for the role", async function () {
      const { f, registry, issuer, p } = await setup();
      await expect(call(registry, f.outsider, "issue", p("A")))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(f.outsider.address, subject.issuerRoles);
      await f.actors.setActive(issuer.address, 0);
      await expect(call(registry, issuer, "issue", p("A")))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(issuer.address, subject.issuerRoles);
    });

    it("rejects a zero content hash and an empty certificate number", async function () {
      const { registry, issuer, p } = await setup();
      await expect(call(registry, issuer, "issue", p("A", { contentHash: ethers.ZeroHash })))
        .to.be.revertedWithCustomError(registry, "ZeroContentHash")
        .withArgs(p("A").certificateNumber);
      await expect(call(registry, issuer, "issue", p("A", { certificateNumber: "" })))
        .to.be.revertedWithCustomError(registry, "EmptyCertificateNumber")
        .withArgs(p("A").contentHash);
    });

    it("rejects a content hash the issuer already anchored (another issuer's is its own record: see A5)", async function () {
      const { registry, issuer, payload, id, p } = await withRecord();
      await expect(call(registry, issuer, "issue", p("B", { contentHash: payload.contentHash })))
        .to.be.revertedWithCustomError(registry, "DuplicateRecord")
        .withArgs(id);
    });

    it("rejects a certificate number the issuer already used, but not another issuer's", async function () {
      const { registry, issuer, issuer2, payload, p, idOf } = await withRecord();
      await expect(call(registry, issuer, "issue", p("B", { certificateNumber: payload.certificateNumber })))
        .to.be.revertedWithCustomError(registry, "DuplicateCertificateNumber")
        .withArgs(issuer.address, payload.certificateNumber, idOf(payload));
      const other = p("B", { certificateNumber: payload.certificateNumber });
      await call(registry, issuer2, "issue", other);
      expect(await registry.recordIdOfCertificate(issuer2.address, payload.certificateNumber)).to.equal(
        idOf(other, issuer2),
      );
    });
  });

  describe("expiry", function () {
    it("keeps a record usable until its last valid second", async function () {
      const { registry, issuer, p, idOf } = await setup();
      const expiresAt = BigInt(await time.latest()) + 1000n;
      const payload = p("A", { expiresAt });
      await call(registry, issuer, "issue", payload);
      expect((await registry.recordOf(idOf(payload))).expiresAt).to.equal(expiresAt);
      await time.increaseTo(expiresAt);
      expect(await registry.isUsable(idOf(payload))).to.equal(true);
      await time.increase(1);
      expect(await registry.isUsable(idOf(payload))).to.equal(false);
    });

    it("refuses allocation from an expired record", async function () {
      const { f, registry, issuer, p, idOf } = await setup();
      const expiresAt = BigInt(await time.latest()) + 1000n;
      const payload = p("A", { expiresAt });
      await call(registry, issuer, "issue", payload);
      await time.increaseTo(expiresAt + 1n);
      await expect(registry.connect(f.allocator).allocate(idOf(payload), hashOf("line"), 1n))
        .to.be.revertedWithCustomError(registry, "RecordNotUsable")
        .withArgs(idOf(payload), Status.Active, expiresAt);
    });

    it("rejects an expiry in the past, now, or beyond 40 bits", async function () {
      const { registry, issuer, p } = await setup();
      const now = BigInt(await time.latest());
      await expect(call(registry, issuer, "issue", p("A", { expiresAt: now })))
        .to.be.revertedWithCustomError(registry, "InvalidExpiry")
        .withArgs(now, (t: bigint) => t > now);
      const far = 2n ** 40n;
      await expect(call(registry, issuer, "issue", p("A", { expiresAt: far })))
        .to.be.revertedWithCustomError(registry, "InvalidExpiry")
        .withArgs(far, (t: bigint) => t > now);
    });
  });

  describe("delegated issue (EIP-712)", function () {
    it("issues for the signer when anyone relays, and consumes the nonce", async function () {
      const { f, registry, issuer, p, deadline, signIssue, idOf } = await setup();
      const payload = p("A");
      const dl = await deadline();
      const signature = await signIssue(issuer, payload, 0n, dl);
      const [event] = await eventsOf(
        call(registry, f.relayer, "issueBySig", payload, issuer.address, dl, signature),
        registry,
        subject.issuedEvent,
      );
      expect(event.args.issuer).to.equal(issuer.address);
      expect(normalise(plain(event.args[subject.types.single]))).to.deep.equal(normalise(payload));
      expect((await registry.recordOf(idOf(payload))).issuer).to.equal(issuer.address);
      expect(await registry.nonces(issuer.address)).to.equal(1n);
    });

    it("refuses a replayed signature", async function () {
      const { f, registry, issuer, p, deadline, signIssue } = await setup();
      const payload = p("A");
      const dl = await deadline();
      const signature = await signIssue(issuer, payload, 0n, dl);
      await call(registry, f.relayer, "issueBySig", payload, issuer.address, dl, signature);
      await expect(call(registry, f.relayer, "issueBySig", payload, issuer.address, dl, signature))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(issuer.address);
    });

    it("refuses a signature after its deadline", async function () {
      const { f, registry, issuer, p, signIssue } = await setup();
      const payload = p("A");
      const dl = BigInt(await time.latest()) + 10n;
      const signature = await signIssue(issuer, payload, 0n, dl);
      await time.increaseTo(dl + 1n);
      await expect(call(registry, f.relayer, "issueBySig", payload, issuer.address, dl, signature))
        .to.be.revertedWithCustomError(registry, "SignatureExpired")
        .withArgs(dl, dl + 2n);
    });

    it("refuses a signature by another key, or over another payload", async function () {
      const { f, registry, issuer, p, deadline, signIssue } = await setup();
      const payload = p("A");
      const dl = await deadline();
      const byOutsider = await signIssue(f.outsider, payload, 0n, dl);
      await expect(call(registry, f.relayer, "issueBySig", payload, issuer.address, dl, byOutsider))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(issuer.address);
      const genuine = await signIssue(issuer, payload, 0n, dl);
      const tampered = { ...payload, uri: "https://evil.example/credential.json" };
      await expect(call(registry, f.relayer, "issueBySig", tampered, issuer.address, dl, genuine))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(issuer.address);
    });

    it("refuses a valid signature by an actor that is not active for the role", async function () {
      const { f, registry, p, deadline, signIssue } = await setup();
      const payload = p("A");
      const dl = await deadline();
      const signature = await signIssue(f.outsider, payload, 0n, dl);
      await expect(call(registry, f.relayer, "issueBySig", payload, f.outsider.address, dl, signature))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(f.outsider.address, subject.issuerRoles);
    });

    it("accepts an ERC-1271 contract wallet as issuer", async function () {
      const { f, registry, issuer, p, deadline, signIssue, idOf } = await setup();
      const wallet = await ethers.deployContract("MockERC1271Wallet", [f.outsider.address]);
      const walletAddress = await wallet.getAddress();
      await f.actors.setActive(walletAddress, Number((await f.actors.actorOf(issuer.address)).roles));
      const payload = p("W");
      const dl = await deadline();
      const signature = await signIssue(f.outsider, payload, 0n, dl);
      await call(registry, f.relayer, "issueBySig", payload, walletAddress, dl, signature);
      expect((await registry.recordOf(idOf(payload, walletAddress))).issuer).to.equal(walletAddress);
      const wrongKey = await signIssue(f.relayer, p("X"), 1n, dl);
      await expect(call(registry, f.relayer, "issueBySig", p("X"), walletAddress, dl, wrongKey))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(walletAddress);
    });
  });

  describe("batch issue", function () {
    it("issues every item as the caller and returns their ids", async function () {
      const { registry, issuer, p, idOf } = await setup();
      const items = [p("A"), p("B"), p("C")];
      const ids = await (registry.connect(issuer) as BaseContract).getFunction("issueBatch").staticCall(items);
      expect(ids).to.deep.equal(items.map((i) => idOf(i)));
      const events = await eventsOf(call(registry, issuer, "issueBatch", items), registry, subject.issuedEvent);
      expect(events.map((e) => e.args.recordId)).to.deep.equal(items.map((i) => idOf(i)));
      for (const item of items) {
        const record = await registry.recordOf(idOf(item));
        expect(record.issuer).to.equal(issuer.address);
        expect(record.status).to.equal(Status.Active);
      }
    });

    it("is all or nothing", async function () {
      const { registry, issuer, p, idOf } = await setup();
      const items = [p("A"), p("B"), p("A", { certificateNumber: "other" })];
      await expect(call(registry, issuer, "issueBatch", items))
        .to.be.revertedWithCustomError(registry, "DuplicateRecord")
        .withArgs(idOf(items[0]));
      expect((await registry.recordOf(idOf(items[0]))).status).to.equal(Status.None);
      expect((await registry.recordOf(idOf(items[1]))).status).to.equal(Status.None);
    });

    it("rejects an empty batch and an inactive caller", async function () {
      const { f, registry, issuer, p } = await setup();
      await expect(call(registry, issuer, "issueBatch", [])).to.be.revertedWithCustomError(registry, "EmptyBatch");
      await expect(call(registry, f.outsider, "issueBatch", [p("A")]))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(f.outsider.address, subject.issuerRoles);
    });

    it("issues a batch for the signer of one EIP-712 signature", async function () {
      const { f, registry, issuer, p, deadline, idOf } = await setup();
      const items = [p("A"), p("B")];
      const dl = await deadline();
      const sign = (signer: HardhatEthersSigner, list: Payload[], nonce: bigint) =>
        signFor(signer, registry, subject.domain, batchTypes(subject.types), {
          [subject.types.batch]: list,
          nonce,
          deadline: dl,
        });
      const signature = await sign(issuer, items, 0n);
      await expect(call(registry, f.relayer, "issueBatchBySig", [items[0]], issuer.address, dl, signature))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(issuer.address);
      await call(registry, f.relayer, "issueBatchBySig", items, issuer.address, dl, signature);
      for (const item of items) expect((await registry.recordOf(idOf(item))).issuer).to.equal(issuer.address);
      expect(await registry.nonces(issuer.address)).to.equal(1n);
      await expect(call(registry, f.relayer, "issueBatchBySig", items, issuer.address, dl, signature))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(issuer.address);
      const empty = await sign(issuer, [], 1n);
      await expect(
        call(registry, f.relayer, "issueBatchBySig", [], issuer.address, dl, empty),
      ).to.be.revertedWithCustomError(registry, "EmptyBatch");
    });
  });

  describe("revoke", function () {
    it("lets the issuer revoke, keeping the record readable", async function () {
      const { registry, issuer, id } = await withRecord();
      const reason = ethers.encodeBytes32String("CHEMISTRY_ERROR");
      await expect(registry.connect(issuer).revoke(id, reason))
        .to.emit(registry, "RecordRevoked")
        .withArgs(id, issuer.address, issuer.address, reason);
      const record = await registry.recordOf(id);
      expect(record.status).to.equal(Status.Revoked);
      expect(record.issuer).to.equal(issuer.address);
      expect(await registry.isUsable(id)).to.equal(false);
    });

    it("lets CBP (CBP_ROLE) revoke", async function () {
      const { f, registry, issuer, id } = await withRecord();
      await expect(registry.connect(f.admin).revoke(id, ethers.ZeroHash))
        .to.emit(registry, "RecordRevoked")
        .withArgs(id, issuer.address, f.admin.address, ethers.ZeroHash);
    });

    it("refuses anyone else, an unknown record and a record no longer active", async function () {
      const { f, registry, issuer, issuer2, id } = await withRecord();
      await expect(registry.connect(issuer2).revoke(id, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "NotRecordIssuer")
        .withArgs(id, issuer2.address);
      await expect(registry.connect(f.outsider).revoke(hashOf("nothing"), ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "RecordNotFound")
        .withArgs(hashOf("nothing"));
      await registry.connect(issuer).revoke(id, ethers.ZeroHash);
      await expect(registry.connect(issuer).revoke(id, ethers.ZeroHash))
        .to.be.revertedWithCustomError(registry, "RecordNotActive")
        .withArgs(id, Status.Revoked);
    });
  });

  describe("revoke by an issuer no longer in good standing (finding A4)", function () {
    it("refuses the issuer's revocation once it is no longer active for the role, and changes nothing", async function () {
      const { f, registry, issuer, id } = await withRecord();
      await f.actors.setActive(issuer.address, 0);
      await expect(registry.connect(issuer).revoke(id, ethers.encodeBytes32String("STOLEN_KEY")))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(issuer.address, subject.standingRoles);
      expect((await registry.recordOf(id)).status).to.equal(Status.Active);
      expect(await registry.isUsable(id)).to.equal(true);
    });

    it("still lets CBP (CBP_ROLE) revoke a suspended issuer's record", async function () {
      const { f, registry, issuer, id } = await withRecord();
      await f.actors.setActive(issuer.address, 0);
      await expect(registry.connect(f.admin).revoke(id, ethers.ZeroHash))
        .to.emit(registry, "RecordRevoked")
        .withArgs(id, issuer.address, f.admin.address, ethers.ZeroHash);
      expect((await registry.recordOf(id)).status).to.equal(Status.Revoked);
    });

    it("lets the issuer revoke again once reinstated", async function () {
      const { f, registry, issuer, id } = await withRecord();
      const roles = Number((await f.actors.actorOf(issuer.address)).roles);
      await f.actors.setActive(issuer.address, 0);
      await expect(registry.connect(issuer).revoke(id, ethers.ZeroHash)).to.be.revertedWithCustomError(
        registry,
        "ActorNotActive",
      );
      await f.actors.setActive(issuer.address, roles);
      await expect(registry.connect(issuer).revoke(id, ethers.ZeroHash))
        .to.emit(registry, "RecordRevoked")
        .withArgs(id, issuer.address, issuer.address, ethers.ZeroHash);
    });
  });

  describe("record ids bound to the issuer (finding A5)", function () {
    it("derives the id from issuer and content hash, and exposes it", async function () {
      const { registry, issuer, issuer2, p } = await setup();
      const payload = p("A");
      const expected = recordIdOf(issuer.address, payload.contentHash);
      expect(expected).to.not.equal(payload.contentHash);
      expect(await registry.recordIdOf(issuer.address, payload.contentHash)).to.equal(expected);
      expect(await registry.recordIdOf(issuer2.address, payload.contentHash)).to.equal(
        recordIdOf(issuer2.address, payload.contentHash),
      );
      const [event] = await eventsOf(call(registry, issuer, "issue", payload), registry, subject.issuedEvent);
      expect(event.args.recordId).to.equal(expected);
      expect(event.args.contentHash).to.equal(payload.contentHash);
      expect((await registry.recordOf(payload.contentHash)).status).to.equal(Status.None);
    });

    it("lets the genuine issuer anchor its hash after another issuer squatted it", async function () {
      const { registry, issuer, issuer2, p } = await setup();
      const genuine = p("A");
      // The squatter takes the victim's content hash first, with its own certificate number and fields.
      const squat = p("SQUAT", { contentHash: genuine.contentHash });
      await call(registry, issuer2, "issue", squat);
      await call(registry, issuer, "issue", genuine);
      const genuineId = recordIdOf(issuer.address, genuine.contentHash);
      const squatId = recordIdOf(issuer2.address, genuine.contentHash);
      expect((await registry.recordOf(genuineId)).issuer).to.equal(issuer.address);
      expect((await registry.recordOf(genuineId)).status).to.equal(Status.Active);
      expect((await registry.recordOf(squatId)).issuer).to.equal(issuer2.address);
      expect(await registry.recordIdOfCertificate(issuer.address, genuine.certificateNumber)).to.equal(genuineId);
    });

    it("lets the victim's relayed payload succeed after a front-run of its hash", async function () {
      const { f, registry, issuer, issuer2, p, deadline, signIssue } = await setup();
      const genuine = p("A");
      const dl = await deadline();
      const signature = await signIssue(issuer, genuine, 0n, dl);
      // The attacker saw the pending issueBySig and anchors the same hash from its own key first.
      await call(registry, issuer2, "issue", p("FRONT", { contentHash: genuine.contentHash }));
      const [event] = await eventsOf(
        call(registry, f.relayer, "issueBySig", genuine, issuer.address, dl, signature),
        registry,
        subject.issuedEvent,
      );
      const genuineId = recordIdOf(issuer.address, genuine.contentHash);
      expect(event.args.recordId).to.equal(genuineId);
      expect(event.args.issuer).to.equal(issuer.address);
      expect((await registry.recordOf(genuineId)).issuer).to.equal(issuer.address);
      expect(await registry.nonces(issuer.address)).to.equal(1n);
    });
  });

  describe("supersede", function () {
    it("replaces a record by a correction that keeps the certificate number", async function () {
      const { registry, issuer, payload, id, p, idOf } = await withRecord();
      const correction = p("A2", { certificateNumber: payload.certificateNumber });
      const tx = call(registry, issuer, "supersede", id, correction);
      await expect(tx).to.emit(registry, "RecordSuperseded").withArgs(id, idOf(correction), issuer.address);
      const [issued] = await eventsOf(tx, registry, subject.issuedEvent);
      expect(issued.args.recordId).to.equal(idOf(correction));
      expect(issued.args.supersedes).to.equal(id);
      const old = await registry.recordOf(id);
      expect(old.status).to.equal(Status.Superseded);
      expect(old.successor).to.equal(idOf(correction));
      expect((await registry.recordOf(idOf(correction))).status).to.equal(Status.Active);
      expect(await registry.recordIdOfCertificate(issuer.address, payload.certificateNumber)).to.equal(
        idOf(correction),
      );
      expect(await registry.isUsable(id)).to.equal(false);
    });

    it("keeps the old certificate number reserved when the correction takes a new one", async function () {
      const { registry, issuer, payload, id, p } = await withRecord();
      const correction = p("A2");
      await call(registry, issuer, "supersede", id, correction);
      expect(await registry.recordIdOfCertificate(issuer.address, payload.certificateNumber)).to.equal(id);
      await expect(call(registry, issuer, "issue", p("A3", { certificateNumber: payload.certificateNumber })))
        .to.be.revertedWithCustomError(registry, "DuplicateCertificateNumber")
        .withArgs(issuer.address, payload.certificateNumber, id);
    });

    it("refuses anyone but the issuer, unknown and inactive records, and a correction reusing the hash", async function () {
      const { f, registry, issuer, issuer2, payload, id, p } = await withRecord();
      await expect(call(registry, issuer2, "supersede", id, p("A2")))
        .to.be.revertedWithCustomError(registry, "NotRecordIssuer")
        .withArgs(id, issuer2.address);
      await expect(call(registry, f.admin, "supersede", id, p("A2")))
        .to.be.revertedWithCustomError(registry, "NotRecordIssuer")
        .withArgs(id, f.admin.address);
      await expect(call(registry, issuer, "supersede", hashOf("nothing"), p("A2")))
        .to.be.revertedWithCustomError(registry, "RecordNotFound")
        .withArgs(hashOf("nothing"));
      await expect(call(registry, issuer, "supersede", id, payload))
        .to.be.revertedWithCustomError(registry, "DuplicateRecord")
        .withArgs(id);
      await call(registry, issuer, "supersede", id, p("A2"));
      await expect(call(registry, issuer, "supersede", id, p("A3")))
        .to.be.revertedWithCustomError(registry, "RecordNotActive")
        .withArgs(id, Status.Superseded);
    });

    it("refuses a correction by an issuer no longer active", async function () {
      const { f, registry, issuer, id, p } = await withRecord();
      await f.actors.setActive(issuer.address, 0);
      await expect(call(registry, issuer, "supersede", id, p("A2")))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(issuer.address, subject.standingRoles);
    });

    it("supersedes by EIP-712 delegation", async function () {
      const { f, registry, issuer, id, p, deadline, idOf } = await withRecord();
      const correction = p("A2");
      const dl = await deadline();
      const signature = await signFor(issuer, registry, subject.domain, supersedeTypes(subject.types), {
        recordId: id,
        correction,
        nonce: 0n,
        deadline: dl,
      });
      await expect(
        call(registry, f.relayer, "supersedeBySig", hashOf("other"), correction, issuer.address, dl, signature),
      )
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(issuer.address);
      await expect(call(registry, f.relayer, "supersedeBySig", id, correction, issuer.address, dl, signature))
        .to.emit(registry, "RecordSuperseded")
        .withArgs(id, idOf(correction), issuer.address);
      expect(await registry.nonces(issuer.address)).to.equal(1n);
    });
  });

  describe("mass balance (ALLOCATOR_ROLE)", function () {
    const consumer = hashOf("shipment-1/line-1");

    if (subject.totalKg === 0n) {
      it("has no kilograms to allocate", async function () {
        const { f, registry, id } = await withRecord();
        await expect(registry.connect(f.allocator).allocate(id, consumer, 1n))
          .to.be.revertedWithCustomError(registry, "InsufficientKilograms")
          .withArgs(id, 1n, 0n);
      });
    } else {
      it("allocates and releases kilograms per consumer", async function () {
        const { f, registry, id } = await withRecord();
        const total = subject.totalKg;
        await expect(registry.connect(f.allocator).allocate(id, consumer, 1000n))
          .to.emit(registry, "KilogramsAllocated")
          .withArgs(id, consumer, 1000n, total - 1000n);
        await registry.connect(f.allocator).allocate(id, consumer, 500n);
        expect(await registry.allocatedKg(id, consumer)).to.equal(1500n);
        expect(await registry.remainingKg(id)).to.equal(total - 1500n);
        expect((await registry.recordOf(id)).consumedKg).to.equal(1500n);
        await expect(registry.connect(f.allocator).deallocate(id, consumer, 400n))
          .to.emit(registry, "KilogramsReleased")
          .withArgs(id, consumer, 400n, total - 1100n);
        expect(await registry.allocatedKg(id, consumer)).to.equal(1100n);
        await expect(registry.connect(f.allocator).deallocate(id, consumer, 1101n))
          .to.be.revertedWithCustomError(registry, "DeallocationExceedsAllocation")
          .withArgs(id, consumer, 1101n, 1100n);
        await expect(registry.connect(f.allocator).allocate(id, hashOf("other"), total - 1099n))
          .to.be.revertedWithCustomError(registry, "InsufficientKilograms")
          .withArgs(id, total - 1099n, total - 1100n);
        await registry.connect(f.allocator).allocate(id, hashOf("other"), total - 1100n);
        expect(await registry.remainingKg(id)).to.equal(0n);
      });

      it("refuses allocation from a revoked record but still releases", async function () {
        const { f, registry, issuer, id } = await withRecord();
        await registry.connect(f.allocator).allocate(id, consumer, 1000n);
        await registry.connect(issuer).revoke(id, ethers.ZeroHash);
        await expect(registry.connect(f.allocator).allocate(id, consumer, 1n))
          .to.be.revertedWithCustomError(registry, "RecordNotUsable")
          .withArgs(id, Status.Revoked, 0n);
        await registry.connect(f.allocator).deallocate(id, consumer, 1000n);
        expect(await registry.remainingKg(id)).to.equal(subject.totalKg);
      });

      it("carries consumed kilograms into a correction", async function () {
        const { f, registry, issuer, id, p, idOf } = await withRecord();
        await registry.connect(f.allocator).allocate(id, consumer, 1000n);
        await expect(call(registry, issuer, "supersede", id, p("A2", { totalKg: 999n })))
          .to.be.revertedWithCustomError(registry, "CorrectionBelowConsumed")
          .withArgs(id, 999n, 1000n);
        const correction = p("A2", { totalKg: 1500n });
        await call(registry, issuer, "supersede", id, correction);
        expect((await registry.recordOf(idOf(correction))).consumedKg).to.equal(1000n);
        expect(await registry.remainingKg(idOf(correction))).to.equal(500n);
      });
    }

    it("refuses zero kilograms, unknown records and callers without the role", async function () {
      const { f, registry, id } = await withRecord();
      await expect(registry.connect(f.allocator).allocate(id, consumer, 0n)).to.be.revertedWithCustomError(
        registry,
        "ZeroWeight",
      );
      await expect(registry.connect(f.allocator).deallocate(id, consumer, 0n)).to.be.revertedWithCustomError(
        registry,
        "ZeroWeight",
      );
      await expect(registry.connect(f.allocator).allocate(hashOf("nothing"), consumer, 1n))
        .to.be.revertedWithCustomError(registry, "RecordNotFound")
        .withArgs(hashOf("nothing"));
      await expect(registry.connect(f.allocator).deallocate(hashOf("nothing"), consumer, 1n))
        .to.be.revertedWithCustomError(registry, "DeallocationExceedsAllocation")
        .withArgs(hashOf("nothing"), consumer, 1n, 0n);
      for (const fn of ["allocate", "deallocate"] as const) {
        await expect(registry.connect(f.outsider)[fn](id, consumer, 1n))
          .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
          .withArgs(f.outsider.address, ALLOCATOR_ROLE);
      }
    });
  });

  describe("pause", function () {
    it("stops every state change until unpaused, and only the pauser may pause", async function () {
      const { f, registry, issuer, id, p, deadline, signIssue, idOf } = await withRecord();
      await expect(registry.connect(f.outsider).pause())
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(f.outsider.address, await registry.PAUSER_ROLE());
      await registry.connect(f.admin).pause();
      const dl = await deadline();
      const signature = await signIssue(issuer, p("B"), 0n, dl);
      const attempts: (() => Promise<unknown>)[] = [
        () => call(registry, issuer, "issue", p("B")),
        () => call(registry, f.relayer, "issueBySig", p("B"), issuer.address, dl, signature),
        () => call(registry, issuer, "issueBatch", [p("B")]),
        () => call(registry, f.relayer, "issueBatchBySig", [p("B")], issuer.address, dl, signature),
        () => call(registry, issuer, "supersede", id, p("B")),
        () => call(registry, f.relayer, "supersedeBySig", id, p("B"), issuer.address, dl, signature),
        () => registry.connect(issuer).revoke(id, ethers.ZeroHash),
        () => registry.connect(f.allocator).allocate(id, hashOf("c"), 1n),
        () => registry.connect(f.allocator).deallocate(id, hashOf("c"), 1n),
      ];
      for (const attempt of attempts) await expect(attempt()).to.be.revertedWithCustomError(registry, "EnforcedPause");
      await registry.connect(f.admin).unpause();
      await call(registry, issuer, "issue", p("B"));
      expect((await registry.recordOf(idOf(p("B")))).status).to.equal(Status.Active);
    });
  });

  describe("upgrade", function () {
    it("keeps every record, balance and nonce across an upgrade by the upgrader only", async function () {
      const { f, registry, issuer, id, p, idOf } = await withRecord();
      if (subject.totalKg > 0n) await registry.connect(f.allocator).allocate(id, hashOf("c"), 7n);
      await call(registry, issuer, "supersede", id, p("A2"));
      const before = await registry.recordOf(id);
      const factory = await ethers.getContractFactory(`${subject.contract}V2`);
      const v2Impl = await upgrades.deployImplementation(factory, { kind: "uups" });
      await expect(registry.connect(f.outsider).upgradeToAndCall(v2Impl as string, "0x"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(f.outsider.address, await registry.UPGRADER_ROLE());
      const upgraded = await upgrades.upgradeProxy(await registry.getAddress(), factory, { kind: "uups" });
      expect(await upgraded.getFunction("upgradeMarker")()).to.equal(2n);
      expect(await registry.recordOf(id)).to.deep.equal(before);
      expect(await registry.allocatedKg(id, hashOf("c"))).to.equal(subject.totalKg > 0n ? 7n : 0n);
      expect(await registry.recordIdOfCertificate(issuer.address, p("A2").certificateNumber)).to.equal(idOf(p("A2")));
      expect(await registry.actorRegistry()).to.equal(await f.actors.getAddress());
      // The EIP-712 domain (bound to the proxy) survives: an old-domain signature still verifies.
      const dl = BigInt(await time.latest()) + DAY;
      const signature = await signFor(issuer, registry, subject.domain, issueTypes(subject.types), {
        [subject.types.single]: p("B"),
        nonce: 0n,
        deadline: dl,
      });
      await call(registry, f.relayer, "issueBySig", p("B"), issuer.address, dl, signature);
      expect((await registry.recordOf(idOf(p("B")))).issuer).to.equal(issuer.address);
    });
  });
}
