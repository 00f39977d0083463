import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { contentHash as contentHashOf } from "../../../scripts/credentials/jcs";
import {
  country,
  deployDocuments,
  EXAMPLE_CHEMISTRY,
  EXAMPLE_MECHANICS,
  mtr,
  recordIdOf,
} from "../../helpers/documents";
import { eventsOf, normalise, plain } from "../../helpers/events";
import { Roles } from "../../helpers/roles";
import {
  HARDNESS_SCALES,
  NOT_REPORTED_PPM,
  NOT_REPORTED_U32,
  packChemistryPercent,
  packChemistryPpm,
  packMechanics,
  unpackChemistry,
  unpackMechanics,
} from "../../../scripts/credentials/steelCodec";

/** The W3C traceability example credential, as a mill would anchor it. */
const EXAMPLE_CREDENTIAL = {
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/traceability/v1"],
  type: ["VerifiableCredential", "MillTestReportCredential"],
  issuer: { type: ["Organization"], id: "did:web:organization.example.com", name: "Tall Steel, Inc" },
  validFrom: "2022-06-06T08:10:00+00:00",
  credentialSubject: {
    certificateNumber: "202304215088",
    productSpecification: { type: ["SteelProduct"], standard: "AISI/SAE", grade: "316" },
    inspections: [
      {
        type: ["Inspection"],
        heatNumber: "61316",
        countryOfMeltAndPour: "US",
        countryOfManufacture: "US",
        totalWeight: { type: ["MeasuredValue"], value: "289600", unitCode: "KG" },
      },
    ],
  },
};

