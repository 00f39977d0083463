/**
 * The W3C CCG Traceability Interoperability suites (shared test data, see shared/fixtures/trace-interop/README.md):
 * request bodies of the conformance suite by request name, for tests that reuse its vectors.
 */
import path from "node:path";
import { readJsonFile } from "../../scripts/credentials/json";
import { SHARED_FIXTURES } from "./credentials";

export const TRACE_INTEROP_DIR = path.join(SHARED_FIXTURES, "trace-interop");
export const CONFORMANCE_COLLECTION = path.join(
  TRACE_INTEROP_DIR,
  "conformance",
  "conformance_suite.postman_collection.json",
);

interface PostmanItem {
  name: string;
  item?: PostmanItem[];
  request?: { body?: { raw?: string } };
}

function findItem(items: PostmanItem[], name: string): PostmanItem | undefined {
  for (const item of items) {
    if (item.item) {
      const found = findItem(item.item, name);
      if (found) return found;
    } else if (item.name === name) return item;
  }
  return undefined;
}

/** The parsed JSON body of the conformance suite's request `name` (e.g. "credentials_verify"); throws if absent. */
export function conformanceRequestBody(name: string): Record<string, unknown> {
  const collection = readJsonFile(CONFORMANCE_COLLECTION) as unknown as { item: PostmanItem[] };
  const raw = findItem(collection.item, name)?.request?.body?.raw;
  if (raw === undefined) throw new Error(`the conformance suite has no request named ${name} with a raw body`);
  return JSON.parse(raw) as Record<string, unknown>;
}

/** The verifiableCredential of a conformance /credentials/verify request. */
export function conformanceCredential(name: string): Record<string, unknown> {
  return conformanceRequestBody(name).verifiableCredential as Record<string, unknown>;
}
