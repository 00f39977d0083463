/** A mill test report: its fields, chemistry and mechanics, kilograms used and left, status, and lineage link. */
import { DataTable } from "../../components/DataTable";
import { actorHref, lineageHref, mtrHref } from "../../lib/links";
import { CHEMISTRY, MECHANICS, MTR_QUERY, RECORD_PAGE, type MtrAnswer, type MtrRecord } from "./record-queries";
import { Facts } from "./Facts";
import { documentState } from "./document-state";
import { formatKg, formatDate } from "../../lib/format";
import { useGraphQL } from "./use-graphql";
import { Status } from "./Status";
import { ShipmentLink } from "./ShipmentLink";

/** ppm of mass as percent with four decimals, the way mill test reports print chemistry. */
const ppmAsPercent = (ppm: number): string => (ppm / 10_000).toFixed(4);

function Chemistry({ r }: { r: MtrRecord }) {
  const present = CHEMISTRY.filter(([f]) => r[f] !== null && r[f] !== undefined);
  if (present.length === 0) return <p>No chemistry reported.</p>;
  return (
    // A scrolled region must take the keyboard (axe: scrollable-region-focusable).
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Chemistry">
      <table className="chemistry">
        <caption>Chemistry (% of mass)</caption>
        <thead>
          <tr>
            {present.map(([, label]) => (
              <th key={label} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {present.map(([f, label]) => (
              <td key={label}>{ppmAsPercent(r[f] as number)}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function Mechanics({ r }: { r: MtrRecord }) {
  const rows = MECHANICS.filter(([f]) => r[f] !== null && r[f] !== undefined).map(
    ([f, label, unit]): [string, string] => {
      const v = (Number(r[f]) / 100).toFixed(2);
      return [label, f === "hardness" ? `${v} ${r.hardnessScale ?? ""}` : `${v} ${unit}`];
    },
  );
  return rows.length === 0 ? <p>No mechanical properties reported.</p> : <Facts rows={rows} />;
}

export function MtrPage({ id }: { id: string }) {
  const loaded = useGraphQL<MtrAnswer>(MTR_QUERY, { id: id.toLowerCase(), first: RECORD_PAGE });
  if (loaded.state !== "done") return <Status loaded={loaded} />;
  const r = loaded.data.millTestReport;
  if (!r) return <p role="alert">No mill test report has the record id {id}.</p>;
  const state = documentState(r.status, r.expiresAt, Date.now() / 1000);
  return (
    <div className="insight-page">
      <h1>Mill test report {r.certificateNumber}</h1>
      <p className={state === "active" ? "badge good" : "badge bad"} role="status">
        {state}
      </p>
      <p>
        <a href={lineageHref({ reportId: r.id })}>Lineage of this report</a>
      </p>
      <Facts
        rows={[
          ["Record id", r.id],
          ["Content hash", r.contentHash],
          ["Issuer", <a href={actorHref(r.issuer.id)}>{r.issuer.did}</a>],
          ["Kind", r.derived ? "derived product (processor)" : "mill report"],
          ["Heat", r.heatNumber],
          ["Product", `${r.productStandard} ${r.grade}`],
          ["Melt and pour", r.meltAndPourCountries.join(", ") || r.countryOfMeltAndPour],
          ["Manufactured in", r.countryOfManufacture],
          ["Certified", formatKg(r.totalKg)],
          ["Consumed", `${formatKg(r.consumedKg)} (${(r.utilizationBps / 100).toFixed(1)} %)`],
          ["Remaining", formatKg(r.remainingKg)],
          ["Issued", `${formatDate(r.issuedAt)} (block ${r.issuedAtBlock})`],
          ["Expires", r.expiresAt === "0" ? "no expiry" : formatDate(r.expiresAt)],
          ["Invalidated", r.invalidatedAt === null ? "—" : formatDate(r.invalidatedAt)],
          ["Supersedes", r.supersedes ? <a href={mtrHref(r.supersedes.id)}>{r.supersedes.certificateNumber}</a> : "—"],
          ["Superseded by", r.successor ? <a href={mtrHref(r.successor.id)}>{r.successor.certificateNumber}</a> : "—"],
          ["Credential", r.uri],
        ]}
      />
      <h2>Chemistry and mechanics</h2>
      <Chemistry r={r} />
      <Mechanics r={r} />
      <DataTable
        caption="Inputs"
        empty="No inputs: a mill's own report."
        rowKey={(x) => x.input.id}
        rows={r.inputs}
        columns={[
          {
            header: "Input",
            value: (x) => x.input.certificateNumber,
            render: (x) => <a href={mtrHref(x.input.id)}>{x.input.certificateNumber}</a>,
          },
          { header: "Taken", value: (x) => formatKg(x.kg) },
        ]}
      />
      <DataTable
        caption={`Products derived from it (newest ${RECORD_PAGE})`}
        empty="No product was derived from this report."
        rowKey={(x) => x.product.id}
        rows={r.products}
        columns={[
          {
            header: "Product",
            value: (x) => x.product.certificateNumber,
            render: (x) => <a href={mtrHref(x.product.id)}>{x.product.certificateNumber}</a>,
          },
          { header: "Taken", value: (x) => formatKg(x.kg) },
          { header: "When", value: (x) => formatDate(x.timestamp) },
        ]}
      />
      <DataTable
        caption={`Allocations to shipment lines (newest ${RECORD_PAGE})`}
        empty="Not allocated to any shipment line."
        rowKey={(a) => a.line.id}
        rows={r.allocations}
        columns={[
          {
            header: "Bill of lading",
            value: (a) => a.shipment.billOfLading,
            render: (a) => <ShipmentLink id={a.shipment.id} label={a.shipment.billOfLading} />,
          },
          {
            header: "Line",
            value: (a) => String(a.lineIndex + 1),
            render: (a) => <a href={lineageHref({ lineId: a.line.id })}>{a.lineIndex + 1}</a>,
          },
          { header: "Kilograms", value: (a) => formatKg(a.kg) },
          { header: "In force", value: (a) => (a.active ? "yes" : "unlinked") },
          { header: "Linked", value: (a) => formatDate(a.linkedAt) },
          { header: "Shipment status", value: (a) => a.shipment.status },
        ]}
      />
    </div>
  );
}