describe("MillTestReportRegistry", function () {
  describe("issued event", function () {
    it("carries every field of the W3C example report, anchored by its JCS SHA-256", async function () {
      const { mtrRegistry, mill } = await loadFixture(deployDocuments);
      const report = mtr("EX", {
        contentHash: contentHashOf(EXAMPLE_CREDENTIAL),
        certificateNumber: "202304215088",
        heatNumber: "61316",
        productStandard: "AISI/SAE",
        grade: "316",
      });
      const [event] = await eventsOf(mtrRegistry.connect(mill).issue(report), mtrRegistry, "MillTestReportIssued");
      expect(event.args.recordId).to.equal(recordIdOf(mill.address, contentHashOf(EXAMPLE_CREDENTIAL)));
      expect(event.args.contentHash).to.equal(contentHashOf(EXAMPLE_CREDENTIAL));
      expect(event.args.issuer).to.equal(mill.address);
      expect(event.args.supersedes).to.equal(ethers.ZeroHash);
      expect(event.args.derived).to.equal(false);
      const emitted = plain(event.args.report) as Record<string, unknown>;
      expect(normalise(emitted)).to.deep.equal(normalise(report));
      // The subgraph decodes chemistry and mechanics from the packed words.
      const chemistry = unpackChemistry(emitted.chemistry as bigint[]);
      expect(chemistry.c).to.equal(189n);
      expect(chemistry.cr).to.equal(165_580n);
      expect(chemistry.nbCb).to.equal(0n);
      expect(chemistry.ce).to.equal(3882n);
      const mechanics = unpackMechanics(emitted.mechanics as bigint);
      expect(mechanics.yieldStrength).to.equal(64871n);
      expect(mechanics.elongation).to.equal(3200n);
      expect(mechanics.hardnessScale).to.equal(BigInt(HARDNESS_SCALES.HRB));
      expect(await mtrRegistry.meltAndPourCountriesOf(recordIdOf(mill.address, report.contentHash))).to.deep.equal([
        country("US"),
      ]);
      expect(await mtrRegistry.isDerived(recordIdOf(mill.address, report.contentHash))).to.equal(false);
    });

    it("accepts unreported chemistry and mechanics", async function () {
      const { mtrRegistry, mill } = await loadFixture(deployDocuments);
      const report = mtr("NR", { chemistry: packChemistryPpm({}), mechanics: packMechanics({}) });
      await mtrRegistry.connect(mill).issue(report);
      expect((await mtrRegistry.recordOf(recordIdOf(mill.address, report.contentHash))).totalKg).to.equal(
        report.totalKg,
      );
      expect(unpackChemistry(packChemistryPpm({})).mo).to.equal(NOT_REPORTED_PPM);
    });

    it("returns no countries and no lineage for an unknown record", async function () {
      const { mtrRegistry } = await loadFixture(deployDocuments);
      expect(await mtrRegistry.meltAndPourCountriesOf(ethers.ZeroHash)).to.deep.equal([]);
      expect(await mtrRegistry.isDerived(ethers.ZeroHash)).to.equal(false);
    });
  });

  describe("validation", function () {
    async function rejects(overrides: Parameters<typeof mtr>[1], error: string, args?: unknown[]) {
      const { mtrRegistry, mill } = await loadFixture(deployDocuments);
      const report = mtr("V", overrides);
      const assertion = expect(mtrRegistry.connect(mill).issue(report)).to.be.revertedWithCustomError(
        mtrRegistry,
        error,
      );
      if (args) await assertion.withArgs(...args);
      else await assertion;
      expect((await mtrRegistry.recordOf(recordIdOf(mill.address, report.contentHash))).status).to.equal(0n);
    }

    it("rejects zero weight", () => rejects({ totalKg: 0n }, "ZeroWeight"));
    it("rejects an empty heat number", () => rejects({ heatNumber: "" }, "EmptyHeatNumber", [mtr("V").contentHash]));
    it("rejects a malformed country of melt and pour", () =>
      rejects({ countryOfMeltAndPour: country("us") }, "InvalidCountry", [country("us")]));
    it("rejects a malformed country of manufacture", () =>
      rejects({ countryOfManufacture: "0x0000" }, "InvalidCountry", ["0x0000"]));
    it("rejects a chemistry value above 100 %", () =>
      rejects({ chemistry: packChemistryPpm({ c: 1_000_001n }) }, "InvalidChemistry", [0n, 1_000_001n]));
    it("rejects a chemistry value in the second word above 100 %", () =>
      rejects({ chemistry: packChemistryPpm({ ce: 2_000_000n }) }, "InvalidChemistry", [18n, 2_000_000n]));
    it("rejects set padding bits in chemistry word 0", () =>
      rejects({ chemistry: [EXAMPLE_CHEMISTRY[0] | (1n << 250n), EXAMPLE_CHEMISTRY[1]] }, "InvalidChemistry", [
        19n,
        1n << 10n,
      ]));
    it("rejects set padding bits in chemistry word 1", () =>
      rejects({ chemistry: [EXAMPLE_CHEMISTRY[0], EXAMPLE_CHEMISTRY[1] | (1n << 216n)] }, "InvalidChemistry", [
        20n,
        1n,
      ]));
    it("accepts exactly 100 % in chemistry", async function () {
      const { mtrRegistry, mill } = await loadFixture(deployDocuments);
      await mtrRegistry.connect(mill).issue(mtr("FE", { chemistry: packChemistryPercent({ c: 100 }) }));
      expect(await mtrRegistry.isUsable(recordIdOf(mill.address, mtr("FE").contentHash))).to.equal(true);
    });
    it("rejects elongation above 100 %", () =>
      rejects({ mechanics: packMechanics({ elongation: 10_001 }) }, "InvalidMechanics", [2n, 10_001n]));
    it("rejects reduction of area above 100 %", () =>
      rejects({ mechanics: packMechanics({ reductionOfArea: 20_000 }) }, "InvalidMechanics", [3n, 20_000n]));
    it("rejects an unknown hardness scale", () =>
      rejects({ mechanics: packMechanics({ hardness: 100, hardnessScale: 5 }) }, "InvalidMechanics", [6n, 5n]));
    it("rejects a hardness without scale", () =>
      rejects({ mechanics: packMechanics({ hardness: 8600 }) }, "InvalidMechanics", [5n, 8600n]));
    it("rejects a hardness scale without hardness", () =>
      rejects({ mechanics: packMechanics({ hardnessScale: HARDNESS_SCALES.HV }) }, "InvalidMechanics", [
        5n,
        NOT_REPORTED_U32,
      ]));
    it("rejects set padding bits in mechanics", () =>
      rejects({ mechanics: EXAMPLE_MECHANICS | (1n << 200n) }, "InvalidMechanics", [7n, 1n]));

    it("only lets a MILL issue", async function () {
      const { mtrRegistry, processor, certifier } = await loadFixture(deployDocuments);
      for (const signer of [processor, certifier]) {
        await expect(mtrRegistry.connect(signer).issue(mtr("R")))
          .to.be.revertedWithCustomError(mtrRegistry, "ActorNotActive")
          .withArgs(signer.address, Roles.MILL);
      }
    });
  });
});
