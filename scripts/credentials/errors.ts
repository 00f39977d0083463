/**
 * The one error type of the credentials tool. Every kind of bad input (malformed JSON, a schema violation, an
 * unknown unit, a country that cannot be normalised, a malformed HTS code) throws it, so that a command-line entry
 * point can print `error.message` as a single line and exit non-zero, while programming errors stay distinct.
 */
export class CredentialError extends Error {
  /** JSON Pointer into the credential where the problem is, when there is one (e.g. "/credentialSubject/x"). */
  readonly path: string | undefined;

  constructor(message: string, path?: string) {
    // One line, whatever the inputs quoted in the message contain.
    super(message.replace(/\s*[\r\n]+\s*/g, " "));
    this.name = "CredentialError";
    this.path = path;
  }
}

/** Builds a JSON Pointer (RFC 6901) from a parent pointer and a property name or array index. */
export function childPath(parent: string, key: string | number): string {
  const token = String(key).replace(/~/g, "~0").replace(/\//g, "~1");
  return `${parent}/${token}`;
}

/** Shows a user-supplied value inside an error message: quoted, escaped, and cut short if long. */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `'${shown.replace(/[\r\n\t]/g, " ")}'`;
}

/** A JSON Pointer as error messages show it: the empty pointer (the whole document) reads "/". */
export function pathForMessage(path: string): string {
  return path === "" ? "/" : path;
}
