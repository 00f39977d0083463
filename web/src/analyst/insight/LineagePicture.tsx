/**
 * The lineage drawn as SVG from the elkjs layout, with the same facts as a table beneath it (screen readers and
 * copy-paste get the table; the picture is labelled as an image summarising it).
 */
import { useEffect, useState } from "react";
import { formatKg } from "../../lib/format";
import type { LineageGraph } from "./lineage-graph";
import { layoutLineage, NODE_HEIGHT, NODE_WIDTH, type LineageLayout, type PlacedNode } from "./lineage-layout";
import { mtrHref } from "../../lib/links";

const KIND_LABEL = { line: "shipment line", report: "report", heat: "heat" } as const;
const KIND_FILL = { line: "#e8f0fe", report: "#ffffff", heat: "#fff4e5" } as const;

function NodeBox({ node }: { node: PlacedNode }) {
  const kg = node.kg === null ? "" : formatKg(node.kg);
  const melt = node.meltCountries.length > 0 ? `melt ${node.meltCountries.join(", ")}` : "melt country unknown";
  const box = (
    <g transform={`translate(${node.x},${node.y})`} data-node-kind={node.kind} data-node-id={node.id}>
      <rect
        width={NODE_WIDTH}
        height={NODE_HEIGHT}
        rx={6}
        fill={KIND_FILL[node.kind]}
        stroke={node.warning ? "#b3261e" : "#5f6368"}
        strokeWidth={node.warning ? 3 : 1}
      />
      <text x={10} y={20} fontWeight="bold" fontSize={13} fill="#202124">
        {node.title}
      </text>
      <text x={10} y={38} fontSize={11} fill="#3c4043">
        {node.subtitle.length > 40 ? node.subtitle.slice(0, 39) + "…" : node.subtitle}
      </text>
      <text x={10} y={56} fontSize={12} fill="#202124">
        {[kg, melt].filter(Boolean).join(" · ")}
      </text>
      {node.warning ? (
        <text x={10} y={74} fontSize={11} fill="#b3261e">
          ⚠ {node.warning.length > 38 ? node.warning.slice(0, 37) + "…" : node.warning}
        </text>
      ) : null}
    </g>
  );
  return node.reportId ? <a href={mtrHref(node.reportId)}>{box}</a> : box;
}

export function LineagePicture({ graph }: { graph: LineageGraph }) {
  const [layout, setLayout] = useState<LineageLayout | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    layoutLineage(graph).then(
      (l) => live && setLayout(l),
      (e: Error) => live && setError(`could not lay out the lineage: ${e.message}`),
    );
    return () => {
      live = false;
    };
  }, [graph]);
  const summary = graph.nodes.map((n) => `${KIND_LABEL[n.kind]} ${n.title}`).join(", ");
  return (
    <section aria-labelledby="lineage-picture-heading">
      <h2 id="lineage-picture-heading">Picture</h2>
      {error ? <p role="alert">{error}</p> : null}
      {layout === null && !error ? <p>Laying out…</p> : null}
      {layout ? (
        <div className="lineage-scroll">
          <svg
            role="group"
            aria-label={`Lineage: ${summary}`}
            width={layout.width}
            height={layout.height}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            className="lineage-svg"
            data-testid="lineage-svg"
          >
            <defs>
              <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto">
                <path d="M0,0 L10,5 L0,10 z" fill="#5f6368" />
              </marker>
            </defs>
            {layout.edges.map((e, i) => {
              const mid = e.points[Math.floor(e.points.length / 2)] ?? { x: 0, y: 0 };
              return (
                <g key={i}>
                  <polyline
                    points={e.points.map((p) => `${p.x},${p.y}`).join(" ")}
                    fill="none"
                    stroke="#5f6368"
                    markerEnd="url(#arrow)"
                  />
                  {e.kg !== null ? (
                    <text x={mid.x + 4} y={mid.y - 4} fontSize={11} fill="#202124">
                      {formatKg(e.kg)}
                    </text>
                  ) : null}
                </g>
              );
            })}
            {layout.nodes.map((n) => (
              <NodeBox key={n.id} node={n} />
            ))}
          </svg>
        </div>
      ) : null}
    </section>
  );
}

/** The nodes as a table: what each is, its kilograms and melt countries, and what deserves attention. */
export function LineageTable({ graph }: { graph: LineageGraph }) {
  return (
    <table className="lineage-table" data-testid="lineage-table">
      <caption>Nodes of the lineage</caption>
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col">Node</th>
          <th scope="col">Details</th>
          <th scope="col">Kilograms</th>
          <th scope="col">Melt and pour</th>
          <th scope="col">Attention</th>
        </tr>
      </thead>
      <tbody>
        {graph.nodes.map((n) => (
          <tr key={n.id} data-node-kind={n.kind}>
            <td>{KIND_LABEL[n.kind]}</td>
            <td>{n.reportId ? <a href={mtrHref(n.reportId)}>{n.title}</a> : n.title}</td>
            <td>{n.subtitle}</td>
            <td data-kg={n.kg === null ? "" : n.kg.toString()}>{n.kg === null ? "—" : formatKg(n.kg)}</td>
            <td>{n.meltCountries.join(", ") || "—"}</td>
            <td>{n.warning ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
