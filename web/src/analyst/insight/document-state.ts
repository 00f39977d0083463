/** A document's state in one word: revoked and superseded from the record, expired from its expiry and the clock. */
export function documentState(status: string, expiresAt: string, now: number): string {
  if (status === "REVOKED") return "revoked";
  if (status === "SUPERSEDED") return "superseded";
  if (expiresAt !== "0" && Number(expiresAt) < now) return "expired";
  return "active";
}
