/**
 * Throughput of the trace-interop node over HTTP on loopback: VC-JOSE credentials verified per second
 * (`POST /credentials/verify`) and presentations of 50 VC-JOSE credentials received per second (`POST
 * /presentations`: the presentation and each credential verified, status checked, stored; anchoring off), with the
 * machine they ran on. Prints the figures; `--json` prints them as JSON.
 *
 * Run: npm run bench:interop [-- --credentials 200 --presentations 20 --clients 4]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import os from "node:os";
import path from "node:path";
import { call } from "../lib/http";
import { PASSWORD_ENV } from "../interop/server/keys";
import { createInteropNode, type InteropNode } from "../interop/server/node";
import { addClient, SCOPES } from "../interop/server/oauth";

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} needs a positive integer`);
  return n;
}

export interface InteropBench {
  machine: string;
  credentialsVerifiedPerSecond: number;
  presentationsOf50PerSecond: number;
  params: { credentials: number; presentations: number; clients: number };
}

const CONTEXTS = ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/traceability/v1"];

async function post(node: InteropNode, agent: Agent, token: string, urlPath: string, body: unknown): Promise<unknown> {
  const reply = await call(
    node.port,
    "POST",
    urlPath,
    JSON.stringify(body),
    { "content-type": "application/json", authorization: `Bearer ${token}` },
    agent,
  );
  if (reply.status >= 300) throw new Error(`${urlPath}: ${reply.status} ${reply.body}`);
  return JSON.parse(reply.body) as unknown;
}

/** Runs `count` jobs with `clients` at a time; returns jobs per second. */
async function rate(count: number, clients: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return Math.round((count * 1000 * 10) / (performance.now() - started)) / 10;
}

export async function runInteropBench(params: InteropBench["params"]): Promise<InteropBench> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "interop-bench-"));
  const node = await createInteropNode({
    dataDir,
    port: 0,
    tls: false,
    env: { [PASSWORD_ENV]: "interop-bench-password" },
    log: () => undefined,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: params.clients });
  try {
    const client = addClient(node.clientsFile, "bench", SCOPES);
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    const tokenReply = await call(
      node.port,
      "POST",
      "/oauth/token",
      form.toString(),
      { "content-type": "application/x-www-form-urlencoded" },
      agent,
    );
    const token = (JSON.parse(tokenReply.body) as { access_token: string }).access_token;
    const credentials: string[] = [];
    for (let i = 0; i < Math.max(params.credentials, 50); i++) {
      const { verifiableCredential } = (await post(node, agent, token, "/credentials/issue", {
        credential: {
          "@context": CONTEXTS,
          id: `urn:uuid:bench-${i}`,
          type: ["VerifiableCredential", "MillTestReportCredential"],
          issuer: node.did,
          issuanceDate: "2024-05-01T00:00:00Z",
          credentialSubject: { type: ["MillTestReport"] },
        },
        options: { type: "VC-JOSE" },
      })) as { verifiableCredential: string };
      credentials.push(verifiableCredential);
    }
    const verified = await rate(params.credentials, params.clients, async (i) => {
      const verdict = (await post(node, agent, token, "/credentials/verify", {
        verifiableCredential: credentials[i],
      })) as { verified: boolean };
      if (!verdict.verified) throw new Error(`credential ${i} did not verify`);
    });
    const presentations: string[] = [];
    for (let i = 0; i < params.presentations; i++) {
      const { verifiablePresentation } = (await post(node, agent, token, "/presentations/prove", {
        presentation: {
          "@context": CONTEXTS,
          id: `urn:uuid:bench-vp-${i}`,
          type: ["VerifiablePresentation", "TraceablePresentation"],
          holder: node.did,
          workflow: { definition: ["urn:bench"], instance: [`urn:uuid:bench-clearance-${i}`] },
          verifiableCredential: credentials.slice(0, 50),
        },
        options: { type: "VC-JOSE" },
      })) as { verifiablePresentation: string };
      presentations.push(verifiablePresentation);
    }
    const received = await rate(params.presentations, params.clients, async (i) => {
      await post(node, agent, token, "/presentations", { verifiablePresentation: presentations[i] });
    });
    const cpus = os.cpus();
    return {
      machine: `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      credentialsVerifiedPerSecond: verified,
      presentationsOf50PerSecond: received,
      params,
    };
  } finally {
    agent.destroy();
    await node.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const params = {
    credentials: flag("credentials", 200),
    presentations: flag("presentations", 20),
    clients: flag("clients", 4),
  };
  void runInteropBench(params).then(
    (result) => {
      if (process.argv.includes("--json")) console.log(JSON.stringify(result, null, 2));
      else {
        console.log(`machine: ${result.machine}`);
        console.log(
          `credentials verified: ${result.credentialsVerifiedPerSecond}/s (VC-JOSE, ${params.credentials} with ${params.clients} clients)`,
        );
        console.log(
          `presentations of 50 credentials received: ${result.presentationsOf50PerSecond}/s (${params.presentations} with ${params.clients} clients)`,
        );
      }
    },
    (error: unknown) => {
      console.error((error as Error).stack ?? String(error));
      process.exitCode = 1;
    },
  );
}
