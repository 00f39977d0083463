/**
 * The saved queries of subgraph/queries/: pick one, fill the form generated from its variables (`now` defaults
 * to the indexed chain head's time), run it, and get one table per root field with CSV export.
 */
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { DataTable } from "../../components/DataTable";
import { gql } from "../../lib/graphql";
import { savedQueryHref } from "../../lib/links";
import { HEAD_QUERY, type HeadAnswer } from "./chart-queries";
import { SAVED_QUERY_FILES } from "./saved-query-files";
import { answerTables, parseVariables, savedQueries, type ResultTable, type SavedQuery } from "./saved-queries";
import { useGraphQL } from "./use-graphql";

const QUERIES = savedQueries(SAVED_QUERY_FILES);

const HINTS: Record<string, string> = {
  BigInt: "whole number",
  Int: "whole number",
  Bytes: "0x… hex, e.g. an address",
  ID: "id, e.g. 0x… record id",
  String: "text",
  Boolean: "true or false",
};

type Run =
  | { state: "idle" }
  | { state: "running" }
  | { state: "error"; message: string }
  | { state: "done"; tables: ResultTable[] };

function QueryForm({ query }: { query: SavedQuery }) {
  const head = useGraphQL<HeadAnswer>(HEAD_QUERY);
  const headTime = head.state === "done" ? head.data._meta?.block.timestamp : undefined;
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [run, setRun] = useState<Run>({ state: "idle" });
  useEffect(() => {
    setTyped(headTime !== undefined && headTime !== null ? { now: String(headTime) } : {});
    setErrors({});
    setRun({ state: "idle" });
  }, [query, headTime]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseVariables(query.variables, typed);
    setErrors(parsed.errors);
    if (Object.keys(parsed.errors).length > 0) return;
    setRun({ state: "running" });
    gql<Record<string, unknown>>(query.text, parsed.values).then(
      (data) => setRun({ state: "done", tables: answerTables(data) }),
      (err: Error) => setRun({ state: "error", message: err.message }),
    );
  };

  return (
    <section aria-labelledby="query-heading">
      <h2 id="query-heading">{query.operation}</h2>
      <p>{query.description}</p>
      <form onSubmit={submit} noValidate aria-label={`Parameters of ${query.operation}`}>
        {query.variables.length === 0 ? <p>This query takes no parameters.</p> : null}
        {query.variables.map((v) => (
          <div key={v.name} className="field">
            <label htmlFor={`var-${v.name}`}>
              {v.name}{" "}
              <span className="muted">
                ({v.type}
                {v.list ? ", separated by commas" : ""}: {HINTS[v.base] ?? v.base})
              </span>
            </label>
            <input
              id={`var-${v.name}`}
              name={v.name}
              value={typed[v.name] ?? ""}
              aria-invalid={errors[v.name] ? true : undefined}
              aria-describedby={errors[v.name] ? `err-${v.name}` : undefined}
              onChange={(e) => setTyped({ ...typed, [v.name]: e.target.value })}
            />
            {v.name === "now" ? <span className="muted"> defaults to the indexed chain head's time</span> : null}
            {errors[v.name] ? (
              <p id={`err-${v.name}`} role="alert" className="error">
                {errors[v.name]}
              </p>
            ) : null}
          </div>
        ))}
        <button type="submit" disabled={run.state === "running"}>
          Run
        </button>
      </form>
      {run.state === "running" ? <p aria-busy="true">Running…</p> : null}
      {run.state === "error" ? <p role="alert">The query failed: {run.message}</p> : null}
      {run.state === "done"
        ? run.tables.map((t) => (
            <DataTable
              key={t.field}
              caption={`${query.operation}: ${t.field}`}
              rowKey={(r) => String(r.index)}
              rows={t.rows.map((cells, index) => ({ index, cells }))}
              columns={t.columns.map((c) => ({
                header: c,
                value: (r: { cells: (typeof t.rows)[number] }) => r.cells[c] ?? null,
              }))}
            />
          ))
        : null}
      <details>
        <summary>Query text</summary>
        <pre>{query.text}</pre>
      </details>
    </section>
  );
}

export function SavedQueriesPage({ name }: { name?: string }) {
  const query = useMemo(() => QUERIES.find((q) => q.name === name), [name]);
  return (
    <div className="insight-page">
      <h1>Saved queries</h1>
      <nav aria-label="Saved queries">
        <ul className="query-list">
          {QUERIES.map((q) => (
            <li key={q.name}>
              <a href={savedQueryHref(q.name)} aria-current={q.name === name ? "page" : undefined}>
                {q.name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {name !== undefined && !query ? <p role="alert">There is no saved query {name}.</p> : null}
      {query ? <QueryForm query={query} /> : <p>Pick a query.</p>}
    </div>
  );
}
