/**
 * A credential file → the verifier's three checks, by scripts/credentials/verify.ts (the CLI's own checks) over
 * the GraphQL lookup, with the file validated and mapped by the CLI's modules. Never throws: a file that cannot be
 * read, is not a credential the registries take, or cannot be looked up is refused with a sentence.
 */
import { mapCredential } from "../../../scripts/credentials/documents";
import { CredentialError } from "../../../scripts/credentials/errors";
import { parseJson } from "../../../scripts/credentials/json";
import {
  isCompactJws,
  verifyAnchoredCredential,
  type CredentialVerification,
  type RecordVerification,
} from "../../../scripts/credentials/verify";
import { browserSchemas } from "../lib/credential-schemas";
import { CHAIN_TIME_QUERY, type ChainTimeAnswer } from "./anchor-queries";
import type { CheckView, Verdict } from "./CheckCard";
import { graphqlLookup } from "./graphql-lookup";
import { lookup } from "./lookup";
import { messageOf } from "../../../lib/errors";

export type VerifierOutcome =
  | { kind: "refused"; message: string }
  | {
      kind: "checked";
      /** The verdict on the whole file in a few words. */
      summary: string;
      checks: CheckView[];
      /** Set when the issuer identity fails: the sentence to show loudly. */
      issuerMismatch?: string;
      facts: string[];
    };

const verdict = (ok: boolean, judged = true): Verdict => (!judged ? "skipped" : ok ? "pass" : "fail");

/** One card per check over every record of the credential (an MTR with several inspections has several). */
function checksOf(v: CredentialVerification): CheckView[] {
  const recs = v.records;
  const per = (pick: (r: RecordVerification) => { ok: boolean; detail: string }) =>
    recs.map((r, i) => (recs.length > 1 ? `record ${i + 1}: ${pick(r).detail}` : pick(r).detail));
  const notAnchored = recs.every((r) => r.status.state === "not anchored");
  const states = [...new Set(recs.map((r) => r.status.state ?? "not judged"))];
  const checks: CheckView[] = [
    {
      title: "Integrity",
      verdict: verdict(recs.every((r) => r.integrity.ok)),
      headline: recs.every((r) => r.integrity.ok)
        ? "The file is exactly what was anchored: its hash is on the registry."
        : "The file does not match an anchored record: it was changed, or never anchored.",
      details: per((r) => r.integrity),
    },
    {
      title: "Status",
      verdict: verdict(
        recs.every((r) => r.status.ok),
        !notAnchored,
      ),
      headline: notAnchored ? "Nothing anchored to judge." : `The record is ${states.join(", ")}.`,
      details: notAnchored ? [] : per((r) => r.status),
    },
    {
      title: "Issuer identity",
      verdict: verdict(
        recs.every((r) => r.issuer.ok),
        !notAnchored,
      ),
      headline: notAnchored
        ? "Nothing anchored to compare the issuer with."
        : recs.every((r) => r.issuer.ok)
          ? "The credential's issuer is the on-chain actor that anchored it."
          : "The credential names another issuer than the actor that anchored it.",
      details: notAnchored ? [] : per((r) => r.issuer),
    },
  ];
  if (v.proof) {
    checks.push({
      title: "Proof",
      verdict: v.proof.verified ? "pass" : "fail",
      headline: v.proof.verified ? "The credential's own signature verifies." : "The credential's signature fails.",
      details: [...v.proof.errors, ...v.proof.warnings],
    });
  }
  return checks;
}

function outcomeOf(v: CredentialVerification): VerifierOutcome {
  const checks = checksOf(v);
  const mismatch =
    v.records.find((r) => r.anchor !== undefined && !r.issuer.ok) ??
    v.records.find((r) => !r.issuer.ok && r.integrity.ok);
  const facts = [
    `${v.mapped.type}, ${v.records.length} record(s), credential hash ${v.mapped.credentialHash}`,
    ...v.records.flatMap((r) => (r.anchor ? [`record ${r.anchor.recordId} anchored by ${r.anchor.issuer}`] : [])),
  ];
  return {
    kind: "checked",
    summary: v.valid ? "valid" : "not valid",
    checks,
    issuerMismatch: mismatch?.issuer.detail,
    facts,
  };
}

/** Checks the text of a credential file named `name`. */
export async function verifyFile(name: string, text: string): Promise<VerifierOutcome> {
  const body = text.replace(/^\uFEFF/, "");
  let input: object | string;
  try {
    input = isCompactJws(body) ? body.trim() : (parseJson(body, name) as object);
  } catch (e) {
    return { kind: "refused", message: `${name} is not JSON or a VC-JOSE credential: ${messageOf(e)}` };
  }
  if (typeof input !== "string" && (input === null || typeof input !== "object" || Array.isArray(input))) {
    return { kind: "refused", message: `${name} is not JSON or a VC-JOSE credential: it holds no credential object` };
  }
  try {
    const head = await lookup<ChainTimeAnswer>(CHAIN_TIME_QUERY);
    const now = BigInt(head._meta?.block.timestamp ?? Math.floor(Date.now() / 1000));
    const result = await verifyAnchoredCredential(input, graphqlLookup(now), {
      mapCredential: (c) => mapCredential(c, browserSchemas()),
      now,
    });
    return outcomeOf(result);
  } catch (e) {
    if (e instanceof CredentialError) return { kind: "refused", message: `${name}: ${e.message}` };
    return { kind: "refused", message: `${name} could not be checked: ${messageOf(e)}` };
  }
}
