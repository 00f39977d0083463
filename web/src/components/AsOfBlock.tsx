/**
 * The header's "as of block N" control and the banner that says, on every page, that the view is historical.
 * The choice lives in lib/as-of-block.ts; gql() asks every query at that block.
 */
import { useEffect, useState, type FormEvent } from "react";
import { setAsOfBlock, useAsOfBlock } from "../lib/as-of-block";
import { gql } from "../lib/graphql";
import { getToken } from "../lib/session";
import "./as-of-block.css";

interface Head {
  _meta: { block: { number: number; timestamp: number | null } } | null;
}

const HEAD = "query LatestBlock { _meta { block { number timestamp } } }";

/**
 * The indexed head (always the latest, whatever the control says), or null while unknown. Asked only with a
 * token: the query API refuses anyone else, and the verifier's visitors have none.
 */
function useHead(): number | null {
  const [head, setHead] = useState<number | null>(null);
  const block = useAsOfBlock();
  useEffect(() => {
    if (getToken() === null) return;
    let live = true;
    gql<Head>(HEAD, {}, { block: undefined }).then(
      (d) => live && setHead(d._meta?.block.number ?? null),
      () => live && setHead(null),
    );
    return () => {
      live = false;
    };
  }, [block]);
  return head;
}

export function AsOfBlockControl(): JSX.Element {
  const block = useAsOfBlock();
  const head = useHead();
  const [typed, setTyped] = useState(block === undefined ? "" : String(block));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setTyped(block === undefined ? "" : String(block)), [block]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const text = typed.trim();
    if (text === "") {
      setError(null);
      setAsOfBlock(undefined);
      return;
    }
    if (!/^\d+$/.test(text)) return setError(`"${text}" is not a block number`);
    const n = Number(text);
    if (head !== null && n > head) return setError(`block ${n} is not indexed yet (the latest is ${head})`);
    setError(null);
    setAsOfBlock(n);
  };

  return (
    <form className="as-of-block" onSubmit={submit} aria-label="Time travel">
      <label htmlFor="as-of-block-input">As of block</label>
      <input
        id="as-of-block-input"
        inputMode="numeric"
        size={8}
        placeholder={head === null ? "latest" : `latest (${head})`}
        value={typed}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "as-of-block-error" : undefined}
        onChange={(e) => setTyped(e.target.value)}
      />
      <button type="submit">Go</button>
      {block !== undefined ? (
        <button type="button" onClick={() => setAsOfBlock(undefined)}>
          Latest
        </button>
      ) : null}
      {error ? (
        <span id="as-of-block-error" role="alert" className="error">
          {error}
        </span>
      ) : null}
    </form>
  );
}

/** Shown above every page while the app looks at the past. */
export function HistoricalBanner(): JSX.Element | null {
  const block = useAsOfBlock();
  if (block === undefined) return null;
  return (
    <div className="historical-banner" role="status" data-testid="historical-banner">
      <strong>Historical view:</strong> every page shows the state as of block {block}, not the latest.{" "}
      <button type="button" onClick={() => setAsOfBlock(undefined)}>
        Back to the latest block
      </button>
    </div>
  );
}
