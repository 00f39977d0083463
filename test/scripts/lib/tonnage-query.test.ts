/** Reading the tonnage aggregations (scripts/lib/tonnage-query.ts): timestamps, query documents, paged reads. */
import { expect } from "chai";
import {
  fromTimestamp,
  readTonnage,
  toTimestamp,
  tonnageQuery,
  TONNAGE_VIEWS,
  type TonnageBucket,
} from "../../../scripts/lib/tonnage-query";
import { fakeAggregations, seasonPoints, type ShippedPoint } from "../../helpers/tonnage-points";

const DAY = 86_400;
const END = 1_790_000_000;

/** The day buckets of one dimension, computed from the points directly. */
function expectedBuckets(points: ShippedPoint[], keyOf: (p: ShippedPoint) => string, since: number, until: number) {
  const sums = new Map<string, bigint>();
  for (const p of points) {
    const start = Math.floor(p.timestamp / DAY) * DAY;
    if (start >= since && start < until)
      sums.set(`${start} ${keyOf(p)}`, (sums.get(`${start} ${keyOf(p)}`) ?? 0n) + BigInt(p.kg));
  }
  return [...sums].sort().map(([k, kg]) => `${k} ${kg}`);
}
const asLines = (buckets: TonnageBucket[]) => buckets.map((b) => `${b.start} ${b.key} ${b.kg}`).sort();

