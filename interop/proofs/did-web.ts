/**
 * did:web (W3C CCG did:web method): the DID document at https://<host>[:port]/<path>/did.json, or
 * /.well-known/did.json without a path. Fetching is the caller's (a `fetch` is injected), so that the browser app,
 * which may only talk to its own origin, never reaches out by itself.
 */
import { InvalidDidError } from "./errors";
import type { DidDocument, DidResolver } from "./did-document";

/** The HTTPS URL of a did:web's document (http for localhost, as the interop suites run on loopback). */
export function didWebUrl(did: string): string {
  const match = /^did:web:([A-Za-z0-9._%-]+)((?::[A-Za-z0-9._%-]+)*)$/.exec(did);
  if (!match) throw new InvalidDidError(did, "a did:web is did:web:<host>[%3Aport][:path…]");
  const host = decodeURIComponent(match[1]);
  if (!/^[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(host)) throw new InvalidDidError(did, `${host} is not a host name`);
  const path = match[2] ? match[2].slice(1).split(":").map(decodeURIComponent).join("/") : ".well-known";
  const scheme = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host) ? "http" : "https";
  return `${scheme}://${host}/${path}/did.json`;
}

export type FetchLike = (
  url: string,
  init?: { signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** Resolves did:web through `fetchImpl`; 404 is "not found" (undefined), other failures throw with the reason. */
export function didWebResolver(fetchImpl: FetchLike, timeoutMs = 5000): DidResolver {
  return {
    async resolve(did: string): Promise<DidDocument | undefined> {
      if (!did.startsWith("did:web:")) return undefined;
      const url = didWebUrl(did);
      const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
      if (response.status === 404) return undefined;
      if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
      const document = (await response.json()) as DidDocument;
      if (typeof document !== "object" || document === null || document.id !== did) {
        throw new Error(`${url} does not hold the DID document of ${did}`);
      }
      return document;
    },
  };
}

/** A resolver over fixed DID documents (e.g. given on a command line), by their ids. */
export function staticDidResolver(documents: DidDocument[]): DidResolver {
  return { resolve: async (did) => documents.find((document) => document.id === did) };
}

/** Tries each resolver in turn; the first document found wins. */
export function chainResolvers(...resolvers: DidResolver[]): DidResolver {
  return {
    async resolve(did: string): Promise<DidDocument | undefined> {
      for (const resolver of resolvers) {
        const document = await resolver.resolve(did);
        if (document) return document;
      }
      return undefined;
    },
  };
}
