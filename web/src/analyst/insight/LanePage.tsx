/**
 * A lane of the tonnage aggregations: exporter → importer for one declared melt country (the lane NEW_LANE
 * watches), with its parties and its tonnes per week.
 */
import { actorHref } from "../../lib/links";
import { HEAD_QUERY, type HeadAnswer } from "./chart-queries";
import { Facts } from "./Facts";
import { PARTIES_QUERY, type PartiesAnswer } from "./record-queries";
import { useGraphQL } from "./use-graphql";
import { Status } from "./Status";
import { WeeklyTonnage } from "./WeeklyTonnage";
import { parseLane } from "./trend-model";

export function LanePage({ lane }: { lane: string }) {
  const parts = parseLane(lane);
  const head = useGraphQL<HeadAnswer>(HEAD_QUERY);
  const parties = useGraphQL<PartiesAnswer>(parts ? PARTIES_QUERY : null, {
    ids: parts ? [parts.exporter, parts.importer] : [],
  });
  if (!parts)
    return <p role="alert">{lane} is not a lane: it should read exporter address&gt;importer address&gt;country.</p>;
  if (head.state !== "done") return <Status loaded={head} />;
  const now = head.data._meta?.block.timestamp ?? Math.floor(Date.now() / 1000);
  const did = (a: string) =>
    (parties.state === "done" ? parties.data.actors.find((x) => x.id.toLowerCase() === a)?.did : undefined) ?? a;
  return (
    <div className="insight-page">
      <h1>
        Lane {did(parts.exporter)} → {did(parts.importer)}, melted in {parts.country}
      </h1>
      <Facts
        rows={[
          ["Exporter", <a href={actorHref(parts.exporter)}>{did(parts.exporter)}</a>],
          ["Importer", <a href={actorHref(parts.importer)}>{did(parts.importer)}</a>],
          ["Declared melt country", parts.country],
        ]}
      />
      <WeeklyTonnage
        dimension="lane"
        value={lane}
        now={now}
        title="Shipped on this lane"
        empty="Nothing was shipped on this lane in the last 26 weeks."
      />
    </div>
  );
}
