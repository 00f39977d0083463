/**
 * Charts: tonnage by melt country over time (active allocations per day) and mill test report utilisation
 * (per report issued in the window). Each draws one bounded page of the window, newest first; when the window
 * holds more, the page says so (aggregates come with issue #21's timeseries).
 */
import { useMemo, useState } from "react";
import type uPlot from "uplot";
import { DataTable } from "../../components/DataTable";
import { formatDate } from "../../lib/format";
import {
  CHART_PAGE,
  HEAD_QUERY,
  TONNAGE_QUERY,
  UTILISATION_QUERY,
  type HeadAnswer,
  type TonnageAnswer,
  type UtilisationAnswer,
} from "./chart-queries";
import { DAY, tonnageSeries, utilisationSeries } from "./chart-series";
import { UPlotChart } from "./UPlotChart";
import { useGraphQL } from "./use-graphql";
import { Status } from "./Status";

const PALETTE = ["#1a73e8", "#d93025", "#188038", "#f29900", "#9334e6", "#12b5cb", "#e52592", "#5f6368"];
const WINDOWS = [30, 90, 365];

function TonnageChart({ since, now }: { since: number; now: number }) {
  const loaded = useGraphQL<TonnageAnswer>(TONNAGE_QUERY, { since: String(since), first: CHART_PAGE });
  const truncated = loaded.state === "done" && loaded.data.allocations.length >= CHART_PAGE;
  const series = useMemo(() => {
    if (loaded.state !== "done") return null;
    // A full page covers only its newest days: start the axis at its oldest allocation, not at the window's start.
    const rows = loaded.data.allocations;
    const from = truncated ? Math.min(...rows.map((a) => Number(a.linkedAt))) : since;
    return tonnageSeries(loaded.data, from, now);
  }, [loaded, since, now, truncated]);
  const chart = useMemo(() => {
    if (!series) return null;
    const options: uPlot.Options = {
      width: 760,
      height: 320,
      title: "Tonnes linked per day, by country of melt and pour",
      series: [{}, ...series.countries.map((c, i) => ({ label: c, stroke: PALETTE[i % PALETTE.length], width: 2 }))],
      axes: [{}, { label: "tonnes" }],
    };
    const data: uPlot.AlignedData = [series.days, ...series.tonnes];
    return { options, data };
  }, [series]);
  if (loaded.state !== "done") return <Status loaded={loaded} />;
  if (!series || !chart) return null;
  return (
    <section aria-labelledby="tonnage-heading">
      <h2 id="tonnage-heading">Tonnage by melt country</h2>
      {truncated ? (
        <p className="warning">
          The window holds more than {CHART_PAGE} allocations: the chart and the table show the newest {CHART_PAGE},
          from {formatDate(series.days[0])}. Pick a shorter window for complete figures.
        </p>
      ) : null}
      {series.countries.length === 0 ? (
        <p>No mill test report kilograms were linked to shipments in this window.</p>
      ) : (
        <UPlotChart
          options={chart.options}
          data={chart.data}
          label={`Tonnes per melt country: ${series.countries.map((c) => `${c} ${series.totals[c].toFixed(1)} t`).join(", ")}`}
        />
      )}
      <DataTable
        caption="Tonnes by country of melt and pour in the window"
        rowKey={(c) => c}
        rows={series.countries}
        columns={[
          { header: "Melt country", value: (c) => c },
          { header: "Tonnes", value: (c) => series.totals[c].toFixed(3) },
        ]}
      />
    </section>
  );
}

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
  const [days, setDays] = useState(30);
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
      <TonnageChart since={since} now={now} />
      <UtilisationChart since={since} />
    </div>
  );
}
