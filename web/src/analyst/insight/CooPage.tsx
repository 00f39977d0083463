/** A certificate of origin: its fields with parties by DID, status, corrections, and the shipments it is linked to. */
import { DataTable } from "../../components/DataTable";
import { actorHref, cooHref, lineageHref } from "../../lib/links";
import { COO_QUERY, PARTIES_QUERY, RECORD_PAGE, type CooAnswer, type PartiesAnswer } from "./record-queries";
import { Facts } from "./Facts";
import { documentState } from "./document-state";
import { formatHts, formatDate } from "../../lib/format";
import { useGraphQL } from "./use-graphql";
import { Status } from "./Status";
import { ShipmentLink } from "./ShipmentLink";

function Party({ address, dids }: { address: string; dids: Map<string, string> }) {
  const did = dids.get(address.toLowerCase());
  return did ? <a href={actorHref(address)}>{did}</a> : <span>{address} (not an onboarded actor)</span>;
}

export function CooPage({ id }: { id: string }) {
  const loaded = useGraphQL<CooAnswer>(COO_QUERY, { id: id.toLowerCase(), first: RECORD_PAGE });
  const c = loaded.state === "done" ? loaded.data.certificateOfOrigin : null;
  const parties = useGraphQL<PartiesAnswer>(c ? PARTIES_QUERY : null, { ids: c ? [c.exporter, c.importer] : [] });
  if (loaded.state !== "done") return <Status loaded={loaded} />;
  if (!c) return <p role="alert">No certificate of origin has the record id {id}.</p>;
  const dids = new Map(parties.state === "done" ? parties.data.actors.map((a) => [a.id, a.did]) : []);
  const state = documentState(c.status, c.expiresAt, Date.now() / 1000);
  return (
    <div className="insight-page">
      <h1>Certificate of origin {c.certificateNumber}</h1>
      <p className={state === "active" ? "badge good" : "badge bad"} role="status">
        {state}
      </p>
      <p>
        <a href={lineageHref({ number: c.certificateNumber })}>Lineage of the shipments it covers</a>
      </p>
      <Facts
        rows={[
          ["Record id", c.id],
          ["Content hash", c.contentHash],
          ["Issuer", <a href={actorHref(c.issuer.id)}>{c.issuer.did}</a>],
          ["Exporter", <Party address={c.exporter} dids={dids} />],
          ["Importer", <Party address={c.importer} dids={dids} />],
          ["Country of origin", c.countryOfOrigin],
          ["HTS lines", c.htsLines.map(formatHts).join(", ")],
          ["Export date", formatDate(c.exportDate)],
          ["Issued", `${formatDate(c.issuedAt)} (block ${c.issuedAtBlock})`],
          ["Expires", c.expiresAt === "0" ? "no expiry" : formatDate(c.expiresAt)],
          ["Invalidated", c.invalidatedAt === null ? "—" : formatDate(c.invalidatedAt)],
          ["Supersedes", c.supersedes ? <a href={cooHref(c.supersedes.id)}>{c.supersedes.certificateNumber}</a> : "—"],
          ["Superseded by", c.successor ? <a href={cooHref(c.successor.id)}>{c.successor.certificateNumber}</a> : "—"],
          ["Credential", c.uri],
        ]}
      />
      <DataTable
        caption={`Shipments it is linked to (newest ${RECORD_PAGE})`}
        empty="Not linked to any shipment."
        rowKey={(l) => l.shipment.id}
        rows={c.links}
        columns={[
          {
            header: "Bill of lading",
            value: (l) => l.shipment.billOfLading,
            render: (l) => <ShipmentLink id={l.shipment.id} label={l.shipment.billOfLading} />,
          },
          { header: "Shipment status", value: (l) => l.shipment.status },
          { header: "Link", value: (l) => (l.active ? "in force" : `unlinked ${formatDate(l.unlinkedAt)}`) },
          { header: "Went bad while linked", value: (l) => (l.invalidatedWhileLinked ? "yes" : "no") },
          { header: "Linked", value: (l) => formatDate(l.linkedAt) },
        ]}
      />
    </div>
  );
}
