/// <reference types="vite/client" />
/**
 * A uPlot chart in a React element. uPlot is imported on first use so that pages without charts do not load it;
 * the figure carries a text label and the page a table of the same numbers for screen readers.
 */
import { useEffect, useRef, useState } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export function UPlotChart({
  options,
  data,
  label,
}: {
  options: uPlot.Options;
  data: uPlot.AlignedData;
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let chart: uPlot | undefined;
    let live = true;
    import("uplot").then(
      ({ default: UPlot }) => {
        if (live && box.current) chart = new UPlot(options, data, box.current);
      },
      (e: Error) => setError(`could not load the chart library: ${e.message}`),
    );
    return () => {
      live = false;
      chart?.destroy();
    };
  }, [options, data]);
  return (
    <figure>
      <div ref={box} role="img" aria-label={label} data-testid="chart" />
      {error ? <p role="alert">{error}</p> : null}
    </figure>
  );
}
