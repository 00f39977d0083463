/**
 * The shipment's pouch: the issuer-signed credentials that arrived through the trace-interop node under the
 * shipment's workflow instance (each with its record), and the required ones still missing (the subgraph's
 * `missingCredentials`: a mill test report for steel lines, a certificate of origin).
 */
import { DataTable, type Column } from "../components/DataTable";
import { formatEnum, formatParty, type DidBook } from "../lib/format";
import type { PouchAnchoringRow, ShipmentData } from "./shipment";

interface Arrived {
  key: string;
  type: string;
  number: string;
  href: string;
  issuer: string;
  standing: string;
}

/** One row per credential: a report with several inspections is several records, shown once each. */
export function arrivedRows(anchorings: PouchAnchoringRow[], book: DidBook): Arrived[] {
  return anchorings.map((a) => {
    const record = a.millTestReport ?? a.certificateOfOrigin;
    const route = a.millTestReport ? "mtr" : "coo";
    return {
      key: a.id,
      type: a.kind === "MILL_TEST_REPORT" ? "Mill test report" : "Certificate of origin",
      number: record?.certificateNumber ?? "",
      href: record ? `#/${route}/${encodeURIComponent(record.id)}` : "",
      issuer: formatParty(a.issuer.id, book),
      standing: (a.active ? "active" : "revoked or superseded") + (a.fieldsMatch ? "" : ", fields differ from signed"),
    };
  });
}

export function Pouch({ s, book }: { s: ShipmentData; book: DidBook }): JSX.Element {
  const columns: Column<Arrived>[] = [
    { header: "Credential", value: (r) => r.type },
    {
      header: "Record",
      value: (r) => r.number,
      render: (r) => (r.href ? <a href={r.href}>{r.number}</a> : r.number),
    },
    { header: "Issuer", value: (r) => r.issuer },
    { header: "Standing", value: (r) => r.standing },
  ];
  const missing = s.missingCredentials.map((m) => formatEnum(m));
  return (
    <>
      <p data-testid="pouch-missing">
        {missing.length === 0
          ? "Every required credential is in the pouch."
          : `Missing from the pouch: ${missing.join(", ")}.`}
      </p>
      <DataTable
        caption="Credentials in the pouch"
        columns={columns}
        rows={arrivedRows(s.pouch.anchorings, book)}
        rowKey={(r) => r.key}
        empty="No credential arrived under this shipment's workflow instance."
      />
    </>
  );
}
