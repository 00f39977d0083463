/**
 * The status part of verification: the proofs library checks signatures, the node checks `credentialStatus`.
 * A list of this node is read from its store; a list elsewhere is fetched through the resolver's loopback rule,
 * its proof verified, and its bit read. A status that cannot be checked is a warning, a set bit an error.
 */
import type { NodeContext } from "./context";
import type { VerificationResult } from "./proofs";
import { CHAIN_MIRROR_LIST, bitOfListCredential, entryLocation } from "./status";
import { messageOf } from "../../lib/errors";

/** The credential a VC-JOSE compact JWS carries, or the credential object itself. */
export function credentialOf(ctx: NodeContext, vc: object | string): Record<string, unknown> {
  if (typeof vc !== "string") return vc as Record<string, unknown>;
  try {
    return ctx.proofs().decodeVcJwt(vc).credential as Record<string, unknown>;
  } catch {
    return {};
  }
}

async function foreignBit(ctx: NodeContext, url: string, index: number): Promise<boolean | string> {
  const list = await ctx.resolver.fetchStatusList(url);
  if (list === undefined) return `status list ${url} could not be fetched`;
  const verdict = await ctx.proofs().verifyCredential(list, ctx.resolver);
  if (!verdict.verified) return `status list ${url} did not verify`;
  try {
    return bitOfListCredential(credentialOf(ctx, list), index);
  } catch (error) {
    return `status list ${url}: ${messageOf(error)}`;
  }
}

/** Adds the status findings of a credential to a verification result. */
export async function checkStatus(
  ctx: NodeContext,
  vc: object | string,
  result: VerificationResult,
): Promise<VerificationResult> {
  const credential = credentialOf(ctx, vc);
  const raw = credential.credentialStatus;
  const entries = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Record<string, unknown>[];
  const out = { ...result, errors: [...result.errors], warnings: [...result.warnings], checks: [...result.checks] };
  const checked = new Set<string>();
  for (const entry of entries) {
    const location = typeof entry === "object" && entry !== null ? entryLocation(entry) : undefined;
    if (location === undefined) {
      out.warnings.push("credentialStatus names no status list index: status not checked");
      continue;
    }
    const local = ctx.status.listIdOf(location.url);
    if (local !== undefined) checked.add(`${local}#${location.index}`);
    const bit =
      local !== undefined
        ? ctx.status.isSet(local, location.index)
        : await foreignBit(ctx, location.url, location.index);
    if (typeof bit === "string") out.warnings.push(`${bit}: status not checked`);
    else {
      out.checks.push("credentialStatus");
      const purpose = typeof entry.statusPurpose === "string" ? entry.statusPurpose : "revocation";
      if (bit) out.errors.push(purpose === "suspension" ? "the credential is suspended" : "the credential is revoked");
    }
  }
  checkAnchoredRecord(ctx, credential, checked, out);
  out.verified = out.verified && out.errors.length === 0;
  return out;
}

function issuerOf(credential: Record<string, unknown>): string | undefined {
  const issuer = credential.issuer as string | { id?: unknown } | undefined;
  const id = typeof issuer === "string" ? issuer : issuer?.id;
  return typeof id === "string" ? id : undefined;
}

/**
 * A credential the node anchored: its on-chain record(s) may have been revoked by the issuer, which the node mirrors
 * in its own revocation list (status.ts `mirrorEntry`). That bit counts whatever the issuer's own status list says:
 * the chain's revocation is the issuer's, signed by its account. The entry is found by the credential's id and only
 * for the issuer the node received it from, so that another issuer's credential reusing the id is not affected.
 */
function checkAnchoredRecord(
  ctx: NodeContext,
  credential: Record<string, unknown>,
  checked: Set<string>,
  out: VerificationResult,
): void {
  const id = credential.id;
  if (typeof id !== "string" || ctx.store.anchorsOf(id).length === 0) return;
  const received = ctx.store.credential(id, "received");
  if (received === undefined || received.issuer !== issuerOf(credential)) return;
  for (const entry of ctx.store.statusEntries(id)) {
    if (entry.listId !== CHAIN_MIRROR_LIST || checked.has(`${entry.listId}#${entry.index}`)) continue;
    out.checks.push("anchoredRecordStatus");
    if (ctx.status.isSet(entry.listId, entry.index)) out.errors.push("the credential's on-chain record is revoked");
  }
}
