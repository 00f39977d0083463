/**
 * The targeting report's trends section (scripts/season/trends.ts) over a season of data points answered as
 * graph-node's day aggregations would (test/helpers/tonnage-points.ts): every weekly figure and every riser is
 * recomputed here from the points themselves.
 */
import { expect } from "chai";
import { formatTable } from "../../../scripts/season/report";
import { laneName, seasonNamer, trendsSection, TREND_WEEKS } from "../../../scripts/season/trends";
import { fakeAggregations, seasonPoints, type ShippedPoint } from "../../helpers/tonnage-points";

const WEEK = 604_800;
const DAY = 86_400;
const NOW = 2930 * WEEK + 3 * DAY + 7200; // a Sunday, mid-week
const week = (t: number) => Math.floor(t / WEEK);
const t = (kg: number) => (kg / 1000).toFixed(1);

const ACTORS = [
  { name: "Surge Steel", address: "0xE1".padEnd(42, "0") },
  { name: "Steady Pipe", address: "0xE2".padEnd(42, "0") },
  { name: "Importer One", address: "0xA1".padEnd(42, "0") },
];

/** The rows of the table whose header starts with `header`, as cells split on runs of two spaces. */
function table(text: string, header: string): string[][] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`${header}  `));
  expect(start, `a table headed ${header}`).to.be.greaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (line.trim() === "") break;
    rows.push(line.split(/ {2,}/));
  }
  return rows;
}

const sum = (points: ShippedPoint[]) => points.reduce((a, p) => a + p.kg, 0);

describe("targeting report: trends", function () {
  const points = seasonPoints(NOW, 20).filter((p) => week(p.timestamp) <= week(NOW));
  const name = seasonNamer(ACTORS);
  let text: string;

  before(async function () {
    text = await trendsSection(fakeAggregations(points), NOW, name, formatTable);
  });

  for (const [header, keyOf] of [
    ["melt country", (p: ShippedPoint) => p.meltCountry],
    ["HTS chapter", (p: ShippedPoint) => p.htsChapter],
  ] as const) {
    it(`gives tonnes per week by ${header} for the last weeks, the current one marked`, function () {
      const rows = table(text, header);
      const weeks = Array.from({ length: TREND_WEEKS }, (_, i) => week(NOW) - TREND_WEEKS + 1 + i);
      const date = (w: number) => new Date(w * WEEK * 1000).toISOString().slice(0, 10);
      expect(rows[0]).to.deep.equal([
        header,
        ...weeks.map((w, i) => (i === weeks.length - 1 ? `${date(w)}*` : date(w))),
        "total",
      ]);
      const keys = [...new Set(points.filter((p) => week(p.timestamp) >= weeks[0]).map(keyOf))];
      expect(rows.slice(2).map((r) => r[0])).to.have.members(keys);
      for (const row of rows.slice(2)) {
        const own = points.filter((p) => keyOf(p) === row[0]);
        const cells = weeks.map((w) => t(sum(own.filter((p) => week(p.timestamp) === w))));
        expect(row.slice(1), row[0]).to.deep.equal([
          ...cells,
          t(sum(own.filter((p) => week(p.timestamp) >= weeks[0]))),
        ]);
      }
    });
  }

  it("names the exporters and lanes that rose most in the latest week over their mean week before", function () {
    const latest = Math.max(...points.map((p) => week(p.timestamp)));
    const riseOf = (own: ShippedPoint[]) => {
      const now = sum(own.filter((p) => week(p.timestamp) === latest));
      const before = sum(own.filter((p) => week(p.timestamp) >= latest - 12 && week(p.timestamp) < latest)) / 12;
      return { now, before, rise: now - before };
    };
    const exporters = table(text, "exporter").slice(2);
    expect(exporters[0][0]).to.equal("Surge Steel");
    for (const row of exporters) {
      const r = riseOf(points.filter((p) => name(p.exporter) === row[0]));
      expect(row.slice(1)).to.deep.equal([t(r.now), t(r.before), `+${t(r.rise)}`]);
    }
    const rises = exporters.map((r) => Number(r[3]));
    expect(rises).to.deep.equal([...rises].sort((a, b) => b - a));
    const lanes = table(text, "lane").slice(2);
    expect(lanes.length).to.be.within(1, 5);
    for (const row of lanes) {
      const own = points.filter((p) => laneName(`${p.exporter}>${p.importer}>${p.meltCountry}`, name) === row[0]);
      expect(own.length, row[0]).to.be.greaterThan(0);
      const r = riseOf(own);
      expect(row.slice(1)).to.deep.equal([t(r.now), t(r.before), `+${t(r.rise)}`]);
    }
    expect(text).to.include(`rose most in the week of ${new Date(latest * WEEK * 1000).toISOString().slice(0, 10)}`);
  });

  it("names lanes by their parties and melt country", function () {
    expect(laneName(`${ACTORS[0].address.toLowerCase()}>${ACTORS[2].address}>CN`, name)).to.equal(
      "Surge Steel → Importer One, CN",
    );
    expect(laneName(`0x1234567890abcdef>${ACTORS[1].address}>VN`, name)).to.equal("0x123456…cdef → Steady Pipe, VN");
    expect(laneName("not a lane", name)).to.equal("not a lane");
  });

  it("says so when the weeks hold no shipments", async function () {
    const empty = await trendsSection(fakeAggregations([]), NOW, name, formatTable);
    expect(empty).to.include("(no shipments in these weeks)");
    expect(empty).to.include("no shipments in these weeks: nothing rose");
  });
});
