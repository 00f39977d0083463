/** Failure classes of a handler run, mirroring graph-node's deterministic / non-deterministic split. */

/** A deterministic failure: replaying the block gives the same error, so the subgraph fails. */
export class DeterministicError extends Error {}

/** `abort` from AssemblyScript (`throw`, `assert`), formatted as graph-node formats it. */
export class MappingAbort extends DeterministicError {}

/** A failure that may go away on retry (RPC down, ...): the block is retried. */
export class NonDeterministicError extends Error {}

/** The module cannot be run at all: an unsupported apiVersion, an unknown import, a missing export. */
export class ModuleLoadError extends DeterministicError {}

/**
 * Thrown inside a handler when a host function needs data that only an asynchronous request can give
 * (`ethereum.call`, `getBalance`, `hasCode`). `runEventHandler` (./host.ts) performs the request, caches the
 * answer for the block, and replays the handler on an instance reset to its instantiated state (./reset.ts)
 * or a fresh one, which is safe because handlers are deterministic and the failed run's writes were only buffered.
 */
export class NeedsRpc extends Error {
  constructor(
    readonly key: string,
    readonly fetch: () => Promise<unknown>,
  ) {
    super(`pending RPC request ${key}`);
  }
}

/** graph-node's `abort` message: `Mapping aborted at <loc>, with <m>`. */
export function formatAbort(message: string | null, file: string | null, line: number, column: number): string {
  let loc = "an unknown location";
  if (file) {
    loc = file;
    if (line) {
      loc += `, line ${line}`;
      if (column) loc += `, column ${column}`;
    }
  }
  const m = message !== null ? `message: ${message}` : "no message";
  return `Mapping aborted at ${loc}, with ${m}`;
}
