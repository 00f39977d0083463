/** The one search box, in the header of every page: it leads to the search page, which finds the right page. */
import { useState, type FormEvent } from "react";
import { hashOf } from "../lib/routes";

export function SearchBox(): JSX.Element {
  const [q, setQ] = useState("");
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (q.trim()) window.location.hash = hashOf("/search", { q: q.trim() });
  };
  return (
    <form className="search" role="search" onSubmit={submit}>
      <label htmlFor="search-box" className="visually-hidden">
        Search by bill of lading, entry, certificate or MTR number, heat, DID, address or id
      </label>
      <input
        id="search-box"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Bill of lading, entry, MTR, heat, DID, address…"
      />
      <button type="submit">Search</button>
    </form>
  );
}
