/**
 * Bad input at the query API, over real HTTP against a real GraphQLServer and the real subgraph schema: every
 * malformed request gets a JSON error with a sensible status and no stack trace, nothing in the store changes,
 * and the server goes on answering. Then a few thousand seeded mutations of the saved queries: never a crash, a
 * 5xx or an answer slower than the engine's time limit.
 */
import { expect } from "chai";
import path from "node:path";
import { Agent } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { AccessPolicy } from "../../../indexer/graphql/access/policy";
import { QueryEngine } from "../../../indexer/graphql/engine";
import { GraphQLServer } from "../../../indexer/graphql/server";
import { loadSubgraphSchema } from "../../../indexer/schema/parse";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { savedQuery, savedQueryNames } from "../../../scripts/season/report";
import { bearer, call as rawCall, type Reply } from "../../helpers/http";
import { writeApiKeyFile } from "../../helpers/graphql-auth";
import { Prng } from "../../helpers/prng";
import { mutate, randomVariables, tokens } from "../../helpers/query-mutator";
import { fillStore, fillerId } from "../../helpers/schema-filler";
import { blockHash } from "../../helpers/store";

const SCHEMA = path.resolve(__dirname, "..", "..", "..", "subgraph", "schema.graphql");
const PATH = "/subgraphs/name/tradetrace";
const VALID = `{ shipments(first: 2, orderBy: id) { id status } _meta { block { number } } }`;
const STACK = /\n\s+at |\.ts:\d+|node_modules|Error: .*\n/;
const TIME_LIMIT_MS = 3000;

/** The realistic variables of each saved query over the filler store. */
const VARIABLES: Record<string, Record<string, unknown>> = {
  "high-risk-arrivals": { now: "5000" },
  "party-shipments": { party: "0x0000000000000000000000000000000000000bad" },
  "pipe-lineage": { id: fillerId("Bytes", "MillTestReport", 3) },
};

type Case = [name: string, send: () => Promise<Reply>, status: number, message: RegExp];

