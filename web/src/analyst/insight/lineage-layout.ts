/**
 * Places the lineage graph with elkjs (layered, left to right: heat on the left, the shipment line on the right).
 * elkjs is 1.6 MB, so it is imported on first use and stays out of the bundle every page loads.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { LineageGraph, LineageNode } from "./lineage-graph";

export const NODE_WIDTH = 250;
export const NODE_HEIGHT = 84;

export interface PlacedNode extends LineageNode {
  x: number;
  y: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  kg: bigint | null;
  /** Polyline points start → bends → end. */
  points: { x: number; y: number }[];
}

export interface LineageLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export async function layoutLineage(graph: LineageGraph): Promise<LineageLayout> {
  const { default: ELK } = await import("elkjs/lib/elk.bundled.js");
  const elk = new ELK();
  const root: ElkNode = {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.layered.spacing.nodeNodeBetweenLayers": "70",
      "elk.spacing.nodeNode": "24",
      "elk.edgeRouting": "ORTHOGONAL",
    },
    children: graph.nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: graph.edges.map((e, i): ElkExtendedEdge => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
  const placed = await elk.layout(root);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes = (placed.children ?? []).map((c) => ({ ...byId.get(c.id)!, x: c.x ?? 0, y: c.y ?? 0 }));
  const edges = (placed.edges ?? []).map((e, i) => {
    const section = (e as ElkExtendedEdge).sections?.[0];
    const points = section ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint] : [];
    return { ...graph.edges[i], points };
  });
  return { width: placed.width ?? 0, height: placed.height ?? 0, nodes, edges };
}
