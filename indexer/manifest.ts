/**
 * Loads a subgraph as `graph build` writes it (`<dir>/build/subgraph.yaml` with wasm files, ABIs and the
 * schema next to it): data sources, templates, event handlers with their topic0 and ABI event.
 */
import { existsSync, readFileSync } from "fs";
import { dirname, join, resolve } from "path";
import { EventFragment, Interface, getBytes, id as keccakText } from "ethers";
import { parse as parseYaml } from "yaml";
import type { EntityData, StoreValue } from "./store/types";
import * as bd from "./wasm/bigdecimal";
import { MappingModule, validateModule } from "./wasm/host";
import { schemaInfo, type SchemaInfo } from "./wasm/schema-info";

export interface EventHandlerSpec {
  /** The signature as written in the manifest, e.g. `Transfer(indexed address,indexed address,uint256)`. */
  event: string;
  handler: string;
  receipt: boolean;
  /** 0x-prefixed lowercase keccak of the normalised signature (or the manifest's `topic0`). */
  topic0: string;
  /** Optional topic1–topic3 filters (lowercase hex), undefined = any. */
  topicFilters: (string[] | undefined)[];
  fragment: EventFragment;
}

/** What data sources and templates share: the mapping. */
export interface MappingSpec {
  kind: string;
  name: string;
  network: string;
  abiName: string;
  abis: Map<string, Interface>;
  apiVersion: string;
  module: MappingModule;
  handlers: EventHandlerSpec[];
}

export interface DataSourceSpec extends MappingSpec {
  /** Lowercase 0x address, or null when the data source has none. */
  address: string | null;
  startBlock: number;
  endBlock: number | null;
  context: EntityData | null;
}

export type TemplateSpec = MappingSpec;

export interface Manifest {
  /** The directory holding the built subgraph.yaml. */
  dir: string;
  specVersion: string;
  features: string[];
  /** Absolute path of the built schema.graphql. */
  schemaFile: string;
  schemaSdl: string;
  schema: SchemaInfo;
  dataSources: DataSourceSpec[];
  templates: TemplateSpec[];
}

export class ManifestError extends Error {}

/** topic0 of a manifest event signature: `indexed ` and then all spaces removed. */
export function topic0Of(signature: string): string {
  return keccakText(signature.replace(/indexed /g, "").replace(/\s/g, "")).toLowerCase();
}

/** `Name(indexed type,type)` as graph-node builds it from an ABI event. */
export function manifestSignature(f: EventFragment): string {
  const params = f.inputs.map((p) => (p.indexed ? "indexed " : "") + p.format("sighash"));
  return `${f.name}(${params.join(",")})`;
}

/** Resolves `dir` to the built manifest: `dir/build/subgraph.yaml`, or `dir/subgraph.yaml` for a build dir. */
export function builtManifestPath(dir: string): string {
  for (const c of [join(dir, "build", "subgraph.yaml"), join(dir, "subgraph.yaml")]) {
    if (existsSync(c)) return c;
  }
  throw new ManifestError(`no built subgraph in ${dir} (run \`graph build\` first)`);
}

type Yaml = Record<string, unknown>;

function need<T>(v: T | undefined | null, what: string): T {
  if (v === undefined || v === null) throw new ManifestError(`manifest: missing ${what}`);
  return v;
}

/** Manifest `context:` entries: `{ type, data }` per key. */
function contextValue(v: Yaml, key: string): StoreValue {
  const type = String(v.type);
  const data = v.data;
  switch (type) {
    case "Bool":
      return { kind: "Bool", value: Boolean(data) };
    case "String":
      return { kind: "String", value: String(data) };
    case "Int":
      return { kind: "Int", value: Number(data) };
    case "Int8":
      return { kind: "Int8", value: BigInt(data as string) };
    case "BigInt":
      return { kind: "BigInt", value: BigInt(data as string) };
    case "BigDecimal":
      return { kind: "BigDecimal", value: bd.fromString(String(data)) };
    case "Bytes":
      return { kind: "Bytes", value: getBytes(String(data)) };
    case "List":
      return { kind: "Array", value: (data as Yaml[]).map((x) => contextValue(x, key)) };
    default:
      throw new ManifestError(`manifest: context value \`${key}\` has unsupported type ${type}`);
  }
}

