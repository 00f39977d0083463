/**
 * The message of anything thrown. A `catch` binding is `unknown`: an Error (from this realm or another, e.g. a
 * worker's or the WASM runtime's), an error-like object with a `message` (a JSON-RPC error body), or any value
 * thrown as is. Browser-safe and dependency-free, so that the runtime, the tools, the web app and the tests share it.
 */
export function messageOf(e: unknown): string {
  if (typeof e === "object" && e !== null && "message" in e && typeof e.message === "string") return e.message;
  return String(e);
}
