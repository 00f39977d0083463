/**
 * The data sources a subgraph runs: the manifest's static ones in manifest order, then those created from
 * templates in creation order (as the store keeps them), each with the block range it covers, the data
 * source info its handlers see, and the eth_getLogs filter a set of them needs.
 */
import { getAddress, getBytes } from "ethers";
import type { LogFilter, RpcLog } from "../chain/types";
import type { DataSourceSpec, EventHandlerSpec, Manifest, MappingSpec } from "../manifest";
import type { EntityData, StoredDataSource } from "../store/types";
import { DeterministicError } from "../wasm/errors";
import type { DataSourceInfo } from "../wasm/host";

export interface ActiveSource {
  spec: MappingSpec;
  /** Lower-case; null for a data source without an address (any contract). */
  address: string | null;
  startBlock: number;
  endBlock: number | null;
  info: DataSourceInfo;
}

function normalizeAddress(param: string): string {
  const hex = param.startsWith("0x") ? param : `0x${param}`;
  return getAddress(hex).toLowerCase();
}

export class SourceFactory {
  private readonly templateNames: Set<string>;

  constructor(private readonly manifest: Manifest) {
    this.templateNames = new Set(manifest.templates.map((t) => t.name));
  }

  /** The lowest start block of the static data sources (0 without any). */
  firstBlock(): number {
    const starts = this.manifest.dataSources.map((d) => d.startBlock);
    return starts.length ? Math.min(...starts) : 0;
  }

  /** Static data sources in manifest order, then the stored dynamic ones in creation order. */
  all(stored: StoredDataSource[]): ActiveSource[] {
    return [...this.manifest.dataSources.map((ds) => this.fromSpec(ds)), ...stored.map((d) => this.fromTemplate(d))];
  }

  private fromSpec(ds: DataSourceSpec): ActiveSource {
    return {
      spec: ds,
      address: ds.address,
      startBlock: ds.startBlock,
      endBlock: ds.endBlock,
      info: this.info(ds, ds.address, ds.context),
    };
  }

  fromTemplate(d: StoredDataSource): ActiveSource {
    const spec = this.manifest.templates.find((t) => t.name === d.template);
    if (!spec) throw new DeterministicError(`no template named \`${d.template}\``);
    const address = normalizeAddress(d.params[0] ?? "");
    return { spec, address, startBlock: d.createdAt, endBlock: null, info: this.info(spec, address, d.context) };
  }

  private info(spec: MappingSpec, address: string | null, context: EntityData | null): DataSourceInfo {
    return {
      name: spec.name,
      address: address ? getBytes(address) : null,
      network: spec.network,
      context,
      abis: spec.abis,
      templates: this.templateNames,
    };
  }
}

/** Sources that may have triggers in [from, to]. */
export function sourcesFor(sources: ActiveSource[], from: number, to: number): ActiveSource[] {
  return sources.filter((s) => s.startBlock <= to && (s.endBlock === null || s.endBlock >= from));
}

/** The filter for the logs of `sources`: their topic0s, and their addresses when every one has one. */
export function logFilterOf(sources: ActiveSource[]): LogFilter | null {
  if (sources.length === 0) return null;
  const topics = [...new Set(sources.flatMap((s) => s.spec.handlers.map((h) => h.topic0)))];
  if (topics.length === 0) return null;
  const filter: LogFilter = { topics: [topics] };
  if (sources.every((s) => s.address)) filter.address = [...new Set(sources.map((s) => s.address!))];
  return filter;
}

/**
 * The handler of `source` for `log` (emitted by `address`, lower-case) at block `n`, if the source covers the
 * block and one of its handlers matches the log's topics.
 */
export function handlerFor(
  source: ActiveSource,
  log: RpcLog,
  address: string,
  n: number,
): EventHandlerSpec | undefined {
  if (source.address && source.address !== address) return undefined;
  if (n < source.startBlock || (source.endBlock !== null && n > source.endBlock)) return undefined;
  return source.spec.handlers.find(
    (h) =>
      h.topic0 === log.topics[0]?.toLowerCase() &&
      h.topicFilters.every((f, i) => !f || f.includes((log.topics[i + 1] ?? "").toLowerCase())),
  );
}
