/**
 * A table with sortable columns and a CSV export of what it shows: every table of the app is one of these, so
 * that every table can be exported. Sorting reorders the rows loaded (a paged table is ordered by its query).
 */
import { useMemo, useState, type ReactNode } from "react";
import { csvFileName, downloadCsv, toCsv, type Cell } from "../lib/csv";

export interface Column<Row> {
  /** Column header (also the CSV header). */
  header: string;
  /** The value exported and sorted by. */
  value: (row: Row) => Cell;
  /** What the cell shows; the value as text by default. */
  render?: (row: Row) => ReactNode;
  /** Sort as numbers rather than text. */
  numeric?: boolean;
}

export interface DataTableProps<Row> {
  /** Caption of the table; names the CSV file too. */
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  /** Stable key of a row. */
  rowKey: (row: Row) => string;
  /** Shown instead of an empty table. */
  empty?: string;
  /** Allow sorting the loaded rows by a header click (default true). */
  sortable?: boolean;
}

type Sort = { column: number; descending: boolean } | null;

function compare(a: Cell, b: Cell, numeric: boolean): number {
  if (a === b) return 0;
  if (a === null || a === undefined || a === "") return 1;
  if (b === null || b === undefined || b === "") return -1;
  if (numeric) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return String(a).localeCompare(String(b));
}

export function DataTable<Row>(props: DataTableProps<Row>): JSX.Element {
  const { caption, columns, rows, rowKey, empty, sortable = true } = props;
  const [sort, setSort] = useState<Sort>(null);
  const sorted = useMemo(() => {
    if (!sort) return rows;
    const col = columns[sort.column];
    const out = [...rows].sort((a, b) => compare(col.value(a), col.value(b), col.numeric === true));
    return sort.descending ? out.reverse() : out;
  }, [rows, columns, sort]);

  const exportCsv = (): void =>
    downloadCsv(
      csvFileName(caption),
      toCsv(
        columns.map((c) => c.header),
        sorted.map((row) => columns.map((c) => c.value(row))),
      ),
    );
  const toggle = (column: number): void =>
    setSort((s) => (s?.column === column ? { column, descending: !s.descending } : { column, descending: false }));

  return (
    <div className="data-table">
      <div className="data-table-bar">
        <span className="data-table-count">
          {rows.length} {rows.length === 1 ? "row" : "rows"}
        </span>
        <button type="button" onClick={exportCsv} disabled={rows.length === 0}>
          Export CSV<span className="visually-hidden"> of {caption}</span>
        </button>
      </div>
      {rows.length === 0 ? (
        <p className="empty">{empty ?? "Nothing to show."}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>{caption}</caption>
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th
                    key={c.header}
                    scope="col"
                    aria-sort={sort?.column === i ? (sort.descending ? "descending" : "ascending") : undefined}
                  >
                    {sortable ? (
                      <button type="button" className="sort" onClick={() => toggle(i)}>
                        {c.header}
                        <span aria-hidden="true">{sort?.column === i ? (sort.descending ? " ▼" : " ▲") : ""}</span>
                      </button>
                    ) : (
                      c.header
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sorted.map((row) => (
                <tr key={rowKey(row)}>
                  {columns.map((c) => (
                    <td key={c.header} className={c.numeric ? "num" : undefined}>
                      {c.render ? c.render(row) : String(c.value(row) ?? "")}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
