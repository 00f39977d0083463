import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import {
  DocStatus,
  Roles,
  Status,
  code,
  deployShipmentRegistry,
  deployWithShipment,
  domainOf,
  filingHash,
  id,
  sampleFiling,
  shipmentIdOf,
  signAmendment,
  signFiling,
  type Filing,
} from "../../helpers/shipments";

describe("ShipmentRegistry: filing and amendments", function () {
  describe("initialize", function () {
    it("wires the registries and grants governance to the admin", async function () {
      const { registry, actors, coo, mtr, admin } = await loadFixture(deployShipmentRegistry);
      expect(await registry.actorRegistry()).to.equal(await actors.getAddress());
      expect(await registry.certificateOfOriginRegistry()).to.equal(await coo.getAddress());
      expect(await registry.millTestReportRegistry()).to.equal(await mtr.getAddress());
      expect(await registry.hasRole(await registry.DEFAULT_ADMIN_ROLE(), admin.address)).to.equal(true);
      expect(await registry.hasRole(await registry.UPGRADER_ROLE(), admin.address)).to.equal(true);
      expect(await registry.hasRole(await registry.PAUSER_ROLE(), admin.address)).to.equal(true);
      expect(await registry.CBP_ROLE()).to.equal(id("CBP_ROLE"));
    });

    it("rejects zero registries and a zero admin", async function () {
      const { actors, coo, mtr, admin } = await loadFixture(deployShipmentRegistry);
      const factory = await ethers.getContractFactory("ShipmentRegistry");
      const a = await actors.getAddress();
      const c = await coo.getAddress();
      const m = await mtr.getAddress();
      const z = ethers.ZeroAddress;
      for (const args of [
        [admin.address, z, c, m],
        [admin.address, a, z, m],
        [admin.address, a, c, z],
        [z, a, c, m],
      ]) {
        await expect(upgrades.deployProxy(factory, args, { kind: "uups" })).to.be.revertedWithCustomError(
          factory,
          "ZeroAddress",
        );
      }
    });

    it("can't be initialised twice", async function () {
      const { registry, actors, coo, mtr, admin } = await loadFixture(deployShipmentRegistry);
      await expect(
        registry.initialize(admin.address, await actors.getAddress(), await coo.getAddress(), await mtr.getAddress()),
      ).to.be.revertedWithCustomError(registry, "InvalidInitialization");
    });
  });

  describe("broker authorisation", function () {
    it("lets an importer authorise and de-authorise a broker", async function () {
      const { registry, importer, broker } = await loadFixture(deployShipmentRegistry);
      expect(await registry.isBrokerAuthorized(importer.address, broker.address)).to.equal(true);
      await expect(registry.connect(importer).setBrokerAuthorization(broker.address, false))
        .to.emit(registry, "BrokerAuthorizationSet")
        .withArgs(importer.address, broker.address, false);
      expect(await registry.isBrokerAuthorized(importer.address, broker.address)).to.equal(false);
    });

    it("rejects the zero address and self-authorisation", async function () {
      const { registry, importer } = await loadFixture(deployShipmentRegistry);
      await expect(
        registry.connect(importer).setBrokerAuthorization(ethers.ZeroAddress, true),
      ).to.be.revertedWithCustomError(registry, "ZeroAddress");
      await expect(registry.connect(importer).setBrokerAuthorization(importer.address, true))
        .to.be.revertedWithCustomError(registry, "SelfAuthorization")
        .withArgs(importer.address);
    });
  });

  describe("fileShipment (direct)", function () {
    it("files for the importer itself and emits every field", async function () {
      const { registry, importer, parties } = await loadFixture(deployShipmentRegistry);
      const reference = id("s-direct");
      const shipmentId = shipmentIdOf(importer.address, reference);
      const filing = sampleFiling(parties);
      const tx = registry.connect(importer).fileShipment(reference, filing);
      await expect(tx)
        .to.emit(registry, "ShipmentFiled")
        .withArgs(
          shipmentId,
          importer.address,
          importer.address,
          reference,
          filingHash(filing),
          anyFiling(filing),
          importer.address,
        );

      const s = await registry.shipmentOf(shipmentId);
      expect(s.importer).to.equal(importer.address);
      expect(s.filer).to.equal(importer.address);
      expect(s.status).to.equal(Status.Filed);
      expect(s.version).to.equal(1n);
      expect(s.lineCount).to.equal(3n);
      expect(s.activeHolds).to.equal(0n);
      expect(s.exporter).to.equal(parties.exporter);
      expect(s.manufacturer).to.equal(parties.manufacturer);
      expect(s.carrier).to.equal(parties.carrier);
      expect(await registry.versionHashOf(shipmentId, 1)).to.equal(filingHash(filing));
      expect(await registry.hashFiling(filing)).to.equal(filingHash(filing));
      expect(await registry.versionHashOf(shipmentId, 2)).to.equal(ethers.ZeroHash);
    });

    it("decodes the full filing from the ShipmentFiled event", async function () {
      const { registry, broker, importer, parties } = await loadFixture(deployShipmentRegistry);
      const shipmentId = id("s-event");
      const filing = sampleFiling(parties, { transshipmentCountries: [code("JP"), code("SG")] });
      const receipt = await (await registry.connect(broker).fileShipment(shipmentId, filing)).wait();
      const log = receipt!.logs.map((l) => registry.interface.parseLog(l)).find((e) => e?.name === "ShipmentFiled");
      expect(log!.args.importer).to.equal(importer.address);
      expect(log!.args.filer).to.equal(broker.address);
      const f = log!.args.filing;
      expect(f.parties.exporter).to.equal(parties.exporter);
      expect(f.lines.length).to.equal(3);
      expect(f.lines[1].hts).to.equal(7306191010n);
      expect(f.lines[1].declaredKg).to.equal(8_500n);
      expect(f.lines[1].declaredValueCents).to.equal(990_000n);
      expect(f.lines[1].originCountry).to.equal(code("KR"));
      expect([...f.transshipmentCountries]).to.deep.equal([code("JP"), code("SG")]);
      expect(f.portOfLading).to.equal(code("KRPUS"));
      expect(f.portOfEntry).to.equal(code("USHOU"));
      expect(f.estimatedArrival).to.equal(1_900_000_000n);
      expect(f.billOfLading).to.equal("MAEU123456789");
      expect(f.entryNumber).to.equal("ABC-1234567-8");
      expect(f.workflowInstanceId).to.equal(id("workflow-1"));
    });

    it("files through an authorised, active broker", async function () {
      const { registry, broker, importer, parties } = await loadFixture(deployShipmentRegistry);
      const shipmentId = shipmentIdOf(importer.address, id("s-broker"));
      await expect(registry.connect(broker).fileShipment(id("s-broker"), sampleFiling(parties)))
        .to.emit(registry, "ShipmentFiled")
        .withArgs(shipmentId, importer.address, broker.address, id("s-broker"), anyValue, anyValue, broker.address);
      expect((await registry.shipmentOf(shipmentId)).filer).to.equal(broker.address);
    });

    it("rejects an inactive importer, whoever files", async function () {
      const { registry, actors, importer, broker, parties } = await loadFixture(deployShipmentRegistry);
      await actors.setActive(importer.address, 0);
      for (const filer of [importer, broker]) {
        await expect(registry.connect(filer).fileShipment(id("s"), sampleFiling(parties)))
          .to.be.revertedWithCustomError(registry, "ActorNotActive")
          .withArgs(importer.address, Roles.IMPORTER);
      }
    });

    it("rejects a filer who is not an active customs broker", async function () {
      const { registry, actors, broker, outsider, parties } = await loadFixture(deployShipmentRegistry);
      await expect(registry.connect(outsider).fileShipment(id("s"), sampleFiling(parties)))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(outsider.address, Roles.CUSTOMS_BROKER);
      await actors.setActive(broker.address, Roles.IMPORTER);
      await expect(registry.connect(broker).fileShipment(id("s"), sampleFiling(parties)))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(broker.address, Roles.CUSTOMS_BROKER);
    });

    it("rejects a broker the importer did not authorise", async function () {
      const { registry, importer, importer2, broker, parties } = await loadFixture(deployShipmentRegistry);
      const other = sampleFiling({ ...parties, importer: importer2.address });
      await expect(registry.connect(broker).fileShipment(id("s"), other))
        .to.be.revertedWithCustomError(registry, "BrokerNotAuthorized")
        .withArgs(importer2.address, broker.address);
      await registry.connect(importer).setBrokerAuthorization(broker.address, false);
      await expect(registry.connect(broker).fileShipment(id("s"), sampleFiling(parties)))
        .to.be.revertedWithCustomError(registry, "BrokerNotAuthorized")
        .withArgs(importer.address, broker.address);
    });

    it("rejects a zero or reused filing reference", async function () {
      const { registry, importer, parties } = await loadFixture(deployShipmentRegistry);
      await expect(registry.connect(importer).fileShipment(ethers.ZeroHash, sampleFiling(parties)))
        .to.be.revertedWithCustomError(registry, "InvalidFilingReference")
        .withArgs(ethers.ZeroHash);
      await registry.connect(importer).fileShipment(id("dup"), sampleFiling(parties));
      await expect(registry.connect(importer).fileShipment(id("dup"), sampleFiling(parties)))
        .to.be.revertedWithCustomError(registry, "ShipmentAlreadyFiled")
        .withArgs(shipmentIdOf(importer.address, id("dup")));
    });

    it("rejects a missing party, naming which", async function () {
      const { registry, importer, parties } = await loadFixture(deployShipmentRegistry);
      const keys = ["importer", "exporter", "manufacturer", "carrier"] as const;
      for (let i = 0; i < keys.length; i++) {
        const filing = sampleFiling({ ...parties, [keys[i]]: ethers.ZeroAddress });
        await expect(registry.connect(importer).fileShipment(id("s"), filing))
          .to.be.revertedWithCustomError(registry, "MissingParty")
          .withArgs(i);
      }
    });

    it("rejects bad line counts and bad lines", async function () {
      const { registry, importer, parties } = await loadFixture(deployShipmentRegistry);
      const base = sampleFiling(parties);
      const line = (base.lines as Filing["lines"])[0];
      const reject = (filing: Filing) => expect(registry.connect(importer).fileShipment(id("s"), filing));

      await reject({ ...base, lines: [] })
        .to.be.revertedWithCustomError(registry, "InvalidLineCount")
        .withArgs(0);
      await reject({ ...base, lines: Array(1000).fill(line) })
        .to.be.revertedWithCustomError(registry, "InvalidLineCount")
        .withArgs(1000);
      await reject({ ...base, lines: [line, { ...line, hts: 99_999_999n }] })
        .to.be.revertedWithCustomError(registry, "InvalidHts")
        .withArgs(1, 99_999_999n);
      await reject({ ...base, lines: [{ ...line, hts: 10_000_000_000n }] })
        .to.be.revertedWithCustomError(registry, "InvalidHts")
        .withArgs(0, 10_000_000_000n);
      await reject({ ...base, lines: [line, line, { ...line, declaredKg: 0n }] })
        .to.be.revertedWithCustomError(registry, "ZeroDeclaredWeight")
        .withArgs(2);
      await reject({ ...base, lines: [{ ...line, originCountry: code("kr") }] })
        .to.be.revertedWithCustomError(registry, "InvalidCountry")
        .withArgs(code("kr"));
    });

    it("accepts 999 lines and a chapter-01 HTS number", async function () {
      const { registry, importer, parties } = await loadFixture(deployShipmentRegistry);
      const base = sampleFiling(parties);
      const line = { ...(base.lines as Filing["lines"])[0], hts: 101_210_010n };
      await registry.connect(importer).fileShipment(id("big"), { ...base, lines: Array(999).fill(line) });
      expect((await registry.shipmentOf(shipmentIdOf(importer.address, id("big")))).lineCount).to.equal(999n);
    });

    it("rejects bad countries, ports, arrival and bill of lading", async function () {
      const { registry, importer, parties } = await loadFixture(deployShipmentRegistry);
      const base = sampleFiling(parties);
      const reject = (filing: Filing) => expect(registry.connect(importer).fileShipment(id("s"), filing));
      await reject({ ...base, exportCountry: code("K1") })
        .to.be.revertedWithCustomError(registry, "InvalidCountry")
        .withArgs(code("K1"));
      await reject({ ...base, transshipmentCountries: [code("JP"), "0x0000"] })
        .to.be.revertedWithCustomError(registry, "InvalidCountry")
        .withArgs("0x0000");
      await reject({ ...base, portOfLading: code("KRPU1") })
        .to.be.revertedWithCustomError(registry, "InvalidPort")
        .withArgs(code("KRPU1"));
      await reject({ ...base, portOfEntry: code("us123") })
        .to.be.revertedWithCustomError(registry, "InvalidPort")
        .withArgs(code("us123"));
      await reject({ ...base, estimatedArrival: 0n })
        .to.be.revertedWithCustomError(registry, "InvalidEstimatedArrival")
        .withArgs(0);
      await reject({ ...base, billOfLading: "" }).to.be.revertedWithCustomError(registry, "EmptyBillOfLading");
    });

    it("accepts an empty entry number, no transshipment and a zero workflow id", async function () {
      const { registry, importer, parties } = await loadFixture(deployShipmentRegistry);
      const filing = sampleFiling(parties, {
        entryNumber: "",
        transshipmentCountries: [],
        workflowInstanceId: ethers.ZeroHash,
      });
      await registry.connect(importer).fileShipment(id("s"), filing);
      expect(await registry.versionHashOf(shipmentIdOf(importer.address, id("s")), 1)).to.equal(filingHash(filing));
    });
  });

  describe("fileShipmentBySig (EIP-712 delegation)", function () {
    it("files for the signer, relayed by anyone, and consumes the nonce", async function () {
      const { registry, broker, importer, relayer, parties } = await loadFixture(deployShipmentRegistry);
      const reference = id("s-sig");
      const shipmentId = shipmentIdOf(importer.address, reference);
      const filing = sampleFiling(parties);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signFiling(registry, broker, reference, filing, broker.address, deadline);
      await expect(registry.connect(relayer).fileShipmentBySig(reference, filing, broker.address, deadline, sig))
        .to.emit(registry, "ShipmentFiled")
        .withArgs(
          shipmentId,
          importer.address,
          broker.address,
          reference,
          filingHash(filing),
          anyValue,
          relayer.address,
        );
      expect(await registry.nonces(broker.address)).to.equal(1n);
      expect((await registry.shipmentOf(shipmentId)).filer).to.equal(broker.address);
    });

    it("exposes the EIP-712 domain separator that signers must use", async function () {
      const { registry } = await loadFixture(deployShipmentRegistry);
      expect(await registry.domainSeparator()).to.equal(ethers.TypedDataEncoder.hashDomain(await domainOf(registry)));
    });

    it("can't be replayed", async function () {
      const { registry, broker, relayer, parties } = await loadFixture(deployShipmentRegistry);
      const filing = sampleFiling(parties);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signFiling(registry, broker, id("a"), filing, broker.address, deadline);
      await registry.connect(relayer).fileShipmentBySig(id("a"), filing, broker.address, deadline, sig);
      // Same signature again: the nonce has moved on, so the digest no longer matches.
      await expect(registry.connect(relayer).fileShipmentBySig(id("a"), filing, broker.address, deadline, sig))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(broker.address);
    });

    it("rejects an expired signature", async function () {
      const { registry, broker, relayer, parties } = await loadFixture(deployShipmentRegistry);
      const filing = sampleFiling(parties);
      const deadline = BigInt(await time.latest()) + 60n;
      const sig = await signFiling(registry, broker, id("a"), filing, broker.address, deadline);
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(registry.connect(relayer).fileShipmentBySig(id("a"), filing, broker.address, deadline, sig))
        .to.be.revertedWithCustomError(registry, "SignatureExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("rejects a signature by someone other than the named filer", async function () {
      const { registry, broker, outsider, relayer, parties } = await loadFixture(deployShipmentRegistry);
      const filing = sampleFiling(parties);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signFiling(registry, outsider, id("a"), filing, broker.address, deadline);
      await expect(registry.connect(relayer).fileShipmentBySig(id("a"), filing, broker.address, deadline, sig))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(broker.address);
    });

    it("rejects a signature over other data", async function () {
      const { registry, broker, relayer, parties } = await loadFixture(deployShipmentRegistry);
      const filing = sampleFiling(parties);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signFiling(registry, broker, id("a"), filing, broker.address, deadline);
      const tampered = { ...filing, billOfLading: "OTHER" };
      await expect(registry.connect(relayer).fileShipmentBySig(id("a"), tampered, broker.address, deadline, sig))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(broker.address);
      await expect(registry.connect(relayer).fileShipmentBySig(id("b"), filing, broker.address, deadline, sig))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(broker.address);
    });

    it("accepts an ERC-1271 contract wallet as the filer", async function () {
      const { registry, actors, importer, outsider, relayer, parties } = await loadFixture(deployShipmentRegistry);
      const wallet = await (await ethers.getContractFactory("MockERC1271Wallet")).deploy(outsider.address);
      const walletAddress = await wallet.getAddress();
      await actors.setActive(walletAddress, Roles.CUSTOMS_BROKER);
      await registry.connect(importer).setBrokerAuthorization(walletAddress, true);
      const filing = sampleFiling(parties);
      const deadline = BigInt(await time.latest()) + 3600n;
      // The wallet's owner key signs; the registry asks the wallet whether that signature is valid.
      const sig = await signFiling(registry, outsider, id("w"), filing, walletAddress, deadline);
      await expect(registry.connect(relayer).fileShipmentBySig(id("w"), filing, walletAddress, deadline, sig))
        .to.emit(registry, "ShipmentFiled")
        .withArgs(
          shipmentIdOf(importer.address, id("w")),
          importer.address,
          walletAddress,
          id("w"),
          filingHash(filing),
          anyValue,
          relayer.address,
        );
      const forged = await signFiling(registry, relayer, id("w2"), filing, walletAddress, deadline);
      await expect(registry.connect(relayer).fileShipmentBySig(id("w2"), filing, walletAddress, deadline, forged))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(walletAddress);
    });

    it("applies the permission rules to the signer", async function () {
      const { registry, outsider, relayer, parties } = await loadFixture(deployShipmentRegistry);
      const filing = sampleFiling(parties);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signFiling(registry, outsider, id("a"), filing, outsider.address, deadline);
      await expect(registry.connect(relayer).fileShipmentBySig(id("a"), filing, outsider.address, deadline, sig))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(outsider.address, Roles.CUSTOMS_BROKER);
    });
  });

  describe("amendShipment", function () {
    it("adds a version and keeps every earlier version's hash", async function () {
      const { registry, broker, importer, shipmentId, filing } = await loadFixture(deployWithShipment);
      const v2 = { ...filing, entryNumber: "ABC-7654321-0", estimatedArrival: 1_900_100_000n };
      await expect(registry.connect(importer).amendShipment(shipmentId, v2))
        .to.emit(registry, "ShipmentAmended")
        .withArgs(shipmentId, 2, importer.address, filingHash(v2), filingHash(filing), anyValue, importer.address);
      const v3 = { ...v2, lines: (v2.lines as Filing["lines"]).slice(0, 2) };
      await expect(registry.connect(broker).amendShipment(shipmentId, v3))
        .to.emit(registry, "ShipmentAmended")
        .withArgs(shipmentId, 3, broker.address, filingHash(v3), filingHash(v2), anyValue, broker.address);

      expect(await registry.versionHashOf(shipmentId, 1)).to.equal(filingHash(filing));
      expect(await registry.versionHashOf(shipmentId, 2)).to.equal(filingHash(v2));
      expect(await registry.versionHashOf(shipmentId, 3)).to.equal(filingHash(v3));
      const s = await registry.shipmentOf(shipmentId);
      expect(s.version).to.equal(3n);
      expect(s.lineCount).to.equal(2n);
      expect(s.filer).to.equal(broker.address);
    });

    it("carries the full new filing in the event and updates the stored parties", async function () {
      const { registry, importer, carrier2, shipmentId, filing, parties } = await loadFixture(deployWithShipment);
      const v2 = { ...filing, parties: { ...parties, carrier: carrier2.address } };
      const receipt = await (await registry.connect(importer).amendShipment(shipmentId, v2)).wait();
      const log = receipt!.logs.map((l) => registry.interface.parseLog(l)).find((e) => e?.name === "ShipmentAmended");
      expect(log!.args.filing.parties.carrier).to.equal(carrier2.address);
      expect(log!.args.filing.lines.length).to.equal(3);
      expect((await registry.shipmentOf(shipmentId)).carrier).to.equal(carrier2.address);
    });

    it("is allowed after departure but not after arrival", async function () {
      const { registry, importer, carrier, cbp, shipmentId, filing } = await loadFixture(deployWithShipment);
      await registry.connect(carrier).markDeparted(shipmentId, ethers.ZeroHash, ethers.ZeroHash);
      await registry.connect(importer).amendShipment(shipmentId, filing);
      await registry.connect(cbp).markArrived(shipmentId, ethers.ZeroHash, ethers.ZeroHash);
      await expect(registry.connect(importer).amendShipment(shipmentId, filing))
        .to.be.revertedWithCustomError(registry, "TradeDataFrozen")
        .withArgs(shipmentId, Status.Arrived);
    });

    it("rejects an unknown shipment", async function () {
      const { registry, importer, filing } = await loadFixture(deployWithShipment);
      await expect(registry.connect(importer).amendShipment(id("nope"), filing))
        .to.be.revertedWithCustomError(registry, "ShipmentNotFound")
        .withArgs(id("nope"));
    });

    it("rejects anyone but the filer and the importer, even another broker of the importer", async function () {
      const { registry, actors, importer, exporter, outsider, shipmentId, filing } =
        await loadFixture(deployWithShipment);
      await actors.setActive(outsider.address, Roles.CUSTOMS_BROKER);
      await registry.connect(importer).setBrokerAuthorization(outsider.address, true);
      for (const who of [exporter, outsider]) {
        await expect(registry.connect(who).amendShipment(shipmentId, filing))
          .to.be.revertedWithCustomError(registry, "NotAmender")
          .withArgs(shipmentId, who.address);
      }
    });

    it("rejects a filer broker that lost its authorisation or its credential", async function () {
      const { registry, actors, importer, broker, shipmentId, filing } = await loadFixture(deployWithShipment);
      await registry.connect(importer).setBrokerAuthorization(broker.address, false);
      await expect(registry.connect(broker).amendShipment(shipmentId, filing))
        .to.be.revertedWithCustomError(registry, "BrokerNotAuthorized")
        .withArgs(importer.address, broker.address);
      await registry.connect(importer).setBrokerAuthorization(broker.address, true);
      await actors.setActive(broker.address, 0);
      await expect(registry.connect(broker).amendShipment(shipmentId, filing))
        .to.be.revertedWithCustomError(registry, "ActorNotActive")
        .withArgs(broker.address, Roles.CUSTOMS_BROKER);
    });

    it("rejects a change of importer and an invalid filing", async function () {
      const { registry, importer, importer2, shipmentId, filing, parties } = await loadFixture(deployWithShipment);
      await expect(
        registry
          .connect(importer)
          .amendShipment(shipmentId, { ...filing, parties: { ...parties, importer: importer2.address } }),
      )
        .to.be.revertedWithCustomError(registry, "ImporterImmutable")
        .withArgs(shipmentId, importer.address, importer2.address);
      await expect(registry.connect(importer).amendShipment(shipmentId, { ...filing, portOfEntry: code("XXXX1") }))
        .to.be.revertedWithCustomError(registry, "InvalidPort")
        .withArgs(code("XXXX1"));
    });

    it("won't drop a line that still has mill test reports, until they are unlinked", async function () {
      const { registry, importer, mtr, shipmentId, filing, mtrId } = await loadFixture(deployWithShipment);
      await registry.connect(importer).linkMillTestReport(shipmentId, mtrId, 2, 1_000);
      const shorter = { ...filing, lines: (filing.lines as Filing["lines"]).slice(0, 1) };
      await expect(registry.connect(importer).amendShipment(shipmentId, shorter))
        .to.be.revertedWithCustomError(registry, "LineHasLinks")
        .withArgs(shipmentId, 2);
      await registry.connect(importer).unlinkMillTestReport(shipmentId, mtrId, 2);
      await registry.connect(importer).amendShipment(shipmentId, shorter);
      expect((await registry.shipmentOf(shipmentId)).lineCount).to.equal(1n);
      expect(await mtr.remainingKg(mtrId)).to.equal(30_000n);
    });

    it("by signature: relayed, not replayable, bound to the amender", async function () {
      const { registry, importer, relayer, outsider, shipmentId, filing } = await loadFixture(deployWithShipment);
      const v2 = { ...filing, billOfLading: "MAEU000000001" };
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signAmendment(registry, importer, shipmentId, v2, importer.address, deadline);
      await expect(registry.connect(relayer).amendShipmentBySig(shipmentId, v2, importer.address, deadline, sig))
        .to.emit(registry, "ShipmentAmended")
        .withArgs(shipmentId, 2, importer.address, filingHash(v2), filingHash(filing), anyValue, relayer.address);
      await expect(registry.connect(relayer).amendShipmentBySig(shipmentId, v2, importer.address, deadline, sig))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(importer.address);
      const bad = await signAmendment(registry, outsider, shipmentId, v2, importer.address, deadline);
      await expect(registry.connect(relayer).amendShipmentBySig(shipmentId, v2, importer.address, deadline, bad))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(importer.address);
      const late = BigInt(await time.latest()) + 10n;
      const lateSig = await signAmendment(registry, importer, shipmentId, v2, importer.address, late);
      await time.setNextBlockTimestamp(late + 5n);
      await expect(registry.connect(relayer).amendShipmentBySig(shipmentId, v2, importer.address, late, lateSig))
        .to.be.revertedWithCustomError(registry, "SignatureExpired")
        .withArgs(late, late + 5n);
      expect((await registry.shipmentOf(shipmentId)).version).to.equal(2n);
    });

    it("a file signature can't be used as an amendment signature", async function () {
      const { registry, importer, relayer, shipmentId, filing } = await loadFixture(deployWithShipment);
      const deadline = BigInt(await time.latest()) + 3600n;
      const sig = await signFiling(registry, importer, shipmentId, filing, importer.address, deadline);
      await expect(registry.connect(relayer).amendShipmentBySig(shipmentId, filing, importer.address, deadline, sig))
        .to.be.revertedWithCustomError(registry, "InvalidSignature")
        .withArgs(importer.address);
    });
  });

  it("the document mocks keep their statuses (sanity of the harness)", async function () {
    const { coo, cooId } = await loadFixture(deployWithShipment);
    expect((await coo.recordOf(cooId)).status).to.equal(DocStatus.Active);
  });
});

/** Matches a decoded ShipmentFiling tuple against the submitted filing (a few key fields and the hash). */
function anyFiling(expected: Filing) {
  return (value: unknown): boolean => {
    const v = value as { billOfLading: string; lines: unknown[]; portOfEntry: string };
    return (
      v.billOfLading === expected.billOfLading &&
      v.lines.length === (expected.lines as unknown[]).length &&
      v.portOfEntry === expected.portOfEntry
    );
  };
}
