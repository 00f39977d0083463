import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../../indexer/store/sqlite";
import { SCHEMA_PATH } from "../../../bench/lib/query-cases";
import { buildSeason, type Rec, type SeasonResult } from "../../../bench/lib/query-data";

/**
 * The memory-bounded season (the generator forgets what no later event can reach) writes the same store as the
 * season that keeps every record, whose every access to a record it would have forgotten throws.
 */
describe("bench/lib/query-data: buildSeason, memory-bounded", function () {
  this.timeout(300_000);
  const SHIPMENTS = 1500;
  let dir: string;
  const built: Record<"bounded" | "kept", { season: SeasonResult; digest: string }> = {} as never;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "tt-season-test-"));
    for (const mode of ["bounded", "kept"] as const) {
      const store = SqliteStore.open(join(dir, `${mode}.sqlite`), SCHEMA_PATH);
      try {
        const season = buildSeason(store, { shipments: SHIPMENTS, keepEvents: mode === "kept" });
        built[mode] = { season, digest: store.digest() };
      } finally {
        store.close();
      }
    }
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes the same entities, versions and values as the season that keeps every record", function () {
    const { bounded, kept } = built;
    expect(bounded.digest).to.equal(kept.digest);
    expect(bounded.season.versions).to.deep.equal(kept.season.versions);
    expect(bounded.season.entities).to.deep.equal(kept.season.entities);
    expect(bounded.season.entities.Shipment).to.equal(SHIPMENTS);
    for (const [type, m] of Object.entries(kept.season.world)) {
      expect(bounded.season.entities[type], type).to.equal(m.size);
    }
  });

  it("collects the same sample for the benchmark's cases", function () {
    const { bounded, kept } = built;
    expect(bounded.season.sample).to.deep.equal(kept.season.sample);
    const counts = new Map<string, number>();
    for (const s of kept.season.world.Shipment.values()) {
      for (const p of s.parties as string[]) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    expect(bounded.season.sample.partyCounts).to.deep.equal(counts);
    const withEntry = [...kept.season.world.Shipment.values()].filter((s) => s.entryNumber !== "");
    // Read back from the store, which leaves out null fields.
    const stored = (r: Rec): Rec => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null));
    expect(bounded.season.sample.shipment).to.deep.equal(stored(withEntry[Math.floor(withEntry.length / 2)]));
    const mills = [...kept.season.world.MillTestReport.values()].filter((r) => r.derived === false);
    expect(bounded.season.sample.millReport).to.deep.equal(stored(mills[Math.floor(mills.length / 2)]));
    expect(kept.season.world.MillTestReport.get(bounded.season.sample.pipe)!.derived).to.equal(true);
  });

  it("holds only what a later event could still reach", function () {
    const { bounded, kept } = built;
    const held = (s: SeasonResult) => Object.values(s.world).reduce((n, m) => n + m.size, 0);
    expect(held(bounded.season)).to.be.lessThan(held(kept.season) / 10);
    for (const type of ["StatusChange", "CbpAction", "ShipmentVersion", "Heat", "LineageEdge", "Pouch"]) {
      expect(bounded.season.world[type].size, type).to.equal(0);
    }
    expect(bounded.season.world.Actor.size).to.equal(kept.season.world.Actor.size);
  });
});
