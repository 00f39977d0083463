/**
 * Verifying a credential against the chain, shared by the CLI's `verify` and the web verifier page (browser-safe:
 * no `node:` import; the chain is reached through a `VerificationLookup` that the CLI implements over JSON-RPC and
 * the web app over GraphQL). Three checks per record, plus the credential's own proof when it carries one:
 * - integrity: the record's content hash is anchored (and, when the lookup can tell, with the fields the file gives);
 * - status: active, or revoked / superseded / expired / not yet valid / issuer without standing;
 * - issuer identity: the credential's issuer DID is the DID of the on-chain actor that anchored the record.
 */
import { decodeVcJwt, localDidResolver, verifyCredential, type DidResolver } from "../../interop/proofs";
import type { VerificationResult } from "../../interop/proofs";
import type { MappedCredential } from "./documents";
import type { MappedRecord, RegistryName } from "./kinds";

export type { MappedRecord, RegistryName } from "./kinds";
export type AnchorStatus = "active" | "revoked" | "superseded";

/** A record as a registry holds it. */
export interface AnchoredRecord {
  recordId: string;
  /** The address of the actor that anchored it. */
  issuer: string;
  status: AnchorStatus;
  /** The record that superseded it, when superseded. */
  successor?: string;
  /** Unix seconds; 0 for no expiry. */
  expiresAt: bigint;
}

/** An onboarded actor as the actor registry knows it. */
export interface ActorIdentity {
  address: string;
  did: string;
  /** ISO 3166-1 alpha-2, when known. */
  country?: string;
}

/** How the checks reach the chain; the CLI implements it over JSON-RPC, the web app over GraphQL. */
export interface VerificationLookup {
  /** Every anchor of `contentHash` in the registry (several when other actors anchored the same hash). */
  anchorsOfHash(registry: RegistryName, contentHash: string): Promise<AnchoredRecord[]>;
  /** The actor at `address`, or undefined when it was never onboarded. */
  actorByAddress(address: string): Promise<ActorIdentity | undefined>;
  /** Optional: the fields of the anchor that differ from the record the file maps to ("name: anchored …, file …"). */
  fieldDifferences?(registry: RegistryName, anchor: AnchoredRecord, record: MappedRecord): Promise<string[]>;
  /** Optional: the role the anchor's issuer needs and whether it holds it now (e.g. { role: "MILL", active }). */
  issuerStanding?(registry: RegistryName, anchor: AnchoredRecord): Promise<{ role: string; active: boolean }>;
}

export interface Check {
  ok: boolean;
  /** One line: what was found, or what is wrong. */
  detail: string;
}

export type RecordState = AnchorStatus | "expired" | "not yet valid" | "not anchored";

export interface RecordVerification {
  contentHash: string;
  /** The anchor judged (undefined when not anchored, or when several anchors and none is the issuer's). */
  anchor?: AnchoredRecord;
  /** The actor that anchored the judged record. */
  actor?: ActorIdentity;
  integrity: Check;
  status: Check & { state?: RecordState; problems: string[]; standing?: { role: string; active: boolean } };
  issuer: Check;
  valid: boolean;
}

export interface CredentialVerification {
  format: "json" | "vc-jwt";
  /** The credential as JSON (decoded from the JWS for VC-JOSE). */
  credential: Record<string, unknown>;
  mapped: MappedCredential;
  /** The JOSE or linked-data proof check, when the credential carries a proof. */
  proof?: VerificationResult;
  records: RecordVerification[];
  valid: boolean;
}

