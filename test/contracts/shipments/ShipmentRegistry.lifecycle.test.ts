import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  Roles,
  Status,
  WatchStatus,
  code,
  deployWithShipment,
  filingHash,
  id,
  sampleFiling,
} from "../../helpers/shipments";

const ZERO = ethers.ZeroHash;
const NOTE = id("note: officer memo 42");
const REASON = id("ADCVD_REVIEW");

type Fixture = Awaited<ReturnType<typeof deployWithShipment>>;
type Action = "depart" | "arrive" | "release" | "refuse";
const requestedOf: Record<Action, number> = {
  depart: Status.Departed,
  arrive: Status.Arrived,
  release: Status.Released,
  refuse: Status.Refused,
};

/** Performs `action` as the party entitled to it (carrier for departure, CBP otherwise). */
function act(f: Fixture, action: Action, shipmentId = f.shipmentId) {
  const r = f.registry;
  switch (action) {
    case "depart":
      return r.connect(f.carrier).markDeparted(shipmentId, ZERO, NOTE);
    case "arrive":
      return r.connect(f.cbp).markArrived(shipmentId, ZERO, NOTE);
    case "release":
      return r.connect(f.cbp).release(shipmentId, id("CLEARED"), NOTE);
    case "refuse":
      return r.connect(f.cbp).refuse(shipmentId, id("REFUSED"), NOTE);
  }
}

async function reach(f: Fixture, status: number) {
  const path: Action[] = [];
  if (status >= Status.Departed) path.push("depart");
  if (status >= Status.Arrived) path.push("arrive");
  if (status === Status.Released) path.push("release");
  if (status === Status.Refused) path.push("refuse");
  for (const a of path) await act(f, a);
}

