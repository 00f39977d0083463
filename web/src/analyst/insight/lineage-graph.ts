/**
 * Turns a lineage answer into a graph the picture draws: nodes for the shipment line, each report (mill report
 * or derived product) and each heat, edges in the direction material flows (heat → report → product → line),
 * each edge with the kilograms taken. A report reached twice (two products made from one coil) is one node.
 */
import type { LineLineage, LineageReport } from "./lineage-queries";

export type LineageNodeKind = "line" | "report" | "heat";

export interface LineageNode {
  id: string;
  kind: LineageNodeKind;
  /** Bold first line: certificate number, heat number or bill of lading and line. */
  title: string;
  /** What it is: "pipe maker's derived product · API 5L X52", "heat of <DID>", … */
  subtitle: string;
  /** Kilograms the node stands for: a report's certified total, a line's declared weight; null for a heat. */
  kg: bigint | null;
  /** Countries of melt and pour the node carries. */
  meltCountries: string[];
  /** The record id of a report (for links). */
  reportId?: string;
  /** Why the node deserves attention (e.g. declared origin not among the melt countries), if it does. */
  warning?: string;
}

export interface LineageEdge {
  from: string;
  to: string;
  kg: bigint | null;
}

export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

const unique = (xs: string[]): string[] => [...new Set(xs)].sort();

class GraphBuilder {
  readonly nodes = new Map<string, LineageNode>();
  readonly edges: LineageEdge[] = [];

  /** Adds a report, its heat and its inputs (recursively); returns the report's node id. */
  addReport(r: LineageReport): string {
    const id = `report:${r.id}`;
    if (this.nodes.has(id)) return id;
    this.nodes.set(id, {
      id,
      kind: "report",
      title: r.certificateNumber,
      subtitle: `${r.derived ? "derived product" : "mill report"} · ${r.productStandard} ${r.grade} · ${r.status}`,
      kg: BigInt(r.totalKg),
      meltCountries: unique(r.meltAndPourCountries.length > 0 ? r.meltAndPourCountries : [r.countryOfMeltAndPour]),
      reportId: r.id,
    });
    if (r.heat) {
      const heatId = `heat:${r.heat.id}`;
      if (!this.nodes.has(heatId)) {
        this.nodes.set(heatId, {
          id: heatId,
          kind: "heat",
          title: `heat ${r.heat.heatNumber}`,
          subtitle: `melted by ${r.issuer.did}`,
          kg: null,
          meltCountries: [r.heat.countryOfMeltAndPour],
        });
      }
      this.edges.push({ from: heatId, to: id, kg: BigInt(r.totalKg) });
    }
    for (const input of r.inputs ?? []) {
      this.edges.push({ from: this.addReport(input.input), to: id, kg: BigInt(input.kg) });
    }
    return id;
  }

  graph(): LineageGraph {
    return { nodes: [...this.nodes.values()], edges: this.edges };
  }
}

/** The graph behind one report. */
export function reportGraph(report: LineageReport): LineageGraph {
  const b = new GraphBuilder();
  b.addReport(report);
  return b.graph();
}

/** The graph behind one shipment line; the line is flagged when its declared origin is not a melt country. */
export function lineGraph(line: NonNullable<LineLineage["shipmentLine"]>): LineageGraph {
  const b = new GraphBuilder();
  const id = `line:${line.id}`;
  const melt: string[] = [];
  for (const a of line.allocations) {
    const from = b.addReport(a.millTestReport);
    melt.push(...b.nodes.get(from)!.meltCountries);
    b.edges.push({ from, to: id, kg: BigInt(a.kg) });
  }
  const meltCountries = unique(melt);
  const mismatch = meltCountries.length > 0 && !meltCountries.includes(line.originCountry);
  b.nodes.set(id, {
    id,
    kind: "line",
    title: `${line.shipment.billOfLading} line ${line.lineIndex + 1}`,
    subtitle: `declared origin ${line.originCountry}`,
    kg: BigInt(line.declaredKg),
    meltCountries,
    warning: mismatch
      ? `declared origin ${line.originCountry} is not a country of melt and pour (${meltCountries.join(", ")})`
      : line.allocations.length === 0
        ? "no mill test report allocated"
        : undefined,
  });
  return b.graph();
}
