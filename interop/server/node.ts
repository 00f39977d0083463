/**
 * The trace-interop node: an HTTPS (or, for tests, HTTP) server on loopback that speaks the W3C CCG Traceability
 * Interoperability API v1.0. `createInteropNode` starts it; see interop/README.md for what it serves.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { NO_ANCHORING, type Anchoring } from "./anchoring";
import type { NodeContext } from "./context";
import { HttpError, MESSAGES } from "./errors";
import { findRoute, readJson, sendError, type RequestContext, type Route } from "./http";
import { NodeIdentity } from "./identity";
import { loadKeyring } from "./keys";
import { CLIENTS_FILE, TokenService } from "./oauth";
import { defaultProofSuite, type ProofSuite } from "./proofs";
import { NodeResolver } from "./resolver";
import { credentialRoutes } from "./routes/credentials";
import { discoveryRoutes } from "./routes/discovery";
import { oauthRoutes } from "./routes/oauth";
import { presentationRoutes } from "./routes/presentations";
import { StatusLists } from "./status";
import { NodeStore } from "./store";
import { tlsCredentials } from "./tls";

export const DEFAULT_PORT = 8443;
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface InteropNodeOptions {
  /** Where the keystore, clients.json, the TLS certificate and node.db live (`.tradetrace/interop`). */
  dataDir: string;
  /** Default 8443; 0 picks a free port. */
  port?: number;
  /** The address bound; default 127.0.0.1. */
  bind?: string;
  /** The host (and port) of the node's `did:web` and URLs; default `localhost:<port>`. */
  publicHost?: string;
  /** Serve HTTPS (default) or plain HTTP (tests). */
  tls?: boolean;
  /** Where the keystore password or the keyring come from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Keep fresh keys in memory when no keystore password is set (demo runs). */
  ephemeralKeys?: boolean;
  anchoring?: Anchoring;
  proofs?: ProofSuite;
  maxBodyBytes?: number;
  tokenLifetimeSeconds?: number;
  /** The `aud` of tokens; default the base URL. */
  audience?: string;
  /** Fetch `did:web` documents and status lists beyond loopback (off by default). */
  allowRemoteFetch?: boolean;
  /** Where unexpected errors are reported (never with request bodies or keys). */
  log?: (line: string) => void;
}

export interface InteropNode {
  url: string;
  port: number;
  did: string;
  tokenEndpoint: string;
  audience: string;
  clientsFile: string;
  context: NodeContext;
  /** Adds a key generation (see keys.ts). */
  rotateKey(): void;
  close(): Promise<void>;
}

function listen(server: Server, port: number, bind: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, bind, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function createInteropNode(options: InteropNodeOptions): Promise<InteropNode> {
  const tls = options.tls ?? true;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { ring, persist } = loadKeyring({
    dataDir: options.dataDir,
    env: options.env ?? process.env,
    ephemeral: options.ephemeralKeys,
  });
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.destroy();
  const dispatch = (req: IncomingMessage, res: ServerResponse): void => handler(req, res);
  const server = tls
    ? createHttpsServer(tlsCredentials(options.dataDir, options.publicHost?.split(":")[0]), dispatch)
    : createHttpServer(dispatch);
  const port = await listen(server, options.port ?? DEFAULT_PORT, options.bind ?? "127.0.0.1");
  const host = options.publicHost ?? `localhost:${port}`;
  const url = `${tls ? "https" : "http"}://${host}`;

  const identity = new NodeIdentity(ring, host, url, persist);
  const store = new NodeStore(options.dataDir);
  let proofs = options.proofs;
  const loadProofs = (): ProofSuite => (proofs ??= defaultProofSuite());
  const context: NodeContext = {
    identity,
    store,
    resolver: new NodeResolver(identity, store, loadProofs, options.allowRemoteFetch),
    status: new StatusLists(store, `${url}/credentials/status`),
    anchoring: options.anchoring ?? NO_ANCHORING,
    proofs: loadProofs,
  };
  const clientsFile = path.join(options.dataDir, CLIENTS_FILE);
  const audience = options.audience ?? url;
  const tokens = new TokenService(identity, clientsFile, audience, options.tokenLifetimeSeconds);
  const json = async (ctx: RequestContext): Promise<unknown> => (await readJson(ctx.req, maxBody)).value;
  const form = async (ctx: RequestContext): Promise<unknown> => (await readJson(ctx.req, maxBody, true)).value;
  const routes: Route[] = [
    ...oauthRoutes(tokens, form),
    ...discoveryRoutes(context),
    ...credentialRoutes(context, json),
    ...presentationRoutes(context, json),
  ];

  handler = (req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (!(error instanceof HttpError))
        log(`interop node: ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
      if (res.headersSent) res.destroy();
      else sendError(res, error instanceof HttpError ? error : new HttpError(500, MESSAGES.internal));
    });
  };
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? "/", url);
    const found = findRoute(routes, req.method ?? "GET", requestUrl.pathname);
    if (found instanceof HttpError) throw found;
    const ctx: RequestContext = { req, res, url: requestUrl, params: found.params };
    if (found.route.scope !== null) ctx.client = await tokens.authorize(req.headers.authorization, found.route.scope);
    await found.route.handle(ctx);
  }

  const stopWatching = context.anchoring.watchRevocations((recordId) => {
    // A record revoked on chain: the credential anchored as `recordId` is revoked in the node's lists too (its
    // mirror entry, given at anchoring, and the entries of a credential the node issued itself).
    const credentialId = store.anchoredCredential(recordId);
    if (credentialId === undefined) return;
    for (const entry of ["StatusList2021Entry", "RevocationList2020Status"] as const) {
      context.status.update(credentialId, entry, "revocation", true);
    }
  });

  return {
    url,
    port,
    did: identity.did,
    tokenEndpoint: `${url}/oauth/token`,
    audience,
    clientsFile,
    context,
    rotateKey: () => void identity.rotate(),
    close: async () => {
      stopWatching();
      context.anchoring.close?.();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}
