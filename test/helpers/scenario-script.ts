/** Runs a `hardhat run` scenario script against a node and reads the JSON it writes to `SCENARIO_OUT`. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(__dirname, "..", "..");

/** Plays `script` (a path from the repository root) on the node at `url`, deployments in `dir`. */
export async function runScenarioScript<T>(script: string, url: string, dir: string): Promise<T> {
  const out = path.join(dir, "scenario.json");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOCALHOST_RPC_URL: url,
    TRADETRACE_DEPLOYMENTS_DIR: dir,
    SCENARIO_OUT: out,
    HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
  };
  delete env.HARDHAT_NETWORK;
  const bootstrap = path.join(ROOT, "node_modules", "hardhat", "internal", "cli", "bootstrap.js");
  const args = [bootstrap, "run", "--no-compile", "--network", "localhost", script];
  // Asynchronous, so the node's output keeps draining while the scenario runs.
  await promisify(execFile)(process.execPath, args, { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(fs.readFileSync(out, "utf8")) as T;
}
