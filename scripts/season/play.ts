/**
 * The import season of `npm start`, run as `hardhat run --network localhost scripts/season/play.ts` against a
 * Hardhat node (it moves the node's clock). Deploys the registries with deployAll (TRADETRACE_DEPLOYMENTS_DIR),
 * then plays its phases in order (`main` below): CBP trusts two credential issuers, who onboard the cast (cast.ts:
 * mills, a pipe maker, exporters, chambers of commerce, importers, brokers and carriers from eight countries); 14
 * weeks of history pass (history.ts: regular shipments by seven traders, the history rules' planted cases and
 * look-alikes); mills issue mill test reports (directly, one batch, some by delegated EIP-712 signature relayed by
 * a broker); the Korean mill approves the pipe maker, which derives coil and pipe; importers and brokers file
 * shipments before arrival, most clean, some with a planted fraud (cases.ts), with certificates of origin from the
 * chambers; carriers and CBP move them through their lifecycle. Every actor signs with its own key (deterministic
 * wallets derived from its name, funded by Hardhat's first account, which also deploys and acts as CBP).
 * Progress goes to stderr; what happened goes to SEASON_OUT as a SeasonResult.
 */
import fs from "node:fs";
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { attachRegistries, deployAll } from "../lib/deployments";
import { country, makeCredential, onboardActor } from "./actors";
import { roleNames } from "../lib/vocabulary";
import { mtr, type MillTestReport } from "./documents";
import { code, id } from "./shipments";
import { issueTypes, batchTypes, MTR_EIP712 } from "../credentials/eip712";
import { BROKERS, castOf, GASLESS_MILLS, IMPORTERS, ISSUERS, LANES, RELAY, TRADE_ROLES, WEST } from "./cast";
import { cleanShipments, interleave, PLANTED_FRAUDS, plantedSpec } from "./cases";
import { Filings, type FiledShipment, type ShipmentSpec } from "./filing";
import { DAY, HOUR, log, Stage } from "./stage";
import {
  HISTORY_HEATS,
  HISTORY_IMPORTER,
  HISTORY_WEEKS,
  historyCast,
  historyShipments,
  type HistoryShipment,
} from "./history";
import type { SeasonResult } from "./plan";

/** Funds every wallet, has CBP trust the two issuers, and onboards the cast (each importer authorizes a broker). */
async function onboardCast(stage: Stage): Promise<void> {
  const { actorRegistry, shipments } = stage.registries;
  const { cbp } = stage;
  const specs = [...castOf(), ...historyCast()];
  const [issuerAsia, issuerWest, relayer] = [ISSUERS.asia, ISSUERS.west, RELAY].map((n) => stage.wallet(n));
  log(`funding ${specs.length + 3} wallets from Hardhat account #0 (${await cbp.getAddress()})`);
  for (const w of [issuerAsia, issuerWest, relayer, ...specs.map((s) => stage.wallet(s.name))]) {
    await stage.send(cbp.sendTransaction({ to: w.address, value: ethers.parseEther("10") }));
  }

  log("CBP trusts two credential issuers");
  await stage.send(actorRegistry.connect(cbp).setTrustedIssuer(issuerAsia.address, TRADE_ROLES));
  await stage.send(actorRegistry.connect(cbp).setTrustedIssuer(issuerWest.address, TRADE_ROLES));
  await stage.send(shipments.connect(cbp).grantRole(await shipments.CBP_ROLE(), await cbp.getAddress()));

  // The relay submits every credential, in one block; the importers authorize their brokers in the next.
  const now = BigInt(await time.latest());
  await stage.block(now + 1n, async () => {
    for (const [i, spec] of specs.entries()) {
      const w = stage.wallet(spec.name);
      const issuer = WEST.has(spec.country) ? issuerWest : issuerAsia;
      const credential = await makeCredential(w.address, spec.roles, {
        country: country(spec.country),
        legalNameHash: ethers.id(spec.name),
        did: `did:web:${spec.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example`,
      });
      await stage.send(onboardActor(actorRegistry, issuer, credential, { submitter: relayer }));
      stage.actors.push({ name: spec.name, address: w.address, country: spec.country, roles: roleNames(spec.roles) });
      if ((i + 1) % 10 === 0 || i + 1 === specs.length) log(`onboarded ${i + 1}/${specs.length} actors`);
    }
  });
  await stage.block(now + 2n, async () => {
    for (const [i, name] of IMPORTERS.entries()) {
      const broker = stage.wallet(BROKERS[i % BROKERS.length]);
      await stage.send(shipments.connect(stage.wallet(name)).setBrokerAuthorization(broker.address, true));
    }
  });
}

