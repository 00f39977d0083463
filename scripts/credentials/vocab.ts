/**
 * The schema set bundled with the tool (`vocab/`, source and licence in `vocab/NOTICE.md`), imported as JSON
 * modules so that the command-line tool and the web app validate against the same files without reading any.
 * The command-line tool honours `TRADETRACE_VOCAB_DIR` through `node-loader.ts`.
 */
import CertificationOfOrigin from "./vocab/CertificationOfOrigin.schema.json";
import MillTestReportCredential from "./vocab/MillTestReportCredential.schema.json";
import USMCACertificationOfOrigin from "./vocab/USMCACertificationOfOrigin.schema.json";
import { SchemaSet } from "./schemas";

/** Where the bundled schemas live in the repository (the `dir` of the bundled set). */
export const BUNDLED_VOCAB = "scripts/credentials/vocab";

/** The bundled schemas by credential type. */
export const BUNDLED_SCHEMAS: Readonly<Record<string, object>> = {
  CertificationOfOrigin,
  MillTestReportCredential,
  USMCACertificationOfOrigin,
};

let cached: SchemaSet | undefined;

/** The bundled schema set, shared by the mappers when they are not given one (compiled once per process). */
export function defaultSchemas(): SchemaSet {
  cached ??= SchemaSet.fromSchemas(BUNDLED_VOCAB, BUNDLED_SCHEMAS);
  return cached;
}
