/** What a page shows while its data loads or when the read failed; a refused token leads to the sign-in page. */
import type { Load } from "./use-query";

export function LoadState({ load, what }: { load: Load<unknown>; what: string }): JSX.Element | null {
  if (load.state === "loading") return <p aria-live="polite">Loading {what}…</p>;
  if (load.state === "error") {
    return (
      <div className="error" role="alert">
        <p>
          Could not load {what}: {load.message}
        </p>
        {load.unauthorized && (
          <p>
            <a href={`#/sign-in?next=${encodeURIComponent(window.location.hash)}`}>Sign in with a valid token</a>
          </p>
        )}
      </div>
    );
  }
  return null;
}
