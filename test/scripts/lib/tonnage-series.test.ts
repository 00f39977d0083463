/** Tonnage trends from buckets (scripts/lib/tonnage-series.ts): periods, top values, VOLUME_SURGE's baseline, risers. */
import { expect } from "chai";
import type { TonnageBucket } from "../../../scripts/lib/tonnage-query";
import {
  risers,
  surgeBaseline,
  surges,
  tonnageSeries,
  topOfSeries,
  WEEK,
  weekOf,
  weeklyKg,
} from "../../../scripts/lib/tonnage-series";

const DAY = 86_400;
const b = (start: number, key: string, kg: number, lines = 1): TonnageBucket => ({ start, key, kg: BigInt(kg), lines });

describe("tonnage aggregations: series", function () {
  it("lays day buckets on every day of the range, values by total, empty days as 0", function () {
    const s = tonnageSeries(
      [b(10 * DAY, "CN", 2000), b(12 * DAY, "KR", 3000), b(12 * DAY, "KR", 4500, 2), b(9 * DAY, "CN", 99)],
      {
        from: 10 * DAY + 5,
        until: 13 * DAY,
        period: "day",
      },
    );
    expect(s.starts).to.deep.equal([10 * DAY, 11 * DAY, 12 * DAY]);
    expect(s.keys).to.deep.equal(["KR", "CN"]);
    expect(s.kg).to.deep.equal([
      [0, 0, 7500],
      [2000, 0, 0],
    ]);
    expect(s.totals).to.deep.equal({ KR: 7500, CN: 2000 });
    expect(s.lines).to.deep.equal({ KR: 3, CN: 1 });
  });

  it("sums the seven days of a VOLUME_SURGE week (Thursday to Wednesday UTC)", function () {
    const w = 2930;
    expect(new Date(w * WEEK * 1000).getUTCDay()).to.equal(4);
    const buckets = [
      b(w * WEEK, "73", 1000),
      b(w * WEEK + 6 * DAY, "73", 500),
      b((w + 1) * WEEK, "73", 7000),
      b(w * WEEK - DAY, "73", 1),
    ];
    const s = tonnageSeries(buckets, { from: w * WEEK + 3 * DAY, until: (w + 2) * WEEK, period: "week" });
    expect(s.starts).to.deep.equal([w * WEEK, (w + 1) * WEEK]);
    expect(s.kg).to.deep.equal([[1500, 7000]]);
    expect(weekOf(w * WEEK + 6 * DAY + 86_399)).to.equal(w);
    expect(weekOf((w + 1) * WEEK)).to.equal(w + 1);
    expect([...weeklyKg(buckets)]).to.deep.equal([
      [w, 1500],
      [w + 1, 7000],
      [w - 1, 1],
    ]);
  });

  it("keeps the top values and sums the rest as one", function () {
    const s = tonnageSeries([b(0, "a", 5), b(0, "b", 4), b(DAY, "c", 3), b(0, "d", 2)], {
      from: 0,
      until: 2 * DAY,
      period: "day",
    });
    expect(topOfSeries(s, 2)).to.deep.equal({
      keys: ["a", "b", "all others"],
      kg: [
        [5, 0],
        [4, 0],
        [2, 3],
      ],
    });
    expect(topOfSeries(s, 4).keys).to.deep.equal(["a", "b", "c", "d"]);
  });

  it("computes VOLUME_SURGE's baseline over the 12 weeks before, empty weeks as 0, population σ", function () {
    const history = [0, 0, 10, 10, 10, 10, 20, 20, 20, 20, 30, 30];
    const weeks = new Map(history.map((kg, i) => [100 + i, kg * 1000]));
    const base = surgeBaseline(weeks, 112, 102)!;
    const mean = history.reduce((x, y) => x + y, 0) / 12;
    const sigma = Math.sqrt(history.reduce((x, v) => x + (v - mean) ** 2, 0) / 12);
    expect(base.mean).to.be.closeTo(mean * 1000, 1e-6);
    expect(base.sigma).to.be.closeTo(sigma * 1000, 1e-6);
    expect(base.threshold).to.be.closeTo((mean + 3 * sigma) * 1000, 1e-6);
    expect(surges(base.threshold + 1, base)).to.be.true;
    expect(surges(base.threshold, base)).to.be.false;
    // A flat history: σ = 0, so twice the mean is the bar.
    const flat = surgeBaseline(new Map(Array.from({ length: 12 }, (_, i) => [i, 4000])), 12, 0)!;
    expect(flat).to.deep.equal({ mean: 4000, sigma: 0, threshold: 8000 });
    expect(surges(7999, flat)).to.be.false;
    expect(surges(8000, flat)).to.be.true;
  });

  it("does not judge an exporter whose first filing is later than six weeks before", function () {
    const weeks = new Map([[50, 1000]]);
    expect(surgeBaseline(weeks, 56, 50)).to.not.equal(null);
    expect(surgeBaseline(weeks, 55, 50)).to.equal(null);
    expect(surgeBaseline(weeks, 56, null)).to.equal(null);
  });

  it("ranks the values that rose most in a week over their mean week before", function () {
    const w = 40;
    const buckets = [
      ...Array.from({ length: 12 }, (_, i) => b((w - 12 + i) * WEEK, "steady", 1000)),
      b(w * WEEK, "steady", 1000),
      b((w - 1) * WEEK, "jump", 1200),
      b(w * WEEK + DAY, "jump", 6000),
      b(w * WEEK + 2 * DAY, "jump", 1000),
      b(w * WEEK, "new", 3000),
      b((w - 13) * WEEK, "old", 90_000),
      b((w - 2) * WEEK, "fell", 9000),
    ];
    expect(risers(buckets, w, 12, 5)).to.deep.equal([
      { key: "jump", weekKg: 7000, baselineKg: 100, rise: 6900 },
      { key: "new", weekKg: 3000, baselineKg: 0, rise: 3000 },
    ]);
    expect(risers(buckets, w, 12, 1).map((r) => r.key)).to.deep.equal(["jump"]);
  });
});
