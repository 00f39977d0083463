/** A DID that is not syntactically valid for its method (bad prefix, bad encoding, unsupported key type). */
export class InvalidDidError extends Error {
  constructor(
    readonly did: string,
    reason: string,
  ) {
    super(`invalid DID ${did}: ${reason}`);
    this.name = "InvalidDidError";
  }
}

/** A JSON-LD context URL that is not bundled in interop/contexts: nothing is ever fetched from the network. */
export class UnknownContextError extends Error {
  constructor(readonly url: string) {
    super(`context ${url} is not bundled`);
    this.name = "UnknownContextError";
  }
}

/** A key the library cannot use (missing material, unsupported curve or algorithm). */
export class UnsupportedKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedKeyError";
  }
}

/** The message of anything thrown, for a VerificationResult's errors (its one home is lib/errors.ts). */
export { messageOf } from "../../lib/errors";