const WEEK = 7n * DAY;

/**
 * The history (history.ts): the mills issue its heats, then each week of it is mined as two blocks on the
 * week's second day, the mills' approvals of the week's buyers, then the week's filings with their links. Ends at
 * the start of the week after it, where the season proper files. Returns the history's filings.
 */
async function playHistory(stage: Stage): Promise<Filings> {
  log(`${HISTORY_WEEKS} weeks of history: ${historyShipments().length} shipments by seven traders`);
  const mtrs = stage.registries.millTestReports;
  const history = new Filings(stage, { importers: [...IMPORTERS, HISTORY_IMPORTER], billOfLadingBase: 250000 });
  const start = (BigInt(await time.latest()) / WEEK + 1n) * WEEK;
  const heatsByMill = new Map<string, MillTestReport[]>();
  for (const h of HISTORY_HEATS) {
    const { label, report } = stage.heat(h.country, h.n, h.kg);
    heatsByMill.set(h.mill, [...(heatsByMill.get(h.mill) ?? []), stage.anchored(stage.wallet(h.mill), label, report)]);
  }
  await stage.block(start, async () => {
    for (const [mill, reports] of heatsByMill) await stage.send(mtrs.connect(stage.wallet(mill)).issueBatch(reports));
  });
  const shipments = historyShipments();
  for (let week = 0; week < HISTORY_WEEKS; week++) {
    const day = start + BigInt(week) * WEEK + DAY;
    const specs = shipments.filter((s) => s.week === week).map((s) => historySpec(stage, s, history.importerNames));
    const approvals = new Map<string, [MillTestReport, string]>();
    for (const spec of specs) {
      const importer = history.importers[spec.importer].address;
      for (const line of spec.lines)
        if (line.report) approvals.set(`${stage.idOf(line.report)}${importer}`, [line.report, importer]);
    }
    if (approvals.size) {
      await stage.block(day, async () => {
        for (const [report, importer] of approvals.values()) await stage.approveBuyer(report, importer);
      });
    }
    await stage.block(day + HOUR, async () => {
      for (const spec of specs) await history.file(spec);
    });
    log(`history week ${week + 1}/${HISTORY_WEEKS}: ${history.count} shipments filed`);
  }
  if (history.rejections.length) throw new Error(`the history was refused: ${JSON.stringify(history.rejections)}`);
  await time.increaseTo(start + BigInt(HISTORY_WEEKS) * WEEK + HOUR);
  return history;
}

/** A history shipment as the filings take it: filed by its importer, no certificate of origin. */
function historySpec(stage: Stage, s: HistoryShipment, importers: string[]): ShipmentSpec {
  return {
    key: s.key,
    description: s.description,
    lane: s.trader,
    lines: s.lines.map((l) => ({
      hts: l.hts,
      kg: l.kg,
      origin: s.trader.country,
      report: l.heat ? stage.report(l.heat) : undefined,
    })),
    importer: importers.indexOf(s.importer),
    byBroker: false,
    carrier: 0,
    transshipment: s.transshipment,
    cooOrigin: null,
    planted: s.planted,
    lookAlike: s.lookAlike,
  };
}

/**
 * Each lane's mill issues heats 1–6 (80 t): the Korean one in a batch, the gasless ones by relayed signature, the
 * others one by one; the Turkish mill signs a batch of two more; Baosteel issues a Chinese heat, and the German
 * mill a tight 40 t heat that FRAUD-reuse will claim beyond its tonnage.
 */
