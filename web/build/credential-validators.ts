/**
 * A Vite plugin that compiles the bundled credential schemas (scripts/credentials/vocab) into validation code at
 * build time, with the same ajv set-up as the command-line tool (`createAjv`), as the module
 * `virtual:credential-validators` (one export per credential type). The page's Content Security Policy forbids
 * eval, which ajv's run-time compilation needs; the validators then run without it, inside the same `SchemaSet`.
 */
import standaloneCode from "ajv/dist/standalone";
import { _ } from "ajv";
import { createAjv } from "../../scripts/credentials/schemas";
import { BUNDLED_SCHEMAS } from "../../scripts/credentials/vocab";

export const VALIDATORS_MODULE = "virtual:credential-validators";
const RESOLVED = `\0${VALIDATORS_MODULE}`;

/**
 * ajv's standalone code reaches two run-time helpers with `require`, which neither a browser module nor Node's
 * ESM loader has: they are replaced by an import of the package ajv uses (fast-deep-equal) and by a code-point
 * count (what ajv's ucs2length counts). Any other `require` is an error here, not in the page.
 */
const RUNTIME: [string, string][] = [
  ['require("ajv/dist/runtime/equal").default', "runtimeEqual"],
  ['require("ajv/dist/runtime/ucs2length").default', "runtimeUcs2length"],
];
const RUNTIME_PRELUDE = [
  'import { fullFormats as formats } from "ajv-formats/dist/formats.js";',
  'import runtimeEqual from "fast-deep-equal";',
  "const runtimeUcs2length = (text) => [...text].length;",
].join("\n");

/** ESM source exporting a validate function per bundled credential type. */
export function validatorsSource(): string {
  // Formats are referenced as `formats.<name>`; the prelude imports them from ajv-formats.
  const ajv = createAjv({ code: { source: true, esm: true, formats: _`formats` } });
  const exports: Record<string, string> = {};
  for (const [type, schema] of Object.entries(BUNDLED_SCHEMAS)) {
    ajv.addSchema(schema, type);
    exports[type] = type;
  }
  let code = standaloneCode(ajv, exports);
  for (const [call, name] of RUNTIME) code = code.split(call).join(name);
  const left = /require\([^)]*\)/.exec(code);
  if (left) throw new Error(`the credential validators need ${left[0]}, which the web build does not provide`);
  return `${RUNTIME_PRELUDE}\n${code}`;
}

/** The Vite plugin hooks used here (typed locally: the Node side of the project resolves no Vite types). */
export interface VirtualModulePlugin {
  name: string;
  resolveId(id: string): string | undefined;
  load(id: string): string | undefined;
}

export function credentialValidators(): VirtualModulePlugin {
  return {
    name: "tradetrace-credential-validators",
    resolveId: (id) => (id === VALIDATORS_MODULE ? RESOLVED : undefined),
    load: (id) => (id === RESOLVED ? validatorsSource() : undefined),
  };
}
