import { expect } from "chai";
import { formatReport, measureGas, resultsDocument, type GasReport } from "../../bench/lib/gas";

/** The gas benchmark on a reduced set (batches of 3): every figure is measured and every EAS pair is there. */
describe("bench/gas: measureGas", function () {
  const BATCH = 3;
  let report: GasReport;

  before(async function () {
    report = await measureGas({ batchSize: BATCH });
  });

  it("measures every registry operation and EAS with positive gas", function () {
    const keys = report.rows.map((row) => row.key);
    expect(new Set(keys).size).to.equal(keys.length);
    for (const key of [
      "onboard.subject",
      "onboard.relayed",
      "mtr.issue",
      "mtr.issueBySig",
      "mtr.issueBatch.perItem",
      "mtr.issueBatchBySig.perItem",
      "mtr.derive",
      "coo.issue",
      "shipment.file",
      "shipment.fileBySig",
      "shipment.linkMtr",
      "shipment.linkCoo",
      "shipment.departed",
      "shipment.arrived",
      "shipment.released",
      "shipment.hold",
      "eas.attest",
      "eas.attestByDelegation",
      "eas.multiAttest.perItem",
    ]) {
      expect(keys, key).to.include(key);
    }
    for (const row of report.rows) {
      expect(Number.isInteger(row.gas), row.key).to.equal(true);
      expect(row.gas, row.key).to.be.greaterThan(0);
    }
    const batches = report.rows.filter((row) => row.key.endsWith(".perItem"));
    expect(batches).to.have.length(4);
    for (const row of batches) expect(row.items, row.key).to.equal(BATCH);
  });

  it("pairs each TradeTrace registration with the EAS operation for the same data", function () {
    const pairs = report.comparisons.map((c) => [c.tradeTrace, c.eas]);
    expect(pairs).to.deep.include.members([
      ["mtr.issue", "eas.attest"],
      ["mtr.issueBySig", "eas.attestByDelegation"],
      ["mtr.issueBatch.perItem", "eas.multiAttest.perItem"],
      ["mtr.issueBatchBySig.perItem", "eas.multiAttestByDelegation.perItem"],
    ]);
    for (const c of report.comparisons) {
      const tradeTrace = report.rows.find((row) => row.key === c.tradeTrace);
      const eas = report.rows.find((row) => row.key === c.eas);
      expect(tradeTrace?.system, c.label).to.equal("TradeTrace");
      expect(eas?.system, c.label).to.equal("EAS");
      expect(c.tradeTraceGas).to.equal(tradeTrace?.gas);
      expect(c.easGas).to.equal(eas?.gas);
      expect(c.ratio).to.be.closeTo(c.tradeTraceGas / c.easGas, 0.001);
    }
  });

  it("judges the goals and explains every miss", function () {
    expect(report.goals).to.have.length(3);
    for (const goal of report.goals) {
      expect(goal.pass, goal.name).to.be.a("boolean");
      if (!goal.pass) expect(goal.explanation, goal.name).to.match(/3 fresh storage slots/);
    }
    const text = formatReport(report);
    for (const goal of report.goals) expect(text).to.include(`${goal.pass ? "PASS" : "MISS"}  ${goal.name}`);
    for (const c of report.comparisons) expect(text).to.include(c.ratio.toFixed(3));
  });

  it("records machine, node version and date with the figures", function () {
    const date = new Date("2026-11-27T22:00:00Z");
    const doc = resultsDocument(report, date);
    expect(doc.date).to.equal(date.toISOString());
    expect(doc.machine.node).to.equal(process.version);
    expect(doc.machine.cpu).to.be.a("string").and.not.equal("");
    expect(doc.figures).to.equal(report.rows);
    expect(doc.goals).to.equal(report.goals);
  });
});
