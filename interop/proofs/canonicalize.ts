/** URDNA2015 canonical N-Quads over the bundled contexts only, and their SHA-256 (via WebCrypto). */
import jsonld from "jsonld";
import { bundledDocumentLoader, firstUnbundledContext } from "./document-loader";
import { UnknownContextError, messageOf } from "./errors";
import { ProofError } from "./resolution";
import { utf8 } from "./encoding";

type DocumentLoader = NonNullable<Parameters<typeof jsonld.canonize>[1]>["documentLoader"];

/**
 * The canonical N-Quads of a JSON-LD document. Safe mode (jsonld's default for canonize) makes a term the
 * contexts do not define an error rather than silently dropping it from what the signature covers.
 */
export async function canonicalize(document: Record<string, unknown>): Promise<string> {
  const unbundled = firstUnbundledContext(document);
  if (unbundled) throw new ProofError(new UnknownContextError(unbundled).message);
  try {
    return await jsonld.canonize(document, {
      algorithm: "URDNA2015",
      format: "application/n-quads",
      documentLoader: bundledDocumentLoader as unknown as DocumentLoader,
      safe: true,
    } as Parameters<typeof jsonld.canonize>[1]);
  } catch (error) {
    throw new ProofError(`JSON-LD canonicalisation failed: ${explainJsonLdError(error)}`);
  }
}

interface JsonLdErrorDetails {
  cause?: unknown;
  event?: { message?: string; details?: { property?: string; type?: string; term?: string } };
}

/**
 * jsonld wraps loader errors several levels deep and puts safe-mode findings in an event: surface the innermost
 * message (e.g. "context … is not bundled") and the term it is about.
 */
function explainJsonLdError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const details = (current as { details?: JsonLdErrorDetails }).details;
    if (details?.event?.message) {
      const about = details.event.details?.property ?? details.event.details?.term ?? details.event.details?.type;
      return about === undefined ? details.event.message : `${details.event.message} (${JSON.stringify(about)})`;
    }
    if (!details?.cause) break;
    current = details.cause;
  }
  return messageOf(current);
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

export async function canonicalHash(document: Record<string, unknown>): Promise<Uint8Array> {
  return sha256(utf8.encode(await canonicalize(document)));
}
