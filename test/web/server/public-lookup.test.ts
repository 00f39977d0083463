/**
 * The verifier's public lookup: the GraphQL server answers the verifier's own queries at /app/public/graphql
 * without a token, and nothing else; the query API itself still asks for one.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AccessPolicy } from "../../../indexer/graphql/access/policy";
import type { GraphQLRequest } from "../../../indexer/graphql/engine";
import type { QueryExecutor, QueryResult } from "../../../indexer/graphql/executor";
import { GraphQLServer } from "../../../indexer/graphql/server";
import { issueLocalToken } from "../../../scripts/lib/analyst-token";
import { PUBLIC_GRAPHQL_PATH, publicLookupRoute } from "../../../web/server/public-lookup";
import { ANCHORS_QUERY, CHAIN_TIME_QUERY, PUBLIC_QUERIES } from "../../../web/src/verifier/anchor-queries";

describe("web/server public lookup for the verifier", () => {
  let dir: string;
  let server: GraphQLServer;
  let base: string;
  const seen: GraphQLRequest[] = [];
  const executor: QueryExecutor = {
    async execute(req): Promise<QueryResult> {
      seen.push(req);
      return { data: { echoed: req.variables as Record<string, unknown> } };
    },
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tt-public-lookup-"));
    const { keysFile } = issueLocalToken(dir);
    server = new GraphQLServer({
      subgraphs: { tradetrace: executor },
      port: 0,
      access: new AccessPolicy({ apiKeysFile: keysFile }),
      routes: [publicLookupRoute(executor)],
    });
    base = (await server.start()).url;
  });
  after(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => (seen.length = 0));

  const post = async (urlPath: string, body: string) => {
    const r = await fetch(`${base}${urlPath}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    return { status: r.status, body: (await r.json()) as { data?: unknown; errors?: { message: string }[] } };
  };

  it("answers each of the verifier's queries without a token", async () => {
    expect(PUBLIC_QUERIES).to.include(ANCHORS_QUERY);
    const r = await post(PUBLIC_GRAPHQL_PATH, JSON.stringify({ query: ANCHORS_QUERY, variables: { hash: "0x01" } }));
    expect(r).to.deep.equal({ status: 200, body: { data: { echoed: { hash: "0x01" } } } });
    expect(seen).to.deep.equal([{ query: ANCHORS_QUERY, variables: { hash: "0x01" } }]);
    const t = await post(PUBLIC_GRAPHQL_PATH, JSON.stringify({ query: CHAIN_TIME_QUERY }));
    expect(t.status).to.equal(200);
    expect(seen[1]).to.deep.equal({ query: CHAIN_TIME_QUERY, variables: {} });
  });

  it("refuses any other query, a body that is not JSON and variables that are not an object, running nothing", async () => {
    const other = await post(PUBLIC_GRAPHQL_PATH, JSON.stringify({ query: "{ shipments { id } }" }));
    expect(other.status).to.equal(403);
    expect(other.body.errors![0].message).to.equal("only the verifier's own queries are answered here");
    const altered = await post(PUBLIC_GRAPHQL_PATH, JSON.stringify({ query: `${ANCHORS_QUERY} ` }));
    expect(altered.status).to.equal(403);
    const bad = await post(PUBLIC_GRAPHQL_PATH, "{not json");
    expect(bad).to.deep.equal({ status: 400, body: { errors: [{ message: "the body is not JSON" }] } });
    const list = await post(PUBLIC_GRAPHQL_PATH, JSON.stringify({ query: ANCHORS_QUERY, variables: [1] }));
    expect(list).to.deep.equal({ status: 400, body: { errors: [{ message: "variables must be an object" }] } });
    expect(seen).to.deep.equal([]);
  });

  it("leaves the query API behind its token", async () => {
    const r = await post("/subgraphs/name/tradetrace", JSON.stringify({ query: ANCHORS_QUERY }));
    expect(r.status).to.equal(401);
    expect(seen).to.deep.equal([]);
  });
});