describe("tonnage aggregations: reading", function () {
  it("turns unix seconds into graph-node Timestamps (microseconds) and back", function () {
    expect(toTimestamp(1_704_164_640)).to.equal("1704164640000000");
    expect(fromTimestamp("1704164640000000")).to.equal(1_704_164_640);
    expect(fromTimestamp(1_704_164_640_000_000)).to.equal(1_704_164_640);
    expect(fromTimestamp("1704164640999999")).to.equal(1_704_164_640);
    expect(() => toTimestamp(-1)).to.throw("not a time in unix seconds: -1");
    expect(() => toTimestamp(1.5)).to.throw("not a time in unix seconds: 1.5");
    expect(() => fromTimestamp("12:00")).to.throw("not a Timestamp: 12:00");
    expect(() => fromTimestamp(null)).to.throw("not a Timestamp: null");
  });

  it("asks for one aggregation's closed buckets in a time range, newest first", function () {
    const q = tonnageQuery(TONNAGE_VIEWS.meltCountry, "day");
    expect(q).to.match(/buckets: meltCountryTonnages\(/);
    expect(q).to.include("interval: day");
    expect(q).not.to.include("current:"); // the runtime refuses `current: include`
    expect(q).to.include("where: { timestamp_gte: $since, timestamp_lt: $before }");
    expect(q).to.include("orderDirection: desc");
    expect(q).to.include("{ timestamp meltCountry kg lines }");
    // One value's buckets: filtered by it, and the dimension (an actor that may not exist) not selected.
    const keyed = tonnageQuery(TONNAGE_VIEWS.exporter, "hour", true);
    expect(keyed).to.include("$key: String!");
    expect(keyed).to.include("exporter: $key }");
    expect(keyed).to.include("interval: hour");
    expect(keyed).to.include("{ timestamp kg lines }");
    expect(tonnageQuery(TONNAGE_VIEWS.mill, "day")).to.include("{ timestamp mill { id } kg lines }");
    expect(tonnageQuery(TONNAGE_VIEWS.certifiedMeltCountry, "day")).to.match(/certifiedMeltCountryTonnages\(/);
  });

  it("reads every bucket of a range in one page when it fits", async function () {
    const points = seasonPoints(END, 8);
    const calls: { field: string; variables: Record<string, unknown> }[] = [];
    const since = END - 28 * DAY;
    const read = await readTonnage(fakeAggregations(points, calls), "meltCountry", {
      interval: "day",
      since,
      until: END,
    });
    expect(read.complete).to.be.true;
    expect(read.from).to.equal(since);
    expect(asLines(read.buckets)).to.deep.equal(expectedBuckets(points, (p) => p.meltCountry, since, END));
    expect(calls).to.have.length(1);
    expect(calls[0].variables).to.deep.equal({ since: toTimestamp(since), before: toTimestamp(END), first: 1000 });
  });

  it("pages backwards, re-reading a day a full page cut in the middle", async function () {
    const points = seasonPoints(END, 4);
    const calls: { field: string; variables: Record<string, unknown> }[] = [];
    const since = END - 20 * DAY;
    const read = await readTonnage(fakeAggregations(points, calls), "port", {
      interval: "day",
      since,
      until: END,
      page: 5, // four lines at most a day: every full page holds an older day
      maxPages: 100,
    });
    expect(read.complete).to.be.true;
    expect(asLines(read.buckets)).to.deep.equal(expectedBuckets(points, (p) => p.port, since, END));
    expect(calls.length).to.be.greaterThan(5);
    // Each page ends just after the oldest day of the previous full page, which it reads again whole.
    for (let i = 1; i < calls.length; i++) {
      const before = Number(BigInt(String(calls[i].variables.before)) / 1_000_000n);
      expect(before % DAY).to.equal(1);
      expect(before).to.be.lessThan(Number(BigInt(String(calls[i - 1].variables.before)) / 1_000_000n));
    }
  });

  it("stops at the page limit and says from when the buckets are whole", async function () {
    const points = seasonPoints(END, 4);
    const since = END - 20 * DAY;
    const read = await readTonnage(fakeAggregations(points), "port", {
      interval: "day",
      since,
      until: END,
      page: 4,
      maxPages: 2,
    });
    expect(read.complete).to.be.false;
    expect(read.from).to.be.greaterThan(since);
    const whole = expectedBuckets(points, (p) => p.port, read.from, END);
    expect(asLines(read.buckets)).to.deep.equal(whole);
  });

  it("lists exporters and importers from the lanes, by lower-case address, never selecting an actor", async function () {
    const points = seasonPoints(END, 6).map((p) => ({ ...p, exporter: p.exporter.toUpperCase().replace("0X", "0x") }));
    const calls: { field: string; variables: Record<string, unknown> }[] = [];
    const since = END - 35 * DAY;
    for (const [dimension, keyOf] of [
      ["exporter", (p: ShippedPoint) => p.exporter.toLowerCase()],
      ["importer", (p: ShippedPoint) => p.importer.toLowerCase()],
    ] as const) {
      const read = await readTonnage(fakeAggregations(points, calls), dimension, {
        interval: "day",
        since,
        until: END,
        page: 20,
      });
      expect(read.complete).to.be.true;
      expect(asLines(read.buckets), dimension).to.deep.equal(expectedBuckets(points, keyOf, since, END));
    }
    expect(new Set(calls.map((c) => c.field))).to.deep.equal(new Set(["laneTonnages"]));
  });

  it("stops when one bucket time holds more values than a page", async function () {
    const points = ["a", "b", "c"].map((port) => ({ ...seasonPoints(END, 1)[0], timestamp: END - DAY, port }));
    const read = await readTonnage(fakeAggregations(points), "port", {
      interval: "day",
      since: END - 7 * DAY,
      until: END,
      page: 2,
    });
    expect(read).to.deep.include({ complete: false, buckets: [] });
  });

  it("filters by one dimension value", async function () {
    const points = seasonPoints(END, 3);
    const last = points[points.length - 1];
    const lane = `${last.exporter}>${last.importer}>${last.meltCountry}`;
    const since = END - 21 * DAY;
    const read = await readTonnage(fakeAggregations(points), "lane", { interval: "day", since, until: END, key: lane });
    expect(read.buckets.length).to.be.greaterThan(0);
    expect(new Set(read.buckets.map((b) => b.key))).to.deep.equal(new Set([lane]));
    const laneOf = (p: ShippedPoint) => `${p.exporter}>${p.importer}>${p.meltCountry}`;
    expect(asLines(read.buckets)).to.deep.equal(
      expectedBuckets(
        points.filter((p) => laneOf(p) === lane),
        laneOf,
        since,
        END,
      ),
    );
  });

  it("refuses an empty range without asking", async function () {
    const calls: { field: string; variables: Record<string, unknown> }[] = [];
    await readTonnage(fakeAggregations([], calls), "port", { interval: "day", since: END, until: END }).then(
      () => expect.fail("an empty range was read"),
      (e: Error) => expect(e.message).to.equal("the time range is empty: until must be after since"),
    );
    expect(calls).to.deep.equal([]);
  });
});
