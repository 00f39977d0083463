import { BUNDLED_CONTEXTS } from "../contexts";
import { UnknownContextError } from "./errors";

export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: object;
  /** "static" lets jsonld keep the processed context in its shared cache across operations. */
  tag: "static";
}

/**
 * The jsonld document loader: serves only the bundled contexts. Any other URL is an UnknownContextError naming it,
 * so that a credential never makes the verifier reach out to the network (or to an attacker's server).
 */
export async function bundledDocumentLoader(url: string): Promise<RemoteDocument> {
  const document = BUNDLED_CONTEXTS[url];
  if (!document) throw new UnknownContextError(url);
  // jsonld may annotate what it is given: hand it a copy so the bundled data stays pristine. The tag makes jsonld
  // cache the processed context (processing the 175 kB traceability context takes about a second).
  return { contextUrl: null, documentUrl: url, document: structuredClone(document), tag: "static" };
}

/** The context URLs a document names (top-level @context only; inline objects are skipped). */
export function contextUrlsOf(document: Record<string, unknown>): string[] {
  const context = document["@context"];
  const entries = Array.isArray(context) ? context : [context];
  return entries.filter((entry): entry is string => typeof entry === "string");
}

/** The first context URL of a document that is not bundled, if any. */
export function firstUnbundledContext(document: Record<string, unknown>): string | undefined {
  return contextUrlsOf(document).find((url) => !BUNDLED_CONTEXTS[url]);
}
