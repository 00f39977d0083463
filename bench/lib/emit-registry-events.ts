/**
 * Emits N registry events for the indexing benchmark (bench/index-throughput.ts) on the node at
 * LOCALHOST_RPC_URL. Runs as `hardhat run --no-compile --network localhost bench/lib/emit-registry-events.ts`
 * with BENCH_EVENTS (N), BENCH_OUT (where the result JSON goes) and TRADETRACE_DEPLOYMENTS_DIR.
 *
 * Deploys the real registries with the deploy script, trusts an issuer and onboards five actors (6 events), lets
 * 100 days pass (no party is new), then with automine off plays rounds of
 *   one MTR batch of 50 (MillTestReportIssued ×50), one COO batch of 5 (CertificateOfOriginIssued ×5), and 5
 *   shipments, each filed (ShipmentFiled), linked by the mill to one of the round's MTRs (KilogramsAllocated +
 *   MillTestReportLinked) and by the importer to one of its COOs (CertificateOfOriginLinked), then departed
 *   (ShipmentStatusChanged)
 * = 80 events; the remainder up to N is MTRs in batches of at most 50. Transactions go out in JSON-RPC batches
 * and several rounds share a block. Melt countries cycle over eight (bench/lib/registry-plan.ts). The result names
 * every event kind and how many of it were emitted.
 */
import fs from "node:fs";
import hre, { ethers } from "hardhat";
import { deployAll, attachRegistries } from "../../scripts/lib/deployments";
import { ALL_ROLES, BusinessRole, makeCredential, onboardActor } from "../../scripts/season/actors";
import { coo, mtr, recordIdOf } from "../../scripts/season/documents";
import { code, id, shipmentIdOf, type Filing } from "../../scripts/season/shipments";
import { SETUP_EVENTS, meltCountryOf, planEvents, type EmittedEvents } from "./registry-plan";

const DAY = 86_400n;
/** Rounds whose transactions are sent before mining: ~300 events a block. */
const ROUNDS_PER_WAVE = 4;

interface RpcAnswer {
  id: number;
  result?: unknown;
  error?: { message: string };
}

