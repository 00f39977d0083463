/**
 * Query latency of the embedded store at TradeTrace scale: 100,000 shipments with lines and risk flags,
 * written block by block through BlockWriter, then typical targeting queries timed (p50/p95).
 * Run: npx ts-node --transpile-only bench/store-query.ts [shipments]
 */
import path from "node:path";
import { QueryEngine } from "../indexer/graphql/engine";
import { SqliteStore } from "../indexer/store/sqlite";
import { loadSubgraphSchema } from "../indexer/schema/parse";
import type { EntityData, StoreValue } from "../indexer/store/types";

const N = Number(process.argv[2] ?? 100_000);
const PER_BLOCK = 100;
const ORIGINS = ["CN", "DE", "KR", "MX", "TR", "VN", "IN", "BR", "JP", "TW"];
const RULES = ["MISSING_MTR", "MELT_POUR_MISMATCH", "COO_MISMATCH", "WATCHLIST", "TRANSSHIPMENT", "LATE_FILING"];
const HTS = ["7304.19", "7306.30", "7208.51", "7210.49", "7219.33", "7305.11", "7306.19", "7225.40"];

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
const hex = (prefix: number, i: number) =>
  "0x" + prefix.toString(16).padStart(2, "0") + i.toString(16).padStart(38, "0");
const bytes = (h: string): StoreValue => ({ kind: "Bytes", value: new Uint8Array(Buffer.from(h.slice(2), "hex")) });
const s = (value: string): StoreValue => ({ kind: "String", value });
const big = (value: bigint): StoreValue => ({ kind: "BigInt", value });
const int = (value: number): StoreValue => ({ kind: "Int", value });
const e = (o: Record<string, StoreValue>): EntityData => new Map(Object.entries(o));

const store = new SqliteStore(
  process.env.DB ?? ":memory:",
  loadSubgraphSchema(path.join(__dirname, "targeting.graphql")),
);
const t0 = Date.now();
let blockNo = store.head()?.number ?? 0;
const actors = 2000;
// A store file from an earlier run (DB=...) is reused as it is.
const reuse = blockNo > 0;
if (!reuse) {
  const w = store.beginBlock({ number: ++blockNo, hash: "0x" + blockNo.toString(16).padStart(64, "0") });
  for (let a = 0; a < actors; a++) {
    w.set("Actor", hex(1, a), e({ name: s(`Importer ${a}`), country: s(pick(ORIGINS)), onboardedAt: big(BigInt(a)) }));
  }
  w.commit();
}
for (let i = 0; !reuse && i < N; i += PER_BLOCK) {
  const w = store.beginBlock({
    number: ++blockNo,
    hash: "0x" + blockNo.toString(16).padStart(64, "0"),
    timestamp: blockNo * 12,
  });
  for (let j = i; j < Math.min(N, i + PER_BLOCK); j++) {
    const id = hex(2, j);
    w.set(
      "Shipment",
      id,
      e({
        entryNumber: s(`ENT-${j}`),
        importer: bytes(hex(1, Math.floor(rand() * actors))),
        status: s("FILED"),
        declaredOrigin: s(pick(ORIGINS)),
        portOfEntry: s(pick(["USHOU", "USLAX", "USNYC", "USSAV"])),
        estimatedArrival: big(BigInt(1_700_000_000 + j * 60)),
        filedAt: big(BigInt(1_700_000_000 + j * 50)),
        declaredWeightKg: big(BigInt(Math.floor(rand() * 1e9))),
        riskScore: int(0),
        transshipment: { kind: "Array", value: rand() < 0.1 ? [s(pick(ORIGINS))] : [] },
      }),
    );
    const lines = 1 + Math.floor(rand() * 3);
    for (let l = 0; l < lines; l++) {
      w.set(
        "ShipmentLine",
        hex(3, j * 4 + l),
        e({
          shipment: bytes(id),
          hts: s(pick(HTS)),
          weightKg: big(BigInt(Math.floor(rand() * 1e8))),
          valueUsd: { kind: "BigDecimal", value: { digits: BigInt(Math.floor(rand() * 1e9)), exp: -2 } },
        }),
      );
    }
    let score = 0;
    if (rand() < 0.3) {
      const sev = 10 + Math.floor(rand() * 40);
      score += sev;
      w.set(
        "RiskFlag",
        hex(4, j),
        e({ shipment: bytes(id), rule: s(pick(RULES)), severity: int(sev), block: big(BigInt(blockNo)) }),
      );
    }
    if (score > 0) w.set("Shipment", id, e({ riskScore: int(score) }));
  }
  // Lifecycle updates of older shipments create new versions, as the real subgraph does.
  for (let k = 0; k < 30 && i > 0; k++) {
    const old = hex(2, Math.floor(rand() * i));
    w.set("Shipment", old, e({ status: s(pick(["DEPARTED", "ARRIVED", "RELEASED", "REFUSED"])) }));
  }
  w.commit();
}
const loadMs = Date.now() - t0;
if (process.env.LOAD_ONLY === "1") {
  console.log(`loaded ${N} shipments in ${blockNo} blocks in ${loadMs} ms`);
  process.exit(0);
}
store.db.pragma("optimize");
store.db.exec("ANALYZE");

