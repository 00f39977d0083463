/** The VOLUME_SURGE flags raised on an exporter's shipments (the rule names the exporter as the flag's party). */
import { DataTable } from "../../components/DataTable";
import { formatDate } from "../../lib/format";
import { ShipmentLink } from "./ShipmentLink";
import { Status } from "./Status";
import { useGraphQL } from "./use-graphql";

const SURGE_FLAGS_QUERY = `query SurgeFlags($exporter: Bytes!) {
  riskFlags(where: { rule: VOLUME_SURGE, party: $exporter }, orderBy: raisedAt, orderDirection: desc, first: 100) {
    id active raisedAt explanation shipment { id billOfLading }
  }
}`;

interface SurgeFlagsAnswer {
  riskFlags: {
    id: string;
    active: boolean;
    raisedAt: string;
    explanation: string;
    shipment: { id: string; billOfLading: string };
  }[];
}

export function SurgeFlags({ exporter }: { exporter: string }) {
  const loaded = useGraphQL<SurgeFlagsAnswer>(SURGE_FLAGS_QUERY, { exporter });
  if (loaded.state !== "done") return <Status loaded={loaded} />;
  return (
    <DataTable
      caption="VOLUME_SURGE flags on its shipments (newest 100)"
      empty="No VOLUME_SURGE flag was raised on its shipments."
      rowKey={(f) => f.id}
      rows={loaded.data.riskFlags}
      columns={[
        {
          header: "Shipment",
          value: (f) => f.shipment.billOfLading,
          render: (f) => <ShipmentLink id={f.shipment.id} label={f.shipment.billOfLading} />,
        },
        { header: "Raised", value: (f) => formatDate(f.raisedAt) },
        { header: "Active", value: (f) => (f.active ? "yes" : "cleared") },
        { header: "Explanation", value: (f) => f.explanation },
      ]}
    />
  );
}
