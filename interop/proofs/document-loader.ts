import { BUNDLED_CONTEXTS } from "../contexts";
import { UnknownContextError } from "./errors";

export interface RemoteDocument {
  contextUrl: null;
  documentUrl: string;
  document: object;
  /** "static" lets jsonld keep the processed context in its shared cache across operations. */
  tag: "static";
}

type JsonObject = Record<string, unknown>;

/** The prefix of the URNs under which the scoped contexts of the bundled contexts are served (see below). */
export const SCOPED_CONTEXT_URN = "urn:tradetrace:scoped-context:";

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * jsonld deep-copies the active context, scoped contexts included, every time a type-scoped context applies, i.e.
 * for nearly every node: with the 175 kB traceability context (hundreds of type-scoped contexts) that made one
 * canonicalisation cost seconds. A term's scoped context may equally be given by reference (JSON-LD 1.1 §4.1.8;
 * the bundled contexts set no @base that a reference would change), so each inline scoped context is served under a
 * URN of its own and the term refers to it: copies become cheap, and jsonld caches each processed scoped context.
 * The canonical N-Quads are unchanged (test/interop/proofs/contexts.test.ts compares them).
 */
function extractScopedContexts(context: JsonObject, name: string, out: Map<string, object>): JsonObject {
  const rewritten: JsonObject = {};
  for (const [term, definition] of Object.entries(context)) {
    if (isObject(definition) && isObject(definition["@context"])) {
      const urn = `${SCOPED_CONTEXT_URN}${name}/${encodeURIComponent(term)}`;
      const scoped = extractScopedContexts(definition["@context"], `${name}/${encodeURIComponent(term)}`, out);
      out.set(urn, { "@context": scoped });
      rewritten[term] = { ...definition, "@context": urn };
    } else rewritten[term] = definition;
  }
  return rewritten;
}

function buildLoadable(): Map<string, object> {
  const loadable = new Map<string, object>();
  Object.entries(BUNDLED_CONTEXTS).forEach(([url, document], index) => {
    const context = (document as JsonObject)["@context"];
    const rewrite = (entry: unknown) =>
      isObject(entry) ? extractScopedContexts(entry, String(index), loadable) : entry;
    loadable.set(url, { "@context": Array.isArray(context) ? context.map(rewrite) : rewrite(context) });
  });
  return loadable;
}

let loadable: Map<string, object> | undefined;

/**
 * The jsonld document loader: serves only the bundled contexts (and their scoped contexts, see above). Any other URL
 * is an UnknownContextError naming it, so that a credential never makes the verifier reach out to the network (or
 * to an attacker's server).
 */
export async function bundledDocumentLoader(url: string): Promise<RemoteDocument> {
  loadable ??= buildLoadable();
  const document = loadable.get(url);
  if (!document) throw new UnknownContextError(url);
  // jsonld may annotate what it is given: hand it a copy so the bundled data stays pristine.
  return { contextUrl: null, documentUrl: url, document: structuredClone(document), tag: "static" };
}

/** The context URLs a document names (top-level @context only; inline objects are skipped). */
export function contextUrlsOf(document: JsonObject): string[] {
  const context = document["@context"];
  const entries = Array.isArray(context) ? context : [context];
  return entries.filter((entry): entry is string => typeof entry === "string");
}

/** The first context URL of a document that is not bundled, if any. */
export function firstUnbundledContext(document: JsonObject): string | undefined {
  return contextUrlsOf(document).find((url) => !BUNDLED_CONTEXTS[url]);
}
