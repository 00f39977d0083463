/** The server's parameters for the app (`GET /app/config.json`, served by web/server/config.ts). */

export interface AppConfig {
  /** Path of the subgraph's query endpoint on this origin. */
  graphqlPath: string;
  chain: {
    chainId: number;
    chainName: string;
    rpcUrls: string[];
    nativeCurrency: { name: string; symbol: string; decimals: number };
  };
  contracts: {
    actorRegistry: string;
    millTestReportRegistry: string;
    certificateOfOriginRegistry: string;
    shipmentRegistry: string;
  };
  relayer: boolean;
}

/** Where graph-node serves the subgraph when no config says otherwise. */
export const DEFAULT_GRAPHQL_PATH = "/subgraphs/name/tradetrace";

let cached: Promise<AppConfig | null> | undefined;

/** The config, or null when the server has none (a bare graph-node behind a static file server). */
export function loadConfig(): Promise<AppConfig | null> {
  cached ??= fetch("app/config.json", { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? (r.json() as Promise<AppConfig>) : null))
    .catch(() => null);
  return cached;
}

export async function graphqlPath(): Promise<string> {
  return (await loadConfig())?.graphqlPath ?? DEFAULT_GRAPHQL_PATH;
}
