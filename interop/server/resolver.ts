/**
 * DID resolution for the node: its own `did:web` from memory, `did:key` and `did:jwk` by the proofs library,
 * other `did:web` from the directory of onboarded organisations (works offline) and else over HTTPS (or HTTP) —
 * but only on loopback unless the operator allows remote hosts: the node must not become a way to make requests
 * into a network on a client's behalf.
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { didWebUrl } from "../proofs/did-web";
import type { DidDocument, DidResolver, ProofSuite } from "./proofs";
import type { NodeIdentity } from "./identity";
import type { NodeStore } from "./store";
import { messageOf } from "../../lib/errors";

const ID_CHAR = "(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})";
const DID_SYNTAX = new RegExp(`^did:[a-z0-9]+:(?:${ID_CHAR}*:)*${ID_CHAR}+$`);
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);
const MAX_DOCUMENT_BYTES = 256 * 1024;

export type Resolution = { document: DidDocument } | { invalid: string } | { notFound: string };

export function isDidSyntax(did: string): boolean {
  return DID_SYNTAX.test(did);
}

/** GET a JSON document (or a compact JWS), small and quick or not at all. Self-signed certificates are accepted
 * on loopback only. */
function getJson(url: URL): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const loopback = LOOPBACK.has(url.hostname) || LOOPBACK.has(`[${url.hostname}]`);
    const options = { timeout: 2000, headers: { accept: "application/did+json, application/json" } };
    const req =
      url.protocol === "https:"
        ? httpsRequest(url, { ...options, rejectUnauthorized: !loopback })
        : httpRequest(url, options);
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.on("response", (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`HTTP ${res.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DOCUMENT_BYTES) req.destroy(new Error("document too large"));
        else chunks.push(chunk);
      });
      res.on("end", () => {
        try {
          const text = Buffer.concat(chunks).toString("utf8").trim();
          resolve(text.startsWith("{") ? JSON.parse(text) : text);
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    req.end();
  });
}

export class NodeResolver implements DidResolver {
  constructor(
    private readonly identity: NodeIdentity,
    private readonly store: NodeStore,
    private readonly proofs: () => ProofSuite,
    private readonly allowRemoteDidWeb = false,
  ) {}

  async resolve(did: string): Promise<DidDocument | undefined> {
    const result = await this.resolveDetailed(did);
    return "document" in result ? result.document : undefined;
  }

  async resolveDetailed(did: string): Promise<Resolution> {
    if (!isDidSyntax(did)) return { invalid: "not a DID" };
    if (did === this.identity.did) return { document: this.identity.document() };
    const method = did.split(":")[1];
    if (method === "key" || method === "jwk") {
      try {
        const proofs = this.proofs();
        return { document: method === "key" ? proofs.resolveDidKey(did) : proofs.resolveDidJwk(did) };
      } catch (error) {
        return { invalid: messageOf(error) };
      }
    }
    if (method !== "web") return { notFound: `the DID method ${method} is not supported` };
    const onboarded = this.store.directoryEntry(did);
    if (onboarded !== undefined) return { document: onboarded as DidDocument };
    return this.fetchDidWeb(did);
  }

  /** A status list credential at `url`, fetched under the same loopback rule as `did:web` documents. */
  async fetchStatusList(url: string): Promise<object | string | undefined> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    if (!["https:", "http:"].includes(parsed.protocol)) return undefined;
    if (!this.allowRemoteDidWeb && !LOOPBACK.has(parsed.hostname)) return undefined;
    try {
      const list = await getJson(parsed);
      return typeof list === "object" && list !== null ? list : typeof list === "string" ? list : undefined;
    } catch {
      return undefined;
    }
  }

  private async fetchDidWeb(did: string): Promise<Resolution> {
    let url: URL;
    try {
      url = new URL(didWebUrl(did));
    } catch (error) {
      return { invalid: messageOf(error) };
    }
    if (!this.allowRemoteDidWeb && !LOOPBACK.has(url.hostname)) {
      return { notFound: `${did} is not onboarded and ${url.hostname} is not fetched` };
    }
    // The library's URL uses http on localhost; a node of ours serves https there: try both.
    const other = new URL(url);
    other.protocol = url.protocol === "https:" ? "http:" : "https:";
    for (const candidate of [url, other]) {
      try {
        const document = (await getJson(candidate)) as DidDocument;
        if (typeof document === "object" && document !== null && document.id === did) return { document };
      } catch {
        // try the next scheme
      }
    }
    return { notFound: `${did} did not resolve` };
  }
}
