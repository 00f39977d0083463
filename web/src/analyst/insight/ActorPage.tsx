/** An actor in words: DID, roles by name, issuer, validity, suspension, documents issued and shipments. */
import { DataTable } from "../../components/DataTable";
import { cooHref, mtrHref } from "../../lib/links";
import { ACTOR_QUERY, RECORD_PAGE, type ActorAnswer } from "./record-queries";
import { Facts } from "./Facts";
import { formatKg, formatDate } from "../../lib/format";
import { useGraphQL } from "./use-graphql";
import { Status } from "./Status";
import { ShipmentLink } from "./ShipmentLink";
import { HEAD_QUERY, type HeadAnswer } from "./chart-queries";
import { WeeklyTonnage } from "./WeeklyTonnage";

type Actor = NonNullable<ActorAnswer["actor"]>;

function standing(a: Actor, now: number): string {
  if (a.suspended) return "suspended by CBP";
  if (a.credentialClearedAt !== null) return `credential cleared by CBP on ${formatDate(a.credentialClearedAt)}`;
  if (a.credentialRevoked) return "credential revoked";
  if (Number(a.validUntil) < now) return `credential expired on ${formatDate(a.validUntil)}`;
  if (!a.issuer.active) return "its issuer is no longer trusted";
  return "active";
}

/** The actor's own tonnage per week, as exporter (with VOLUME_SURGE's line), importer and mill, up to the head. */
function ActorTonnage({ address }: { address: string }) {
  const head = useGraphQL<HeadAnswer>(HEAD_QUERY);
  if (head.state !== "done") return <Status loaded={head} />;
  const now = head.data._meta?.block.timestamp ?? Math.floor(Date.now() / 1000);
  return (
    <>
      <WeeklyTonnage dimension="exporter" value={address} now={now} title="Shipped as exporter" />
      <WeeklyTonnage dimension="importer" value={address} now={now} title="Received as importer" />
      <WeeklyTonnage dimension="mill" value={address} now={now} title="Certified as mill" />
    </>
  );
}

export function ActorPage({ address }: { address: string }) {
  const id = address.toLowerCase();
  const loaded = useGraphQL<ActorAnswer>(ACTOR_QUERY, { id, address: id, first: RECORD_PAGE });
  if (loaded.state !== "done") return <Status loaded={loaded} />;
  const { actor, shipments } = loaded.data;
  if (!actor) return <p role="alert">No actor has the address {address}.</p>;
  const state = standing(actor, Date.now() / 1000);
  return (
    <div className="insight-page">
      <h1>Actor {actor.did}</h1>
      <p className={state === "active" ? "badge good" : "badge bad"} role="status">
        {state}
      </p>
      <Facts
        rows={[
          ["DID", actor.did],
          ["Address", actor.id],
          ["Country", actor.country],
          ["Roles", actor.roleNames.join(", ") || "none"],
          ["Roles its issuer is trusted for", actor.trustedRoleNames.join(", ") || "none"],
          ["Credential issuer", `${actor.issuer.id} (${actor.issuer.active ? "trusted" : "no longer trusted"})`],
          ["Credential", `${actor.currentCredential.id} (${actor.currentCredential.status})`],
          ["Valid", `${formatDate(actor.validFrom)} to ${formatDate(actor.validUntil)}`],
          ["Suspended", actor.suspended ? "yes" : "no"],
          ["Onboarded", formatDate(actor.onboardedAt)],
        ]}
      />
      <ActorTonnage address={id} />
      <DataTable
        caption={`Mill test reports issued (newest ${RECORD_PAGE})`}
        empty="No mill test reports issued."
        rowKey={(r) => r.id}
        rows={actor.millTestReports}
        columns={[
          {
            header: "Certificate",
            value: (r) => r.certificateNumber,
            render: (r) => <a href={mtrHref(r.id)}>{r.certificateNumber}</a>,
          },
          { header: "Heat", value: (r) => r.heatNumber },
          { header: "Kind", value: (r) => (r.derived ? "derived product" : "mill report") },
          { header: "Certified", value: (r) => formatKg(r.totalKg) },
          { header: "Used", value: (r) => `${(r.utilizationBps / 100).toFixed(1)} %` },
          { header: "Status", value: (r) => r.status },
          { header: "Issued", value: (r) => formatDate(r.issuedAt) },
        ]}
      />
      <DataTable
        caption={`Certificates of origin issued (newest ${RECORD_PAGE})`}
        empty="No certificates of origin issued."
        rowKey={(r) => r.id}
        rows={actor.certificatesOfOrigin}
        columns={[
          {
            header: "Certificate",
            value: (r) => r.certificateNumber,
            render: (r) => <a href={cooHref(r.id)}>{r.certificateNumber}</a>,
          },
          { header: "Origin", value: (r) => r.countryOfOrigin },
          { header: "Status", value: (r) => r.status },
          { header: "Issued", value: (r) => formatDate(r.issuedAt) },
        ]}
      />
      <DataTable
        caption={`Shipments it is a party to (newest ${RECORD_PAGE})`}
        empty="Not a party to any shipment."
        rowKey={(s) => s.id}
        rows={shipments}
        columns={[
          {
            header: "Bill of lading",
            value: (s) => s.billOfLading,
            render: (s) => <ShipmentLink id={s.id} label={s.billOfLading} />,
          },
          { header: "Importer", value: (s) => s.importer.did },
          { header: "Port of entry", value: (s) => s.portOfEntry },
          { header: "Status", value: (s) => s.status },
          { header: "Risk", value: (s) => String(s.riskScore) },
          { header: "Filed", value: (s) => formatDate(s.filedAt) },
        ]}
      />
    </div>
  );
}