function loadMapping(base: string, ds: Yaml, where: string): MappingSpec {
  const kind = String(ds.kind ?? "");
  if (kind !== "ethereum" && kind !== "ethereum/contract") {
    throw new ManifestError(`${where}: only ethereum data sources are supported, not \`${kind}\``);
  }
  const source = need(ds.source as Yaml, `${where}.source`);
  const mapping = need(ds.mapping as Yaml, `${where}.mapping`);
  const name = String(need(ds.name, `${where}.name`));
  const apiVersion = String(need(mapping.apiVersion, `${where}.mapping.apiVersion`));
  if (mapping.blockHandlers || mapping.callHandlers) {
    throw new ManifestError(`${where}: block and call handlers are not supported by the embedded runtime`);
  }
  const abis = new Map<string, Interface>();
  for (const a of (mapping.abis as Yaml[]) ?? []) {
    const file = resolve(base, String(a.file));
    const json = JSON.parse(readFileSync(file, "utf8")) as unknown;
    abis.set(String(a.name), new Interface((Array.isArray(json) ? json : (json as Yaml).abi) as never));
  }
  const abiName = String(need(source.abi, `${where}.source.abi`));
  const abi = abis.get(abiName);
  if (!abi) throw new ManifestError(`${where}: ABI \`${abiName}\` is not listed under mapping.abis`);
  const events: EventFragment[] = [];
  abi.forEachEvent((e) => events.push(e));
  const handlers = ((mapping.eventHandlers as Yaml[]) ?? []).map((h): EventHandlerSpec => {
    const event = String(h.event).replace(/\s+/g, " ").replace(/\( /g, "(").replace(/, /g, ",");
    const normalized = event.replace(/\s/g, "").replace(/indexed/g, "indexed ");
    let fragment = events.find((e) => manifestSignature(e) === normalized);
    if (!fragment) {
      const byName = events.filter((e) => e.name === event.slice(0, event.indexOf("(")));
      if (byName.length === 1) fragment = byName[0];
    }
    if (!fragment) throw new ManifestError(`${where}: event \`${event}\` not found in ABI \`${abiName}\``);
    const filters = [h.topic1, h.topic2, h.topic3].map((t) =>
      t === undefined ? undefined : (Array.isArray(t) ? t : [t]).map((x) => String(x).toLowerCase()),
    );
    return {
      event,
      handler: String(need(h.handler, `${where} handler of ${event}`)),
      receipt: h.receipt === true,
      topic0: h.topic0 ? String(h.topic0).toLowerCase() : topic0Of(event),
      topicFilters: filters,
      fragment,
    };
  });
  const file = resolve(base, String(need(mapping.file, `${where}.mapping.file`)));
  const module = MappingModule.fromBytes(readFileSync(file), apiVersion);
  validateModule(module);
  const exported = new Set(
    WebAssembly.Module.exports(module.module)
      .filter((e) => e.kind === "function")
      .map((e) => e.name),
  );
  for (const h of handlers) {
    if (!exported.has(h.handler))
      throw new ManifestError(`${where}: the mapping does not export handler \`${h.handler}\``);
  }
  return {
    kind,
    name,
    network: String(ds.network ?? ""),
    abiName,
    abis,
    apiVersion,
    module,
    handlers,
  };
}

export function loadManifest(dir: string): Manifest {
  const path = builtManifestPath(dir);
  const base = dirname(path);
  const doc = parseYaml(readFileSync(path, "utf8")) as Yaml;
  const schemaFile = resolve(base, String(need((doc.schema as Yaml)?.file, "schema.file")));
  const schemaSdl = readFileSync(schemaFile, "utf8");
  const dataSources = ((doc.dataSources as Yaml[]) ?? []).map((ds, i): DataSourceSpec => {
    const m = loadMapping(base, ds, `dataSources[${i}]`);
    const source = ds.source as Yaml;
    let context: EntityData | null = null;
    if (ds.context) {
      context = new Map(
        Object.entries(ds.context as Record<string, Yaml>).map(([k, v]) => [k, contextValue(v, k)] as const),
      );
    }
    return {
      ...m,
      address: source.address ? String(source.address).toLowerCase() : null,
      startBlock: Number(source.startBlock ?? 0),
      endBlock: source.endBlock === undefined ? null : Number(source.endBlock),
      context,
    };
  });
  const templates = ((doc.templates as Yaml[]) ?? []).map((t, i) => loadMapping(base, t, `templates[${i}]`));
  return {
    dir: base,
    specVersion: String(doc.specVersion ?? ""),
    features: ((doc.features as string[]) ?? []).map(String),
    schemaFile,
    schemaSdl,
    schema: schemaInfo(schemaSdl),
    dataSources,
    templates,
  };
}
