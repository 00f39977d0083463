/**
 * The chain scenario of the subgraph test: deploys the real registries with the deploy script and produces every
 * event the subgraph indexes, raising and clearing each risk rule. Runs as
 * `hardhat run --network localhost test/subgraph/scenario.ts` against the test's `hardhat node`
 * (LOCALHOST_RPC_URL), writes the deployment to TRADETRACE_DEPLOYMENTS_DIR and what happened (addresses, record
 * ids, the block of each step) to SCENARIO_OUT.
 */
import fs from "node:fs";
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { BytesLike, ContractTransactionResponse } from "ethers";
import { attachRegistries, deployAll } from "../../scripts/lib/deployments";
import { ALL_ROLES, BusinessRole, makeCredential, onboardActor } from "../helpers/actors";
import { coo, mtr, recordIdOf } from "../helpers/documents";
import { code, id, shipmentIdOf, type Filing } from "../helpers/shipments";
import { packChemistryPpm, packMechanics } from "../../scripts/credentials/steelCodec";
import { HEAT_CHEMISTRY_PPM, HEAT_MECHANICS, type ScenarioResult } from "./scenario-data";

const DAY = 86_400n;
const hex = (value: BytesLike): string => ethers.hexlify(value);
const HOUR = 3_600n;

async function main(): Promise<void> {
  const deploymentsDir = process.env.TRADETRACE_DEPLOYMENTS_DIR;
  const out = process.env.SCENARIO_OUT;
  if (!deploymentsDir || !out) throw new Error("TRADETRACE_DEPLOYMENTS_DIR and SCENARIO_OUT are required");
  const signers = await ethers.getSigners();
  const [cbp, issuer, mill, mill2, processor, chamber, exporter, newExporter, importer, broker, carrier] = signers;
  const [stranger, revokedActor, relayer, issuer2, expiredMill, orphan] = signers.slice(11);

  const { deployment } = await deployAll(hre, { deploymentsDir, log: () => undefined });
  const {
    actorRegistry: actors,
    millTestReports: mtrs,
    certificatesOfOrigin: coos,
    shipments,
  } = await attachRegistries(hre, deployment);

  const steps: Record<string, number> = {};
  const stepTimes: Record<string, number> = {};
  const step = async (name: string, sent: Promise<ContractTransactionResponse>): Promise<void> => {
    const receipt = await (await sent).wait();
    if (!receipt) throw new Error(`no receipt for ${name}`);
    steps[name] = receipt.blockNumber;
    stepTimes[name] = (await ethers.provider.getBlock(receipt.blockNumber))!.timestamp;
  };

  // Governance, and the actors; all but the newcomer are onboarded 100 days before the filings.
  await step("trustIssuer", actors.connect(cbp).setTrustedIssuer(issuer.address, ALL_ROLES));
  await (await shipments.connect(cbp).grantRole(await shipments.CBP_ROLE(), cbp.address)).wait();
  const onboard = async (name: string, signer: HardhatEthersSigner, roles: number, country: string) => {
    const credential = await makeCredential(signer.address, roles, { country: code(country) });
    await step(`onboard:${name}`, onboardActor(actors, issuer, credential, { submitter: relayer }));
    return credential;
  };
  await onboard("mill", mill, BusinessRole.Mill, "KR");
  await onboard("mill2", mill2, BusinessRole.Mill, "CN");
  await onboard("processor", processor, BusinessRole.Processor, "KR");
  await onboard("chamber", chamber, BusinessRole.Certifier, "KR");
  await onboard("exporter", exporter, BusinessRole.Exporter, "KR");
  await onboard("importer", importer, BusinessRole.Importer, "US");
  await onboard("broker", broker, BusinessRole.CustomsBroker, "US");
  const carrierCredential = await onboard("carrier", carrier, BusinessRole.Carrier, "PA");
  const revoked = await onboard("revokedActor", revokedActor, BusinessRole.Carrier, "PA");
  await step("revokeCredential", actors.connect(issuer).revokeCredential(revoked.credentialId, id("FRAUD")));
  await step("suspend", actors.connect(cbp).suspend(mill2.address, id("AUDIT")));
  await step("reinstate", actors.connect(cbp).reinstate(mill2.address, id("AUDIT-OK")));
  const renewedCarrierCredential = await onboard("carrier:renewal", carrier, BusinessRole.Carrier, "PA");
  // R2: issuer2 credentials an actor, is narrowed, then removed; the actor loses the roles at once, and a credential
  // from the first issuer restores it.
  const both = BusinessRole.Certifier | BusinessRole.Exporter;
  await step("trustIssuer2", actors.connect(cbp).setTrustedIssuer(issuer2.address, both));
  const orphanCredential = await makeCredential(orphan.address, both, { country: code("KR") });
  await step("onboard:orphan", onboardActor(actors, issuer2, orphanCredential, { submitter: relayer }));
  await step("narrowIssuer2", actors.connect(cbp).setTrustedIssuer(issuer2.address, BusinessRole.Certifier));
  await step("removeIssuer2", actors.connect(cbp).removeTrustedIssuer(issuer2.address));
  await onboard("orphan:recredential", orphan, both, "KR");
  // S1 and the A1 repair: a revoked credential followed by a newer one (it stays revoked), then CBP clears the
  // actor's record and a third credential onboards it again, from its own issuer (so the counts above don't move).
  const [repaired, issuer3] = signers.slice(17);
  await step("trustIssuer3", actors.connect(cbp).setTrustedIssuer(issuer3.address, BusinessRole.Mill));
  const repairedCredentials: string[] = [];
  const onboardRepaired = async (name: string) => {
    const credential = await makeCredential(repaired.address, BusinessRole.Mill, { country: code("KR") });
    await step(name, onboardActor(actors, issuer3, credential, { submitter: relayer }));
    repairedCredentials.push(hex(credential.credentialId));
  };
  await onboardRepaired("onboard:repaired");
  await step("revoke:repaired", actors.connect(cbp).revokeCredential(repairedCredentials[0], id("FRAUD")));
  await onboardRepaired("onboard:repaired:renewal");
  await step("clear:repaired", actors.connect(cbp).clearCredential(repaired.address, id("REPAIR")));
  await onboardRepaired("onboard:repaired:afterClear");
  await (await shipments.connect(importer).setBrokerAuthorization(broker.address, true)).wait();
  // A mill whose credential runs out after a day: expired by the time it is named in a filing.
  const dayOnly = await makeCredential(expiredMill.address, BusinessRole.Mill, { country: code("KR") });
  dayOnly.validUntil = dayOnly.validFrom + DAY;
  await step("onboard:expiredMill", onboardActor(actors, issuer, dayOnly, { submitter: relayer }));
  await time.increase(100n * DAY);

  // Documents: a Korean heat, coil and pipe made from it, a Chinese heat, a report that expires, two certificates.
  const h1 = mtr("H1", {
    heatNumber: "K4471",
    countryOfMeltAndPour: code("KR"),
    countryOfManufacture: code("KR"),
    chemistry: packChemistryPpm(HEAT_CHEMISTRY_PPM),
    mechanics: packMechanics(HEAT_MECHANICS),
    totalKg: 120_000n,
  });
  await step("issue:H1", mtrs.connect(mill).issue(h1));
  // The mill sold the heat to the processor: it approves it to derive from the report (SECURITY.md R1).
  await step(
    "approve:h1-processor",
    mtrs.connect(mill).approveAllocator(recordIdOf(mill.address, h1.contentHash), processor.address, true),
  );
  const coil = mtr("COIL", { heatNumber: "K4471", totalKg: 59_000n, countryOfMeltAndPour: code("KR") });
  await step(
    "derive:COIL",
    mtrs.connect(processor).derive(coil, [{ recordId: recordIdOf(mill.address, h1.contentHash), kg: 60_000n }]),
  );
  const pipe = mtr("PIPE", { heatNumber: "K4471", totalKg: 12_500n, countryOfMeltAndPour: code("KR") });
  await step(
    "derive:PIPE",
    mtrs.connect(processor).derive(pipe, [{ recordId: recordIdOf(processor.address, coil.contentHash), kg: 13_000n }]),
  );
  const cn1 = mtr("CN1", { heatNumber: "C1001", totalKg: 30_000n, countryOfMeltAndPour: code("CN") });
  await step("issue:CN1", mtrs.connect(mill2).issue(cn1));
  const now = BigInt(await time.latest());
  const exp1 = mtr("EXP1", {
    heatNumber: "K4480",
    totalKg: 20_000n,
    countryOfMeltAndPour: code("KR"),
    expiresAt: now + 2n * DAY,
  });
  await step("issue:EXP1", mtrs.connect(mill).issue(exp1));
  const cooKr = coo("KR", exporter.address, importer.address, { countryOfOrigin: code("KR") });
  await step("issue:COO_KR", coos.connect(chamber).issue(cooKr));
  const cooCn = coo("CN", exporter.address, importer.address, { countryOfOrigin: code("CN") });
  await step("issue:COO_CN", coos.connect(chamber).issue(cooCn));
  const cooKr2 = coo("KR2", exporter.address, importer.address, { countryOfOrigin: code("KR") });
  await step("issue:COO_KR2", coos.connect(chamber).issue(cooKr2));

  const parties = {
    importer: importer.address,
    exporter: exporter.address,
    manufacturer: processor.address,
    carrier: carrier.address,
  };
  const filing = async (lines: Filing["lines"], etaIn: bigint, overrides: Partial<Filing> = {}): Promise<Filing> => ({
    parties,
    lines,
    exportCountry: code("KR"),
    transshipmentCountries: [],
    portOfLading: code("KRPUS"),
    portOfEntry: code("USHOU"),
    estimatedArrival: BigInt(await time.latest()) + etaIn,
    billOfLading: "MAEU123456789",
    entryNumber: "",
    workflowInstanceId: id("workflow"),
    ...overrides,
  });
  const line = (hts: bigint, kg: bigint, origin: string) => ({
    hts,
    declaredKg: kg,
    declaredValueCents: kg * 150n,
    originCountry: code(origin),
  });

  // The reports' holders approve the importer, whose shipments take their kilograms (SECURITY.md R1).
  await step(
    "approve:pipe",
    mtrs.connect(processor).approveAllocator(recordIdOf(processor.address, pipe.contentHash), importer.address, true),
  );
  await step(
    "approve:exp1",
    mtrs.connect(mill).approveAllocator(recordIdOf(mill.address, exp1.contentHash), importer.address, true),
  );
  await step(
    "approve:h1",
    mtrs.connect(mill).approveAllocator(recordIdOf(mill.address, h1.contentHash), importer.address, true),
  );
  await step(
    "approve:cn1",
    mtrs.connect(mill2).approveAllocator(recordIdOf(mill2.address, cn1.contentHash), importer.address, true),
  );

  // Shipment A: pipe and plate from Korea; its documents go bad one after the other.
  const A = shipmentIdOf(importer.address, id("shipment:A"));
  const filingA = await filing([line(7304191020n, 12_000n, "KR"), line(7208510030n, 10_000n, "KR")], 10n * DAY);
  await step("A:file", shipments.connect(broker).fileShipment(id("shipment:A"), filingA));
  await step(
    "A:linkPipe",
    shipments.connect(broker).linkMillTestReport(A, recordIdOf(processor.address, pipe.contentHash), 0, 12_000n),
  );
  await step(
    "A:linkExp1",
    shipments.connect(broker).linkMillTestReport(A, recordIdOf(mill.address, exp1.contentHash), 1, 10_000n),
  );
  await step(
    "A:linkCooKr",
    shipments.connect(broker).linkCertificateOfOrigin(A, recordIdOf(chamber.address, cooKr.contentHash)),
  );
  await time.increase(3n * DAY);
  await step("A:depart", shipments.connect(carrier).markDeparted(A, id("SAILED"), ethers.ZeroHash));
  await step(
    "A:revokeCooKr",
    coos.connect(chamber).revoke(recordIdOf(chamber.address, cooKr.contentHash), id("ISSUED-IN-ERROR")),
  );
  await step(
    "A:unlinkExp1",
    shipments.connect(broker).unlinkMillTestReport(A, recordIdOf(mill.address, exp1.contentHash), 1),
  );
  await step(
    "A:linkH1",
    shipments.connect(broker).linkMillTestReport(A, recordIdOf(mill.address, h1.contentHash), 1, 10_000n),
  );
  await step(
    "A:unlinkCooKr",
    shipments.connect(broker).unlinkCertificateOfOrigin(A, recordIdOf(chamber.address, cooKr.contentHash)),
  );
  await step(
    "A:linkCooKr2",
    shipments.connect(broker).linkCertificateOfOrigin(A, recordIdOf(chamber.address, cooKr2.contentHash)),
  );

  // Shipment B: declared Korean, but the steel was melted in China and routed through Vietnam; filed late by the
  // importer with a newcomer exporter and an unknown manufacturer.
  await onboard("newExporter", newExporter, BusinessRole.Exporter, "VN");
  const B = shipmentIdOf(importer.address, id("shipment:B"));
  const filingB = await filing([line(7306191010n, 8_500n, "KR")], 12n * HOUR, {
    parties: { ...parties, exporter: newExporter.address, manufacturer: stranger.address },
    transshipmentCountries: [code("VN")],
  });
  await step("B:file", shipments.connect(importer).fileShipment(id("shipment:B"), filingB));
  await step(
    "B:linkCn1",
    shipments.connect(importer).linkMillTestReport(B, recordIdOf(mill2.address, cn1.contentHash), 0, 8_000n),
  );
  await step(
    "B:linkCooCn",
    shipments.connect(importer).linkCertificateOfOrigin(B, recordIdOf(chamber.address, cooCn.contentHash)),
  );
  const W1 = id("watch:CN-7306");
  await step(
    "B:publishWatch",
    shipments.connect(cbp).publishWatchEntry(W1, {
      meltCountry: code("CN"),
      htsPrefix: 7306n,
      prefixLength: 4,
      reasonCode: id("ADCVD"),
      caseReference: "A-570-910",
    }),
  );
  await step(
    "B:linkH1",
    shipments.connect(importer).linkMillTestReport(B, recordIdOf(mill.address, h1.contentHash), 0, 500n),
  );
  const amendedB = { ...filingB, parties, estimatedArrival: BigInt(await time.latest()) + 5n * DAY };
  await step("B:amend", shipments.connect(importer).amendShipment(B, amendedB));
  await step("B:retireWatch", shipments.connect(cbp).retireWatchEntry(W1, id("ORDER-REVOKED")));
  await step(
    "B:unlinkCooCn",
    shipments.connect(importer).unlinkCertificateOfOrigin(B, recordIdOf(chamber.address, cooCn.contentHash)),
  );
  await step(
    "B:unlinkCn1",
    shipments.connect(importer).unlinkMillTestReport(B, recordIdOf(mill2.address, cn1.contentHash), 0),
  );

  // The mill corrects the heat's report: every shipment the old report is linked to (A and B) is flagged.
  const h1b = { ...h1, contentHash: ethers.sha256(ethers.toUtf8Bytes("mtr:H1b")), grade: "X56" };
  await step("supersedeH1", mtrs.connect(mill).supersede(recordIdOf(mill.address, h1.contentHash), h1b));

  // A goes through CBP: hold, information request, examination, lift, arrival, release.
  await step("A:hold", shipments.connect(cbp).placeHold(A, id("DOCS"), id("note-1")));
  await step("A:rfi", shipments.connect(cbp).requestInformation(A, id("CF28"), id("note-2")));
  await step("A:exam", shipments.connect(cbp).orderExamination(A, id("INTENSIVE"), id("note-3")));
  await step("A:lift", shipments.connect(cbp).liftHold(A, id("DOCS"), id("note-4")));
  await step("A:arrive", shipments.connect(carrier).markArrived(A, id("BERTHED"), ethers.ZeroHash));
  await step("A:release", shipments.connect(cbp).release(A, id("CLEARED"), ethers.ZeroHash));

  // C and D arrive within 72 hours. C: a suspended newcomer exporter, an unknown manufacturer, a carrier whose
  // credential was revoked, Chinese steel declared Korean. D: a manufacturer whose credential expired, otherwise
  // benign.
  await step("suspend:newExporter", actors.connect(cbp).suspend(newExporter.address, id("EAPA")));
  const C = shipmentIdOf(importer.address, id("shipment:C"));
  const filingC = await filing([line(7304191020n, 5_000n, "KR")], 48n * HOUR, {
    parties: {
      ...parties,
      exporter: newExporter.address,
      manufacturer: stranger.address,
      carrier: revokedActor.address,
    },
  });
  await step("C:file", shipments.connect(importer).fileShipment(id("shipment:C"), filingC));
  await step(
    "C:linkCn1",
    shipments.connect(importer).linkMillTestReport(C, recordIdOf(mill2.address, cn1.contentHash), 0, 5_000n),
  );
  const D = shipmentIdOf(importer.address, id("shipment:D"));
  const filingD = await filing([line(7326909000n, 900n, "KR"), line(7326909000n, 100n, "KR")], 60n * HOUR, {
    parties: { ...parties, manufacturer: expiredMill.address },
  });
  await step("D:file", shipments.connect(importer).fileShipment(id("shipment:D"), filingD));
  // The amendment drops the second line: it stays indexed, no longer current.
  await step("D:amend", shipments.connect(importer).amendShipment(D, { ...filingD, lines: [filingD.lines[0]] }));

  const result: ScenarioResult = {
    deploymentsDir,
    actors: {
      cbp: cbp.address,
      issuer: issuer.address,
      mill: mill.address,
      mill2: mill2.address,
      processor: processor.address,
      chamber: chamber.address,
      exporter: exporter.address,
      newExporter: newExporter.address,
      importer: importer.address,
      broker: broker.address,
      carrier: carrier.address,
      stranger: stranger.address,
      revokedActor: revokedActor.address,
      relayer: relayer.address,
      issuer2: issuer2.address,
      expiredMill: expiredMill.address,
      orphan: orphan.address,
      repaired: repaired.address,
    },
    records: {
      H1: hex(recordIdOf(mill.address, h1.contentHash)),
      H1b: hex(recordIdOf(mill.address, h1b.contentHash)),
      COIL: hex(recordIdOf(processor.address, coil.contentHash)),
      PIPE: hex(recordIdOf(processor.address, pipe.contentHash)),
      CN1: hex(recordIdOf(mill2.address, cn1.contentHash)),
      EXP1: hex(recordIdOf(mill.address, exp1.contentHash)),
      COO_KR: hex(recordIdOf(chamber.address, cooKr.contentHash)),
      COO_CN: hex(recordIdOf(chamber.address, cooCn.contentHash)),
      COO_KR2: hex(recordIdOf(chamber.address, cooKr2.contentHash)),
      credentialRevoked: hex(revoked.credentialId),
      carrierCredential: hex(carrierCredential.credentialId),
      carrierRenewal: hex(renewedCarrierCredential.credentialId),
      repairedFirst: repairedCredentials[0],
      repairedRenewal: repairedCredentials[1],
      repairedAfterClear: repairedCredentials[2],
    },
    shipments: { A, B, C, D },
    watchEntries: { W1 },
    steps,
    stepTimes,
  };
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
