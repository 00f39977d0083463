/**
 * The local analyst token of `npm start` / `npm run query` (shared decision "GraphQL authentication"): only the
 * key's hash is kept in api-keys.json, the token file is readable by its owner alone, each start rotates the key,
 * and query finds the token in --token, TRADETRACE_TOKEN, then the file.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { AccessPolicy } from "../../../indexer/graphql/access/policy";
import { QueryEngine } from "../../../indexer/graphql/engine";
import { GraphQLServer } from "../../../indexer/graphql/server";
import { loadSubgraphSchema } from "../../../indexer/schema/parse";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { findToken, issueLocalToken } from "../../../scripts/lib/analyst-token";
import { parseQueryArgs, runQuery } from "../../../scripts/query";
import { parseStartArgs } from "../../../scripts/start";

describe("scripts/lib/analyst-token", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), "tt-token-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const accepts = async (keysFile: string, token: string): Promise<boolean> => {
    const policy = new AccessPolicy({ apiKeysFile: keysFile });
    const req = { headers: { authorization: `Bearer ${token}` } } as never;
    return policy.authenticate(req).then(
      () => true,
      () => false,
    );
  };

  it("writes the token 0600 and keeps only its SHA-256 hash, with the read scope", async () => {
    const { keysFile, tokenFile } = issueLocalToken(path.join(dir, ".tradetrace"));
    expect(path.basename(keysFile)).to.equal("api-keys.json");
    expect(path.basename(tokenFile)).to.equal("analyst.token");
    expect(fs.statSync(tokenFile).mode & 0o777).to.equal(0o600);
    expect(fs.statSync(keysFile).mode & 0o077).to.equal(0);
    const token = fs.readFileSync(tokenFile, "utf8").trim();
    expect(token).to.match(/^tt_[A-Za-z0-9_-]{43}$/);
    const stored = fs.readFileSync(keysFile, "utf8");
    expect(stored).to.not.include(token);
    const { keys } = JSON.parse(stored) as { keys: { id: string; sha256: string; scopes: string[] }[] };
    expect(keys).to.have.length(1);
    expect(keys[0]).to.include({ id: "local-analyst", sha256: createHash("sha256").update(token).digest("hex") });
    expect(keys[0].scopes).to.deep.equal(["tradetrace:read"]);
    expect(await accepts(keysFile, token)).to.equal(true);
  });

  it("rotates the key on every start: the previous token stops working", async () => {
    const state = path.join(dir, ".tradetrace");
    const first = findToken(undefined, state, {});
    expect(first).to.equal(undefined);
    const { keysFile } = issueLocalToken(state);
    const old = findToken(undefined, state, {})!;
    issueLocalToken(state);
    const current = findToken(undefined, state, {})!;
    expect(current).to.not.equal(old);
    expect(await accepts(keysFile, current)).to.equal(true);
    expect(await accepts(keysFile, old)).to.equal(false);
  });

  it("takes --token first, then TRADETRACE_TOKEN, then the token file", () => {
    const state = path.join(dir, ".tradetrace");
    issueLocalToken(state);
    const file = fs.readFileSync(path.join(state, "analyst.token"), "utf8").trim();
    expect(findToken("flag", state, { TRADETRACE_TOKEN: "env" })).to.equal("flag");
    expect(findToken(undefined, state, { TRADETRACE_TOKEN: " env\n" })).to.equal("env");
    expect(findToken(undefined, state, {})).to.equal(file);
    expect(parseQueryArgs(["party-shipments", "--token", "t0"]).token).to.equal("t0");
  });

  it("npm run query sends the token, and says what to do when the endpoint refuses it", async () => {
    const state = path.join(dir, ".tradetrace");
    const { keysFile } = issueLocalToken(state);
    const token = findToken(undefined, state, {})!;
    const store = new SqliteStore(
      ":memory:",
      loadSubgraphSchema(path.resolve(__dirname, "../../../subgraph/schema.graphql")),
    );
    const access = new AccessPolicy({ apiKeysFile: keysFile });
    const server = new GraphQLServer({ subgraphs: { tradetrace: new QueryEngine(store) }, port: 0, access });
    try {
      const endpoint = `${(await server.start()).url}/subgraphs/name/tradetrace`;
      const args = parseQueryArgs(["mtrs-near-limit", "--json", "--endpoint", endpoint, "--token", token]);
      expect(JSON.parse(await runQuery(args))).to.deep.equal({ millTestReports: [] });
      let message = "";
      await runQuery({ ...args, token: `tt_${"A".repeat(43)}` }).catch((e: Error) => (message = e.message));
      expect(message).to.equal(
        `${endpoint} refused the query (unknown API key); pass --token or TRADETRACE_TOKEN, or run \`npm start\``,
      );
    } finally {
      await server.stop();
      store.close();
    }
  });

  it("npm start serves with a token unless --open", () => {
    expect(parseStartArgs([]).open).to.equal(false);
    expect(parseStartArgs(["--open"]).open).to.equal(true);
  });
});
