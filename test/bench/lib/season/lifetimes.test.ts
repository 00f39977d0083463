import { expect } from "chai";
import { Lifetimes } from "../../../../bench/lib/season/lifetimes";

/** The season generator's rule for forgetting: who can still be reached by a later event. */
describe("bench/lib/season/lifetimes", function () {
  let retired: string[];
  let life: Lifetimes;

  beforeEach(function () {
    retired = [];
    life = new Lifetimes(
      (j) => retired.push(`shipment ${j}`),
      (id) => retired.push(`doc ${id}`),
    );
  });

  it("retires a shipment when its last planned event has run, not before", function () {
    life.filed(1);
    life.planned(1);
    life.planned(1);
    life.ran(1);
    expect(retired).to.deep.equal([]);
    life.ran(1);
    expect(retired).to.deep.equal(["shipment 1"]);
  });

  it("keeps a shipment while a document it links is open in its pool, then retires both", function () {
    life.filed(1);
    life.planned(1);
    life.created("R", true);
    life.linked(1, "R");
    life.ran(1);
    expect(retired).to.deep.equal([]);
    life.closed("R");
    expect(retired).to.deep.equal(["shipment 1", "doc R"]);
  });

  it("keeps every shipment linked to a document with a revocation planned until it has run", function () {
    for (const j of [1, 2]) {
      life.filed(j);
      life.planned(j);
    }
    life.created("C", false);
    life.linked(1, "C");
    life.linked(2, "C");
    life.planned(1); // the revocation is shipment 1's event
    life.revocationPlanned("C");
    life.ran(1);
    life.ran(2);
    expect(retired).to.deep.equal([]);
    life.revocationRan("C");
    expect(retired).to.deep.equal(["shipment 2"]); // shipment 1 is still running the revocation
    life.ran(1);
    expect(retired).to.deep.equal(["shipment 2", "shipment 1", "doc C"]);
  });

  it("keeps a settled document while a live shipment links it (that shipment's evaluations read it)", function () {
    life.filed(1);
    life.filed(2);
    life.planned(1);
    life.planned(2);
    life.created("R", true);
    life.linked(1, "R");
    life.linked(2, "R");
    life.closed("R");
    life.ran(1);
    expect(retired).to.deep.equal(["shipment 1"]);
    life.ran(2);
    expect(retired).to.deep.equal(["shipment 1", "shipment 2", "doc R"]);
  });

  it("retires a shipment's other documents with it, and a closed document nobody links at once", function () {
    life.filed(1);
    life.planned(1);
    life.created("A", false);
    life.created("B", true);
    life.linked(1, "A");
    life.linked(1, "B");
    life.created("Z", true);
    life.closed("Z");
    expect(retired).to.deep.equal(["doc Z"]);
    life.ran(1);
    expect(retired).to.deep.equal(["doc Z"]); // B is open
    life.closed("B");
    expect(retired).to.deep.equal(["doc Z", "shipment 1", "doc A", "doc B"]);
  });

  it("keeps a shipment with an event planned even when none of its documents is pinned", function () {
    life.filed(1);
    life.planned(1);
    life.planned(1);
    life.created("A", false);
    life.linked(1, "A");
    life.revocationPlanned("A");
    life.revocationRan("A");
    life.ran(1);
    expect(retired).to.deep.equal([]);
    life.ran(1);
    expect(retired).to.deep.equal(["shipment 1", "doc A"]);
  });
});
