import { expect } from "chai";
import { id } from "ethers";
import { FilterError, OPEN_STATUSES, pageOf, queueWhere } from "../../../web/src/analyst/queue";
import { searchHits, searchKind, searchQuery, shipmentHref } from "../../../web/src/analyst/search";
import { credentialStatus, waitForIndexedPast, type PartyActor } from "../../../web/src/analyst/shipment";
import { timeline } from "../../../web/src/analyst/timeline";

const A = "0x00000000000000000000000000000000000000aa";

describe("web/src/analyst queue, search, timeline and party status", () => {
  it("builds the queue's where from the filters, normalised", () => {
    expect(queueWhere({})).to.deep.equal({ status_in: OPEN_STATUSES });
    expect(
      queueWhere(
        { port: " us hou ", chapter: "7306.19", rule: "WATCHLIST", melt: "cn" },
        A.toUpperCase().replace("0X", "0x"),
      ),
    ).to.deep.equal({
      status_in: OPEN_STATUSES,
      portOfEntry: "USHOU",
      htsChapters_contains: [73],
      activeRules_contains: ["WATCHLIST"],
      meltCountries_contains: ["CN"],
      parties_contains: [A],
    });
  });

  it("refuses filters it cannot ask, naming the field", () => {
    const bad: [object, string, RegExp][] = [
      [{ port: "Houston" }, "port", /UN\/LOCODE/],
      [{ chapter: "x" }, "chapter", /two digits/],
      [{ rule: "drop table" }, "rule", /unknown rule/],
      [{ melt: "CHN" }, "melt", /two letters/],
    ];
    for (const [filters, field, message] of bad) {
      let error: unknown;
      try {
        queueWhere(filters);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(FilterError);
      expect((error as FilterError).field).to.equal(field);
      expect((error as FilterError).message).to.match(message);
    }
    expect(pageOf({ page: "3" })).to.equal(3);
    for (const p of [undefined, "-1", "x", "1.5"]) expect(pageOf({ page: p })).to.equal(0);
  });

  it("tells what the search text is, and asks the fields that kind lives in", () => {
    expect(searchKind("did:web:mill.example")).to.equal("did");
    expect(searchKind(A)).to.equal("address");
    expect(searchKind(`0x${"ab".repeat(32)}`)).to.equal("id");
    expect(searchKind("HOU00260037")).to.equal("text");
    expect(searchKind("0x12")).to.equal("text");
    expect(searchQuery(` ${A.toUpperCase().replace("0X", "0x")} `).variables).to.deep.equal({ q: A });
    const text = searchQuery("K4471").query;
    for (const f of ["billOfLading", "entryNumber", "certificateNumber", "heatNumber", "certificateOfOrigins"]) {
      expect(text).to.include(f);
    }
  });

  it("turns an answer into hits, each once, shipments first", () => {
    const s = {
      id: "0xs1",
      billOfLading: "B1",
      entryNumber: "",
      status: "ARRIVED",
      riskScore: 40,
      portOfEntry: "USHOU",
      estimatedArrival: "1",
    };
    const hits = searchHits({
      byBill: [s],
      byEntry: [s],
      reportsByHeat: [
        { id: "0xm1", certificateNumber: "MTR-1", heatNumber: "K1", countryOfMeltAndPour: "KR", status: "ACTIVE" },
      ],
      actors: [{ id: A, did: "did:web:x", roleNames: ["MILL"] }],
    });
    expect(hits.map((h) => [h.kind, h.href])).to.deep.equal([
      ["shipment", shipmentHref("0xs1")],
      ["mill test report", "#/mtr/0xm1"],
      ["actor", `#/actor/${A}`],
    ]);
    expect(hits[0].detail).to.equal("USHOU · arrived · risk 40");
    expect(hits[2].more?.href).to.equal(`#/queue?party=${A}`);
    expect(searchHits({ shipment: null, millTestReport: null, certificateOfOrigin: null })).to.deep.equal([]);
  });

  it("orders the timeline by block: filing, CBP actions, then the status change", () => {
    const events = timeline({
      versions: [
        { version: 1, filedBy: A, timestamp: "100", blockNumber: "10" },
        { version: 2, filedBy: A, timestamp: "150", blockNumber: "15" },
      ],
      statusChanges: [
        {
          id: "c2",
          from: "DEPARTED",
          to: "ARRIVED",
          by: A,
          reasonCode: id("BERTHED"),
          timestamp: "400",
          blockNumber: "40",
        },
        {
          id: "c1",
          from: "FILED",
          to: "DEPARTED",
          by: A,
          reasonCode: id("SAILED"),
          timestamp: "200",
          blockNumber: "20",
        },
      ],
      cbpActions: [
        {
          id: "a1",
          kind: "HOLD_PLACED",
          reasonCode: id("DOCS"),
          by: A,
          activeHolds: 1,
          timestamp: "300",
          blockNumber: "30",
        },
        {
          id: "a2",
          kind: "INFORMATION_REQUESTED",
          reasonCode: id("CF28"),
          by: A,
          activeHolds: null,
          timestamp: "310",
          blockNumber: "31",
        },
        {
          id: "a3",
          kind: "HOLD_LIFTED",
          reasonCode: id("DOCS"),
          by: A,
          activeHolds: 0,
          timestamp: "400",
          blockNumber: "40",
        },
      ],
    });
    expect(events.map((e) => e.what)).to.deep.equal([
      "Filed",
      "Amended (version 2)",
      "Departed",
      "Hold placed (1 in force)",
      "Information requested (CF28)",
      "Hold lifted (0 in force)",
      "Arrived",
    ]);
    expect(events[3].kind).to.equal("hold");
    expect(events[3].reasonCode).to.equal(id("DOCS"));
  });

  it("says what is wrong with a party's credential, first thing first", () => {
    const good: PartyActor = {
      id: A,
      did: "did:web:x",
      roleNames: ["MILL"],
      trustedRoleNames: ["MILL"],
      country: "KR",
      validFrom: "100",
      validUntil: "1000",
      credentialRevoked: false,
      credentialClearedAt: null,
      suspended: false,
    };
    expect(credentialStatus(good, 500)).to.deep.equal({ text: "active", good: true });
    expect(credentialStatus(undefined, 500).text).to.equal("not an onboarded actor");
    expect(credentialStatus({ ...good, suspended: true, credentialRevoked: true }, 500).text).to.equal(
      "suspended by CBP",
    );
    expect(credentialStatus({ ...good, credentialClearedAt: "5" }, 500).text).to.equal("credential cleared by CBP");
    expect(credentialStatus({ ...good, credentialRevoked: true }, 500).text).to.equal("credential revoked");
    expect(credentialStatus(good, 50).text).to.equal("credential not yet valid");
    expect(credentialStatus(good, 5000).text).to.equal("credential expired");
    expect(credentialStatus({ ...good, trustedRoleNames: [] }, 500)).to.deep.equal({
      text: "issuer no longer trusted for every role",
      good: false,
    });
  });

  it("waits for the indexer to pass a block before the page reads again, or gives up", async () => {
    const heads = [10, 10, 11];
    let asked = 0;
    expect(await waitForIndexedPast(10, async () => heads[Math.min(asked++, 2)], 1000, 1)).to.equal(true);
    expect(asked).to.equal(3);
    const began = Date.now();
    expect(await waitForIndexedPast(10, async () => 10, 30, 5)).to.equal(false);
    expect(Date.now() - began).to.be.at.least(30);
    expect(await waitForIndexedPast(10, () => Promise.reject(new Error("down")), 10, 5)).to.equal(false);
  });
});
