/**
 * `npm run interop -- [command] [options]`: the trace-interop node alone (see HELP and interop/README.md).
 * `main(argv, io)` returns the exit code, so that tests run it in-process; the bottom of the file is the entry point.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { NodeIdentity } from "../../interop/server/identity";
import { loadKeyring, PASSWORD_ENV, KEYS_ENV } from "../../interop/server/keys";
import { createInteropNode, DEFAULT_PORT, type InteropNode } from "../../interop/server/node";
import { addClient, CLIENTS_FILE, SCOPES } from "../../interop/server/oauth";
import { NodeStore } from "../../interop/server/store";
import { STATE_DIR } from "../lib/endpoints";
import { PASSWORD_ENV as CREDENTIALS_PASSWORD_ENV } from "../credentials/keys";
import {
  INTEROP_RELAYER_KEY_ENV,
  INTEROP_RELAYER_KEYSTORE_ENV,
  INTEROP_RELAYER_PASSWORD_FILE_ENV,
  connectAnchoring,
  deploymentFileOf,
  interopRelayerFromEnv,
  readAnchorDeployment,
  type ChainAnchoring,
} from "./chain";
import { messageOf } from "../../lib/errors";

export const DEFAULT_DATA_DIR = path.join(STATE_DIR, "interop");

export const HELP = `Usage: npm run interop -- [command] [options]

Commands:
  serve (default)        run the node: HTTPS on 127.0.0.1, prints its URL and DID
  add-client --name N    register an OAuth client; prints its id and secret once
             [--scopes "resolve:dids issue:credentials ..."]   (default: every scope)
  rotate-key             add a key generation: the DID document lists the new key and keeps the old ones;
                         new signatures use the new key (restart a running node to use it)
  onboard --did-document FILE
                         add an organisation's did:web document to the node's directory (resolves offline)

Options:
  --data-dir DIR         keystore, clients.json, TLS certificate, node.db (default .tradetrace/interop)
  --port N               default ${DEFAULT_PORT}; 0 picks a free port
  --host HOST[:PORT]     the host of the node's did:web and URLs (default localhost:<port>)
  --http                 plain HTTP instead of HTTPS (tests only)
  --ephemeral            keys in memory when ${PASSWORD_ENV} is not set (demo runs)
  --rpc URL              anchor what arrives on this chain (JSON-RPC); without it anchoring is off
  --deployment FILE      the registries' deployments file (or --network NAME: deployments/NAME.json)
  -h, --help             this text

Keys come from ${KEYS_ENV} (a keyring as JSON) or the encrypted keystore <data-dir>/keystore.json, unlocked
(and created at first start) with ${PASSWORD_ENV}. Scopes: ${SCOPES.join(" ")}.
With --rpc, the node's relayer (it pays the gas of anchoring) comes from ${INTEROP_RELAYER_KEYSTORE_ENV} (an
encrypted keystore; its password in ${INTEROP_RELAYER_PASSWORD_FILE_ENV} or ${CREDENTIALS_PASSWORD_ENV}) or
${INTEROP_RELAYER_KEY_ENV}; the key is never printed.
`;

export interface InteropIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const OPTIONS = {
  "data-dir": { type: "string" },
  port: { type: "string" },
  host: { type: "string" },
  http: { type: "boolean" },
  ephemeral: { type: "boolean" },
  name: { type: "string" },
  scopes: { type: "string" },
  "did-document": { type: "string" },
  rpc: { type: "string" },
  deployment: { type: "string" },
  network: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

function port(values: Values): number {
  const value = Number(values.port ?? DEFAULT_PORT);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`--port ${values.port} is not a port`);
  return value;
}

/** The chain the node anchors on, from --rpc and --deployment/--network; undefined (anchoring off) without --rpc. */
async function chainOf(values: Values, io: InteropIo): Promise<ChainAnchoring | undefined> {
  if (values.rpc === undefined) {
    if (values.deployment !== undefined || values.network !== undefined) {
      throw new Error("--deployment and --network need --rpc URL (the chain to anchor on)");
    }
    return undefined;
  }
  if ((values.deployment === undefined) === (values.network === undefined)) {
    throw new Error("--rpc needs one of --deployment FILE or --network NAME");
  }
  const file =
    values.deployment !== undefined
      ? path.resolve(io.cwd, values.deployment)
      : deploymentFileOf(path.resolve(io.cwd, "deployments"), values.network!);
  const deployment = readAnchorDeployment(file);
  const relayer = await interopRelayerFromEnv(io.env, io.cwd);
  if (relayer === undefined) {
    throw new Error(
      `anchoring needs the node's relayer key: set ${INTEROP_RELAYER_KEYSTORE_ENV} or ${INTEROP_RELAYER_KEY_ENV}`,
    );
  }
  return connectAnchoring({ rpc: values.rpc, deployment, relayer });
}

