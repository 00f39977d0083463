/**
 * `npm run query` (scripts/query.ts) without a server: arguments and --help, the endpoint found through the endpoints
 * file, `$now` from the indexed head, a missing variable named with the flag that gives it, and CSV.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { writeEndpoints } from "../../scripts/lib/endpoints";
import {
  completeVariables,
  parseQueryArgs,
  QueryHelpRequested,
  queryVariables,
  resolveEndpoint,
} from "../../scripts/query";
import { formatCsv, savedQuery, savedQueryNames, type RunQuery } from "../../scripts/season/report";
import { messageOf } from "../../lib/errors";

describe("npm run query", function () {
  describe("arguments", function () {
    it("--help and no argument print the usage with every saved query and its variables", function () {
      for (const argv of [["--help"], [], ["-h"], ["pipe-lineage", "--help"]]) {
        let help = "";
        try {
          parseQueryArgs(argv);
        } catch (e) {
          expect(e).to.be.instanceOf(QueryHelpRequested);
          help = messageOf(e);
        }
        for (const name of savedQueryNames()) expect(help).to.include(name);
        expect(help).to.include("--var id=<ID>");
        expect(help).to.include("[--var now=UNIX_SECONDS]");
        expect(help).to.include("--csv");
        expect(help).to.include("--endpoint URL");
      }
    });

    it("takes a table by default, --json or --csv (not both), variables and one source", function () {
      expect(parseQueryArgs(["mtrs-near-limit"])).to.deep.equal({
        name: "mtrs-near-limit",
        variables: {},
        format: "table",
      });
      const args = parseQueryArgs(["pipe-lineage", "--csv", "--var", "id=0xab", "--endpoint", "http://h/x"]);
      expect(args).to.deep.equal({
        name: "pipe-lineage",
        variables: { id: "0xab" },
        format: "csv",
        endpoint: "http://h/x",
      });
      expect(() => parseQueryArgs(["x", "--json", "--csv"])).to.throw(/--json and --csv exclude each other/);
      expect(() => parseQueryArgs(["x", "--endpoint", "u", "--db", "f"])).to.throw(/exclude each other/);
      expect(() => parseQueryArgs(["x", "--bogus"])).to.throw(/unknown argument --bogus \(npm run query -- --help\)/);
      expect(() => parseQueryArgs(["x", "--var", "novalue"])).to.throw(/--var needs name=value/);
    });
  });

  describe("where the server is", function () {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "tradetrace-query-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("uses the running npm start's GraphQL URL, whatever its port, unless --endpoint is given", function () {
      const file = path.join(dir, "endpoints.json");
      const graphql = "http://127.0.0.1:8123/subgraphs/name/tradetrace";
      writeEndpoints(
        { rpc: "http://127.0.0.1:1", graphql, startedAt: new Date().toISOString(), pid: process.pid },
        file,
      );
      expect(resolveEndpoint(parseQueryArgs(["mtrs-near-limit"]), file)).to.equal(graphql);
      expect(resolveEndpoint(parseQueryArgs(["mtrs-near-limit", "--endpoint", "http://x/y"]), file)).to.equal(
        "http://x/y",
      );
    });

    it("without a running server, says how to start one and names --endpoint and --db", function () {
      expect(() => resolveEndpoint(parseQueryArgs(["mtrs-near-limit"]), path.join(dir, "none.json"))).to.throw(
        /`npm start` is not serving\. Start it \(`npm start`\), or give --endpoint URL .* or --db FILE/,
      );
    });
  });

  describe("variables", function () {
    const answers =
      (timestamp: number | null): RunQuery =>
      async (query) => {
        expect(query).to.include("_meta");
        return { _meta: { block: { number: 7, timestamp } } };
      };

    it("reads the declared variables of each saved query", function () {
      expect(queryVariables(savedQuery("high-risk-arrivals"))).to.deep.equal([
        { name: "now", type: "BigInt!", required: true },
      ]);
      expect(queryVariables(savedQuery("party-shipments"))).to.deep.equal([
        { name: "party", type: "Bytes!", required: true },
      ]);
      expect(queryVariables(savedQuery("mtrs-near-limit"))).to.deep.equal([]);
    });

    it("$now defaults to the timestamp of the indexed head; a given one is kept", async function () {
      const text = savedQuery("high-risk-arrivals");
      expect(await completeVariables("high-risk-arrivals", text, {}, answers(1_790_000_000))).to.deep.equal({
        now: "1790000000",
      });
      const never: RunQuery = async () => expect.fail("no query needed");
      expect(await completeVariables("high-risk-arrivals", text, { now: "5" }, never)).to.deep.equal({ now: "5" });
      await completeVariables("high-risk-arrivals", text, {}, answers(null)).then(
        () => expect.fail("resolved"),
        (e: Error) => expect(e.message).to.match(/high-risk-arrivals needs --var now=UNIX_SECONDS/),
      );
    });

    it("a missing variable is named with the flag that gives it; an unknown one is refused", async function () {
      const never: RunQuery = async () => expect.fail("no query needed");
      await completeVariables("pipe-lineage", savedQuery("pipe-lineage"), {}, never).then(
        () => expect.fail("resolved"),
        (e: Error) => expect(e.message).to.equal("pipe-lineage needs --var id=<ID> (npm run query -- --help)"),
      );
      await completeVariables("mtrs-near-limit", savedQuery("mtrs-near-limit"), { id: "1" }, never).then(
        () => expect.fail("resolved"),
        (e: Error) => expect(e.message).to.equal("mtrs-near-limit has no variable id (its variables: none)"),
      );
    });
  });

  it("--csv quotes cells with commas, quotes and line breaks (RFC 4180)", function () {
    const csv = formatCsv({
      headers: ["a", "b"],
      rows: [
        ["x,y", 'say "hi"'],
        [null, "two\nlines"],
        [1, undefined],
      ],
    });
    expect(csv).to.equal('a,b\n"x,y","say ""hi"""\n,"two\nlines"\n1,');
    expect(() => formatCsv(undefined)).to.throw(/--csv needs a saved query with a table view/);
  });
});
