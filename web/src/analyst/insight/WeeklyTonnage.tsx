/**
 * One actor's or lane's tonnes per VOLUME_SURGE week from the tonnage aggregations, for the actor and lane pages;
 * an exporter's chart carries the rule's line (max(mean + 3σ, 2 × mean) of the 12 weeks before each week, from
 * its first filing's sixth week on), so a surge shows as a point above it. Nothing is shown for a value that has
 * no tonnage in the weeks.
 */
import { useMemo } from "react";
import type uPlot from "uplot";
import { TONNAGE_VIEWS, type TonnageDimension } from "../../../../scripts/lib/tonnage-query";
import { SURGE_BASELINE_WEEKS, WEEK, weekOf } from "../../../../scripts/lib/tonnage-series";
import { DataTable } from "../../components/DataTable";
import { formatDate } from "../../lib/format";
import { chartOptions, weeklyChart, type WeeklyChart } from "./trend-model";
import { UPlotChart } from "./UPlotChart";
import { useGraphQL } from "./use-graphql";
import { useTonnage } from "./use-tonnage";
import { Status } from "./Status";
import { SurgeFlags } from "./SurgeFlags";

/** Weeks shown on an actor's or a lane's page. */
export const WEEKS_SHOWN = 26;

const FIRST_FILING_QUERY = `query FirstFiling($exporter: Bytes!) {
  shipments(where: { exporter: $exporter }, orderBy: filedAt, orderDirection: asc, first: 1) { filedAt }
}`;

interface FirstFilingAnswer {
  shipments: { filedAt: string }[];
}

const LINE_NAME = "VOLUME_SURGE line";

/** The chart's options, data and text alternative (the weeks above the rule's line named). */
function drawing(
  chart: WeeklyChart,
  title: string,
): { options: uPlot.Options; data: uPlot.AlignedData; label: string } {
  const options = chartOptions(`${title}, tonnes per week`, ["tonnes"], chart.threshold ? LINE_NAME : undefined);
  const data: uPlot.AlignedData = chart.threshold
    ? [chart.starts, chart.tonnes, chart.threshold]
    : [chart.starts, chart.tonnes];
  const above = chart.above ? chart.starts.filter((_, i) => chart.above![i]) : [];
  const total = chart.tonnes.reduce((a, b) => a + b, 0);
  const label =
    `${title}: ${total.toFixed(1)} t in ${WEEKS_SHOWN} weeks` +
    (chart.above
      ? `; weeks above the VOLUME_SURGE line: ${above.map((t) => formatDate(t).slice(0, 10)).join(", ") || "none"}`
      : "");
  return { options, data, label };
}

export function WeeklyTonnage({
  dimension,
  value,
  now,
  title,
  empty,
}: {
  dimension: TonnageDimension;
  value: string;
  now: number;
  title: string;
  /** Said when the value has no tonnage in the weeks (else nothing is shown). */
  empty?: string;
}) {
  const surge = dimension === "exporter";
  const last = weekOf(now);
  const range = {
    interval: "day" as const,
    since: (last - WEEKS_SHOWN - SURGE_BASELINE_WEEKS + 1) * WEEK,
    until: (last + 1) * WEEK,
    key: value,
  };
  const loaded = useTonnage(dimension, range);
  const first = useGraphQL<FirstFilingAnswer>(surge ? FIRST_FILING_QUERY : null, { exporter: value });
  const firstWeek =
    first.state === "done" && first.data.shipments.length ? weekOf(Number(first.data.shipments[0].filedAt)) : null;
  const ready = loaded.state === "done" && (!surge || first.state === "done");
  const chart = useMemo(
    () =>
      ready && loaded.state === "done"
        ? weeklyChart(loaded.data.buckets, last, WEEKS_SHOWN, surge ? { firstWeek } : undefined)
        : null,
    [ready, loaded, last, surge, firstWeek],
  );
  const drawn = useMemo(() => (chart ? drawing(chart, title) : null), [chart, title]);
  if (loaded.state !== "done") return <Status loaded={loaded} />;
  if (first.state === "error") return <Status loaded={first} />;
  if (!chart || !drawn) return <Status loaded={{ state: "loading" }} />;
  if (chart.tonnes.every((t) => t === 0)) return empty ? <p>{empty}</p> : null;
  const id = `tonnage-${dimension}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {surge ? (
        <p>
          The dashed line is VOLUME_SURGE's bar for each week: the larger of the mean + 3σ and twice the mean of the
          exporter's {SURGE_BASELINE_WEEKS} weeks before, drawn once its first filing is six weeks old.
        </p>
      ) : null}
      <UPlotChart options={drawn.options} data={drawn.data} label={drawn.label} />
      {surge ? <SurgeFlags exporter={value} /> : null}
      <DataTable
        caption={`${title} per week (${TONNAGE_VIEWS[dimension].source === "shipped" ? "declared on shipment lines" : "certified"})`}
        rowKey={(i) => String(chart.starts[i])}
        rows={chart.starts.map((_, i) => i).reverse()}
        columns={[
          { header: "Week from", value: (i) => formatDate(chart.starts[i]).slice(0, 10) },
          { header: "Tonnes", value: (i) => chart.tonnes[i].toFixed(3), numeric: true },
          ...(chart.threshold
            ? [
                { header: LINE_NAME, value: (i: number) => chart.threshold![i]?.toFixed(3) ?? "", numeric: true },
                { header: "Above it", value: (i: number) => (chart.above![i] ? "yes" : "") },
              ]
            : []),
        ]}
      />
    </section>
  );
}
