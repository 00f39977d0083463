/**
 * The import season of `npm start`, run as `hardhat run --network localhost scripts/season/play.ts` against a
 * Hardhat node (it moves the node's clock). Deploys the registries with deployAll (TRADETRACE_DEPLOYMENTS_DIR),
 * then: CBP trusts two credential issuers, who onboard mills, a pipe maker, exporters, chambers of commerce,
 * importers, brokers and carriers from eight countries; mills issue mill test reports (directly, one batch, some
 * by delegated EIP-712 signature relayed by a broker); the Korean mill approves the pipe maker, which derives coil
 * and pipe; chambers issue certificates of origin; importers and brokers file shipments before arrival, most clean,
 * some with a planted fraud; carriers and CBP move them through their lifecycle. Every actor signs with its own key (deterministic
 * wallets derived from its name, funded by Hardhat's first account, which also deploys and acts as CBP).
 * Progress goes to stderr; what happened goes to SEASON_OUT as a SeasonResult.
 */
import fs from "node:fs";
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { BaseContract, ContractTransactionResponse, Interface, TransactionResponse } from "ethers";
import { attachRegistries, deployAll } from "../lib/deployments";
import { BusinessRole, country, makeCredential, onboardActor } from "./actors";
import { roleNames } from "../lib/vocabulary";
import { APPROVE_ALLOCATOR_TYPES, coo, mtr, recordIdOf, type MillTestReport } from "./documents";
import { code, id, shipmentIdOf, type Filing } from "./shipments";
import { issueTypes, batchTypes, MTR_EIP712, MTR_DOMAIN } from "../credentials/eip712";
import type { PlantedFraud, Rejection, SeasonActor, SeasonResult, SeasonShipment } from "./plan";

const DAY = 86_400n;
const HOUR = 3_600n;

type Wallet = InstanceType<typeof ethers.Wallet>;

interface Lane {
  country: string;
  port: string;
  mill: string;
  exporter: string;
  chamber: string;
}

/** Trading lanes: where the steel is melted, the port it leaves from, and who makes, sells and certifies it. */
const LANES: Lane[] = [
  { country: "KR", port: "KRPUS", mill: "POSCO Pohang", exporter: "Hyundai Corp", chamber: "KCCI Seoul" },
  { country: "VN", port: "VNSGN", mill: "Hoa Phat Dung Quat", exporter: "Saigon Steel Trading", chamber: "VCCI HCMC" },
  { country: "TR", port: "TRMER", mill: "Erdemir Eregli", exporter: "Borusan Export", chamber: "TOBB Istanbul" },
  { country: "MX", port: "MXZLO", mill: "Ternium Monterrey", exporter: "Aceros del Norte", chamber: "CANACERO" },
  { country: "DE", port: "DEHAM", mill: "Salzgitter Flachstahl", exporter: "Hanseatic Steel", chamber: "IHK Hamburg" },
  { country: "IN", port: "INNSA", mill: "JSW Vijayanagar", exporter: "Mumbai Metals", chamber: "FIEO Mumbai" },
];
const ENTRY_PORTS = ["USHOU", "USLAX", "USNYC", "USSEA"];
const HTS = { linePipeSeamless: 7304191020n, plate: 7208510030n, weldedPipe: 7306191010n, fittings: 7326909000n };

function log(message: string): void {
  process.stderr.write(`season: ${message}\n`);
}

