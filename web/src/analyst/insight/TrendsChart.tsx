/**
 * Tonnage trends from the subgraph's aggregations (issue #21): shipped or certified tonnes per day or per week,
 * broken down by the dimension the analyst picks, over the charts page's window. Day buckets are read and summed
 * into VOLUME_SURGE's weeks (scripts/lib/tonnage-series.ts), so a week here is the week the rule judges.
 */
import { useMemo, useState } from "react";
import { TONNAGE_DIMENSIONS, TONNAGE_VIEWS, type TonnageDimension } from "../../../../scripts/lib/tonnage-query";
import { tonnageSeries, type Period } from "../../../../scripts/lib/tonnage-series";
import { DataTable } from "../../components/DataTable";
import { formatDate } from "../../lib/format";
import { actorHref, laneHref } from "../../lib/links";
import { PARTIES_QUERY, type PartiesAnswer } from "./record-queries";
import { actorsOf, chartOptions, trendChart, valueName, windowRange } from "./trend-model";
import { UPlotChart } from "./UPlotChart";
import { useGraphQL } from "./use-graphql";
import { useTonnage } from "./use-tonnage";
import { Status } from "./Status";

const day = (t: number): string => formatDate(t).slice(0, 10);

const what = (d: TonnageDimension): string =>
  `${TONNAGE_VIEWS[d].source === "shipped" ? "Shipped" : "Certified"} by ${TONNAGE_VIEWS[d].label}`;

/** DIDs of the actors a dimension's values name (looked up for the first 100). */
function useDids(dimension: TonnageDimension, keys: readonly string[] | undefined): Map<string, string> {
  const ids = keys ? actorsOf(dimension, keys).slice(0, 100) : [];
  const loaded = useGraphQL<PartiesAnswer>(ids.length ? PARTIES_QUERY : null, { ids });
  return useMemo(
    () => new Map(loaded.state === "done" ? loaded.data.actors.map((a) => [a.id.toLowerCase(), a.did]) : []),
    [loaded],
  );
}

function ValueLink({ dimension, value, name }: { dimension: TonnageDimension; value: string; name: string }) {
  if (TONNAGE_VIEWS[dimension].actor) return <a href={actorHref(value)}>{name}</a>;
  if (dimension === "lane") return <a href={laneHref(value)}>{name}</a>;
  return <>{name}</>;
}

export function TrendsChart({ now, days }: { now: number; days: number }) {
  const [dimension, setDimension] = useState<TonnageDimension>("meltCountry");
  const [period, setPeriod] = useState<Period>("week");
  const range = useMemo(() => windowRange(now, days, period), [now, days, period]);
  const loaded = useTonnage(dimension, { interval: "day", ...range });
  const series = useMemo(
    () =>
      loaded.state === "done"
        ? tonnageSeries(loaded.data.buckets, { from: loaded.data.from, until: range.until, period })
        : null,
    [loaded, range, period],
  );
  const dids = useDids(dimension, series?.keys);
  const name = (key: string): string => valueName(dimension, key, dids);
  const chart = useMemo(
    () => (series ? trendChart(series, (k) => valueName(dimension, k, dids)) : null),
    [series, dimension, dids],
  );
  const options = useMemo(
    () => (chart ? chartOptions(`Tonnes per ${period}, ${what(dimension).toLowerCase()}`, chart.names) : null),
    [chart, period, dimension],
  );
  const grand = series ? Object.values(series.totals).reduce((a, b) => a + b, 0) : 0;
  return (
    <section aria-labelledby="trends-heading">
      <h2 id="trends-heading">Tonnage trends</h2>
      <div className="controls">
        <label>
          Tonnage{" "}
          <select value={dimension} onChange={(e) => setDimension(e.target.value as TonnageDimension)}>
            {TONNAGE_DIMENSIONS.map((d) => (
              <option key={d} value={d}>
                {what(d).toLowerCase()}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          Per{" "}
          <select value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
            <option value="week">week (Thursday to Wednesday UTC, as VOLUME_SURGE counts)</option>
            <option value="day">day (UTC)</option>
          </select>
        </label>
      </div>
      {loaded.state !== "done" || !series || !chart || !options ? (
        <Status loaded={loaded} />
      ) : (
        <>
          {loaded.data.complete ? null : (
            <p className="warning">
              The window holds more buckets than the chart reads: it shows the time from {formatDate(loaded.data.from)}{" "}
              on. Pick a shorter window or a coarser breakdown for complete figures.
            </p>
          )}
          <p>
            Closed days only: as in graph-node, a day's bucket is rolled up once a block after its end is indexed, so
            the day of the indexed head counts later.
          </p>
          {series.keys.length === 0 ? (
            <p>No tonnage in this window.</p>
          ) : (
            <UPlotChart options={options} data={chart.data} label={chart.label} />
          )}
          <DataTable
            caption={`Tonnes ${what(dimension).toLowerCase()}, ${day(range.since)} to ${day(range.until - 1)}`}
            empty="No tonnage in this window."
            rowKey={(k) => k}
            rows={series.keys}
            columns={[
              {
                header: TONNAGE_VIEWS[dimension].label,
                value: (k) => k,
                render: (k) => <ValueLink dimension={dimension} value={k} name={name(k)} />,
              },
              { header: "Tonnes", value: (k) => (series.totals[k] / 1000).toFixed(3), numeric: true },
              {
                header: TONNAGE_VIEWS[dimension].source === "shipped" ? "Lines" : "Reports",
                value: (k) => series.lines[k],
                numeric: true,
              },
              { header: "Share", value: (k) => `${((100 * series.totals[k]) / grand).toFixed(1)} %`, numeric: true },
            ]}
          />
          <DataTable
            caption={`Tonnes per ${period} of the chart's lines`}
            rowKey={(i) => String(series.starts[i])}
            rows={series.starts.map((_, i) => i)}
            columns={[
              { header: period === "week" ? "Week from" : "Day", value: (i) => day(series.starts[i]) },
              ...chart.names.map((n, line) => ({
                header: n,
                value: (i: number) => (chart.data[line + 1][i] ?? 0).toFixed(3),
                numeric: true,
              })),
            ]}
          />
        </>
      )}
    </section>
  );
}
