import { expect } from "chai";
import { atBlock } from "../../../web/src/lib/at-block";
import { hashOf, matchPath, parseHash } from "../../../web/src/lib/routes";
import { takeTokenFromHash } from "../../../web/src/lib/session";

describe("web/src/lib routes, session and time travel", () => {
  it("matches hash paths with parameters", () => {
    expect(matchPath("/shipment/:id", "/shipment/0xab")).to.deep.equal({ id: "0xab" });
    expect(matchPath("/shipment/:id", "/shipment/a%20b")).to.deep.equal({ id: "a b" });
    expect(matchPath("/shipment/:id", "/shipment")).to.equal(null);
    expect(matchPath("/queue", "/queues")).to.equal(null);
    expect(matchPath("/x/:id", "/x/%E0%A4%A")).to.equal(null);
  });

  it("splits a hash into path and query, and builds one without empty values", () => {
    expect(parseHash("#/queue?port=USHOU&rule=")).to.deep.equal({ path: "/queue", query: { port: "USHOU", rule: "" } });
    expect(parseHash("")).to.deep.equal({ path: "/", query: {} });
    expect(parseHash("#queue")).to.deep.equal({ path: "/queue", query: {} });
    expect(hashOf("/queue", { port: "USHOU", rule: "", page: undefined })).to.equal("#/queue?port=USHOU");
    expect(hashOf("/search", { q: "a&b" })).to.equal("#/search?q=a%26b");
  });

  it("moves a token out of the fragment into the tab's session", () => {
    const store = new Map<string, string>();
    const fake = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    };
    (globalThis as { sessionStorage?: unknown }).sessionStorage = fake;
    try {
      expect(takeTokenFromHash("#token=tt_abc")).to.equal("#/");
      expect(store.get("tradetrace.analystToken")).to.equal("tt_abc");
      expect(takeTokenFromHash("#/queue?port=USHOU&token=ey.J%2Bx")).to.equal("#/queue?port=USHOU");
      expect(store.get("tradetrace.analystToken")).to.equal("ey.J+x");
      expect(takeTokenFromHash("#/queue?token=t2")).to.equal("#/queue");
      expect(takeTokenFromHash("#/queue?port=USHOU")).to.equal(null);
      expect(takeTokenFromHash("#token=%E0%A4%A")).to.equal(null);
      expect(store.get("tradetrace.analystToken")).to.equal("t2");
    } finally {
      delete (globalThis as { sessionStorage?: unknown }).sessionStorage;
    }
  });

  it("asks every root field for a block, keeping one that names its own", () => {
    const q = atBlock("query Q($id: ID!) { shipment(id: $id) { id } old: shipments(block: { number: 3 }) { id } }", 42);
    expect(q).to.include("shipment(id: $id, block: {number: 42})");
    expect(q).to.include("old: shipments(block: {number: 3})");
    expect(() => atBlock("{ x }", -1)).to.throw(/not a block number/);
  });
});
