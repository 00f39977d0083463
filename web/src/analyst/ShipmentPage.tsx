/**
 * One shipment as the analyst needs it: who is involved and whether their credentials stand, what is declared,
 * which documents back it, what happened to it, which risk rules it tripped (and which were cleared), and what
 * CBP did. Every table exports as CSV.
 */
import { useState } from "react";
import { DataTable, type Column } from "../components/DataTable";
import { gql } from "../lib/graphql";
import { lineageHref } from "../lib/links";
import {
  didBook,
  documentStanding,
  formatCents,
  formatDate,
  formatEnum,
  formatHts,
  formatKg,
  formatLocode,
  formatParty,
  formatReason,
  formatRule,
  type DidBook,
} from "../lib/format";
import { LoadState } from "./LoadState";
import { OfficerActionsMount } from "./OfficerActionsMount";
import { Pouch } from "./Pouch";
import {
  addressesOf,
  credentialStatus,
  HEAD_QUERY,
  PARTIES_QUERY,
  partiesOf,
  SHIPMENT_QUERY,
  type AllocationRow,
  type CertificateLinkRow,
  type FlagRow,
  type LineRow,
  type PartyActor,
  type ShipmentData,
  waitForIndexedPast,
} from "./shipment";
import { timeline, type TimelineEvent } from "./timeline";
import { useLoad } from "./use-query";

interface PageData {
  shipment: ShipmentData | null;
  actors: Map<string, PartyActor>;
  book: DidBook;
  /** Chain time of the indexed head, for credential validity. */
  now: number;
  /** The indexed head the page was read at. */
  head: number;
}

async function readShipment(id: string): Promise<PageData> {
  const { shipment, _meta } = await gql<{
    shipment: ShipmentData | null;
    _meta: { block: { number: number; timestamp: number | null } };
  }>(SHIPMENT_QUERY, { id: id.toLowerCase() });
  const now = _meta.block.timestamp ?? Math.floor(Date.now() / 1000);
  const head = _meta.block.number;
  if (!shipment) return { shipment, actors: new Map(), book: new Map(), now, head };
  const { actors } = await gql<{ actors: PartyActor[] }>(PARTIES_QUERY, { ids: addressesOf(shipment) });
  return {
    shipment,
    actors: new Map(actors.map((a) => [a.id.toLowerCase(), a])),
    book: didBook(actors),
    now,
    head,
  };
}

const badge = (good: boolean, text: string): JSX.Element => (
  <span className={`badge ${good ? "good" : "bad"}`}>{text}</span>
);

