/** The command-line flags of the access policy, shared by indexer/cli.ts and graphql/serve.ts. */
import type { AccessOptions } from "./policy";

export const ACCESS_USAGE =
  "[--api-keys FILE] [--jwks URL|FILE --issuer ISS --audience AUD] [--scope S] [--cors-origin ORIGIN]… " +
  "[--host-name NAME]… [--open]";

/**
 * Applies one access flag to `opts`; false when `flag` is not one. `value()` reads the flag's argument.
 */
export function applyAccessFlag(flag: string, value: () => string, opts: AccessOptions): boolean {
  switch (flag) {
    case "--open":
      opts.open = true;
      return true;
    case "--api-keys":
      opts.apiKeysFile = value();
      return true;
    case "--scope":
      opts.scope = value();
      return true;
    case "--cors-origin":
      opts.corsOrigins = [...(opts.corsOrigins ?? []), value()];
      return true;
    case "--host-name":
      opts.hostNames = [...(opts.hostNames ?? []), value()];
      return true;
    case "--jwks":
    case "--issuer":
    case "--audience": {
      const jwt = (opts.jwt ??= { jwks: "", issuer: "", audience: "" });
      jwt[flag.slice(2) as "jwks" | "issuer" | "audience"] = value();
      return true;
    }
    default:
      return false;
  }
}

/** Throws when the flags don't make a usable policy; the message names what is missing. */
export function checkAccessOptions(opts: AccessOptions): void {
  if (opts.jwt && (!opts.jwt.jwks || !opts.jwt.issuer || !opts.jwt.audience)) {
    throw new Error("JWT authentication needs --jwks, --issuer and --audience together");
  }
  if (!opts.open && !opts.apiKeysFile && !opts.jwt) {
    throw new Error("choose how analysts authenticate: --api-keys FILE and/or --jwks/--issuer/--audience, or --open");
  }
  if (opts.open && (opts.apiKeysFile || opts.jwt)) throw new Error("--open serves without authentication; drop it");
  for (const o of opts.corsOrigins ?? []) {
    if (!/^https?:\/\/[^/]+$/i.test(o)) throw new Error(`--cors-origin needs scheme://host[:port], got ${o}`);
  }
}
