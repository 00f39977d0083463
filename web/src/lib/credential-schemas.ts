/**
 * The credential schema set of the web app: the command-line tool's `SchemaSet` over the bundled schemas, with
 * validators compiled at build time (web/build/credential-validators.ts) since the page may not eval.
 */
import type { ValidateFunction } from "ajv";
import * as validators from "virtual:credential-validators";
import { SchemaSet, type SchemaSource } from "../../../scripts/credentials/schemas";
import { BUNDLED_SCHEMAS, BUNDLED_VOCAB } from "../../../scripts/credentials/vocab";

let cached: SchemaSet | undefined;

export function browserSchemas(): SchemaSet {
  if (cached) return cached;
  const compiled = validators as unknown as Record<string, ValidateFunction>;
  const sources = new Map<string, SchemaSource>();
  for (const [type, schema] of Object.entries(BUNDLED_SCHEMAS)) {
    sources.set(type, { name: `${BUNDLED_VOCAB}/${type}.schema.json`, load: () => schema, validator: compiled[type] });
  }
  cached = new SchemaSet(BUNDLED_VOCAB, sources);
  return cached;
}