async function issueMillTestReports(stage: Stage): Promise<void> {
  log("mills issue mill test reports");
  const mtrs = stage.registries.millTestReports;
  const relayer = stage.wallet(RELAY);
  const domain = await stage.reportDomain();
  stage.deadline = BigInt(await time.latest()) + 30n * DAY;
  const { deadline } = stage;
  const heats = (mill: string, country: string, numbers: number[], kg: bigint) =>
    numbers.map((n) => {
      const { label, report } = stage.heat(country, n, kg);
      return stage.anchored(stage.wallet(mill), label, report);
    });
  for (const lane of LANES) {
    const mill = stage.wallet(lane.mill);
    const reports = heats(lane.mill, lane.country, [1, 2, 3, 4, 5, 6], 80_000n);
    if (lane.country === "KR") {
      // One batch of six reports in a single transaction.
      await stage.send(mtrs.connect(mill).issueBatch(reports));
    } else if (GASLESS_MILLS.has(lane.mill)) {
      // Signed by the mill (EIP-712), relayed by the credential service: the mill holds no gas.
      for (const report of reports) {
        const nonce = await mtrs.nonces(mill.address);
        const signature = await mill.signTypedData(domain, issueTypes(MTR_EIP712), { report, nonce, deadline });
        await stage.send(mtrs.connect(relayer).issueBySig(report, mill.address, deadline, signature));
      }
    } else {
      for (const report of reports) await stage.send(mtrs.connect(mill).issue(report));
    }
  }
  // A batch signed by the Turkish mill and relayed, for the delegated batch path too.
  const trMill = stage.wallet("Erdemir Eregli");
  const trBatch = heats("Erdemir Eregli", "TR", [7, 8], 80_000n);
  const nonce = await mtrs.nonces(trMill.address);
  const signature = await trMill.signTypedData(domain, batchTypes(MTR_EIP712), { reports: trBatch, nonce, deadline });
  await stage.send(mtrs.connect(relayer).issueBatchBySig(trBatch, trMill.address, deadline, signature));
  const [cnHeat] = heats("Baosteel Shanghai", "CN", [1], 60_000n);
  await stage.send(mtrs.connect(stage.wallet("Baosteel Shanghai")).issue(cnHeat));
  // The certificate that will be reused beyond its tonnage.
  const [tightHeat] = heats("Salzgitter Flachstahl", "DE", [9], 40_000n);
  await stage.send(mtrs.connect(stage.wallet("Salzgitter Flachstahl")).issue(tightHeat));
}

/** The Korean mill approves the pipe maker, which derives coil from heat KR-6, and pipe from the coil. */
async function derivePipe(stage: Stage): Promise<void> {
  log("the pipe maker derives coil from a Korean heat, and pipe from the coil");
  const mtrs = stage.registries.millTestReports;
  const processor = stage.wallet("SeAH Steel Pipe");
  const krSource = stage.report("KR-6");
  await stage.approveBuyer(krSource, processor.address);
  const coil = stage.anchored(
    processor,
    "KR-COIL-1",
    mtr("KR-COIL-1", { heatNumber: krSource.heatNumber, totalKg: 78_000n, countryOfMeltAndPour: code("KR") }),
  );
  await stage.send(mtrs.connect(processor).derive(coil, [{ recordId: stage.idOf(krSource), kg: 80_000n }]));
  const pipe = stage.anchored(
    processor,
    "KR-PIPE-1",
    mtr("KR-PIPE-1", {
      heatNumber: krSource.heatNumber,
      productStandard: "API 5L PSL2",
      totalKg: 75_000n,
      countryOfMeltAndPour: code("KR"),
    }),
  );
  await stage.send(mtrs.connect(processor).derive(pipe, [{ recordId: stage.idOf(coil), kg: 78_000n }]));
}

async function publishWatchEntry(stage: Stage): Promise<void> {
  log("CBP publishes a watch entry: Chinese welded pipe (HTS 7306), AD/CVD case A-570-910");
  const entry = {
    meltCountry: code("CN"),
    htsPrefix: 7306n,
    prefixLength: 4,
    reasonCode: id("ADCVD"),
    caseReference: "A-570-910",
  };
  await stage.send(stage.registries.shipments.connect(stage.cbp).publishWatchEntry(id("watch:CN-7306"), entry));
}

