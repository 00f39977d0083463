/**
 * `GET /app/config.json`: what the page needs to know about this deployment — where the query API is, the
 * chain a wallet must be on (from the deployment file, checked against the devnet's RPC), the registries'
 * addresses, and whether a gasless relayer is offered.
 */
import type { HttpRoute } from "../../indexer/graphql/http-route";
import type { DeploymentFile } from "../../scripts/lib/deployments";
import type { AppConfig } from "../src/lib/config";

const REGISTRY_KEYS = {
  actorRegistry: "ActorRegistry",
  millTestReportRegistry: "MillTestReportRegistry",
  certificateOfOriginRegistry: "CertificateOfOriginRegistry",
  shipmentRegistry: "ShipmentRegistry",
} as const;

/** The config for `deployment` on the chain at `rpcUrl`; throws when the deployment lacks a registry. */
export function appConfig(opts: {
  deployment: DeploymentFile;
  rpcUrl: string;
  graphqlPath: string;
  relayer: boolean;
  chainName?: string;
}): AppConfig {
  const contracts = {} as AppConfig["contracts"];
  for (const [key, name] of Object.entries(REGISTRY_KEYS) as [keyof AppConfig["contracts"], string][]) {
    const entry = opts.deployment.contracts[name];
    if (!entry) throw new Error(`the deployment of ${opts.deployment.network} has no ${name}`);
    contracts[key] = entry.address;
  }
  return {
    graphqlPath: opts.graphqlPath,
    chain: {
      chainId: opts.deployment.chainId,
      chainName: opts.chainName ?? `TradeTrace ${opts.deployment.network}`,
      rpcUrls: [opts.rpcUrl],
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    },
    contracts,
    relayer: opts.relayer,
  };
}

/** Asks the node at `rpcUrl` for its chain id (eth_chainId). */
export async function rpcChainId(rpcUrl: string): Promise<number> {
  const r = await fetch(rpcUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
  });
  const body = (await r.json()) as { result?: string; error?: { message: string } };
  if (!body.result) throw new Error(`eth_chainId failed at ${rpcUrl}: ${body.error?.message ?? r.status}`);
  return Number(BigInt(body.result));
}

/** The config route, after checking that the deployment is for the chain behind `rpcUrl`. */
export async function configRoute(opts: Parameters<typeof appConfig>[0]): Promise<HttpRoute> {
  const chainId = await rpcChainId(opts.rpcUrl);
  if (chainId !== opts.deployment.chainId) {
    throw new Error(
      `the deployment file is for chain id ${opts.deployment.chainId}, the node at ${opts.rpcUrl} is ${chainId}`,
    );
  }
  const body = JSON.stringify(appConfig(opts));
  return {
    method: "GET",
    prefix: "/app/config.json",
    handle: (req, res) => {
      if (new URL(req.url ?? "/", "http://localhost").pathname !== "/app/config.json") {
        res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
        res.end("not found");
        return;
      }
      res.writeHead(200, {
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    },
  };
}
