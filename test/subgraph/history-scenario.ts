/**
 * The chain scenario of the history rules' subgraph test (test/subgraph/history.test.ts): deploys the real
 * registries and files weeks of shipments so that each history rule fires once, next to look-alikes that must
 * not. Runs as `hardhat run --network localhost test/subgraph/history-scenario.ts` against the test's node
 * (LOCALHOST_RPC_URL); writes the deployment to TRADETRACE_DEPLOYMENTS_DIR and what happened to SCENARIO_OUT.
 *
 * - exporter "steady" ships 10,000 kg a week to importer 1 for 12 weeks, then 30,000 kg: VOLUME_SURGE;
 * - exporter "router" ships 5,000 kg direct every week, then 2,000 kg through SG: ROUTE_CHANGE, then 2,000 kg to
 *   importer 2: NEW_LANE (its week stays below its usual 5,000 kg);
 * - exporter "plain" ships 5,000 kg direct every week, and once more in week 12 (look-alike of all three);
 * - exporter "trader", new in week 12, files the shipments that link the heats (no history: no history flag);
 * - heat H-1 of the mill is linked by importers 1-4, one shipment each: HEAT_DISPERSION on the 4th link;
 *   heat H-2 by four shipments of importers 1-3 (look-alike: 3 distinct importers).
 */
import fs from "node:fs";
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ContractTransactionResponse } from "ethers";
import { attachRegistries, deployAll } from "../../scripts/lib/deployments";
import { ALL_ROLES, BusinessRole, makeCredential, onboardActor } from "../helpers/actors";
import { mtr, recordIdOf } from "../helpers/documents";
import { code, id, shipmentIdOf, type Filing } from "../helpers/shipments";

/** What the scenario did: addresses, shipment ids by name, the block of each step. */
export interface HistoryScenarioResult {
  addresses: Record<string, string>;
  shipments: Record<string, string>;
  steps: Record<string, number>;
  stepTimes: Record<string, number>;
}

const WEEK = 604_800;
const HTS_PIPE = 7304191020n;

