/** Search results: one match opens its page at once; several are listed; none says what was looked for. */
import { useEffect } from "react";
import { DataTable, type Column } from "../components/DataTable";
import { gql } from "../lib/graphql";
import { LoadState } from "./LoadState";
import { searchHits, searchKind, searchQuery, type SearchHit } from "./search";
import { useLoad } from "./use-query";

const LOOKED_IN: Record<ReturnType<typeof searchKind>, string> = {
  did: "actors' DIDs",
  address: "actors' addresses",
  id: "shipment, mill test report and certificate ids",
  text: "bills of lading, entry numbers, MTR and certificate numbers and heat numbers",
};

export function SearchPage({ q = "" }: { q?: string }): JSX.Element {
  const text = q.trim();
  const load = useLoad(async () => {
    if (!text) return [];
    const { query, variables } = searchQuery(text);
    return searchHits(await gql(query, variables));
  }, text);
  const hits = load.state === "done" ? load.data : [];
  useEffect(() => {
    if (hits.length === 1) window.location.replace(hits[0].href);
  }, [hits]);

  const columns: Column<SearchHit>[] = [
    { header: "Kind", value: (h) => h.kind },
    { header: "Match", value: (h) => h.label, render: (h) => <a href={h.href}>{h.label}</a> },
    {
      header: "Details",
      value: (h) => h.detail,
      render: (h) => (
        <>
          {h.detail}
          {h.more && (
            <>
              {" · "}
              <a href={h.more.href}>{h.more.label}</a>
            </>
          )}
        </>
      ),
    },
  ];
  return (
    <section>
      <h1>Search</h1>
      {!text && (
        <p>
          Type a bill of lading, an entry number, a certificate or MTR number, a heat number, a DID, an address or an id
          in the search box.
        </p>
      )}
      {text && <LoadState load={load} what="the search results" />}
      {text && load.state === "done" && hits.length === 0 && (
        <p role="status">
          Nothing matches <strong>{text}</strong> (looked in {LOOKED_IN[searchKind(text)]}).
        </p>
      )}
      {hits.length > 1 && (
        <>
          <p role="status">
            {hits.length} matches for <strong>{text}</strong>:
          </p>
          <DataTable caption={`Search results for ${text}`} columns={columns} rows={hits} rowKey={(h) => h.href} />
        </>
      )}
      {hits.length === 1 && <p role="status">Opening {hits[0].label}…</p>}
    </section>
  );
}
