/**
 * The risk queue: open shipments by risk score then arrival, filtered and paged by the query. The filters live in
 * the URL (`#/queue?port=USHOU&rule=WATCHLIST&page=1`), so a filtered queue can be bookmarked or shared.
 */
import { useState, type FormEvent } from "react";
import { DataTable, type Column } from "../components/DataTable";
import { gql } from "../lib/graphql";
import { didBook, formatDate, formatKg, formatLocode, formatParty, formatRule, type DidBook } from "../lib/format";
import { hashOf } from "../lib/routes";
import { LoadState } from "./LoadState";
import {
  ACTOR_BY_DID,
  ACTORS_BY_ADDRESS,
  FILTER_KEYS,
  FilterError,
  isAddress,
  PAGE_SIZE,
  pageOf,
  QUEUE_QUERY,
  queueWhere,
  RULES_QUERY,
  type QueueFilters,
  type QueueRow,
} from "./queue";
import { shipmentHref } from "./search";
import { useLoad } from "./use-query";

interface Rule {
  name: string;
  description: string | null;
}

interface QueuePage {
  rows: QueueRow[];
  hasNext: boolean;
  book: DidBook;
}

/** A DID or an address as the address the query filters by. */
async function partyAddress(party: string | undefined): Promise<string | undefined> {
  const p = party?.trim();
  if (!p) return undefined;
  if (isAddress(p)) return p.toLowerCase();
  if (!p.startsWith("did:")) throw new FilterError("party", "a party is a DID (did:…) or an address (0x…)");
  const { actors } = await gql<{ actors: { id: string }[] }>(ACTOR_BY_DID, { did: p });
  if (actors.length === 0) throw new FilterError("party", `no actor has the DID ${p}`);
  return actors[0].id;
}

async function readQueue(filters: QueueFilters): Promise<QueuePage> {
  const where = queueWhere(filters, await partyAddress(filters.party));
  const page = pageOf(filters);
  // One row more than shown tells whether a next page exists.
  const { shipments } = await gql<{ shipments: QueueRow[] }>(QUEUE_QUERY, {
    where,
    first: PAGE_SIZE + 1,
    skip: page * PAGE_SIZE,
  });
  const rows = shipments.slice(0, PAGE_SIZE);
  const ids = [...new Set(rows.map((r) => r.exporter.toLowerCase()))];
  const { actors } = ids.length
    ? await gql<{ actors: { id: string; did: string }[] }>(ACTORS_BY_ADDRESS, { ids })
    : { actors: [] };
  return { rows, hasNext: shipments.length > PAGE_SIZE, book: didBook([...actors, ...rows.map((r) => r.importer)]) };
}

function columns(book: DidBook): Column<QueueRow>[] {
  return [
    { header: "Risk", value: (r) => r.riskScore, numeric: true },
    {
      header: "Bill of lading",
      value: (r) => r.billOfLading,
      render: (r) => <a href={shipmentHref(r.id)}>{r.billOfLading}</a>,
    },
    { header: "Entry", value: (r) => r.entryNumber },
    { header: "Rules", value: (r) => [...new Set(r.activeRules)].map(formatRule).join("; ") },
    { header: "Port of entry", value: (r) => formatLocode(r.portOfEntry) },
    { header: "Arrival", value: (r) => formatDate(r.estimatedArrival) },
    {
      header: "Status",
      value: (r) => r.status.toLowerCase() + (r.activeHolds > 0 ? `, ${r.activeHolds} hold(s)` : ""),
    },
    { header: "HTS chapters", value: (r) => r.htsChapters.join(", ") },
    { header: "Melt countries", value: (r) => r.meltCountries.join(", ") },
    { header: "Declared origin", value: (r) => r.declaredOriginCountries.join(", ") },
    { header: "Weight", value: (r) => formatKg(r.totalDeclaredKg) },
    { header: "Importer", value: (r) => formatParty(r.importer.id, book) },
    { header: "Exporter", value: (r) => formatParty(r.exporter, book) },
  ];
}

function FilterForm({ filters, rules }: { filters: QueueFilters; rules: Rule[] }): JSX.Element {
  const [draft, setDraft] = useState<QueueFilters>(filters);
  const field = (key: keyof QueueFilters, label: string, hint: string): JSX.Element => (
    <div>
      <label htmlFor={`f-${key}`}>{label}</label>
      <input
        id={`f-${key}`}
        name={key}
        value={draft[key] ?? ""}
        placeholder={hint}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
      />
    </div>
  );
  const apply = (e: FormEvent): void => {
    e.preventDefault();
    window.location.hash = hashOf("/queue", { ...draft, page: undefined });
  };
  return (
    <form className="filters" onSubmit={apply} aria-label="Filter the risk queue">
      {field("port", "Port of entry", "USHOU")}
      {field("chapter", "HTS chapter", "73")}
      <div>
        <label htmlFor="f-rule">Rule</label>
        <select
          id="f-rule"
          name="rule"
          value={draft.rule ?? ""}
          onChange={(e) => setDraft({ ...draft, rule: e.target.value })}
        >
          <option value="">any rule</option>
          {rules.map((r) => (
            <option key={r.name} value={r.name} title={r.description ?? undefined}>
              {formatRule(r.name)}
            </option>
          ))}
        </select>
      </div>
      {field("melt", "Melt country", "CN")}
      {field("party", "Party (DID or address)", "did:… or 0x…")}
      <button type="submit">Apply filters</button>
      <a href="#/queue">Clear</a>
    </form>
  );
}

export function RiskQueue(params: Record<string, string>): JSX.Element {
  const filters: QueueFilters = {};
  for (const k of [...FILTER_KEYS, "page"] as const) if (params[k]) filters[k] = params[k];
  const key = JSON.stringify(filters);
  const load = useLoad(() => readQueue(filters), key);
  const rules = useLoad(
    async () => (await gql<{ __type: { enumValues: Rule[] } | null }>(RULES_QUERY)).__type?.enumValues ?? [],
    "rules",
  );
  const page = pageOf(filters);
  const active = FILTER_KEYS.filter((k) => filters[k]);
  return (
    <section>
      <h1>Risk queue</h1>
      <p>
        Shipments not yet released or refused, highest risk score first, then the earliest arrival.
        {active.length > 0 && ` Filtered by ${active.map((k) => `${k} ${filters[k]}`).join(", ")}.`}
      </p>
      <FilterForm key={key} filters={filters} rules={rules.state === "done" ? rules.data : []} />
      <LoadState load={load} what="the risk queue" />
      {load.state === "done" && (
        <>
          <DataTable
            caption={`Risk queue, page ${page + 1}`}
            columns={columns(load.data.book)}
            rows={load.data.rows}
            rowKey={(r) => r.id}
            empty="No open shipment matches these filters."
            sortable={false}
          />
          <nav className="pager" aria-label="Pages of the risk queue">
            {page > 0 && (
              <a href={hashOf("/queue", { ...filters, page: page > 1 ? String(page - 1) : undefined })}>← Previous</a>
            )}
            <span>Page {page + 1}</span>
            {load.data.hasNext && <a href={hashOf("/queue", { ...filters, page: String(page + 1) })}>Next →</a>}
          </nav>
        </>
      )}
    </section>
  );
}