describe("ShipmentRegistry: lifecycle and CBP actions", function () {
  describe("transitions", function () {
    it("Filed -> Departed (carrier) -> Arrived (carrier) -> Released (CBP)", async function () {
      const { registry, carrier, cbp, shipmentId } = await loadFixture(deployWithShipment);
      await expect(registry.connect(carrier).markDeparted(shipmentId, id("SAILED"), NOTE))
        .to.emit(registry, "ShipmentStatusChanged")
        .withArgs(shipmentId, Status.Filed, Status.Departed, carrier.address, id("SAILED"), NOTE);
      await expect(registry.connect(carrier).markArrived(shipmentId, ZERO, NOTE))
        .to.emit(registry, "ShipmentStatusChanged")
        .withArgs(shipmentId, Status.Departed, Status.Arrived, carrier.address, ZERO, NOTE);
      await expect(registry.connect(cbp).release(shipmentId, id("CLEARED"), NOTE))
        .to.emit(registry, "ShipmentStatusChanged")
        .withArgs(shipmentId, Status.Arrived, Status.Released, cbp.address, id("CLEARED"), NOTE);
      expect((await registry.shipmentOf(shipmentId)).status).to.equal(Status.Released);
    });

    it("Arrived (CBP) -> Refused (CBP)", async function () {
      const f = await loadFixture(deployWithShipment);
      await act(f, "depart");
      await expect(act(f, "arrive"))
        .to.emit(f.registry, "ShipmentStatusChanged")
        .withArgs(f.shipmentId, Status.Departed, Status.Arrived, f.cbp.address, ZERO, NOTE);
      await expect(act(f, "refuse"))
        .to.emit(f.registry, "ShipmentStatusChanged")
        .withArgs(f.shipmentId, Status.Arrived, Status.Refused, f.cbp.address, id("REFUSED"), NOTE);
      expect((await f.registry.shipmentOf(f.shipmentId)).status).to.equal(Status.Refused);
    });

    const legal: Record<number, Action | undefined> = {
      [Status.Filed]: "depart",
      [Status.Departed]: "arrive",
    };
    for (const from of [Status.Filed, Status.Departed, Status.Arrived, Status.Released, Status.Refused]) {
      for (const action of ["depart", "arrive", "release", "refuse"] as Action[]) {
        const allowed =
          legal[from] === action || (from === Status.Arrived && (action === "release" || action === "refuse"));
        if (allowed) continue;
        it(`rejects ${action} from status ${from}, naming both states`, async function () {
          const f = await loadFixture(deployWithShipment);
          await reach(f, from);
          await expect(act(f, action))
            .to.be.revertedWithCustomError(f.registry, "IllegalTransition")
            .withArgs(f.shipmentId, from, requestedOf[action]);
          expect((await f.registry.shipmentOf(f.shipmentId)).status).to.equal(from);
        });
      }
    }

    it("rejects every transition of an unknown shipment", async function () {
      const f = await loadFixture(deployWithShipment);
      for (const action of ["depart", "arrive", "release", "refuse"] as Action[]) {
        await expect(act(f, action, id("ghost")))
          .to.be.revertedWithCustomError(f.registry, "ShipmentNotFound")
          .withArgs(id("ghost"));
      }
    });
  });

  describe("transition permissions", function () {
    it("only the shipment's carrier marks departure, and only while an active carrier", async function () {
      const { registry, actors, carrier, carrier2, cbp, importer, shipmentId } = await loadFixture(deployWithShipment);
      for (const who of [carrier2, cbp, importer]) {
        await expect(registry.connect(who).markDeparted(shipmentId, ZERO, ZERO))
          .to.be.revertedWithCustomError(registry, "NotCarrier")
          .withArgs(shipmentId, who.address);
      }
      await actors.setActive(carrier.address, Roles.EXPORTER);
      await expect(registry.connect(carrier).markDeparted(shipmentId, ZERO, ZERO))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(carrier.address, Roles.CARRIER);
    });

    it("arrival by the carrier or CBP only", async function () {
      const f = await loadFixture(deployWithShipment);
      await act(f, "depart");
      await expect(f.registry.connect(f.importer).markArrived(f.shipmentId, ZERO, ZERO))
        .to.be.revertedWithCustomError(f.registry, "NotCarrier")
        .withArgs(f.shipmentId, f.importer.address);
    });

    it("an amendment that names a new carrier hands departure to it", async function () {
      const f = await loadFixture(deployWithShipment);
      await f.registry
        .connect(f.importer)
        .amendShipment(f.shipmentId, sampleFiling({ ...f.parties, carrier: f.carrier2.address }));
      await expect(f.registry.connect(f.carrier).markDeparted(f.shipmentId, ZERO, ZERO))
        .to.be.revertedWithCustomError(f.registry, "NotCarrier")
        .withArgs(f.shipmentId, f.carrier.address);
      await f.registry.connect(f.carrier2).markDeparted(f.shipmentId, ZERO, ZERO);
      expect((await f.registry.shipmentOf(f.shipmentId)).status).to.equal(Status.Departed);
    });

    it("release and refusal are CBP's alone; refusal needs a reason", async function () {
      const f = await loadFixture(deployWithShipment);
      await reach(f, Status.Arrived);
      const cbpRole = await f.registry.CBP_ROLE();
      for (const call of [
        () => f.registry.connect(f.carrier).release(f.shipmentId, ZERO, ZERO),
        () => f.registry.connect(f.importer).refuse(f.shipmentId, REASON, ZERO),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(f.registry, "AccessControlUnauthorizedAccount")
          .withArgs(anyAddress, cbpRole);
      }
      await expect(f.registry.connect(f.cbp).refuse(f.shipmentId, ZERO, NOTE)).to.be.revertedWithCustomError(
        f.registry,
        "ReasonCodeRequired",
      );
    });
  });

  describe("holds", function () {
    it("blocks release while any hold is active", async function () {
      const f = await loadFixture(deployWithShipment);
      const { registry, cbp, shipmentId } = f;
      await expect(registry.connect(cbp).placeHold(shipmentId, id("HOLD_A"), NOTE))
        .to.emit(registry, "HoldPlaced")
        .withArgs(shipmentId, id("HOLD_A"), cbp.address, NOTE, 1);
      await reach(f, Status.Arrived);
      await expect(registry.connect(cbp).placeHold(shipmentId, id("HOLD_B"), NOTE))
        .to.emit(registry, "HoldPlaced")
        .withArgs(shipmentId, id("HOLD_B"), cbp.address, NOTE, 2);
      expect(await registry.isHoldActive(shipmentId, id("HOLD_A"))).to.equal(true);

      await expect(registry.connect(cbp).release(shipmentId, ZERO, ZERO))
        .to.be.revertedWithCustomError(registry, "ShipmentOnHold")
        .withArgs(shipmentId, 2);
      await expect(registry.connect(cbp).liftHold(shipmentId, id("HOLD_A"), NOTE))
        .to.emit(registry, "HoldLifted")
        .withArgs(shipmentId, id("HOLD_A"), cbp.address, NOTE, 1);
      await expect(registry.connect(cbp).release(shipmentId, ZERO, ZERO))
        .to.be.revertedWithCustomError(registry, "ShipmentOnHold")
        .withArgs(shipmentId, 1);
      await registry.connect(cbp).liftHold(shipmentId, id("HOLD_B"), ZERO);
      await registry.connect(cbp).release(shipmentId, ZERO, ZERO);
      expect((await registry.shipmentOf(shipmentId)).activeHolds).to.equal(0n);
      expect((await registry.shipmentOf(shipmentId)).status).to.equal(Status.Released);
    });

    it("a held shipment can still be refused, and keeps the holds it had at refusal (R7)", async function () {
      const f = await loadFixture(deployWithShipment);
      await reach(f, Status.Arrived);
      await f.registry.connect(f.cbp).placeHold(f.shipmentId, REASON, NOTE);
      await act(f, "refuse");
      await expect(f.registry.connect(f.cbp).placeHold(f.shipmentId, id("X"), NOTE))
        .to.be.revertedWithCustomError(f.registry, "ShipmentClosed")
        .withArgs(f.shipmentId, Status.Refused);
      await expect(f.registry.connect(f.cbp).liftHold(f.shipmentId, REASON, NOTE))
        .to.be.revertedWithCustomError(f.registry, "ShipmentClosed")
        .withArgs(f.shipmentId, Status.Refused);
      expect(await f.registry.isHoldActive(f.shipmentId, REASON)).to.equal(true);
      expect((await f.registry.shipmentOf(f.shipmentId)).activeHolds).to.equal(1n);
    });

    it("no hold can be lifted after release (R7)", async function () {
      const f = await loadFixture(deployWithShipment);
      await f.registry.connect(f.cbp).placeHold(f.shipmentId, REASON, NOTE);
      await f.registry.connect(f.cbp).liftHold(f.shipmentId, REASON, NOTE);
      await reach(f, Status.Released);
      await expect(f.registry.connect(f.cbp).liftHold(f.shipmentId, REASON, NOTE))
        .to.be.revertedWithCustomError(f.registry, "ShipmentClosed")
        .withArgs(f.shipmentId, Status.Released);
      await expect(f.registry.connect(f.cbp).liftHold(f.shipmentId, ZERO, NOTE)).to.be.revertedWithCustomError(
        f.registry,
        "ReasonCodeRequired",
      );
    });

    it("rejects a duplicate hold, lifting a hold not in force, a zero reason, non-CBP callers", async function () {
      const { registry, cbp, importer, shipmentId } = await loadFixture(deployWithShipment);
      await registry.connect(cbp).placeHold(shipmentId, REASON, NOTE);
      await expect(registry.connect(cbp).placeHold(shipmentId, REASON, NOTE))
        .to.be.revertedWithCustomError(registry, "HoldAlreadyActive")
        .withArgs(shipmentId, REASON);
      await expect(registry.connect(cbp).liftHold(shipmentId, id("OTHER"), NOTE))
        .to.be.revertedWithCustomError(registry, "HoldNotActive")
        .withArgs(shipmentId, id("OTHER"));
      await expect(registry.connect(cbp).placeHold(shipmentId, ZERO, NOTE)).to.be.revertedWithCustomError(
        registry,
        "ReasonCodeRequired",
      );
      await expect(registry.connect(cbp).placeHold(id("ghost"), REASON, NOTE))
        .to.be.revertedWithCustomError(registry, "ShipmentNotFound")
        .withArgs(id("ghost"));
      await expect(registry.connect(cbp).liftHold(id("ghost"), REASON, NOTE))
        .to.be.revertedWithCustomError(registry, "ShipmentNotFound")
        .withArgs(id("ghost"));
      const cbpRole = await registry.CBP_ROLE();
      await expect(registry.connect(importer).placeHold(shipmentId, REASON, NOTE))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(importer.address, cbpRole);
      await expect(registry.connect(importer).liftHold(shipmentId, REASON, NOTE))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(importer.address, cbpRole);
    });
  });

  describe("examinations and requests for information", function () {
    it("are recorded with the status at the time, until release", async function () {
      const f = await loadFixture(deployWithShipment);
      const { registry, cbp, shipmentId } = f;
      await expect(registry.connect(cbp).orderExamination(shipmentId, id("VACIS"), NOTE))
        .to.emit(registry, "ExaminationOrdered")
        .withArgs(shipmentId, id("VACIS"), cbp.address, NOTE, Status.Filed);
      await reach(f, Status.Arrived);
      await expect(registry.connect(cbp).requestInformation(shipmentId, id("CF28"), NOTE))
        .to.emit(registry, "InformationRequested")
        .withArgs(shipmentId, id("CF28"), cbp.address, NOTE, Status.Arrived);
      await act(f, "release");
      await expect(registry.connect(cbp).orderExamination(shipmentId, id("VACIS"), NOTE))
        .to.be.revertedWithCustomError(registry, "ShipmentClosed")
        .withArgs(shipmentId, Status.Released);
      await expect(registry.connect(cbp).requestInformation(shipmentId, id("CF28"), NOTE))
        .to.be.revertedWithCustomError(registry, "ShipmentClosed")
        .withArgs(shipmentId, Status.Released);
    });

    it("need CBP and a reason code", async function () {
      const { registry, cbp, importer, shipmentId } = await loadFixture(deployWithShipment);
      const cbpRole = await registry.CBP_ROLE();
      await expect(registry.connect(importer).orderExamination(shipmentId, REASON, NOTE))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(importer.address, cbpRole);
      await expect(registry.connect(importer).requestInformation(shipmentId, REASON, NOTE))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(importer.address, cbpRole);
      await expect(registry.connect(cbp).orderExamination(shipmentId, ZERO, NOTE)).to.be.revertedWithCustomError(
        registry,
        "ReasonCodeRequired",
      );
      await expect(registry.connect(cbp).requestInformation(shipmentId, ZERO, NOTE)).to.be.revertedWithCustomError(
        registry,
        "ReasonCodeRequired",
      );
    });
  });

  describe("watch entries", function () {
    const entry = {
      meltCountry: code("CN"),
      htsPrefix: 7304n,
      prefixLength: 4,
      reasonCode: id("ADCVD"),
      caseReference: "A-570-956",
    };

    it("CBP publishes and retires an entry", async function () {
      const { registry, cbp } = await loadFixture(deployWithShipment);
      const entryId = id("watch-1");
      await expect(registry.connect(cbp).publishWatchEntry(entryId, entry))
        .to.emit(registry, "WatchEntryPublished")
        .withArgs(entryId, code("CN"), cbp.address, 7304n, 4, id("ADCVD"), "A-570-956");
      expect(await registry.watchEntryStatus(entryId)).to.equal(WatchStatus.Active);
      await expect(registry.connect(cbp).retireWatchEntry(entryId, id("ORDER_REVOKED")))
        .to.emit(registry, "WatchEntryRetired")
        .withArgs(entryId, cbp.address, id("ORDER_REVOKED"));
      expect(await registry.watchEntryStatus(entryId)).to.equal(WatchStatus.Retired);
      await expect(registry.connect(cbp).retireWatchEntry(entryId, id("AGAIN")))
        .to.be.revertedWithCustomError(registry, "WatchEntryNotActive")
        .withArgs(entryId);
      await expect(registry.connect(cbp).publishWatchEntry(entryId, entry))
        .to.be.revertedWithCustomError(registry, "WatchEntryExists")
        .withArgs(entryId);
    });

    it("accepts prefixes from a chapter (2 digits, leading zero) to a full 10-digit number", async function () {
      const { registry, cbp } = await loadFixture(deployWithShipment);
      const ok: [bigint, number][] = [
        [72n, 2],
        [1n, 2],
        [101n, 4],
        [7304191020n, 10],
        [101210010n, 10],
      ];
      for (const [i, [htsPrefix, prefixLength]] of ok.entries()) {
        await registry.connect(cbp).publishWatchEntry(id(`w${i}`), { ...entry, htsPrefix, prefixLength });
        expect(await registry.watchEntryStatus(id(`w${i}`))).to.equal(WatchStatus.Active);
      }
    });

    it("rejects bad prefixes, countries, ids, reasons, case references", async function () {
      const { registry, cbp } = await loadFixture(deployWithShipment);
      const bad: [bigint, number][] = [
        [7n, 1],
        [72n, 11],
        [0n, 2],
        [100n, 2],
        [99n, 4],
        [10000n, 4],
        [10_000_000_000n, 10],
      ];
      for (const [htsPrefix, prefixLength] of bad) {
        await expect(registry.connect(cbp).publishWatchEntry(id("w"), { ...entry, htsPrefix, prefixLength }))
          .to.be.revertedWithCustomError(registry, "InvalidHtsPrefix")
          .withArgs(htsPrefix, prefixLength);
      }
      await expect(registry.connect(cbp).publishWatchEntry(id("w"), { ...entry, meltCountry: code("C1") }))
        .to.be.revertedWithCustomError(registry, "InvalidCountry")
        .withArgs(code("C1"));
      await expect(registry.connect(cbp).publishWatchEntry(ZERO, entry))
        .to.be.revertedWithCustomError(registry, "InvalidWatchEntryId")
        .withArgs(ZERO);
      await expect(
        registry.connect(cbp).publishWatchEntry(id("w"), { ...entry, reasonCode: ZERO }),
      ).to.be.revertedWithCustomError(registry, "ReasonCodeRequired");
      await expect(
        registry.connect(cbp).publishWatchEntry(id("w"), { ...entry, caseReference: "" }),
      ).to.be.revertedWithCustomError(registry, "EmptyCaseReference");
      await expect(registry.connect(cbp).retireWatchEntry(id("never"), REASON))
        .to.be.revertedWithCustomError(registry, "WatchEntryNotActive")
        .withArgs(id("never"));
      await registry.connect(cbp).publishWatchEntry(id("w"), entry);
      await expect(registry.connect(cbp).retireWatchEntry(id("w"), ZERO)).to.be.revertedWithCustomError(
        registry,
        "ReasonCodeRequired",
      );
    });

    it("only CBP manages the watch list", async function () {
      const { registry, admin, cbp } = await loadFixture(deployWithShipment);
      const cbpRole = await registry.CBP_ROLE();
      await expect(registry.connect(admin).publishWatchEntry(id("w"), entry))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, cbpRole);
      await registry.connect(cbp).publishWatchEntry(id("w"), entry);
      await expect(registry.connect(admin).retireWatchEntry(id("w"), REASON))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, cbpRole);
    });
  });

  describe("pause", function () {
    it("stops every state change until unpaused", async function () {
      const f = await loadFixture(deployWithShipment);
      const { registry, admin, cbp, importer, broker, carrier, shipmentId, filing, cooId, mtrId } = f;
      await expect(registry.connect(importer).pause())
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(importer.address, await registry.PAUSER_ROLE());
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 0, 10);
      await registry.connect(importer).linkCertificateOfOrigin(shipmentId, cooId);
      await registry.connect(admin).pause();
      const entry = {
        meltCountry: code("CN"),
        htsPrefix: 72n,
        prefixLength: 2,
        reasonCode: REASON,
        caseReference: "x",
      };
      const calls = [
        () => registry.connect(importer).setBrokerAuthorization(broker.address, false),
        () => registry.connect(importer).fileShipment(id("p"), filing),
        () => registry.connect(broker).fileShipmentBySig(id("p"), filing, broker.address, 0, "0x"),
        () => registry.connect(importer).amendShipment(shipmentId, filing),
        () => registry.connect(importer).amendShipmentBySig(shipmentId, filing, importer.address, 0, "0x"),
        () => registry.connect(importer).linkCertificateOfOrigin(shipmentId, id("c")),
        () => registry.connect(importer).unlinkCertificateOfOrigin(shipmentId, cooId),
        () => registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 1, 1),
        () => registry.connect(importer).unlinkMillTestReport(shipmentId, mtrId, 0),
        () => registry.connect(carrier).markDeparted(shipmentId, ZERO, ZERO),
        () => registry.connect(cbp).markArrived(shipmentId, ZERO, ZERO),
        () => registry.connect(cbp).release(shipmentId, ZERO, ZERO),
        () => registry.connect(cbp).refuse(shipmentId, REASON, ZERO),
        () => registry.connect(cbp).placeHold(shipmentId, REASON, ZERO),
        () => registry.connect(cbp).liftHold(shipmentId, REASON, ZERO),
        () => registry.connect(cbp).orderExamination(shipmentId, REASON, ZERO),
        () => registry.connect(cbp).requestInformation(shipmentId, REASON, ZERO),
        () => registry.connect(cbp).publishWatchEntry(id("w"), entry),
        () => registry.connect(cbp).retireWatchEntry(id("w"), REASON),
      ];
      for (const call of calls) await expect(call()).to.be.revertedWithCustomError(registry, "EnforcedPause");
      await registry.connect(admin).unpause();
      await registry.connect(carrier).markDeparted(shipmentId, ZERO, ZERO);
      expect((await registry.shipmentOf(shipmentId)).status).to.equal(Status.Departed);
    });
  });

  describe("upgrade", function () {
    it("keeps every shipment, version, link, hold and nonce", async function () {
      const f = await loadFixture(deployWithShipment);
      const { registry, importer, cbp, shipmentId, filing, mtrId, cooId } = f;
      const v2 = { ...filing, billOfLading: "V2" };
      await registry.connect(importer).amendShipment(shipmentId, v2);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 1, 700);
      await registry.connect(importer).linkCertificateOfOrigin(shipmentId, cooId);
      await registry.connect(cbp).placeHold(shipmentId, REASON, NOTE);
      await registry.connect(cbp).publishWatchEntry(id("w"), {
        meltCountry: code("RU"),
        htsPrefix: 7208n,
        prefixLength: 4,
        reasonCode: REASON,
        caseReference: "EAPA 7321",
      });
      const before = await registry.shipmentOf(shipmentId);

      const upgraded = await upgrades.upgradeProxy(
        await registry.getAddress(),
        await ethers.getContractFactory("ShipmentRegistryV2"),
        { kind: "uups" },
      );
      expect(await upgraded.implementationVersion()).to.equal(2n);
      const after = await registry.shipmentOf(shipmentId);
      expect([...after]).to.deep.equal([...before]);
      expect(await registry.versionHashOf(shipmentId, 1)).to.equal(filingHash(filing));
      expect(await registry.versionHashOf(shipmentId, 2)).to.equal(filingHash(v2));
      expect(await registry.linkedKg(shipmentId, mtrId, 1)).to.equal(700n);
      expect(await registry.isCertificateOfOriginLinked(shipmentId, cooId)).to.equal(true);
      expect(await registry.isHoldActive(shipmentId, REASON)).to.equal(true);
      expect(await registry.watchEntryStatus(id("w"))).to.equal(WatchStatus.Active);
      expect(await registry.isBrokerAuthorized(importer.address, f.broker.address)).to.equal(true);
      expect(await registry.hasRole(await registry.CBP_ROLE(), cbp.address)).to.equal(true);
      // And it keeps working.
      await registry.connect(cbp).liftHold(shipmentId, REASON, NOTE);
      await reach(f, Status.Released);
      expect((await registry.shipmentOf(shipmentId)).status).to.equal(Status.Released);
    });

    it("only UPGRADER_ROLE may upgrade", async function () {
      const { registry, cbp } = await loadFixture(deployWithShipment);
      const impl = await (await ethers.getContractFactory("ShipmentRegistryV2")).deploy();
      await expect(registry.connect(cbp).upgradeToAndCall(await impl.getAddress(), "0x"))
        .to.be.revertedWithCustomError(registry, "AccessControlUnauthorizedAccount")
        .withArgs(cbp.address, await registry.UPGRADER_ROLE());
    });
  });
});

/** Any address (withArgs predicate): the unauthorised caller differs per call. */
function anyAddress(value: unknown): boolean {
  return typeof value === "string" && ethers.isAddress(value);
}