describe("indexer/graphql bad input over HTTP", function () {
  this.timeout(120_000);
  let store: SqliteStore;
  let server: GraphQLServer;
  let port: number;
  let snapshot: string;
  let keyDir: string;
  let auth: Record<string, string> = {};

  // Every request carries the analyst's token: the bad input under test is past authentication.
  const call = (p: number, method: string, url: string, body?: string | Buffer, headers = {}, agent?: Agent) =>
    rawCall(p, method, url, body, { ...auth, ...headers }, agent);
  const postJson = (p: number, url: string, body: unknown, agent?: Agent) =>
    call(
      p,
      "POST",
      url,
      typeof body === "string" ? body : JSON.stringify(body),
      { "Content-Type": "application/json" },
      agent,
    );
  const post = (body: unknown) => postJson(port, PATH, body);
  const query = (q: string, variables?: unknown, operationName?: string) =>
    post({ query: q, variables, operationName });
  const get = (qs: string) => call(port, "GET", `${PATH}?${qs}`);

  /** A JSON error body with no stack trace; returns the messages. */
  function errorsOf(r: Reply): string[] {
    expect(r.type, r.body).to.match(/^application\/json/);
    expect(r.body).to.not.match(STACK);
    const body = JSON.parse(r.body) as { errors?: { message: unknown }[] };
    expect(body.errors, r.body).to.be.an("array").that.is.not.empty;
    for (const e of body.errors!) expect(e.message).to.be.a("string").and.not.empty;
    return body.errors!.map((e) => e.message as string);
  }

  async function stillServes(): Promise<void> {
    const r = await query(VALID);
    expect(r.status).to.equal(200);
    expect(r.body).to.equal(snapshot);
  }

  before(async () => {
    store = new SqliteStore(":memory:", loadSubgraphSchema(SCHEMA));
    fillStore(store, 20, 3);
    const engine = new QueryEngine(store, { timeoutMs: TIME_LIMIT_MS });
    keyDir = mkdtempSync(path.join(tmpdir(), "tt-bad-input-"));
    const keys = writeApiKeyFile(keyDir);
    auth = bearer(keys.key);
    const access = new AccessPolicy({ apiKeysFile: keys.file });
    server = new GraphQLServer({ subgraphs: { tradetrace: engine }, port: 0, access });
    port = (await server.start()).port;
    snapshot = (await query(VALID)).body;
    expect(JSON.parse(snapshot).data.shipments).to.have.length(2);
  });
  after(async () => {
    await server.stop();
    store.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  const run = (cases: () => Case[]) => async () => {
    for (const [name, send, status, message] of cases()) {
      const r = await send();
      expect(r.status, `${name}: ${r.body.slice(0, 300)}`).to.equal(status);
      const messages = errorsOf(r);
      expect(messages.join("\n"), name).to.match(message);
      await stillServes();
    }
    expect(store.head()!.number).to.equal(3);
  };

  it(
    "rejects malformed HTTP requests with 4xx JSON errors",
    run(() => [
      ["empty body", () => post(""), 400, /not valid JSON/],
      ["truncated JSON", () => post('{"query": "{ _meta { deployment } }"'), 400, /not valid JSON/],
      ["trailing garbage", () => post('{"query": "{ _meta { deployment } }"} x'), 400, /not valid JSON/],
      ["byte order mark", () => post('\ufeff{"query": "{ _meta { deployment } }"}'), 400, /not valid JSON/],
      ["binary", () => call(port, "POST", PATH, Buffer.from([0xff, 0xfe, 0, 1, 0x80])), 400, /not valid JSON/],
      ["JSON null", () => post("null"), 400, /must be a JSON object/],
      ["JSON number", () => post("42"), 400, /must be a JSON object/],
      ["JSON string", () => post('"{ shipments { id } }"'), 400, /must be a JSON object/],
      ["batch array", () => post([{ query: VALID }]), 400, /must be a JSON object/],
      [
        "text/plain",
        () => call(port, "POST", PATH, JSON.stringify({ query: VALID }), { "Content-Type": "text/plain" }),
        415,
        /unsupported content type "text\/plain"; send application\/json/,
      ],
      [
        "form",
        () => call(port, "POST", PATH, "query=%7B%7D", { "Content-Type": "application/x-www-form-urlencoded" }),
        415,
        /unsupported content type/,
      ],
      [
        "multipart",
        () => call(port, "POST", PATH, "--b--", { "Content-Type": "multipart/form-data; boundary=b" }),
        415,
        /unsupported content type/,
      ],
      [
        "application/graphql",
        () => call(port, "POST", PATH, VALID, { "Content-Type": "application/graphql" }),
        415,
        /unsupported content type/,
      ],
      [
        "2 MB body with a length",
        () => post({ query: VALID, pad: "x".repeat(2 << 20) }),
        413,
        /request body exceeds 1048576 bytes/,
      ],
      [
        "2 MB body chunked",
        () =>
          call(port, "POST", PATH, Buffer.alloc(2 << 20, 0x20), {
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
          }),
        413,
        /request body exceeds/,
      ],
      ["GET bad variables", () => get(`query=${encodeURIComponent(VALID)}&variables=%7B`), 400, /not valid JSON/],
      ["DELETE", () => call(port, "DELETE", PATH), 405, /method DELETE not allowed/],
      ["unknown subgraph", () => postJson(port, "/subgraphs/name/nope", { query: VALID }), 404, /not found/],
      ["bad percent escape", () => call(port, "GET", "/subgraphs/name/%ZZ"), 400, /malformed URL/],
      ["path traversal", () => call(port, "GET", "/graphiql/../../package.json"), 404, /unknown path|no asset/],
    ]),
  );

  it(
    "answers malformed GraphQL with GraphQL errors",
    run(() => [
      ["no query", () => post({}), 200, /no `query` string/],
      ["query not a string", () => post({ query: { shipments: 1 } }), 200, /no `query` string/],
      ["variables not an object", () => query(VALID, "x"), 200, /`variables` must be an object/],
      ["variables an array", () => query(VALID, [1]), 200, /`variables` must be an object/],
      ["operationName a number", () => post({ query: VALID, operationName: 1 }), 200, /must be a string/],
      ["unknown operation", () => query(VALID, undefined, "Nope"), 200, /Unknown operation named "Nope"/],
      ["two anonymous operations", () => query(`${VALID} ${VALID}`), 200, /must be the only defined operation/],
      ["unclosed", () => query("{ shipments { id }"), 200, /Syntax Error/],
      ["stray brace", () => query("}"), 200, /Syntax Error/],
      ["null byte in a name", () => query("{ ship\u0000ments { id } }"), 200, /Syntax Error/],
      ["unicode name", () => query("{ shipmentś { id } }"), 200, /Syntax Error/],
      ["unterminated string", () => query('{ shipments(where: { billOfLading: "x }) { id } }'), 200, /Unterminated/],
      ["bad escape", () => query('{ shipments(where: { billOfLading: "\\q" }) { id } }'), 200, /Invalid character/],
      ["unknown field", () => query("{ nope }"), 200, /Cannot query field "nope" on type "Query"/],
      ["unknown nested field", () => query("{ shipments { nope } }"), 200, /Cannot query field "nope"/],
      ["unknown type", () => query("{ ... on Nope { id } }"), 200, /Unknown type "Nope"/],
      ["unknown argument", () => query("{ shipments(nope: 1) { id } }"), 200, /Unknown argument "nope"/],
      ["unknown filter", () => query("{ shipments(where: { nope: 1 }) { id } }"), 200, /"nope" is not defined/],
      ["unknown enum", () => query("{ shipments(where: { status: NOPE }) { id } }"), 200, /does not exist/],
      ["mutation", () => query("mutation { x }"), 200, /mutation/],
      ["subscription", () => query("subscription { shipments { id } }"), 200, /subscription/],
      ["missing selection", () => query("{ shipments }"), 200, /must have a selection of subfields/],
      [
        "wrong variable type",
        () => query("query($n: Int) { shipments(first: $n) { id } }", { n: "many" }),
        200,
        /Int cannot represent/,
      ],
      [
        "missing required variable",
        () => query("query($id: ID!) { shipment(id: $id) { id } }", {}),
        200,
        /"\$id" of required type "ID!" was not provided/,
      ],
      ["undeclared variable", () => query("{ shipment(id: $id) { id } }"), 200, /"\$id" is not defined/],
      [
        "bad Bytes variable",
        () => query("query($p: Bytes!) { shipments(where: { parties_contains: [$p] }) { id } }", { p: "0xz" }),
        200,
        /Bytes must be 0x-prefixed hex/,
      ],
      [
        "huge BigInt",
        () => query(`{ shipments(where: { riskScore_gte: 1e400 }) { id } }`),
        200,
        /Int cannot represent|BigInt must be/,
      ],
      ["first over max", () => query("{ shipments(first: 1001) { id } }"), 200, /between 0 and 1000, but is 1001/],
      ["first negative", () => query("{ shipments(first: -1) { id } }"), 200, /between 0 and 1000, but is -1/],
      [
        "skip over max",
        () => query("{ shipments(skip: 5001) { id } }"),
        200,
        /`skip` argument must be between 0 and 5000/,
      ],
      ["skip negative", () => query("{ shipments(skip: -5) { id } }"), 200, /`skip` argument/],
      [
        "nested first over max",
        () => query("{ shipments(first: 1) { flags(first: 100000) { id } } }"),
        200,
        /between 0 and 1000/,
      ],
      ["first beyond Int", () => query("{ shipments(first: 4294967296) { id } }"), 200, /Int cannot represent/],
      [
        "depth over the limit",
        () => {
          let q = "id";
          for (let i = 0; i < 13; i++) q = `shipment { flags { ${q} } }`;
          return query(`{ riskFlags { ${q} } }`);
        },
        200,
        /nested \d+ levels deep; at most 24 are allowed/,
      ],
      [
        "introspection depth",
        () => query(`{ __schema { types { ${"fields { type { ".repeat(12)}name${" } }".repeat(12)} } } }`),
        200,
        /levels deep/,
      ],
      [
        "aliased root fields",
        () => query(`{ ${Array.from({ length: 1100 }, (_, i) => `a${i}: _meta { deployment }`).join(" ")} }`),
        200,
        /query selects \d+ fields with its fragments expanded; at most 1000/,
      ],
      [
        "fragment bomb",
        () => {
          let frags = "fragment F0 on Shipment { id status }";
          for (let i = 1; i <= 40; i++) frags += ` fragment F${i} on Shipment { ...F${i - 1} ...F${i - 1} }`;
          return query(`{ shipments { ...F40 } } ${frags}`);
        },
        200,
        /at most 1000 are allowed/,
      ],
      [
        "fragment cycle",
        () => query("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"),
        200,
        /within itself/,
      ],
      ["unused fragment", () => query(`${VALID} fragment U on Shipment { id }`), 200, /is never used/],
      ["too many tokens", () => query(`{ ${"_meta { deployment } ".repeat(6000)} }`), 200, /more that 20000 tokens/],
      [
        "block in the future",
        () => query("{ shipments(block: { number: 1000000 }) { id } }"),
        200,
        /only indexed up to block number 3/,
      ],
      ["negative block", () => query("{ shipments(block: { number: -1 }) { id } }"), 200, /must not be negative/],
      [
        "number_gte in the future",
        () => query("{ _meta(block: { number_gte: 99 }) { deployment } }"),
        200,
        /not yet available/,
      ],
      ["malformed block hash", () => query('{ shipments(block: { hash: "0xnothex" }) { id } }'), 200, /Bytes must be/],
      [
        "unknown block hash",
        () => query(`{ shipments(block: { hash: "${blockHash(77)}" }) { id } }`),
        200,
        /no block with hash 0x0+4d has been indexed/,
      ],
    ]),
  );

  it("treats long strings, unicode and null bytes in values as data", async () => {
    const filter = "query($s: String) { shipments(where: { billOfLading: $s }) { id } }";
    for (const s of ["x".repeat(900_000), "鋼管 🚢 Ω", "a\u0000b", "\ud800", "'; DROP TABLE shipment; --", "%_\\"]) {
      const r = await query(filter, { s });
      expect(r.status).to.equal(200);
      expect(JSON.parse(r.body)).to.deep.equal({ data: { shipments: [] } });
    }
    await stillServes();
  });

  it("survives 3000 seeded mutations of the saved queries: no 5xx, no stack, within the time limit", async () => {
    const rng = new Prng(0x10ad);
    const bases = savedQueryNames().map((n) => ({ name: n, toks: tokens(savedQuery(n)) }));
    const names = [...new Set(bases.flatMap((b) => b.toks.filter((t) => /^[A-Za-z_]\w*$/.test(t))))];
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    let answered = 0;
    let withData = 0;
    let slowest = 0;
    const one = async (): Promise<void> => {
      const base = rng.pick(bases);
      const q = mutate(base.toks, names, rng);
      const variables = randomVariables(rng, VARIABLES[base.name] ?? {});
      const r = await postJson(port, PATH, { query: q, variables }, agent);
      slowest = Math.max(slowest, r.ms);
      const what = `${r.status} for ${JSON.stringify({ q: q.slice(0, 400), variables }).slice(0, 600)}`;
      expect(r.status, what).to.equal(200);
      expect(r.body, what).to.not.match(STACK);
      const body = JSON.parse(r.body) as { data?: unknown; errors?: { message: string }[] };
      expect(body.data !== undefined || (body.errors?.length ?? 0) > 0, what).to.equal(true);
      for (const e of body.errors ?? []) expect(e.message, what).to.not.match(/internal error/);
      expect(r.ms, what).to.be.below(TIME_LIMIT_MS + 1000);
      answered++;
      if ("data" in body) withData++;
    };
    for (let i = 0; i < 3000; i += 8) await Promise.all(Array.from({ length: 8 }, one));
    agent.destroy();
    expect(answered).to.be.at.least(3000);
    // The generator must reach execution (an answer with `data`), not only the parser and the validator.
    expect(withData).to.be.above(150);
    await stillServes();
    expect(store.head()!.number).to.equal(3);
    console.log(`      ${answered} mutated queries, ${withData} reached execution, slowest ${slowest.toFixed(0)} ms`);
  });
});