export interface VerifyOptions {
  /** Validates and maps a credential to its records: `mapCredential` of documents.ts (with the caller's schemas). */
  mapCredential(credential: unknown): MappedCredential;
  /** The time to judge validity at (unix seconds): the chain's latest block time. */
  now: bigint;
  /** Resolves issuer DIDs for proofs (did:key and did:jwk are always resolved locally). */
  resolver?: DidResolver;
  /** Judge only the anchor of this actor address (the CLI's --issuer). */
  issuerAddress?: string;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Whether a text is a VC-JOSE compact JWS rather than JSON. */
export function isCompactJws(text: string): boolean {
  return COMPACT_JWS.test(text.trim());
}

function isoDate(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/** The anchor to judge: the only one, or the one whose actor holds the credential's issuer DID. */
async function pickAnchor(
  lookup: VerificationLookup,
  anchors: AnchoredRecord[],
  issuerDid: string,
): Promise<AnchoredRecord | undefined> {
  if (anchors.length === 1) return anchors[0];
  for (const anchor of anchors) {
    if ((await lookup.actorByAddress(anchor.issuer))?.did === issuerDid) return anchor;
  }
  return undefined;
}

/**
 * Issuer identity: the credential's issuer DID is the DID of the actor that anchored the record, and the issuer's
 * address country (when the credential gives one) is that actor's registered country.
 */
export function issuerIdentity(record: MappedRecord, anchor: AnchoredRecord, actor: ActorIdentity | undefined): Check {
  if (actor?.did !== record.issuerDid) {
    const by = actor === undefined ? "an address that is not an onboarded actor" : actor.did;
    return {
      ok: false,
      detail: `the credential's issuer is ${record.issuerDid}, but the record was anchored by ${anchor.issuer} (${by})`,
    };
  }
  if (record.issuerCountry !== null && actor.country !== undefined && record.issuerCountry !== actor.country) {
    return {
      ok: false,
      detail: `the credential's issuer is in ${record.issuerCountry} (/issuer/location/address/addressCountry), but the actor that anchored the record, ${anchor.issuer} (${actor.did}), is registered in ${actor.country}`,
    };
  }
  return { ok: true, detail: `anchored by ${anchor.issuer} as ${actor.did}, the credential's issuer` };
}

/** Status: the anchor's registry status, the validity window at `now`, and the issuer's standing when known. */
async function recordStatus(
  lookup: VerificationLookup,
  registry: RegistryName,
  record: MappedRecord,
  anchor: AnchoredRecord,
  now: bigint,
): Promise<RecordVerification["status"]> {
  const problems: string[] = [];
  const standing = await lookup.issuerStanding?.(registry, anchor);
  if (standing && !standing.active) problems.push(`issuer is not an active ${standing.role}`);
  let state: RecordState = anchor.status;
  if (anchor.status === "revoked") problems.push("revoked");
  if (anchor.status === "superseded") problems.push(`superseded by ${anchor.successor ?? "another record"}`);
  if (record.issuedAt > now) {
    problems.push(`not valid before ${isoDate(record.issuedAt)}`);
    if (state === "active") state = "not yet valid";
  }
  if (anchor.expiresAt !== 0n && anchor.expiresAt < now) {
    problems.push(`expired at ${isoDate(anchor.expiresAt)}`);
    if (state === "active") state = "expired";
  }
  const detail = problems.length === 0 ? "active" : problems.join("; ");
  return { ok: problems.length === 0, detail, state, problems, standing };
}

async function verifyRecord(
  lookup: VerificationLookup,
  mapped: MappedCredential,
  record: MappedRecord,
  opts: VerifyOptions,
): Promise<RecordVerification> {
  const hash = record.contentHash;
  const issuerAddress = opts.issuerAddress?.toLowerCase();
  const anchors = (await lookup.anchorsOfHash(mapped.registry, hash)).filter(
    (anchor) => issuerAddress === undefined || anchor.issuer.toLowerCase() === issuerAddress,
  );
  const notJudged = { ok: false, detail: "not judged", problems: [] };
  if (anchors.length === 0) {
    const by = opts.issuerAddress === undefined ? "" : ` by ${opts.issuerAddress}`;
    const integrity = { ok: false, detail: `no record with content hash ${hash} is anchored${by}` };
    return {
      contentHash: hash,
      integrity,
      status: { ...notJudged, state: "not anchored" },
      issuer: notJudged,
      valid: false,
    };
  }
  const anchor = await pickAnchor(lookup, anchors, record.issuerDid);
  if (anchor === undefined) {
    const issuers = anchors.map((a) => a.issuer).join(", ");
    const detail = `anchored by ${anchors.length} issuers (${issuers}), none of them ${record.issuerDid}`;
    return {
      contentHash: hash,
      integrity: { ok: true, detail },
      status: notJudged,
      issuer: { ok: false, detail },
      valid: false,
    };
  }
  const actor = await lookup.actorByAddress(anchor.issuer);
  const issuer = issuerIdentity(record, anchor, actor);
  const differences = issuer.ok ? ((await lookup.fieldDifferences?.(mapped.registry, anchor, record)) ?? []) : [];
  const integrity =
    differences.length > 0
      ? { ok: false, detail: `the anchored fields differ from the file: ${differences.join("; ")}` }
      : { ok: true, detail: `content hash ${hash} anchored as ${anchor.recordId}` };
  const status = await recordStatus(lookup, mapped.registry, record, anchor, opts.now);
  return { contentHash: hash, anchor, actor, integrity, status, issuer, valid: integrity.ok && status.ok && issuer.ok };
}

/** The credential object of the input and, when it carries one, the check of its proof. */
async function credentialAndProof(
  input: object | string,
  resolver: DidResolver,
  now: bigint,
): Promise<{ format: "json" | "vc-jwt"; credential: Record<string, unknown>; proof?: VerificationResult }> {
  const at = { now: new Date(Number(now) * 1000) };
  if (typeof input === "string") {
    const credential = decodeVcJwt(input.trim()).credential;
    return { format: "vc-jwt", credential, proof: await verifyCredential(input, resolver, at) };
  }
  const credential = input as Record<string, unknown>;
  if (credential.proof === undefined) return { format: "json", credential };
  return { format: "json", credential, proof: await verifyCredential(credential, resolver, at) };
}

/**
 * Verifies a credential (JSON, or a VC-JOSE compact JWS) against the chain: the proof when it has one, then for
 * each of its records integrity, status and issuer identity. Throws only when the credential cannot be read or
 * mapped (the mapper's error), never for a failed check.
 */
export async function verifyAnchoredCredential(
  input: object | string,
  lookup: VerificationLookup,
  opts: VerifyOptions,
): Promise<CredentialVerification> {
  const resolver = localDidResolver(opts.resolver);
  const { format, credential, proof } = await credentialAndProof(input, resolver, opts.now);
  const mapped = opts.mapCredential(credential);
  const records: RecordVerification[] = [];
  for (const record of mapped.records as MappedRecord[]) records.push(await verifyRecord(lookup, mapped, record, opts));
  const valid = (proof?.verified ?? true) && records.every((r) => r.valid);
  return { format, credential, mapped, proof, records, valid };
}
