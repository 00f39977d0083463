/**
 * Charts: tonnage trends from the subgraph's aggregations (TrendsChart.tsx: shipped or certified tonnes per day
 * or week by melt country, HTS chapter, port, exporter, importer, lane or mill) and mill test report utilisation
 * (one bounded page of the reports issued in the window, newest first; the page says when the window holds more).
 */
import { useMemo, useState } from "react";
import type uPlot from "uplot";
import { DAY } from "../../../../scripts/lib/tonnage-series";
import { DataTable } from "../../components/DataTable";
import { CHART_PAGE, HEAD_QUERY, UTILISATION_QUERY, type HeadAnswer, type UtilisationAnswer } from "./chart-queries";
import { utilisationSeries } from "./chart-series";
import { TrendsChart } from "./TrendsChart";
import { UPlotChart } from "./UPlotChart";
import { useGraphQL } from "./use-graphql";
import { Status } from "./Status";

const WINDOWS = [30, 90, 182, 365];

function UtilisationChart({ since }: { since: number }) {
  const loaded = useGraphQL<UtilisationAnswer>(UTILISATION_QUERY, { since: String(since), first: CHART_PAGE });
  const series = useMemo(() => (loaded.state === "done" ? utilisationSeries(loaded.data) : null), [loaded]);
  const chart = useMemo(() => {
    if (!series) return null;
    const options: uPlot.Options = {
      width: 760,
      height: 280,
      title: "Share of certified kilograms used, per report by issue date",
      series: [{}, { label: "used %", stroke: "#1a73e8", width: 0, points: { show: true, size: 6 } }],
      scales: { y: { range: [0, 100] } },
      axes: [{}, { label: "% used" }],
    };
    return { options, data: [series.issuedAt, series.percent] as uPlot.AlignedData };
  }, [series]);
  if (loaded.state !== "done") return <Status loaded={loaded} />;
  if (!series || !chart) return null;
  const truncated = loaded.data.millTestReports.length >= CHART_PAGE;
  const buckets = series.deciles.map((n, i) => ({ range: `${i * 10}–${i === 9 ? 100 : i * 10 + 10} %`, n }));
  return (
    <section aria-labelledby="utilisation-heading">
      <h2 id="utilisation-heading">Mill test report utilisation</h2>
      {truncated ? <p className="warning">Showing the newest {CHART_PAGE} reports of the window.</p> : null}
      {series.issuedAt.length === 0 ? (
        <p>No mill test report was issued in this window.</p>
      ) : (
        <UPlotChart
          options={chart.options}
          data={chart.data}
          label={`Utilisation of ${series.issuedAt.length} reports: ${buckets.map((b) => `${b.n} at ${b.range}`).join(", ")}`}
        />
      )}
      <DataTable
        caption="Reports by share used"
        rowKey={(b) => b.range}
        rows={buckets}
        columns={[
          { header: "Used", value: (b) => b.range },
          { header: "Reports", value: (b) => String(b.n) },
        ]}
      />
    </section>
  );
}

export function ChartsPage() {
  const [days, setDays] = useState(90);
  const head = useGraphQL<HeadAnswer>(HEAD_QUERY);
  if (head.state !== "done") return <Status loaded={head} />;
  const now = head.data._meta?.block.timestamp ?? Math.floor(Date.now() / 1000);
  const since = now - days * DAY;
  return (
    <div className="insight-page">
      <h1>Charts</h1>
      <label>
        Window{" "}
        <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {WINDOWS.map((d) => (
            <option key={d} value={d}>
              last {d} days
            </option>
          ))}
        </select>
      </label>
      <TrendsChart now={now} days={days} />
      <UtilisationChart since={since} />
    </div>
  );
}
