/**
 * The subgraph end to end: the real registries, deployed by the deploy script on a `hardhat node`, produce every
 * event of test/subgraph/scenario.ts; the manifest is rendered from that deployment, the subgraph is built once
 * and indexed once by the embedded runtime into SQLite; the assertions are GraphQL queries through the
 * QueryEngine, including every saved query of subgraph/queries unchanged.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { ethers } from "ethers";
import { Kind, parse } from "graphql";
import { ChainIndexer } from "../../indexer/runner/chain-indexer";
import { httpRpc } from "../../indexer/chain/rpc";
import { QueryEngine } from "../../indexer/graphql/engine";
import { loadManifest } from "../../indexer/manifest";
import { loadSubgraphSchema } from "../../indexer/schema/parse";
import { SqliteStore } from "../../indexer/store/sqlite";
import { severityOf } from "../../scripts/lib/risk-rules";
import { buildSubgraph, findArtifact, renderManifest } from "../../scripts/subgraph/render-manifest";
import { freePort, startHardhatNode, type HardhatNode } from "../helpers/hardhat-node";
import { runScenarioScript } from "../helpers/scenario-script";
import { shipmentIdOf } from "../../scripts/season/shipments";
import { HEAT_CHEMISTRY_PPM, HEAT_MECHANICS, type ScenarioResult } from "./scenario-data";

const ROOT = path.resolve(__dirname, "..", "..");
const SUBGRAPH = path.join(ROOT, "subgraph");
const QUERIES = path.join(SUBGRAPH, "queries");

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL results are checked field by field */
type Row = Record<string, any>;

interface FlagRow {
  rule: string;
  cause: string;
  severity: number;
  active: boolean;
  raisedAtBlock: string;
  clearedAtBlock: string | null;
  explanation: string;
  party: string | null;
  document: string | null;
  lineIndex: number | null;
  watchEntry: { id: string } | null;
}

