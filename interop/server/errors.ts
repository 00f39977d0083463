/**
 * The error answers of the node: a status and a JSON body `{ message }`. The messages are the ones the
 * Traceability Interoperability suites and OpenAPI fix, word for word (one home for each).
 */
export const MESSAGES = {
  badRequest: "Bad Request: Your request body does not conform to the required schema",
  malformedJson: "Bad Request: The request body is not valid JSON",
  invalidDid: "Bad Request: Invalid DID",
  unauthorized: "Unauthorized: This endpoint requires an OAuth2 bearer token",
  forbidden: "Forbidden: OAuth2 bearer token does not have the required scope",
  notFound: "Not Found: The requested resource could not be found",
  methodNotAllowed: "Method Not Allowed: The resource does not support this method",
  conflict: "Conflict: A presentation with this id was already received",
  tooLarge: "Payload Too Large: The request body exceeds the limit",
  unsupportedMediaType: "Unsupported Media Type: The request body must be application/json",
  unknownIssuer: "Unknown Issuer: Unable to issue credentials for specified issuer",
  internal: "Internal Server Error: The request could not be completed",
} as const;

/** A request the node answers with `status` and `{ message, details? }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (details?: unknown): HttpError => new HttpError(400, MESSAGES.badRequest, details);
export const notFound = (): HttpError => new HttpError(404, MESSAGES.notFound);