const TRACE = process.env.TRACE === "1";
let tracing = false;
const engine = new QueryEngine(store, {
  trace: TRACE
    ? (sql, params, ms, rows) => {
        if (!tracing || ms < 0.5) return;
        console.log(`  ${ms.toFixed(1)} ms ${rows} rows: ${sql.slice(0, 400)}`);
        for (const r of store.db.prepare("EXPLAIN QUERY PLAN " + sql).all(params) as { detail: string }[])
          console.log("     ", r.detail);
      }
    : undefined,
});
const head = store.head()!.number;
const queries: Record<string, string> = {
  highRiskArrived: `{ shipments(first: 100, where: { riskScore_gte: 40, status: ARRIVED }, orderBy: riskScore, orderDirection: desc) {
    id entryNumber riskScore declaredOrigin importer { name country } flags { rule severity } lines { hts weightKg } } }`,
  originAndHts: `{ shipments(first: 100, where: { declaredOrigin: "CN", lines_: { hts_starts_with: "7304" } }, orderBy: filedAt, orderDirection: desc) {
    id entryNumber lines(where: { hts_starts_with: "7304" }) { hts weightKg valueUsd } } }`,
  transshipped: `{ shipments(first: 100, where: { transshipment_contains: ["VN"], riskScore_gt: 0 }) { id transshipment flags { rule } } }`,
  flagsByRule: `{ riskFlags(first: 200, where: { rule: "WATCHLIST", severity_gte: 30 }, orderBy: block, orderDirection: desc) {
    id severity shipment { id entryNumber importer { name } } } }`,
  importerPortfolio: `{ actors(first: 20, where: { country: "DE" }, orderBy: name) { id name imports(first: 50, orderBy: filedAt, orderDirection: desc) { id status riskScore } } }`,
  byImporterName: `{ shipments(first: 100, where: { importer_: { name_starts_with: "Importer 12" } }, orderBy: importer__name) { id importer { name } } }`,
  timeTravel: `{ shipments(first: 100, block: { number: ${Math.floor(head / 2)} }, where: { status: DEPARTED }, orderBy: estimatedArrival) { id status } }`,
  single: `{ shipment(id: "${hex(2, Math.floor(N / 2))}") { id status lines { hts } flags { rule } importer { name imports(first: 5) { id } } } }`,
  skipPage: `{ shipments(first: 1000, skip: 4000, orderBy: declaredWeightKg) { id declaredWeightKg } }`,
};

(async () => {
  console.log(`loaded ${N} shipments in ${blockNo} blocks in ${loadMs} ms`);
  for (const [name, query] of Object.entries(queries)) {
    if (process.env.ONLY && !process.env.ONLY.split(",").includes(name)) continue;
    const times: number[] = [];
    const cpu: number[] = [];
    let count = 0;
    for (let r = 0; r < (TRACE ? 3 : 25); r++) {
      tracing = TRACE && r === 2;
      const t = process.hrtime.bigint();
      const c = process.cpuUsage();
      const res = await engine.execute({ query });
      const used = process.cpuUsage(c);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      cpu.push((used.user + used.system) / 1000);
      if (res.errors) throw new Error(`${name}: ${JSON.stringify(res.errors)}`);
      count = (Object.values(res.data!)[0] as unknown[] | null)?.length ?? 1;
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const p = (q: number, xs = times) => xs[Math.min(xs.length - 1, Math.floor(q * xs.length))].toFixed(1);
    console.log(
      `${name.padEnd(18)} rows ${String(count).padStart(4)}  p50 ${p(0.5).padStart(7)} ms  p95 ${p(0.95).padStart(7)} ms  cpu p50 ${p(0.5, cpu).padStart(7)} p95 ${p(0.95, cpu).padStart(7)} ms`,
    );
  }
  store.close();
})();