async function main(): Promise<void> {
  const deploymentsDir = process.env.TRADETRACE_DEPLOYMENTS_DIR;
  const out = process.env.SCENARIO_OUT;
  if (!deploymentsDir || !out) throw new Error("TRADETRACE_DEPLOYMENTS_DIR and SCENARIO_OUT are required");
  const signers = await ethers.getSigners();
  const [cbp, issuer, mill, steady, router, plain, trader, carrier, relayer] = signers;
  const importers = signers.slice(9, 13);

  const { deployment } = await deployAll(hre, { deploymentsDir, log: () => undefined });
  const { actorRegistry: actors, millTestReports: mtrs, shipments } = await attachRegistries(hre, deployment);

  const steps: Record<string, number> = {};
  const stepTimes: Record<string, number> = {};
  const ids: Record<string, string> = {};
  const step = async (name: string, sent: Promise<ContractTransactionResponse>): Promise<void> => {
    const receipt = await (await sent).wait();
    if (!receipt) throw new Error(`no receipt for ${name}`);
    steps[name] = receipt.blockNumber;
    stepTimes[name] = (await ethers.provider.getBlock(receipt.blockNumber))!.timestamp;
  };
  await step("trustIssuer", actors.connect(cbp).setTrustedIssuer(issuer.address, ALL_ROLES));
  const onboard = async (name: string, signer: HardhatEthersSigner, roles: number) => {
    const credential = await makeCredential(signer.address, roles, { country: code("KR") });
    await step(`onboard:${name}`, onboardActor(actors, issuer, credential, { submitter: relayer }));
  };
  await onboard("mill", mill, BusinessRole.Mill);
  for (const [name, signer] of [
    ["steady", steady],
    ["router", router],
    ["plain", plain],
    ["trader", trader],
  ] as const)
    await onboard(name, signer, BusinessRole.Exporter);
  for (let i = 0; i < importers.length; i++) await onboard(`importer${i + 1}`, importers[i], BusinessRole.Importer);
  await onboard("carrier", carrier, BusinessRole.Carrier);

  // Start at the beginning of a week, plus a day, so that each filing's week is known.
  const now = await time.latest();
  await time.increaseTo((Math.floor(now / WEEK) + 1) * WEEK + 86_400);

  /** Files shipment `name` of `exporter` to importer `i` (1-based): one line of `kg` from KR. */
  const file = async (name: string, exporter: HardhatEthersSigner, i: number, kg: bigint, via: string[] = []) => {
    const importer = importers[i - 1];
    const filing: Filing = {
      parties: {
        importer: importer.address,
        exporter: exporter.address,
        manufacturer: mill.address,
        carrier: carrier.address,
      },
      lines: [{ hts: HTS_PIPE, declaredKg: kg, declaredValueCents: kg * 150n, originCountry: code("KR") }],
      exportCountry: code("KR"),
      transshipmentCountries: via.map(code),
      portOfLading: code("KRPUS"),
      portOfEntry: code("USHOU"),
      estimatedArrival: BigInt(await time.latest()) + 20n * 86_400n,
      billOfLading: `BOL-${name}`,
      entryNumber: "",
      workflowInstanceId: id(`workflow:${name}`),
    };
    await step(`${name}:file`, shipments.connect(importer).fileShipment(id(name), filing));
    ids[name] = shipmentIdOf(importer.address, id(name));
  };

  // Twelve quiet weeks, then week 12.
  for (let w = 0; w < 12; w++) {
    await file(`steady${w}`, steady, 1, 10_000n);
    await file(`router${w}`, router, 1, 5_000n);
    await file(`plain${w}`, plain, 1, 5_000n);
    await time.increase(WEEK);
  }
  await file("surge", steady, 1, 30_000n);
  await file("rerouted", router, 1, 2_000n, ["SG"]);
  await file("newLane", router, 2, 2_000n);
  await file("plainDirect", plain, 1, 5_000n);

  // Two heats of the mill, every importer approved to allocate them (SECURITY.md R1).
  for (const heat of ["H-1", "H-2"]) {
    const report = mtr(heat, { heatNumber: heat, totalKg: 100_000n, countryOfMeltAndPour: code("KR") });
    await step(`issue:${heat}`, mtrs.connect(mill).issue(report));
    ids[`report:${heat}`] = recordIdOf(mill.address, report.contentHash);
    for (const importer of importers)
      await (await mtrs.connect(mill).approveAllocator(ids[`report:${heat}`], importer.address, true)).wait();
  }
  for (let i = 1; i <= 4; i++) await file(`heat${i}`, trader, i, 2_000n);
  await file("heat3b", trader, 3, 2_000n);
  const link = async (heat: string, shipment: string, i: number) =>
    step(
      `link:${heat}:${shipment}`,
      shipments.connect(importers[i - 1]).linkMillTestReport(ids[shipment], ids[`report:${heat}`], 0, 500n),
    );
  for (let i = 1; i <= 4; i++) await link("H-1", `heat${i}`, i);
  // H-2: three importers, the third with two shipments
  for (const [shipment, i] of [
    ["heat1", 1],
    ["heat2", 2],
    ["heat3", 3],
    ["heat3b", 3],
  ] as const)
    await link("H-2", shipment, i);

  // A block a day later closes the surge day's buckets.
  await time.increase(86_400);
  await step("close", actors.connect(cbp).setTrustedIssuer(issuer.address, ALL_ROLES));

  const addresses: Record<string, string> = {
    mill: mill.address,
    steady: steady.address,
    router: router.address,
    plain: plain.address,
    trader: trader.address,
  };
  importers.forEach((s, i) => (addresses[`importer${i + 1}`] = s.address));
  const result: HistoryScenarioResult = { addresses, shipments: ids, steps, stepTimes };
  fs.writeFileSync(out, JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
