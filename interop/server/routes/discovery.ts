/**
 * Discovery and identifiers: the node's DID document at `/.well-known/did.json` (where `did:web` puts it) and
 * `/did.json` (the OpenAPI's API configuration), both public; `GET /identifiers/{did}` resolves a DID
 * (`resolve:dids`).
 */
import type { NodeContext } from "../context";
import { HttpError, MESSAGES } from "../errors";
import { sendJson, type Route } from "../http";

/**
 * The DID of an `/identifiers/{did}` path segment. A `did:web` keeps its `%3A` (the port separator) as it stands;
 * a segment encoded whole (`did%3Aweb%3A…`) is decoded once.
 */
function didOfSegment(segment: string): string {
  if (segment.startsWith("did:")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function discoveryRoutes(node: NodeContext): Route[] {
  const document = {
    method: "GET" as const,
    scope: null,
    handle: (ctx: { res: Parameters<typeof sendJson>[0] }) =>
      sendJson(ctx.res, 200, node.identity.document(), { "content-type": "application/did+json" }),
  };
  return [
    { ...document, path: /^\/\.well-known\/did\.json$/ },
    { ...document, path: /^\/did\.json$/ },
    {
      method: "GET",
      path: /^\/identifiers\/(?<did>[^/]+)$/,
      scope: "resolve:dids",
      async handle(ctx) {
        const did = didOfSegment(ctx.params.did);
        // Anything without a URI scheme is no identifier at all (400); a URI that names no DID document we can
        // find (urn:uuid:…, an unknown method, an unreachable did:web) is not found (404), as the suites expect.
        if (!/^[A-Za-z][A-Za-z0-9+.-]*:./.test(did)) throw new HttpError(400, MESSAGES.invalidDid);
        if (!did.startsWith("did:")) throw new HttpError(404, MESSAGES.notFound);
        const result = await node.resolver.resolveDetailed(did);
        if ("invalid" in result) throw new HttpError(400, MESSAGES.invalidDid, result.invalid);
        if ("notFound" in result) throw new HttpError(404, MESSAGES.notFound, result.notFound);
        sendJson(ctx.res, 200, {
          "@context": "https://w3id.org/did-resolution/v1",
          didDocument: result.document,
          didResolutionMetadata: { contentType: "application/did+json" },
          didDocumentMetadata: {},
        });
      },
    },
  ];
}
