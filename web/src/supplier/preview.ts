/**
 * A dropped credential file → the records that will be anchored, by the command-line tool's own modules
 * (scripts/credentials: strict JSON parsing, schema validation, mapping). A failure names its field (a JSON
 * Pointer into the file) so that the page shows it beside that field.
 */
import { mapCredential, type MappedCredential } from "../../../scripts/credentials/documents";
import { CredentialError } from "../../../scripts/credentials/errors";
import { parseJson } from "../../../scripts/credentials/json";
import { browserSchemas } from "../lib/credential-schemas";
import { messageOf } from "../../../lib/errors";

/** Largest credential file read, in bytes (a real one is kilobytes). */
export const MAX_FILE_BYTES = 1024 * 1024;

export type Preview =
  | { ok: true; file: string; text: string; mapped: MappedCredential }
  | { ok: false; file: string; error: string; field: string | null };

/** Validates and maps a credential's text; never throws. */
export function previewCredential(file: string, text: string): Preview {
  try {
    const mapped = mapCredential(parseJson(text.replace(/^\uFEFF/, ""), file), browserSchemas());
    return { ok: true, file, text, mapped };
  } catch (error) {
    if (error instanceof CredentialError) {
      return { ok: false, file, error: error.message, field: error.path || null };
    }
    return { ok: false, file, error: `cannot read ${file}: ${messageOf(error)}`, field: null };
  }
}

/** Reads a dropped or picked file, refusing one too large to be a credential. */
export async function readCredentialFile(file: File): Promise<Preview> {
  if (file.size > MAX_FILE_BYTES) {
    return { ok: false, file: file.name, error: `${file.name} is ${file.size} bytes: not a credential`, field: null };
  }
  return previewCredential(file.name, await file.text());
}

/** ppm → "0.1800 %". */
export function percentOfPpm(ppm: bigint): string {
  const whole = ppm / 10_000n;
  const frac = (ppm % 10_000n).toString().padStart(4, "0");
  return `${whole}.${frac} %`;
}

/** Hundredths (0.01 MPa, 0.01 %) → "415.00". */
export function hundredths(value: bigint | null): string {
  if (value === null) return "—";
  return `${value / 100n}.${(value % 100n).toString().padStart(2, "0")}`;
}
