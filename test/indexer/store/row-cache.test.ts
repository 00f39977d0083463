import { expect } from "chai";
import { RowCache } from "../../../indexer/store/row-cache";

describe("indexer/store row cache", () => {
  it("answers what was set, by type and key, and undefined for what was not", () => {
    const c = new RowCache<string | null>(10);
    c.set("Shipment", "0x01", "a");
    c.set("Actor", "0x01", null);
    expect(c.get("Shipment", "0x01")).to.equal("a");
    expect(c.get("Actor", "0x01")).to.equal(null); // a known absence is cached too
    expect(c.get("Shipment", "0x02")).to.equal(undefined);
    expect(c.get("Heat", "0x01")).to.equal(undefined);
  });

  it("replaces a value in place: setting a key again does not fill the generation", () => {
    const c = new RowCache<number>(2);
    for (let i = 0; i < 5; i++) c.set("T", "k", i);
    c.set("T", "other", 9);
    expect(c.get("T", "k")).to.equal(4);
    expect(c.get("T", "other")).to.equal(9);
  });

  it("drops the older generation whole once the young one has filled again", () => {
    const c = new RowCache<number>(2);
    c.set("T", "a", 1);
    c.set("T", "b", 2); // full: a and b become the old generation
    c.set("T", "c", 3);
    expect(c.size).to.equal(3);
    c.set("T", "d", 4); // c and d fill the young generation: a and b go
    expect(c.size).to.equal(2);
    expect(["a", "b", "c", "d"].map((k) => c.get("T", k))).to.deep.equal([undefined, undefined, 3, 4]);
  });

  it("moves an entry read from the old generation back into the young one, so it outlives the next turn", () => {
    const c = new RowCache<number>(3);
    c.set("T", "a", 1);
    c.set("T", "b", 2);
    c.set("T", "c", 3); // a, b, c are old now
    expect(c.get("T", "a")).to.equal(1); // a is young again
    c.set("T", "d", 4);
    c.set("T", "e", 5); // a, d, e fill the young generation: b and c go
    expect(["a", "b", "c", "d", "e"].map((k) => c.get("T", k))).to.deep.equal([1, undefined, undefined, 4, 5]);
  });

  it("keeps at most two generations of entries however many keys pass through", () => {
    const c = new RowCache<number>(100);
    for (let i = 0; i < 10_000; i++) c.set(i % 2 ? "A" : "B", String(i), i);
    expect(c.size).to.be.at.most(200);
    expect(c.get("B", "9998")).to.equal(9998);
    expect(c.get("A", "1")).to.equal(undefined);
  });

  it("forgets a deleted key in both generations, and everything on clear", () => {
    const c = new RowCache<number>(2);
    c.set("T", "a", 1);
    c.set("T", "b", 2); // a, b are old now
    c.set("T", "a", 10); // a is young too, with a newer value
    c.delete("T", "a");
    expect(c.get("T", "a")).to.equal(undefined); // the old generation's 1 does not come back
    c.delete("T", "missing");
    expect(c.get("T", "b")).to.equal(2);
    c.clear();
    expect(c.get("T", "b")).to.equal(undefined);
    expect(c.size).to.equal(0);
  });

  it("a delete frees the young generation's room", () => {
    const c = new RowCache<number>(2);
    c.set("T", "a", 1);
    c.delete("T", "a");
    c.set("T", "b", 2);
    c.set("T", "c", 3); // b and c fill it (a's slot was given back): both become the old generation
    c.set("T", "d", 4); // had a still counted, c and d would have filled it and dropped b
    expect(c.get("T", "b")).to.equal(2);
    expect(c.get("T", "a")).to.equal(undefined);
  });

  it("refuses a generation of no entries", () => {
    expect(() => new RowCache<number>(0)).to.throw(/at least one entry/);
  });
});
