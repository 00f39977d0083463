/** A node on 127.0.0.1 (plain HTTP, a fresh data directory) with a registered client, for the interop tests. */
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import os from "node:os";
import path from "node:path";
import { call, type Reply } from "../helpers/http";
import { PASSWORD_ENV } from "../../interop/server/keys";
import { createInteropNode, type InteropNode, type InteropNodeOptions } from "../../interop/server/node";
import { addClient, SCOPES } from "../../interop/server/oauth";

export const TEST_PASSWORD = "interop-test-password";
/** No pooled sockets: a test that restarts a node on the same port must not reuse a socket of the old one. */
const FRESH_SOCKETS = new Agent({ keepAlive: false });

export interface TestNode {
  node: InteropNode;
  dataDir: string;
  client: { clientId: string; clientSecret: string };
  /** A token of the test client, with `scope` when given (else every scope it holds). */
  token(scope?: string): Promise<string>;
  /** A request to the node; a non-string body is sent as JSON. */
  request(method: string, urlPath: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** A request with a bearer token of `scope` (default every scope). */
  authed(method: string, urlPath: string, body?: unknown, scope?: string): Promise<Reply>;
  close(keepData?: boolean): Promise<void>;
}

export function freshDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "interop-test-"));
}

export async function startTestNode(
  options: Partial<InteropNodeOptions> = {},
  scopes: readonly string[] = SCOPES,
): Promise<TestNode> {
  const dataDir = options.dataDir ?? freshDataDir();
  const node = await createInteropNode({
    port: 0,
    tls: false,
    env: { [PASSWORD_ENV]: TEST_PASSWORD },
    log: () => undefined,
    ...options,
    dataDir,
  });
  const client = addClient(node.clientsFile, "test", scopes);
  const request = (
    method: string,
    urlPath: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
    const text = body === undefined || typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const withType =
      text !== undefined && headers["content-type"] === undefined
        ? { "content-type": "application/json", ...headers }
        : headers;
    return call(node.port, method, urlPath, text as string | Buffer | undefined, withType, FRESH_SOCKETS);
  };
  const token = async (scope?: string): Promise<string> => {
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    if (scope !== undefined) form.set("scope", scope);
    const reply = await request("POST", "/oauth/token", form.toString(), {
      "content-type": "application/x-www-form-urlencoded",
    });
    if (reply.status !== 200) throw new Error(`token: ${reply.status} ${reply.body}`);
    return (JSON.parse(reply.body) as { access_token: string }).access_token;
  };
  return {
    node,
    dataDir,
    client,
    token,
    request,
    authed: async (method, urlPath, body, scope) =>
      request(method, urlPath, body, { authorization: `Bearer ${await token(scope)}` }),
    close: async (keepData = false) => {
      await node.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function json<T = Record<string, unknown>>(reply: Reply): T {
  return JSON.parse(reply.body) as T;
}
