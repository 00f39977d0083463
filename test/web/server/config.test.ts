import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DeploymentFile } from "../../../scripts/lib/deployments";
import { appConfig, configRoute } from "../../../web/server/config";
import { call } from "../../helpers/http";

const deployment: DeploymentFile = {
  network: "localhost",
  chainId: 31337,
  deployer: "0x0000000000000000000000000000000000000001",
  startBlock: 1,
  contracts: Object.fromEntries(
    ["ActorRegistry", "MillTestReportRegistry", "CertificateOfOriginRegistry", "ShipmentRegistry"].map((name, i) => [
      name,
      { address: `0x${String(i + 1).repeat(40)}`, implementation: "0x", blockNumber: 1 },
    ]),
  ),
};

describe("web/server /app/config.json", () => {
  let rpc: Server;
  let rpcUrl: string;
  let chainIdHex = "0x7a69";

  before(async () => {
    rpc = createServer((req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: chainIdHex }));
    });
    await new Promise<void>((ok) => rpc.listen(0, "127.0.0.1", ok));
    rpcUrl = `http://127.0.0.1:${(rpc.address() as AddressInfo).port}`;
  });
  after(() => new Promise((ok) => rpc.close(ok)));

  it("describes the query path, the chain and the four registries", () => {
    const c = appConfig({ deployment, rpcUrl, graphqlPath: "/subgraphs/name/tradetrace", relayer: false });
    expect(c).to.deep.equal({
      graphqlPath: "/subgraphs/name/tradetrace",
      chain: {
        chainId: 31337,
        chainName: "TradeTrace localhost",
        rpcUrls: [rpcUrl],
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      },
      contracts: {
        actorRegistry: `0x${"1".repeat(40)}`,
        millTestReportRegistry: `0x${"2".repeat(40)}`,
        certificateOfOriginRegistry: `0x${"3".repeat(40)}`,
        shipmentRegistry: `0x${"4".repeat(40)}`,
      },
      relayer: false,
    });
  });

  it("refuses a deployment without a registry", () => {
    const { ShipmentRegistry: _gone, ...rest } = deployment.contracts;
    expect(() =>
      appConfig({ deployment: { ...deployment, contracts: rest }, rpcUrl, graphqlPath: "/", relayer: false }),
    ).to.throw(/has no ShipmentRegistry/);
  });

  it("serves the config as JSON after checking the node's chain id", async () => {
    const route = await configRoute({ deployment, rpcUrl, graphqlPath: "/subgraphs/name/x", relayer: true });
    expect(route.method).to.equal("GET");
    const s = createServer((req, res) => void route.handle(req, res));
    await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
    const port = (s.address() as AddressInfo).port;
    const r = await call(port, "GET", "/app/config.json");
    const other = await call(port, "GET", "/app/config.jsonx");
    await new Promise((ok) => s.close(ok));
    expect(r.status).to.equal(200);
    expect(r.type).to.match(/^application\/json/);
    const body = JSON.parse(r.body);
    expect(body.graphqlPath).to.equal("/subgraphs/name/x");
    expect(body.relayer).to.equal(true);
    expect(body.chain.chainId).to.equal(31337);
    expect(other.status).to.equal(404);
  });

  it("refuses a deployment file of another chain than the node's", async () => {
    chainIdHex = "0x1";
    try {
      let error: Error | undefined;
      await configRoute({ deployment, rpcUrl, graphqlPath: "/", relayer: false }).catch((e) => (error = e));
      expect(error?.message).to.match(/chain id 31337, the node at .* is 1/);
    } finally {
      chainIdHex = "0x7a69";
    }
  });
});
