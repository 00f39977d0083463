import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RpcBatchRefusedError, RpcError, RpcTransportError, httpRpcBatch, withRetry } from "../../../indexer/chain/rpc";

type Request = { id: number; method: string; params: unknown[] };

/** A JSON-RPC server on 127.0.0.1 whose answer to each batch `answer` makes. */
async function server(answer: (batch: Request[]) => unknown): Promise<{ url: string; srv: Server; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const srv = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const parsed = JSON.parse(body) as Request[];
      bodies.push(parsed);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer(parsed)));
    });
  });
  await new Promise<void>((ok) => srv.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, srv, bodies };
}

const echo = (r: Request): unknown => ({ jsonrpc: "2.0", id: r.id, result: `${r.method}:${String(r.params[0])}` });
const requests = [1, 2, 3].map((n) => ({ method: "eth_getBlockByNumber", params: [n, true] }));

describe("indexer/chain JSON-RPC batches (httpRpcBatch)", () => {
  const servers: Server[] = [];
  const start = async (answer: (batch: Request[]) => unknown): Promise<{ url: string; bodies: unknown[] }> => {
    const s = await server(answer);
    servers.push(s.srv);
    return s;
  };
  after(() => servers.forEach((s) => s.close()));

  it("sends one array and matches answers given in any order to their requests", async () => {
    const { url, bodies } = await start((batch) => batch.map(echo).reverse());
    expect(await httpRpcBatch(url)(requests)).to.deep.equal([1, 2, 3].map((n) => `eth_getBlockByNumber:${n}`));
    expect(bodies).to.have.length(1);
    expect((bodies[0] as Request[]).map((r) => r.method)).to.deep.equal(requests.map((r) => r.method));
  });

  it("sends nothing for an empty batch", async () => {
    const { url, bodies } = await start((batch) => batch.map(echo));
    expect(await httpRpcBatch(url)([])).to.deep.equal([]);
    expect(bodies).to.have.length(0);
  });

  it("rejects the batch with the RpcError of an error answer", async () => {
    const { url } = await start((batch) =>
      batch.map((r, i) =>
        i === 1 ? { jsonrpc: "2.0", id: r.id, error: { code: -32000, message: "header not found" } } : echo(r),
      ),
    );
    const e = await httpRpcBatch(url)(requests).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(RpcError);
    expect((e as RpcError).code).to.equal(-32000);
    expect((e as RpcError).message).to.equal("header not found");
  });

  it("calls a missing, repeated or foreign answer a transport failure", async () => {
    const cases: [string, (batch: Request[]) => unknown, string][] = [
      ["missing", (b) => b.slice(1).map(echo), "no answer to eth_getBlockByNumber"],
      ["repeated", (b) => [echo(b[0]), echo(b[0]), echo(b[1]), echo(b[2])], "an answer to request"],
      [
        "foreign",
        (b) => [...b.map(echo), { jsonrpc: "2.0", id: 999_999_999, result: 1 }],
        "an answer to request 999999999",
      ],
      ["not an array", () => "garbage", "not a JSON-RPC batch answer"],
    ];
    for (const [what, answer, message] of cases) {
      const { url } = await start(answer);
      const e = await httpRpcBatch(url)(requests).catch((x: unknown) => x);
      expect(e, what).to.be.instanceOf(RpcTransportError);
      expect((e as Error).message, what).to.contain(message);
    }
  });

  it("tells a node that refuses batches (one error object) apart", async () => {
    const { url } = await start(() => ({ jsonrpc: "2.0", id: null, error: { code: -32600, message: "batch" } }));
    const e = await httpRpcBatch(url)(requests).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(RpcBatchRefusedError);
  });

  it("is retried by withRetry on a transport failure, not on an error answer", async () => {
    let calls = 0;
    const { url } = await start((batch) => (++calls === 1 ? batch.slice(1).map(echo) : batch.map(echo)));
    const got = await withRetry(httpRpcBatch(url), { initialDelayMs: 1 })(requests);
    expect(got).to.have.length(3);
    expect(calls).to.equal(2);
  });
});
