import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import {
  DocStatus,
  Roles,
  deployShipmentRegistry,
  deployWithShipment,
  id,
  sampleFiling,
  shipmentIdOf,
  signFiling,
  type Filing,
} from "../../helpers/shipments";
import { BusinessRole, makeCredential, onboardActor } from "../../helpers/actors";
import { deployTradeSystem } from "../../helpers/trade-system";

/** Regression tests of SECURITY.md findings A2, A3 and A6 (ShipmentRegistry). */
describe("ShipmentRegistry: fixed findings A2, A3, A6", function () {
  /** The fixture shipment (filed by the broker) with one report and the certificate linked by the importer. */
  async function linked() {
    const f = await deployWithShipment();
    await f.registry.connect(f.importer).linkMillTestReport(f.shipmentId, f.mtrId, 0, 1_000);
    await f.registry.connect(f.importer).linkCertificateOfOrigin(f.shipmentId, f.cooId);
    await f.mtr.setRecord(id("mtr-3"), 0, DocStatus.Active, 10_000);
    await f.mtr.setAllocator(id("mtr-3"), f.importer.address, true);
    await f.coo.setRecord(id("coo-2"), 0, DocStatus.Active, 0);
    return f;
  }

  type Linked = Awaited<ReturnType<typeof linked>>;
  type Caller = "importer" | "broker";

  /** Expects link and unlink of both document kinds by `caller` to revert with `error(args)`; nothing changes. */
  async function expectNoLinks(f: Linked, caller: Caller, error: string, args: unknown[]): Promise<void> {
    const { registry, mtr, shipmentId, mtrId, cooId } = f;
    const who = f[caller];
    // Thunks: each transaction is sent only once its expectation is attached.
    const attempts = [
      () => registry.connect(who).linkMillTestReport(shipmentId, id("mtr-3"), 1, 1_000),
      () => registry.connect(who).unlinkMillTestReport(shipmentId, mtrId, 0),
      () => registry.connect(who).linkCertificateOfOrigin(shipmentId, id("coo-2")),
      () => registry.connect(who).unlinkCertificateOfOrigin(shipmentId, cooId),
    ];
    for (const attempt of attempts) {
      await expect(attempt())
        .to.be.revertedWithCustomError(registry, error)
        .withArgs(...args);
    }
    expect(await registry.linkedKg(shipmentId, mtrId, 0)).to.equal(1_000n);
    expect(await mtr.remainingKg(id("mtr-3"))).to.equal(10_000n);
    expect(await registry.isCertificateOfOriginLinked(shipmentId, cooId)).to.equal(true);
    expect(await registry.isCertificateOfOriginLinked(shipmentId, id("coo-2"))).to.equal(false);
  }

  describe("A2: links re-check the caller's standing, as amendments do", function () {
    it("an importer no longer active (suspended, revoked or expired) can't link or unlink", async function () {
      const f = await loadFixture(linked);
      await f.actors.setActive(f.importer.address, 0);
      await expectNoLinks(f, "importer", "ActorNotActive", [f.importer.address, Roles.IMPORTER]);
    });

    it("nor can its broker, while the importer is inactive", async function () {
      const f = await loadFixture(linked);
      await f.actors.setActive(f.importer.address, 0);
      await expectNoLinks(f, "broker", "ActorNotActive", [f.importer.address, Roles.IMPORTER]);
    });

    it("a broker the importer de-authorised can't link or unlink", async function () {
      const f = await loadFixture(linked);
      await f.registry.connect(f.importer).setBrokerAuthorization(f.broker.address, false);
      await expectNoLinks(f, "broker", "BrokerNotAuthorized", [f.importer.address, f.broker.address]);
    });

    it("a de-authorised broker that CBP also suspended can't either", async function () {
      const f = await loadFixture(linked);
      await f.registry.connect(f.importer).setBrokerAuthorization(f.broker.address, false);
      await f.actors.setActive(f.broker.address, 0);
      await expectNoLinks(f, "broker", "ActorNotActive", [f.broker.address, Roles.CUSTOMS_BROKER]);
    });

    it("the rights come back with the standing", async function () {
      const f = await loadFixture(linked);
      await f.registry.connect(f.importer).setBrokerAuthorization(f.broker.address, false);
      await f.registry.connect(f.importer).setBrokerAuthorization(f.broker.address, true);
      await expect(f.registry.connect(f.broker).unlinkMillTestReport(f.shipmentId, f.mtrId, 0)).to.emit(
        f.registry,
        "MillTestReportUnlinked",
      );
    });

    describe("with the real actor registry", function () {
      async function filedByBroker() {
        const s = await deployTradeSystem();
        const shipmentId = await s.file(s.broker, s.importer, "a2");
        const report = await s.issueReport(s.mill, "a2-heat", 10_000n);
        const certificate = await s.issueCertificate("a2", s.exporter.address, s.importer.address);
        return { ...s, shipmentId, report, certificate };
      }

      type Filed = Awaited<ReturnType<typeof filedByBroker>>;
      const cases: [string, (s: Filed) => Promise<unknown>][] = [
        ["suspended", (s) => s.actors.connect(s.cbp).suspend(s.importer.address, id("FRAUD"))],
        [
          "revoked",
          (s) => s.actors.connect(s.issuer).revokeCredential(s.credentials.get(s.importer.address)!, id("FRAUD")),
        ],
        [
          "expired",
          async (s) => {
            await time.increase(366 * 24 * 3600); // every credential expires; the broker gets a fresh one
            await onboardActor(s.actors, s.issuer, await makeCredential(s.broker.address, BusinessRole.CustomsBroker));
          },
        ],
      ];
      for (const [kind, lose] of cases) {
        it(`a ${kind} importer and its broker can't link`, async function () {
          const s = await loadFixture(filedByBroker);
          await lose(s);
          for (const who of [s.importer, s.broker]) {
            await expect(s.shipments.connect(who).linkMillTestReport(s.shipmentId, s.report, 0, 1_000))
              .to.be.revertedWithCustomError(s.shipments, "ActorNotActive")
              .withArgs(s.importer.address, Roles.IMPORTER);
            await expect(s.shipments.connect(who).linkCertificateOfOrigin(s.shipmentId, s.certificate))
              .to.be.revertedWithCustomError(s.shipments, "ActorNotActive")
              .withArgs(s.importer.address, Roles.IMPORTER);
          }
          expect(await s.reports.remainingKg(s.report)).to.equal(10_000n);
        });
      }
    });
  });

  describe("A3: linked kilograms stay within the declaration", function () {
    /** The most kilograms line `declared` may carry in links. */
    async function limitOf(f: Linked, declared: bigint): Promise<bigint> {
      return declared + (declared * (await f.registry.LINK_TOLERANCE_BPS())) / 10_000n;
    }

    it("a line declaring 1 kg can't take a whole heat", async function () {
      const f = await loadFixture(linked);
      const filing = sampleFiling(f.parties);
      (filing.lines as Filing["lines"])[0] = { ...(filing.lines as Filing["lines"])[0], declaredKg: 1n };
      await f.registry.connect(f.importer).fileShipment(id("one-kg"), filing);
      const shipmentId = shipmentIdOf(f.importer.address, id("one-kg"));
      const limit = await limitOf(f, 1n);
      await expect(f.registry.connect(f.importer).linkMillTestReport(shipmentId, f.mtr2Id, 0, 5_000))
        .to.be.revertedWithCustomError(f.registry, "LinkedKgExceedDeclared")
        .withArgs(shipmentId, 0, 5_000, limit);
      expect(await f.mtr.remainingKg(f.mtr2Id)).to.equal(5_000n);
    });

    it("counts every report linked to the line, up to the declaration plus the tolerance", async function () {
      const f = await loadFixture(linked);
      const limit = await limitOf(f, 12_000n); // line 0 declares 12,000 kg; 1,000 kg are linked
      await f.registry.connect(f.importer).linkMillTestReport(f.shipmentId, f.mtr2Id, 0, 5_000);
      await expect(f.registry.connect(f.importer).linkMillTestReport(f.shipmentId, id("mtr-3"), 0, limit - 5_999n))
        .to.be.revertedWithCustomError(f.registry, "LinkedKgExceedDeclared")
        .withArgs(f.shipmentId, 0, limit + 1n, limit);
      await f.registry.connect(f.importer).linkMillTestReport(f.shipmentId, id("mtr-3"), 0, limit - 6_000n);
      expect(await f.registry.lineLinkedKg(f.shipmentId, 0)).to.equal(limit);
      await f.registry.connect(f.importer).unlinkMillTestReport(f.shipmentId, f.mtr2Id, 0);
      expect(await f.registry.lineLinkedKg(f.shipmentId, 0)).to.equal(limit - 5_000n);
    });

    it("an amendment can't shrink a linked line below its links", async function () {
      const f = await loadFixture(linked);
      const lines = [...(f.filing.lines as Filing["lines"])];
      lines[0] = { ...lines[0], declaredKg: 1n };
      await expect(f.registry.connect(f.importer).amendShipment(f.shipmentId, { ...f.filing, lines }))
        .to.be.revertedWithCustomError(f.registry, "LinkedKgExceedDeclared")
        .withArgs(f.shipmentId, 0, 1_000, await limitOf(f, 1n));
      lines[0] = { ...lines[0], declaredKg: 1_000n }; // down to the links is fine
      await expect(f.registry.connect(f.importer).amendShipment(f.shipmentId, { ...f.filing, lines })).to.emit(
        f.registry,
        "ShipmentAmended",
      );
      expect((await f.registry.shipmentOf(f.shipmentId)).version).to.equal(2n);
    });

    it("an amendment can't change a linked line's HTS number; an unlinked line's it can", async function () {
      const f = await loadFixture(linked);
      const lines = [...(f.filing.lines as Filing["lines"])];
      lines[0] = { ...lines[0], hts: 7208510030n };
      await expect(f.registry.connect(f.broker).amendShipment(f.shipmentId, { ...f.filing, lines }))
        .to.be.revertedWithCustomError(f.registry, "LinkedLineHtsChanged")
        .withArgs(f.shipmentId, 0, 7304191020n, 7208510030n);
      lines[0] = (f.filing.lines as Filing["lines"])[0];
      lines[1] = { ...lines[1], hts: 7208510030n };
      await f.registry.connect(f.broker).amendShipment(f.shipmentId, { ...f.filing, lines });
      // Once unlinked, the line is free again.
      await f.registry.connect(f.importer).unlinkMillTestReport(f.shipmentId, f.mtrId, 0);
      lines[0] = { ...lines[0], hts: 7208510030n, declaredKg: 1n };
      await expect(f.registry.connect(f.broker).amendShipment(f.shipmentId, { ...f.filing, lines })).to.emit(
        f.registry,
        "ShipmentAmended",
      );
    });
  });

  describe("A6: shipment ids are namespaced by importer", function () {
    it("the id is keccak256(abi.encode(importer, reference)); two importers' references never collide", async function () {
      const { registry, importer, importer2, parties } = await loadFixture(deployShipmentRegistry);
      const reference = id("PO-1001");
      const mine = shipmentIdOf(importer.address, reference);
      const theirs = shipmentIdOf(importer2.address, reference);
      expect(await registry.shipmentIdOf(importer.address, reference)).to.equal(mine);
      expect(mine).to.not.equal(theirs);
      await expect(registry.connect(importer).fileShipment(reference, sampleFiling(parties)))
        .to.emit(registry, "ShipmentFiled")
        .withArgs(mine, importer.address, importer.address, reference, anyHash, anyFiling, importer.address);
      await registry
        .connect(importer2)
        .fileShipment(reference, sampleFiling({ ...parties, importer: importer2.address }));
      expect((await registry.shipmentOf(mine)).importer).to.equal(importer.address);
      expect((await registry.shipmentOf(theirs)).importer).to.equal(importer2.address);
      expect((await registry.shipmentOf(reference)).importer).to.equal(ethers.ZeroAddress);
    });

    it("another importer can't squat the reference of a pending delegated filing", async function () {
      const { registry, importer, importer2, broker, relayer, parties } = await loadFixture(deployShipmentRegistry);
      const reference = id("pending");
      const filing = sampleFiling(parties);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signFiling(registry, broker, reference, filing, broker.address, deadline);
      // The squatter sees the pending payload and files the same reference first, for itself.
      await registry
        .connect(importer2)
        .fileShipment(reference, sampleFiling({ ...parties, importer: importer2.address }));
      await expect(registry.connect(relayer).fileShipmentBySig(reference, filing, broker.address, deadline, sig))
        .to.emit(registry, "ShipmentFiled")
        .withArgs(
          shipmentIdOf(importer.address, reference),
          importer.address,
          broker.address,
          reference,
          anyHash,
          anyFiling,
          relayer.address,
        );
    });

    it("one importer can't reuse its own reference", async function () {
      const { registry, importer, parties } = await loadFixture(deployShipmentRegistry);
      await registry.connect(importer).fileShipment(id("r"), sampleFiling(parties));
      await expect(registry.connect(importer).fileShipment(id("r"), sampleFiling(parties)))
        .to.be.revertedWithCustomError(registry, "ShipmentAlreadyFiled")
        .withArgs(shipmentIdOf(importer.address, id("r")));
    });
  });
});

// Placeholders for event arguments checked elsewhere (the filing tests decode them in full).
const anyHash = (v: unknown): boolean => typeof v === "string" && v.length === 66;
const anyFiling = (): boolean => true;