async function main(): Promise<void> {
  const deploymentsDir = process.env.TRADETRACE_DEPLOYMENTS_DIR;
  const out = process.env.SEASON_OUT;
  if (!deploymentsDir || !out) throw new Error("TRADETRACE_DEPLOYMENTS_DIR and SEASON_OUT are required");
  const [cbp] = await ethers.getSigners();
  const firstBlock = await ethers.provider.getBlockNumber();
  let transactions = 0;

  log("deploying the registries (deployAll)");
  const { deployment } = await deployAll(hre, { deploymentsDir, log: (m: string) => log(`  ${m}`) });
  const {
    actorRegistry,
    millTestReports: mtrs,
    certificatesOfOrigin: coos,
    shipments,
  } = await attachRegistries(hre, deployment);
  const interfaces: Interface[] = [actorRegistry, mtrs, coos, shipments].map((c: BaseContract) => c.interface);

  const send = async (sent: Promise<ContractTransactionResponse | TransactionResponse>): Promise<void> => {
    await (await sent).wait();
    transactions++;
  };

  // ---------------------------------------------------------------- signers, each with its own key
  const wallets = new Map<string, Wallet>();
  const wallet = (name: string): Wallet => {
    let w = wallets.get(name);
    if (!w) {
      w = new ethers.Wallet(ethers.id(`tradetrace season key: ${name}`), ethers.provider);
      wallets.set(name, w);
    }
    return w;
  };
  const actors: SeasonActor[] = [];
  const issuerAsia = wallet("Asia Trade Credentials");
  const issuerWest = wallet("Atlantic Trade Credentials");
  const relayer = wallet("Credential Relay Service");

  interface ActorSpec {
    name: string;
    roles: number;
    country: string;
  }
  const specs: ActorSpec[] = [];
  for (const lane of LANES) {
    specs.push({ name: lane.mill, roles: BusinessRole.Mill, country: lane.country });
    specs.push({ name: lane.exporter, roles: BusinessRole.Exporter, country: lane.country });
    specs.push({ name: lane.chamber, roles: BusinessRole.Certifier, country: lane.country });
  }
  specs.push(
    { name: "Baosteel Shanghai", roles: BusinessRole.Mill, country: "CN" },
    { name: "CCPIT Shanghai", roles: BusinessRole.Certifier, country: "CN" },
    { name: "SeAH Steel Pipe", roles: BusinessRole.Processor, country: "KR" },
    { name: "Gulf Coast Pipe Supply", roles: BusinessRole.Importer, country: "US" },
    { name: "Pacific Steel Imports", roles: BusinessRole.Importer, country: "US" },
    { name: "Atlantic Metals Inc", roles: BusinessRole.Importer, country: "US" },
    { name: "Harbor Customs Brokerage", roles: BusinessRole.CustomsBroker, country: "US" },
    { name: "Lone Star Brokers", roles: BusinessRole.CustomsBroker, country: "US" },
    { name: "HMM Ocean", roles: BusinessRole.Carrier, country: "KR" },
    { name: "Hapag-Lloyd", roles: BusinessRole.Carrier, country: "DE" },
    { name: "Arkas Line", roles: BusinessRole.Carrier, country: "TR" },
  );

  log(`funding ${specs.length + 3} wallets from Hardhat account #0 (${cbp.address})`);
  for (const w of [issuerAsia, issuerWest, relayer, ...specs.map((s) => wallet(s.name))]) {
    await send(cbp.sendTransaction({ to: w.address, value: ethers.parseEther("10") }));
  }

  log("CBP trusts two credential issuers");
  const tradeRoles =
    BusinessRole.Mill |
    BusinessRole.Processor |
    BusinessRole.Exporter |
    BusinessRole.Certifier |
    BusinessRole.Importer |
    BusinessRole.CustomsBroker |
    BusinessRole.Carrier;
  await send(actorRegistry.connect(cbp).setTrustedIssuer(issuerAsia.address, tradeRoles));
  await send(actorRegistry.connect(cbp).setTrustedIssuer(issuerWest.address, tradeRoles));
  await send(shipments.connect(cbp).grantRole(await shipments.CBP_ROLE(), cbp.address));

  const WEST = new Set(["US", "MX", "DE", "TR"]);
  for (const [i, spec] of specs.entries()) {
    const w = wallet(spec.name);
    const issuer = WEST.has(spec.country) ? issuerWest : issuerAsia;
    const credential = await makeCredential(w.address, spec.roles, {
      country: country(spec.country),
      legalNameHash: ethers.id(spec.name),
      did: `did:web:${spec.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.example`,
    });
    await send(onboardActor(actorRegistry, issuer, credential, { submitter: relayer }));
    const roles = roleNames(spec.roles);
    actors.push({ name: spec.name, address: w.address, country: spec.country, roles });
    if ((i + 1) % 10 === 0 || i + 1 === specs.length) log(`onboarded ${i + 1}/${specs.length} actors`);
  }
  const importers = ["Gulf Coast Pipe Supply", "Pacific Steel Imports", "Atlantic Metals Inc"].map(wallet);
  const brokers = ["Harbor Customs Brokerage", "Lone Star Brokers"].map(wallet);
  const carriers = ["HMM Ocean", "Hapag-Lloyd", "Arkas Line"].map(wallet);
  for (const [i, importer] of importers.entries()) {
    await send(shipments.connect(importer).setBrokerAuthorization(brokers[i % brokers.length].address, true));
  }
  // Everyone has been onboarded for more than the 90 days of the NEW_PARTY rule when the season starts.
  await time.increase(100n * DAY);

  // ---------------------------------------------------------------- mill test reports
  log("mills issue mill test reports");
  const heats = new Map<string, MillTestReport>();
  // A record id binds the content hash to its issuer (recordIdOf), so remember who anchored each report.
  const issuerOf = new Map<MillTestReport, string>();
  const anchoredBy = (issuer: Wallet, ...reports: MillTestReport[]) => {
    for (const report of reports) issuerOf.set(report, issuer.address);
  };
  const idOf = (report: MillTestReport): string => recordIdOf(issuerOf.get(report)!, report.contentHash);
  const heat = (laneCountry: string, n: number, totalKg: bigint, melt = laneCountry): MillTestReport => {
    const label = `${laneCountry}-${n}`;
    const report = mtr(label, {
      heatNumber: `${laneCountry}${4400 + n}`,
      countryOfMeltAndPour: code(melt),
      countryOfManufacture: code(melt),
      totalKg,
    });
    heats.set(label, report);
    return report;
  };
  const mtrChain = (await ethers.provider.getNetwork()).chainId;
  const mtrDomain = { name: MTR_DOMAIN, version: "1", chainId: mtrChain, verifyingContract: await mtrs.getAddress() };
  const deadline = BigInt(await time.latest()) + 30n * DAY;
  for (const lane of LANES) {
    const mill = wallet(lane.mill);
    const reports = [1, 2, 3, 4, 5, 6].map((n) => heat(lane.country, n, 80_000n));
    anchoredBy(mill, ...reports);
    if (lane.country === "KR") {
      // One batch of six reports in a single transaction.
      await send(mtrs.connect(mill).issueBatch(reports));
    } else if (lane.country === "VN" || lane.country === "IN") {
      // Signed by the mill (EIP-712), relayed by the credential service: the mill holds no gas.
      for (const report of reports) {
        const nonce = await mtrs.nonces(mill.address);
        const signature = await mill.signTypedData(mtrDomain, issueTypes(MTR_EIP712), {
          report,
          nonce,
          deadline,
        });
        await send(mtrs.connect(relayer).issueBySig(report, mill.address, deadline, signature));
      }
    } else {
      for (const report of reports) await send(mtrs.connect(mill).issue(report));
    }
  }
  // A batch signed by the Turkish mill and relayed, for the delegated batch path too.
  const trBatch = [7, 8].map((n) => heat("TR", n, 80_000n));
  {
    const mill = wallet("Erdemir Eregli");
    const nonce = await mtrs.nonces(mill.address);
    const signature = await mill.signTypedData(mtrDomain, batchTypes(MTR_EIP712), {
      reports: trBatch,
      nonce,
      deadline,
    });
    await send(mtrs.connect(relayer).issueBatchBySig(trBatch, mill.address, deadline, signature));
    anchoredBy(mill, ...trBatch);
  }
  const cnHeat = heat("CN", 1, 60_000n);
  await send(mtrs.connect(wallet("Baosteel Shanghai")).issue(cnHeat));
  anchoredBy(wallet("Baosteel Shanghai"), cnHeat);
  // The certificate that will be reused beyond its tonnage.
  const tightHeat = heat("DE", 9, 40_000n);
  await send(mtrs.connect(wallet("Salzgitter Flachstahl")).issue(tightHeat));
  anchoredBy(wallet("Salzgitter Flachstahl"), tightHeat);

  // A report's kilograms go only to parties its holder approved (SECURITY.md R1): each mill approves the pipe
  // maker it sells a heat to before it derives, and each mill (or the pipe maker, for its derived pipe) the
  // importer it sells to before its shipments link the report. The mills without gas sign, the relay submits.
  const gasless = new Set(LANES.filter((l) => l.country === "VN" || l.country === "IN").map((l) => l.mill));
  const approveBuyer = async (report: MillTestReport, buyer: string): Promise<void> => {
    const recordId = idOf(report);
    if (await mtrs.isApprovedAllocator(recordId, buyer)) return;
    const holderAddress = (await mtrs.recordOf(recordId)).issuer;
    const holder = [...wallets.entries()].find(([, w]) => w.address === holderAddress)!;
    if (!gasless.has(holder[0])) {
      await send(mtrs.connect(holder[1]).approveAllocator(recordId, buyer, true));
      return;
    }
    const nonce = await mtrs.nonces(holderAddress);
    const value = { recordId, party: buyer, approved: true, nonce, deadline };
    const signature = await holder[1].signTypedData(mtrDomain, APPROVE_ALLOCATOR_TYPES, value);
    await send(mtrs.connect(relayer).approveAllocatorBySig(recordId, buyer, true, holderAddress, deadline, signature));
  };

  log("the pipe maker derives coil from a Korean heat, and pipe from the coil");
  const processor = wallet("SeAH Steel Pipe");
  const krSource = heats.get("KR-6")!;
  await approveBuyer(krSource, processor.address);
  const coil = mtr("KR-COIL-1", {
    heatNumber: krSource.heatNumber,
    totalKg: 78_000n,
    countryOfMeltAndPour: code("KR"),
  });
  await send(mtrs.connect(processor).derive(coil, [{ recordId: idOf(krSource), kg: 80_000n }]));
  anchoredBy(processor, coil);
  const pipe = mtr("KR-PIPE-1", {
    heatNumber: krSource.heatNumber,
    productStandard: "API 5L PSL2",
    totalKg: 75_000n,
    countryOfMeltAndPour: code("KR"),
  });
  await send(mtrs.connect(processor).derive(pipe, [{ recordId: idOf(coil), kg: 78_000n }]));
  anchoredBy(processor, pipe);

  // ---------------------------------------------------------------- shipments
  const result: SeasonShipment[] = [];
  const rejections: Rejection[] = [];
  let nextCoo = 0;
  const certificate = async (
    chamberName: string,
    exporter: string,
    importer: string,
    origin: string,
    hts: bigint[],
  ): Promise<string> => {
    const c = coo(`${origin}-${++nextCoo}`, exporter, importer, {
      countryOfOrigin: code(origin),
      htsLines: hts,
      exportDate: BigInt(await time.latest()),
    });
    const chamber = wallet(chamberName);
    await send(coos.connect(chamber).issue(c));
    return recordIdOf(chamber.address, c.contentHash);
  };

  interface LineSpec {
    hts: bigint;
    kg: bigint;
    origin: string;
    /** Report to allocate from (the whole declared weight); none for a missing MTR. */
    report?: MillTestReport;
  }
  interface ShipmentSpec {
    key: string;
    description: string;
    lane: Lane;
    lines: LineSpec[];
    importer: number;
    byBroker: boolean;
    carrier: number;
    etaIn?: bigint;
    exportCountry?: string;
    transshipment?: string[];
    manufacturer?: string;
    cooOrigin?: string | null;
    cooChamber?: string;
    planted?: PlantedFraud;
  }
  let n = 0;
  const filed: { spec: ShipmentSpec; id: string; filer: Wallet; coo?: string }[] = [];
  const file = async (spec: ShipmentSpec): Promise<void> => {
    n++;
    const importer = importers[spec.importer];
    const filer = spec.byBroker ? brokers[spec.importer % brokers.length] : importer;
    const reference = id(`season-2026:${spec.key}`);
    const shipmentId = shipmentIdOf(importer.address, reference);
    const exporter = wallet(spec.lane.exporter);
    const filing: Filing = {
      parties: {
        importer: importer.address,
        exporter: exporter.address,
        manufacturer: spec.manufacturer ?? wallet(spec.lane.mill).address,
        carrier: carriers[spec.carrier].address,
      },
      lines: spec.lines.map((l) => ({
        hts: l.hts,
        declaredKg: l.kg,
        declaredValueCents: l.kg * 95n,
        originCountry: code(l.origin),
      })),
      exportCountry: code(spec.exportCountry ?? spec.lane.country),
      transshipmentCountries: (spec.transshipment ?? []).map(code),
      portOfLading: code(spec.lane.port),
      portOfEntry: code(ENTRY_PORTS[n % ENTRY_PORTS.length]),
      estimatedArrival: BigInt(await time.latest()) + (spec.etaIn ?? 12n * DAY),
      billOfLading: `${spec.lane.port.slice(2)}${String(260000 + n * 37).padStart(8, "0")}`,
      entryNumber: "",
      workflowInstanceId: id(`workflow:${spec.key}`),
    };
    await send(shipments.connect(filer).fileShipment(reference, filing));
    for (const [lineIndex, l] of spec.lines.entries()) {
      if (!l.report) continue;
      await approveBuyer(l.report, importer.address);
      try {
        await send(shipments.connect(filer).linkMillTestReport(shipmentId, idOf(l.report), lineIndex, l.kg));
      } catch (e) {
        rejections.push({
          shipment: spec.key,
          action: `linkMillTestReport(${l.report.certificateNumber}, line ${lineIndex}, ${l.kg} kg)`,
          ...decodeRevert(e, interfaces),
        });
        log(`  rejected on chain: ${spec.key} ${rejections.at(-1)!.error}(${rejections.at(-1)!.args.join(", ")})`);
      }
    }
    let cooId: string | undefined;
    if (spec.cooOrigin !== null) {
      const origin = spec.cooOrigin ?? spec.lines[0].origin;
      cooId = await certificate(
        spec.cooChamber ?? spec.lane.chamber,
        exporter.address,
        importer.address,
        origin,
        spec.lines.map((l) => l.hts),
      );
      await send(shipments.connect(filer).linkCertificateOfOrigin(shipmentId, cooId));
    }
    filed.push({ spec, id: shipmentId, filer, coo: cooId });
    result.push({
      key: spec.key,
      id: shipmentId.toLowerCase(),
      billOfLading: filing.billOfLading,
      description: spec.description,
      planted: spec.planted ?? null,
    });
  };

  // Clean shipments: three per lane (the Korean lane ships the derived pipe too).
  const clean: ShipmentSpec[] = [];
  for (const [li, lane] of LANES.entries()) {
    for (let k = 1; k <= 3; k++) {
      const report = heats.get(`${lane.country}-${k}`)!;
      const lines: LineSpec[] = [
        { hts: k === 2 ? HTS.weldedPipe : HTS.plate, kg: 24_000n, origin: lane.country, report },
      ];
      if (k === 3) lines.push({ hts: HTS.fittings, kg: 1_200n, origin: lane.country });
      if (lane.country === "KR" && k === 1) {
        lines.push({ hts: HTS.linePipeSeamless, kg: 30_000n, origin: "KR", report: pipe });
      }
      if (lane.country === "DE" && k === 1) lines[0] = { ...lines[0], kg: 38_000n, report: tightHeat };
      clean.push({
        key: `${lane.country}-${String(k).padStart(2, "0")}`,
        description: `${lane.exporter} to ${k === 2 ? "welded pipe" : "plate"} buyer, ${lane.country} steel`,
        lane,
        lines,
        importer: (li + k) % 3,
        byBroker: k !== 2,
        carrier: (li + k) % 3,
      });
    }
  }
  const cnLane: Lane = {
    country: "CN",
    port: "CNSHA",
    mill: "Baosteel Shanghai",
    exporter: "Hyundai Corp",
    chamber: "CCPIT Shanghai",
  };
  const krLane = LANES[0];
  const vnLane = LANES[1];
  const trLane = LANES[2];
  const mxLane = LANES[3];
  const deLane = LANES[4];

  const frauds: ShipmentSpec[] = [
    {
      key: "FRAUD-melt",
      description: "Turkish plate declared Turkish, but the mill test report shows Indian melt and pour",
      lane: trLane,
      lines: [{ hts: HTS.plate, kg: 20_000n, origin: "TR", report: heats.get("IN-4")! }],
      importer: 0,
      byBroker: true,
      carrier: 2,
      planted: { fraud: "melt-and-pour mismatch", expectedRules: ["MELT_POUR_MISMATCH"] },
    },
    {
      key: "FRAUD-nomtr",
      description: "Mexican welded pipe filed without any mill test report",
      lane: mxLane,
      lines: [{ hts: HTS.weldedPipe, kg: 18_000n, origin: "MX" }],
      importer: 1,
      byBroker: false,
      carrier: 1,
      planted: { fraud: "missing MTR", expectedRules: ["MISSING_MTR"] },
    },
    {
      key: "FRAUD-revoked",
      description: "Vietnamese plate whose certificate of origin the chamber revokes after it was linked",
      lane: vnLane,
      lines: [{ hts: HTS.plate, kg: 22_000n, origin: "VN", report: heats.get("VN-5")! }],
      importer: 1,
      byBroker: true,
      carrier: 0,
      planted: { fraud: "document revoked after linking", expectedRules: ["DOCUMENT_REVOKED"] },
    },
    {
      key: "FRAUD-late",
      description: "Korean plate filed 12 hours before arrival",
      lane: krLane,
      lines: [{ hts: HTS.plate, kg: 16_000n, origin: "KR", report: heats.get("KR-5")! }],
      importer: 0,
      byBroker: false,
      carrier: 0,
      etaIn: 12n * HOUR,
      planted: { fraud: "late filing", expectedRules: ["LATE_FILING"] },
    },
    {
      key: "FRAUD-route",
      description: "Chinese welded pipe under an AD/CVD order, shipped through Ho Chi Minh City",
      lane: { ...cnLane, port: "VNSGN", exporter: "Saigon Steel Trading" },
      lines: [{ hts: HTS.weldedPipe, kg: 25_000n, origin: "CN", report: cnHeat }],
      importer: 2,
      byBroker: true,
      carrier: 0,
      exportCountry: "VN",
      transshipment: ["VN"],
      etaIn: 7n * DAY,
      planted: {
        fraud: "watch-listed route (transshipment + watch entry)",
        expectedRules: ["WATCHLIST", "TRANSSHIPMENT"],
      },
    },
    {
      key: "FRAUD-party",
      description: "Korean plate naming a manufacturer no issuer ever vouched for",
      lane: krLane,
      lines: [{ hts: HTS.plate, kg: 12_000n, origin: "KR", report: heats.get("KR-4")! }],
      importer: 2,
      byBroker: false,
      carrier: 1,
      manufacturer: wallet("Unknown Steel Co").address,
      planted: { fraud: "unverified manufacturer", expectedRules: ["UNVERIFIED_PARTY"] },
    },
    {
      key: "FRAUD-reuse",
      description: "German plate claiming a heat certificate already used up by DE-01 (40 t certified, 38 t used)",
      lane: deLane,
      lines: [{ hts: HTS.plate, kg: 20_000n, origin: "DE", report: tightHeat }],
      importer: 2,
      byBroker: true,
      carrier: 1,
      planted: {
        fraud: "certificate reused beyond its tonnage (rejected on chain, so no MTR backs the line)",
        expectedRules: ["MISSING_MTR"],
      },
    },
  ];

  log("CBP publishes a watch entry: Chinese welded pipe (HTS 7306), AD/CVD case A-570-910");
  await send(
    shipments.connect(cbp).publishWatchEntry(id("watch:CN-7306"), {
      meltCountry: code("CN"),
      htsPrefix: 7306n,
      prefixLength: 4,
      reasonCode: id("ADCVD"),
      caseReference: "A-570-910",
    }),
  );

  // Interleave: the frauds are filed among the clean shipments, as they would be (the reuse last: it needs DE-01).
  const order: ShipmentSpec[] = [];
  const step = Math.ceil(clean.length / frauds.length);
  for (let i = 0; i < clean.length; i++) {
    order.push(clean[i]);
    if (i % step === step - 1 && frauds.length) order.push(frauds.shift()!);
  }
  order.push(...frauds);
  for (const spec of order) {
    await file(spec);
    log(`filed ${n}/${order.length} shipments (${spec.key})`);
    await time.increase(6n * HOUR);
  }

  log("the Vietnamese chamber revokes a certificate already linked to a shipment");
  const revoked = filed.find((f) => f.spec.key === "FRAUD-revoked")!;
  await send(coos.connect(wallet(vnLane.chamber)).revoke(revoked.coo!, id("ISSUED-IN-ERROR")));

  // ---------------------------------------------------------------- lifecycle
  log("carriers sail, CBP holds and asks, carriers berth, CBP releases");
  const carrierOf = (f: (typeof filed)[number]): Wallet => carriers[f.spec.carrier];
  for (const f of filed) await send(shipments.connect(carrierOf(f)).markDeparted(f.id, id("SAILED"), ethers.ZeroHash));
  log(`departed ${filed.length}/${filed.length}`);
  const held = filed.filter((f) => f.spec.planted || f.spec.key.endsWith("-03"));
  for (const f of held) {
    await send(shipments.connect(cbp).placeHold(f.id, id("DOCS"), id(`hold:${f.spec.key}`)));
    await send(shipments.connect(cbp).requestInformation(f.id, id("CF28"), id(`rfi:${f.spec.key}`)));
  }
  log(`held ${held.length} shipments with a request for information`);
  await time.increase(3n * DAY);
  // A third stay at sea, among them the watch-listed route: it is what the arrivals query must catch.
  const arriving = filed.filter((f, i) => i % 3 !== 2 && f.spec.key !== "FRAUD-route");
  for (const f of arriving)
    await send(shipments.connect(carrierOf(f)).markArrived(f.id, id("BERTHED"), ethers.ZeroHash));
  log(`arrived ${arriving.length}/${filed.length}`);
  for (const f of arriving.filter((a) => !a.spec.planted)) {
    if (held.includes(f)) await send(shipments.connect(cbp).liftHold(f.id, id("DOCS"), id(`lift:${f.spec.key}`)));
    if (held.includes(f) || f.spec.key.endsWith("-01")) {
      await send(shipments.connect(cbp).release(f.id, id("CLEARED"), ethers.ZeroHash));
    }
  }

  const season: SeasonResult = {
    deploymentsDir,
    network: hre.network.name,
    actors,
    shipments: result,
    rejections,
    pipeReport: idOf(pipe).toLowerCase(),
    importer: importers[0].address,
    now: await time.latest(),
    transactions,
    firstBlock,
    lastBlock: await ethers.provider.getBlockNumber(),
  };
  fs.writeFileSync(out, JSON.stringify(season, null, 2));
  log(`done: ${transactions} transactions, blocks ${firstBlock}–${season.lastBlock}`);
}

/** The custom error (name and arguments) of a reverted transaction, decoded with the registries' ABIs. */
export function decodeRevert(error: unknown, interfaces: Interface[]): { error: string; args: string[] } {
  // Hardhat's node puts the revert data in `data`, sometimes one level down; ethers in `info.error.data`.
  const e = error as { data?: unknown; info?: { error?: { data?: unknown } }; message?: string };
  const hex = (v: unknown): string | undefined =>
    typeof v === "string" && v.startsWith("0x")
      ? v
      : v && typeof v === "object"
        ? hex((v as { data?: unknown }).data)
        : undefined;
  const data = hex(e.data) ?? hex(e.info?.error?.data);
  if (data) {
    for (const iface of interfaces) {
      const parsed = iface.parseError(data);
      if (parsed) return { error: parsed.name, args: parsed.args.map((a: unknown) => String(a)) };
    }
  }
  return { error: "unknown", args: [e.message ?? String(error)] };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
