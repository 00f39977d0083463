/**
 * `/credentials/*`: issue (with the node's keys, in the format `options.type` names), verify (proofs by the
 * library against the resolved issuer DID, status by the node), update status, read a stored credential, and the
 * status list credentials themselves (public: verifiers fetch them without a token).
 */
import { randomUUID } from "node:crypto";
import type { NodeContext } from "../context";
import { HttpError, MESSAGES, notFound } from "../errors";
import { sendJson, type JsonBody, type Route } from "../http";
import type { ProofFormat } from "../proofs";
import { validated, type ISSUE_FORMATS } from "../schemas";
import { REVOCATION_LIST_2020_CONTEXT, STATUS_LIST_2021_CONTEXT, type EntryType } from "../status";
import { checkStatus, credentialOf } from "../credential-status-check";

interface IssueBody {
  credential: Record<string, unknown> & { issuer: string | { id: string }; "@context": string[] };
  options: {
    type: (typeof ISSUE_FORMATS)[number];
    created?: string;
    credentialStatus?: { type: EntryType; statusPurpose?: string };
  };
}

interface StatusBody {
  credentialId: string;
  credentialStatus: [{ type: EntryType; status: "0" | "1"; statusPurpose?: string }];
}

export function formatOf(type: (typeof ISSUE_FORMATS)[number]): ProofFormat {
  return type === "VC-JOSE" ? "vc-jwt" : type;
}

export function issuerId(issuer: unknown): string | undefined {
  if (typeof issuer === "string") return issuer;
  const id = (issuer as { id?: unknown } | undefined)?.id;
  return typeof id === "string" ? id : undefined;
}

/**
 * The verifiable credential of a verify request. A body that wraps the credential twice
 * (`{verifiableCredential: {verifiableCredential: …}}`, what the mill test report tutorial sends after storing the
 * whole issue answer) is read as the credential inside: the wrapper carries nothing else.
 */
function unwrapped(body: unknown): unknown {
  const outer = body as { verifiableCredential?: unknown } | undefined;
  const inner = outer?.verifiableCredential as Record<string, unknown> | undefined;
  if (typeof inner === "object" && inner !== null && !Array.isArray(inner)) {
    const keys = Object.keys(inner);
    if (keys.length === 1 && keys[0] === "verifiableCredential")
      return { ...outer, verifiableCredential: inner.verifiableCredential };
  }
  return body;
}

async function issue(node: NodeContext, body: IssueBody): Promise<object | string> {
  const issuer = issuerId(body.credential.issuer) as string;
  const format = formatOf(body.options.type);
  const key = node.identity.signingKey(issuer, format);
  if (key === undefined) throw new HttpError(422, MESSAGES.unknownIssuer);
  const credential: Record<string, unknown> = { ...body.credential };
  if (typeof credential.id !== "string") credential.id = `urn:uuid:${randomUUID()}`;
  const wantsStatus = body.options.credentialStatus;
  if (wantsStatus !== undefined) {
    const context =
      wantsStatus.type === "RevocationList2020Status" ? REVOCATION_LIST_2020_CONTEXT : STATUS_LIST_2021_CONTEXT;
    if (!body.credential["@context"].includes(context))
      credential["@context"] = [...body.credential["@context"], context];
  }
  if (wantsStatus !== undefined) {
    // An index is taken before signing: a signing failure wastes one index and never hands one out twice.
    const purpose = wantsStatus.statusPurpose ?? "revocation";
    credential.credentialStatus = node.status.allocate(credential.id as string, wantsStatus.type, purpose);
  }
  return node.proofs().issueCredential(credential, key, { format, created: body.options.created });
}

export function credentialRoutes(node: NodeContext, json: JsonBody): Route[] {
  return [
    {
      method: "POST",
      path: /^\/credentials\/issue$/,
      scope: "issue:credentials",
      async handle(ctx) {
        const body = validated<IssueBody>("issue", await json(ctx));
        const verifiableCredential = await issue(node, body);
        const credential = credentialOf(node, verifiableCredential);
        node.store.addCredential({
          id: String(credential.id),
          issuer: issuerId(credential.issuer) ?? "",
          credential: verifiableCredential,
          origin: "issued",
          created: new Date().toISOString(),
        });
        sendJson(ctx.res, 201, { verifiableCredential });
      },
    },
    {
      method: "POST",
      path: /^\/credentials\/verify$/,
      scope: "verify:credentials",
      async handle(ctx) {
        const body = validated<{ verifiableCredential: object | string }>("verify", unwrapped(await json(ctx)));
        const proofResult = await node.proofs().verifyCredential(body.verifiableCredential, node.resolver);
        sendJson(ctx.res, 200, await checkStatus(node, body.verifiableCredential, proofResult));
      },
    },
    {
      method: "POST",
      path: /^\/credentials\/status$/,
      scope: "update:credentials",
      async handle(ctx) {
        const body = validated<StatusBody>("status", await json(ctx));
        const [wanted] = body.credentialStatus;
        if (node.store.credential(body.credentialId, "issued") === undefined) throw notFound();
        const purpose = wanted.statusPurpose ?? "revocation";
        if (!node.status.update(body.credentialId, wanted.type, purpose, wanted.status === "1")) throw notFound();
        sendJson(ctx.res, 200, {
          credentialId: body.credentialId,
          credentialStatus: [{ ...wanted, statusPurpose: purpose }],
        });
      },
    },
    {
      method: "GET",
      path: /^\/credentials\/status\/(?<list>[^/]+)$/,
      scope: null,
      async handle(ctx) {
        sendJson(ctx.res, 200, await signedStatusList(node, ctx.params.list));
      },
    },
    {
      method: "GET",
      path: /^\/credentials\/(?<id>[^/]+)$/,
      scope: "read:credentials",
      handle(ctx) {
        let id: string;
        try {
          id = decodeURIComponent(ctx.params.id);
        } catch {
          throw notFound();
        }
        const stored = node.store.credential(id);
        if (stored === undefined) throw notFound();
        sendJson(ctx.res, 200, { verifiableCredential: stored.credential });
      },
    },
  ];
}

const signedLists = new WeakMap<NodeContext, Map<string, { encodedList: string; signed: object | string }>>();

/** The status list credential, signed by the node's `did:web`; signed again only when its bits changed. */
async function signedStatusList(node: NodeContext, listId: string): Promise<object | string> {
  const unsigned = node.status.listCredential(listId, node.identity.did) as
    { credentialSubject: { encodedList: string } } | undefined;
  if (unsigned === undefined) throw notFound();
  const cache = signedLists.get(node) ?? new Map<string, { encodedList: string; signed: object | string }>();
  signedLists.set(node, cache);
  const cached = cache.get(listId);
  if (cached !== undefined && cached.encodedList === unsigned.credentialSubject.encodedList) return cached.signed;
  const key = node.identity.signingKey(node.identity.did, "JsonWebSignature2020");
  const signed = await node.proofs().issueCredential(unsigned, key as NonNullable<typeof key>, {
    format: "JsonWebSignature2020",
  });
  cache.set(listId, { encodedList: unsigned.credentialSubject.encodedList, signed });
  return signed;
}