/** Files the clean shipments with the planted frauds among them, six hours apart, then plays each fraud's aftermath. */
async function fileShipments(stage: Stage, filings: Filings): Promise<void> {
  const order = interleave(
    cleanShipments(stage),
    PLANTED_FRAUDS.map((c) => plantedSpec(stage, c)),
  );
  await publishWatchEntry(stage);
  for (const spec of order) {
    await filings.file(spec);
    log(`filed ${filings.count}/${order.length} shipments (${spec.key})`);
    await time.increase(6n * HOUR);
  }
  for (const c of PLANTED_FRAUDS) await c.afterFiling?.(stage, filings.byKey(c.key));
}

/**
 * Carriers sail every shipment; CBP holds the planted ones and every third clean one with a request for
 * information; three days later two thirds arrive (not the watch-listed route: the arrivals query must catch it),
 * and CBP lifts the holds on the clean arrivals and releases them (and the first of each lane).
 */
async function moveThroughLifecycle(stage: Stage, filings: Filings): Promise<void> {
  log("carriers sail, CBP holds and asks, carriers berth, CBP releases");
  const { shipments } = stage.registries;
  const { cbp } = stage;
  const { filed } = filings;
  const carrierOf = (f: FiledShipment) => shipments.connect(filings.carrier(f.spec.carrier));
  for (const f of filed) await stage.send(carrierOf(f).markDeparted(f.id, id("SAILED"), ethers.ZeroHash));
  log(`departed ${filed.length}/${filed.length}`);
  const held = filed.filter((f) => f.spec.planted || f.spec.key.endsWith("-03"));
  for (const f of held) {
    await stage.send(shipments.connect(cbp).placeHold(f.id, id("DOCS"), id(`hold:${f.spec.key}`)));
    await stage.send(shipments.connect(cbp).requestInformation(f.id, id("CF28"), id(`rfi:${f.spec.key}`)));
  }
  log(`held ${held.length} shipments with a request for information`);
  await time.increase(3n * DAY);
  const arriving = filed.filter((f, i) => i % 3 !== 2 && f.spec.key !== "FRAUD-route");
  for (const f of arriving) await stage.send(carrierOf(f).markArrived(f.id, id("BERTHED"), ethers.ZeroHash));
  log(`arrived ${arriving.length}/${filed.length}`);
  for (const f of arriving.filter((a) => !a.spec.planted)) {
    if (held.includes(f)) await stage.send(shipments.connect(cbp).liftHold(f.id, id("DOCS"), id(`lift:${f.spec.key}`)));
    if (held.includes(f) || f.spec.key.endsWith("-01")) {
      await stage.send(shipments.connect(cbp).release(f.id, id("CLEARED"), ethers.ZeroHash));
    }
  }
}

async function main(): Promise<void> {
  const deploymentsDir = process.env.TRADETRACE_DEPLOYMENTS_DIR;
  const out = process.env.SEASON_OUT;
  if (!deploymentsDir || !out) throw new Error("TRADETRACE_DEPLOYMENTS_DIR and SEASON_OUT are required");
  const [cbp] = await ethers.getSigners();
  const firstBlock = await ethers.provider.getBlockNumber();

  log("deploying the registries (deployAll)");
  const { deployment } = await deployAll(hre, { deploymentsDir, log: (m: string) => log(`  ${m}`) });
  const stage = new Stage(hre, await attachRegistries(hre, deployment), cbp);
  const filings = new Filings(stage);

  await onboardCast(stage);
  // Everyone has been onboarded for more than the 90 days of the NEW_PARTY rule when the history starts.
  await time.increase(100n * DAY);
  const history = await playHistory(stage);
  await issueMillTestReports(stage);
  await derivePipe(stage);
  await fileShipments(stage, filings);
  await moveThroughLifecycle(stage, filings);

  const season: SeasonResult = {
    deploymentsDir,
    network: hre.network.name,
    actors: stage.actors,
    shipments: [...history.result, ...filings.result],
    rejections: filings.rejections,
    pipeReport: stage.idOf(stage.report("KR-PIPE-1")).toLowerCase(),
    importer: filings.importers[0].address,
    now: await time.latest(),
    transactions: stage.transactions,
    firstBlock,
    lastBlock: await ethers.provider.getBlockNumber(),
  };
  fs.writeFileSync(out, JSON.stringify(season, null, 2));
  log(`done: ${stage.transactions} transactions, blocks ${firstBlock}–${season.lastBlock}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
