/**
 * The lineage of a shipment line, a report, or a certificate / MTR number: the picture from heat to the line
 * with kilograms and melt-and-pour countries at each node, and the same facts as a table.
 */
import { useMemo } from "react";
import { lineageHref } from "../../lib/links";
import { lineGraph, reportGraph, type LineageGraph } from "./lineage-graph";
import {
  LINE_LINEAGE_QUERY,
  NUMBER_LOOKUP_QUERY,
  REPORT_LINEAGE_QUERY,
  type LineLineage,
  type NumberLookup,
  type ReportLineage,
} from "./lineage-queries";
import { LineagePicture, LineageTable } from "./LineagePicture";
import { formatHts, formatKg } from "../../lib/format";
import { useGraphQL, type Loaded } from "./use-graphql";
import { Status } from "./Status";

function Graph({ graph, empty }: { graph: LineageGraph; empty: string }) {
  if (graph.nodes.length <= 1 && graph.edges.length === 0) return <p>{empty}</p>;
  return (
    <>
      <LineagePicture graph={graph} />
      <LineageTable graph={graph} />
    </>
  );
}

function LineLineageView({ lineId }: { lineId: string }) {
  const loaded = useGraphQL<LineLineage>(LINE_LINEAGE_QUERY, { id: lineId });
  const line = loaded.state === "done" ? loaded.data.shipmentLine : null;
  const graph = useMemo(() => (line ? lineGraph(line) : null), [line]);
  if (loaded.state !== "done") return <Status loaded={loaded} />;
  if (!line || !graph) return <p role="alert">No shipment line {lineId}.</p>;
  return (
    <>
      <p>
        Line {line.lineIndex + 1} of bill of lading <strong>{line.shipment.billOfLading}</strong>: HTS{" "}
        {formatHts(line.hts)}, {formatKg(line.declaredKg)} declared from {line.originCountry},{" "}
        {formatKg(line.allocatedKg)} covered by mill test reports{line.current ? "" : " (dropped by a later version)"}.
      </p>
      <Graph graph={graph} empty="No mill test report is allocated to this line." />
    </>
  );
}

function ReportLineageView({ reportId }: { reportId: string }) {
  const loaded = useGraphQL<ReportLineage>(REPORT_LINEAGE_QUERY, { id: reportId });
  const report = loaded.state === "done" ? loaded.data.millTestReport : null;
  const graph = useMemo(() => (report ? reportGraph(report) : null), [report]);
  if (loaded.state !== "done") return <Status loaded={loaded} />;
  if (!report || !graph) return <p role="alert">No mill test report {reportId}.</p>;
  return <Graph graph={graph} empty="This report has no recorded inputs." />;
}

function NumberLineageView({ number }: { number: string }) {
  const loaded: Loaded<NumberLookup> = useGraphQL<NumberLookup>(NUMBER_LOOKUP_QUERY, { number });
  if (loaded.state !== "done") return <Status loaded={loaded} />;
  const { millTestReports: reports, certificateOfOrigins: coos } = loaded.data;
  if (reports.length === 1 && coos.length === 0) return <ReportLineageView reportId={reports[0].id} />;
  if (reports.length === 0 && coos.length === 0) {
    return <p role="alert">No mill test report or certificate of origin has the number {number}.</p>;
  }
  return (
    <>
      {reports.length > 0 ? (
        <>
          <h2>Mill test reports numbered {number}</h2>
          <ul>
            {reports.map((r) => (
              <li key={r.id}>
                <a href={lineageHref({ reportId: r.id })}>{r.id}</a> issued by {r.issuer.did} ({r.status})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {coos.map((c) => (
        <section key={c.id}>
          <h2>
            Certificate of origin {number} by {c.issuer.did} ({c.status})
          </h2>
          {c.links.length === 0 ? <p>Not linked to any shipment.</p> : null}
          <ul>
            {c.links.flatMap((l) =>
              l.shipment.lines.map((line) => (
                <li key={line.id}>
                  <a href={lineageHref({ lineId: line.id })}>
                    {l.shipment.billOfLading} line {line.lineIndex + 1}
                  </a>
                  : HTS {formatHts(line.hts)}, {formatKg(line.declaredKg)}
                </li>
              )),
            )}
          </ul>
        </section>
      ))}
    </>
  );
}

export function LineagePage({ kind, value }: { kind: string; value: string }) {
  const what = kind === "line" ? "shipment line" : kind === "report" ? "report" : "certificate number";
  return (
    <div className="insight-page">
      <h1>Lineage</h1>
      <p className="muted">
        From the heat through each derived product to the {what} {kind === "number" ? value : ""}: kilograms and
        countries of melt and pour at each step.
      </p>
      {kind === "line" ? (
        <LineLineageView lineId={value} />
      ) : kind === "report" ? (
        <ReportLineageView reportId={value} />
      ) : kind === "number" ? (
        <NumberLineageView number={value} />
      ) : (
        <p role="alert">Unknown lineage target {kind}.</p>
      )}
    </div>
  );
}