function Summary({ s }: { s: ShipmentData }): JSX.Element {
  const facts: [string, string][] = [
    ["Status", formatEnum(s.status) + (s.activeHolds > 0 ? ` — ${s.activeHolds} hold(s) in force` : "")],
    ["Risk score", String(s.riskScore)],
    ["Entry number", s.entryNumber || "not yet assigned"],
    ["Estimated arrival", formatDate(s.estimatedArrival)],
    ["Filed", formatDate(s.filedAt)],
    ["Route", [s.portOfLading, ...s.transshipmentCountries, s.portOfEntry].map(formatLocode).join(" → ")],
    ["Country of export", s.exportCountry],
    ["Declared origin", s.declaredOriginCountries.join(", ")],
    ["Melt and pour", s.meltCountries.join(", ") || "no mill test report allocated"],
    ["Declared weight", formatKg(s.totalDeclaredKg)],
    ["Version", String(s.version)],
    ["Shipment id", s.id],
  ];
  return (
    <dl className="facts">
      {facts.map(([k, v]) => (
        <div key={k} style={{ display: "contents" }}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Parties({ data }: { data: PageData & { shipment: ShipmentData } }): JSX.Element {
  const rows = partiesOf(data.shipment).map((p) => ({ ...p, actor: data.actors.get(p.address) }));
  type Row = (typeof rows)[number];
  const columns: Column<Row>[] = [
    { header: "Role", value: (r) => r.role },
    { header: "Party", value: (r) => formatParty(r.address, data.book) },
    { header: "Address", value: (r) => r.address },
    { header: "Roles held", value: (r) => r.actor?.roleNames.join(", ") ?? "" },
    { header: "Country", value: (r) => r.actor?.country ?? "" },
    { header: "Valid until", value: (r) => formatDate(r.actor?.validUntil) },
    {
      header: "Credential",
      value: (r) => credentialStatus(r.actor, data.now).text,
      render: (r) => {
        const c = credentialStatus(r.actor, data.now);
        return badge(c.good, c.text);
      },
    },
  ];
  return <DataTable caption="Parties" columns={columns} rows={rows} rowKey={(r) => r.role} />;
}

function Lines({ lines }: { lines: LineRow[] }): JSX.Element {
  const columns: Column<LineRow>[] = [
    { header: "Line", value: (l) => l.lineIndex + 1, numeric: true },
    { header: "HTS", value: (l) => formatHts(l.hts) },
    { header: "Steel (needs MTR)", value: (l) => (l.steel ? "yes" : "no") },
    { header: "Origin", value: (l) => l.originCountry },
    { header: "Declared", value: (l) => formatKg(l.declaredKg) },
    { header: "Covered by MTRs", value: (l) => formatKg(l.allocatedKg) },
    { header: "Value", value: (l) => formatCents(l.declaredValueCents) },
    {
      header: "Lineage",
      value: (l) => lineageHref({ lineId: l.id }),
      render: (l) => <a href={lineageHref({ lineId: l.id })}>Lineage of line {l.lineIndex + 1}</a>,
    },
  ];
  return <DataTable caption="Lines" columns={columns} rows={lines} rowKey={(l) => l.id} />;
}

function Documents({ s, book, now }: { s: ShipmentData; book: DidBook; now: number }): JSX.Element {
  interface Doc {
    key: string;
    kind: string;
    number: string;
    href: string;
    line: string;
    detail: string;
    kg: string;
    status: string;
    link: string;
    issuer: string;
  }
  const linkState = (active: boolean, invalidated: boolean): string =>
    (active ? "linked" : "unlinked") + (invalidated ? ", invalidated while linked" : "");
  const docs: Doc[] = [
    ...s.allocations.map((a: AllocationRow) => ({
      key: a.id,
      kind: "Mill test report",
      number: a.millTestReport.certificateNumber,
      href: `#/mtr/${encodeURIComponent(a.millTestReport.id)}`,
      line: String(a.lineIndex + 1),
      detail: `heat ${a.millTestReport.heatNumber}, melted in ${a.millTestReport.countryOfMeltAndPour}`,
      kg: formatKg(a.kg),
      status: documentStanding(a.millTestReport.status, a.millTestReport.expiresAt, now),
      link: linkState(a.active, a.invalidatedWhileLinked),
      issuer: formatParty(a.millTestReport.issuer.id, book),
    })),
    ...s.certificateLinks.map((c: CertificateLinkRow) => ({
      key: c.id,
      kind: "Certificate of origin",
      number: c.certificate.certificateNumber,
      href: `#/coo/${encodeURIComponent(c.certificate.id)}`,
      line: "",
      detail: `origin ${c.certificate.countryOfOrigin}`,
      kg: "",
      status: documentStanding(c.certificate.status, c.certificate.expiresAt, now),
      link: linkState(c.active, c.invalidatedWhileLinked),
      issuer: formatParty(c.certificate.issuer.id, book),
    })),
  ];
  const columns: Column<Doc>[] = [
    { header: "Document", value: (d) => d.kind },
    { header: "Number", value: (d) => d.number, render: (d) => <a href={d.href}>{d.number}</a> },
    { header: "Line", value: (d) => d.line },
    { header: "Details", value: (d) => d.detail },
    { header: "Kilograms", value: (d) => d.kg },
    {
      header: "Status",
      value: (d) => d.status,
      render: (d) => badge(d.status === "active", d.status),
    },
    { header: "Link", value: (d) => d.link },
    { header: "Issuer", value: (d) => d.issuer },
  ];
  return (
    <DataTable
      caption="Linked documents"
      columns={columns}
      rows={docs}
      rowKey={(d) => d.key}
      empty="No document is linked to this shipment."
    />
  );
}

function Timeline({ events, book }: { events: TimelineEvent[]; book: DidBook }): JSX.Element {
  const columns: Column<TimelineEvent>[] = [
    { header: "When", value: (e) => formatDate(e.timestamp) },
    { header: "Block", value: (e) => e.block, numeric: true },
    { header: "What", value: (e) => e.what },
    { header: "Reason", value: (e) => formatReason(e.reasonCode) },
    { header: "By", value: (e) => formatParty(e.by, book) },
  ];
  return (
    <>
      <ol className="timeline" aria-label="Timeline">
        {events.map((e, i) => (
          <li key={i} className={e.kind}>
            <strong>{e.what}</strong> — {formatDate(e.timestamp)} (block {e.block})
            {e.reasonCode && formatReason(e.reasonCode) !== "none" && <>, reason {formatReason(e.reasonCode)}</>}
            <br />
            <small>by {formatParty(e.by, book)}</small>
          </li>
        ))}
      </ol>
      <DataTable
        caption="Timeline events"
        columns={columns}
        rows={events}
        rowKey={(e) => `${e.block}-${e.what}-${e.by}`}
      />
    </>
  );
}

/** Record id → the document's number and page, for the documents linked to the shipment. */
function documentIndex(s: ShipmentData): Map<string, { label: string; href: string }> {
  const index = new Map<string, { label: string; href: string }>();
  for (const a of s.allocations) {
    const r = a.millTestReport;
    index.set(r.id.toLowerCase(), { label: `MTR ${r.certificateNumber}`, href: `#/mtr/${encodeURIComponent(r.id)}` });
  }
  for (const c of s.certificateLinks) {
    const r = c.certificate;
    index.set(r.id.toLowerCase(), {
      label: `certificate ${r.certificateNumber}`,
      href: `#/coo/${encodeURIComponent(r.id)}`,
    });
  }
  return index;
}

function Flags({ s, book }: { s: ShipmentData; book: DidBook }): JSX.Element {
  const flags = s.flags;
  const docs = documentIndex(s);
  const doc = (f: FlagRow) => (f.document ? docs.get(f.document.toLowerCase()) : undefined);
  const columns: Column<FlagRow>[] = [
    { header: "Rule", value: (f) => formatRule(f.rule) },
    { header: "Severity", value: (f) => f.severity, numeric: true },
    {
      header: "State",
      value: (f) => (f.active ? "active" : "cleared"),
      render: (f) => badge(!f.active, f.active ? "active" : "cleared"),
    },
    { header: "Explanation", value: (f) => f.explanation },
    { header: "Raised", value: (f) => `${formatDate(f.raisedAt)} (block ${f.raisedAtBlock})` },
    { header: "Cleared", value: (f) => (f.clearedAt ? `${formatDate(f.clearedAt)} (block ${f.clearedAtBlock})` : "") },
    { header: "Line", value: (f) => (f.lineIndex === null ? "" : f.lineIndex + 1) },
    { header: "Party", value: (f) => formatParty(f.party, book) },
    {
      header: "Document",
      value: (f) => doc(f)?.label ?? f.document ?? "",
      render: (f) => {
        const d = doc(f);
        return d ? <a href={d.href}>{d.label}</a> : (f.document ?? "");
      },
    },
  ];
  return (
    <DataTable
      caption="Risk flags"
      columns={columns}
      rows={flags}
      rowKey={(f) => f.id}
      empty="No risk rule was ever raised on this shipment."
    />
  );
}

function CbpActions({ s, book }: { s: ShipmentData; book: DidBook }): JSX.Element {
  type Row = ShipmentData["cbpActions"][number];
  const columns: Column<Row>[] = [
    { header: "When", value: (a) => formatDate(a.timestamp) },
    { header: "Block", value: (a) => a.blockNumber, numeric: true },
    { header: "Action", value: (a) => formatEnum(a.kind) },
    { header: "Reason", value: (a) => formatReason(a.reasonCode) },
    { header: "Holds in force after", value: (a) => a.activeHolds ?? "" },
    { header: "Officer", value: (a) => formatParty(a.by, book) },
  ];
  return (
    <DataTable
      caption="CBP actions taken"
      columns={columns}
      rows={s.cbpActions}
      rowKey={(a) => a.id}
      empty="CBP has taken no action on this shipment."
    />
  );
}

export function ShipmentPage({ id }: { id: string }): JSX.Element {
  const [version, setVersion] = useState(0);
  const load = useLoad(() => readShipment(id), `${id}#${version}`);
  if (load.state !== "done") return <LoadState load={load} what="the shipment" />;
  const data = load.data;
  const s = data.shipment;
  if (!s) {
    return (
      <section>
        <h1>Shipment not found</h1>
        <p>
          No shipment has the id <code>{id}</code>. Try the search box with a bill of lading or entry number.
        </p>
      </section>
    );
  }
  const active = s.flags.filter((f) => f.active);
  return (
    <section>
      <h1>Shipment {s.billOfLading}</h1>
      <Summary s={s} />
      {active.length > 0 && (
        <div className="notice" role="note" aria-label="Active risk rules">
          <strong>Active risk rules:</strong>
          <ul>
            {active.map((f) => (
              <li key={f.id}>
                <strong>{formatRule(f.rule)}</strong> ({f.severity}): {f.explanation}
              </li>
            ))}
          </ul>
        </div>
      )}
      <OfficerActionsMount
        shipmentId={s.id}
        onDone={() => {
          // The action's block reaches the page once indexed: wait for the head to move, then read again.
          const readHead = async (): Promise<number> =>
            (await gql<{ _meta: { block: { number: number } } }>(HEAD_QUERY))._meta.block.number;
          void waitForIndexedPast(data.head, readHead).then(() => setVersion((v) => v + 1));
        }}
      />
      <h2>Parties</h2>
      <Parties data={{ ...data, shipment: s }} />
      <h2>Lines</h2>
      <Lines lines={s.lines} />
      <h2>Documents</h2>
      <Documents s={s} book={data.book} now={data.now} />
      <h2>Pouch (credentials presented for the workflow instance)</h2>
      <Pouch s={s} book={data.book} />
      <h2>Timeline</h2>
      <Timeline events={timeline(s)} book={data.book} />
      <h2>Risk flags, raised and cleared</h2>
      <Flags s={s} book={data.book} />
      <h2>CBP actions taken</h2>
      <CbpActions s={s} book={data.book} />
    </section>
  );
}
