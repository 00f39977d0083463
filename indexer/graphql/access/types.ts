/** Who a request was authenticated as, and why one was refused. */

export interface Principal {
  /** `api-key:<id>`, or the JWT's `sub` prefixed with its issuer. */
  subject: string;
  scopes: string[];
}

/** A refused request: 401 (no or bad credentials) or 403 (valid credentials without the scope). */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    /** RFC 6750 error code for the WWW-Authenticate header (none when no credentials were sent). */
    readonly code: "invalid_request" | "invalid_token" | "insufficient_scope" | undefined,
    message: string,
  ) {
    super(message);
  }
}
