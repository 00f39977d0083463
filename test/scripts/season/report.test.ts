/**
 * The targeting report (scripts/season/report.ts) says what to do next: each section with the full command that
 * prints it again, each flagged shipment with its status and arrival, times in words, the port of entry named.
 */
import { expect } from "chai";
import type { SeasonResult } from "../../../scripts/season/plan";
import {
  duration,
  queryCommand,
  relative,
  renderSaved,
  reportVariables,
  targetingReport,
  type RunQuery,
} from "../../../scripts/season/report";

const NOW = 1_790_000_000;
const PIPE = `0x${"ab".repeat(32)}`;
const IMPORTER = `0x${"Cd".repeat(20)}`;
const season = {
  shipments: [
    { key: "KR-01", id: "0x01", billOfLading: "B1", planted: null },
    {
      key: "FRAUD-late",
      id: "0x0f",
      billOfLading: "B2",
      planted: { fraud: "late filing", expectedRules: ["LATE_FILING"] },
    },
  ],
  actors: [],
  rejections: [],
  pipeReport: PIPE,
  importer: IMPORTER,
  now: NOW,
  transactions: 3,
} as unknown as SeasonResult;

/** Answers the report's flagged-shipments query with one late filing, every other query with no rows. */
const run: RunQuery = async (query) => {
  if (!query.includes("query Flagged"))
    return {
      buckets: [],
      shipments: [],
      riskFlags: [],
      millTestReports: [],
      allocations: [],
      certificateLinks: [],
      millTestReport: null,
    };
  return {
    shipments: [
      {
        id: "0x0f",
        billOfLading: "B2",
        status: "FILED",
        estimatedArrival: String(NOW + 30 * 3600),
        riskScore: "10",
        activeRules: ["LATE_FILING"],
        flags: [
          {
            rule: "LATE_FILING",
            severity: 10,
            explanation: "filed 12 h before the estimated arrival; due 24 h before",
          },
        ],
      },
    ],
  };
};

describe("targeting report", function () {
  it("gives times in words", function () {
    expect(duration(12 * 3600)).to.equal("12 h");
    expect(duration(30 * 3600)).to.equal("1 d 6 h");
    expect(duration(2 * 86400)).to.equal("2 d");
    expect(duration(90 * 60)).to.equal("1 h 30 min");
    expect(duration(59)).to.equal("0 min");
    expect(relative(NOW + 30 * 3600, NOW)).to.equal("in 1 d 6 h");
    expect(relative(NOW - 45 * 60, NOW)).to.equal("45 min ago");
  });

  it("prints each section with its full, copyable npm run query command", async function () {
    const { text } = await targetingReport(run, season);
    const vars = reportVariables(season);
    expect(text).to.include(`   npm run query -- pipe-lineage --var id=${PIPE}\n`);
    expect(text).to.include(`   npm run query -- party-shipments --var party=${IMPORTER.toLowerCase()}\n`);
    expect(text).to.include(`   npm run query -- high-risk-arrivals --var now=${NOW}\n`);
    expect(text).to.include("   npm run query -- mtrs-near-limit\n");
    expect(queryCommand("pipe-lineage", vars["pipe-lineage"])).to.equal(
      `npm run query -- pipe-lineage --var id=${PIPE}`,
    );
    expect(text).not.to.include("…");
  });

  it("has a trends section, which says when the weeks hold no shipments", async function () {
    const { text } = await targetingReport(run, season);
    expect(text).to.match(
      /\n== trends: shipped tonnes per week, the last 6 weeks[^\n]*\n[^]*\(no shipments in these weeks\)/,
    );
    expect(text.indexOf("== trends")).to.be.lessThan(text.indexOf("== flagged shipments"));
  });

  it("lists each flagged shipment with its status, its arrival in UTC and from now, and the explanation", async function () {
    const { text } = await targetingReport(run, season);
    expect(text).to.include(
      "FRAUD-late  B/L B2  score 10  FILED  ETA 2026-09-22 20:13 UTC (in 1 d 6 h)  planted: late filing\n" +
        "  LATE_FILING         10  filed 12 h before the estimated arrival; due 24 h before",
    );
  });

  it("lists the look-alikes as clean shipments that must stay quiet, and counts them in the verdict line", async function () {
    const withLookAlike = {
      ...season,
      shipments: [
        ...season.shipments,
        {
          key: "H13-CHE",
          id: "0x13",
          billOfLading: "B3",
          description: "a first load to Pacific, with three loads behind it",
          planted: null,
          lookAlike: "NEW_LANE",
        },
      ],
    } as unknown as SeasonResult;
    const { text, verdict } = await targetingReport(run, withLookAlike);
    expect(text).to.include("3 shipments filed (2 clean, 1 of them look-alikes, 1 with a planted fraud)");
    expect(text).to.match(/== look-alikes .*\nshipment\s+resembles\s+what it is\s+active rules\s+quiet\n/);
    expect(text).to.match(/\nH13-CHE\s+NEW_LANE\s+a first load to Pacific, with three loads behind it\s+yes\n/);
    expect(text).to.include("planted frauds flagged: 1/1; clean shipments flagged: 0; look-alikes flagged: 0/1");
    expect(verdict.ok).to.equal(true);
    const plain = await targetingReport(run, season);
    expect(plain.text).not.to.include("look-alike");
  });

  it("names the port of entry column", function () {
    const table = renderSaved(
      "high-risk-arrivals",
      {
        shipments: [
          {
            id: "0x0f",
            billOfLading: "B2",
            status: "FILED",
            estimatedArrival: NOW,
            portOfEntry: "3001",
            riskScore: 60,
            activeRules: ["WATCHLIST"],
          },
        ],
      },
      (id) => id,
    );
    expect(table.split("\n")[0]).to.match(/ETA \(UTC\)\s+port of entry\s+score/);
  });
});
