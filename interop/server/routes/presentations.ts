/**
 * `/presentations*`: prove (the node signs a presentation for a holder it has keys for), verify, receive a
 * (traceable) presentation — verified, stored, and its mill test reports and certificates of origin handed to the
 * anchoring with the workflow instance — and the exchange pair `available` (a challenge for a query) and
 * `submissions` (a presentation answering that challenge).
 */
import { randomUUID } from "node:crypto";
import { ANCHORED_TYPES, type AnchorOutcome } from "../anchoring";
import type { NodeContext } from "../context";
import { HttpError, MESSAGES, badRequest } from "../errors";
import { sendJson, type JsonBody, type Route } from "../http";
import type { VerificationResult } from "../proofs";
import { validated, type ISSUE_FORMATS } from "../schemas";
import { checkStatus, credentialOf } from "../credential-status-check";
import { formatOf, issuerId } from "./credentials";
import { messageOf } from "../../../lib/errors";

type Presentation = Record<string, unknown>;

interface ProveBody {
  presentation: Presentation;
  options?: { type?: (typeof ISSUE_FORMATS)[number]; challenge?: string; domain?: string; created?: string };
}

interface SubmitBody {
  verifiablePresentation: Presentation | string;
  options?: { replace?: boolean; challenge?: string; domain?: string };
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function typesOf(value: Record<string, unknown>): string[] {
  return asList(value.type).filter((t): t is string => typeof t === "string");
}

/**
 * The presentation inside a VC-JOSE presentation (a compact JWS: the `vp` claim of a VC 1.1 vp-jwt, or the whole
 * payload of a VC 2.0 `vp+jwt`) or the object itself.
 */
function presentationOf(node: NodeContext, vp: Presentation | string): Presentation {
  if (typeof vp !== "string") return vp;
  try {
    const payload = node.proofs().decodeVcJwt(vp).payload as Presentation & { vp?: Presentation };
    if (typeof payload.vp === "object" && payload.vp !== null) return payload.vp;
    return typesOf(payload).includes("VerifiablePresentation") ? payload : {};
  } catch {
    return {};
  }
}

/** Verification of the presentation, its credentials' proofs (by the library) and their status (by the node). */
async function verifyWithStatus(
  node: NodeContext,
  vp: Presentation | string,
  options: { challenge?: string; domain?: string },
): Promise<VerificationResult> {
  let result = await node.proofs().verifyPresentation(vp, node.resolver, options);
  for (const vc of asList(presentationOf(node, vp).verifiableCredential)) {
    if (typeof vc === "string" || (typeof vc === "object" && vc !== null)) result = await checkStatus(node, vc, result);
  }
  return result;
}

/** The workflow of a TraceablePresentation; other presentations may carry none. */
function workflowOf(vp: Presentation): { definition?: string; instance?: string } {
  const workflow = vp.workflow as { definition?: unknown; instance?: unknown } | undefined;
  const traceable = typesOf(vp).includes("TraceablePresentation");
  if (workflow === undefined && !traceable) return {};
  const ok = (v: unknown): boolean =>
    typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
  if (typeof workflow !== "object" || workflow === null || !ok(workflow.definition) || !ok(workflow.instance)) {
    throw badRequest(["/verifiablePresentation/workflow must have definition and instance"]);
  }
  const first = (v: unknown): string => (Array.isArray(v) ? String(v[0]) : String(v));
  return { definition: first(workflow.definition), instance: first(workflow.instance) };
}

async function anchorAll(node: NodeContext, vp: Presentation, workflowInstance?: string): Promise<object[]> {
  const outcomes: object[] = [];
  for (const vc of asList(vp.verifiableCredential)) {
    if (typeof vc !== "string" && (typeof vc !== "object" || vc === null)) continue;
    const credential = credentialOf(node, vc as object | string);
    if (!typesOf(credential).some((t) => (ANCHORED_TYPES as readonly string[]).includes(t))) continue;
    let outcome: AnchorOutcome;
    try {
      outcome = await node.anchoring.anchorVerifiedCredential(vc as object | string, { workflowInstance });
    } catch (error) {
      outcome = { refused: messageOf(error) };
    }
    if ("recordId" in outcome && typeof credential.id === "string") {
      const credentialId = credential.id;
      node.store.transaction(() => {
        for (const recordId of outcome.recordIds ?? [outcome.recordId]) {
          node.store.addAnchor(recordId, credentialId, outcome.txHash);
        }
        node.status.mirrorEntry(credentialId);
      });
    }
    outcomes.push({ credentialId: credential.id, ...outcome });
  }
  return outcomes;
}

function storeReceivedCredentials(node: NodeContext, vp: Presentation): void {
  for (const vc of asList(vp.verifiableCredential)) {
    if (typeof vc !== "string" && (typeof vc !== "object" || vc === null)) continue;
    const credential = credentialOf(node, vc as object | string);
    if (typeof credential.id !== "string") continue;
    node.store.addCredential({
      id: credential.id,
      issuer: issuerId(credential.issuer) ?? "",
      credential: vc as object | string,
      origin: "received",
      created: new Date().toISOString(),
    });
  }
}

/** `POST /presentations`: a verified presentation is stored (409 on a duplicate id unless `replace`) and anchored. */
async function receive(node: NodeContext, body: SubmitBody, replaceQuery: boolean): Promise<object> {
  const vp = presentationOf(node, body.verifiablePresentation);
  const id = vp.id;
  if (typeof id !== "string" || id === "") throw badRequest(["/verifiablePresentation/id is required"]);
  const workflow = workflowOf(vp);
  const replace = body.options?.replace === true || replaceQuery;
  if (!replace && node.store.presentation(id) !== undefined) throw new HttpError(409, MESSAGES.conflict);
  const verification = await verifyWithStatus(node, body.verifiablePresentation, {
    challenge: body.options?.challenge,
    domain: body.options?.domain,
  });
  if (!verification.verified) {
    throw new HttpError(422, "Unprocessable Entity: The presentation did not verify", verification.errors);
  }
  const anchored = await anchorAll(node, vp, workflow.instance);
  const outcome = { id, verified: true, workflow, anchored };
  const stored = node.store.transaction(() => {
    const put = node.store.putPresentation(
      {
        id,
        workflowDefinition: workflow.definition,
        workflowInstance: workflow.instance,
        presentation: body.verifiablePresentation,
        received: new Date().toISOString(),
        outcome,
      },
      replace,
    );
    if (put) storeReceivedCredentials(node, vp);
    return put;
  });
  if (!stored) throw new HttpError(409, MESSAGES.conflict);
  return outcome;
}

/** A body that is the presentation itself (the v1.0 report's form) or wraps it (`verifiablePresentation`). */
function submitBody(value: unknown): unknown {
  const body = value as Record<string, unknown> | undefined;
  if (typeof body === "object" && body !== null && !("verifiablePresentation" in body) && "@context" in body) {
    return { verifiablePresentation: body };
  }
  return value;
}

export function presentationRoutes(node: NodeContext, json: JsonBody): Route[] {
  return [
    {
      method: "POST",
      path: /^\/presentations\/prove$/,
      scope: "prove:presentations",
      async handle(ctx) {
        const body = validated<ProveBody>("prove", await json(ctx));
        const holder = issuerId(body.presentation.holder) ?? node.identity.did;
        const format = formatOf(body.options?.type ?? "JsonWebSignature2020");
        const key = node.identity.signingKey(holder, format);
        if (key === undefined) throw new HttpError(422, MESSAGES.unknownIssuer);
        const presentation = { ...body.presentation, holder };
        const verifiablePresentation = await node.proofs().provePresentation(presentation, key, {
          format,
          challenge: body.options?.challenge,
          domain: body.options?.domain,
        });
        sendJson(ctx.res, 201, { verifiablePresentation });
      },
    },
    {
      method: "POST",
      path: /^\/presentations\/verify$/,
      scope: "verify:presentations",
      async handle(ctx) {
        const body = validated<SubmitBody>("verifyPresentation", await json(ctx));
        sendJson(ctx.res, 200, await verifyWithStatus(node, body.verifiablePresentation, body.options ?? {}));
      },
    },
    {
      method: "POST",
      path: /^\/presentations\/available$/,
      scope: "submit:presentations",
      async handle(ctx) {
        const body = validated<{ query: unknown }>("available", await json(ctx));
        const challenge = randomUUID();
        const domain = node.identity.host;
        node.store.addChallenge(challenge, domain, body.query);
        sendJson(ctx.res, 200, { query: body.query, domain, challenge });
      },
    },
    {
      method: "POST",
      path: /^\/presentations\/submissions$/,
      scope: "submit:presentations",
      async handle(ctx) {
        const body = validated<SubmitBody>("submit", submitBody(await json(ctx)));
        const proof = presentationOf(node, body.verifiablePresentation).proof as { challenge?: unknown } | undefined;
        const challenge = typeof proof?.challenge === "string" ? proof.challenge : body.options?.challenge;
        const issued = challenge === undefined ? undefined : node.store.takeChallenge(challenge);
        if (issued === undefined) throw badRequest(["the presentation answers no challenge of this node"]);
        const outcome = await receive(
          node,
          { ...body, options: { ...body.options, challenge, domain: issued.domain } },
          false,
        );
        sendJson(ctx.res, 202, outcome);
      },
    },
    {
      method: "POST",
      path: /^\/presentations$/,
      scope: "submit:presentations",
      async handle(ctx) {
        const body = validated<SubmitBody>("submit", submitBody(await json(ctx)));
        sendJson(ctx.res, 202, await receive(node, body, ctx.url.searchParams.get("replace") === "true"));
      },
    },
  ];
}