describe("subgraph: the real registries on a hardhat node, indexed by the embedded runtime", function () {
  this.timeout(600_000);
  let node: HardhatNode | undefined;
  let dir: string;
  let s: ScenarioResult;
  let store: SqliteStore | undefined;
  let engine: QueryEngine;

  const lower = (value: string): string => value.toLowerCase();
  const block = (step: string): string => String(s.steps[step]);

  async function query(text: string, variables?: Record<string, unknown>): Promise<Row> {
    const result = await engine.execute({ query: text, variables });
    expect(result.errors, JSON.stringify(result.errors)).to.equal(undefined);
    return result.data as Row;
  }

  const saved = (name: string): string => fs.readFileSync(path.join(QUERIES, `${name}.graphql`), "utf8");

  /** Every flag of `shipment` (a scenario name) for `rule`, in the order raised. */
  async function flags(shipment: string, rule: string): Promise<FlagRow[]> {
    const data = await query(
      `query ($id: ID!, $rule: RiskRule!) {
        shipment(id: $id) {
          flags(where: { rule: $rule }, orderBy: raisedAtBlock, first: 100) {
            rule cause severity active raisedAtBlock clearedAtBlock explanation party document lineIndex
            watchEntry { id }
          }
        }
      }`,
      { id: s.shipments[shipment], rule },
    );
    return (data.shipment as Row).flags as FlagRow[];
  }

  /** [raisedAt step block, clearedAt step block or null] of each flag. */
  const history = (rows: FlagRow[]): [string, string | null][] => rows.map((f) => [f.raisedAtBlock, f.clearedAtBlock]);

  before(async function () {
    node = await startHardhatNode(await freePort());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-subgraph-"));
    s = await runScenarioScript<ScenarioResult>("test/subgraph/scenario.ts", node.url, dir);
    renderManifest({ network: "localhost", deploymentsDir: dir });
    buildSubgraph();
    const manifest = loadManifest(SUBGRAPH);
    store = new SqliteStore(":memory:", loadSubgraphSchema(manifest.schemaFile));
    const indexer = new ChainIndexer({ manifest, store, rpc: httpRpc(node.url) });
    const progress = await indexer.syncOnce();
    expect(progress.head).to.be.at.least(s.steps["D:file"]);
    engine = new QueryEngine(store);
  });

  after(async function () {
    store?.close();
    await node?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe("manifest rendering", function () {
    it("fills addresses and start blocks from the deployment file and copies the ABIs from the artifacts", function () {
      const deployment = JSON.parse(fs.readFileSync(path.join(dir, "localhost.json"), "utf8")) as {
        contracts: Record<string, { address: string; blockNumber: number }>;
      };
      const manifest = fs.readFileSync(path.join(SUBGRAPH, "subgraph.yaml"), "utf8");
      expect(manifest).not.to.match(/\{\{/);
      for (const [name, contract] of Object.entries(deployment.contracts)) {
        expect(manifest).to.include(`address: "${contract.address}"`);
        expect(manifest).to.include(`startBlock: ${contract.blockNumber}`);
        const copied = JSON.parse(fs.readFileSync(path.join(SUBGRAPH, "abis", `${name}.json`), "utf8")) as unknown;
        const artifact = JSON.parse(fs.readFileSync(findArtifact(path.join(ROOT, "artifacts"), name), "utf8")) as {
          abi: unknown;
        };
        expect(copied).to.deep.equal(artifact.abi);
      }
      expect(Object.keys(deployment.contracts)).to.have.members([
        "ActorRegistry",
        "CertificateOfOriginRegistry",
        "MillTestReportRegistry",
        "ShipmentRegistry",
      ]);
      expect(() => renderManifest({ network: "nowhere", deploymentsDir: dir })).to.throw(/no deployment file/);
      // deployments/test.json, which `npm run subgraph:build` uses by default, is what a fresh node gets.
      const committed = JSON.parse(fs.readFileSync(path.join(ROOT, "deployments", "test.json"), "utf8")) as {
        contracts: Record<string, { address: string; blockNumber: number }>;
      };
      for (const [name, contract] of Object.entries(committed.contracts)) {
        expect(deployment.contracts[name]).to.deep.include(contract);
      }
    });

    it("documents every type, field and enum value of the schema", function () {
      const ast = parse(fs.readFileSync(path.join(SUBGRAPH, "schema.graphql"), "utf8"));
      const undocumented: string[] = [];
      let fields = 0;
      for (const definition of ast.definitions) {
        if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.ENUM_TYPE_DEFINITION) continue;
        const name = definition.name.value;
        if (!definition.description?.block) undocumented.push(name);
        const members = definition.kind === Kind.OBJECT_TYPE_DEFINITION ? definition.fields : definition.values;
        for (const member of members ?? []) {
          fields++;
          if (!member.description?.block) undocumented.push(`${name}.${member.name.value}`);
        }
      }
      expect(undocumented).to.deep.equal([]);
      expect(fields).to.be.greaterThan(250);
    });
  });

  describe("entities", function () {
    it("indexes trusted issuers, actors and their credentials, with revocation and suspension", async function () {
      const a = s.actors;
      const data = await query(
        `query ($mill: ID!, $revoked: ID!, $mill2: ID!, $issuer: ID!, $credential: ID!) {
          mill: actor(id: $mill) { did roles roleNames country onboardedAt suspended credentialRevoked
            issuer { id } currentCredential { status } credentials { id } }
          revoked: actor(id: $revoked) { credentialRevoked }
          mill2: actor(id: $mill2) { suspended }
          issuer: trustedIssuer(id: $issuer) { roles active credentials(first: 100) { id } }
          credential(id: $credential) { status revokedBy revokedAt subject { id } }
        }`,
        {
          mill: a.mill,
          revoked: a.revokedActor,
          mill2: a.mill2,
          issuer: a.issuer,
          credential: s.records.credentialRevoked,
        },
      );
      expect(data.mill).to.deep.include({
        did: `did:web:${a.mill.slice(2, 10).toLowerCase()}.example.com`,
        roles: 1,
        roleNames: ["MILL"],
        country: "KR",
        onboardedAt: String(s.stepTimes["onboard:mill"]),
        suspended: false,
        credentialRevoked: false,
        issuer: { id: lower(a.issuer) },
        currentCredential: { status: "CURRENT" },
      });
      expect(data.mill.credentials).to.have.length(1);
      expect(data.revoked).to.deep.equal({ credentialRevoked: true });
      expect(data.mill2).to.deep.equal({ suspended: false });
      // A renewal replaces the credential but keeps the first onboarding time.
      const renewal = await query(
        `query ($carrier: ID!, $first: ID!, $issuer2: ID!) {
          actor(id: $carrier) { onboardedAt currentCredential { id status replaces { id } } }
          credential(id: $first) { status }
          trustedIssuer(id: $issuer2) { roles active }
        }`,
        { carrier: a.carrier, first: s.records.carrierCredential, issuer2: a.issuer2 },
      );
      expect(renewal).to.deep.equal({
        actor: {
          onboardedAt: String(s.stepTimes["onboard:carrier"]),
          currentCredential: {
            id: s.records.carrierRenewal,
            status: "CURRENT",
            replaces: { id: s.records.carrierCredential },
          },
        },
        credential: { status: "REPLACED" },
        trustedIssuer: { roles: 0, active: false },
      });
      expect(data.issuer).to.deep.include({ roles: 255, active: true });
      expect(data.issuer.credentials).to.have.length(13);
      expect(data.credential).to.deep.equal({
        status: "REVOKED",
        revokedBy: lower(a.issuer),
        revokedAt: String(s.stepTimes.revokeCredential),
        subject: { id: lower(a.revokedActor) },
      });
      // Time travel: the suspension was in force between suspend and reinstate.
      const then = await query(`query ($id: ID!, $b: Int!) { actor(id: $id, block: { number: $b }) { suspended } }`, {
        id: a.mill2,
        b: s.steps.suspend,
      });
      expect(then.actor).to.deep.equal({ suspended: true });
    });

    it("shows an actor inactive for the roles its issuer lost, at once, until re-credentialed (R2)", async function () {
      const at = async (step: string): Promise<Row> =>
        (
          await query(
            `query ($id: ID!, $b: Int!) {
              actor(id: $id, block: { number: $b }) { roles trustedRoles trustedRoleNames issuer { id roles } }
            }`,
            { id: s.actors.orphan, b: s.steps[step] },
          )
        ).actor as Row;
      const issuer2 = { id: lower(s.actors.issuer2) };
      expect(await at("onboard:orphan")).to.deep.equal({
        roles: 68,
        trustedRoles: 68,
        trustedRoleNames: ["EXPORTER", "CERTIFIER"],
        issuer: { ...issuer2, roles: 68 },
      });
      expect(await at("narrowIssuer2")).to.deep.equal({
        roles: 68,
        trustedRoles: 64,
        trustedRoleNames: ["CERTIFIER"],
        issuer: { ...issuer2, roles: 64 },
      });
      expect(await at("removeIssuer2")).to.deep.equal({
        roles: 68,
        trustedRoles: 0,
        trustedRoleNames: [],
        issuer: { ...issuer2, roles: 0 },
      });
      expect(await at("onboard:orphan:recredential")).to.deep.equal({
        roles: 68,
        trustedRoles: 68,
        trustedRoleNames: ["EXPORTER", "CERTIFIER"],
        issuer: { id: lower(s.actors.issuer), roles: 255 },
      });
      const data = await query(`query ($id: ID!) { trustedIssuer(id: $id) { actors { id } } }`, {
        id: s.actors.issuer2,
      });
      expect(data.trustedIssuer.actors).to.deep.equal([]);
    });

    it("keeps a revoked credential REVOKED when a newer one follows (S1), and follows CBP's repair (A1)", async function () {
      const r = s.records;
      const at = async (step: string): Promise<Row> =>
        await query(
          `query ($id: ID!, $first: ID!, $b: Int!) {
            actor(id: $id, block: { number: $b }) {
              roles trustedRoles credentialRevoked credentialClearedAt onboardedAt
              currentCredential { id status replaces { id } }
            }
            credential(id: $first, block: { number: $b }) { status }
          }`,
          { id: s.actors.repaired, first: r.repairedFirst, b: s.steps[step] },
        );
      const onboardedAt = String(s.stepTimes["onboard:repaired"]);
      expect(await at("onboard:repaired:renewal")).to.deep.equal({
        actor: {
          ...{ roles: 1, trustedRoles: 1, credentialRevoked: false, credentialClearedAt: null, onboardedAt },
          currentCredential: { id: r.repairedRenewal, status: "CURRENT", replaces: { id: r.repairedFirst } },
        },
        credential: { status: "REVOKED" },
      });
      expect(await at("clear:repaired")).to.deep.equal({
        actor: {
          ...{ roles: 0, trustedRoles: 0, credentialRevoked: true, onboardedAt },
          credentialClearedAt: String(s.stepTimes["clear:repaired"]),
          currentCredential: { id: r.repairedRenewal, status: "REVOKED", replaces: { id: r.repairedFirst } },
        },
        credential: { status: "REVOKED" },
      });
      expect(await at("onboard:repaired:afterClear")).to.deep.equal({
        actor: {
          ...{ roles: 1, trustedRoles: 1, credentialRevoked: false, credentialClearedAt: null, onboardedAt },
          currentCredential: { id: r.repairedAfterClear, status: "CURRENT", replaces: null },
        },
        credential: { status: "REVOKED" },
      });
    });

    it("decodes mill test reports: chemistry, mechanics, heat, supersession and mass balance", async function () {
      const r = s.records;
      const data = await query(
        `query ($h1: ID!, $h1b: ID!) {
          h1: millTestReport(id: $h1) { certificateNumber heatNumber countryOfMeltAndPour derived status
            successor { id } consumedKg remainingKg totalKg invalidatedAt
            carbonPpm manganesePpm phosphorusPpm sulfurPpm siliconPpm aluminumPpm copperPpm nickelPpm chromiumPpm
            molybdenumPpm tinPpm niobiumPpm vanadiumPpm titaniumPpm boronPpm nitrogenPpm calciumPpm leadPpm
            carbonEquivalentPpm yieldStrength tensileStrength elongation reductionOfArea charpyEnergy hardness
            hardnessScale meltAndPourCountries heat { heatNumber mill { id } countryOfMeltAndPour reports { id } } }
          h1b: millTestReport(id: $h1b) { grade status supersedes { id } consumedKg remainingKg utilizationBps
            heat { id } }
        }`,
        { h1: r.H1, h1b: r.H1b },
      );
      const c = HEAT_CHEMISTRY_PPM;
      expect(data.h1).to.deep.include({
        certificateNumber: "MTR-2026-H1",
        heatNumber: "K4471",
        countryOfMeltAndPour: "KR",
        derived: false,
        status: "SUPERSEDED",
        successor: { id: r.H1b },
        totalKg: "120000",
        consumedKg: "70500", // 60 000 to the coil, 10 000 to shipment A, 500 to shipment B
        remainingKg: "49500",
        invalidatedAt: String(s.stepTimes.supersedeH1),
        carbonPpm: c.c,
        manganesePpm: c.mn,
        phosphorusPpm: c.p,
        sulfurPpm: c.s,
        siliconPpm: c.si,
        aluminumPpm: c.al,
        copperPpm: c.cu,
        nickelPpm: c.ni,
        chromiumPpm: c.cr,
        molybdenumPpm: c.mo,
        tinPpm: null, // not reported
        niobiumPpm: c.nbCb,
        vanadiumPpm: c.v,
        titaniumPpm: c.ti,
        boronPpm: c.b,
        nitrogenPpm: c.n,
        calciumPpm: c.ca,
        leadPpm: c.pb,
        carbonEquivalentPpm: c.ce,
        yieldStrength: String(HEAT_MECHANICS.yieldStrength),
        tensileStrength: String(HEAT_MECHANICS.tensileStrength),
        elongation: String(HEAT_MECHANICS.elongation),
        reductionOfArea: null, // not reported
        charpyEnergy: String(HEAT_MECHANICS.charpy),
        hardness: String(HEAT_MECHANICS.hardness),
        hardnessScale: "HRB",
        meltAndPourCountries: ["KR"],
      });
      expect(data.h1.heat).to.deep.include({
        heatNumber: "K4471",
        mill: { id: lower(s.actors.mill) },
        countryOfMeltAndPour: "KR",
      });
      expect(data.h1.heat.reports.map((x: Row) => x.id)).to.have.members([r.H1, r.H1b]);
      // The correction carries over the kilograms already handed out, and certifies the same heat.
      expect(data.h1b).to.deep.equal({
        grade: "X56",
        status: "ACTIVE",
        supersedes: { id: r.H1 },
        consumedKg: "70500",
        remainingKg: "49500",
        utilizationBps: 5875,
        heat: { id: ethers.concat([s.actors.mill, ethers.toUtf8Bytes("K4471")]).toLowerCase() },
      });
    });

    it("records lineage edges with the kilograms taken and the inputs' remaining balance", async function () {
      const data = await query(`{ lineageEdges(orderBy: blockNumber) { product { id } input { id } kg inputRemainingKg
        processor blockNumber } }`);
      expect(data.lineageEdges).to.deep.equal([
        {
          product: { id: s.records.COIL },
          input: { id: s.records.H1 },
          kg: "60000",
          inputRemainingKg: "60000",
          processor: lower(s.actors.processor),
          blockNumber: block("derive:COIL"),
        },
        {
          product: { id: s.records.PIPE },
          input: { id: s.records.COIL },
          kg: "13000",
          inputRemainingKg: "46000",
          processor: lower(s.actors.processor),
          blockNumber: block("derive:PIPE"),
        },
      ]);
    });

    it("keeps shipments at their current version, every version, lines, allocations and links", async function () {
      const data = await query(
        `query ($b: ID!) {
          shipment(id: $b) { version exporter manufacturer estimatedArrival targetingWindowOpensAt filedAt
            declaredOriginCountries transshipmentCountries exportCountry portOfEntry totalDeclaredKg meltCountries
            versions(orderBy: version) { version exporter manufacturer lineHts lineDeclaredKg previousVersionHash }
            lines { lineIndex current hts htsChapter htsHeading steel declaredKg allocatedKg originCountry }
            allocations(orderBy: linkedAtBlock) { millTestReport { id } kg active linkedAtBlock unlinkedAt }
            certificateLinks { certificate { id } active linkedAtBlock } }
        }`,
        { b: s.shipments.B },
      );
      const b = data.shipment;
      const a = s.actors;
      expect(b).to.deep.include({
        version: 2,
        exporter: lower(a.exporter),
        manufacturer: lower(a.processor),
        declaredOriginCountries: ["KR"],
        transshipmentCountries: ["VN"],
        exportCountry: "KR",
        portOfEntry: "USHOU",
        totalDeclaredKg: "8500",
        meltCountries: ["KR"],
        filedAt: String(s.stepTimes["B:file"]),
      });
      expect(BigInt(b.estimatedArrival) - BigInt(b.targetingWindowOpensAt)).to.equal(72n * 3600n);
      expect(b.versions.map((v: Row) => [v.version, v.exporter, v.manufacturer])).to.deep.equal([
        [1, lower(a.newExporter), lower(a.stranger)],
        [2, lower(a.exporter), lower(a.processor)],
      ]);
      expect(b.versions[0].previousVersionHash).to.equal(null);
      expect(b.versions[1].previousVersionHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(b.versions[1].lineHts).to.deep.equal(["7306191010"]);
      expect(b.lines).to.deep.equal([
        {
          lineIndex: 0,
          current: true,
          hts: "7306191010",
          htsChapter: 73,
          htsHeading: 7306,
          steel: true,
          declaredKg: "8500",
          allocatedKg: "500",
          originCountry: "KR",
        },
      ]);
      expect(b.allocations).to.deep.equal([
        {
          millTestReport: { id: s.records.CN1 },
          kg: "8000",
          active: false,
          linkedAtBlock: block("B:linkCn1"),
          unlinkedAt: String(s.stepTimes["B:unlinkCn1"]),
        },
        {
          millTestReport: { id: s.records.H1 },
          kg: "500",
          active: true,
          linkedAtBlock: block("B:linkH1"),
          unlinkedAt: null,
        },
      ]);
      expect(b.certificateLinks).to.deep.equal([
        { certificate: { id: s.records.COO_CN }, active: false, linkedAtBlock: block("B:linkCooCn") },
      ]);
    });

    it("keeps each shipment's filing reference and the reports' allocator approvals (A6, R1)", async function () {
      const data = await query(
        `query ($a: ID!, $pipe: Bytes!, $h1: Bytes!) {
          shipment(id: $a) { filingReference importer { id } }
          allocatorApprovals(where: { report: $pipe }) { report holder party approved updatedAtBlock }
          heatApprovals: allocatorApprovals(where: { report: $h1 }) { party approved updatedAtBlock }
        }`,
        { a: s.shipments.A, pipe: s.records.PIPE, h1: s.records.H1 },
      );
      const a = s.actors;
      expect(data.shipment.filingReference).to.equal(ethers.id("shipment:A"));
      expect(shipmentIdOf(data.shipment.importer.id, data.shipment.filingReference)).to.equal(s.shipments.A);
      expect(data.allocatorApprovals).to.deep.equal([
        {
          report: s.records.PIPE,
          holder: lower(a.processor),
          party: lower(a.importer),
          approved: true,
          updatedAtBlock: block("approve:pipe"),
        },
      ]);
      // The heat's mill approved the processor that derived coil from it, and later the importer.
      const heatApprovals = [...data.heatApprovals].sort(
        (x: { updatedAtBlock: string }, y: { updatedAtBlock: string }) =>
          Number(x.updatedAtBlock) - Number(y.updatedAtBlock),
      );
      expect(heatApprovals).to.deep.equal([
        { party: lower(a.processor), approved: true, updatedAtBlock: block("approve:h1-processor") },
        { party: lower(a.importer), approved: true, updatedAtBlock: block("approve:h1") },
      ]);
    });

    it("keeps a line dropped by an amendment, no longer current", async function () {
      const data = await query(
        `query ($d: ID!) { shipment(id: $d) { version lineCount totalDeclaredKg lines(orderBy: lineIndex) {
          lineIndex current declaredKg } versions(orderBy: version) { lineDeclaredKg } } }`,
        { d: s.shipments.D },
      );
      expect(data.shipment).to.deep.equal({
        version: 2,
        lineCount: 1,
        totalDeclaredKg: "900",
        lines: [
          { lineIndex: 0, current: true, declaredKg: "900" },
          { lineIndex: 1, current: false, declaredKg: "100" },
        ],
        versions: [{ lineDeclaredKg: ["900", "100"] }, { lineDeclaredKg: ["900"] }],
      });
    });

    it("follows the customs lifecycle: status changes and CBP actions", async function () {
      const data = await query(
        `query ($a: ID!) {
          shipment(id: $a) { status activeHolds
            statusChanges(orderBy: blockNumber) { from to by blockNumber }
            cbpActions(orderBy: blockNumber) { kind activeHolds by blockNumber } }
          watchEntries { id meltCountry htsPrefix prefixLength caseReference active publishedAt retiredAt }
        }`,
        { a: s.shipments.A },
      );
      const { carrier, cbp } = s.actors;
      expect(data.shipment.status).to.equal("RELEASED");
      expect(data.shipment.activeHolds).to.equal(0);
      expect(data.shipment.statusChanges).to.deep.equal([
        { from: "FILED", to: "DEPARTED", by: lower(carrier), blockNumber: block("A:depart") },
        { from: "DEPARTED", to: "ARRIVED", by: lower(carrier), blockNumber: block("A:arrive") },
        { from: "ARRIVED", to: "RELEASED", by: lower(cbp), blockNumber: block("A:release") },
      ]);
      expect(data.shipment.cbpActions).to.deep.equal([
        { kind: "HOLD_PLACED", activeHolds: 1, by: lower(cbp), blockNumber: block("A:hold") },
        { kind: "INFORMATION_REQUESTED", activeHolds: null, by: lower(cbp), blockNumber: block("A:rfi") },
        { kind: "EXAMINATION_ORDERED", activeHolds: null, by: lower(cbp), blockNumber: block("A:exam") },
        { kind: "HOLD_LIFTED", activeHolds: 0, by: lower(cbp), blockNumber: block("A:lift") },
      ]);
      expect(data.watchEntries).to.deep.equal([
        {
          id: s.watchEntries.W1,
          meltCountry: "CN",
          htsPrefix: "7306",
          prefixLength: 4,
          caseReference: "A-570-910",
          active: false,
          publishedAt: String(s.stepTimes["B:publishWatch"]),
          retiredAt: String(s.stepTimes["B:retireWatch"]),
        },
      ]);
    });
  });

  describe("risk rules: raised when the cause appears, cleared (and kept) when it goes away", function () {
    it("MISSING_MTR (20): a steel line without MTR allocation", async function () {
      const a = await flags("A", "MISSING_MTR");
      expect(a.map((f) => [f.lineIndex, f.raisedAtBlock, f.clearedAtBlock])).to.deep.equal([
        [0, block("A:file"), block("A:linkPipe")],
        [1, block("A:file"), block("A:linkExp1")],
        [1, block("A:unlinkExp1"), block("A:linkH1")], // unlinking the expired report uncovered the line again
      ]);
      expect(history(await flags("B", "MISSING_MTR"))).to.deep.equal([[block("B:file"), block("B:linkCn1")]]);
      expect(history(await flags("C", "MISSING_MTR"))).to.deep.equal([[block("C:file"), block("C:linkCn1")]]);
      expect(await flags("D", "MISSING_MTR")).to.deep.equal([]); // HTS 7326 needs no mill test report
      expect(a.every((f) => f.severity === 20 && !f.active)).to.equal(true);
    });

    it("MELT_POUR_MISMATCH (40): declared origin KR, steel melted in CN; derived products inherit KR", async function () {
      const b = await flags("B", "MELT_POUR_MISMATCH");
      expect(history(b)).to.deep.equal([[block("B:linkCn1"), block("B:unlinkCn1")]]);
      expect(b[0]).to.deep.include({ document: s.records.CN1, lineIndex: 0, severity: 40, active: false });
      const c = await flags("C", "MELT_POUR_MISMATCH");
      expect(history(c)).to.deep.equal([[block("C:linkCn1"), null]]);
      expect(c[0].explanation).to.equal(
        "line 0 declares origin KR but mill test report MTR-2026-CN1 was melted and poured in CN",
      );
      expect(await flags("A", "MELT_POUR_MISMATCH")).to.deep.equal([]); // pipe <- coil <- Korean heat
    });

    it("COO_MISMATCH (25): a linked certificate names another origin", async function () {
      const b = await flags("B", "COO_MISMATCH");
      expect(history(b)).to.deep.equal([[block("B:linkCooCn"), block("B:unlinkCooCn")]]);
      expect(b[0]).to.deep.include({ document: s.records.COO_CN, severity: 25 });
      expect(await flags("A", "COO_MISMATCH")).to.deep.equal([]);
    });

    it("WEIGHT_MISMATCH (20): allocations off the declared weight by more than 2 %, raised again as a new flag", async function () {
      const b = await flags("B", "WEIGHT_MISMATCH");
      expect(history(b)).to.deep.equal([
        [block("B:linkCn1"), block("B:linkH1")], // 8 000 of 8 500 kg, then 8 500
        [block("B:unlinkCn1"), null], // 500 of 8 500 kg
      ]);
      expect(b[1].explanation).to.equal("line 0 (HTS 7306191010) declares 8500 kg, mill test reports cover 500 kg");
      expect(await flags("A", "WEIGHT_MISMATCH")).to.deep.equal([]);
    });

    it("DOCUMENT_REVOKED (40): expired, revoked or superseded after linking, on every shipment linked", async function () {
      const a = await flags("A", "DOCUMENT_REVOKED");
      expect(a.map((f) => [f.document, f.raisedAtBlock, f.clearedAtBlock])).to.deep.equal([
        [s.records.EXP1, block("A:depart"), block("A:unlinkExp1")], // expiry judged at the next event
        [s.records.COO_KR, block("A:revokeCooKr"), block("A:unlinkCooKr")],
        [s.records.H1, block("supersedeH1"), null],
      ]);
      expect(a.map((f) => f.explanation)).to.deep.equal([
        "mill test report MTR-2026-EXP1 is expired",
        "certificate of origin COO-2026-KR is revoked",
        "mill test report MTR-2026-H1 is superseded",
      ]);
      const b = await flags("B", "DOCUMENT_REVOKED");
      expect(b.map((f) => [f.document, f.raisedAtBlock, f.active])).to.deep.equal([
        [s.records.H1, block("supersedeH1"), true],
      ]);
    });

    it("UNVERIFIED_PARTY (30): a party not active for its role when the version was filed", async function () {
      const b = await flags("B", "UNVERIFIED_PARTY");
      expect(b.map((f) => [f.party, f.raisedAtBlock, f.clearedAtBlock])).to.deep.equal([
        [lower(s.actors.stranger), block("B:file"), block("B:amend")], // the amendment named an onboarded processor
      ]);
      const c = await flags("C", "UNVERIFIED_PARTY");
      expect(c.map((f) => [f.explanation, f.active, f.severity])).to.have.deep.members([
        [`EXPORTER ${lower(s.actors.newExporter)}: suspended`, true, 30],
        [`MANUFACTURER ${lower(s.actors.stranger)}: not an onboarded actor`, true, 30],
        [`CARRIER ${lower(s.actors.revokedActor)}: credential revoked`, true, 30],
      ]);
      expect(c).to.have.length(3);
      // D's amendment judged the parties again: the same cause keeps its flag.
      const d = await flags("D", "UNVERIFIED_PARTY");
      expect(d.map((f) => [f.explanation, f.raisedAtBlock, f.active])).to.deep.equal([
        [`MANUFACTURER ${lower(s.actors.expiredMill)}: credential expired`, block("D:file"), true],
      ]);
      expect(await flags("A", "UNVERIFIED_PARTY")).to.deep.equal([]);
    });

    it("NEW_PARTY (10): exporter onboarded less than 90 days before filing", async function () {
      const b = await flags("B", "NEW_PARTY");
      expect(b.map((f) => [f.party, f.raisedAtBlock, f.clearedAtBlock])).to.deep.equal([
        [lower(s.actors.newExporter), block("B:file"), block("B:amend")],
      ]);
      expect(b[0].explanation).to.equal(`EXPORTER ${lower(s.actors.newExporter)}: onboarded 0 days before filing`);
      expect(await flags("A", "NEW_PARTY")).to.deep.equal([]); // onboarded 100 days earlier
      const c = await flags("C", "NEW_PARTY");
      expect(c.map((f) => [f.party, f.raisedAtBlock, f.active])).to.deep.equal([
        [lower(s.actors.newExporter), block("C:file"), true],
      ]);
    });

    it("LATE_FILING (10): filed 12 hours before arrival, cleared when the arrival moved out", async function () {
      expect(history(await flags("B", "LATE_FILING"))).to.deep.equal([[block("B:file"), block("B:amend")]]);
      expect((await flags("B", "LATE_FILING"))[0].explanation).to.equal(
        "filed 12 h before the estimated arrival; due 24 h before",
      );
      expect(await flags("C", "LATE_FILING")).to.deep.equal([]); // 48 hours ahead
    });

    it("WATCHLIST (35) and TRANSSHIPMENT (30): follow the watch entry's publication and retirement", async function () {
      const watch = await flags("B", "WATCHLIST");
      expect(history(watch)).to.deep.equal([[block("B:publishWatch"), block("B:retireWatch")]]);
      expect(watch[0]).to.deep.include({ lineIndex: 0, watchEntry: { id: s.watchEntries.W1 }, severity: 35 });
      const transshipment = await flags("B", "TRANSSHIPMENT");
      expect(history(transshipment)).to.deep.equal([[block("B:publishWatch"), block("B:retireWatch")]]);
      expect(transshipment[0].explanation).to.equal("steel melted in CN (watched: A-570-910) routed through KR");
      // C's Chinese steel came after the retirement: no watch flags.
      expect(await flags("C", "WATCHLIST")).to.deep.equal([]);
    });

    it("every flag carries the severity scripts/lib/risk-rules.ts gives its rule", async function () {
      const data = await query(`{ riskFlags(first: 1000) { rule severity } }`);
      const raised = data.riskFlags as Row[];
      expect(raised.length).to.be.greaterThan(10);
      for (const f of raised) expect(f.severity, f.rule as string).to.equal(severityOf(f.rule as string));
      expect(new Set(raised.map((f) => f.rule as string)).size).to.be.at.least(10);
    });

    it("keeps the current version's party findings as rows (rule, role, party, reason), and as text", async function () {
      const data = await query(
        `query ($id: ID!) { shipment(id: $id) { version unverifiedParties newParties
          partyFindings { rule role party reason version shipment { id } } } }`,
        { id: s.shipments.C },
      );
      const c = data.shipment as Row;
      const rows = c.partyFindings as Row[];
      expect(rows.filter((r) => r.rule === "UNVERIFIED_PARTY").map((r) => [r.role, r.party, r.reason])).to.deep.equal([
        ["EXPORTER", lower(s.actors.newExporter), "suspended"],
        ["MANUFACTURER", lower(s.actors.stranger), "not an onboarded actor"],
        ["CARRIER", lower(s.actors.revokedActor), "credential revoked"],
      ]);
      const newcomers = rows.filter((r) => r.rule === "NEW_PARTY");
      expect(newcomers.map((r) => [r.role, r.party])).to.deep.equal([["EXPORTER", lower(s.actors.newExporter)]]);
      expect(newcomers[0].reason).to.match(/^onboarded \d+ days before filing$/);
      for (const r of rows) expect([r.version, r.shipment.id]).to.deep.equal([c.version, s.shipments.C]);
      const text = (rule: string) =>
        rows.filter((r) => r.rule === rule).map((r) => `${r.role} ${r.party}: ${r.reason}`);
      expect(c.unverifiedParties).to.deep.equal(text("UNVERIFIED_PARTY"));
      expect(c.newParties).to.deep.equal(text("NEW_PARTY"));
      const a = await query(`query ($id: ID!) { shipment(id: $id) { partyFindings { id } } }`, { id: s.shipments.A });
      expect(a.shipment.partyFindings).to.deep.equal([]);
    });

    it("riskScore is the sum of the active flags' severities, at every block", async function () {
      const checkpoints = ["B:file", "B:linkCn1", "B:publishWatch", "B:amend", "B:unlinkCn1", "supersedeH1"];
      const scores: number[] = [];
      for (const step of checkpoints) {
        const data = await query(
          `query ($id: ID!, $b: Int!) { shipment(id: $id, block: { number: $b }) { riskScore activeRules
            flags(where: { active: true }, first: 100) { severity rule } } }`,
          { id: s.shipments.B, b: s.steps[step] },
        );
        const sum = (data.shipment.flags as Row[]).reduce((total, f) => total + (f.severity as number), 0);
        expect(data.shipment.riskScore, step).to.equal(sum);
        expect([...data.shipment.activeRules].sort(), step).to.deep.equal(
          (data.shipment.flags as Row[]).map((f) => f.rule).sort(),
        );
        scores.push(sum);
      }
      // NEW 10 + UNVERIFIED 30 + LATE 10 + MISSING 20; then MISSING cleared, MELT 40 + WEIGHT 20; then COO 25,
      // WATCHLIST 35, TRANSSHIPMENT 30; ...
      expect(scores).to.deep.equal([70, 110, 200, 130, 20, 60]);
      const now = await query(`{ shipments(orderBy: filedAt) { id riskScore } }`);
      expect(now.shipments).to.deep.equal([
        { id: s.shipments.A, riskScore: 40 },
        { id: s.shipments.B, riskScore: 60 },
        { id: s.shipments.C, riskScore: 140 }, // 3 unverified parties, a newcomer, a melt-and-pour mismatch
        { id: s.shipments.D, riskScore: 30 }, // the expired manufacturer
      ]);
    });
  });

  describe("saved queries, run unchanged", function () {
    it("high-risk-arrivals: C (score 140, due in 48 h), not B (due later) nor D (score 30)", async function () {
      const data = await query(saved("high-risk-arrivals"), { now: String(s.stepTimes["D:file"]) });
      expect(data.shipments.map((x: Row) => [x.id, x.riskScore, x.status])).to.deep.equal([
        [s.shipments.C, 140, "FILED"],
      ]);
      expect(data.shipments[0].flags.map((f: Row) => f.rule)).to.deep.equal([
        "MELT_POUR_MISMATCH",
        "UNVERIFIED_PARTY",
        "UNVERIFIED_PARTY",
        "UNVERIFIED_PARTY",
        "NEW_PARTY",
      ]);
      // Three days later C's arrival is past, and B (score 60, arriving five days after its amendment) is due.
      const later = await query(saved("high-risk-arrivals"), { now: String(s.stepTimes["D:file"] + 3 * 86_400) });
      expect(later.shipments.map((x: Row) => [x.id, x.riskScore])).to.deep.equal([[s.shipments.B, 60]]);
    });

    it("melt-pour-mismatches: the active mismatch of C, not B's cleared one", async function () {
      const data = await query(saved("melt-pour-mismatches"));
      expect(data.riskFlags.map((f: Row) => [f.shipment.id, f.document, f.lineIndex])).to.deep.equal([
        [s.shipments.C, s.records.CN1, 0],
      ]);
      expect(data.riskFlags[0].shipment).to.deep.include({ declaredOriginCountries: ["KR"], meltCountries: ["CN"] });
    });

    it("mtrs-near-limit: the pipe, 12 000 of 12 500 kg allocated", async function () {
      const data = await query(saved("mtrs-near-limit"));
      expect(data.millTestReports).to.deep.equal([
        {
          id: s.records.PIPE,
          certificateNumber: "MTR-2026-PIPE",
          heatNumber: "K4471",
          derived: true,
          issuer: { id: lower(s.actors.processor) },
          totalKg: "12500",
          consumedKg: "12000",
          remainingKg: "500",
          utilizationBps: 9600,
          allocations: [{ kg: "12000", lineIndex: 0, shipment: { id: s.shipments.A } }],
        },
      ]);
    });

    it("party-shipments: by current-version party", async function () {
      const ids = async (party: string): Promise<string[]> =>
        ((await query(saved("party-shipments"), { party: lower(party) })).shipments as Row[]).map((x) => x.id);
      const { A, B, C, D } = s.shipments;
      expect(await ids(s.actors.processor)).to.deep.equal([A, B]);
      expect(await ids(s.actors.newExporter)).to.deep.equal([C]); // B's amendment replaced it
      expect(await ids(s.actors.stranger)).to.deep.equal([C]);
      expect(await ids(s.actors.broker)).to.deep.equal([A]); // the filer
      expect(await ids(s.actors.importer)).to.deep.equal([A, B, C, D]);
      expect(await ids(s.actors.mill2)).to.deep.equal([]);
    });

    it("pipe-lineage: pipe <- coil <- heat K4471", async function () {
      const data = await query(saved("pipe-lineage"), { id: s.records.PIPE });
      const pipe = data.millTestReport;
      expect(pipe).to.deep.include({ certificateNumber: "MTR-2026-PIPE", derived: true, meltAndPourCountries: ["KR"] });
      expect(pipe.originHeats).to.deep.equal([
        {
          id: ethers.concat([s.actors.mill, ethers.toUtf8Bytes("K4471")]).toLowerCase(),
          heatNumber: "K4471",
          countryOfMeltAndPour: "KR",
          mill: { id: lower(s.actors.mill) },
        },
      ]);
      expect(pipe.inputs).to.deep.equal([
        {
          kg: "13000",
          input: {
            id: s.records.COIL,
            certificateNumber: "MTR-2026-COIL",
            derived: true,
            heat: null,
            inputs: [
              {
                kg: "60000",
                input: {
                  id: s.records.H1,
                  certificateNumber: "MTR-2026-H1",
                  derived: false,
                  heat: { heatNumber: "K4471" },
                  inputs: [],
                },
              },
            ],
          },
        },
      ]);
    });

    it("revoked-after-link: the expired and the superseded report, the revoked certificate", async function () {
      const data = await query(saved("revoked-after-link"));
      const allocations = (data.allocations as Row[]).map((x) => [
        x.shipment.id,
        x.millTestReport.id,
        x.millTestReport.status,
        x.active,
      ]);
      expect(allocations).to.have.deep.members([
        [s.shipments.A, s.records.EXP1, "ACTIVE", false], // expired while linked, since unlinked
        [s.shipments.A, s.records.H1, "SUPERSEDED", true],
        [s.shipments.B, s.records.H1, "SUPERSEDED", true],
      ]);
      expect(allocations).to.have.length(3);
      expect(data.allocations[0].millTestReport.id).to.equal(s.records.EXP1); // ordered by when it was seen
      expect(
        (data.certificateLinks as Row[]).map((x) => [x.shipment.id, x.certificate.id, x.certificate.status, x.active]),
      ).to.deep.equal([[s.shipments.A, s.records.COO_KR, "REVOKED", false]]);
      expect(data.certificateLinks[0].invalidatedWhileLinkedAt).to.equal(String(s.stepTimes["A:revokeCooKr"]));
    });
  });
});
