/** A record's facts as a definition list (the shell's `.facts` grid: dt and dd side by side). */
import { Fragment, type ReactNode } from "react";

export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
