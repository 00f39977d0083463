/**
 * Pages loaded on first use: the entry chunk keeps only the shell and the analyst's first pages, so that the wallet
 * (viem), the credential validators, the layout engine and the charts are fetched by the pages that need them.
 * While a page's code loads, a status line says so; if it cannot be fetched (the app was rebuilt while the tab was
 * open, or the server went away) an alert offers a reload instead of a blank page.
 */
import { Component, lazy, Suspense, type ComponentType, type ReactNode } from "react";
import { messageOf } from "../../../lib/errors";

/** A component rendering the page that `load` imports, with a loading line while its chunk arrives. */
export function lazyPage<P extends object>(
  load: () => Promise<ComponentType<P>>,
  what: string,
): (props: P) => JSX.Element {
  const Page = lazy(async () => {
    try {
      return { default: await load() };
    } catch (e) {
      throw new ChunkLoadError(messageOf(e));
    }
  });
  const Lazy = Page as unknown as ComponentType<P>;
  function LazyPage(props: P): JSX.Element {
    return (
      <ChunkFailure what={what}>
        <Suspense
          fallback={
            <p role="status" aria-live="polite" data-testid="page-loading">
              Loading {what}…
            </p>
          }
        >
          <Lazy {...props} />
        </Suspense>
      </ChunkFailure>
    );
  }
  LazyPage.displayName = `Lazy(${what})`;
  return LazyPage;
}

/** The page's code could not be fetched or evaluated. */
class ChunkLoadError extends Error {
  name = "ChunkLoadError";
}

interface ChunkFailureProps {
  what: string;
  children: ReactNode;
}

/** Catches only the failed import of a page's code; errors the page itself throws keep going up. */
class ChunkFailure extends Component<ChunkFailureProps, { failed: unknown }> {
  state = { failed: null as unknown };

  static getDerivedStateFromError(error: unknown): { failed: unknown } {
    return { failed: error };
  }

  render(): ReactNode {
    const failed = this.state.failed;
    if (failed === null) return this.props.children;
    if (!(failed instanceof ChunkLoadError)) throw failed;
    return (
      <div className="error" role="alert">
        <p>
          Could not load the code of {this.props.what}: {failed.message}
        </p>
        <p>
          <button type="button" onClick={() => window.location.reload()}>
            Reload the app
          </button>
        </p>
      </div>
    );
  }
}