/** Starts the node; resolves with it once it serves. */
export async function serve(values: Values, io: InteropIo, dataDir: string): Promise<InteropNode> {
  const anchoring = await chainOf(values, io);
  let node: InteropNode;
  try {
    node = await createInteropNode({
      anchoring,
      dataDir,
      port: port(values),
      publicHost: values.host,
      tls: values.http !== true,
      env: io.env,
      ephemeralKeys: values.ephemeral === true,
      log: (line) => io.stderr(`${line}\n`),
    });
  } catch (error) {
    anchoring?.close();
    throw error;
  }
  io.stdout(`trace-interop node at ${node.url}\nDID ${node.did}\ntoken endpoint ${node.tokenEndpoint}\n`);
  io.stdout(
    anchoring
      ? `anchoring on ${values.rpc}, relayer ${anchoring.relayer}\n`
      : "anchoring off: presentations are verified and stored, not anchored (give --rpc and --deployment)\n",
  );
  return node;
}

function onboard(values: Values, io: InteropIo, dataDir: string): void {
  if (values["did-document"] === undefined) throw new Error("onboard needs --did-document FILE");
  const document = JSON.parse(readFileSync(path.resolve(io.cwd, values["did-document"]), "utf8")) as { id?: unknown };
  if (typeof document.id !== "string" || !document.id.startsWith("did:web:")) {
    throw new Error(`${values["did-document"]} is not a did:web document (no did:web id)`);
  }
  const store = new NodeStore(dataDir);
  try {
    store.onboard(document.id, document);
  } finally {
    store.close();
  }
  io.stdout(`onboarded ${document.id}\n`);
}

/** Runs one command; `serve` keeps running (the returned node) until the process ends. */
export async function main(argv: string[], io: InteropIo): Promise<number | InteropNode> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`${messageOf(error)}\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    io.stdout(HELP);
    return 0;
  }
  const dataDir = path.resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR);
  const [command = "serve", ...rest] = positionals;
  if (rest.length > 0) {
    io.stderr(`unexpected arguments: ${rest.join(" ")}\n`);
    return 2;
  }
  try {
    switch (command) {
      case "serve":
        return await serve(values, io, dataDir);
      case "add-client": {
        if (values.name === undefined) throw new Error("add-client needs --name NAME");
        const scopes = values.scopes === undefined ? SCOPES : values.scopes.split(/[\s,]+/).filter(Boolean);
        const { clientId, clientSecret } = addClient(path.join(dataDir, CLIENTS_FILE), values.name, scopes);
        io.stdout(`client_id     ${clientId}\nclient_secret ${clientSecret}\nscopes        ${scopes.join(" ")}\n`);
        io.stdout("the secret is shown this once: only its hash is stored\n");
        return 0;
      }
      case "rotate-key": {
        const { ring, persist } = loadKeyring({ dataDir, env: io.env });
        if (persist === undefined) throw new Error(`the keyring comes from ${KEYS_ENV}: rotate it where it is kept`);
        const identity = new NodeIdentity(ring, "localhost", "https://localhost", persist);
        const generation = identity.rotate();
        io.stdout(
          `added key generation ${generation.n} (#key-${generation.n}, #ed25519-${generation.n}); older keys stay for verification\n`,
        );
        return 0;
      }
      case "onboard":
        onboard(values, io, dataDir);
        return 0;
      default:
        io.stderr(`unknown command ${command}\n${HELP}`);
        return 2;
    }
  } catch (error) {
    io.stderr(`error: ${messageOf(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  const io: InteropIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  };
  void main(process.argv.slice(2), io).then((result) => {
    if (typeof result === "number") {
      process.exitCode = result;
      return;
    }
    const stop = (): void => void result.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
