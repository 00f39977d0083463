/** Runs the real deploy script (`npm run deploy -- --network localhost`) against a node, as a developer would. */
import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `hardhat run --network localhost scripts/deploy.ts` with LOCALHOST_RPC_URL = `url`, writing into `dir`. */
export function runDeployScript(url: string, dir: string): Promise<ScriptRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: "true",
    HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
    LOCALHOST_RPC_URL: url,
    TRADETRACE_DEPLOYMENTS_DIR: dir,
  };
  delete env.HARDHAT_NETWORK;
  delete env.TRADETRACE_ADMIN;
  delete env.TRADETRACE_REDEPLOY;
  const hardhat = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
  return runNode([hardhat, "run", "--no-compile", "--network", "localhost", "scripts/deploy.ts"], env);
}

/** `node ...args` from the repository root with `env`; resolves with its exit code and everything it printed. */
export function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
