/**
 * The trend charts' shaping without a browser (web/src/analyst/insight/trend-model.ts): windows widened to whole
 * periods, names for dimension values, the top lines in tonnes, and an exporter's weeks against VOLUME_SURGE's line
 * recomputed here from the buckets.
 */
import { expect } from "chai";
import type { TonnageBucket } from "../../scripts/lib/tonnage-query";
import {
  actorsOf,
  chartOptions,
  parseLane,
  trendChart,
  valueName,
  weeklyChart,
  windowRange,
  TOP_LINES,
} from "../../web/src/analyst/insight/trend-model";
import { tonnageSeries } from "../../scripts/lib/tonnage-series";

const DAY = 86_400;
const WEEK = 604_800;
const A = `0x${"a1".repeat(20)}`;
const B = `0x${"b2".repeat(20)}`;
const b = (start: number, key: string, kg: number): TonnageBucket => ({ start, key, kg: BigInt(kg), lines: 1 });

describe("trend charts: shaping", function () {
  it("widens a window to whole periods, the open one included", function () {
    const now = 2930 * WEEK + 3 * DAY + 5;
    expect(windowRange(now, 30, "day")).to.deep.equal({
      since: Math.floor((now - 30 * DAY) / DAY) * DAY,
      until: Math.floor(now / DAY) * DAY + DAY,
    });
    expect(windowRange(now, 28, "week")).to.deep.equal({ since: 2926 * WEEK, until: 2931 * WEEK });
  });

  it("names actors by DID, lanes by their parties, the rest as they are", function () {
    const dids = new Map([[A, "did:web:a.example"]]);
    expect(valueName("exporter", A, dids)).to.equal("did:web:a.example");
    expect(valueName("mill", B, dids)).to.equal("0xb2b2…b2b2");
    expect(valueName("lane", `${A}>${B}>CN`, dids)).to.equal("did:web:a.example → 0xb2b2…b2b2, CN");
    expect(valueName("lane", "odd", dids)).to.equal("odd");
    expect(valueName("meltCountry", "CN", dids)).to.equal("CN");
    expect(actorsOf("lane", [`${A}>${B}>CN`, `${A}>${B}>VN`])).to.deep.equal([A, B]);
    expect(actorsOf("importer", [B])).to.deep.equal([B]);
    expect(actorsOf("port", ["USHOU"])).to.deep.equal([]);
  });

  it("reads a lane key, and refuses what is not one", function () {
    expect(parseLane(`${A.toUpperCase().replace("0X", "0x")}>${B}>CN`)).to.deep.equal({
      exporter: A,
      importer: B,
      country: "CN",
    });
    expect(parseLane(`${A}>${B}>cn`)).to.equal(null);
    expect(parseLane(`${A}>CN`)).to.equal(null);
    expect(parseLane(`${A}>${B}>CN>x`)).to.equal(null);
  });

  it("draws the top lines in tonnes and the rest as one, with each line's total in the text", function () {
    const keys = Array.from({ length: TOP_LINES + 2 }, (_, i) => `K${i}`);
    const buckets = keys.map((k, i) => b(i % 2 ? DAY : 0, k, (keys.length - i) * 1000));
    const chart = trendChart(tonnageSeries(buckets, { from: 0, until: 2 * DAY, period: "day" }), (k) => `name ${k}`);
    expect(chart.names).to.deep.equal([...keys.slice(0, TOP_LINES).map((k) => `name ${k}`), "all others"]);
    expect(chart.data[0]).to.deep.equal([0, DAY]);
    expect(chart.data[1]).to.deep.equal([keys.length, 0]);
    expect(chart.data[TOP_LINES + 1]).to.deep.equal([2, 1]); // K8 on day 0, K9 on day 1
    expect(chart.label).to.include("name K0 10.0 t").and.include("all others 3.0 t");
    const options = chartOptions("t", chart.names, "line");
    expect(options.series).to.have.length(chart.names.length + 2);
    expect(options.series[options.series.length - 1]).to.include({ label: "line" });
  });

  it("puts an exporter's weeks against VOLUME_SURGE's line from the 12 weeks before each", function () {
    const last = 100;
    const history = [4, 6, 5, 5, 4, 6, 5, 5, 4, 6, 5, 5, 5, 40]; // weeks 87 … 100, tonnes
    const buckets = history.map((t, i) => b((87 + i) * WEEK + 2 * DAY, A, t * 1000));
    const chart = weeklyChart(buckets, last, 2, { firstWeek: 87 });
    expect(chart.starts).to.deep.equal([99 * WEEK, 100 * WEEK]);
    expect(chart.tonnes).to.deep.equal([5, 40]);
    const line = (w: number) => {
      const before = Array.from({ length: 12 }, (_, i) => history[w - 12 + i - 87] ?? 0);
      const mean = before.reduce((x, y) => x + y, 0) / 12;
      const sigma = Math.sqrt(before.reduce((x, v) => x + (v - mean) ** 2, 0) / 12);
      return Math.max(mean + 3 * sigma, 2 * mean);
    };
    expect(chart.threshold![0]).to.be.closeTo(line(99), 1e-9);
    expect(chart.threshold![1]).to.be.closeTo(line(100), 1e-9);
    expect(chart.above).to.deep.equal([false, true]);
    // Too young an exporter is not judged; without the surge option there is no line.
    expect(weeklyChart(buckets, last, 2, { firstWeek: 95 }).threshold).to.deep.equal([null, null]);
    expect(weeklyChart(buckets, last, 2, { firstWeek: null }).above).to.deep.equal([false, false]);
    expect(weeklyChart(buckets, last, 2)).to.deep.include({ threshold: null, above: null });
  });
});