async function main(): Promise<void> {
  const url = process.env.LOCALHOST_RPC_URL;
  const events = Number(process.env.BENCH_EVENTS);
  const out = process.env.BENCH_OUT;
  const deploymentsDir = process.env.TRADETRACE_DEPLOYMENTS_DIR;
  if (!url || !out || !deploymentsDir || !Number.isInteger(events)) {
    throw new Error("LOCALHOST_RPC_URL, BENCH_EVENTS, BENCH_OUT and TRADETRACE_DEPLOYMENTS_DIR are required");
  }
  const plan = planEvents(events);
  const [cbp, issuer, mill, certifier, exporter, importer, carrier] = await ethers.getSigners();

  const { deployment } = await deployAll(hre, { deploymentsDir, log: () => undefined });
  const { actorRegistry, millTestReports, certificatesOfOrigin, shipments } = await attachRegistries(hre, deployment);
  const startBlock = Math.min(...Object.values(deployment.contracts).map((c) => c.blockNumber));

  // Setup (automined): SETUP_EVENTS events.
  await (await actorRegistry.connect(cbp).setTrustedIssuer(issuer.address, ALL_ROLES)).wait();
  const parties: [typeof mill, number, string][] = [
    [mill, BusinessRole.Mill, "KR"],
    [certifier, BusinessRole.Certifier, "KR"],
    [exporter, BusinessRole.Exporter, "KR"],
    [importer, BusinessRole.Importer, "US"],
    [carrier, BusinessRole.Carrier, "PA"],
  ];
  for (const [signer, roles, country] of parties) {
    const credential = await makeCredential(signer.address, roles, { country: code(country) });
    await (await onboardActor(actorRegistry, issuer, credential, { submitter: cbp })).wait();
  }
  if (parties.length + 1 !== SETUP_EVENTS) throw new Error("setup events out of step with the plan");
  await ethers.provider.send("evm_increaseTime", [Number(100n * DAY)]);
  await ethers.provider.send("evm_mine", []);
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  await ethers.provider.send("evm_setAutomine", [false]);

  // Raw JSON-RPC batches: one HTTP request for many transactions.
  let rpcId = 1;
  const batch = async (calls: { method: string; params: unknown[] }[]): Promise<unknown[]> => {
    const results: unknown[] = [];
    for (let i = 0; i < calls.length; i += 200) {
      const body = calls.slice(i, i + 200).map((c) => ({ jsonrpc: "2.0", id: rpcId++, ...c }));
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answers = (await res.json()) as RpcAnswer[];
      for (const a of answers) {
        if (a.error) throw new Error(`JSON-RPC error: ${a.error.message}`);
        results.push(a.result);
      }
    }
    return results;
  };
  const nonces = new Map<string, number>();
  for (const s of [mill, certifier, importer, carrier]) {
    nonces.set(s.address, await ethers.provider.getTransactionCount(s.address, "latest"));
  }
  type Tx = { method: string; params: unknown[] };
  const tx = (from: string, to: string, data: string, gas: number): Tx => {
    const nonce = nonces.get(from)!;
    nonces.set(from, nonce + 1);
    return {
      method: "eth_sendTransaction",
      params: [{ from, to, data, gas: ethers.toBeHex(gas), nonce: ethers.toBeHex(nonce) }],
    };
  };
  /** Sends `txs`, then mines until each of their nonces is used (a block holds what its gas limit allows). */
  const sendAndMine = async (txs: Tx[]): Promise<void> => {
    if (txs.length === 0) return;
    const expected = new Map<string, number>();
    for (const t of txs) {
      const { from, nonce } = t.params[0] as { from: string; nonce: string };
      expected.set(from, Math.max(expected.get(from) ?? 0, Number(nonce) + 1));
    }
    await batch(txs);
    for (let guard = 0; ; guard++) {
      await batch([{ method: "evm_mine", params: [] }]);
      const counts = (await batch(
        [...expected.keys()].map((a) => ({ method: "eth_getTransactionCount", params: [a, "latest"] })),
      )) as string[];
      if ([...expected.values()].every((n, i) => Number(counts[i]) >= n)) return;
      if (guard > 1000) throw new Error("transactions are not being mined");
    }
  };

  const mtrAddress = await millTestReports.getAddress();
  const cooAddress = await certificatesOfOrigin.getAddress();
  const shipmentAddress = await shipments.getAddress();
  const mtrRecord = (i: number) =>
    mtr(`B${i}`, {
      heatNumber: `K${Math.floor(i / 5)}`,
      countryOfMeltAndPour: code(meltCountryOf(i)),
      countryOfManufacture: code(meltCountryOf(i)),
    });
  const issueMtrs = (first: number, count: number): Tx => {
    const reports = Array.from({ length: count }, (_, k) => mtrRecord(first + k));
    const data = millTestReports.interface.encodeFunctionData("issueBatch", [reports]);
    return tx(mill.address, mtrAddress, data, 400_000 + 180_000 * count);
  };
  const cooRecord = (i: number, country: string) =>
    coo(`B${i}`, exporter.address, importer.address, { countryOfOrigin: code(country) });
  const filing = (i: number, country: string): Filing => ({
    parties: {
      importer: importer.address,
      exporter: exporter.address,
      manufacturer: mill.address,
      carrier: carrier.address,
    },
    lines: [{ hts: 7304191020n, declaredKg: 12_000n, declaredValueCents: 1_800_000n, originCountry: code(country) }],
    exportCountry: code(country),
    transshipmentCountries: [],
    portOfLading: code("KRPUS"),
    portOfEntry: code("USHOU"),
    estimatedArrival: now + 365n * DAY,
    billOfLading: `MAEU${100_000_000 + i}`,
    entryNumber: "",
    workflowInstanceId: id(`workflow:${i}`),
  });

  let mtrCount = 0;
  let cooCount = 0;
  let shipmentCount = 0;
  for (let r = 0; r < plan.rounds; r += ROUNDS_PER_WAVE) {
    const wave = Math.min(ROUNDS_PER_WAVE, plan.rounds - r);
    const documents: Tx[] = [];
    const filings: Tx[] = [];
    const departures: Tx[] = [];
    const links: string[] = [];
    for (let w = 0; w < wave; w++) {
      const firstMtr = mtrCount;
      documents.push(issueMtrs(firstMtr, plan.mtrsPerRound));
      mtrCount += plan.mtrsPerRound;
      const firstCoo = cooCount;
      const coos = Array.from({ length: plan.shipmentsPerRound }, (_, k) =>
        cooRecord(firstCoo + k, meltCountryOf(firstMtr + k * 10)),
      );
      documents.push(
        tx(
          certifier.address,
          cooAddress,
          certificatesOfOrigin.interface.encodeFunctionData("issueBatch", [coos]),
          300_000 + 200_000 * coos.length,
        ),
      );
      cooCount += coos.length;
      for (let k = 0; k < plan.shipmentsPerRound; k++) {
        const reference = id(`bench-shipment:${shipmentCount++}`);
        const s = shipmentIdOf(importer.address, reference);
        const f = shipments.interface;
        filings.push(
          tx(
            importer.address,
            shipmentAddress,
            f.encodeFunctionData("fileShipment", [reference, filing(shipmentCount, meltCountryOf(firstMtr + k * 10))]),
            1_500_000,
          ),
          tx(
            importer.address,
            shipmentAddress,
            f.encodeFunctionData("linkCertificateOfOrigin", [s, recordIdOf(certifier.address, coos[k].contentHash)]),
            400_000,
          ),
        );
        links.push(
          f.encodeFunctionData("linkMillTestReport", [
            s,
            recordIdOf(mill.address, mtrRecord(firstMtr + k * 10).contentHash),
            0,
            12_000n,
          ]),
        );
        departures.push(
          tx(
            carrier.address,
            shipmentAddress,
            f.encodeFunctionData("markDeparted", [s, id("SAILED"), ethers.ZeroHash]),
            300_000,
          ),
        );
      }
    }
    // The mill, holder of the reports and the shipments' manufacturer, links them (SECURITY.md R1), with the
    // departures: once the filings are mined (links stay open after departure), and after the wave's issues in
    // the mill's nonce order.
    departures.push(...links.map((data) => tx(mill.address, shipmentAddress, data, 600_000)));
    await sendAndMine(documents);
    await sendAndMine(filings);
    await sendAndMine(departures);
  }
  const rest: Tx[] = [];
  for (let left = plan.extraMtrs; left > 0;) {
    const count = Math.min(plan.mtrsPerRound, left);
    rest.push(issueMtrs(mtrCount, count));
    mtrCount += count;
    left -= count;
  }
  await sendAndMine(rest);
  await ethers.provider.send("evm_setAutomine", [true]);

  const emitted: EmittedEvents = {
    TrustedIssuerSet: 1,
    ActorOnboarded: parties.length,
    MillTestReportIssued: mtrCount,
    CertificateOfOriginIssued: cooCount,
    ShipmentFiled: shipmentCount,
    KilogramsAllocated: shipmentCount,
    MillTestReportLinked: shipmentCount,
    CertificateOfOriginLinked: shipmentCount,
    ShipmentStatusChanged: shipmentCount,
  };
  const head = await ethers.provider.getBlockNumber();
  fs.writeFileSync(out, JSON.stringify({ startBlock, head, emitted }, null, 2));
}

// automine is left off by an error; the caller stops the node anyway.
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
